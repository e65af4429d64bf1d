"""View specs: what each view in ``virtgraph/views`` draws and how, read from its TOML and checked on load.

A view is data (see the README): ``<name>.toml`` (title, description, layout kind, drawing options, fixed
query ``bindings``) next to its query (``<name>.rq``, or the ``query`` it names). This module imports nothing
heavy, so listing the views (``virtgraph views``) loads neither rdflib nor networkx.

>>> spec = get_view("hypervisor-type1")
>>> spec.layout, spec.bindings, spec.needs_concept
('stack', {'stack_order': '1'}, False)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from .errors import UnknownName, UsageError

LAYOUTS = ("tree", "stack", "graph")
DEFAULT_MAX_NODES = 80


@dataclass(frozen=True)
class ViewSpec:
    """What a view draws and how: read from ``views/<name>.toml``."""

    name: str
    layout: str
    title: dict[str, str]
    description: dict[str, str]
    query: str
    summary: dict[str, str] = field(default_factory=dict)
    subtitle: dict[str, str] = field(default_factory=dict)
    rankdir: str = "TB"
    replicas: int = 3
    edge_labels: bool = True
    label_wrap: int = 24
    detail_wrap: int = 34
    max_nodes: int = DEFAULT_MAX_NODES
    parameters: tuple[str, ...] = ()
    bindings: dict[str, str] = field(default_factory=dict)
    extra_formats: tuple[str, ...] = ()
    category_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_concept(self) -> bool:
        """Whether the view draws the neighbourhood of one concept (and so needs one to draw)."""
        return "concept_iri" in self.parameters


#: Drawing options a view's TOML may set beside the :class:`ViewSpec` fields (read by :mod:`virtgraph.dot`).
OPTION_KEYS = (
    "align",
    "cell_wrap",
    "graph",
    "grid_columns",
    "keep_order",
    "legend_beside_hub",
    "merge_group_nodes",
    "nodesep",
    "ranksep",
    "reverse_into",
    "reverse_relations",
    "shelf_columns",
    "timeline_columns",
)
_TUPLE_FIELDS = ("parameters", "extra_formats")


@cache
def view_specs() -> dict[str, ViewSpec]:
    """Every view shipped in ``virtgraph/views``, by name."""
    folder = resources.files("virtgraph.views")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)
    return {
        entry.name.removesuffix(".toml"): read_view(
            entry.name.removesuffix(".toml"), entry.read_text(encoding="utf-8"), folder, f"views/{entry.name}"
        )
        for entry in entries
    }


def read_view(name: str, text: str, folder: Traversable, origin: str) -> ViewSpec:
    """The view ``name`` from the TOML ``text``; its query file is read from ``folder``.

    An unknown key is one :class:`~virtgraph.errors.UsageError` naming ``origin`` and the key:

    >>> read_view("x", 'layout = "tree"' + chr(10) + 'colour = "red"', resources.files("virtgraph.views"), "x.toml")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: x.toml: unknown key 'colour'; known: align, bindings, category_labels, ...
    """
    data = tomllib.loads(text)
    fields = {f for f in ViewSpec.__dataclass_fields__ if f not in {"name", "query", "options"}}
    for key in data:
        if key not in fields and key not in OPTION_KEYS and key != "query":
            known = sorted({*fields, *OPTION_KEYS, "query"})
            raise UsageError(f"{origin}: unknown key {key!r}; known: {', '.join(known)}")
    missing = [key for key in ("layout", "title", "description") if key not in data]
    if missing:
        raise UsageError(f"{origin}: missing key {missing[0]!r}")
    layout = data["layout"]
    if layout not in LAYOUTS:
        raise UsageError(f"{origin}: unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    kwargs: dict[str, Any] = {k: tuple(v) if k in _TUPLE_FIELDS else v for k, v in data.items() if k in fields}
    return ViewSpec(
        name=name,
        query=folder.joinpath(data.get("query", f"{name}.rq")).read_text(encoding="utf-8"),
        options={k: v for k, v in data.items() if k in OPTION_KEYS},
        **kwargs,
    )


def get_view(name: str) -> ViewSpec:
    """The view ``name``, or a usage error listing the views."""
    specs = view_specs()
    if name not in specs:
        raise UnknownName(f"unknown view {name!r}; choose one of: {', '.join(specs)}")
    return specs[name]
