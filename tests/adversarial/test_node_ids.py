"""Node ids in DOT/SVG/Mermaid are injective, valid XML ids and stable for the shipped ontology.

The proof of injectivity is a decoder: :func:`decode` turns every id back into the text it came from, so no two
texts can share an id. Hypothesis checks the decoder on hostile text built from the characters that collided
before (``:``, ``-``, ``_``, ``.``, ``/``, ``#``, CJK).
"""

from __future__ import annotations

import re

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from virtgraph.build import NODE_DEFAULTS
from virtgraph.dot import to_dot
from virtgraph.namespaces import PREFIXES
from virtgraph.quoting import edge_id, node_id
from virtgraph.viewspec import ViewSpec

_HEX = {"u": 4, "U": 6}
XML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def decode(ident: str) -> str:
    """The text whose :func:`node_id` is ``ident`` (the witness that ``node_id`` is injective)."""
    if ident.startswith("_"):
        out, i = [], 1
        while i < len(ident):
            if ident[i] != "_":
                out.append(ident[i])
                i += 1
                continue
            width = _HEX.get(ident[i + 1], 2)
            start = i + 1 + (ident[i + 1] in _HEX)
            out.append(chr(int(ident[start : start + width], 16)))
            i = start + width
        return "".join(out)
    head, _, tail = ident.partition("_")
    prefix, _, local = head.partition("-")
    text = f"{prefix}:{local}"
    if tail == "more":
        return text + "/+more"
    if tail:
        steps, _, copy = tail.partition("_")
        text += "".join("/" + step for step in steps.split("-")) + (f"#{copy}" if copy else "")
    return text


PIECES = st.sampled_from(
    ["vgc", "vg", "sh", "group", ":", "-", "--", "_", ".", "/", "#", "+more", "1", "02", "a", "B", "虚拟化", " ", "\n"]
)
TEXTS = st.lists(PIECES | st.text(max_size=4), max_size=10).map("".join)


@settings(max_examples=600)
@given(TEXTS)
def test_node_id_decodes_back(text):
    ident = node_id(text)
    assert decode(ident) == text
    assert XML_ID.fullmatch(ident), ident
    assert "--" not in ident and not ident.endswith("-")


@settings(max_examples=400)
@given(TEXTS, TEXTS)
def test_distinct_texts_get_distinct_ids(a, b):
    assert (node_id(a) == node_id(b)) == (a == b)
    assert (edge_id(a, b) == edge_id(b, a)) == (a == b)


def test_the_collisions_of_the_old_slug_are_gone():
    ids = [node_id(n) for n in ("vgc:a-b", "vgc:a_b", "vgc:a.b", "vgc:a/b", "vgc-a-b", "vgc:虚拟化", "vgc:容器")]
    assert len(set(ids)) == len(ids)
    assert node_id("vgc:arm-stage-2") != node_id("vgc:arm-stage/2")


def test_shipped_ids_are_readable_and_unchanged(kg_fast):
    from virtgraph.drawing import all_targets, draw

    for view, lang in dict.fromkeys((v, g) for v, g, _ in all_targets()):
        graph = draw(kg_fast, view, lang).graph
        for nid in graph.nodes:
            ident = node_id(nid)
            if "/" not in nid:  # concept ids keep the old readable slug (layer cells gained an "_")
                assert ident == re.sub(r"[^A-Za-z0-9]+", "-", nid).strip("-"), nid
    assert node_id("vgc:kvm") == "vgc-kvm" and node_id("vg:ContainerProduct") == "vg-ContainerProduct"
    assert set(PREFIXES).isdisjoint({"group", "view", "g", "legend", "stacks"})  # reserved id starts


def _graph(names: list[str]) -> tuple[nx.DiGraph[str], ViewSpec]:
    spec = ViewSpec(name="t", layout="graph", title={"en": "t"}, description={"en": "t"}, query="")
    graph: nx.DiGraph[str] = nx.DiGraph(view="t", lang="en", layout="graph", rankdir="TB", title="t", description="t")
    for name in names:
        graph.add_node(name, **{**NODE_DEFAULTS, "lang": "en", "label": name})
    return graph, spec


def test_lookalike_concepts_stay_separate_nodes_in_dot():
    names = ["vgc:a-b", "vgc:a_b", "vgc:a.b", "vgc:虚拟化", "vgc:容器"]
    dot = to_dot(*_graph(names))
    ids = re.findall(r'\bid="?([A-Za-z0-9_-]+)', dot)
    node_ids = [node_id(n) for n in names]
    assert all(ids.count(i) == 1 for i in node_ids), dot
