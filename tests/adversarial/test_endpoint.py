"""Remote endpoints that misbehave: every answer is one ``Error:`` line with the documented exit code.

Each server comes from :mod:`tests.adversarial.misbehaving` and listens on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import time

import pytest

from virtgraph.endpoint import Endpoint, EndpointBackend
from virtgraph.errors import EndpointError

from . import misbehaving as mb

SELECT = "SELECT ?s WHERE { ?s ?p ?o }"
JSON_TYPE = "application/sparql-results+json"
OK_JSON = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'


def ask(run, server: mb.Server, *options: str):
    """Run one SELECT through the CLI against ``server``; the result must be a single error line."""
    result = run("--endpoint", server.url + "sparql", *options, "query", SELECT)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result


# --- a total deadline -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("after", [0, len(mb.response(200, OK_JSON, JSON_TYPE)) - len(OK_JSON)], ids=["head", "body"])
def test_a_dripping_server_is_cut_off_at_the_deadline(run, after):
    """One byte per 0.5 s would take ~60 s; ``--timeout 1`` is the limit for the whole request."""
    with mb.serving(mb.drip(mb.response(200, OK_JSON, JSON_TYPE), 0.5, after)) as server:
        started = time.monotonic()
        result = ask(run, server, "--timeout", "1")
        assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url}sparql did not answer within 1 s (--timeout)\n"


# --- a size cap -------------------------------------------------------------------------------------------------


def test_an_announced_oversized_answer_is_refused_before_reading(run):
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: {200 * 2**20}\r\n\r\n".encode()
    with mb.serving(mb.endless(head)) as server:
        result = ask(run, server)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url}sparql sent an answer larger than 64 MiB; refused\n"


@pytest.mark.parametrize("framing", ["Connection: close", "Transfer-Encoding: chunked"])
def test_an_endless_answer_stops_at_the_cap(framing):
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\n{framing}\r\n\r\n".encode()
    piece = b"10000\r\n" + b" " * 0x10000 + b"\r\n" if "chunked" in framing else b" " * 0x10000
    with mb.serving(mb.endless(head, piece)) as server:
        endpoint = Endpoint(server.url + "sparql", max_bytes=2**20)
        with pytest.raises(EndpointError) as caught:
            endpoint.query(SELECT)
    assert str(caught.value) == f"{server.url}sparql sent an answer larger than 1 MiB; refused"


# --- broken HTTP ------------------------------------------------------------------------------------------------

CHUNKED = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
BROKEN = {
    "body cut short": (
        f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: 500\r\n\r\n".encode() + OK_JSON,
        "the body ended early or its chunks are broken",
    ),
    "bad chunk size": (
        CHUNKED + b"zz\r\n" + OK_JSON + b"\r\n0\r\n\r\n",
        "the body ended early or its chunks are broken",
    ),
    "chunk cut short": (CHUNKED + b"400\r\n" + OK_JSON, "the body ended early or its chunks are broken"),
    "junk status line": (b"SPARQL is great\r\n\r\n" + OK_JSON, "the status line is not HTTP"),
    "nothing at all": (b"", "closed the connection without answering"),
    "too many headers": (
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n",
        "got more than 100 headers",
    ),
    "header line too long": (
        b"HTTP/1.1 200 OK\r\nX: " + b"y" * 70000 + b"\r\n\r\n",
        "a line of the answer is too long",
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_http_is_one_line(run, name):
    data, words = BROKEN[name]
    with mb.serving(mb.raw(data)) as server:
        result = ask(run, server)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url}sparql sent a broken HTTP answer: {words}\n"


def test_a_reset_in_the_middle_of_the_body(run):
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: 500\r\n\r\n".encode()
    with mb.serving(mb.reset(head + OK_JSON[:10])) as server:
        result = ask(run, server)
    assert result.exit_code == 1
    assert result.stderr in (
        f"Error: cannot reach {server.url}sparql: Connection reset by peer\n",
        f"Error: {server.url}sparql sent a broken HTTP answer: the body ended early or its chunks are broken\n",
    )


# --- bad SPARQL JSON --------------------------------------------------------------------------------------------

BAD_JSON = {
    "not JSON": (b"{'head': ", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    "variable not in head": (
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"t": {"type": "uri", "value": "http://e/t"}}]}},
        "variable ?t is not in the head",
    ),
    "value not a string": (
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": 5}}]}},
        "a bound value is not an object with a string 'value'",
    ),
    "unknown term type": (
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "triple", "value": "x"}}]}},
        "unknown term type 'triple'",
    ),
    "vars not a list": ({"head": {"vars": "s"}, "results": {"bindings": []}}, "no list of variables in the head"),
    "bindings not a list": ({"head": {"vars": ["s"]}, "results": {"bindings": {}}}, "no list of bindings"),
    "a list, not an object": ([1, 2], "not a JSON object"),
    "bad language tag": (
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": "x", "xml:lang": 7}}]}},
        "a literal's language or datatype is not a string",
    ),
    "IRI with a space": (
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://e/a b"}}]}},
        "IRI 'http://e/a b' is not valid",
    ),
}


@pytest.mark.parametrize("name", BAD_JSON)
def test_bad_sparql_json_is_one_line(run, name):
    payload, reason = BAD_JSON[name]
    with mb.serving(mb.sparql_json(payload)) as server:
        result = ask(run, server)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url}sparql answered something that is not SPARQL results ({reason})\n"


def test_deeply_nested_json_is_one_line(run):
    with mb.serving(mb.sparql_json(b"[" * 200_000)) as server:
        result = ask(run, server)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {server.url}sparql answered something that is not SPARQL results (")


def test_good_json_still_parses():
    payload = {
        "head": {"vars": ["s", "o"]},
        "results": {
            "bindings": [
                {"s": {"type": "uri", "value": "http://e/s"}, "o": {"type": "literal", "value": "x", "xml:lang": "ZH"}},
                {"s": {"type": "bnode", "value": "b0"}},
            ]
        },
    }
    with mb.serving(mb.sparql_json(payload)) as server:
        result = EndpointBackend(Endpoint(server.url + "sparql")).query("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert result.variables == ["s", "o"]
    assert [str(t) if t is not None else None for t in result.rows[0]] == ["http://e/s", "x"]
    assert result.rows[0][1].language == "zh" and result.rows[1][1] is None


# --- redirects --------------------------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused(run):
    with mb.serving(mb.sparql_json(OK_JSON)) as elsewhere:
        with mb.serving(mb.redirect(elsewhere.url + "sparql", 307)) as server:
            result = ask(run, server)
        assert elsewhere.requests == []
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {server.url}sparql answered HTTP 307, a redirect to another host ({elsewhere.url}sparql); refused\n"
    )


@pytest.mark.parametrize("status", [301, 302, 303, 308])
def test_a_redirect_on_the_same_host_is_named_not_followed(run, status):
    with mb.serving(mb.redirect("/elsewhere", status)) as server:
        result = ask(run, server)
    assert len(server.requests) == 1
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {server.url}sparql answered HTTP {status}, a redirect to {server.url}elsewhere;"
        " redirects are not followed, pass that URL\n"
    )


def test_a_redirect_target_never_shows_credentials(run):
    with mb.serving(mb.redirect("http://alice:hunter2@127.0.0.1:9/sparql")) as server:
        result = ask(run, server)
    assert "hunter2" not in result.output
    assert result.stderr.endswith("a redirect to another host (http://127.0.0.1:9/sparql); refused\n")


# --- credentials ------------------------------------------------------------------------------------------------


def test_a_server_echoing_the_authorization_header_does_not_leak_it(run, monkeypatch):
    monkeypatch.setenv("VIRTGRAPH_ENDPOINT_USER", "reader")
    monkeypatch.setenv("VIRTGRAPH_ENDPOINT_PASSWORD", "s3cret-pw")
    token = base64.b64encode(b"reader:s3cret-pw").decode()
    with mb.serving(mb.echo_authorization()) as server:
        result = ask(run, server)
    assert server.requests[-1].headers["authorization"] == f"Basic {token}"  # the server did see them
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url}sparql answered HTTP 403 Status\n"
    assert "s3cret" not in result.output and token not in result.output


def test_an_error_body_is_shown_when_it_is_harmless(run):
    with mb.serving(mb.answer(500, b"\n  query failed:\x1b[31m red\xe2\x80\xa8tail\nmore\n", "text/plain")) as server:
        result = ask(run, server)
    assert result.stderr == f"Error: {server.url}sparql answered HTTP 500 Status: query failed: [31m red tail\n"


# --- names checked before any connection ----------------------------------------------------------------------

BAD_URLS = {
    "port out of range": (
        ("--endpoint", "http://127.0.0.1:99999/sparql", "lookup", "kvm"),
        "endpoint URL has a port outside 1-65535: 'http://127.0.0.1:99999/sparql'",
    ),
    "port zero": (
        ("--endpoint", "http://127.0.0.1:0/sparql", "lookup", "kvm"),
        "endpoint URL has a port outside 1-65535: 'http://127.0.0.1:0/sparql'",
    ),
    "port not a number": (
        ("--endpoint", "http://127.0.0.1:http/sparql", "lookup", "kvm"),
        "endpoint URL has a port outside 1-65535: 'http://127.0.0.1:http/sparql'",
    ),
    "no host": (
        ("--endpoint", "http:///sparql", "lookup", "kvm"),
        "endpoint URL must be an http(s) URL with a host, like http://127.0.0.1:7878/query, not 'http:///sparql'",
    ),
    "space": (
        ("--endpoint", "http://127.0.0.1:7878/my query", "lookup", "kvm"),
        "endpoint URL must not hold spaces, control or non-ASCII characters (percent-encode them):"
        " 'http://127.0.0.1:7878/my query'",
    ),
    "newline": (
        ("--endpoint", "http://127.0.0.1:7878/q\nHost: x", "lookup", "kvm"),
        "endpoint URL must not hold spaces, control or non-ASCII characters (percent-encode them):"
        " 'http://127.0.0.1:7878/q\\nHost: x'",
    ),
    "bad IPv6": (
        ("--endpoint", "http://[::1/sparql", "lookup", "kvm"),
        "endpoint URL has a port outside 1-65535: 'http://[::1/sparql'",
    ),
    "update URL scheme": (
        ("--endpoint", "http://127.0.0.1:7878/query", "push", "--update-url", "ftp://127.0.0.1/update"),
        "update URL must be an http(s) URL with a host, like http://127.0.0.1:7878/query, not 'ftp://127.0.0.1/update'",
    ),
    "update URL credentials": (
        ("--endpoint", "http://127.0.0.1:7878/query", "push", "--update-url", "http://u:pw@127.0.0.1:7878/u"),
        "credentials in the update URL are not accepted;"
        " set VIRTGRAPH_ENDPOINT_USER/VIRTGRAPH_ENDPOINT_PASSWORD or use a netrc file",
    ),
    "store URL port": (
        ("--endpoint", "http://127.0.0.1:7878/query", "push", "--store-url", "http://127.0.0.1:65536/store"),
        "graph store URL has a port outside 1-65535: 'http://127.0.0.1:65536/store'",
    ),
    "scheme-less credentials": (
        ("--endpoint", "admin:pa55word@127.0.0.1:8890/sparql", "lookup", "kvm"),
        "credentials in the endpoint URL are not accepted;"
        " set VIRTGRAPH_ENDPOINT_USER/VIRTGRAPH_ENDPOINT_PASSWORD or use a netrc file",
    ),
    "graph injection": (
        ("--endpoint", "http://127.0.0.1:7878/query", "--graph", "http://e/g> } ; DROP ALL ; #", "push"),
        "graph IRI must be absolute, without spaces or <>\"{}|^`\\: 'http://e/g> } ; DROP ALL ; #'",
    ),
    "relative graph": (
        ("--endpoint", "http://127.0.0.1:7878/query", "--graph", "kg", "lookup", "kvm"),
        "graph IRI must be absolute, without spaces or <>\"{}|^`\\: 'kg'",
    ),
}


@pytest.mark.parametrize("name", BAD_URLS)
def test_bad_urls_and_graphs_are_usage_errors(run, name):
    args, message = BAD_URLS[name]
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert "URL URL" not in result.stderr and "pa55word" not in result.stderr and "pw@" not in result.stderr


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "inf is not in the range 0.1<=x<=86400."),
        ("1e308", "1e+308 is not in the range 0.1<=x<=86400."),
        ("0", "0.0 is not in the range 0.1<=x<=86400."),
        ("nan", "nan is not a number of seconds"),
    ],
)
def test_a_timeout_out_of_range_is_a_usage_error(run, value, reason):
    result = run("--endpoint", "http://127.0.0.1:7878/query", "--timeout", value, "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr == f"Error: Invalid value for '--timeout': {reason}\n"
