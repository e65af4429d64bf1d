"""Exports straight from a view's ``networkx.DiGraph``: node-link JSON, GraphML and a Mermaid flowchart.

JSON and GraphML come from networkx's own writers; Mermaid is a small emitter for GitHub, which renders
```` ```mermaid ```` blocks natively. All three are deterministic: nodes and edges sorted, no timestamps.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .namespaces import compact
from .quoting import clean, node_id


def _sorted_copy(graph: Any) -> Any:
    import networkx as nx

    copy = nx.DiGraph()
    copy.graph.update(sorted(graph.graph.items()))
    for nid in sorted(graph.nodes):
        copy.add_node(nid, **dict(sorted(graph.nodes[nid].items())))
    for source, target in sorted(graph.edges):
        copy.add_edge(source, target, **dict(sorted(graph.edges[source, target].items())))
    return copy


def node_link_json(graph: Any) -> str:
    """networkx node-link JSON (``nodes``/``edges`` lists, graph attributes under ``graph``)."""
    import networkx as nx

    data = nx.node_link_data(_sorted_copy(graph), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def graphml(graph: Any) -> str:
    """GraphML from networkx's writer (every attribute is a string, number or boolean).

    XML 1.0 cannot hold control characters, so text is cleaned (see :func:`virtgraph.quoting.clean`); a node id
    that held one is written as its :func:`~virtgraph.quoting.node_id` (which starts with ``_``, as no other
    id does).
    """
    import networkx as nx

    copy = _sorted_copy(graph)
    ids = {nid: nid if clean(nid) == nid else node_id(nid) for nid in copy.nodes}
    safe = nx.relabel_nodes(copy, ids) if any(k != v for k, v in ids.items()) else copy
    _clean_strings(safe)
    return "\n".join(nx.generate_graphml(safe, prettyprint=True)) + "\n"


def _clean_strings(graph: Any) -> None:
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


def mermaid(graph: Any) -> str:
    """A Mermaid flowchart of the view: clusters as subgraphs, stacks as bottom-up layer chains."""
    from . import style
    from .messages import say

    lang = graph.graph["lang"]
    stack = graph.graph["layout"] == "stack"
    direction = "BT" if stack else ("LR" if graph.graph.get("rankdir", "TB") == "LR" else "TB")
    lines = [f"---\ntitle: {_yaml_string(graph.graph['title'])}\n---", f"flowchart {direction}"]
    classes: dict[str, tuple[str, str]] = {}

    def node_line(nid: str, attrs: dict, indent: str = "  ") -> str:
        label = attrs.get("label", nid)
        if attrs.get("examples"):
            label += " — " + ", ".join(attrs["examples"].split("|"))
        if attrs.get("role") == "layer":
            fill = style.component_fill(attrs["component"], 0)
            cls = "layer-" + node_id(attrs["component"])
            classes[cls] = (fill, style.graph_style()["muted"])
        else:
            fill, border = style.node_colors([c for c in attrs.get("classes", "").split("|") if c])
            cls = "kind-" + (node_id(compact(attrs["kind"])) if attrs.get("kind") else "concept")
            classes[cls] = (fill, border)
        return f'{indent}{node_id(nid)}["{_mermaid_text(label)}"]:::{cls}'

    groups: dict[str, list[str]] = {}
    group_labels: dict[str, str] = {}
    for nid in sorted(graph.nodes):
        attrs = graph.nodes[nid]
        group = attrs.get("stack", "") if stack and attrs.get("role") == "layer" else attrs.get("group", "")
        if stack and attrs.get("role") == "stack":
            continue
        groups.setdefault(group, []).append(nid)
        if group:
            group_labels[group] = (
                graph.nodes[group]["label"] if stack and group in graph else attrs.get("group_label", group)
            )
    for group in sorted(groups):
        if group:
            lines.append(f'  subgraph g-{node_id(group)}["{_mermaid_text(group_labels[group])}"]')
            lines += [node_line(nid, graph.nodes[nid], "    ") for nid in groups[group]]
            lines.append("  end")
        else:
            lines += [node_line(nid, graph.nodes[nid]) for nid in groups[group]]
    disputed_word = say("disputed", lang)
    for source, target in sorted(graph.edges):
        attrs = graph.edges[source, target]
        if stack:
            if attrs["relation_key"] == "hasLayer":
                continue
            # draw bottom-up: the lower layer points at the one on top of it
            source, target = target, source
        text = attrs.get("relation_label", "")
        if attrs.get("disputed"):
            text = f"{text} ({disputed_word})" if text else disputed_word
        arrow = "-.->" if attrs.get("disputed") or attrs.get("relation_key") == "equivalentTo" else "-->"
        label = f'|"{_mermaid_text(text)}"|' if text else ""
        lines.append(f"  {node_id(source)} {arrow}{label} {node_id(target)}")
    for cls, (fill, border) in sorted(classes.items()):
        lines.append(f"  classDef {cls} fill:{fill},stroke:{border},color:#1a202c")
    return "\n".join(lines) + "\n"
