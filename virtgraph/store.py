"""Loading the knowledge graph: Turtle files into an embedded store, and running SPARQL on it.

Two embedded backends hold the same data and answer the same SPARQL:

* ``oxigraph`` (default): `pyoxigraph <https://pyoxigraph.readthedocs.io>`_, a compiled store; parses and
  queries an order of magnitude faster than rdflib's.
* ``memory``: rdflib's own in-memory store and SPARQL engine (pure Python).

Either way results come back as rdflib terms in a :class:`QueryResult`, so everything downstream is the
same. Remote SPARQL endpoints plug in at the same place (:mod:`virtgraph.endpoint`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.query import Result

from .choices import DEFAULT_STORE, STORES
from .errors import OntologyError, QueryFailed, QuerySyntaxError, UnknownName, VirtgraphError
from .namespaces import PREFIXES
from .ontology import RDF_SUFFIXES, SHAPES_SUFFIX, default_ontology_dir, ontology_files, regular_file, shapes_file

__all__ = [
    "DEFAULT_STORE",
    "RDF_SUFFIXES",
    "SHAPES_SUFFIX",
    "STORES",
    "Backend",
    "QueryResult",
    "Term",
    "Triple",
    "default_ontology_dir",
    "load_files",
    "ontology_files",
    "regular_file",
    "shapes_file",
]

Term = URIRef | BNode | Literal
"""An RDF term as every backend returns it (rdflib's classes, whatever the store)."""
Triple = tuple[Term, Term, Term]


@dataclass
class QueryResult:
    """What a SPARQL query returned, as rdflib terms.

    ``kind`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; ``rows`` hold one tuple per solution in
    ``variables`` order (``None`` for unbound), ``boolean`` the ASK answer, ``triples`` the graph result.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def records(self) -> list[dict[str, Term]]:
        """Rows as dicts keyed by variable name (unbound variables omitted)."""
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise OntologyError(f"{file}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise OntologyError(f"{file}: cannot read ({exc.strerror})") from None


class Backend:
    """A place that holds triples and answers SPARQL. Subclasses: the embedded stores and endpoints."""

    name = "backend"

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:  # pragma: no cover - interface
        """Run ``text``; more than ``max_rows`` rows (or triples) raise :class:`QueryFailed`."""
        raise NotImplementedError

    def values(self, text: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain strings (IRI or lexical form; ``None`` when unbound).

        The fast path for large internal queries: no rdflib term is made per cell.
        """
        return [tuple(None if t is None else str(t) for t in row) for row in self.query(text).rows]

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0])  # type: ignore[arg-type]

    def rdflib_graph(self) -> Graph:
        """All the triples as an rdflib :class:`~rdflib.Graph` (for pyshacl); the stores' own graph if they
        keep one, else a copy."""
        graph = Graph()
        for triple in self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples:
            graph.add(triple)
        return graph


