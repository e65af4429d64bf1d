"""DiGraph to DOT (dot.py): hostile labels still give valid DOT and SVG, fonts, ids from IRIs, every view."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from virtgraph.build import NODE_DEFAULTS
from virtgraph.dot import to_dot
from virtgraph.drawing import draw
from virtgraph.finish import finish_svg
from virtgraph.graphviz_run import run_dot, run_dot_many
from virtgraph.viewspec import ViewSpec

from .support.strategies import HOSTILE


def tiny_view(label: str, definition: str, layout: str = "graph") -> tuple[nx.DiGraph[str], ViewSpec]:
    spec = ViewSpec(name="t", layout=layout, title={"en": label}, description={"en": definition}, query="", summary={})
    g: nx.DiGraph[str] = nx.DiGraph(
        view="t", lang="en", layout=layout, rankdir="TB", title=label, description=definition
    )
    base = {**NODE_DEFAULTS, "lang": "en", "definition": definition, "kind_label": label, "details": label}
    g.add_node("vgc:a", **{**base, "iri": "https://w3id.org/virtgraph/concept/a", "label": label})
    g.add_node("vgc:b", **{**base, "iri": "https://w3id.org/virtgraph/concept/b", "label": "b"})
    g.add_edge("vgc:a", "vgc:b", relation="", relation_label=label, relation_key="requires", disputed=True)
    return g, spec


@pytest.mark.dot
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE, HOSTILE)
def test_hostile_labels_never_break_dot_or_the_svg(label, definition):
    graph, spec = tiny_view(label or "x", definition)
    source = to_dot(graph, spec)
    svg = finish_svg(run_dot(source, "svg"), graph, source)  # raises if dot rejects the DOT
    root = ET.fromstring(svg)  # well-formed XML
    title = root.find("{http://www.w3.org/2000/svg}title")
    from virtgraph.quoting import clean

    assert title.text == clean(label or "x") or (title.text or "") == clean(label or "x")


@pytest.mark.dot
def test_stack_labels_with_markup(kg_fast):
    drawing = draw(kg_fast, "eras", "en")
    svg = finish_svg(run_dot(drawing.dot, "svg"), drawing.graph, drawing.dot)
    ET.fromstring(svg)


def test_dot_names_a_cjk_font_first_with_fallbacks(kg_fast):
    source = draw(kg_fast, "eras", "zh").dot
    assert 'fontname="Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,' in source
    assert 'bgcolor="#ffffff"' in source


def test_dot_ids_come_from_iris(kg_fast):
    source = draw(kg_fast, "taxonomy", "en").dot
    assert 'id="vgc-kvm"' in source
    assert "node1" not in source


@pytest.mark.dot
def test_dot_accepts_every_view(kg_fast):
    from virtgraph.viewspec import view_specs

    for name, spec in view_specs().items():
        params = {"concept": "https://w3id.org/virtgraph/concept/kvm"} if spec.needs_concept else {}
        source = draw(kg_fast, name, "zh", **params).dot
        done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=False)
        assert done.returncode == 0, (name, done.stderr)
        assert b"Warning" not in done.stderr, (name, done.stderr)


@pytest.mark.dot
def test_a_batch_of_layouts_gives_each_graph_the_bytes_it_gets_alone(kg_fast):
    """The site lays graphs out in batches (one dot run each, clusters apart): whatever a graph is batched with,
    and wherever in the batch, its SVG is the one dot gives it alone (dot marks later graphs as pages)."""
    views = ("hypervisors", "taxonomy", "eras", "hardware")
    sources = [draw(kg_fast, view, "en").dot for view in views]
    sources += [draw(kg_fast, "concept", "en", concept=c).dot for c in ("kvm", "xen", "vt-x")]
    for order in (sources, sources[::-1]):
        assert run_dot_many(order) == [run_dot(text, "svg") for text in order]
