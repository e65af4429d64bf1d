"""`virtgraph query`: shipped queries, files, text, formats, languages and every refusal."""

from __future__ import annotations

import json

import pytest

from virtgraph.sparql import named_queries


def test_list_shows_every_shipped_query_with_a_description(run):
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(named_queries()) >= 10
    first = lines[0].split(None, 1)
    assert first[0] == "classification-lists"
    assert first[1] == "The source document's classification lists, the axis each classifies on, and their members."
    assert all(len(line.split(None, 1)) == 2 for line in lines)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_shipped_query_answers_in_both_languages(run, name):
    for lang in ("zh", "en"):
        result = run("query", name, "--lang", lang, "--format", "json")
        assert result.exit_code == 0, result.stderr
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert bindings, f"{name} returned no rows in {lang}"


def test_products_by_hypervisor_type_table_in_english(run):
    result = run("query", "products-by-hypervisor-type", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "type              | product            | alsoClaimedAs"
    assert lines[1] == "------------------+--------------------+------------------"
    assert lines[2] == "Type 1 hypervisor | Citrix Hypervisor  |"
    assert "Type 1 hypervisor | KVM                | Type 2 hypervisor" in lines
    assert "Type 2 hypervisor | KVM                | Type 1 hypervisor" in lines
    assert lines[-1] == "Type 2 hypervisor | VirtualBox         |"  # code-point order: "VM" < "Vi"


def test_table_aligns_chinese_as_double_width(run):
    result = run("query", "products-by-hypervisor-type", "--lang", "zh")
    lines = result.stdout.splitlines()
    assert lines[0] == "type      | product            | alsoClaimedAs"
    assert lines[2] == "1型虚拟化 | Citrix Hypervisor  |"
    assert "2型虚拟化 | KVM                | 1型虚拟化" in lines
    # every '|' sits in the same terminal column once wide characters count as two
    from virtgraph.display import width as display_width

    columns = {display_width(line.split("|")[0]) for line in lines if "|" in line}
    assert columns == {10}


def test_json_is_sparql_results_json(run):
    query = "SELECT ?f ?y WHERE { vgc:ept vg:firstShippedYear ?y BIND(vgc:ept AS ?f) }"
    result = run("query", query, "--format", "json")
    assert json.loads(result.stdout) == {
        "head": {"vars": ["f", "y"]},
        "results": {
            "bindings": [
                {
                    "f": {"type": "uri", "value": "https://w3id.org/virtgraph/concept/ept"},
                    "y": {
                        "type": "literal",
                        "value": "2008",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    },
                }
            ]
        },
    }


def test_csv_and_tsv(run):
    query = 'SELECT ?l WHERE { vgc:rvi skos:prefLabel ?l FILTER(lang(?l) = "en") }'
    assert run("query", query, "--format", "csv").stdout_bytes == b"l\r\nRVI/NPT\r\n"
    assert run("query", query, "--format", "tsv").stdout == '?l\n"RVI/NPT"@en\n'


def test_lang_parameter_picks_labels(run):
    query = "SELECT ?l WHERE { vgc:paravirtualization skos:prefLabel ?l FILTER(lang(?l) = ?_lang) }"
    assert run("query", query, "--lang", "zh", "--format", "csv").stdout == "l\n半虚拟化\n"
    assert run("query", query, "--lang", "en", "--format", "csv").stdout == "l\nParavirtualization\n"


def test_ask_prints_true_or_false(run):
    assert run("query", "ASK { vgc:ept vg:requires vgc:vt-x }").stdout == "true\n"
    assert run("query", "ASK { vgc:vt-x vg:requires vgc:ept }").stdout == "false\n"


def test_construct_prints_turtle_with_prefixes(run):
    result = run("query", "CONSTRUCT { vgc:ept vg:requires ?x } WHERE { vgc:ept vg:requires ?x }")
    assert result.exit_code == 0
    assert "@prefix vgc: <https://w3id.org/virtgraph/concept/> ." in result.stdout
    assert "vgc:ept vg:requires vgc:vt-x ." in result.stdout


def test_describe_prints_turtle(run):
    result = run("query", "DESCRIBE vgc:sr-iov")
    assert result.exit_code == 0
    assert "vgc:sr-iov a vg:HardwareFeature" in result.stdout


def test_query_from_file_and_stdin(run, tmp_path):
    path = tmp_path / "vendor.rq"
    path.write_text("SELECT ?f WHERE { ?f vg:vendor vgc:org-pci-sig }\n", encoding="utf-8")
    assert run("query", str(path), "--format", "csv").stdout == "f\nhttps://w3id.org/virtgraph/concept/sr-iov\n"
    result = run("query", "-", "--format", "csv", input="SELECT ?f WHERE { ?f vg:vendor vgc:org-pci-sig }")
    assert result.stdout == "f\nhttps://w3id.org/virtgraph/concept/sr-iov\n"


@pytest.mark.parametrize(
    "text",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
    ],
)
def test_updates_are_refused(run, text):
    result = run("query", text)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused: virtgraph queries are read-only\n"
    )
    assert result.stdout == ""


def test_service_and_from_are_refused_offline(run):
    service = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert service.exit_code == 2
    assert service.stderr.startswith("Error: SERVICE is refused")
    remote = run("query", "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }")
    assert remote.exit_code == 2
    assert remote.stderr.startswith("Error: FROM / FROM NAMED is refused")


def test_syntax_error_gives_position(run):
    result = run("query", "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: SPARQL syntax error at line 2, column")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_query_name_lists_the_names(run):
    result = run("query", "no-such-query")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: unknown query name 'no-such-query'; shipped queries: classification-lists, "
    )
    assert "products-by-hypervisor-type" in result.stderr


def test_missing_query_file(run, tmp_path):
    result = run("query", str(tmp_path / "missing.rq"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: query file not found:")


def test_missing_query_argument(run):
    result = run("query")
    assert result.exit_code == 2
    assert "missing QUERY" in result.stderr


def test_unknown_format_and_language(run):
    bad_format = run("query", "concepts-by-class", "--format", "xml")
    assert bad_format.exit_code == 2
    assert bad_format.stderr == (
        "Error: Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv', 'tsv'.\n"
    )
    bad_lang = run("query", "concepts-by-class", "--lang", "fr")
    assert bad_lang.exit_code == 2
    assert bad_lang.stderr == "Error: Invalid value for '--lang': 'fr' is not one of 'zh', 'en'.\n"


def test_tsv_escapes_tabs_and_line_breaks(run):
    query = 'SELECT ?v WHERE { BIND("a\\tb\\nc\\r\\"d\\\\" AS ?v) }'
    assert run("query", query, "--format", "tsv").stdout == '?v\n"a\\tb\\nc\\r\\"d\\\\"\n'


def test_table_shows_terminal_escape_codes_as_escapes(run):
    query = 'SELECT ?v WHERE { BIND("KVM\\u001B[2J\\u009B31m\\u202Eevil\\u0007" AS ?v) }'
    result = run("query", query)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2] == "KVM\\x1b[2J\\x9b31m\\u202eevil\\x07"
    assert not any(ch in result.stdout for ch in "\x1b\x9b\u202e\x07")
