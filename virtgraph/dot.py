"""From a view's ``networkx.DiGraph`` to Graphviz DOT text (pure: no ``dot`` is run here).

Built with the ``graphviz`` package (which quotes IDs and emits attributes sorted); every piece of text goes
through :mod:`virtgraph.quoting`. Nodes and edges are emitted in a sorted order and node ids come from IRIs,
so the same graph gives byte-identical DOT.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import graphviz
import networkx as nx

from . import style
from .messages import say
from .metrics import box_width
from .model import Edge, Layer, Node, Stack, ViewGraph, edge_title
from .quoting import MAX_HTML_TEXT, MAX_TITLE, dot_text, edge_id, group_id, html_text, node_id, shorten, slug
from .viewspec import ViewSpec
from .words import wrap

#: Graphviz writes a table cell's ID and TOOLTIP into the SVG only for a cell with a link; this placeholder link
#: makes it do so, and :func:`virtgraph.finish.finish_svg` turns each such cell into a group with its own title.
CELL_HREF = "#virtgraph-cell"
SUBTITLE_WRAP = 80
TYPE = style.type_scale()
FONT_TITLE, FONT_LABEL, FONT_SMALL = TYPE["title"], TYPE["label"], TYPE["detail"]


def to_dot(graph: nx.DiGraph[str], spec: ViewSpec) -> str:
    """The DOT source of the view ``graph`` drawn as ``spec`` says."""
    view = ViewGraph.of(graph)
    g = graphviz.Digraph(name=slug(spec.name))
    g.attr("graph", **_graph_attrs(view, spec))
    gs = style.graph_style()
    g.attr("node", fontname=gs["fontname"], fontsize=str(FONT_LABEL), fontcolor=gs["text"])
    g.attr("edge", fontname=gs["fontname"], fontsize=str(FONT_SMALL), fontcolor=gs["muted"])
    if view.info.layout == "stack":
        _stack_body(g, view, spec)
    else:
        _nodelink_body(g, view, spec)
    source: str = g.source
    return source


def _graph_attrs(view: ViewGraph, spec: ViewSpec) -> dict[str, str]:
    gs = style.graph_style()
    return {
        "bgcolor": gs["background"],
        "fontname": gs["fontname"],
        "fontsize": str(FONT_TITLE),
        "fontcolor": gs["text"],
        "label": _title_label(view, spec),
        "labelloc": "t",
        "labeljust": "c",
        "pad": "0.25",
        "nodesep": str(spec.options.get("nodesep", 0.25)),
        "ranksep": str(spec.options.get("ranksep", 0.45)),
        "rankdir": spec.rankdir,
        "newrank": "true",
        "tooltip": dot_text(view.info.title),
        "id": slug(f"view-{spec.name}-{view.info.lang}"),
        **{k: str(v) for k, v in spec.options.get("graph", {}).items()},
    }


def _title_label(view: ViewGraph, spec: ViewSpec) -> str:
    """The diagram's title, and a second line saying what was left out when the node budget was hit."""
    rows = [_text_row([view.info.title], FONT_TITLE, bold=True)]
    if subtitle := spec.subtitle.get(view.info.lang):  # what a reader must know to read the diagram right
        rows.append(_text_row(wrap(subtitle, SUBTITLE_WRAP), FONT_SMALL, color=style.graph_style()["muted"]))
    if note := view.info.omitted_note:
        rows.append(_text_row(wrap(note, 60), FONT_SMALL, color=style.graph_style()["muted"]))
    return "<" + _table(rows) + ">"


def _table(rows: list[str], spacing: int = 0, padding: int = 0) -> str:
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{spacing}" CELLPADDING="{padding}">{"".join(rows)}</TABLE>'


def _text_row(lines: list[str], size: int, bold: bool = False, color: str = "", padding: int = 0) -> str:
    """A table row of centred ``lines`` with room for the widest fallback font (see :mod:`virtgraph.metrics`)."""
    return f"<TR>{_text_cell(lines, size, bold, color, padding)}</TR>"


