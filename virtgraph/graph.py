"""The knowledge graph: one loaded ontology (or endpoint) plus the queries virtgraph runs on it.

>>> kg = load()                                           # the shipped ontology, parsed once per process
>>> kg.select("SELECT ?l WHERE { vgc:kvm skos:prefLabel ?l FILTER(lang(?l) = ?_lang) }", lang="en")
[{'l': rdflib.term.Literal('KVM', lang='en')}]
>>> kg.labels.label("https://w3id.org/virtgraph/concept/paravirtualization", "zh")
'半虚拟化'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UnknownName
from .labels import LabelIndex
from .sparql import bind_parameters, named_queries, with_prefixes
from .store import DEFAULT_STORE, Backend, QueryResult, load_files, ontology_files


class KnowledgeGraph:
    """A backend holding the graph, and the label index built from it on first use."""

    def __init__(self, backend: Backend, origin: str) -> None:
        self.backend = backend
        self.origin = origin
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``'s value, computed once per graph (indexes and small lookup tables derived from it)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.origin} ({self.backend.name})>"

    def __len__(self) -> int:
        return len(self.backend)

    def query(self, text: str, **params: str) -> QueryResult:
        """Run SPARQL ``text`` with the common prefixes bound and ``?_name`` parameters replaced."""
        return self.backend.query(with_prefixes(bind_parameters(text, params)))

    def select(self, text: str, **params: str) -> list[dict[str, Any]]:
        """Run a SELECT query and return its solutions as dicts of rdflib terms."""
        return self.query(text, **params).records()

    def values(self, text: str, **params: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain strings, for large internal queries (see ``Backend.values``)."""
        return self.backend.values(with_prefixes(bind_parameters(text, params)))

    def run(self, name: str, **params: str) -> QueryResult:
        """Run the shipped query ``name`` (see ``virtgraph query --list``)."""
        queries = named_queries()
        if name not in queries:
            raise UnknownName(f"unknown query name {name!r}; shipped queries: {', '.join(queries)}")
        return self.query(queries[name].text, **params)

    @cached_property
    def labels(self) -> LabelIndex:
        """Labels, definitions and types of every resource (one query)."""
        index = LabelIndex()
        names: dict[str, str] = {}
        for subject, prop, value, lang in self.values(internal_query("label-index")):
            name = names.get(prop) or names.setdefault(prop, prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            index.add(subject, name, value, lang)
        return index


@cache
def internal_query(name: str) -> str:
    """A query virtgraph itself needs (``virtgraph/queries/internal/<name>.rq``)."""
    return resources.files("virtgraph.queries").joinpath("internal", f"{name}.rq").read_text(encoding="utf-8")


_LOADED: dict[tuple[Any, ...], KnowledgeGraph] = {}


def load(ontology: str | os.PathLike[str] | None = None, store: str | None = None) -> KnowledgeGraph:
    """The knowledge graph of the Turtle at ``ontology`` (file or folder; default: the shipped one).

    ``store`` is ``oxigraph`` or ``memory`` (default: ``$VIRTGRAPH_STORE``, else oxigraph). Parsed once per
    process: a second call with the same files (unchanged on disk) returns the same graph.
    """
    store = store or os.environ.get("VIRTGRAPH_STORE") or DEFAULT_STORE
    files = ontology_files(ontology)
    key = (store, *((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _LOADED:
        origin = str(Path(ontology)) if ontology is not None else "shipped ontology"
        _LOADED[key] = KnowledgeGraph(load_files(files, store), origin)
    return _LOADED[key]
