"""The read-only, offline check of a user's query (guard.py): refusals, syntax error positions, escapes."""

from __future__ import annotations

import pytest

from virtgraph.errors import QueryRefused, QuerySyntaxError
from virtgraph.guard import check_query, normalize_query


def test_check_query_accepts_plain_select():
    check_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_check_query_refusals():
    with pytest.raises(QueryRefused, match="SPARQL Update"):
        check_query("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query("SELECT * WHERE { SERVICE <http://e/s> { ?s ?p ?o } }")
    with pytest.raises(QueryRefused, match="FROM"):
        check_query("SELECT * FROM NAMED <http://e/g> WHERE { ?s ?p ?o }")
    check_query("SELECT * WHERE { SERVICE <http://e/s> { ?s ?p ?o } }", allow_network=True)


def test_syntax_error_position():
    with pytest.raises(QuerySyntaxError, match=r"line 1, column 1"):
        check_query("SELEC * WHERE { }")


def test_check_query_judges_what_pyoxigraph_reads():
    """Escapes are expanded and line ends normalised before the check, so both engines read the same text."""

    hidden = "SELECT * WHERE { # c\r SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n}"
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(normalize_query(hidden))
    assert normalize_query('ASK { FILTER("\\u0041" = "A") }') == 'ASK { FILTER("A" = "A") }'