class OxigraphBackend(Backend):
    """Triples in a pyoxigraph in-memory store."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()  # in memory, or a cached one on disk

    def load_turtle(self, file: Path) -> None:
        """Add the triples of the Turtle (or N-Triples) ``file``; one :class:`OntologyError` line if it is bad."""
        fmt = ox.RdfFormat.N_TRIPLES if file.suffix == ".nt" else ox.RdfFormat.TURTLE
        try:
            # load (not bulk_load): in memory it is as fast and peaks at about two thirds of the memory
            self.store.load(path=str(file), format=fmt, base_iri=file.resolve().as_uri())
        except SyntaxError as exc:
            if "UTF-8" in str(exc) or "utf-8" in str(exc):
                raise OntologyError(f"{file}: not UTF-8 text") from None
            raise OntologyError(f"{file}:{exc.lineno}: malformed Turtle: {_first_line(exc.msg)}") from None
        except MemoryError as exc:  # pyoxigraph reads one token (literal, IRI) of at most 16 MiB
            raise OntologyError(
                f"{file}: too large to load ({_first_line(str(exc))}); a literal over 16 MiB needs --store memory"
            ) from None
        except OSError as exc:
            raise OntologyError(f"{file}: cannot read ({exc.strerror or exc})") from None

    def __len__(self) -> int:
        return len(self.store)

    def rdflib_graph(self) -> Graph:
        graph = Graph()
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            graph.add((_from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)))
        return graph

    def values(self, text: str) -> list[tuple[str | None, ...]]:
        answer = self._run(text)
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryFailed("values() takes a SELECT query")
        width = len(answer.variables)
        return [tuple(None if (t := row[i]) is None else t.value for i in range(width)) for row in answer]

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        answer = self._run(text)
        try:
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                width = len(variables)
                rows = [
                    tuple(_from_ox_optional(solution[i]) for i in range(width))
                    for solution in cap_rows(answer, max_rows)
                ]
                return QueryResult("SELECT", variables, rows)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(answer))
            capped = cap_rows(answer, max_rows)
            triples = [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in capped]
        except (OSError, RuntimeError) as exc:  # raised while iterating: SERVICE failures and the like
            raise QueryFailed(f"the query failed: {_first_line(str(exc))}") from None
        kind = "DESCRIBE" if query_form(text) == "DESCRIBE" else "CONSTRUCT"
        return QueryResult(kind, triples=triples)

    def _run(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {_first_line(str(exc))}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryFailed(f"the query failed: {_first_line(str(exc))}") from None


_Item = TypeVar("_Item")


def cap_rows(items: Iterable[_Item], max_rows: int | None) -> Iterator[_Item]:
    """``items``, raising :class:`QueryFailed` past ``max_rows`` of them (``None``: no cap)."""
    for count, item in enumerate(items, 1):
        if max_rows is not None and count > max_rows:
            raise QueryFailed(f"the result has more than {max_rows:,} rows; add LIMIT or narrow the query")
        yield item


class RdflibBackend(Backend):
    """Triples in an rdflib graph (its default in-memory store, or a SPARQL store for endpoints)."""

    name = "memory"

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else Graph()

    def load_turtle(self, file: Path) -> None:
        """Add the triples of the Turtle (or N-Triples) ``file``; one :class:`OntologyError` line if it is bad."""
        data = _read_text(file)
        try:
            fmt = "nt" if file.suffix == ".nt" else "turtle"
            self.graph.parse(data=data, format=fmt, publicID=file.resolve().as_uri())
        except BadSyntax as exc:
            raise OntologyError(f"{file}:{exc.lines + 1}: malformed Turtle: {exc._why}") from None
        except Exception as exc:  # rdflib raises assorted errors for bad terms
            raise OntologyError(f"{file}: malformed Turtle: {_first_line(str(exc))}") from None

    def __len__(self) -> int:
        return len(self.graph)

    def rdflib_graph(self) -> Graph:
        return self.graph

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        from pyparsing import ParseException  # loaded with rdflib's SPARQL engine, which this query loads anyway

        try:
            return result_from_rdflib(self.graph.query(text), text, max_rows)
        except ParseException as exc:
            raise QuerySyntaxError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        except VirtgraphError:
            raise
        except RecursionError:
            raise QueryFailed("the query is nested too deeply for the memory store") from None
        except Exception as exc:  # rdflib raises assorted errors: unknown prefix, bad regex, bad language tag
            raise QueryFailed(f"the query failed: {_first_line(str(exc) or type(exc).__name__)}") from None


def result_from_rdflib(answer: Result, text: str, max_rows: int | None = None) -> QueryResult:
    """Turn an rdflib ``Result`` into a :class:`QueryResult` (terms normalised, see :func:`normalize_term`),
    raising :class:`QueryFailed` past ``max_rows`` rows or triples."""
    if answer.type == "ASK":
        return QueryResult("ASK", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        variables = [str(v) for v in answer.vars or ()]
        rows = [tuple(_from_rdflib(t) for t in _row(item)) for item in cap_rows(answer, max_rows)]
        return QueryResult("SELECT", variables, rows)
    triples = [_triple(item) for item in cap_rows(answer, max_rows)]
    kind = "DESCRIBE" if query_form(text) == "DESCRIBE" else "CONSTRUCT"
    return QueryResult(kind, triples=triples)


def _row(item: object) -> tuple[object, ...]:
    if not isinstance(item, tuple):
        raise QueryFailed(f"the store returned a malformed solution ({type(item).__name__})")
    return item


def _triple(item: object) -> Triple:
    terms = tuple(_from_rdflib(t) for t in _row(item))
    if len(terms) != 3 or None in terms:
        raise QueryFailed("the store returned a malformed triple")
    subject, predicate, obj = terms
    assert subject is not None and predicate is not None and obj is not None  # checked above; for the type checker
    return subject, predicate, obj


def _from_rdflib(node: object) -> Term | None:
    """A term of an rdflib result, normalised; ``None`` (unbound) stays ``None``."""
    if node is None:
        return None
    if isinstance(node, URIRef | BNode | Literal):
        return normalize_term(node)
    raise QueryFailed(f"the store returned a term virtgraph does not support ({type(node).__name__})")


def query_form(text: str) -> str:
    """The query form keyword (SELECT, ASK, CONSTRUCT, DESCRIBE) of ``text``, ignoring its prologue.

    IRIs go before comments, so that the ``#`` of ``<http://e/ns#>`` starts no comment.

    >>> query_form("PREFIX ex: <http://e/select#> construct { ?s ?p ?o } WHERE { ?s ?p ?o }  # ASK")
    'CONSTRUCT'
    """
    cleaned = re.sub(r"<[^>\s]*>", " ", text)
    cleaned = re.sub(r"#[^\n]*", " ", cleaned)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", cleaned, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


_XSD_STRING = PREFIXES["xsd"] + "string"
_XSD_BOOLEAN = URIRef(PREFIXES["xsd"] + "boolean")


def normalize_term(term: Term) -> Term:
    """A term made comparable across stores and servers: language tags in lower case (they are
    case-insensitive), booleans in canonical form (Virtuoso answers ``"1"^^xsd:boolean``).

    >>> from rdflib import Literal, XSD
    >>> normalize_term(Literal("x", lang="zh-Hant")).language, normalize_term(Literal("1", datatype=XSD.boolean))
    ('zh-hant', rdflib.term.Literal('true', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean')))
    """
    if not isinstance(term, Literal):
        return term
    if term.language and term.language != term.language.lower():
        return Literal(str(term), lang=term.language.lower())
    if term.datatype == _XSD_BOOLEAN and str(term) in ("1", "0"):
        return Literal(str(term) == "1")
    return term


def _from_ox_optional(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Term | None:
    """A solution's value as the equal rdflib term; ``None`` (unbound) stays ``None``."""
    return None if term is None else _from_ox(term)


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Term:
    """A pyoxigraph term as the equal rdflib term.

    >>> _from_ox(ox.Literal("虚拟化", language="zh-Hans")), _from_ox(ox.NamedNode("http://e/x"))
    (rdflib.term.Literal('虚拟化', lang='zh-hans'), rdflib.term.URIRef('http://e/x'))
    """
    if isinstance(term, ox.DefaultGraph):
        raise QueryFailed("the query returned the default graph as a term")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):  # RDF-star quoted triple: not in virtgraph's data model
        raise QueryFailed("the query returned a quoted triple (RDF-star), which virtgraph does not support")
    if term.language:
        return Literal(term.value, lang=term.language.lower())
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def new_backend(store: str) -> Backend:
    """An empty embedded backend of kind ``store`` (``oxigraph`` or ``memory``)."""
    if store == "oxigraph":
        return OxigraphBackend()
    if store == "memory":
        return RdflibBackend()
    raise UnknownName(f"unknown store {store!r}; choose one of: {', '.join(STORES)}")


def load_files(files: Iterable[Path], store: str = DEFAULT_STORE) -> Backend:
    """A backend of kind ``store`` holding the triples of ``files``."""
    backend = new_backend(store)
    for file in files:
        backend.load_turtle(file)  # type: ignore[attr-defined]
    return backend


def turtle(triples: Sequence[Triple]) -> str:
    """Serialize rdflib triples as Turtle with the common prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="turtle")
