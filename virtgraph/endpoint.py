"""Remote SPARQL 1.1 servers: the same queries, lookups and diagrams against a triple store.

An :class:`EndpointBackend` answers SPARQL through the SPARQL 1.1 Protocol; :func:`push` uploads the
ontology through the Graph Store HTTP Protocol, or SPARQL Update where the server has no graph store.
Both speak plain HTTP through ``urllib`` and parse answers with rdflib's terms and Turtle parser.
(rdflib's own ``SPARQLStore`` sends one Accept header for every query form, has no timeout and reports
HTTP errors as tuples or a generic ValueError, so it cannot give the guarantees below.)

Server differences handled here, measured against Oxigraph and Virtuoso:

* every request addresses one named graph (``default-graph-uri``): Virtuoso's default graph is the union of
  all its graphs, system triples included;
* SELECT/ASK ask for SPARQL JSON results and CONSTRUCT/DESCRIBE for Turtle (a generic Accept header made
  Virtuoso answer RDF/XML to some SELECTs);
* queries go as form POSTs (an ``application/sparql-query`` body hung Virtuoso);
* answers are normalised (``store.normalize_term``): language tags to lower case, and Virtuoso's
  ``"1"^^xsd:boolean`` to ``true``.

Every request goes through :mod:`virtgraph.transport`: a total deadline (``timeout``), a size cap
(``max_bytes``, 64 MiB), no redirects followed, credentials from the environment or netrc only and never
shown, and every failure one :class:`EndpointError` line. Malformed SPARQL JSON (bad JSON, variables not in
the head, terms of the wrong type) and bad Turtle answers are such errors too. The graph IRI is checked as a
SPARQL ``IRIREF`` so that it cannot change the Update text it is put in.

Push replaces the named graph completely or leaves it as it was. Measured (Oxigraph 0.5.13, Virtuoso
7.2 open source):

* Oxigraph: a Graph Store PUT whose body fails to parse on its last line answers 400 and keeps the old
  graph; an Update request runs in one transaction (``DROP GRAPH <g> ; ... ; CREATE GRAPH <existing>``
  fails with 500 and the graph is unchanged);
* Virtuoso: a Graph Store PUT is *not* atomic: a body that fails on line 5,002 answers 500 after loading
  the first 5,000 triples in place of the old graph; an Update request is not one transaction either
  (``DROP SILENT GRAPH <g> ; INSERT DATA {...} ; DROP GRAPH <missing>`` fails with 500 and keeps the
  drop and the insert); ``INSERT DATA`` of 5,000 short triples fails to compile ("memory exhausted") and
  changes nothing; ``MOVE`` from a graph that does not exist empties the target and succeeds; blank nodes
  are refused in ``INSERT DATA`` (they go in an ``INSERT {...} WHERE {}`` template); its Turtle loader drops
  the start of a literal where a raw control character precedes an escape (so push sends ``\\u`` escapes).

So :func:`push` never writes the target graph piecemeal: it uploads to a fresh staging graph
(``urn:virtgraph:push:<uuid>``) by one PUT, or by ``INSERT DATA`` batches where there is no graph store,
and then replaces the target with one ``MOVE GRAPH <staging> TO <graph>`` operation, which is one
transaction on Oxigraph and one operation on Virtuoso. If anything before the ``MOVE`` fails, the staging
graph is dropped (best effort) and the target is untouched. Triples that mention a blank node go in one
batch, so that each blank node stays one node. ``timeout`` applies to each request of a push.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef

from .errors import EndpointError, UsageError
from .graph import KnowledgeGraph
from .store import (
    Backend,
    QueryResult,
    RdflibBackend,
    Term,
    Triple,
    cap_rows,
    normalize_term,
    ontology_files,
    query_form,
)
from .transport import (
    MAX_ANSWER_BYTES,
    Answer,
    HttpClient,
    HTTPStatusError,
    check_url,
    credentials,
    printable,
    public_url,
)

__all__ = ["DEFAULT_GRAPH", "Endpoint", "EndpointBackend", "connect", "credentials", "public_url", "push"]

DEFAULT_GRAPH = "https://w3id.org/virtgraph/graph"
DEFAULT_TIMEOUT = 5.0
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # outside a SPARQL IRIREF
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:.")
_NO_GRAPH_STORE = (400, 401, 403, 404, 405, 501)  # PUT answered like this: try SPARQL Update instead
_BLANK_NODE = re.compile(r'^_:|\s_:[^\s"]+ \.$')  # an N-Triples line whose subject or object is a blank node


# --- names: URLs and IRIs -------------------------------------------------------------------------------------------


def check_graph(iri: str) -> str:
    """``iri`` if it can name a graph in SPARQL text (an absolute IRI, a valid ``IRIREF``), else a UsageError.

    >>> check_graph("https://example.org/kg")
    'https://example.org/kg'
    >>> check_graph("x> } ; DROP ALL ; #")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: graph IRI must be absolute, without spaces or <>"{}|^`\\: 'x> } ; DROP ALL ; #'
    """
    if not _ABSOLUTE_IRI.match(iri) or _IRI_FORBIDDEN.search(iri):
        raise UsageError(f'graph IRI must be absolute, without spaces or <>"{{}}|^`\\: {iri!r}')
    return iri


class Endpoint:
    """One SPARQL server: its query URL, update and graph-store URLs, the named graph, a timeout and a size cap."""

    def __init__(
        self,
        query_url: str,
        graph: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.query_url = check_url(query_url)
        self.graph = check_graph(graph or DEFAULT_GRAPH)
        self.update_url = check_url(update_url, "update URL") if update_url else _sibling(query_url, "update")
        self.store_url = check_url(store_url, "graph store URL") if store_url else _sibling(query_url, "store")
        self.http = HttpClient(self.query_url, (self.update_url, self.store_url), timeout=timeout, max_bytes=max_bytes)

    @property
    def timeout(self) -> float:
        """Seconds each whole request may take."""
        return self.http.timeout

    @property
    def max_bytes(self) -> int:
        """The largest answer accepted, in bytes."""
        return self.http.max_bytes

    def request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """One HTTP request within the timeout (see :meth:`virtgraph.transport.HttpClient.request`)."""
        return self.http.request(method, url, data, headers)

    def query(self, text: str) -> QueryResult:
        """Run a query (form POST, one named graph) and parse the answer by its form."""
        return self.query_graph(text, self.graph)

    def query_graph(self, text: str, graph: str) -> QueryResult:
        """Run a query against the named graph ``graph``."""
        form = query_form(text)
        accept = TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS
        data = urllib.parse.urlencode({"query": text, "default-graph-uri": graph}).encode("utf-8")
        answer = self.request(
            "POST",
            self.query_url,
            data,
            {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        )
        return _parse(answer, accept, text, public_url(self.query_url))

    def update(self, text: str) -> None:
        """Run SPARQL Update (used by ``push``)."""
        data = urllib.parse.urlencode({"update": text}).encode("utf-8")
        self.request(
            "POST", self.update_url, data, {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
        )


def _sibling(url: str, name: str) -> str:
    """The URL of a sibling service: ``.../query`` → ``.../update`` (Oxigraph), else the same URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + name))
    if name == "store" and parts.path.endswith("/sparql"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path + "-graph-crud"))
    return url


