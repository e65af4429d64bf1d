"""Remote SPARQL endpoints (endpoint.py) against real Oxigraph and Virtuoso servers: the same answers as locally."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from virtgraph.endpoint import Endpoint
from virtgraph.errors import UsageError
from virtgraph.graph import load

from .support.parity import concept_cards, concepts, shipped_answers, view_dots
from .support.questions import QUESTIONS, ids
from .support.servers import remote

pytestmark = pytest.mark.server


@pytest.mark.parametrize(("question", "sparql", "expected"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_competency_questions_on_the_server(server, question, sparql, expected):
    result = remote(server).query(sparql)
    assert ids(result.records(), *result.variables) == expected


def test_every_shipped_query_answers_as_locally(server):
    assert shipped_answers(remote(server)) == shipped_answers(load())


def test_every_concept_card_is_identical(server):
    local = load()
    iris = concepts(local)
    assert len(iris) > 90
    assert concept_cards(remote(server), iris) == concept_cards(local, iris)


def test_every_view_gives_identical_dot(server):
    assert view_dots(remote(server)) == view_dots(load())


def test_bad_endpoint_urls():
    with pytest.raises(UsageError, match="must be an http"):
        Endpoint("ftp://example.org/sparql")


def test_each_server_keeps_its_data_in_a_private_folder(server):
    """The database the server writes lives in the test's own folder, which nobody else can read."""
    folder = Path(server.folder)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0, oct(folder.stat().st_mode)
    database = {"oxigraph": folder / "data", "virtuoso": folder / "virtuoso.db"}[server.name]
    written = [database] if database.is_file() else [f for f in database.rglob("*") if f.is_file()]
    assert written and sum(f.stat().st_size for f in written) > 0, f"no database in {folder}"
