"""Remote SPARQL 1.1 servers: the same queries, lookups and diagrams against a triple store.

An :class:`EndpointBackend` answers SPARQL through the SPARQL 1.1 Protocol; :func:`push` uploads the
ontology through the Graph Store HTTP Protocol, or SPARQL Update where the server has no graph store.
Both speak plain HTTP through ``urllib`` and parse answers with rdflib's result and Turtle parsers.
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

Credentials come from ``VIRTGRAPH_ENDPOINT_USER``/``VIRTGRAPH_ENDPOINT_PASSWORD`` or a netrc file, never from
the command line; no URL in an error message carries them.
"""

from __future__ import annotations

import io
import netrc
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from .errors import EndpointError, UsageError
from .store import Backend, QueryResult, _query_form, normalize_term, result_from_rdflib

DEFAULT_GRAPH = "https://w3id.org/virtgraph/graph"
DEFAULT_TIMEOUT = 5.0
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
USER_ENV, PASSWORD_ENV = "VIRTGRAPH_ENDPOINT_USER", "VIRTGRAPH_ENDPOINT_PASSWORD"


def public_url(url: str) -> str:
    """``url`` without any user name or password, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def check_url(url: str, what: str = "endpoint") -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http(s) URL, not {public_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"credentials in the {what} URL are not accepted; set {USER_ENV}/{PASSWORD_ENV} or use a netrc file"
        )
    return url


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


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


class Endpoint:
    """One SPARQL server: its query URL, update and graph-store URLs, the named graph and a timeout."""

    def __init__(
        self,
        query_url: str,
        graph: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.query_url = check_url(query_url)
        self.graph = graph or DEFAULT_GRAPH
        self.update_url = check_url(update_url, "update URL") if update_url else _sibling(query_url, "update")
        self.store_url = check_url(store_url, "graph store URL") if store_url else _sibling(query_url, "store")
        self.timeout = timeout
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[Any] = []
        found = credentials(self.query_url)
        if found:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url, self.store_url}:
                manager.add_password(None, url, *found)
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)

    def request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """One HTTP request; every failure becomes an :class:`EndpointError` naming the URL and the cause."""
        shown = public_url(url.split("?", 1)[0])
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.headers.get("Content-Type", ""), response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip().splitlines()
            first = next((line.strip() for line in detail if line.strip()), "")
            raise EndpointError(
                f"{shown} answered HTTP {exc.code} {exc.reason}" + (f": {first[:200]}" if first else "")
            ) from None
        except TimeoutError:
            raise EndpointError(f"{shown} did not answer within {self.timeout:g} s (--timeout)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"{shown} did not answer within {self.timeout:g} s (--timeout)") from None
            cause = getattr(reason, "strerror", None) or str(reason)
            raise EndpointError(f"cannot reach {shown}: {cause}") from None
        except (ConnectionError, OSError) as exc:
            raise EndpointError(f"cannot reach {shown}: {exc.strerror or exc}") from None

    def query(self, text: str) -> QueryResult:
        """Run a query (form POST, one named graph) and parse the answer by its form."""
        form = _query_form(text)
        accept = TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS
        data = urllib.parse.urlencode({"query": text, "default-graph-uri": self.graph}).encode("utf-8")
        answer = self.request(
            "POST",
            self.query_url,
            data,
            {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        )
        return _parse(answer, accept, text, public_url(self.query_url))

    def update(self, text: str) -> None:
        """Run SPARQL Update (used by ``push`` on servers without a graph store)."""
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


def _parse(answer: Answer, accept: str, text: str, url: str) -> QueryResult:
    from rdflib import Graph
    from rdflib.query import Result

    content_type = answer.content_type.split(";")[0].strip().lower()
    try:
        if accept == JSON_RESULTS:
            if content_type not in (JSON_RESULTS, "application/json"):
                raise ValueError(content_type or "no content type")
            return result_from_rdflib(Result.parse(io.BytesIO(answer.body), format="json"), text)
        if content_type not in (TURTLE, "application/x-turtle", "application/n-triples", "text/plain"):
            raise ValueError(content_type or "no content type")
        graph = Graph()
        graph.parse(data=answer.body.decode("utf-8"), format="turtle")
        return QueryResult(_query_form(text), triples=[tuple(map(normalize_term, t)) for t in graph])
    except Exception as exc:
        raise EndpointError(f"{url} answered something that is not SPARQL results ({exc})") from None


class EndpointBackend(Backend):
    """A knowledge graph that lives on a SPARQL server."""

    name = "endpoint"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def query(self, text: str) -> QueryResult:
        return self.endpoint.query(text)


# --- push ---------------------------------------------------------------------------------------------------------


@dataclass
class PushResult:
    triples: int
    method: str  # "graph store" or "update"


def push(endpoint: Endpoint, ontology: str | None = None, batch: int = 1000) -> PushResult:
    """Replace the endpoint's named graph with the ontology (pushing twice leaves the same store)."""
    from .store import RdflibBackend, ontology_files

    local = RdflibBackend()
    for file in ontology_files(ontology):
        local.load_turtle(file)
    graph = local.graph
    lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
    body = ("\n".join(lines) + "\n").encode("utf-8")
    target = (
        endpoint.store_url
        + ("&" if "?" in endpoint.store_url else "?")
        + urllib.parse.urlencode({"graph": endpoint.graph})
    )
    try:
        endpoint.request("PUT", target, body, {"Content-Type": "application/n-triples"})
        return PushResult(len(lines), "graph store")
    except EndpointError as exc:
        if not any(f"HTTP {code}" in str(exc) for code in (400, 401, 403, 404, 405, 501)):
            raise
    # no usable graph store: replace the graph with SPARQL Update, in batches
    endpoint.update(f"DROP SILENT GRAPH <{endpoint.graph}>")
    for start in range(0, len(lines), batch):
        chunk = "\n".join(lines[start : start + batch])
        endpoint.update(f"INSERT DATA {{ GRAPH <{endpoint.graph}> {{\n{chunk}\n}} }}")
    return PushResult(len(lines), "update")
