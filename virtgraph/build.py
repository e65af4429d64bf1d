"""Views: a SPARQL query plus a small spec, turned into a ``networkx.DiGraph``.

A view lives in ``virtgraph/views/<name>.toml`` (title, description, layout kind, options) next to
``<name>.rq`` (the query). The query's rows are the only source of what a view draws; this module adds
labels, definitions and classes from the label index, in the diagram's language.

Layout kinds and the columns their queries return:

``tree`` and ``graph`` (node-link diagrams), one row per fact, every column optional except ``node``:
    ``node`` a node (IRI); ``order`` its sort key; ``group`` the cluster it sits in (IRI) and ``groupOrder``
    (alone: where a node outside clusters goes);
    ``category`` what colours it (IRI or literal) and ``categoryOrder``; ``detailKey``/``detail`` a line shown
    under its label (``detailOrder`` sorts the lines); ``relation``/``target`` an edge node → target;
    ``disputed`` marks that edge (or, without a target, the node) as disputed by the sources. A node that is
    also a ``group`` is drawn as that cluster (edges to it end at the cluster).

``stack`` (layer diagrams), one row per layer:
    ``stack`` the era or architecture (IRI) and ``stackOrder``; ``position`` (1 = bottom), ``component``,
    ``repeated``; ``innerPosition``/``innerComponent`` a layer inside a repeated one; ``example`` a product
    that uses the stack, ``exampleDisputed`` when that is disputed.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from typing import Any

import networkx as nx
from rdflib import URIRef

from .errors import UsageError
from .graph import KnowledgeGraph
from .labels import check_language
from .messages import say
from .model import Edge, Flat, Layer, Node, Stack, ViewInfo
from .namespaces import compact, local_name
from .store import Term
from .viewspec import ViewSpec

__all__ = ["NODE_DEFAULTS", "apply_budget", "build_view"]

#: One row of a view query: variable name → term (unbound variables left out).
Row = dict[str, Term]


def build_view(
    kg: KnowledgeGraph,
    spec: ViewSpec,
    lang: str,
    concept_iri: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
) -> nx.DiGraph[str]:
    """The ``networkx.DiGraph`` of view ``spec`` in ``lang`` (one query, plus the shared label index).

    ``concept_iri`` and ``depth`` give the neighbourhood a view of one concept draws; ``max_nodes`` the node
    budget of a node-link view (default: the view's ``max_nodes``).
    """
    check_language(lang)
    if spec.needs_concept and not concept_iri:
        raise UsageError(f"view {spec.name!r} needs --concept")
    rows = _rows(kg, spec, lang, concept_iri, depth)
    names = {"concept": kg.labels.label(concept_iri, lang)} if concept_iri else {}
    info = ViewInfo(
        view=spec.name,
        lang=lang,
        layout=spec.layout,
        rankdir=spec.rankdir,
        title=spec.title[lang].format(**names),
        description=spec.description[lang].format(**names),
    )
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.graph.update(info.attrs())
    if spec.layout == "stack":
        _build_stack(graph, kg, rows, lang)
    else:
        _build_nodelink(graph, kg, spec, rows, lang)
        apply_budget(graph, max_nodes or spec.max_nodes, lang)
    return graph


def apply_budget(graph: nx.DiGraph[str], limit: int, lang: str) -> None:
    """Keep a node-link view within ``limit`` nodes by folding leaves into "+N more" nodes.

    Leaves (nodes without outgoing edges) are bucketed by parent and cluster; the biggest buckets
    give up nodes first, and each cut bucket gets one "+N more" node that names what it stands for. The graph
    records how many nodes were left out (``omitted``) so the picture can say so.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> for i in range(10):
    ...     g.add_edge("root", f"leaf{i}", relation_key="r", relation_label="r", relation="r", disputed=False)
    >>> for n in g: g.nodes[n].update(NODE_DEFAULTS, label=n)
    >>> apply_budget(g, 5, "en")
    >>> sorted(g.successors("root")), g.graph["omitted"]
    (['leaf0', 'leaf1', 'leaf2', 'root/+more'], 7)
    """
    graph.graph.setdefault("omitted", 0)
    graph.graph["max_nodes"] = limit
    if graph.number_of_nodes() <= limit:
        return
    buckets: dict[tuple[str, str], list[str]] = {}
    for nid, attrs in graph.nodes(data=True):
        if attrs.get("is_group") or graph.out_degree(nid):
            continue
        parent = min(graph.predecessors(nid), default="")  # a leaf with several parents folds under the first
        buckets.setdefault((parent, attrs["group"]), []).append(nid)
    keep = _leaves_to_keep(buckets, graph.number_of_nodes(), limit)
    omitted = 0
    for key, members in sorted(buckets.items()):
        if keep[key] >= len(members):
            continue
        members.sort(key=lambda n: (graph.nodes[n]["order"], graph.nodes[n]["label"], n))
        dropped = members[keep[key] :]
        _fold(graph, key, dropped, lang)
        omitted += len(dropped)
    graph.graph["omitted"] = omitted


def _leaves_to_keep(buckets: dict[tuple[str, str], list[str]], nodes: int, limit: int) -> dict[tuple[str, str], int]:
    """How many leaves each bucket keeps so that ``nodes`` fit in ``limit`` (a cut bucket adds one "+N more").

    The biggest buckets give up leaves first: here 2 fixed nodes + 1 leaf + "+3 more" + 2 leaves = 6.

    >>> _leaves_to_keep({("a", ""): ["1", "2", "3", "4"], ("b", ""): ["5", "6"]}, 8, 6)
    {('a', ''): 1, ('b', ''): 2}
    """
    fixed = nodes - sum(len(v) for v in buckets.values())
    keep = {key: len(members) for key, members in buckets.items()}
    heap = [(-n, key) for key, n in keep.items()]
    heapq.heapify(heap)
    total = fixed + sum(keep.values())  # nothing is folded yet
    while total > limit and heap:
        _, key = heapq.heappop(heap)
        if keep[key] <= 1:
            continue
        if keep[key] < len(buckets[key]):
            total -= 1  # already folded: one node fewer
        keep[key] -= 1  # first fold of a bucket: its "+N more" node takes the place of the removed one
        heapq.heappush(heap, (-keep[key], key))
    return keep


def _fold(graph: nx.DiGraph[str], key: tuple[str, str], dropped: list[str], lang: str) -> None:
    """Replace the leaves ``dropped`` of bucket ``key`` (parent, cluster) by one "+N more" node naming them."""
    parent, group = key
    first = Node.of(graph.nodes[dropped[0]])
    more = f"{parent or group or 'view'}/+more"
    names = [graph.nodes[n]["label"] for n in dropped]
    sep = say("list_sep", lang)
    folded = Node(
        lang=lang,
        label=say("more", lang, n=len(dropped)),
        definition=sep.join(names[:30]) + (sep + "…" if len(names) > 30 else ""),
        order=float("inf"),
        group=group,
        group_label=first.group_label,
        group_order=first.group_order,
        group_classes=first.group_classes,
        is_more=True,
    )
    graph.add_node(more, **folded.attrs())
    if parent:
        graph.add_edge(parent, more, **replace(Edge.of(graph.edges[parent, dropped[0]]), disputed=False).attrs())
    graph.remove_nodes_from(dropped)


def _rows(kg: KnowledgeGraph, spec: ViewSpec, lang: str, concept_iri: str | None, depth: int) -> list[Row]:
    """The view query's rows; for a neighbourhood (``concept_iri``), one query per level up to ``depth``."""
    if concept_iri is None:
        return kg.query_with(spec.query, {"lang": lang, **spec.bindings}).records()
    seen, frontier, rows = {concept_iri}, [concept_iri], []
    for _ in range(max(1, depth)):
        frontier_iris = " ".join(sorted(frontier))
        params = {"lang": lang, "concept_iri": concept_iri, "concept_iris": frontier_iris, **spec.bindings}
        level = kg.query_with(spec.query, params)
        records = level.records()
        rows += records
        reached = {str(row[k]) for row in records for k in ("node", "target") if k in row}
        frontier = sorted(reached - seen)
        seen |= reached
        if not frontier:
            break
    return rows


def _text(kg: KnowledgeGraph, term: Term | None, lang: str) -> str:
    """A cell as text: an IRI's label in ``lang``, a literal's own text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return kg.labels.label(str(term), lang)
    return str(term)


def _num(term: Term | None, default: float = 0) -> float:
    try:
        return float(str(term)) if term is not None else default
    except ValueError:
        return default


def _truthy(term: Term | None) -> bool:
    return term is not None and str(term).lower() in {"true", "1"}


#: Every attribute a node of a node-link view carries, with its value when nothing sets it.
NODE_DEFAULTS: dict[str, Flat] = Node().attrs()


def _concept(kg: KnowledgeGraph, iri: str, lang: str) -> dict[str, Any]:
    """What every node says about the concept ``iri``: label, definition, kind and classes, in ``lang``."""
    labels = kg.labels
    kind = labels.kind(iri)
    return {
        "iri": iri,
        "lang": lang,
        "label": labels.label(iri, lang),
        "definition": labels.definition(iri, lang),
        "kind": kind or "",
        "kind_label": labels.label(kind, lang) if kind else "",
        "classes": tuple(labels.ancestors(kind)) if kind else (),
    }


def _update(graph: nx.DiGraph[str], nid: str, **changes: Any) -> None:
    """Change fields of node ``nid`` through its dataclass (so the attributes stay what :mod:`model` says)."""
    graph.nodes[nid].update(replace(Node.of(graph.nodes[nid]), **changes).attrs())


def _build_nodelink(graph: nx.DiGraph[str], kg: KnowledgeGraph, spec: ViewSpec, rows: list[Row], lang: str) -> None:
    """Nodes, clusters, categories, detail lines and edges from the rows, independent of row order.

    When rows disagree about a node (two groups, two orders), the smallest value wins, so every store and
    endpoint gives the same graph.
    """
    orders: dict[str, list[float]] = {}
    groups: dict[str, list[tuple[float, str]]] = {}
    categories: dict[str, list[tuple[float, str]]] = {}
    details: dict[str, set[tuple[float, str, str]]] = {}

    def ensure(iri: str) -> str:
        nid = compact(iri)
        if nid not in graph:
            graph.add_node(nid, **Node(**_concept(kg, iri, lang)).attrs())
        return nid

    for row in rows:
        nid = ensure(str(row["node"]))
        if "order" in row:
            orders.setdefault(nid, []).append(_num(row["order"]))
        if "group" in row:
            groups.setdefault(nid, []).append((_num(row.get("groupOrder")), str(row["group"])))
        elif "groupOrder" in row:  # a node outside every cluster, placed among them
            _update(graph, nid, group_order=_num(row["groupOrder"]))
        if "category" in row:
            categories.setdefault(nid, []).append((_num(row.get("categoryOrder")), str(row["category"])))
        if "detail" in row:
            key = kg.labels.label(str(row["detailKey"]), lang) if "detailKey" in row else ""
            details.setdefault(nid, set()).add((_num(row.get("detailOrder")), key, _text(kg, row["detail"], lang)))
        if "target" in row:
            tid = ensure(str(row["target"]))
            relation = str(row.get("relation", ""))
            disputed = _truthy(row.get("disputed"))
            edge = _edge(kg, relation, lang, disputed)
            if graph.has_edge(nid, tid):
                old = Edge.of(graph.edges[nid, tid])
                better = relation and (not old.relation or relation < old.relation)
                edge = replace(edge if better else old, disputed=old.disputed or disputed)
            graph.add_edge(nid, tid, **edge.attrs())
        elif _truthy(row.get("disputed")):
            _update(graph, nid, disputed=True)
    _settle(graph, kg, spec, lang, orders, groups, categories, details)


def _settle(
    graph: nx.DiGraph[str],
    kg: KnowledgeGraph,
    spec: ViewSpec,
    lang: str,
    orders: dict[str, list[float]],
    groups: dict[str, list[tuple[float, str]]],
    categories: dict[str, list[tuple[float, str]]],
    details: dict[str, set[tuple[float, str, str]]],
) -> None:
    """Give each node the smallest order, group and category its rows name, its detail lines and clusters."""
    for nid, values in orders.items():
        _update(graph, nid, order=min(values))
    for nid, (order, group) in ((nid, min(values)) for nid, values in groups.items()):
        group_kind = kg.labels.kind(group)
        _update(
            graph,
            nid,
            group=compact(group),
            group_label=kg.labels.label(group, lang),
            group_order=order,
            group_classes=tuple(kg.labels.ancestors(group_kind)) if group_kind else (),
        )
    merge = bool(spec.options.get("merge_group_nodes"))
    for nid in {attrs["group"] for _, attrs in graph.nodes(data=True)} & set(graph.nodes):
        # a node that is also a cluster is drawn as that cluster, unless it links to its members itself (and the
        # view does not say its links to members are what the cluster shows: ``merge_group_nodes``)
        if merge or not any(graph.nodes[m]["group"] == nid for m in graph.successors(nid)):
            _update(graph, nid, is_group=True)
    for nid, (order, value) in ((nid, min(values)) for nid, values in categories.items()):
        label = spec.category_labels.get(value, {}).get(lang)
        if label is None:
            label = kg.labels.label(value, lang) if value.startswith("http") else value
        _update(graph, nid, category=value, category_label=label, category_order=order)
    for nid, items in details.items():
        _update(graph, nid, details=_join_details([(key, value) for _, key, value in sorted(items)], lang))


def _edge(kg: KnowledgeGraph, relation: str, lang: str, disputed: bool) -> Edge:
    """The edge of ``relation`` (an IRI, or "" when the row names none), labelled in ``lang``."""
    return Edge(
        relation=relation,
        relation_key=local_name(relation) if relation else "",
        disputed=disputed,
        relation_label=kg.labels.label(relation, lang) if relation else "",
    )


def _join_details(items: list[tuple[str, str]], lang: str) -> tuple[str, ...]:
    """Detail lines: values of the same key on one line (``key: a, b``), keys in first-seen order."""
    by_key: dict[str, list[str]] = {}
    for key, value in items:
        by_key.setdefault(key, [])
        if value not in by_key[key]:
            by_key[key].append(value)
    sep = say("list_sep", lang)
    colon = "：" if lang == "zh" else ": "
    return tuple((f"{k}{colon}" if k else "") + sep.join(vs) for k, vs in by_key.items())  # in detailOrder, then value


def _build_stack(graph: nx.DiGraph[str], kg: KnowledgeGraph, rows: list[Row], lang: str) -> None:
    labels = kg.labels
    for row in rows:
        stack = str(row["stack"])
        sid = compact(stack)
        if sid not in graph:
            graph.add_node(sid, **Stack(**_concept(kg, stack, lang), order=_num(row.get("stackOrder"))).attrs())
        if "example" in row:
            node = Node.of(graph.nodes[sid])
            assert isinstance(node, Stack)
            name = labels.label(str(row["example"]), lang)
            disputed = {name} if _truthy(row.get("exampleDisputed")) else set()
            _update(
                graph,
                sid,
                examples=tuple(sorted({*node.examples, name})),
                examples_disputed=tuple(sorted({*node.examples_disputed, *disputed})),
            )
        if "position" not in row:
            continue
        lid = _add_layer(graph, kg, lang, sid, int(_num(row["position"])), str(row["component"]), "")
        if _truthy(row.get("repeated")):
            _update(graph, lid, repeated=True)
        if "innerComponent" in row:
            _add_layer(graph, kg, lang, sid, int(_num(row["innerPosition"])), str(row["innerComponent"]), lid)
    # each top-level layer sits on the one below it
    for lid, attrs in list(graph.nodes.items()):
        if attrs.get("role") == "layer" and not attrs["parent"]:
            below = f"{attrs['stack']}/{attrs['position'] - 1}"
            if below in graph:
                graph.add_edge(lid, below, **Edge(relation="on", relation_key="on").attrs())


def _add_layer(
    graph: nx.DiGraph[str], kg: KnowledgeGraph, lang: str, sid: str, position: int, component: str, parent: str
) -> str:
    """Add (once) the layer at ``position`` of stack ``sid``, or inside layer ``parent``; return its id."""
    lid = f"{parent or sid}/{position}"
    if lid not in graph:
        layer = Layer(**_concept(kg, component, lang), stack=sid, position=position, component=compact(component))
        graph.add_node(lid, **replace(layer, parent=parent).attrs())
        if parent:
            graph.add_edge(lid, parent, **Edge(relation="inside", relation_key="inside").attrs())
        else:
            graph.add_edge(sid, lid, **Edge(relation="hasLayer", relation_key="hasLayer").attrs())
    return lid
