"""Exports made from the view's DiGraph (export.py): JSON node-link, GraphML read back, Mermaid flowcharts."""

from __future__ import annotations

import io
import json

import networkx as nx

from virtgraph.drawing import draw
from virtgraph.render import render_bytes


def test_json_is_node_link_data(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    doc = json.loads(render_bytes(drawing.graph, drawing.dot, "json"))
    assert [n["id"] for n in doc["nodes"]] == sorted(drawing.graph.nodes)
    assert [(e["source"], e["target"]) for e in doc["edges"]] == sorted(drawing.graph.edges)
    assert doc["graph"]["title"] == "Type 1 (bare-metal) hypervisor architecture"


def test_graphml_reads_back_as_the_view_graph(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    parsed = nx.read_graphml(io.BytesIO(render_bytes(drawing.graph, drawing.dot, "graphml")))
    assert sorted(parsed.nodes) == sorted(drawing.graph.nodes)
    assert sorted(parsed.edges) == sorted(drawing.graph.edges)
    assert parsed.graph["title"] == "Type 1 (bare-metal) hypervisor architecture"
    hardware = parsed.nodes["vgc:type-1-hypervisor/1"]
    assert (hardware["label"], hardware["role"], hardware["position"]) == ("Hardware", "layer", 1)
    scalar = (str, int, float, bool)
    for nid, attrs in drawing.graph.nodes(data=True):
        assert {k: v for k, v in attrs.items() if isinstance(v, scalar)} == parsed.nodes[nid], nid
    for source, target, attrs in drawing.graph.edges(data=True):
        assert {k: v for k, v in attrs.items() if isinstance(v, scalar)} == parsed.edges[source, target]


def test_mermaid_flowchart(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    text = render_bytes(drawing.graph, drawing.dot, "mermaid").decode()
    assert text.startswith('---\ntitle: "Type 1 (bare-metal) hypervisor architecture"\n---\nflowchart BT\n')
    assert '  vgc-type-1-hypervisor_1["Hardware"]:::layer-vgc-hardware' in text
    assert "  vgc-type-1-hypervisor_1 --> vgc-type-1-hypervisor_2" in text


def test_mermaid_marks_disputed_edges(kg_fast):
    drawing = draw(kg_fast, "taxonomy", "en")
    text = render_bytes(drawing.graph, drawing.dot, "mermaid").decode()
    assert '  vgc-type-1-hypervisor -.->|"hypervisor type (disputed)"| vgc-kvm' in text
    assert '  subgraph g-vgc-axis-technique["By virtualization level (technique)"]' in text
