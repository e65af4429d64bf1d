"""The view contract: what a node, an edge and a whole view of ``build.py``'s ``networkx.DiGraph`` carry.

Defined once, here, as frozen dataclasses with tuples for lists. The DiGraph itself keeps networkx's own form,
flat attribute dicts of strings, numbers and booleans (lists joined with ``|``, detail lines with a newline):
that is what the JSON and GraphML exports write and what networkx tools read. :meth:`Node.attrs` and friends
produce that form, :meth:`Node.of` and friends read it back, checked, so the code that draws (``dot.py``,
``export.py``, ``finish.py``) works on typed values and never splits strings itself.

>>> node = Node(label="KVM", classes=("vg:HypervisorProduct", "vg:Product"), details=("vendor: Red Hat",))
>>> node.attrs()["classes"], Node.of(node.attrs()) == node
('vg:HypervisorProduct|vg:Product', True)
>>> Layer(label="Hardware", stack="vgc:era-traditional", position=1).attrs()["role"]
'layer'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

import networkx as nx

from .errors import VirtgraphError
from .messages import say

#: An attribute value as networkx and the exports hold it.
Flat = str | int | float | bool


def _flat(value: object) -> Flat:
    """A field's value in the flat form: tuples joined (detail lines by newline, other lists by ``|``)."""
    if isinstance(value, tuple):
        return "|".join(value)
    assert isinstance(value, str | int | float | bool)
    return value


def _read(cls: type, attrs: Mapping[str, Any], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The field values of dataclass ``cls`` from flat ``attrs`` (a missing key is a bug in the builder)."""
    values = {}
    for f in fields(cls):
        if f.name in skip:
            continue
        if f.name not in attrs:
            if f.default is None:
                continue
            raise VirtgraphError(f"view graph: {cls.__name__} attribute {f.name!r} is missing")
        value = attrs[f.name]
        if f.type == "tuple[str, ...]":
            sep = "\n" if f.name == "details" else "|"
            value = tuple(value.split(sep)) if value else ()
        values[f.name] = value
    return values


def _attrs(obj: object) -> dict[str, Flat]:
    """The flat attributes of dataclass ``obj``; fields that are None (not applicable) are left out."""
    out: dict[str, Flat] = {}
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if value is None:
            continue
        out[f.name] = "\n".join(value) if f.name == "details" else _flat(value)
    role = getattr(obj, "role", None)
    if role:
        out["role"] = role
    return out


@dataclass(frozen=True, slots=True)
class Node:
    """A node of a node-link view (``tree``, ``graph``): a concept, or a "+N more" node.

    ``classes`` are the kind's classes, most specific first; ``group`` the cluster the node sits in (a compact
    IRI) with its label, order and classes; ``category`` what colours it; ``details`` the lines under its label.
    """

    role: ClassVar[str] = ""

    iri: str = ""
    lang: str = ""
    label: str = ""
    definition: str = ""
    kind: str = ""
    kind_label: str = ""
    classes: tuple[str, ...] = ()
    order: float = 0.0
    group: str = ""
    group_label: str = ""
    group_order: float = 0.0
    group_classes: tuple[str, ...] = ()
    category: str = ""
    category_label: str = ""
    category_order: float = 0.0
    details: tuple[str, ...] = ()
    disputed: bool = False
    is_group: bool = False
    is_more: bool = False

    @property
    def title(self) -> str:
        """What hovering the node shows: its label, and its definition after a dash.

        >>> Node(label="KVM", definition="a hypervisor in Linux").title
        'KVM — a hypervisor in Linux'
        """
        return self.label + (" — " + self.definition if self.definition else "")

    def attrs(self) -> dict[str, Flat]:
        """The node as networkx attributes (see the module docstring)."""
        return _attrs(self)

    @classmethod
    def of(cls, attrs: Mapping[str, Any]) -> Node:
        """The node whose networkx attributes are ``attrs``: a :class:`Stack`, a :class:`Layer` or a plain node."""
        kind: type[Node] = {"stack": Stack, "layer": Layer}.get(attrs.get("role", ""), Node)
        return kind(**_read(kind, attrs))


@dataclass(frozen=True, slots=True)
class Stack(Node):
    """The foot of one layer stack (an era, a hypervisor type) with the products that use it."""

    role: ClassVar[str] = "stack"

    examples: tuple[str, ...] = ()
    examples_disputed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Layer(Node):
    """A layer of stack ``stack`` at ``position`` (1 = bottom), or inside the repeated layer ``parent``."""

    role: ClassVar[str] = "layer"

    stack: str = ""
    position: int = 0
    component: str = ""
    repeated: bool = False
    parent: str = ""


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge: its relation (IRI, or a structural word in stacks), the key styles use, and whether disputed.

    ``relation_label`` names the relation in the view's language; stacks' structural edges have none (None).
    """

    relation: str = ""
    relation_key: str = ""
    disputed: bool = False
    relation_label: str | None = None

    def attrs(self) -> dict[str, Flat]:
        return _attrs(self)

    @classmethod
    def of(cls, attrs: Mapping[str, Any]) -> Self:
        return cls(**_read(cls, attrs))


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """What the whole view graph carries: which view, language, layout and text, and what was left out.

    ``omitted``/``max_nodes`` are set on node-link views by the node budget (None on stacks).
    """

    view: str
    lang: str
    layout: str
    rankdir: str
    title: str
    description: str
    omitted: int | None = None
    max_nodes: int | None = None

    @property
    def omitted_note(self) -> str:
        """What the picture says when the node budget left nodes out ("" when it did not).

        >>> ViewInfo("t", "en", "tree", "LR", "T", "D", omitted=7, max_nodes=5).omitted_note
        '7 nodes not drawn (limit 5)'
        """
        return say("omitted", self.lang, n=self.omitted, max=self.max_nodes) if self.omitted else ""

    def attrs(self) -> dict[str, Flat]:
        return _attrs(self)

    @classmethod
    def of(cls, attrs: Mapping[str, Any]) -> Self:
        return cls(**_read(cls, attrs))


def edge_title(source: Node, target: Node, edge: Edge) -> str:
    """What hovering an edge shows: ``source → target (relation)``.

    >>> edge_title(Node(label="EPT"), Node(label="VT-x"), Edge(relation_label="requires"))
    'EPT → VT-x (requires)'
    """
    relation = edge.relation_label or ""
    return f"{source.label} → {target.label}" + (f" ({relation})" if relation else "")


@dataclass(frozen=True)
class ViewGraph:
    """A view's DiGraph read once into typed values: its info, nodes and edges (in the graph's own order)."""

    info: ViewInfo
    nodes: dict[str, Node]
    edges: dict[tuple[str, str], Edge]

    @classmethod
    def of(cls, graph: nx.DiGraph[str]) -> ViewGraph:
        return cls(
            ViewInfo.of(graph.graph),
            {nid: Node.of(attrs) for nid, attrs in graph.nodes(data=True)},
            {(u, v): Edge.of(attrs) for u, v, attrs in graph.edges(data=True)},
        )