def _text_cell(
    lines: list[str],
    size: int,
    bold: bool = False,
    color: str = "",
    padding: int = 0,
    attrs: str = "",
    italic: bool = False,
) -> str:
    """A table cell of ``lines`` at least as wide as the widest fallback font sets them, plus slack each side."""
    text = "<BR/>".join(html_text(line) for line in lines) or "&#160;"
    if bold:
        text = f"<B>{text}</B>"
    if italic:
        text = f"<I>{text}</I>"
    font = f' POINT-SIZE="{size}"' + (f' COLOR="{color}"' if color else "")
    cell_width = box_width(lines, size, bold, padding)
    return f'<TD WIDTH="{cell_width}"{attrs}><FONT{font}>{text}</FONT></TD>'


# --- node-link diagrams (tree, graph) -------------------------------------------------------------------------


def _node_key(item: tuple[str, Node]) -> tuple[float, str, float, str, str]:
    """Nodes are drawn cluster by cluster, in order, then by label (and id, so ties never depend on luck)."""
    nid, node = item
    return (node.group_order, node.group, node.order, node.label, nid)


def _node_label(node: Node, spec: ViewSpec) -> str:
    rows = [_text_row(wrap(shorten(node.label, MAX_TITLE), spec.label_wrap), FONT_LABEL, bold=True, padding=1)]
    # a category (vendor, licence...) is said in words, first under the label: colour stays the class's alone
    details = ([node.category_label] if node.category_label else []) + list(node.details)
    if details:
        # each detail in full; only text no reader could want (over MAX_HTML_TEXT characters) is cut
        lines = [line for detail in details for line in wrap(shorten(detail, MAX_HTML_TEXT), spec.detail_wrap)]
        rows.append(_text_row(lines, FONT_SMALL, color=style.graph_style()["muted"], padding=1))
    return "<" + _table(rows, padding=1) + ">"


def _node_attrs(nid: str, node: Node, spec: ViewSpec) -> dict[str, str]:
    fill, border = style.node_colors(list(node.classes))
    out = {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": fill,
        "color": border,
        "penwidth": "1.2",
        "margin": "0.12,0.06",
        "label": _node_label(node, spec),
        "tooltip": dot_text(node.title),
        "id": node_id(nid),
    }
    if node.disputed:
        disputed = style.edge_style("default", disputed=True)
        out.update(style="rounded,filled,dashed", color=disputed["color"], penwidth=disputed["penwidth"])
    if node.is_more:
        out.update(style="rounded,dashed", fillcolor="#ffffff", color=style.graph_style()["muted"])
    return out


