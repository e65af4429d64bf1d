"""Every exporter survives hostile labels: SVG (through the real ``dot``), DOT, GraphML and Mermaid.

Hostile text: any characters (control characters included, surrogates excluded), Graphviz escapes, markup,
Mermaid keywords and comment/entity starts. Graphs have the shape ``build.py`` produces (``NODE_DEFAULTS``).
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtgraph import export
from virtgraph.build import NODE_DEFAULTS
from virtgraph.dot import to_dot
from virtgraph.quoting import clean, edge_id, node_id
from virtgraph.render import render_bytes
from virtgraph.viewspec import ViewSpec

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
HOSTILE = st.lists(
    st.sampled_from(
        [
            *["\\G", "\\N", "\\L", "\\E", "\\T", "\\H", "\\", ":", ": ", '"', "'", "`", "%%", "-->", "end", "|", ";"],
            *["#", "<B>", "&amp;", "&#92;", "]]>", "\n", "\r", "\t", "\x00", "\x1b", "\x85", "\u2028"],
            *["---", "中文", "{}"],
        ]
    )
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8),
    max_size=12,
).map("".join)


def hostile_graph(label: str, title: str, group: str = "Group") -> tuple[nx.DiGraph[str], ViewSpec]:
    """Two concepts in a cluster and one outside, linked; every text is hostile."""
    spec = ViewSpec(name="t", layout="graph", title={"en": title}, description={"en": label}, query="")
    graph: nx.DiGraph[str] = nx.DiGraph(
        view="t", lang="en", layout="graph", rankdir="TB", title=title, description=label
    )
    base = {**NODE_DEFAULTS, "lang": "en", "definition": label, "kind_label": label, "details": label}
    grouped = {"group": "vgc:g", "group_label": group, "category": "c", "category_label": label}
    graph.add_node("vgc:a", **{**base, **grouped, "iri": "https://w3id.org/virtgraph/concept/a", "label": label})
    graph.add_node("vgc:a_b", **{**base, **grouped, "label": title})
    graph.add_node("vgc:中", **{**base, "label": label})
    graph.add_edge("vgc:a", "vgc:a_b", relation="r", relation_label=label, relation_key="requires", disputed=True)
    graph.add_edge("vgc:a_b", "vgc:中", relation="r", relation_label=title, relation_key="r", disputed=False)
    return graph, spec


@pytest.mark.dot
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE, HOSTILE)
def test_svg_is_well_formed_and_tooltips_literal(label, title):
    graph, spec = hostile_graph(label, title)
    dot = to_dot(graph, spec)
    assert to_dot(graph, spec) == dot  # deterministic
    root = ET.fromstring(render_bytes(graph, dot, "svg"))  # dot accepted the DOT, the SVG parses
    assert root.find(f"{SVG}title").text == clean(title) or not clean(title).strip()
    expected = (clean(label) + " — " + clean(label)).replace("\n", " ")
    if clean(label).strip() and "&" not in expected:  # Graphviz may decode entity-looking text, nothing else
        # Graphviz keeps runs of spaces visible as space + no-break space, and shows a tab as a space
        shown = _tooltip_of(root, node_id("vgc:中"))
        assert shown.replace("\xa0", " ") == expected.replace("\t", " ").replace("\xa0", " ")


def _tooltip_of(root: ET.Element, ident: str) -> str | None:
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == f"a_{ident}":
            link = group.find(f"{SVG}a")
            assert link is not None, f"node {ident} has no link element"
            return link.get(XLINK_TITLE)
    return None


@pytest.mark.dot
def test_graphviz_escapes_in_tooltips_are_shown_literally():
    text = r"\G \N \L \E \T \H \\ \l \n end"
    graph, spec = hostile_graph(text, "title")
    root = ET.fromstring(render_bytes(graph, to_dot(graph, spec), "svg"))
    assert _tooltip_of(root, node_id("vgc:中")) == f"{text} — {text}"
    assert _tooltip_of(root, edge_id("vgc:a", "vgc:a_b")) == f"{text} → title ({text})"


def _node_text(root: ET.Element, ident: str) -> str:
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == ident:
            return "\n".join("".join(text.itertext()) for text in group.iter(f"{SVG}text"))
    raise AssertionError(f"no node {ident}")


@pytest.mark.dot
def test_graphviz_escapes_in_labels_are_shown_literally():
    text = r"\G \N \L \E \T \H \\ \l \n \x end"
    graph, spec = hostile_graph(text, "title")
    root = ET.fromstring(render_bytes(graph, to_dot(graph, spec), "svg"))
    shown = _node_text(root, node_id("vgc:中"))
    assert shown.replace("\n", " ").split() == text.split() * 2  # the label, then the same text as its details


@pytest.mark.dot
def test_a_label_longer_than_graphviz_strings_is_cut_not_fatal():
    label = "long " * 4000  # 20,000 characters: Graphviz refuses any DOT string over 16,384 bytes
    graph, spec = hostile_graph(label, "title")
    root = ET.fromstring(render_bytes(graph, to_dot(graph, spec), "svg"))
    shown = _node_text(root, node_id("vgc:中"))
    # the label is cut at 200 characters and its detail at 500: far past any real one, far below the limit
    assert shown.startswith("long long") and shown.endswith("…") and len(shown) < 800
    assert _tooltip_of(root, node_id("vgc:中")).endswith("…")


@settings(max_examples=300, deadline=None)
@given(HOSTILE, HOSTILE)
def test_graphml_is_well_formed_and_round_trips(label, title):
    graph, _ = hostile_graph(label, title)
    data = export.graphml(graph)
    ET.fromstring(data.encode("utf-8"))
    back = nx.read_graphml(io.BytesIO(data.encode("utf-8")))
    assert back.nodes["vgc:a"]["label"] == clean(label)
    assert back.nodes["vgc:a_b"]["label"] == clean(title)
    assert back.graph["title"] == clean(title)
    assert back.edges["vgc:a", "vgc:a_b"]["relation_label"] == clean(label)


def test_graphml_node_id_with_a_control_character():
    graph, _ = hostile_graph("x", "y")
    graph.add_node("<http://e.org/\x01>", **{**NODE_DEFAULTS, "label": "z"})
    back = nx.read_graphml(io.BytesIO(export.graphml(graph).encode("utf-8")))
    assert back.nodes[node_id("<http://e.org/\x01>")]["label"] == "z"


MERMAID_ID = r"[A-Za-z_][A-Za-z0-9_-]*"
# quoted; no quote, backtick, statement or comment start, line break, or "#" other than an entity code
MERMAID_TEXT = r'"(?:[^"`;%#\n\r\x85\u2028\u2029]|#(?:[a-z]+|[0-9]+);)*"'
MERMAID_LINE = re.compile(
    "|".join(
        [
            rf"  (  )?{MERMAID_ID}\[{MERMAID_TEXT}\]:::{MERMAID_ID}",
            rf"  subgraph {MERMAID_ID}\[{MERMAID_TEXT}\]",
            r"  end",
            rf"  {MERMAID_ID} (-->|-\.->)(\|{MERMAID_TEXT}\|)? {MERMAID_ID}",
            rf"  classDef {MERMAID_ID} fill:#[0-9a-f]{{6}},stroke:#[0-9a-f]{{6}},color:#[0-9a-f]{{6}}",
            r"flowchart (TB|LR|BT)",
        ]
    )
)


@settings(max_examples=300, deadline=None)
@given(HOSTILE, HOSTILE, HOSTILE)
def test_mermaid_lines_follow_the_grammar(label, title, group):
    graph, _ = hostile_graph(label, title, group)
    text = export.mermaid(graph)
    lines = text.split("\n")
    assert lines[0] == "---" and lines[2] == "---" and lines[-1] == ""
    assert lines[1].startswith("title: ")
    # the title is a YAML double-quoted string; with only \\ and \" escapes it reads the same as JSON
    assert json.loads(lines[1][len("title: ") :]) == re.sub(r"[\n\t\x85\u2028\u2029]", " ", clean(title))
    for line in lines[3:-1]:
        assert MERMAID_LINE.fullmatch(line), line
    assert len(re.findall(r"^ +end$", text, re.M)) == 1  # only the cluster's own end; "end" in labels is quoted


def test_mermaid_title_with_a_colon():
    graph, _ = hostile_graph("a", "KVM: type 1 # not a comment")
    assert export.mermaid(graph).startswith('---\ntitle: "KVM: type 1 # not a comment"\n---\n')


def test_json_keeps_text():
    graph, _ = hostile_graph("a\x1b\\G", "t")
    doc = json.loads(export.node_link_json(graph))
    assert {n["id"]: n["label"] for n in doc["nodes"]}["vgc:a"] == "a\x1b\\G"
