"""`virtgraph validate`: passes on the shipped ontology, one line per violation, no shapes is a usage error."""

from __future__ import annotations

from .support import DATA, SHAPES


def test_cli_validate_passes_on_shipped_ontology(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("valid: ")
    assert result.stdout.rstrip().endswith("triples, 0 violations")


def test_cli_validate_fails_with_one_line_per_violation(run):
    result = run("--ontology", str(DATA / "broken"), "validate", "--shapes", str(SHAPES))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 6  # a product needs a technique only if it is a hypervisor or container
    assert "vgc:gadget  vg:vendor  a product needs a vendor (vg:vendor, an organisation)" in result.stdout
    assert result.stderr == "Error: 6 SHACL violation(s)\n"


def test_cli_validate_without_shapes_is_a_usage_error(run, tmp_path):
    (tmp_path / "x.ttl").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    result = run("--ontology", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "no SHACL shapes found" in result.stderr
