"""The names a user chooses among on the command line, each list defined once.

This module imports nothing, so the CLI reads it while building ``--help`` without loading rdflib. The
languages live with their fallback chains in :mod:`virtgraph.labels` (also light).

>>> DEFAULT_STORE in STORES, QUERY_FORMATS[0], CARD_FORMATS
(True, 'table', ('text', 'json'))
"""

from __future__ import annotations

#: Embedded stores for local files: pyoxigraph (compiled, fast) and rdflib's in-memory store (pure Python).
STORES = ("oxigraph", "memory")
DEFAULT_STORE = "oxigraph"

#: How ``virtgraph query`` writes SELECT/ASK results (CONSTRUCT/DESCRIBE are always Turtle).
QUERY_FORMATS = ("table", "json", "csv", "tsv")

#: How ``virtgraph lookup`` writes a concept card.
CARD_FORMATS = ("text", "json")

#: What ``virtgraph render`` writes: Graphviz's drawings, the DOT itself, and exports of the view graph.
RENDER_FORMATS = ("svg", "png", "pdf", "dot", "json", "graphml", "mermaid")

#: What a Markdown document can embed (``docs fix``): an image, or a Mermaid block GitHub draws itself.
EMBED_FORMATS = ("svg", "png", "mermaid")
