"""DOT building: escaping of hostile text (property-based) and deterministic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtgraph.build import NODE_DEFAULTS
from virtgraph.choices import STORES
from virtgraph.dot import to_dot
from virtgraph.drawing import draw
from virtgraph.finish import finish_svg
from virtgraph.graphviz_run import run_dot
from virtgraph.labels import LANGUAGES
from virtgraph.quoting import dot_text, html_text, wrap
from virtgraph.viewspec import ViewSpec, view_specs

from .support.every_export import TEXT_FORMATS

ROOT = Path(__file__).parent.parent
HOSTILE = st.lists(
    st.sampled_from(["<", ">", "&", '"', "{", "}", "|", "\\", "\n", "\r", "\t", "]]>", "\\N", "\\G", "&amp;", "<B>"])
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
    max_size=30,
).map("".join)


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


def test_html_text_escapes_markup():
    assert html_text('<b>&"x"</b>') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"
    assert html_text("a\x00b\x1fc") == "abc"


def test_dot_text_keeps_backslashes_literal():
    # Graphviz unescapes a tooltip twice (see dot_text): four backslashes in DOT show as one
    assert dot_text("\\N and \\G") == "\\\\\\\\N and \\\\\\\\G"


@settings(max_examples=1000)
@given(HOSTILE, st.integers(min_value=4, max_value=60))
def test_wrap_keeps_every_character_and_respects_width(text, columns):
    lines = wrap(text, columns)
    joined = "".join("".join(lines).split())
    from virtgraph.quoting import clean

    assert joined == "".join(clean(text).split())
    from virtgraph.display import width

    # closing punctuation (at most one wide character) may hang past the width rather than start a line
    assert all(width(line) <= columns + 2 for line in lines)


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


def test_every_export_is_byte_identical_under_two_hash_seeds():
    """Sets and dicts of strings iterate in an order PYTHONHASHSEED decides: no output may depend on it."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.every_export"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for seed in ("0", "12345")
    ]
    outputs = []
    for process in runs:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode(errors="replace")[-2000:]
        outputs.append(json.loads(out))
    first, second = outputs
    assert len(first) == len(STORES) * len(view_specs()) * len(LANGUAGES) * len(TEXT_FORMATS)
    assert sorted(first) == sorted(second)
    assert [key for key in sorted(first) if first[key] != second[key]] == []


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