# --- answers --------------------------------------------------------------------------------------------------------


def _parse(answer: Answer, accept: str, text: str, url: str) -> QueryResult:
    content_type = answer.content_type.split(";")[0].strip().lower()
    try:
        if accept == JSON_RESULTS:
            if content_type not in (JSON_RESULTS, "application/json"):
                raise ValueError(content_type or "no content type")
            return _json_results(answer.body, query_form(text))
        if content_type not in (TURTLE, "application/x-turtle", "application/n-triples", "text/plain"):
            raise ValueError(content_type or "no content type")
        return _graph_result(answer.body, query_form(text))
    except Exception as exc:  # any parser failure on server text is the server's fault
        reason = printable(str(exc), 120) or type(exc).__name__
        raise EndpointError(f"{url} answered something that is not SPARQL results ({reason})") from None


def _graph_result(body: bytes, form: str) -> QueryResult:
    graph = Graph()
    graph.parse(data=body.decode("utf-8"), format="turtle")
    triples: list[Triple] = [
        (normalize_term(s), normalize_term(p), normalize_term(o))  # type: ignore[arg-type]  # rdflib's Node
        for s, p, o in graph
    ]
    return QueryResult(form, triples=triples)


def _json_results(body: bytes, form: str) -> QueryResult:
    """SPARQL 1.1 JSON results, checked strictly: the shape the query form expects, terms of the right types.

    >>> _json_results(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"y": {}}]}}', "SELECT")
    Traceback (most recent call last):
    ValueError: variable ?y is not in the head
    """
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if form == "ASK":
        if not isinstance(data.get("boolean"), bool):
            raise ValueError("no boolean answer")
        return QueryResult("ASK", boolean=data["boolean"])
    variables = (data.get("head") or {}).get("vars") if isinstance(data.get("head"), dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError("no list of variables in the head")
    results = data.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise ValueError("no list of bindings")
    rows = []
    for binding in bindings:
        unknown = sorted(set(binding) - set(variables))
        if unknown:
            raise ValueError(f"variable ?{unknown[0]} is not in the head")
        rows.append(tuple(_json_term(binding[v]) if v in binding else None for v in variables))
    return QueryResult("SELECT", list(variables), rows)


def _json_term(value: object) -> Term:
    """One RDF term of SPARQL JSON results (``typed-literal`` too, as Virtuoso sends)."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a bound value is not an object with a string 'value'")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        if _IRI_FORBIDDEN.search(text):
            raise ValueError(f"IRI {text[:60]!r} is not valid")
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {str(kind)[:40]!r}")
    lang, datatype = value.get("xml:lang") or None, value.get("datatype") or None
    if not isinstance(lang, (str, type(None))) or not isinstance(datatype, (str, type(None))):
        raise ValueError("a literal's language or datatype is not a string")
    if datatype is not None and _IRI_FORBIDDEN.search(datatype):
        raise ValueError(f"datatype {datatype[:60]!r} is not valid")
    return normalize_term(Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None))


class EndpointBackend(Backend):
    """A knowledge graph that lives on a SPARQL server."""

    name = "endpoint"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        """The server's answer, within the answer size cap; past ``max_rows`` rows, :class:`QueryFailed`."""
        result = self.endpoint.query(text)
        result.rows = list(cap_rows(result.rows, max_rows))
        return result


def connect(
    url: str,
    graph: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    update_url: str | None = None,
    store_url: str | None = None,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> KnowledgeGraph:
    """The knowledge graph held in the named graph ``graph`` (default :data:`DEFAULT_GRAPH`) of the SPARQL 1.1
    server at ``url``: the remote twin of :func:`virtgraph.graph.load`.

    Nothing is sent until the first query; the URLs and the graph IRI are checked at once. ``timeout`` is the
    deadline of each whole request, ``max_bytes`` the largest answer accepted; ``update_url`` and ``store_url``
    (used by :func:`push`) default to the server's usual siblings of ``url``.

    >>> kg = connect("http://127.0.0.1:7878/query", timeout=10)
    >>> kg
    <KnowledgeGraph http://127.0.0.1:7878/query <https://w3id.org/virtgraph/graph> (endpoint)>
    >>> kg.backend.endpoint.update_url
    'http://127.0.0.1:7878/update'
    """
    endpoint = Endpoint(url, graph, update_url, store_url, timeout, max_bytes)
    return KnowledgeGraph(EndpointBackend(endpoint), f"{endpoint.query_url} <{endpoint.graph}>")


# --- push ---------------------------------------------------------------------------------------------------------


@dataclass
class PushResult:
    """What :func:`push` did: how many triples, by which protocol, in how many seconds."""

    triples: int
    method: str  # "graph store" or "update"
    seconds: float = 0.0


def push(endpoint: Endpoint, ontology: str | None = None, batch: int = 1000) -> PushResult:
    """Replace the endpoint's named graph with the ontology, completely or not at all (see the module docstring).

    Pushing twice leaves the same store.
    """
    started = time.perf_counter()
    lines = ntriples_lines(_load(ontology))
    target = check_graph(endpoint.graph)
    if not lines:
        endpoint.update(f"DROP SILENT GRAPH <{target}>")
        return PushResult(0, "update", time.perf_counter() - started)
    staging = f"urn:virtgraph:push:{uuid.uuid4().hex}"
    try:
        method = _upload(endpoint, staging, lines, batch)
        endpoint.update(f"MOVE GRAPH <{staging}> TO <{target}>")
    except EndpointError:
        _discard(endpoint, staging)
        raise
    return PushResult(len(lines), method, time.perf_counter() - started)


def _load(ontology: str | None) -> Graph:
    local = RdflibBackend()
    for file in ontology_files(ontology):
        local.load_turtle(file)
    return local.graph


def ntriples_lines(graph: Graph) -> list[str]:
    r"""The graph as sorted N-Triples lines, one per triple, with nothing but printable characters.

    Lines are split at ``\n`` only: N-Triples escapes line feeds and carriage returns in literals, but other
    characters that ``str.splitlines`` breaks at (U+2028, U+0085, form feed...) stay raw in rdflib's output.
    Those and all other unprintable characters become ``\u`` escapes: Virtuoso's loader drops the start of a
    literal where a raw control character comes before an escape such as ``\n``.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal("a\u2028b\x0cc\nd")))
    >>> print(ntriples_lines(g)[0])
    <http://e/s> <http://e/p> "a\u2028b\u000Cc\nd" .
    """
    text = graph.serialize(format="nt")
    return sorted(_escape_unprintable(line) for line in text.split("\n") if line.strip())


def _escape_unprintable(line: str) -> str:
    if line.isascii() and line.isprintable():
        return line
    return "".join(c if c.isprintable() else _uchar(c) for c in line)


def _uchar(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _upload(endpoint: Endpoint, staging: str, lines: list[str], batch: int) -> str:
    """Fill the empty graph ``staging`` by one Graph Store PUT, or by SPARQL Update; returns which one."""
    body = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        endpoint.request("PUT", _graph_url(endpoint, staging), body, {"Content-Type": "application/n-triples"})
        return "graph store"
    except HTTPStatusError as exc:
        if exc.status not in _NO_GRAPH_STORE:
            raise
    for chunk in _batches(lines, batch):
        triples = "\n".join(chunk)
        if _BLANK_NODE.search(chunk[0]):  # Virtuoso refuses blank nodes in INSERT DATA; a template takes them
            endpoint.update(f"INSERT {{ GRAPH <{staging}> {{\n{triples}\n}} }} WHERE {{}}")
        else:
            endpoint.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{triples}\n}} }}")
    return "update"


