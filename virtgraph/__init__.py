"""virtgraph: a bilingual knowledge graph of virtualization, queried with SPARQL and drawn as diagrams.

The package imports nothing heavy until you use it, so ``virtgraph --help`` stays fast.

>>> import virtgraph
>>> kg = virtgraph.load()
>>> virtgraph.lookup(kg, "准虚拟化").label
'半虚拟化'
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cold start about 5 ms (mypy reads this)
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_API = {
    "load": ("virtgraph.graph", "load"),
    "connect": ("virtgraph.endpoint", "connect"),
    "KnowledgeGraph": ("virtgraph.graph", "KnowledgeGraph"),
    "lookup": ("virtgraph.concepts", "lookup"),
    "concept_card": ("virtgraph.concepts", "concept_card"),
    "validate": ("virtgraph.shacl", "validate"),
    "format_result": ("virtgraph.formats", "format_result"),
    "draw": ("virtgraph.drawing", "draw"),
    "render_bytes": ("virtgraph.render", "render_bytes"),
    "render_all": ("virtgraph.render", "render_all"),
    "Endpoint": ("virtgraph.endpoint", "Endpoint"),
    "VirtgraphError": ("virtgraph.errors", "VirtgraphError"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'virtgraph' has no attribute {name!r}")
