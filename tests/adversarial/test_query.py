"""Hostile queries: the offline guard against every SERVICE disguise, local limits, and bad query text.

A trap listener on 127.0.0.1 stands for "the network": each test asserts that not one connection reached it.
pyoxigraph's own HTTP client bypasses Python's audit hooks (tests/netguard.py), so the trap is what counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from virtgraph.errors import QueryFailed, QueryRefused, QuerySyntaxError, UsageError
from virtgraph.graph import load
from virtgraph.sandbox import Limits, run_isolated

from ..support.trap import Trap

STORES = ["oxigraph", "memory"]


@pytest.fixture(scope="module")
def trap():
    found = Trap()
    yield found
    found.socket.close()


def disguises(url: str) -> dict[str, str]:
    """SERVICE said in ways that one parser or another has been known to miss."""
    body = "{ ?s ?p ?o }"
    return {
        "escaped quote": f'SELECT * WHERE {{ BIND("x\\u0022 AS ?q) #" AS ?q) SERVICE <{url}> {body}\n}}',
        "long escaped quote": f'SELECT * WHERE {{ BIND("x\\U00000022 AS ?q) #" AS ?q) SERVICE <{url}> {body}\n}}',
        "comment ended by CR": f"SELECT * WHERE {{ # note\r SERVICE <{url}> {body}\n}}",
        "escaped backslash pair": f'SELECT * WHERE {{ BIND("x\\u005C" AS ?q) SERVICE <{url}> {body} }}',
        "lower case": f"select * where {{ service <{url}> {body} }}",
        "mixed case": f"SELECT * WHERE {{ SeRvIcE <{url}> {body} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {body} }}",
        "escapes in the IRI": f"SELECT * WHERE {{ SERVICE <{url.replace('h', chr(92) + 'u0068', 1)}> {body} }}",
        "glued to a triple": f"SELECT * WHERE {{ ?a ?b ?c.SERVICE<{url}>{body} }}",
        "variable IRI from VALUES": f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {body} }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {body} }} }} }}",
        "optional": f"SELECT * WHERE {{ ?x a ?t OPTIONAL {{ SERVICE <{url}> {body} }} }}",
        "union": f"SELECT * WHERE {{ {{ ?x a ?t }} UNION {{ SERVICE <{url}> {body} }} }}",
        "exists": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {body} }} }}",
        "minus": f"SELECT * WHERE {{ ?x a ?t MINUS {{ SERVICE <{url}> {body} }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}",
        "after a BOM": f"\ufeffSELECT * WHERE {{ SERVICE <{url}> {body} }}",
        "from": f"SELECT * FROM <{url}> WHERE {body}",
        "from named": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {body} }}",
    }


NAMES = list(disguises("http://127.0.0.1:1/"))
# Once escapes are expanded (SPARQL 1.1, section 19.2), as both engines now get them, SERVICE lies in a comment
NEUTRALISED = {"escaped quote", "long escaped quote"}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("name", NAMES)
def test_cli_refuses_every_disguise_and_nothing_connects(run, trap, store, name):
    text = disguises(trap.url)[name]
    results = []
    assert trap.connections_after(lambda: results.append(run("--store", store, "query", text))) == 0
    result = results[0]
    if name in NEUTRALISED:
        assert (result.exit_code, result.stdout) == (0, "q\n-\nx\n"), result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("name", NAMES)
def test_python_api_is_offline_too(trap, store, name):
    kg = load(store=store)
    text = disguises(trap.url)[name]

    def attempt() -> None:
        if name in NEUTRALISED:
            assert [str(row[0]) for row in kg.query(text).rows] == ["x"]
            return
        with pytest.raises(UsageError):
            kg.query(text)

    assert trap.connections_after(attempt) == 0


@pytest.mark.parametrize("store", STORES)
def test_allow_network_lets_service_through(trap, store):
    kg = load(store=store)
    text = f"SELECT * WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}"

    def attempt() -> None:
        with pytest.raises(QueryFailed):  # the trap hangs up without an answer
            kg.query(text, allow_network=True)

    assert trap.connections_after(attempt) >= 1


@pytest.mark.parametrize("store", STORES)
def test_the_child_has_no_sockets_even_if_the_guard_were_fooled(trap, store):
    """Second line of defence: the query process cannot open a socket, whatever the text says."""
    backend = load(store=store).backend
    text = f"SELECT * WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}"

    def attempt() -> None:
        with pytest.raises(QueryFailed):
            run_isolated(backend, text, Limits(timeout=20))

    assert trap.connections_after(attempt) == 0


# -- local limits -----------------------------------------------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("store", STORES)
def test_deadline_stops_a_cartesian_count(run, store):
    started = time.monotonic()
    result = run("--store", store, "--timeout", "1", "query", CARTESIAN)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr == "Error: the query took longer than 1 s (--timeout); add LIMIT or narrow it\n"


@pytest.mark.parametrize("store", STORES)
def test_deadline_covers_checking_a_huge_query(run, store):
    text = "SELECT * WHERE { VALUES ?x { " + " ".join(map(str, range(20000))) + " } }"  # 109 KB: seconds to parse
    started = time.monotonic()
    result = run("--store", store, "--timeout", "1", "query", text)
    assert time.monotonic() - started < 5  # the guard's own parse once ran for 7 s before any deadline began
    assert result.exit_code == 1
    assert result.stderr == "Error: the query took longer than 1 s (--timeout); add LIMIT or narrow it\n"


@pytest.mark.parametrize("store", STORES)
def test_catastrophic_regex_meets_the_deadline(run, store):
    text = 'ASK { BIND(CONCAT(REPEAT("a", 40), "!") AS ?s) FILTER(REGEX(?s, "^(a+)+$")) }'
    text = text.replace('REPEAT("a", 40)', '"' + "a" * 40 + '"')
    result = run("--store", store, "--timeout", "2", "query", text)
    assert result.exit_code in (0, 1)  # oxigraph's regex engine is linear and answers; rdflib's is stopped
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize("store", STORES)
def test_result_rows_are_capped(store):
    kg = load(store=store)
    with pytest.raises(QueryFailed, match="more than 100 rows; add LIMIT"):
        kg.query_limited("SELECT * WHERE { ?s ?p ?o }", Limits(max_rows=100))


def test_result_bytes_are_capped():
    with pytest.raises(QueryFailed, match="larger than 1 MiB"):
        load().query_limited("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 100000", Limits(max_bytes=1024 * 1024))


def test_ctrl_c_stops_a_running_query_at_once(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "virtgraph", "query", CARTESIAN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("virtgraph query did not stop within 10 s of Ctrl-C")
    assert process.returncode == 1
    assert stderr == "Error: the query was interrupted (Ctrl-C)\n"
    assert stdout == ""


# -- bad query text ---------------------------------------------------------------------------------------


def test_a_long_one_line_query_is_text_not_a_file_name(run):
    text = "SELECT ?x WHERE { ?x a ?type " + "FILTER(true) " * 40 + "} LIMIT 1"
    assert len(text.encode()) > 256
    result = run("query", text, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_non_utf8_query_text(run, tmp_path, source):
    data = 'SELECT ?x WHERE { ?x rdfs:label "café" }'.encode("latin-1")
    if source == "file":
        path = tmp_path / "q.rq"
        path.write_bytes(data)
        result = run("query", str(path))
    else:
        result = CliBytes(run).invoke("query", "-", input=data)
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.stderr
    assert len(result.stderr.splitlines()) == 1


class CliBytes:
    """The test runner, with bytes on stdin."""

    def __init__(self, run) -> None:
        self.run = run

    def invoke(self, *args: str, input: bytes):
        from virtgraph.cli import cli

        return self.run.runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("text", ["", "   \n\t", "# only a comment\n# and another"])
def test_empty_query_is_called_empty(run, text):
    result = run("query", "-", input=text)
    assert result.exit_code == 2
    assert result.stderr == "Error: the query is empty (only whitespace or comments)\n"


def test_bom_at_the_start_is_dropped(run, tmp_path):
    path = tmp_path / "bom.rq"
    path.write_bytes(b"\xef\xbb\xbfASK { vgc:ept vg:requires vgc:vt-x }")
    assert run("query", str(path)).stdout == "true\n"
    assert run("query", "-", input="\ufeffASK { vgc:ept vg:requires vgc:vt-x }").stdout == "true\n"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 2000 + "}" * 2000,
        "SELECT * WHERE { " + " ".join(f"?s{i} <http://e/p> ?o{i} ." for i in range(2000)) + " }",
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
    ],
    ids=["nested groups", "2000 patterns", "nested parentheses"],
)
@pytest.mark.parametrize("store", STORES)
def test_huge_or_deep_queries_give_one_line(run, store, text):
    result = run("--store", store, "--timeout", "20", "query", text)
    assert result.exit_code in (1, 2)
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: ")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s nosuchprefix:p ?o }",
        'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "(")) } LIMIT 1',
        'SELECT * WHERE { BIND(STRLANG("x", "not a tag!") AS ?l) }',
        'SELECT * WHERE { BIND(LANGMATCHES("x", 1) AS ?l) }',
    ],
    ids=["unknown prefix", "bad regex", "bad language tag", "wrong argument type"],
)
@pytest.mark.parametrize("store", STORES)
def test_evaluation_errors_give_one_line(run, store, text):
    result = run("--store", store, "query", text)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code:
        assert len(result.stderr.splitlines()) == 1


def test_a_query_file_that_is_a_fifo_is_refused(run, tmp_path):
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    result = run("query", str(fifo))
    assert result.exit_code == 2
    assert result.stderr == f"Error: query file is not a regular file: {fifo}\n"


def test_left_over_escape_is_refused():
    with pytest.raises(QueryRefused, match=r"\\u escape left"):
        load().query('ASK { FILTER("\\u005Cu0022" = "") }')


def test_lone_surrogate_escape_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError, match="not a Unicode character"):
        load().query('ASK { FILTER("\\uD800" = "") }')
