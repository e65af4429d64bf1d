"""``push`` against the real Oxigraph and Virtuoso servers: the named graph is replaced completely or not at all.

Failures are injected by a loopback proxy (:func:`misbehaving.forward`) between virtgraph and the server.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from virtgraph.endpoint import Endpoint, push
from virtgraph.errors import EndpointError
from virtgraph.graph import load

from . import misbehaving as mb

pytestmark = pytest.mark.server
OLD = "<http://e/old> <http://e/p> 'old one' , 'old two'"
HOSTILE = '\u2028 \u2029 \u0085 \u000b \u000c \u001c \u001d \u001e \r\n \\u0022 " \\ end'
BROKEN_LINE = b'<bad iri> <http://e/p> "x" .\n'


@pytest.fixture(params=["oxigraph", "virtuoso"])
def real(request):
    """A real server and its (query, update, graph store) paths."""
    server = request.getfixturevalue(f"{request.param}_server")
    base, query = server.url.rsplit("/", 1)
    server.paths = ("/query", "/update", "/store") if query == "query" else ("/sparql", "/sparql", "/sparql-graph-crud")
    server.base = base
    return server


def endpoint(base: str, paths: tuple[str, ...], graph: str) -> Endpoint:
    query, update, store = (base + path for path in paths)
    return Endpoint(query, graph=graph, update_url=update, store_url=store, timeout=30)


def seed(server, graph: str) -> None:
    """The graph holds two old triples, and nothing else."""
    target = endpoint(server.base, server.paths, graph)
    target.update(f"DROP SILENT GRAPH <{graph}>")
    target.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {OLD.replace(chr(39), chr(34))} }} }}")


def values(server, graph: str) -> set[str]:
    result = endpoint(server.base, server.paths, graph).query("SELECT ?o WHERE { ?s ?p ?o }")
    return {str(row[0]) for row in result.rows}


def count(server, graph: str) -> int:
    result = endpoint(server.base, server.paths, graph).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(str(result.rows[0][0]))


def staging_graphs(server) -> list[str]:
    """Graphs a push left behind (``urn:virtgraph:push:...``)."""
    query = 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:virtgraph:push:")) }'
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(server.base + server.paths[0], data=data)
    request.add_header("Accept", "application/sparql-results+json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return [b["g"]["value"] for b in json.loads(answer.read())["results"]["bindings"]]


def turtle_string(text: str) -> str:
    """``text`` as a Turtle string, every control or line-separating character as a ``\\u`` escape."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{ord(c):04X}" if not c.isprintable() else c for c in escaped) + '"'


def ontology(tmp_path, text: str):
    path = tmp_path / "kg.ttl"
    path.write_text("@prefix e: <http://e/> .\n" + text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("method", ["graph store", "update"])
def test_literals_with_line_separators_survive_a_push(run, real, tmp_path, method):
    """str.splitlines() broke these literals, the server refused the body, and the old graph was dropped."""
    graph = f"http://e/hostile/{method.replace(' ', '-')}"
    seed(real, graph)
    literals = [*HOSTILE.split(" "), HOSTILE]
    path = ontology(tmp_path, "".join(f"e:s e:p{i} {turtle_string(text)} .\n" for i, text in enumerate(literals)))
    options = ("--store-url", real.base + "/no-graph-store-here") if method == "update" else ()
    result = run("--endpoint", real.url, "--graph", graph, "--ontology", path, "push", *options)
    assert result.exit_code == 0, result.stderr
    assert f" by {method} in " in result.stdout
    local = load(path, store="memory")
    assert values(real, graph) == {str(o) for _, _, o in local.backend.graph}
    assert staging_graphs(real) == []


def test_a_failing_update_batch_leaves_the_old_graph(real):
    """No graph store, and the third INSERT fails: the old code had dropped the graph before."""
    graph = "http://e/batch-fails"
    seed(real, graph)

    def meddle(request: mb.Request, number: int) -> mb.Request | bytes:
        if request.method == "PUT":
            return mb.answer_bytes(404, b"no graph store here\n")
        return mb.answer_bytes(500, b"out of memory\n") if number == 3 else request

    with mb.serving(mb.forward(real.base, meddle)) as proxy, pytest.raises(EndpointError, match=r"500 Status: out of"):
        push(endpoint(proxy.url.rstrip("/"), real.paths, graph), batch=200)
    assert values(real, graph) == {"old one", "old two"}
    assert staging_graphs(real) == []


def test_a_failing_graph_store_put_leaves_the_old_graph(real):
    """The server refuses the body on its last line; Virtuoso has by then replaced the graph it was PUT to."""
    graph = "http://e/put-fails"
    seed(real, graph)

    def meddle(request: mb.Request, number: int) -> mb.Request | bytes:
        if request.method == "PUT":
            request.body += BROKEN_LINE
        elif b"INSERT" in urllib.parse.unquote_plus(request.body.decode()).encode():
            return mb.answer_bytes(403, b"no update rights\n")
        return request

    with mb.serving(mb.forward(real.base, meddle)) as proxy, pytest.raises(EndpointError, match=r"HTTP (403|500)"):
        push(endpoint(proxy.url.rstrip("/"), real.paths, graph))
    assert values(real, graph) == {"old one", "old two"}
    assert staging_graphs(real) == []


def test_a_failing_move_leaves_the_old_graph(real):
    graph = "http://e/move-fails"
    seed(real, graph)

    def meddle(request: mb.Request, number: int) -> mb.Request | bytes:
        if b"MOVE" in urllib.parse.unquote_plus(request.body.decode()).encode():
            return mb.answer_bytes(503, b"busy\n")
        return request

    with mb.serving(mb.forward(real.base, meddle)) as proxy, pytest.raises(EndpointError, match=r"503 Status: busy$"):
        push(endpoint(proxy.url.rstrip("/"), real.paths, graph))
    assert values(real, graph) == {"old one", "old two"}
    assert staging_graphs(real) == []


def test_a_push_replaces_the_old_graph_completely(real):
    graph = "http://e/replaced"
    seed(real, graph)
    result = push(endpoint(real.base, real.paths, graph))
    assert result.method == "graph store"
    assert count(real, graph) == result.triples == len(load(store="memory"))
    assert not values(real, graph) & {"old one", "old two"}


def test_blank_nodes_stay_one_node_across_update_batches(real, tmp_path):
    graph = "http://e/blank-nodes"
    path = ontology(tmp_path, "".join(f'e:s{i} e:p [ e:q "{i}" ; e:r "r{i}" ] .\n' for i in range(6)))
    target = endpoint(real.base, real.paths, graph)
    target.store_url = real.base + "/no-graph-store-here"
    assert push(target, path, batch=2).method == "update"
    shape = "SELECT ?s ?q ?r WHERE { ?s <http://e/p> ?b . ?b <http://e/q> ?q ; <http://e/r> ?r }"
    rows = {tuple(map(str, row)) for row in target.query(shape).rows}
    assert rows == {(f"http://e/s{i}", str(i), f"r{i}") for i in range(6)}
    assert count(real, graph) == 18


def test_a_graph_iri_cannot_inject_update_operations(run, real):
    before = count(real, "https://w3id.org/virtgraph/graph") if staging_graphs(real) == [] else None
    evil = "http://e/x> } } ; DROP ALL ; INSERT DATA { GRAPH <http://e/y> { <http://e/a> <http://e/b> <http://e/c>"
    result = run("--endpoint", real.url, "--graph", evil, "push", "--store-url", real.base + "/no-graph-store-here")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: graph IRI must be absolute, without spaces or")
    assert count(real, "https://w3id.org/virtgraph/graph") == before
