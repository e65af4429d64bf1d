"""The command line against SPARQL endpoints (--endpoint, --graph, push) and every way a server can fail."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

import pytest

from virtgraph.concepts import concept_card
from virtgraph.endpoint import Endpoint, EndpointBackend
from virtgraph.graph import KnowledgeGraph, load

from .netguard import allow_port
from .support.servers import remote

pytestmark = pytest.mark.server


@pytest.mark.dot
def test_cli_against_the_server(run, server, tmp_path):
    lookup = run("--endpoint", server.url, "lookup", "准虚拟化")
    assert lookup.exit_code == 0
    assert lookup.stdout == run("lookup", "准虚拟化").stdout
    query = run("--endpoint", server.url, "query", "features-by-vendor", "--lang", "en", "--format", "csv")
    assert query.stdout == run("query", "features-by-vendor", "--lang", "en", "--format", "csv").stdout
    out = tmp_path / "out"
    assert run("--endpoint", server.url, "render", "--all", "--output-dir", str(out)).exit_code == 0
    assert run("render", "--check", "--output-dir", str(out)).exit_code == 0  # same DOT as the local files
    assert run("--endpoint", server.url, "validate").stdout == run("validate").stdout
    assert run("--endpoint", server.url, "docs", "check", "docs/", "README.md").exit_code == 0


def test_push_twice_gives_the_same_store(run, server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    kg = remote(server)
    before = int(kg.query(count).rows[0][0])
    result = run("--endpoint", server.url, "push")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"pushed {before} triples to <https://w3id.org/virtgraph/graph> by ")
    assert int(kg.query(count).rows[0][0]) == before == len(load(store="memory"))


def test_named_graphs_are_kept_apart(run, server):
    other = "https://example.org/empty-graph"
    result = run("--endpoint", server.url, "--graph", other, "lookup", "kvm")
    assert result.exit_code == 1
    assert result.stderr == "Error: no concept is called 'kvm'\n"
    kg = KnowledgeGraph(EndpointBackend(Endpoint(server.url, graph=other)), server.url)
    assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 0


def test_push_by_sparql_update_when_there_is_no_graph_store(run, server):
    """A store URL that does not exist makes push fall back to SPARQL Update, with the same result."""
    base = server.url.rsplit("/", 1)[0]
    update = f"{base}/update" if server.name == "oxigraph" else server.url
    result = run(
        "--endpoint",
        server.url,
        "--graph",
        "https://example.org/by-update",
        "push",
        "--store-url",
        f"{base}/no-graph-store-here",
        "--update-url",
        update,
    )
    assert result.exit_code == 0, result.stderr
    assert " by update in " in result.stdout
    kg = KnowledgeGraph(EndpointBackend(Endpoint(server.url, graph="https://example.org/by-update")), server.url)
    assert int(kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]) == len(load(store="memory"))
    assert (
        concept_card(kg, "https://w3id.org/virtgraph/concept/kvm", "zh").to_json()
        == concept_card(load(), "https://w3id.org/virtgraph/concept/kvm", "zh").to_json()
    )


# --- failures ---------------------------------------------------------------------------------------------------


def test_unreachable_endpoint_fails_fast_with_one_line(run):
    started = time.monotonic()
    allow_port(9)  # nothing listens on the discard port: the endpoint this test names is dead on purpose
    result = run("--endpoint", "http://127.0.0.1:9/", "--timeout", "3", "lookup", "kvm")
    assert time.monotonic() - started < 3
    assert result.exit_code == 1
    assert result.stderr == "Error: cannot reach http://127.0.0.1:9/: Connection refused\n"


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    allow_port(listener.getsockname()[1])
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_timeout(run, silent_server, tmp_path):
    target = tmp_path / "eras.svg"
    target.write_text("previous", encoding="utf-8")
    started = time.monotonic()
    result = run("--endpoint", silent_server, "--timeout", "0.5", "render", "--view", "eras", "-o", str(target))
    assert 0.4 < time.monotonic() - started < 3
    assert result.exit_code == 1
    assert result.stderr == f"Error: {silent_server} did not answer within 0.5 s (--timeout)\n"
    assert target.read_text(encoding="utf-8") == "previous"


def test_http_error(run, oxigraph_server):
    base = oxigraph_server.url.rsplit("/", 1)[0]
    missing = run("--endpoint", f"{base}/nothing-here", "lookup", "kvm")
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: {base}/nothing-here answered HTTP 404")
    assert len(missing.stderr.splitlines()) == 1


@pytest.fixture
def html_server():
    """An HTTP server that answers every request with a web page, as a misconfigured endpoint URL would."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"<html><body>Welcome</body></html>")

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Page)
    allow_port(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_answer_that_is_not_sparql_results(run, html_server):
    result = run("--endpoint", html_server, "query", "concepts-by-class")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {html_server} answered something that is not SPARQL results (text/html)\n")
    assert result.stdout == ""


def test_credentials_never_come_from_the_command_line(run):
    result = run("--endpoint", "http://user:s3cret@127.0.0.1:9/sparql", "lookup", "kvm")
    assert result.exit_code == 2
    assert "s3cret" not in result.output
    assert result.stderr.startswith("Error: credentials in the endpoint URL are not accepted;")


def test_credentials_from_environment_stay_out_of_errors(run, monkeypatch):
    monkeypatch.setenv("VIRTGRAPH_ENDPOINT_USER", "reader")
    monkeypatch.setenv("VIRTGRAPH_ENDPOINT_PASSWORD", "s3cret")
    result = run("--endpoint", "http://127.0.0.1:9/sparql", "lookup", "kvm")
    assert result.exit_code == 1
    assert "s3cret" not in result.output and "reader" not in result.output


def test_push_needs_an_endpoint(run):
    result = run("push")
    assert result.exit_code == 2
    assert result.stderr == "Error: no endpoint: pass --endpoint URL or set VIRTGRAPH_ENDPOINT\n"


def test_json_card_from_server_is_valid_json(run, server):
    card = json.loads(run("--endpoint", server.url, "lookup", "EPT", "--format", "json").stdout)
    assert card["id"] == "vgc:ept"
