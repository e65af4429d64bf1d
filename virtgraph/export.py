"""Exports straight from a view's ``networkx.DiGraph``: node-link JSON, GraphML and a Mermaid flowchart.

JSON and GraphML come from networkx's own writers; Mermaid is a small emitter for GitHub, which renders
```` ```mermaid ```` blocks natively. All three are deterministic: nodes and edges sorted, no timestamps.
"""

from __future__ import annotations

import json
from typing import Any

from .quoting import clean, slug


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
    """GraphML from networkx's writer (every attribute is a string, number or boolean)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(_sorted_copy(graph), prettyprint=True)) + "\n"


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup characters as entity codes."""
    replacements = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "|": "#124;"}
    return "".join(replacements.get(ch, ch) for ch in clean(text).replace("\n", " "))


def mermaid(graph: Any) -> str:
    """A Mermaid flowchart of the view: clusters as subgraphs, stacks as bottom-up layer chains."""
    from . import style
    from .messages import say

    lang = graph.graph["lang"]
    stack = graph.graph["layout"] == "stack"
    direction = "BT" if stack else ("LR" if graph.graph.get("rankdir", "TB") == "LR" else "TB")
    lines = [f"---\ntitle: {_mermaid_text(graph.graph['title'])}\n---", f"flowchart {direction}"]
    classes: dict[str, tuple[str, str]] = {}

    def node_line(nid: str, attrs: dict, indent: str = "  ") -> str:
        label = attrs.get("label", nid)
        if attrs.get("examples"):
            label += " — " + ", ".join(attrs["examples"].split("|"))
        if attrs.get("role") == "layer":
            fill = style.component_fill(attrs["component"], 0)
            cls = slug(attrs["component"])
            classes[cls] = (fill, style.graph_style()["muted"])
        else:
            fill, border = style.node_colors([c for c in attrs.get("classes", "").split("|") if c])
            cls = slug((attrs.get("kind", "") or "Concept").rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            classes[cls] = (fill, border)
        return f'{indent}{slug(nid)}["{_mermaid_text(label)}"]:::{cls}'

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
            lines.append(f'  subgraph {slug("g-" + group)}["{_mermaid_text(group_labels[group])}"]')
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
        lines.append(f"  {slug(source)} {arrow}{label} {slug(target)}")
    for cls, (fill, border) in sorted(classes.items()):
        lines.append(f"  classDef {cls} fill:{fill},stroke:{border},color:#1a202c")
    return "\n".join(lines) + "\n"
