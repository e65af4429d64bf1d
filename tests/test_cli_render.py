"""`virtgraph render`: --all/--check/--view, default and named paths, bad input, a missing or failing `dot`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from virtgraph.drawing import all_targets
from virtgraph.manifest import MANIFEST_NAME

ONTOLOGY = Path(__file__).parent.parent / "ontology"


@pytest.mark.dot
def test_render_all_then_check_then_incremental(run, tmp_path):
    out = tmp_path / "out"
    first = run("render", "--all", "--output-dir", str(out))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-1] == f"{len(all_targets())} written, 0 unchanged"
    renders = sorted(p.name for p in out.iterdir() if p.name != MANIFEST_NAME)  # the manifest: tests/test_manifest.py
    assert renders == sorted(f"{v}.{lang}.{fmt}" for v, lang, fmt in all_targets())
    check = run("render", "--check", "--output-dir", str(out))
    assert check.exit_code == 0
    assert check.stdout == f"{len(all_targets())} files in {out}/ are current\n"
    again = run("render", "--all", "--output-dir", str(out))
    assert again.stdout == f"0 written, {len(all_targets())} unchanged\n"
    assert first.stderr == ""  # every shipped view is readable in a documentation column: no width warning


@pytest.mark.dot
def test_a_diagram_too_wide_to_read_in_a_column_says_so(run, tmp_path):
    wide = run("render", "--view", "concept", "--concept", "kvm", "--depth", "2", "-o", str(tmp_path / "k.svg"))
    assert wide.exit_code == 0 and wide.stdout == f"wrote {tmp_path / 'k.svg'}\n"
    (line,) = wide.stderr.splitlines()
    assert line.startswith(f"warning: {tmp_path / 'k.svg'} is ") and " px wide: shown in an 880 px " in line
    narrow = run("render", "--view", "concept", "--concept", "kvm", "-o", str(tmp_path / "k1.svg"))
    assert narrow.exit_code == 0 and narrow.stderr == ""


@pytest.mark.dot
def test_check_detects_an_edited_ontology(run, tmp_path):
    out, onto = tmp_path / "out", tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, onto)
    assert run("--ontology", str(onto), "render", "--all", "--output-dir", str(out)).exit_code == 0
    products = onto / "products.ttl"
    products.write_text(
        products.read_text(encoding="utf-8").replace('"VMware Workstation"@en', '"VMware Workstation Pro"@en'),
        encoding="utf-8",
    )
    (out / "eras.zh.svg").unlink()
    result = run("--ontology", str(onto), "render", "--check", "--output-dir", str(out))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{out / 'eras.zh.svg'}: missing" in lines
    assert f"{out / 'taxonomy.en.svg'}: out of date" in lines
    assert f"{out / 'taxonomy.en.png'}: out of date" in lines
    assert f"{out / 'taxonomy.zh.svg'}: out of date" not in lines  # the Chinese label did not change
    assert result.stderr.startswith("Error: ")
    assert "missing or stale; run: virtgraph render --all" in result.stderr


@pytest.mark.dot
def test_render_one_view_default_path(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("render", "--view", "taxonomy")
    assert result.exit_code == 0
    assert result.stdout == "wrote output/taxonomy.zh.svg\n"
    assert (tmp_path / "output" / "taxonomy.zh.svg").read_bytes().startswith(b"<?xml")


@pytest.mark.dot
def test_render_to_stdout_and_named_file(run, tmp_path):
    result = run("render", "--view", "hypervisor-type2", "--format", "mermaid", "-o", "-", "--lang", "en")
    assert result.stdout.startswith('---\ntitle: "Type 2 (hosted) hypervisor architecture"\n')
    target = tmp_path / "kvm.svg"
    named = run("render", "--view", "concept", "--concept", "ＫＶＭ", "-o", str(target))
    assert named.exit_code == 0
    assert "KVM及其关联" in target.read_text(encoding="utf-8")


@pytest.mark.dot
def test_concept_view_default_path(run, tmp_path):
    result = run("render", "--view", "concept", "--concept", "准虚拟化", "--output-dir", str(tmp_path))
    assert result.stdout == f"wrote {tmp_path / 'concept-paravirtualization.zh.svg'}\n"


def test_bad_inputs(run):
    view = run("render", "--view", "nope")
    assert view.exit_code == 2
    assert view.stderr.startswith("Error: unknown view 'nope'; choose one of: benefits, concept, containers, ")
    fmt = run("render", "--view", "eras", "--format", "gif")
    assert fmt.exit_code == 2
    assert fmt.stderr == (
        "Error: Invalid value for '--format': 'gif' is not one of "
        "'svg', 'png', 'pdf', 'dot', 'json', 'graphml', 'mermaid'.\n"
    )
    lang = run("render", "--view", "eras", "--lang", "de")
    assert lang.exit_code == 2
    assert "'de' is not one of 'zh', 'en'" in lang.stderr
    missing = run("render", "--view", "concept")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: view 'concept' needs a concept: --concept TERM (any label, as for lookup)\n"
    unknown = run("render", "--view", "concept", "--concept", "kvn")
    assert unknown.exit_code == 1  # as for lookup: a term that names no concept
    assert unknown.stderr.startswith("Error: no concept is called 'kvn'; did you mean: KVM")
    neither = run("render")
    assert neither.exit_code == 2
    assert neither.stderr == "Error: give exactly one of --view NAME, --all or --check\n"


def test_missing_dot_is_one_line_and_keeps_the_old_file(run, tmp_path, monkeypatch):
    target = tmp_path / "eras.svg"
    target.write_text("previous render", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("render", "--view", "eras", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Graphviz 'dot' is not installed; install the Debian package 'graphviz' (apt-get install graphviz)\n"
    )
    assert target.read_text(encoding="utf-8") == "previous render"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eras.svg"]  # no temporary file left behind


def test_failing_dot_keeps_the_old_file(run, tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n", encoding="utf-8")
    (fake / "dot").chmod(0o755)
    target = tmp_path / "out.svg"
    target.write_text("previous render", encoding="utf-8")
    monkeypatch.setenv("PATH", str(fake))
    result = run("render", "--view", "eras", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == "Error: dot failed: Error: syntax error in line 1\n"
    assert target.read_text(encoding="utf-8") == "previous render"


def test_committed_output_is_current(run):
    """output/ in the repository matches the ontology (what CI's render --check enforces)."""
    result = run("render", "--check", "--output-dir", str(Path(__file__).parent.parent / "output"))
    assert result.exit_code == 0, result.stdout
