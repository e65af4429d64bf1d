"""From a view's ``networkx.DiGraph`` to Graphviz DOT text (pure: no ``dot`` is run here).

Built with the ``graphviz`` package (which quotes IDs and emits attributes sorted); every piece of text goes
through :mod:`virtgraph.quoting`. Nodes and edges are emitted in a sorted order and node ids come from IRIs,
so the same graph gives byte-identical DOT.
"""

from __future__ import annotations

import itertools
from typing import Any

from . import style
from .build import ViewSpec
from .messages import say
from .quoting import MAX_TITLE, dot_text, edge_id, group_id, html_text, node_id, shorten, slug, wrap

FONT_SMALL = 10


def to_dot(graph: Any, spec: ViewSpec) -> str:
    """The DOT source of the view ``graph`` drawn as ``spec`` says."""
    import graphviz

    g = graphviz.Digraph(name=slug(spec.name))
    g.attr("graph", **_graph_attrs(graph, spec))
    gs = style.graph_style()
    g.attr("node", fontname=gs["fontname"], fontsize=str(gs["fontsize"]), fontcolor=gs["text"])
    g.attr("edge", fontname=gs["fontname"], fontsize=str(FONT_SMALL), fontcolor=gs["muted"])
    if graph.graph["layout"] == "stack":
        _stack_body(g, graph, spec)
    else:
        _nodelink_body(g, graph, spec)
    return g.source


def _graph_attrs(graph: Any, spec: ViewSpec) -> dict[str, str]:
    gs = style.graph_style()
    width_in = gs["max_width"] / 72
    return {
        "bgcolor": gs["background"],
        "fontname": gs["fontname"],
        "fontsize": "16",
        "fontcolor": gs["text"],
        "label": _title_label(graph),
        "labelloc": "t",
        "labeljust": "c",
        "pad": "0.25",
        "nodesep": str(spec.options.get("nodesep", 0.25)),
        "ranksep": str(spec.options.get("ranksep", 0.45)),
        "rankdir": spec.rankdir,
        "size": f"{width_in:.3f},100",
        "newrank": "true",
        "tooltip": dot_text(graph.graph["title"]),
        "id": slug(f"view-{spec.name}-{graph.graph['lang']}"),
        **{k: str(v) for k, v in spec.options.get("graph", {}).items()},
    }


def _title_label(graph: Any) -> str:
    """The diagram's title, and a second line saying what was left out when the node budget was hit."""
    label = f"<B>{html_text(graph.graph['title'])}</B>"
    if graph.graph.get("omitted"):
        note = say("omitted", graph.graph["lang"], n=graph.graph["omitted"], max=graph.graph["max_nodes"])
        label += f'<BR/><FONT POINT-SIZE="11" COLOR="{style.graph_style()["muted"]}">{html_text(note)}</FONT>'
    return f"<{label}>"


# --- node-link diagrams (tree, graph) -------------------------------------------------------------------------


def _node_key(item: tuple[str, dict]) -> tuple:
    nid, a = item
    return (a["group_order"], a["group"], a["order"], a["label"], nid)


def _classes(attrs: dict) -> list[str]:
    return [c for c in attrs.get("classes", "").split("|") if c]


def _category_index(graph: Any) -> dict[str, int]:
    # ordered by value, not label, so a category keeps its colour in every language
    cats = sorted({(a["category_order"], a["category"]) for _, a in graph.nodes(data=True) if a["category"]})
    return {cat: i for i, (_, cat) in enumerate(cats)}


