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

What a server can do to a request is bounded, and every failure is one :class:`EndpointError` line:

* ``timeout`` is a total deadline for one request (connect, headers and body): a timer shuts the socket
  down when it passes, so a server that drips one byte at a time cannot hold a request open;
* an answer larger than :data:`MAX_ANSWER_BYTES` (64 MiB; the ``max_bytes`` argument of :class:`Endpoint`)
  is refused as soon as it is declared or read;
* broken HTTP (bad status line, too many or too long headers, bad chunking, a body cut short) and malformed
  SPARQL JSON (bad JSON, variables not in the head, terms of the wrong type) are errors, never tracebacks;
* redirects are not followed: every request is a POST or PUT, which urllib would turn into a body-less GET
  (301/302/303) or refuse (307/308), and a redirect to another host would carry the query away; the
  message names the target so that the user can pass it instead;
* text a server sends back (reason phrase, first line of an error body, redirect target) is shown only
  when it is printable and holds neither the password, nor the Basic credentials, nor ``Authorization``.

Credentials come from ``VIRTGRAPH_ENDPOINT_USER``/``VIRTGRAPH_ENDPOINT_PASSWORD`` or a netrc file, never from
the command line; no URL in an error message carries them. URLs are checked before any connection
(http or https, a host, a port in 1-65535, no credentials, no spaces, control or non-ASCII characters), and
the graph IRI is checked as a SPARQL ``IRIREF`` so that it cannot change the Update text it is put in.

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

import base64
import contextlib
import http.client
import json
import netrc
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import EndpointError, UsageError
from .graph import KnowledgeGraph
from .store import Backend, QueryResult, normalize_term, query_form

DEFAULT_GRAPH = "https://w3id.org/virtgraph/graph"
DEFAULT_TIMEOUT = 5.0
MAX_ANSWER_BYTES = 64 * 1024 * 1024
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
USER_ENV, PASSWORD_ENV = "VIRTGRAPH_ENDPOINT_USER", "VIRTGRAPH_ENDPOINT_PASSWORD"
_READ_SIZE = 64 * 1024
_ERROR_BODY_BYTES = 2000
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # outside a SPARQL IRIREF
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:.")
_URL_FORBIDDEN = re.compile(r"[^\x21-\x7e]")  # spaces, control and non-ASCII characters
_NO_GRAPH_STORE = (400, 401, 403, 404, 405, 501)  # PUT answered like this: try SPARQL Update instead
_BLANK_NODE = re.compile(r'^_:|\s_:[^\s"]+ \.$')  # an N-Triples line whose subject or object is a blank node


# --- names: URLs and IRIs -------------------------------------------------------------------------------------------


def public_url(url: str) -> str:
    """``url`` without any user name or password, for messages.

    >>> public_url("http://u:p@host:8890/sparql"), public_url("u:p@host:99999/x")
    ('http://host:8890/sparql', 'host:99999/x')
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None and "@" in parts.netloc:
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if parts is None or (not parts.netloc and "@" in url):  # no authority part: whatever precedes an @
        return url.rpartition("@")[2]
    return url


def check_url(url: str, what: str = "endpoint URL") -> str:
    """``url`` if it is an http(s) URL virtgraph may send a request to, else a one-line :class:`UsageError`.

    >>> check_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    >>> check_url("http://127.0.0.1:70000/query", "update URL")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: update URL has a port outside 1-65535: 'http://127.0.0.1:70000/query'
    """
    shown = public_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = urllib.parse.urlsplit(""), -1
    if "@" in parts.netloc or (not parts.netloc and "@" in url):
        raise UsageError(
            f"credentials in the {what} are not accepted; set {USER_ENV}/{PASSWORD_ENV} or use a netrc file"
        )
    if _URL_FORBIDDEN.search(url):
        raise UsageError(
            f"{what} must not hold spaces, control or non-ASCII characters (percent-encode them): {shown!r}"
        )
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"{what} has a port outside 1-65535: {shown!r}")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http(s) URL with a host, like http://127.0.0.1:7878/query, not {shown!r}")
    return url


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


def credentials(url: str) -> tuple[str, str] | None:
    """User and password for ``url``: the environment first, then the netrc file (``$NETRC`` or ``~/.netrc``)."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user:
        return user, password or ""
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"cannot read the netrc file {path}: {getattr(exc, 'msg', exc)}") from None
    return (entry[0], entry[2] or "") if entry else None