def _nodelink_body(g: graphviz.Digraph, view: ViewGraph, spec: ViewSpec) -> None:
    """Nodes cluster by cluster (a node that is a cluster is drawn as the cluster), then edges and the legend."""
    groups: dict[str, list[tuple[str, Node]]] = {}
    for nid, node in sorted(view.nodes.items(), key=_node_key):
        groups.setdefault(node.group, []).append((nid, node))
    for group, members in groups.items():
        members = [(nid, node) for nid, node in members if not node.is_group]
        groups[group] = members
        if not members:
            continue
        if not group:
            for nid, node in members:
                g.node(node_id(nid), **_node_attrs(nid, node, spec))
            continue
        first = members[0][1]
        fill, border = style.node_colors(list(first.group_classes))
        with g.subgraph(name=f"cluster_{node_id(group)}") as c:
            c.attr(
                label="<"
                + _table(
                    [_text_row(wrap(first.group_label, max(spec.label_wrap, 24)), FONT_LABEL, bold=True, padding=4)]
                )
                + ">",
                style="rounded,filled",
                fillcolor=fill,
                color=border,
                fontsize=str(FONT_LABEL),
                id=group_id(group),
                tooltip=dot_text(first.group_label),
            )
            for nid, node in members:
                c.node(node_id(nid), **_node_attrs(nid, node, spec))
            _grid(c, [nid for nid, _ in members], int(spec.options.get("grid_columns", 0)))
            if spec.options.get("keep_order") and len(members) > 1:
                _in_order(c, [node_id(nid) for nid, _ in members])
    if timeline_columns := int(spec.options.get("timeline_columns", 0)):
        _timeline(g, view, timeline_columns)
    shelf_columns = int(spec.options.get("shelf_columns", 0))
    if shelf_columns:
        blocks: list[list[str]] = []  # each cluster's members, and each node outside clusters alone, in order
        for group, run in itertools.groupby(sorted(view.nodes.items(), key=_node_key), key=lambda i: i[1].group):
            ids = [node_id(nid) for nid, node in run if not node.is_group]
            blocks += [ids] if group else [[nid] for nid in ids]
        _shelves(
            g, [block for block in blocks if block] + ([["legend"]] if _has_legend(view, spec) else []), shelf_columns
        )
    rank = {nid: i for i, (nid, _) in enumerate(sorted(view.nodes.items(), key=_node_key))}
    anchors = {group: members[0][0] for group, members in groups.items() if group and members}
    for (source, target), edge in sorted(view.edges.items(), key=lambda e: (rank[e[0][0]], rank[e[0][1]])):
        _edge(g, view, spec, source, target, edge, anchors)
    _legend(g, view)
    if spec.options.get("legend_beside_hub") and view.edges and _has_legend(view, spec):
        degree: dict[str, int] = {}
        for source, target in view.edges:
            degree[source] = degree.get(source, 0) + 1
            degree[target] = degree.get(target, 0) + 1
        hub = min(degree, key=lambda nid: (-degree[nid], nid))
        _in_order(g, ["legend", node_id(hub)])  # the legend above the most connected node, not in a column of its own


def _edge(
    g: graphviz.Digraph, view: ViewGraph, spec: ViewSpec, source: str, target: str, edge: Edge, anchors: dict[str, str]
) -> None:
    """One edge; an edge to or from a node drawn as a cluster points at the cluster (``anchors``: its first member)."""
    source_node, target_node = view.nodes[source], view.nodes[target]
    if source_node.is_group and target_node.group == source:
        return  # membership is already shown by the cluster
    line = style.edge_style(edge.relation_key, edge.disputed)
    label = say("disputed", view.info.lang) if edge.disputed else ""
    if spec.edge_labels and edge.relation_label:
        label = edge.relation_label + (f" ({label})" if label else "")
    extra = {"label": f"<{html_text(label)}>"} if label else {}
    tail, head = node_id(source), node_id(target)
    if target_node.is_group and target in anchors:  # the target is drawn as a cluster: point at the cluster itself
        extra["lhead"], head = f"cluster_{node_id(target)}", node_id(anchors[target])
    if source_node.is_group and source in anchors:
        extra["ltail"], tail = f"cluster_{node_id(source)}", node_id(anchors[source])
    if source_node.is_group or target_node.is_group:
        g.attr("graph", compound="true")
    if spec.options.get("shelf_columns") or spec.options.get("timeline_columns"):
        extra["constraint"] = "false"  # the grid places the nodes; edges only connect them
    if _laid_out_backwards(spec, edge, target):
        # the target is placed before the source (left of it with rankdir=LR); the arrow still points at it
        tail, head = head, tail
        extra = {**extra, "dir": "back"}
        if "lhead" in extra or "ltail" in extra:
            extra["lhead"], extra["ltail"] = extra.pop("ltail", ""), extra.pop("lhead", "")
            extra = {k: v for k, v in extra.items() if v}
    title = edge_title(source_node, target_node, edge)
    g.edge(tail, head, id=edge_id(source, target), tooltip=dot_text(title), **line, **extra)