def _node_label(attrs: dict, spec: ViewSpec) -> str:
    lines = wrap(shorten(attrs["label"], MAX_TITLE), spec.label_wrap)
    title = "<BR/>".join(html_text(line) for line in lines) or "&#160;"
    rows = [f"<TR><TD><B>{title}</B></TD></TR>"]
    if attrs["details"]:
        lines = []
        for detail in attrs["details"].split("\n"):
            lines += wrap(detail, spec.detail_wrap, spec.detail_lines)
        body = "<BR/>".join(html_text(line) for line in lines) or "&#160;"
        muted = style.graph_style()["muted"]
        rows.append(f'<TR><TD><FONT POINT-SIZE="{FONT_SMALL}" COLOR="{muted}">{body}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _tooltip(attrs: dict) -> str:
    text = attrs["label"]
    if attrs.get("definition"):
        text += " — " + attrs["definition"]
    return dot_text(text)


def _node_attrs(nid: str, attrs: dict, spec: ViewSpec, categories: dict[str, int]) -> dict[str, str]:
    if attrs["category"]:
        fill, border = _category_colors(spec, attrs["category"], categories)
    else:
        fill, border = style.node_colors(_classes(attrs))
    out = {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": fill,
        "color": border,
        "penwidth": "1.2",
        "margin": "0.12,0.06",
        "label": _node_label(attrs, spec),
        "tooltip": _tooltip(attrs),
        "id": node_id(nid),
    }
    if attrs["disputed"]:
        disputed = style.edge_style("default", disputed=True)
        out.update(style="rounded,filled,dashed", color=disputed["color"], penwidth=disputed["penwidth"])
    if attrs.get("is_more"):
        out.update(style="rounded,dashed", fillcolor="#ffffff", color=style.graph_style()["muted"])
    return out


def _nodelink_body(g: Any, graph: Any, spec: ViewSpec) -> None:
    categories = _category_index(graph)
    groups: dict[str, list[tuple[str, dict]]] = {}
    for nid, attrs in sorted(graph.nodes(data=True), key=_node_key):
        groups.setdefault(attrs["group"], []).append((nid, attrs))
    for group, members in groups.items():
        members = [(nid, attrs) for nid, attrs in members if not attrs.get("is_group")]
        groups[group] = members
        if not members:
            continue
        if not group:
            for nid, attrs in members:
                g.node(node_id(nid), **_node_attrs(nid, attrs, spec, categories))
            continue
        first = members[0][1]
        fill, border = style.node_colors(_classes({"classes": first.get("group_classes", "")}))
        with g.subgraph(name=f"cluster_{node_id(group)}") as c:
            c.attr(
                label=f"<<B>{html_text(first['group_label'])}</B>>",
                style="rounded,filled",
                fillcolor=fill,
                color=border,
                fontsize="12",
                id=group_id(group),
                tooltip=dot_text(first["group_label"]),
            )
            for nid, attrs in members:
                c.node(node_id(nid), **_node_attrs(nid, attrs, spec, categories))
            _grid(c, [nid for nid, _ in members], int(spec.options.get("grid_columns", 0)))
    rank = {nid: i for i, (nid, _) in enumerate(sorted(graph.nodes(data=True), key=_node_key))}
    anchors = {group: members[0][0] for group, members in groups.items() if group and members}
    for source, target, attrs in sorted(graph.edges(data=True), key=lambda e: (rank[e[0]], rank[e[1]])):
        source_group = graph.nodes[source].get("is_group")
        target_group = graph.nodes[target].get("is_group")
        if source_group and graph.nodes[target]["group"] == source:
            continue  # membership is already shown by the cluster
        edge = style.edge_style(attrs["relation_key"], attrs["disputed"])
        label = say("disputed", graph.graph["lang"]) if attrs["disputed"] else ""
        if spec.edge_labels and attrs.get("relation_label"):
            label = attrs["relation_label"] + (f" ({label})" if label else "")
        src, dst = graph.nodes[source]["label"], graph.nodes[target]["label"]
        extra = {"label": f"<{html_text(label)}>"} if label else {}
        tail, head = node_id(source), node_id(target)
        if target_group and target in anchors:  # the target is drawn as a cluster: point at the cluster itself
            extra["lhead"], head = f"cluster_{node_id(target)}", node_id(anchors[target])
        if source_group and source in anchors:
            extra["ltail"], tail = f"cluster_{node_id(source)}", node_id(anchors[source])
        if source_group or target_group:
            g.attr("graph", compound="true")
        g.edge(
            tail,
            head,
            id=edge_id(source, target),
            tooltip=dot_text(_edge_title(src, dst, attrs.get("relation_label", ""))),
            **edge,
            **extra,
        )
    _legend(g, graph, spec, categories)


def _grid(g: Any, members: list[str], columns: int) -> None:
    """Spread a cluster's members over at most ``columns`` ranks, in order, with invisible edges.

    Rank after rank takes the next ceil(n / columns) members: with ``rankdir=LR`` that makes columns side by
    side, with ``TB`` rows one under the other.
    """
    if columns < 2 or len(members) <= columns:
        if columns >= 2:
            for a, b in itertools.pairwise(members):
                g.edge(node_id(a), node_id(b), style="invis")
        return
    rows = -(-len(members) // columns)
    for i in range(len(members) - rows):
        g.edge(node_id(members[i]), node_id(members[i + rows]), style="invis")


def _edge_title(source: str, target: str, relation: str) -> str:
    return f"{source} → {target}" + (f" ({relation})" if relation else "")


def _category_colors(spec: ViewSpec, category: str, categories: dict[str, int]) -> tuple[str, str]:
    """Colours of a category: the view's own choice (``[category_labels.<value>] fill/border``) or the palette's."""
    own = spec.category_labels.get(category, {})
    fill, border = style.category_colors(categories[category])
    return own.get("fill", fill), own.get("border", border)


def _legend(g: Any, graph: Any, spec: ViewSpec, categories: dict[str, int]) -> None:
    """A legend for what colours and line styles mean in this diagram (only what appears in it)."""
    lang = graph.graph["lang"]
    rows: list[str] = []
    seen: set[str] = set()
    for _, attrs in sorted(graph.nodes(data=True), key=_node_key):
        if attrs.get("is_group") or attrs.get("is_more"):
            continue
        if attrs["category"]:
            key = "cat:" + attrs["category"]
            fill, border = _category_colors(spec, attrs["category"], categories)
            text = attrs["category_label"]
        else:
            cls = style.class_key(_classes(attrs))
            key = "cls:" + str(cls)
            fill, border = style.node_colors(_classes(attrs))
            text = attrs["kind_label"]
        if key in seen or not text:
            continue
        seen.add(key)
        rows.append(_legend_row(f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="18"> </TD>', text))
    # one legend line per distinct line style, naming every relation drawn that way
    strokes: dict[tuple[str, str], list[str]] = {}
    for _, _, attrs in sorted(graph.edges(data=True), key=lambda e: e[2].get("relation_label", "")):
        key = "disputed" if attrs["disputed"] else attrs["relation_key"]
        edge = style.edge_style(key, attrs["disputed"])
        text = say("disputed", lang) if attrs["disputed"] else attrs.get("relation_label", "")
        names = strokes.setdefault((edge["color"], edge["style"]), [])
        if text and text not in names:
            names.append(text)
    if any(a["disputed"] for _, a in graph.nodes(data=True)):
        disputed = style.edge_style("default", disputed=True)
        names = strokes.setdefault((disputed["color"], disputed["style"]), [])
        if say("disputed", lang) not in names:
            names.append(say("disputed", lang))
    for (color, line), names in sorted(strokes.items(), key=lambda kv: kv[1]):
        if not names:
            continue
        stroke = {"solid": "━━", "dashed": "╍╍", "dotted": "┄┄"}.get(line, "━━")
        rows.append(_legend_row(f'<TD><FONT COLOR="{color}">{stroke}</FONT></TD>', " / ".join(names)))
    if len(rows) < 2:
        return
    header = f'<TR><TD COLSPAN="2"><B>{html_text(say("legend", lang))}</B></TD></TR>'
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{header}{"".join(rows)}</TABLE>>'
    g.node(
        "legend",
        label=label,
        shape="box",
        style="rounded",
        color="#cbd5e1",
        fontsize=str(FONT_SMALL),
        id="legend",
        tooltip=dot_text(say("legend", lang)),
    )


def _legend_row(swatch: str, text: str) -> str:
    return f'<TR>{swatch}<TD ALIGN="LEFT">{html_text(text)}</TD></TR>'


# --- stack diagrams ---------------------------------------------------------------------------------------------


def _stack_body(g: Any, graph: Any, spec: ViewSpec) -> None:
    """All stacks in one HTML-like table grid, rows counted from the bottom, so hardware layers line up.

    Each stack takes ``spec.replicas`` columns: a repeated layer (VMs, containers) fills them with copies side
    by side, any other layer spans them. Captions (stack label, example products) sit under each stack.
    """
    lang = graph.graph["lang"]
    stacks = sorted(
        ((nid, a) for nid, a in graph.nodes(data=True) if a.get("role") == "stack"),
        key=lambda item: (item[1]["order"], item[0]),
    )
    component_index: dict[str, int] = {}
    for _, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("role") == "layer":
            component_index.setdefault(attrs["component"], len(component_index))
    layers = {
        sid: {
            a["position"]: (lid, a)
            for lid, a in _layers(graph, lambda a, sid=sid: a["stack"] == sid and not a["parent"])
        }
        for sid, _ in stacks
    }
    height = max((max(by_pos) for by_pos in layers.values() if by_pos), default=0)
    replicas = max(1, spec.replicas)
    align_tops = spec.options.get("align") == "both"
    gap = '<TD WIDTH="18"> </TD>'
    rows = []
    for row in range(height, 0, -1):
        cells = []  # one string of TDs per stack, so the gap column falls between stacks only
        for sid, _ in stacks:
            position, span = _grid_position(row, height, max(layers[sid], default=0), align_tops)
            layer = layers[sid].get(position) if position else None
            if position is None:  # covered by a layer spanning from the row above
                cells.append("")
            elif layer is None:
                cells.append(f'<TD COLSPAN="{replicas}"> </TD>')
            elif layer[1]["repeated"]:
                cells.append("".join(_replicas(graph, layer[0], layer[1], spec, component_index, replicas)))
            else:
                cells.append(_cell(layer[0], layer[1], spec, component_index, replicas, span))
        rows.append("<TR>" + gap.join(cells) + "</TR>")
    captions = [_caption(sid, attrs, spec, lang, replicas) for sid, attrs in stacks]
    rows.append("<TR>" + gap.join(captions) + "</TR>")
    table = '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0">' + "".join(rows) + "</TABLE>>"
    g.node("stacks", label=table, shape="plain", id="stacks", tooltip=dot_text(graph.graph["title"]))


def _grid_position(row: int, height: int, count: int, align_tops: bool) -> tuple[int | None, int]:
    """Which layer of a stack of ``count`` layers sits in grid ``row`` (1 = bottom), and its row span.

    Bottom-aligned (default): layer ``row``, blank rows above a shorter stack. With ``align_tops`` the top
    layers line up too and the layer under the top one stretches over the missing rows; ``None`` means the
    row is covered by that stretched layer.

    >>> [_grid_position(r, 4, 3, True) for r in (4, 3, 2, 1)]
    [(3, 1), (2, 2), (None, 1), (1, 1)]
    >>> [_grid_position(r, 4, 3, False) for r in (4, 3, 2, 1)]
    [(4, 1), (3, 1), (2, 1), (1, 1)]
    """
    extra = height - count
    if not align_tops or extra <= 0 or count < 2:
        return row, 1
    if row == height:
        return count, 1
    if row == height - 1:
        return count - 1, extra + 1
    if row >= count - 1:
        return None, 1
    return row, 1


def _caption(sid: str, attrs: dict, spec: ViewSpec, lang: str, replicas: int) -> str:
    caption = f"<B>{html_text(attrs['label'])}</B>"
    if attrs["examples"]:
        disputed = set(attrs["examples_disputed"].split("|"))
        names = [
            name + (say("disputed_note", lang) if name in disputed else "") for name in attrs["examples"].split("|")
        ]
        text = say("examples", lang) + say("list_sep", lang).join(names)
        lines = "<BR/>".join(html_text(line) for line in wrap(text, spec.detail_wrap))
        caption += f'<BR/><FONT POINT-SIZE="{FONT_SMALL}" COLOR="{style.graph_style()["muted"]}">{lines}</FONT>'
    tooltip, cell_id = _attr(_tooltip(attrs)), node_id(sid)
    return f'<TD COLSPAN="{replicas}" VALIGN="TOP" CELLPADDING="6" TOOLTIP="{tooltip}" ID="{cell_id}">{caption}</TD>'


def _attr(text: str) -> str:
    """An attribute value inside an HTML-like label (TOOLTIP): DOT-escaped text (see ``dot_text``), HTML-escaped."""
    return html_text(text)


def _layers(graph: Any, parent_filter) -> list[tuple[str, dict]]:
    return sorted(
        ((nid, a) for nid, a in graph.nodes(data=True) if a.get("role") == "layer" and parent_filter(a)),
        key=lambda item: item[1]["position"],
        reverse=True,
    )


def _cell(
    lid: str, attrs: dict, spec: ViewSpec, component_index: dict[str, int], colspan: int = 1, rowspan: int = 1
) -> str:
    fill = style.component_fill(attrs["component"], component_index[attrs["component"]])
    border = style.graph_style()["muted"]
    columns = _cell_wrap(spec, attrs["lang"]) * colspan
    text = "<BR/>".join(html_text(line) for line in wrap(attrs["label"], columns))
    span = (f' COLSPAN="{colspan}"' if colspan > 1 else "") + (f' ROWSPAN="{rowspan}"' if rowspan > 1 else "")
    return (
        f'<TD{span} BGCOLOR="{fill}" COLOR="{border}" BORDER="1" CELLPADDING="7" '
        f'ID="{node_id(lid)}" TOOLTIP="{_attr(_tooltip(attrs))}">{text}</TD>'
    )


def _cell_wrap(spec: ViewSpec, lang: str) -> int:
    """Columns a layer label may take: the spec's ``cell_wrap``, one number or one per language."""
    value = spec.options.get("cell_wrap", 12)
    return int(value.get(lang, 12)) if isinstance(value, dict) else int(value)


def _replicas(
    graph: Any, lid: str, attrs: dict, spec: ViewSpec, component_index: dict[str, int], replicas: int
) -> list[str]:
    """``replicas`` copies of a repeated layer side by side; each copy boxes the layers inside it."""
    inner = _layers(graph, lambda a: a["parent"] == lid)
    if not inner:
        return [_cell(f"{lid}#{i + 1}", attrs, spec, component_index) for i in range(replicas)]
    fill = style.component_fill(attrs["component"], component_index[attrs["component"]])
    border = style.graph_style()["muted"]
    cells = []
    for i in range(replicas):
        parts = "".join(f"<TR>{_cell(f'{iid}#{i + 1}', ia, spec, component_index)}</TR>" for iid, ia in inner)
        name = "<BR/>".join(html_text(line) for line in wrap(attrs["label"], _cell_wrap(spec, attrs["lang"])))
        caption = (
            f'<TR><TD CELLPADDING="3" ID="{node_id(f"{lid}#{i + 1}")}" TOOLTIP="{_attr(_tooltip(attrs))}">'
            f"<I>{name}</I></TD></TR>"
        )
        cells.append(
            f'<TD><TABLE BORDER="1" STYLE="ROUNDED" COLOR="{border}" BGCOLOR="{fill}" CELLBORDER="0" '
            f'CELLSPACING="4" CELLPADDING="0">{parts}{caption}</TABLE></TD>'
        )
    return cells
