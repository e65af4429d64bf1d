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
