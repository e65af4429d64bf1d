"""Exports straight from a view's ``networkx.DiGraph``: node-link JSON, GraphML and a Mermaid flowchart.

JSON and GraphML come from networkx's own writers; Mermaid is a small emitter for GitHub, which renders
```` ```mermaid ```` blocks natively. All three are deterministic: nodes and edges sorted, no timestamps.
"""

from __future__ import annotations

import json
import re

import networkx as nx

from . import style
from .messages import say
from .model import Layer, Node, Stack, ViewGraph
from .namespaces import compact
from .quoting import clean, node_id


def _sorted_copy(graph: nx.DiGraph[str]) -> nx.DiGraph[str]:
    copy: nx.DiGraph[str] = nx.DiGraph()
    copy.graph.update(sorted(graph.graph.items()))
    for nid in sorted(graph.nodes):
        copy.add_node(nid, **dict(sorted(graph.nodes[nid].items())))
    for source, target in sorted(graph.edges):
        copy.add_edge(source, target, **dict(sorted(graph.edges[source, target].items())))
    return copy


def node_link_json(graph: nx.DiGraph[str]) -> str:
    """networkx node-link JSON (``nodes``/``edges`` lists, graph attributes under ``graph``)."""
    data = nx.node_link_data(_sorted_copy(graph), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def graphml(graph: nx.DiGraph[str]) -> str:
    """GraphML from networkx's writer (every attribute is a string, number or boolean).

    XML 1.0 cannot hold control characters, so text is cleaned (see :func:`virtgraph.quoting.clean`); a node id
    that held one is written as its :func:`~virtgraph.quoting.node_id` (which starts with ``_``, as no other
    id does).
    """
    copy = _sorted_copy(graph)
    ids = {nid: nid if clean(nid) == nid else node_id(nid) for nid in copy.nodes}
    safe = nx.relabel_nodes(copy, ids) if any(k != v for k, v in ids.items()) else copy
    _clean_strings(safe)
    return "\n".join(nx.generate_graphml(safe, prettyprint=True)) + "\n"


def _clean_strings(graph: nx.DiGraph[str]) -> None:
    """Clean every string attribute of ``graph`` (graph, nodes, edges) in place."""
    for attrs in (graph.graph, *(a for _, a in graph.nodes(data=True)), *(a for _, _, a in graph.edges(data=True))):
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = clean(value)


#: Characters written as Mermaid entity codes inside quoted labels: quotes, markup, entity and comment starts,
#: statement separators and the backtick of Markdown strings.
_MERMAID_ENTITIES = {
    "&": "#amp;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "#": "#35;",
    "|": "#124;",
    "%": "#37;",
    ";": "#59;",
    "`": "#96;",
}


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: one line, quotes and markup characters as entity codes.

    >>> _mermaid_text('a "b" | c; 100% `d` #1')
    'a #quot;b#quot; #124; c#59; 100#37; #96;d#96; #35;1'
    """
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in _one_line(text))


def _yaml_string(text: str) -> str:
    """``text`` as a one-line YAML double-quoted string (Mermaid's front matter, e.g. a title with a colon).

    >>> print(_yaml_string('KVM: "type 1" \\\\ 2'))
    "KVM: \\"type 1\\" \\\\ 2"
    """
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(text: str) -> str:
    """``text`` cleaned, with every line or paragraph break and tab as a space.

    >>> _one_line("a\\r\\nb\\u2028c\\x85d\\te")
    'a b c d e'
    """
    return re.sub(r"[\n\t\x85\u2028\u2029]", " ", clean(text))


def mermaid(graph: nx.DiGraph[str]) -> str:
    """A Mermaid flowchart of the view: clusters as subgraphs, stacks as bottom-up layer chains."""
    view = ViewGraph.of(graph)
    stack = view.info.layout == "stack"
    direction = "BT" if stack else ("LR" if view.info.rankdir == "LR" else "TB")
    lines = [f"---\ntitle: {_yaml_string(view.info.title)}\n---", f"flowchart {direction}"]
    classes: dict[str, tuple[str, str]] = {}
    groups: dict[str, list[str]] = {}
    group_labels: dict[str, str] = {}
    for nid in sorted(view.nodes):
        node = view.nodes[nid]
        if isinstance(node, Stack):
            continue
        group = node.stack if isinstance(node, Layer) else node.group
        groups.setdefault(group, []).append(nid)
        if group:
            group_labels[group] = view.nodes[group].label if stack and group in view.nodes else node.group_label
    for group in sorted(groups):
        indent = "    " if group else "  "
        if group:
            lines.append(f'  subgraph g-{node_id(group)}["{_mermaid_text(group_labels[group])}"]')
        lines += [_mermaid_node(nid, view.nodes[nid], classes, indent) for nid in groups[group]]
        if group:
            lines.append("  end")
    lines += [_mermaid_edge(source, target, view, stack) for source, target in sorted(view.edges)]
    lines = [line for line in lines if line]
    for cls, (fill, border) in sorted(classes.items()):
        lines.append(f"  classDef {cls} fill:{fill},stroke:{border},color:#1a202c")
    return "\n".join(lines) + "\n"


def _mermaid_node(nid: str, node: Node, classes: dict[str, tuple[str, str]], indent: str) -> str:
    """One node line; its colour class is added to ``classes``."""
    label = node.label
    if isinstance(node, Layer):
        cls = "layer-" + node_id(node.component)
        classes[cls] = (style.component_fill(node.component), style.graph_style()["muted"])
    else:
        cls = "kind-" + (node_id(compact(node.kind)) if node.kind else "concept")
        classes[cls] = style.node_colors(list(node.classes))
    return f'{indent}{node_id(nid)}["{_mermaid_text(label)}"]:::{cls}'


def _mermaid_edge(source: str, target: str, view: ViewGraph, stack: bool) -> str:
    """One edge line ("" for a stack's foot-to-layer edge); stacks are drawn bottom-up."""
    edge = view.edges[source, target]
    if stack:
        if edge.relation_key == "hasLayer":
            return ""
        source, target = target, source  # the lower layer points at the one on top of it
    text = edge.relation_label or ""
    if edge.disputed:
        disputed = say("disputed", view.info.lang)
        text = f"{text} ({disputed})" if text else disputed
    arrow = "-.->" if edge.disputed or edge.relation_key == "equivalentTo" else "-->"
    label = f'|"{_mermaid_text(text)}"|' if text else ""
    return f"  {node_id(source)} {arrow}{label} {node_id(target)}"
