"""Query text (sparql.py): prefixes, parameters that stay one literal or IRI, names vs files vs text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from virtgraph.errors import UsageError
from virtgraph.graph import load
from virtgraph.sparql import bind_parameters, resolve_query, with_prefixes


def test_prefixes_are_added_only_when_missing():
    text = with_prefixes("PREFIX vg: <http://other/> SELECT * WHERE { ?s ?p ?o }")
    assert "PREFIX vg: <https://w3id.org/virtgraph/ontology#>" not in text
    assert "PREFIX vgc: <https://w3id.org/virtgraph/concept/>" in text
    assert text.endswith("PREFIX vg: <http://other/> SELECT * WHERE { ?s ?p ?o }")


def test_unbound_parameters_stay_variables():
    assert bind_parameters("SELECT ?_lang WHERE {}", {}) == "SELECT ?_lang WHERE {}"


@settings(deadline=None)
@given(st.text())
def test_any_literal_parameter_stays_one_literal(value):
    """Whatever the user passes, it becomes exactly one string literal with the same value."""
    kg = load()
    rows = kg.select("SELECT ?v WHERE { BIND(?_value AS ?v) }", value=value)
    assert [str(r["v"]) for r in rows] == [value]


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(['"', "\\", "u", "0", "2", "}", "#", " ", "\n", "\r", "S"])))
def test_a_parameter_never_breaks_out_of_its_literal_on_the_memory_store(value):
    """rdflib expands \\u escapes even inside literals; a bound value still stays one literal."""
    rows = load(store="memory").select("SELECT ?v WHERE { BIND(?_value AS ?v) }", value=value)
    assert len(rows) == 1 and set(rows[0]) == {"v"}


@pytest.mark.parametrize("bad", ["http://e/a> . ?s ?p ?o . <x", "http://e/a b", "", 'http://e/"'])
def test_iri_parameters_reject_what_would_break_out(bad):
    with pytest.raises(UsageError, match="not a valid IRI"):
        bind_parameters("DESCRIBE ?_thing_iri", {"thing_iri": bad})


def test_long_text_is_not_taken_for_a_file_name():
    text = "ASK { " + "?s ?p ?o . " * 40 + "}"
    assert resolve_query(text) == text


def test_resolve_query_prefers_names_then_files_then_text(tmp_path):
    assert "vg:hypervisorType" in resolve_query("products-by-hypervisor-type")
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert resolve_query(str(path)) == "ASK {}"
    assert resolve_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
@pytest.mark.parametrize(
    "value", ["\\U0000", "\\u0041", "\\\\u", "a\\UZZ", "\\U0001F600x", "\\U00000000000000", "\\u\\U"]
)
def test_a_backslash_before_u_stays_itself(store, value):
    """Engines expand \\u and \\U escapes before they parse, even right after an escaped backslash; a value
    holding a backslash, a u and hex digits still comes back as it was (found by hypothesis: \\U0000 was a
    syntax error)."""
    rows = load(store=store).select("SELECT ?v WHERE { BIND(?_value AS ?v) }", value=value)
    assert [str(r["v"]) for r in rows] == [value]


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(["\\", "u", "U", "0", "1", "F", "a", '"', " "]), max_size=16))
def test_escape_like_values_round_trip(value):
    rows = load().select("SELECT ?v WHERE { BIND(?_value AS ?v) }", value=value)
    assert [str(r["v"]) for r in rows] == [value]