def _printable(text: str, limit: int = 200) -> str:
    """Server text fit for a one-line message: non-printable characters as spaces, at most ``limit`` long.

    >>> _printable("bad\\x1b[31m line\\u2028two")
    'bad [31m line two'
    """
    return "".join(c if c.isprintable() else " " for c in text).strip()[:limit]


# --- HTTP with a deadline -------------------------------------------------------------------------------------------


class _Deadline:
    """A wall-clock limit for one request: when it passes, the request's sockets are shut down."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        """Seconds left; :class:`TimeoutError` once there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return left

    def guard(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline, which wakes a read blocked on it (it then sees the end)."""
        timer = threading.Timer(max(self.end - time.monotonic(), 0.0), self._expire, (sock,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain-socket method, also for TLS sockets

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


class _DeadlineConnection:
    """Mixin for ``http.client`` connections: connect within the deadline, then put the socket under guard."""

    deadline: _Deadline
    timeout: float | None
    sock: Any

    def connect(self) -> None:
        self.timeout = self.deadline.remaining()
        super().connect()  # type: ignore[misc]
        self.deadline.guard(self.sock)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


def _connection_factory(cls: type, deadline: _Deadline) -> Callable[..., Any]:
    def make(*args: Any, **kwargs: Any) -> Any:
        connection = cls(*args, **kwargs)
        connection.deadline = deadline
        return connection

    return make


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_connection_factory(_HTTPConnection, req.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_connection_factory(_HTTPSConnection, req.deadline), req, context=self._context)


class _RedirectRefused(Exception):
    def __init__(self, code: int, target: str) -> None:
        super().__init__(code, target)
        self.code, self.target = code, target


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, never followed (see the module docstring)."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        fp.close()
        raise _RedirectRefused(code, newurl)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or (443 if parts.scheme == "https" else 80)


def _read_body(response: http.client.HTTPResponse, deadline: _Deadline, limit: int) -> bytes:
    """The whole body, read in pieces under ``deadline``; :class:`_TooLarge` past ``limit`` bytes."""
    if response.length is not None and response.length > limit:
        raise _TooLarge
    body = bytearray()
    while chunk := response.read1(_READ_SIZE):
        body += chunk
        if len(body) > limit:
            raise _TooLarge
        deadline.remaining()
    if response.length:  # the server closed the connection before the end it announced
        raise http.client.IncompleteRead(bytes(body), response.length)
    return bytes(body)


class _TooLarge(Exception):
    pass


_BROKEN_HTTP = {
    http.client.RemoteDisconnected: "closed the connection without answering",
    http.client.IncompleteRead: "the body ended early or its chunks are broken",
    http.client.LineTooLong: "a line of the answer is too long",
    http.client.BadStatusLine: "the status line is not HTTP",
}


def _failure(exc: BaseException, shown: str) -> str:
    """The one-line message for an exception raised while talking HTTP to ``shown``."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _failure(exc.reason, shown)
    broken = next((words for kind, words in _BROKEN_HTTP.items() if isinstance(exc, kind)), None)
    if broken is None and isinstance(exc, http.client.HTTPException):
        broken = _printable(str(exc)) or type(exc).__name__
    if broken is None and isinstance(exc, ValueError):  # http.client reading a chunk size
        broken = "bad chunked encoding"
    if broken is not None:
        return f"{shown} sent a broken HTTP answer: {broken}"
    if isinstance(exc, urllib.error.URLError):
        cause = _printable(str(exc.reason))
    elif isinstance(exc, OSError):
        cause = exc.strerror or _printable(str(exc)) or type(exc).__name__
    else:
        cause = _printable(str(exc)) or type(exc).__name__
    return f"cannot reach {shown}: {cause}"


def _size(count: int) -> str:
    """A byte count for messages.

    >>> _size(64 * 1024 * 1024), _size(1500)
    ('64 MiB', '1500 bytes')
    """
    return f"{count // 2**20} MiB" if count % 2**20 == 0 else f"{count} bytes"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


class HTTPStatusError(EndpointError):
    """The server answered with an HTTP error status (kept in ``status``)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


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
        self.timeout = timeout
        self.max_bytes = max_bytes
        found = credentials(self.query_url)
        self._secrets = _secrets(found)
        self._opener = self._build_opener(found)

    def _build_opener(self, found: tuple[str, str] | None) -> urllib.request.OpenerDirector:
        handlers: list[Any] = [_HTTPHandler(), _HTTPSHandler(), _NoRedirects()]
        if found:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url, self.store_url}:
                manager.add_password(None, url, *found)
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)

    def request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """One HTTP request within ``timeout`` seconds in all; every failure is one :class:`EndpointError` line."""
        shown = public_url(url.split("?", 1)[0])
        deadline = _Deadline(self.timeout)
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        request.deadline = deadline  # type: ignore[attr-defined]  # read by _HTTPHandler/_HTTPSHandler
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = _read_body(response, deadline, self.max_bytes)
                return Answer(response.status, response.headers.get("Content-Type", ""), body)
        except urllib.error.HTTPError as exc:
            raise self._status_error(exc, shown) from None
        except _RedirectRefused as exc:
            raise EndpointError(self._redirect_message(shown, url, exc)) from None
        except _TooLarge:
            raise EndpointError(f"{shown} sent an answer larger than {_size(self.max_bytes)}; refused") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired or isinstance(exc, TimeoutError) or time.monotonic() >= deadline.end:
                raise EndpointError(f"{shown} did not answer within {self.timeout:g} s (--timeout)") from None
            raise EndpointError(_failure(exc, shown)) from None
        finally:
            deadline.cancel()

    def _safe(self, text: str) -> str:
        """Server text for a message, or nothing when it is not printable or could reveal the credentials."""
        shown = _printable(text)
        if "authoriz" in shown.lower() or any(secret in text for secret in self._secrets):
            return ""
        return shown

    def _status_error(self, exc: urllib.error.HTTPError, shown: str) -> HTTPStatusError:
        try:
            detail = exc.read(_ERROR_BODY_BYTES).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException, ValueError):
            detail = ""
        finally:
            exc.close()
        first = next((self._safe(line) for line in detail.split("\n") if line.strip()), "")
        reason = self._safe(str(exc.reason))
        message = f"{shown} answered HTTP {exc.code}" + (f" {reason}" if reason else "")
        return HTTPStatusError(message + (f": {first}" if first else ""), exc.code)

    def _redirect_message(self, shown: str, url: str, exc: _RedirectRefused) -> str:
        target = self._safe(public_url(exc.target)) or "an address not shown"
        if _origin(exc.target) != _origin(url):
            return f"{shown} answered HTTP {exc.code}, a redirect to another host ({target}); refused"
        return f"{shown} answered HTTP {exc.code}, a redirect to {target}; redirects are not followed, pass that URL"

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


def _secrets(found: tuple[str, str] | None) -> list[str]:
    """The strings an error message must never show: the password and the Basic credentials."""
    if not found:
        return []
    user, password = found
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return [secret for secret in (password, f"{user}:{password}", token) if secret]


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
        reason = _printable(str(exc), 120) or type(exc).__name__
        raise EndpointError(f"{url} answered something that is not SPARQL results ({reason})") from None


def _graph_result(body: bytes, form: str) -> QueryResult:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=body.decode("utf-8"), format="turtle")
    return QueryResult(form, triples=[tuple(map(normalize_term, t)) for t in graph])


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


def _json_term(value: Any) -> Any:
    """One RDF term of SPARQL JSON results (``typed-literal`` too, as Virtuoso sends)."""
    from rdflib import BNode, Literal, URIRef

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

    def query(self, text: str) -> QueryResult:
        return self.endpoint.query(text)


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
    triples: int
    method: str  # "graph store" or "update"


def push(endpoint: Endpoint, ontology: str | None = None, batch: int = 1000) -> PushResult:
    """Replace the endpoint's named graph with the ontology, completely or not at all (see the module docstring).

    Pushing twice leaves the same store.
    """
    lines = ntriples_lines(_load(ontology))
    target = check_graph(endpoint.graph)
    if not lines:
        endpoint.update(f"DROP SILENT GRAPH <{target}>")
        return PushResult(0, "update")
    staging = f"urn:virtgraph:push:{uuid.uuid4().hex}"
    try:
        method = _upload(endpoint, staging, lines, batch)
        endpoint.update(f"MOVE GRAPH <{staging}> TO <{target}>")
    except EndpointError:
        _discard(endpoint, staging)
        raise
    return PushResult(len(lines), method)


def _load(ontology: str | None) -> Any:
    from .store import RdflibBackend, ontology_files

    local = RdflibBackend()
    for file in ontology_files(ontology):
        local.load_turtle(file)
    return local.graph


def ntriples_lines(graph: Any) -> list[str]:
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
