"""The store contract: both embedded stores hold the same triples and give byte-identical answers, diagrams and
concept cards; bad files give one line with file and line number.

The suite runs once, on the default store; what can differ between stores is tested here (and by the tests
taking the ``kg`` or ``store`` fixture, which run on both).
"""

from __future__ import annotations

import pytest

from virtgraph.errors import OntologyError
from virtgraph.graph import load
from virtgraph.store import ontology_files

from .support import DATA
from .support.parity import concept_cards, concepts, shipped_answers, view_dots


def test_shapes_are_not_part_of_the_graph():
    names = [f.name for f in ontology_files()]
    assert "shapes.ttl" not in names
    assert names == sorted(names)
    assert {"schema.ttl", "taxonomy.ttl", "products.ttl", "hardware.ttl"} <= set(names)


def test_both_stores_hold_the_same_triples():
    assert len(load(store="oxigraph")) == len(load(store="memory")) > 2000


def test_every_shipped_query_answers_identically():
    assert shipped_answers(load(store="memory")) == shipped_answers(load(store="oxigraph"))


def test_every_view_gives_identical_dot():
    assert view_dots(load(store="memory")) == view_dots(load(store="oxigraph"))


def test_every_concept_card_is_identical():
    oxigraph = load(store="oxigraph")
    iris = concepts(oxigraph)
    assert len(iris) > 90
    assert concepts(load(store="memory")) == iris
    assert concept_cards(load(store="memory"), iris) == concept_cards(oxigraph, iris)


def test_graph_is_parsed_once_per_process():
    assert load() is load()


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_malformed_turtle_names_file_and_line(store):
    with pytest.raises(OntologyError) as caught:
        load(DATA / "malformed.ttl", store=store)
    message = str(caught.value)
    assert message.startswith(f"{DATA / 'malformed.ttl'}:3: malformed Turtle: ")
    assert "\n" not in message


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_cli_malformed_turtle_exits_2_without_traceback(run, store):
    result = run("--store", store, "--ontology", str(DATA / "malformed.ttl"), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {DATA / 'malformed.ttl'}:3: malformed Turtle")
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1


def test_missing_ontology_path(run, tmp_path):
    result = run("--ontology", str(tmp_path / "nowhere"), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr == f"Error: ontology path does not exist: {tmp_path / 'nowhere'}\n"


def test_folder_without_turtle(run, tmp_path):
    result = run("--ontology", str(tmp_path), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr == f"Error: no Turtle (.ttl) files in {tmp_path}\n"


def test_non_utf8_turtle(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<http://e/a> <http://e/b> "café" .\n'.encode("latin-1"))
    with pytest.raises(OntologyError, match=r"latin1.ttl: not UTF-8 text"):
        load(bad)


def test_other_ontology_replaces_the_shipped_one(run, tmp_path):
    (tmp_path / "tiny.ttl").write_text(
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix vg: <https://w3id.org/virtgraph/ontology#> .
        <https://example.org/gizmo> a vg:Concept ; skos:prefLabel "Gizmo"@en , "小玩意"@zh ;
            skos:definition "A test concept."@en , "测试用的概念。"@zh .
        """,
        encoding="utf-8",
    )
    result = run("--ontology", str(tmp_path), "lookup", "gizmo", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("Gizmo  (<https://example.org/gizmo>)\n")
    assert run("--ontology", str(tmp_path), "lookup", "kvm").exit_code == 1
