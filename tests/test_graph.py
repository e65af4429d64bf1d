"""The KnowledgeGraph (graph.py): the shipped ontology is parsed once per process."""

from __future__ import annotations

from virtgraph.graph import load


def test_graph_is_parsed_once_per_process():
    assert load() is load()
