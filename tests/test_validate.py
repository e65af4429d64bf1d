"""`virtgraph validate`: the shipped ontology passes its SHACL shapes; a broken one fails with readable lines."""

from __future__ import annotations

from pathlib import Path

from virtgraph.shacl import validate

from .support import DATA

SHAPES = Path(__file__).parent.parent / "ontology" / "shapes.ttl"


def test_shipped_ontology_is_valid():
    assert validate() == []


def test_broken_fixture_reports_each_violation():
    lines = [str(v) for v in validate(DATA / "broken", shapes=SHAPES)]
    assert lines == [
        "vgc:feature  vg:vendor  a hardware feature needs a vendor (vg:vendor)",
        "vgc:feature  vg:virtualizes  a hardware feature must say what it virtualizes (vg:virtualizes)",
        "vgc:gadget  skos:prefLabel  needs a Chinese label (skos:prefLabel @zh)",
        "vgc:gadget  vg:technique  a product needs a technique (vg:technique, a kind of virtualization)",
        "vgc:gadget  vg:vendor  a product needs a vendor (vg:vendor, an organisation)",
        "vgc:widget  dct:source  needs a source (dct:source: a section of the source document or a fact-sheet entry)",
        "vgc:widget  skos:definition  needs a Chinese definition (skos:definition @zh)",
    ]


def test_cli_validate_passes_on_shipped_ontology(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("valid: ")
    assert result.stdout.rstrip().endswith("triples, 0 violations")


def test_cli_validate_fails_with_one_line_per_violation(run):
    result = run("--ontology", str(DATA / "broken"), "validate", "--shapes", str(SHAPES))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 7
    assert "vgc:gadget  vg:vendor  a product needs a vendor (vg:vendor, an organisation)" in result.stdout
    assert result.stderr == "Error: 7 SHACL violation(s)\n"


def test_cli_validate_without_shapes_is_a_usage_error(run, tmp_path):
    (tmp_path / "x.ttl").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    result = run("--ontology", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "no SHACL shapes found" in result.stderr
