"""The knowledge graph: one loaded ontology (or endpoint) plus the queries virtgraph runs on it.

>>> kg = load()                                           # the shipped ontology, parsed once per process
>>> kg.select("SELECT ?l WHERE { vgc:kvm skos:prefLabel ?l FILTER(lang(?l) = ?_lang) }", lang="en")
[{'l': rdflib.term.Literal('KVM', lang='en')}]
>>> kg.labels.label("https://w3id.org/virtgraph/concept/paravirtualization", "zh")
'半虚拟化'

Caching, in two places only: :func:`load` keeps each loaded graph for the life of the process (keyed by the
files' paths, sizes and modification times, and the store), and :meth:`KnowledgeGraph.memo` keeps what is
derived from one graph (the label index, the concept finder, small lookup tables) on that graph, so it goes
when the graph goes. The shipped ``.rq`` files are read once (:func:`~virtgraph.sparql.shipped_query_files`).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO, TypeVar

from .cache import Entry, open_store, read_checked, use_cache, write_derived
from .choices import DEFAULT_STORE
from .errors import UnknownName, UsageError
from .labels import LabelIndex
from .sandbox import Limits, can_isolate, run_isolated
from .sparql import (
    bind_parameters,
    decode_query,
    internal_query,
    is_shipped,
    named_queries,
    resolve_query,
    shipped_query_files,
    with_prefixes,
)
from .store import Backend, OxigraphBackend, QueryResult, Term, load_files, ontology_files

__all__ = ["KnowledgeGraph", "load", "prepare_query", "run_user_query"]

_Value = TypeVar("_Value")


class KnowledgeGraph:
    """A backend holding the graph, and what is derived from it, built on first use (see :meth:`memo`)."""

    def __init__(self, backend: Backend, origin: str, cache: Entry | None = None) -> None:
        self.backend = backend
        self.origin = origin
        self.cache = cache  # the store cache entry the backend was opened from, if any (see virtgraph.cache)
        self._memo: dict[str, object] = {}

    def memo(self, key: str, build: Callable[[], _Value]) -> _Value:
        """``build()``'s value, computed once per graph: the one cache of what is derived from this graph.

        >>> kg = KnowledgeGraph(load().backend, "example")
        >>> kg.memo("answer", lambda: 42), kg.memo("answer", lambda: 0)
        (42, 42)
        """
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.origin} ({self.backend.name})>"

    def __len__(self) -> int:
        return len(self.backend)

    def query(self, text: str, *, allow_network: bool = False, **params: str) -> QueryResult:
        """Run SPARQL ``text`` with the common prefixes bound and ``?_name`` parameters replaced.

        Read-only and offline: Update, ``SERVICE`` and ``FROM`` are refused (see :func:`prepare_query`) unless
        ``allow_network`` is set; virtgraph's own shipped queries skip the check.
        """
        return self.query_with(text, params, allow_network=allow_network)

    def query_with(self, text: str, params: Mapping[str, str], *, allow_network: bool = False) -> QueryResult:
        """:meth:`query` with the parameters as a mapping (for callers that hold them in one)."""
        return self.backend.query(prepare_query(text, dict(params), allow_network))

    def query_limited(
        self, text: str, limits: Limits | None = None, *, allow_network: bool = False, **params: str
    ) -> QueryResult:
        """Like :meth:`query`, for a user's query: on an embedded store it runs in a child process within
        ``limits`` (deadline, rows, memory; default :class:`~virtgraph.sandbox.Limits`), stopped at once on
        Ctrl-C, with no network unless ``allow_network``. Endpoints keep their own timeout.

        >>> load().query_limited("ASK { vgc:ept vg:requires vgc:vt-x }").boolean
        True
        """
        if not hasattr(self.backend, "load_turtle") or not can_isolate():
            return self.backend.query(prepare_query(text, params, allow_network))
        shipped_query_files()  # read and imported here: the child may open no file
        importlib.import_module(".guard", __package__)
        limits = limits or Limits()
        if allow_network != limits.allow_network:
            limits = dataclasses.replace(limits, allow_network=allow_network)
        return run_isolated(self.backend, lambda: prepare_query(text, params, allow_network), limits)

    def select(self, text: str, *, allow_network: bool = False, **params: str) -> list[dict[str, Term]]:
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
        return self.query_with(queries[name].text, params)

    @property
    def labels(self) -> LabelIndex:
        """Labels, definitions and types of every resource (one query, on first use)."""
        return self.memo("labels", self._label_index)

    def _label_index(self) -> LabelIndex:
        """The label index: from the store cache when it holds one for this store, else built (and kept there)."""
        path = self.cache.derived("labels.marshal") if self.cache is not None else None
        if path is not None and (data := read_checked(path)) is not None and (kept := LabelIndex.loads(data)):
            return kept
        index = self._build_label_index()
        if path is not None:
            write_derived(path, index.dumps())
        return index

    def _build_label_index(self) -> LabelIndex:
        index = LabelIndex()
        names: dict[str, str] = {}
        for subject, prop, value, lang in self.values(internal_query("label-index")):
            assert subject is not None and prop is not None and value is not None  # bound in every solution
            name = names.get(prop) or names.setdefault(prop, prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            index.add(subject, name, value, lang)
        return index


def prepare_query(text: str, params: dict[str, str] | None = None, allow_network: bool = False) -> str:
    """The text the engine runs for ``text``: parameters bound, common prefixes declared, and checked.

    The check (:func:`~virtgraph.guard.check_query`) judges exactly the returned text, after
    :func:`~virtgraph.guard.normalize_query` made it read the same to every engine. Queries shipped with
    virtgraph are trusted and skip it (their parameters are bound as escaped literals or checked IRIs).

    >>> prepare_query("ASK { SERVICE <http://127.0.0.1:9/> {} }")
    Traceback (most recent call last):
    virtgraph.errors.QueryRefused: SERVICE is refused: queries run offline (pass --allow-network to permit it)
    """
    params = params or {}
    if is_shipped(text):
        return with_prefixes(bind_parameters(text, params))
    # only a user's query needs the guard, and with it rdflib's SPARQL parser (60 ms to import): lookup and
    # render, which run shipped queries only, never pay for it
    from .guard import check_query, normalize_query

    bound = bind_parameters(normalize_query(text), params)
    final = with_prefixes(bound)
    check_query(final, allow_network, first_line=final.count("\n") - bound.count("\n") + 1)
    return final


def run_user_query(
    kg: KnowledgeGraph | Callable[[], KnowledgeGraph],
    query: str,
    *,
    lang: str = "zh",
    allow_network: bool = False,
    limits: Limits | None = None,
    stdin: BinaryIO | None = None,
) -> QueryResult:
    """What ``virtgraph query QUERY`` answers: ``query`` is SPARQL text, a ``.rq`` file, a shipped query's name,
    or ``-`` for the text on ``stdin`` (default: standard input). The text is guarded, ``?_lang`` becomes
    ``lang``, and on an embedded store it runs within ``limits`` (see :meth:`KnowledgeGraph.query_limited`).

    ``kg`` may be a function that opens the graph: it is called once the argument is read and resolved, so
    that a bad argument fails at once, before any ontology is parsed.

    >>> run_user_query(load(), "ASK { vgc:kvm skos:prefLabel ?l FILTER(lang(?l) = ?_lang) }", lang="en").boolean
    True
    >>> run_user_query(load(), "")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: missing QUERY (SPARQL text, a .rq file, - for stdin, or a name from --list)
    """
    if not query:
        raise UsageError("missing QUERY (SPARQL text, a .rq file, - for stdin, or a name from --list)")
    text = decode_query((stdin or sys.stdin.buffer).read(), "standard input") if query == "-" else resolve_query(query)
    if not isinstance(kg, KnowledgeGraph):
        kg = kg()
    return kg.query_limited(text, limits, allow_network=allow_network, lang=lang)


_LOADED: dict[tuple[object, ...], KnowledgeGraph] = {}


def load(
    ontology: str | os.PathLike[str] | None = None, store: str = DEFAULT_STORE, *, cache: bool | None = None
) -> KnowledgeGraph:
    """The knowledge graph of the Turtle at ``ontology`` (file or folder; default: the shipped one).

    ``store`` is ``oxigraph`` (default) or ``memory``; the CLI's ``--store`` (or ``$VIRTGRAPH_STORE``, read by
    click) chooses it there. Parsed once per process: a second call with the same files (unchanged on disk) and
    store returns the same graph (the module's one process-wide cache, ``_LOADED``). Parsed once per change across
    processes, too: the ``oxigraph`` store is kept on disk (:mod:`virtgraph.cache`) unless ``cache`` is False or,
    when ``cache`` is None, ``$VIRTGRAPH_NO_CACHE`` is set. The ``memory`` store is never cached.
    """
    files = ontology_files(ontology)
    cached = store == "oxigraph" and use_cache(cache)
    key = (store, cached, *((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _LOADED:
        origin = str(Path(ontology)) if ontology is not None else "shipped ontology"
        found = open_store(files) if cached else None
        if found is not None:
            _LOADED[key] = KnowledgeGraph(OxigraphBackend(found[0]), origin, cache=found[1])
        else:
            _LOADED[key] = KnowledgeGraph(load_files(files, store), origin)
    return _LOADED[key]
