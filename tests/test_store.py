"""The store contract (store.py): both embedded stores give identical answers; bad files give file and line."""

from __future__ import annotations

from functools import cache

import pytest

from virtgraph.errors import OntologyError
from virtgraph.graph import KnowledgeGraph, load
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


@cache
def _both_stores() -> tuple[KnowledgeGraph, KnowledgeGraph]:
    return load(store="oxigraph"), load(store="memory")


def test_both_stores_hold_the_same_concepts():
    oxigraph, memory = _both_stores()
    assert len(concepts(oxigraph)) > 90
    assert concepts(memory) == concepts(oxigraph)


@pytest.mark.parametrize("part", range(3))
def test_every_concept_card_is_identical(part):
    """Every concept's card, in three parts so the test workers share the memory store's slow queries."""
    oxigraph, memory = _both_stores()
    iris = concepts(oxigraph)[part::3]
    assert iris and concept_cards(memory, iris) == concept_cards(oxigraph, iris)


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_malformed_turtle_names_file_and_line(store):
    with pytest.raises(OntologyError) as caught:
        load(DATA / "malformed.ttl", store=store)
    message = str(caught.value)
    assert message.startswith(f"{DATA / 'malformed.ttl'}:3: malformed Turtle: ")
    assert "\n" not in message


def test_non_utf8_turtle(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<http://e/a> <http://e/b> "café" .\n'.encode("latin-1"))
    with pytest.raises(OntologyError, match=r"latin1.ttl: not UTF-8 text"):
        load(bad)