def _laid_out_backwards(spec: ViewSpec, edge: Edge, target: str) -> bool:
    """Whether the view places this edge's target before its source (options ``reverse_relations``/``reverse_into``).

    A taxonomy uses it to put one classification left of the examples and the other right of them, so their
    edges never cross.
    """
    return edge.relation_key in spec.options.get("reverse_relations", ()) or target in spec.options.get(
        "reverse_into", ()
    )


def _grid(g: graphviz.Digraph, members: list[str], columns: int) -> None:
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


def _timeline(g: graphviz.Digraph, view: ViewGraph, columns: int) -> None:
    """A vertical time axis (``rankdir=TB``): each node's ``order`` is its year; a year's nodes sit beside its
    mark on the axis, at most ``columns`` to a row, further rows under it (the axis runs on past them)."""
    years: dict[int, list[str]] = {}
    for nid, node in sorted(view.nodes.items(), key=_node_key):
        if not node.is_group and not node.is_more:
            years.setdefault(int(node.order), []).append(node_id(nid))
    muted = style.graph_style()["muted"]
    axis: list[str] = []
    for year, names in sorted(years.items()):
        for i in range(0, len(names), columns):
            mark = f"timeline {year}" + (f" {i}" if i else "")  # a space: no node_id() ever contains one
            if i:
                g.node(mark, label="", shape="point", width="0.01", color=muted)
            else:
                label = "<" + _table([_text_row([str(year)], FONT_LABEL, bold=True, color=muted)]) + ">"
                g.node(mark, label=label, shape="plain", id=f"year-{year}")
            axis.append(mark)
            _in_order(g, [mark, *names[i : i + columns]])
    for upper, lower in itertools.pairwise(axis):
        g.edge(upper, lower, color=muted, arrowhead="none", penwidth="1.5")


def shelf_rows(groups: list[list[str]], columns: int) -> list[list[str]]:
    """Rows of at most ``columns`` nodes: each group's members row by row, in order, and a group that fits in
    one row shares the row before it when that row holds only whole groups and has room.

    >>> shelf_rows([["a"], ["b", "c"], ["d", "e", "f", "g"], ["h"]], 3)
    [['a', 'b', 'c'], ['d', 'e', 'f'], ['g'], ['h']]
    """
    rows: list[list[str]] = []
    shared = False  # whether the last row holds only whole one-row groups (so another may join it)
    for members in groups:
        if len(members) <= columns and shared and len(rows[-1]) + len(members) <= columns:
            rows[-1] += members
            continue
        chunks = [members[i : i + columns] for i in range(0, len(members), columns)]
        rows += chunks
        shared = len(chunks) == 1
    return rows


def _shelves(g: graphviz.Digraph, groups: list[list[str]], columns: int) -> None:
    """Lay the groups (of DOT node names) out as a wrapped grid (``rankdir=TB``): :func:`shelf_rows`, each row
    one rank in order, rows one under the other."""
    rows = shelf_rows(groups, columns)
    for row in rows:
        _in_order(g, row)
    for upper, lower in itertools.pairwise(rows):
        for a, b in zip(upper, lower, strict=False):
            g.edge(a, b, style="invis")


def _in_order(g: graphviz.Digraph, names: list[str]) -> None:
    """Keep the nodes ``names`` (DOT names) in one rank, in order (top to bottom with ``rankdir=LR``)."""
    with g.subgraph() as row:
        row.attr(rank="same")
        for a, b in itertools.pairwise(names):
            row.edge(a, b, style="invis")


def _has_legend(view: ViewGraph, spec: ViewSpec) -> bool:
    return len(_legend_rows(view)) >= 2


def _legend(g: graphviz.Digraph, view: ViewGraph) -> None:
    """A legend for what colours and line styles mean in this diagram (only what appears in it)."""
    lang = view.info.lang
    rows = _legend_rows(view)
    if len(rows) < 2:
        return
    legend_title = _text_cell([say("legend", lang)], FONT_SMALL, bold=True, padding=1, attrs=' COLSPAN="2"')
    header = f"<TR>{legend_title}</TR>"
    label = "<" + _table([header, *rows], spacing=3, padding=1) + ">"
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


