"""A finished SVG made ready to inline in an HTML page: every concept a link, ids and styles kept to itself.

Embedded as ``<img>``, an SVG shows no tooltips and follows no links; inlined, it does both. Three things
change on the way in (:func:`inline_svg`):

* each node (and stack layer) that stands for a concept with a page becomes a link to that page: Graphviz's
  ``<a>`` around the node gets an ``href`` (a stack layer gets a new ``<a>``), an accessible name (the texts
  it shows, its label first) and stays keyboard-focusable; its ``<title>`` (label — definition) is the tooltip;
  the SVG's ``role="img"`` becomes ``group`` (an image's parts are hidden from readers, its links with them);
* every ``id`` gets the diagram's own prefix, so several diagrams on one page never share an id (and
  ``aria-labelledby`` follows);
* the dark-mode ``<style>`` of :func:`virtgraph.finish.dark_mode_style` is scoped to this SVG: inline, its rules
  would otherwise recolour the whole page.

The diagram keeps its drawn size as a maximum and shrinks with a narrower column (``width: 100%``).

>>> svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="72pt" '
...        b'height="36pt" viewBox="0 0 72 36" aria-labelledby="t"><title id="t">T</title>'
...        b'<g id="vgc-kvm" class="node"><title>KVM</title><g id="a_vgc-kvm"><a xlink:title="KVM">'
...        b'<text>KVM</text></a></g></g></svg>')
>>> print(inline_svg(svg, {"vgc-kvm": Target("kvm.html", "KVM")}, "d1"))  # doctest: +NORMALIZE_WHITESPACE
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100%"
 viewBox="0 0 72 36" aria-labelledby="d1-t" style="max-width: 96px; height: auto" id="d1"
 class="virtgraph-diagram"><title id="d1-t">T</title><g id="d1-vgc-kvm" class="node"><title>KVM</title><g
 id="d1-a_vgc-kvm"><a xlink:title="KVM" href="kvm.html" xlink:href="kvm.html" aria-label="KVM"
 class="concept-link"><text>KVM</text></a></g></g></svg>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from .finish import SVG_NS, VG_NS, XLINK_NS
from .model import ViewGraph
from .quoting import clean, node_id

_Q = f"{{{SVG_NS}}}"
_XLINK_HREF = f"{{{XLINK_NS}}}href"
_POINTS_TO_PX = 96 / 72
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(pt|px)?\s*$")
_ID_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_COPY = re.compile(r"([A-Za-z][^_]*_[^_]+)_[0-9]+")  # node_id(f"{layer}#{n}") of a readable layer id


@dataclass(frozen=True)
class Target:
    """Where one drawn element links to: the page's URL and the link's accessible name (the concept's label)."""

    href: str
    name: str


def link_targets(graph: nx.DiGraph[str], href: Callable[[str], str | None]) -> dict[str, Target]:
    """SVG element id → :class:`Target` for every node of ``graph`` whose concept ``href`` gives a page.

    A stack layer links to its component's concept; "+N more" nodes and nodes without an IRI link nowhere.
    """
    out: dict[str, Target] = {}
    for nid, node in ViewGraph.of(graph).nodes.items():
        iri = node.iri  # a layer's is its component's (``component`` holds the compact form)
        url = href(iri) if iri else None
        if url:
            out[node_id(nid)] = Target(url, clean(node.label) or clean(node.title))
    return out


def inline_svg(svg: bytes | ET.Element, targets: Mapping[str, Target], scope: str) -> str:
    """The finished ``svg`` (bytes, or the tree of :func:`virtgraph.finish.finished_tree`, which is changed in
    place) as markup for an HTML page (no XML declaration): ``targets`` linked, ids prefixed with ``scope`` (a
    valid id: letters, digits, ``-`` and ``_``), styles scoped to it."""
    if not _ID_SAFE.match(scope):
        raise ValueError(f"not a usable id prefix: {scope!r}")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    ET.register_namespace("vg", VG_NS)
    root = svg if isinstance(svg, ET.Element) else ET.fromstring(svg)
    linked = False
    for group in list(root.iter(f"{_Q}g")):
        target = _target_of(group, targets)
        if target is not None:
            _link(group, target)
            linked = True
    if linked and root.get("role") == "img":
        root.set("role", "group")  # an image's parts are presentational: its links would be unreachable
    _prefix_ids(root, scope)
    _size_for_column(root)
    root.set("id", scope)
    root.set("class", "virtgraph-diagram")
    for style in root.iter(f"{_Q}style"):
        style.text = scope_css(style.text or "", f"#{scope}")
    return ET.tostring(root, encoding="unicode")


def _target_of(group: ET.Element, targets: Mapping[str, Target]) -> Target | None:
    """Where the SVG group ``group`` links to: a node by its id; a stack layer (a table cell that
    :func:`virtgraph.finish.finished_tree` made a group without a class) by its id, or, for one of a repeated
    layer's copies, by its id without the copy's ``_<n>`` (:func:`virtgraph.dot._replicas`)."""
    gid, kind = group.get("id", ""), group.get("class")
    if kind == "node":
        return targets.get(gid)
    if kind is not None or not gid:
        return None
    copy = _COPY.fullmatch(gid)  # a readable layer id has one "_" before its steps; a copy adds "_<n>"
    return targets.get(gid) or (targets.get(copy.group(1)) if copy else None)


def _link(group: ET.Element, target: Target) -> None:
    """Make the node ``group`` a link: Graphviz's own ``<a>`` (from its tooltip) if it has one, else a new one
    around everything but the ``<title>``."""
    anchor = group.find(f"{_Q}g/{_Q}a") if group.get("class") == "node" else None
    if anchor is None:
        anchor = ET.Element(f"{_Q}a")
        for child in [c for c in group if c.tag != f"{_Q}title"]:
            group.remove(child)
            anchor.append(child)
        group.append(anchor)
    anchor.set("href", target.href)
    anchor.set(_XLINK_HREF, target.href)  # SVG 1.1 readers
    # the name a reader hears holds what the node shows (label, then other names or notes), as WCAG's "label in
    # name" asks; the label alone when the node shows no text
    shown = " ".join(t for t in (" ".join("".join(e.itertext()).split()) for e in group.iter(f"{_Q}text")) if t)
    anchor.set("aria-label", shown or target.name)
    anchor.set("class", "concept-link")


def _prefix_ids(root: ET.Element, scope: str) -> None:
    for element in root.iter():
        if "id" in element.attrib:
            element.set("id", f"{scope}-{element.get('id')}")
        if "aria-labelledby" in element.attrib:
            element.set("aria-labelledby", " ".join(f"{scope}-{i}" for i in element.get("aria-labelledby", "").split()))


def _size_for_column(root: ET.Element) -> None:
    """At most its drawn width (in CSS px), and as narrow as the column: ``width="100%"`` with the viewBox
    keeping the proportions."""
    match = _LENGTH.match(root.get("width", ""))
    root.attrib.pop("height", None)
    root.set("width", "100%")
    if match:
        px = float(match.group(1)) * (_POINTS_TO_PX if match.group(2) in (None, "pt") else 1)
        root.set("style", f"max-width: {px:.0f}px; height: auto")


def scope_css(css: str, scope: str) -> str:
    """Every selector of ``css`` (rules, and rules inside ``@media``) limited to the element ``scope``.

    >>> scope_css('@media (prefers-color-scheme: dark){[fill="#fff"]{fill:#000}text,a{x:y}}', "#d1")
    '@media (prefers-color-scheme: dark){#d1 [fill="#fff"]{fill:#000}#d1 text,#d1 a{x:y}}'
    """
    out: list[str] = []
    for piece in re.split(r"(\{[^{}]*\})", css):
        if piece.startswith("{") or not piece.strip():
            out.append(piece)
            continue
        closing = piece[: len(piece) - len(piece.lstrip("} \n"))]  # the end of an @media block
        head, brace, selectors = piece[len(closing) :].rpartition("{")  # "@media (...){" + a rule's selectors
        scoped = ",".join(f"{scope} {s.strip()}" for s in selectors.split(",") if s.strip())
        out.append(f"{closing}{head}{brace}{scoped}")
    return "".join(out)