def _batches(lines: list[str], size: int) -> list[list[str]]:
    """Lines in batches of ``size``; the lines that mention blank nodes all in the last batch, whatever its size.

    >>> _batches(["<a> <p> _:b .", "<a> <p> <c> .", "<a> <p> <d> .", "_:b <p> <e> ."], 1)
    [['<a> <p> <c> .'], ['<a> <p> <d> .'], ['<a> <p> _:b .', '_:b <p> <e> .']]
    """
    blank = [line for line in lines if _BLANK_NODE.search(line)]
    plain = [line for line in lines if not _BLANK_NODE.search(line)]
    batches = [plain[start : start + size] for start in range(0, len(plain), size)]
    return batches + ([blank] if blank else [])


def _graph_url(endpoint: Endpoint, graph: str) -> str:
    separator = "&" if "?" in endpoint.store_url else "?"
    return endpoint.store_url + separator + urllib.parse.urlencode({"graph": graph})


def _discard(endpoint: Endpoint, staging: str) -> None:
    """Drop the staging graph after a failed push, by Update or by Graph Store DELETE, as far as the server lets."""
    with contextlib.suppress(EndpointError):
        endpoint.update(f"DROP SILENT GRAPH <{staging}>")
        return
    with contextlib.suppress(EndpointError):
        endpoint.request("DELETE", _graph_url(endpoint, staging))
