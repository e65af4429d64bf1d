"""The palette of every diagram (``virtgraph/style.toml``): colours by class, stack component and relation.

>>> node_colors(["https://w3id.org/virtgraph/ontology#HypervisorProduct",
...              "https://w3id.org/virtgraph/ontology#Product"])
('#cbe1d2', '#117733')
>>> edge_style("requires", disputed=False)["style"], edge_style("requires", disputed=True)["color"]
('solid', '#dc2626')
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .namespaces import local_name


@cache
def palette() -> dict[str, Any]:
    """The parsed ``style.toml``."""
    return tomllib.loads(resources.files("virtgraph").joinpath("style.toml").read_text(encoding="utf-8"))


def class_key(classes: list[str]) -> str | None:
    """The first of ``classes`` (most specific first) that the palette styles, as a local name."""
    styled = palette()["classes"]
    for cls in classes:
        if local_name(cls) in styled:
            return local_name(cls)
    return None


def node_colors(classes: list[str]) -> tuple[str, str]:
    """``(fill, border)`` for a node whose classes are ``classes`` (most specific first)."""
    key = class_key(classes)
    entry = palette()["classes"].get(key or "Concept")
    return entry["fill"], entry["border"]


def component_fill(component_id: str) -> str:
    """Fill of a stack layer made of ``component_id`` (``vgc:hardware``); an unlisted one is a neutral grey."""
    fills = palette()["components"]
    fill: str = fills.get(component_id.split(":", 1)[-1], palette()["graph"]["unlisted_component"])
    return fill


def edge_style(relation_key: str, disputed: bool = False) -> dict[str, str]:
    """DOT attributes (color, style, arrowhead, penwidth) of an edge of relation ``relation_key``."""
    edges = palette()["edges"]
    style = dict(edges["default"])
    style.update(edges.get(relation_key, {}))
    if disputed:
        style.update(edges["disputed"])
    return {k: str(v) for k, v in style.items()}


def type_scale() -> dict[str, int]:
    """Font sizes in points, the same in every view: ``title``, ``label`` (nodes, clusters, layers), ``detail``."""
    return {key: int(value) for key, value in palette()["type"].items()}


def graph_style() -> dict[str, Any]:
    graph: dict[str, Any] = palette()["graph"]
    return graph