def _legend_rows(view: ViewGraph) -> list[str]:
    """The legend's rows: a swatch per class drawn, then a line per stroke style."""
    rows: list[str] = []
    seen: set[str] = set()
    for _, node in sorted(view.nodes.items(), key=_node_key):
        if node.is_group or node.is_more:
            continue
        key = str(style.class_key(list(node.classes)))
        fill, border = style.node_colors(list(node.classes))
        text = node.kind_label
        if key in seen or not text:
            continue
        seen.add(key)
        rows.append(_legend_row(f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="18"> </TD>', text))
    rows += _stroke_rows(view)
    return rows


def _stroke_rows(view: ViewGraph) -> list[str]:
    """Legend rows for the line styles: one per distinct style, naming every relation drawn that way."""
    lang = view.info.lang
    rows: list[str] = []
    strokes: dict[tuple[str, str], list[str]] = {}
    for edge in sorted(view.edges.values(), key=lambda e: e.relation_label or ""):
        line = style.edge_style("disputed" if edge.disputed else edge.relation_key, edge.disputed)
        text = say("disputed", lang) if edge.disputed else edge.relation_label or ""
        names = strokes.setdefault((line["color"], line["style"]), [])
        if text and text not in names:
            names.append(text)
    if any(node.disputed for node in view.nodes.values()):
        disputed = style.edge_style("default", disputed=True)
        names = strokes.setdefault((disputed["color"], disputed["style"]), [])
        if say("disputed", lang) not in names:
            names.append(say("disputed", lang))
    for (color, dash), names in sorted(strokes.items(), key=lambda kv: kv[1]):
        if not names:
            continue
        stroke = {"solid": "━━", "dashed": "╍╍", "dotted": "┄┄"}.get(dash, "━━")
        rows.append(_legend_row(f'<TD><FONT COLOR="{color}">{stroke}</FONT></TD>', " / ".join(names)))
    return rows


LEGEND_WRAP = 30


def _legend_row(swatch: str, text: str) -> str:
    cell = _text_cell(wrap(text, LEGEND_WRAP), FONT_SMALL, padding=1, attrs=' ALIGN="LEFT" BALIGN="LEFT"')
    return f"<TR>{swatch}{cell}</TR>"


# --- stack diagrams ---------------------------------------------------------------------------------------------


def _stack_body(g: graphviz.Digraph, view: ViewGraph, spec: ViewSpec) -> None:
    """All stacks in one HTML-like table grid, rows counted from the bottom, so hardware layers line up.

    Each stack takes ``spec.replicas`` columns: a repeated layer (VMs, containers) fills them with copies side
    by side, any other layer spans them. Captions (stack label, example products) sit under each stack.
    """
    lang = view.info.lang
    stacks = sorted(
        ((nid, node) for nid, node in view.nodes.items() if isinstance(node, Stack)),
        key=lambda item: (item[1].order, item[0]),
    )

    def top_level(sid: str) -> Callable[[Layer], bool]:
        return lambda layer: layer.stack == sid and not layer.parent

    layers = {sid: {layer.position: (lid, layer) for lid, layer in _layers(view, top_level(sid))} for sid, _ in stacks}
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
            elif layer[1].repeated:
                cells.append("".join(_replicas(view, layer[0], layer[1], spec, replicas)))
            else:
                cells.append(_cell(layer[0], layer[1], spec, replicas, span))
        rows.append("<TR>" + gap.join(cells) + "</TR>")
    captions = [_caption(sid, node, spec, lang, replicas) for sid, node in stacks]
    rows.append("<TR>" + gap.join(captions) + "</TR>")
    table = '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0">' + "".join(rows) + "</TABLE>>"
    g.node("stacks", label=table, shape="plain", id="stacks", tooltip=dot_text(view.info.title))


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


def _caption(sid: str, stack: Stack, spec: ViewSpec, lang: str, replicas: int) -> str:
    rows = [_text_row(wrap(stack.label, spec.detail_wrap), FONT_LABEL, bold=True)]
    if stack.examples:
        disputed = set(stack.examples_disputed)
        names = [name + (say("disputed_note", lang) if name in disputed else "") for name in stack.examples]
        text = say("examples", lang) + say("list_sep", lang).join(names)
        rows.append(_text_row(wrap(text, spec.detail_wrap), FONT_SMALL, color=style.graph_style()["muted"]))
    tooltip, cell_id = _attr(dot_text(stack.title)), node_id(sid)
    attrs = f'COLSPAN="{replicas}" VALIGN="TOP" CELLPADDING="6" TOOLTIP="{tooltip}" ID="{cell_id}" HREF="{CELL_HREF}"'
    return f"<TD {attrs}>{_table(rows)}</TD>"


def _attr(text: str) -> str:
    """An attribute value inside an HTML-like label (TOOLTIP): DOT-escaped text (see ``dot_text``), HTML-escaped."""
    return html_text(text)


def _layers(view: ViewGraph, keep: Callable[[Layer], bool]) -> list[tuple[str, Layer]]:
    """The layers ``keep`` selects, top first."""
    return sorted(
        ((nid, node) for nid, node in view.nodes.items() if isinstance(node, Layer) and keep(node)),
        key=lambda item: item[1].position,
        reverse=True,
    )


def _cell(lid: str, layer: Layer, spec: ViewSpec, colspan: int = 1, rowspan: int = 1) -> str:
    fill = style.component_fill(layer.component)
    border = style.graph_style()["muted"]
    lines = wrap(layer.label, _cell_wrap(spec, layer.lang) * colspan)
    span = (f' COLSPAN="{colspan}"' if colspan > 1 else "") + (f' ROWSPAN="{rowspan}"' if rowspan > 1 else "")
    attrs = f'{span} BGCOLOR="{fill}" COLOR="{border}" BORDER="1" CELLPADDING="7" ID="{node_id(lid)}" '
    attrs += f'TOOLTIP="{_attr(dot_text(layer.title))}" HREF="{CELL_HREF}"'
    return _text_cell(lines, FONT_LABEL, padding=7, attrs=" " + attrs)


def _cell_wrap(spec: ViewSpec, lang: str) -> int:
    """Columns a layer label may take: the spec's ``cell_wrap``, one number or one per language."""
    value = spec.options.get("cell_wrap", 12)
    return int(value.get(lang, 12)) if isinstance(value, dict) else int(value)


def _replicas(view: ViewGraph, lid: str, layer: Layer, spec: ViewSpec, replicas: int) -> list[str]:
    """``replicas`` copies of a repeated layer side by side; each copy boxes the layers inside it."""
    inner = _layers(view, lambda a: a.parent == lid)
    if not inner:
        return [_cell(f"{lid}#{i + 1}", layer, spec) for i in range(replicas)]
    fill = style.component_fill(layer.component)
    border = style.graph_style()["muted"]
    cells = []
    for i in range(replicas):
        parts = "".join(f"<TR>{_cell(f'{iid}#{i + 1}', ia, spec)}</TR>" for iid, ia in inner)
        lines = wrap(layer.label, _cell_wrap(spec, layer.lang))
        attrs = f' CELLPADDING="3" ID="{node_id(f"{lid}#{i + 1}")}" TOOLTIP="{_attr(dot_text(layer.title))}"'
        attrs += f' HREF="{CELL_HREF}"'
        caption = f"<TR>{_text_cell(lines, FONT_LABEL, padding=3, attrs=attrs, italic=True)}</TR>"
        cells.append(
            f'<TD><TABLE BORDER="1" STYLE="ROUNDED" COLOR="{border}" BGCOLOR="{fill}" CELLBORDER="0" '
            f'CELLSPACING="4" CELLPADDING="0">{parts}{caption}</TABLE></TD>'
        )
    return cells
