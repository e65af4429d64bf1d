"""The graph as a documentation site: a page per concept and per view, search in both languages.

``virtgraph site -o DIR`` (:func:`build_site`) writes a static site that works from ``file://`` and any static
host; the MkDocs plugin (:mod:`virtgraph.mkdocs_plugin`) puts the same diagrams and concept pages into an MkDocs
site. See docs/site.md.
"""

from __future__ import annotations

from .build import SiteReport, build_site, site_concepts

__all__ = ["SiteReport", "build_site", "site_concepts"]
