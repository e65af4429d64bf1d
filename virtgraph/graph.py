"""The knowledge graph: one loaded ontology (or endpoint) plus the queries virtgraph runs on it.

>>> kg = load()                                           # the shipped ontology, parsed once per process
>>> kg.select("SELECT ?l WHERE { vgc:kvm skos:prefLabel ?l FILTER(lang(?l) = ?_lang) }", lang="en")
[{'l': rdflib.term.Literal('KVM', lang='en')}]
>>> kg.labels.label("https://w3id.org/virtgraph/concept/paravirtualization", "zh")
'半虚拟化'
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UnknownName
from .labels import LabelIndex
from .sparql import bind_parameters, check_query, named_queries, normalize_query, with_prefixes
from .store import DEFAULT_STORE, Backend, QueryResult, load_files, ontology_files

if TYPE_CHECKING:
    from .sandbox import Limits


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

    def query(self, text: str, *, allow_network: bool = False, **params: str) -> QueryResult:
        """Run SPARQL ``text`` with the common prefixes bound and ``?_name`` parameters replaced.

        Read-only and offline: Update, ``SERVICE`` and ``FROM`` are refused (see :func:`prepare_query`) unless
        ``allow_network`` is set; virtgraph's own shipped queries skip the check.
        """
        return self.backend.query(prepare_query(text, params, allow_network))

    def query_limited(
        self, text: str, limits: Limits | None = None, *, allow_network: bool = False, **params: str
    ) -> QueryResult:
        """Like :meth:`query`, for a user's query: on an embedded store it runs in a child process within
        ``limits`` (deadline, rows, memory; default :class:`~virtgraph.sandbox.Limits`), stopped at once on
        Ctrl-C, with no network unless ``allow_network``. Endpoints keep their own timeout.

        >>> load().query_limited("ASK { vgc:ept vg:requires vgc:vt-x }").boolean
        True
        """
        from .sandbox import Limits, can_isolate, run_isolated

        if not hasattr(self.backend, "load_turtle") or not can_isolate():
            return self.backend.query(prepare_query(text, params, allow_network))
        shipped_texts()  # read here: the child may open no file
        limits = limits or Limits()
        if allow_network != limits.allow_network:
            limits = dataclasses.replace(limits, allow_network=allow_network)
        return run_isolated(self.backend, lambda: prepare_query(text, params, allow_network), limits)

    def select(self, text: str, *, allow_network: bool = False, **params: str) -> list[dict[str, Any]]:
        """Run a SELECT query and return its solutions as dicts of rdflib terms."""
        return self.query(text, allow_network=allow_network, **params).records()

    def values(self, text: str, **params: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain strings, for large internal queries (see ``Backend.values``)."""
        return self.backend.values(prepare_query(text, params))

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


def prepare_query(text: str, params: dict[str, str] | None = None, allow_network: bool = False) -> str:
    """The text the engine runs for ``text``: parameters bound, common prefixes declared, and checked.

    The check (:func:`~virtgraph.sparql.check_query`) judges exactly the returned text, after
    :func:`~virtgraph.sparql.normalize_query` made it read the same to every engine. Queries shipped with
    virtgraph are trusted and skip it (their parameters are bound as escaped literals or checked IRIs).

    >>> prepare_query("ASK { SERVICE <http://127.0.0.1:9/> {} }")
    Traceback (most recent call last):
    virtgraph.errors.QueryRefused: SERVICE is refused: queries run offline (pass --allow-network to permit it)
    """
    params = params or {}
    if text.strip() in _TRUSTED or text.strip() in shipped_texts():
        return with_prefixes(bind_parameters(text, params))
    bound = bind_parameters(normalize_query(text), params)
    final = with_prefixes(bound)
    check_query(final, allow_network, first_line=final.count("\n") - bound.count("\n") + 1)
    return final


_TRUSTED: set[str] = set()


def trusted_query(text: str) -> str:
    """Mark ``text``, a query written in virtgraph's own code, as trusted (it skips the check); returns it."""
    _TRUSTED.add(text.strip())
    return text


@cache
def shipped_texts() -> frozenset[str]:
    """The (stripped) text of every ``.rq`` file shipped in the package: named, internal and view queries."""
    texts = set()
    for package in ("virtgraph.queries", "virtgraph.views"):
        root = resources.files(package)
        for folder in (root, root.joinpath("internal")):
            if folder.is_dir():
                texts |= {f.read_text(encoding="utf-8").strip() for f in folder.iterdir() if f.name.endswith(".rq")}
    return frozenset(texts)


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
