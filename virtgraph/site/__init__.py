"""The graph as a documentation site: a page per concept and per view, search in both languages.

``virtgraph site -o DIR`` (:func:`build_site`) writes a static site that works from ``file://`` and any static
host; the MkDocs plugin (:mod:`virtgraph.mkdocs_plugin`) puts the same diagrams and concept pages into an MkDocs
site. See docs/site.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SiteReport", "build_site", "site_concepts"]


def __getattr__(name: str) -> Any:
    """The package's API, imported on first use: ``virtgraph site`` on an unchanged site needs none of it."""
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(name)
