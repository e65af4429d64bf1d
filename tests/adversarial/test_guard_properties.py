"""Property: no generated query that the executing engine reads as SERVICE (or Update) passes the guard.

Queries are built from pieces known to confuse parsers (escapes, comments ended by CR, strings holding
quotes and ``#``, glued tokens, case) around a SERVICE clause aimed at a loopback trap. Each query the guard
lets through is then run by pyoxigraph in this process, without the sandbox: the trap must count nothing.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtgraph.errors import UsageError
from virtgraph.graph import load, prepare_query
from virtgraph.store import QueryResult

from ..support.trap import Trap

SEPARATORS = [" ", "\n", "\r", "\r\n", "\t", "# c\n", "# c\r", "#\u2028x\n", "\\u0020", "\\u000A", "\\u000D"]
NOISE = [
    'BIND("x\\u0022 #" AS ?q1)',
    'BIND("x\\U00000022 #" AS ?q2)',
    "BIND('y\\u0027 #' AS ?q3)",
    'BIND("""a""\\u0022 #""" AS ?q4)',
    'BIND("\\\\" AS ?q5)',
    'BIND("\\u005C" AS ?q6)',
    "FILTER(?z < 3)",
    "?a ?b ?c.",
    "?a ?b true",
    "# SERVICE <http://127.0.0.1:1/>\n",
    'BIND("SERVICE" AS ?q7)',
    "?a <http://e/x#y> ?c .",
]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "SERVICE SILENT"]
WRAPPERS = ["{}", "OPTIONAL {{ {} }}", "{{ ?x a ?t }} UNION {{ {} }}", "FILTER EXISTS {{ {} }}", "MINUS {{ {} }}"]


@pytest.fixture(scope="module")
def trap():
    found = Trap()
    yield found
    found.socket.close()


def queries(url: str) -> st.SearchStrategy[str]:
    separator = st.sampled_from(SEPARATORS)
    service = st.builds(
        lambda kw, s1, s2, iri: f"{kw}{s1}{iri}{s2}{{ ?s ?p ?o }}",
        st.sampled_from(KEYWORDS),
        separator,
        separator,
        st.sampled_from([f"<{url}>", f"<{url.replace('h', chr(92) + 'u0068', 1)}>", "?svc"]),
    )
    wrapped = st.builds(lambda w, s: w.format(s), st.sampled_from(WRAPPERS), service)
    body = st.lists(st.one_of(st.sampled_from(NOISE), wrapped), min_size=1, max_size=4)
    return st.builds(
        lambda parts, seps, end: (
            "SELECT * WHERE { VALUES ?svc { <"
            + url
            + "> } "
            + "".join(p + s for p, s in zip(parts, seps, strict=False))
            + end
        ),
        body,
        st.lists(separator, min_size=4, max_size=4),
        st.sampled_from(["}", "\n}", " } LIMIT 1"]),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_nothing_the_engine_reads_as_service_passes_the_guard(trap, data):
    text = data.draw(queries(trap.url))
    kg = load(store="oxigraph")
    try:
        final = prepare_query(text)
    except UsageError:
        return  # refused, or not SPARQL: nothing runs
    result: list[QueryResult] = []
    connections = trap.connections_after(lambda: _run_quietly(kg, final, result))
    assert connections == 0, f"the guard let through a query that reached the network: {text!r}"


def _run_quietly(kg, text: str, result: list) -> None:
    with contextlib.suppress(Exception):  # the engine's own error is fine; only a connection matters
        result.append(kg.backend.query(text))


UPDATES = [
    "INSERT DATA {{ <http://e/a> <http://e/b> <http://e/c> }}",
    "DELETE WHERE {{ ?s ?p ?o }}",
    "LOAD <{url}>",
    "CLEAR ALL",
    "DROP GRAPH <http://e/g>",
    "WITH <http://e/g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    update=st.sampled_from(UPDATES),
    before=st.sampled_from(["", "# c\r", "\ufeff", "PREFIX e: <http://e/>\n", "\\u0020"]),
    case=st.sampled_from([str, str.lower, str.swapcase]),
)
def test_no_update_passes_the_guard(trap, update, before, case):
    text = before + case(update.format(url=trap.url))
    with pytest.raises(UsageError):  # QueryRefused, or a syntax error where a disguise broke the text
        prepare_query(text)
