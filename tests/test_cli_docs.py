"""`virtgraph docs check|fix`: every image-link form, byte-for-byte edits, idempotence, dry runs, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.notes import NOTES


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "a b.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = folder / "notes.md"
    path.write_bytes(NOTES.encode("utf-8"))
    return path


def test_check_lists_broken_external_and_unmapped(run, notes):
    result = run("docs", "check", str(notes))
    assert result.exit_code == 1
    p = str(notes)
    assert result.stdout.splitlines() == [
        f"{p}:3: broken image: old/pics/container_evolution.svg (docs fix draws view 'eras')",
        f"{p}:4: broken image: ../Image Folder\\k\\1618472-20190329134603647-370306872.png "
        "(docs fix draws view 'hypervisor-type1')",
        f"{p}:5: broken image (an absolute Windows path): "
        "D:\\wfbook\\Image\\k\\1618472-20190329135045351-342284420.png (docs fix draws view 'hypervisor-type2')",
        f"{p}:6: broken image (an absolute Windows path): C:\\wfbook\\container_evolution.svg "
        "(docs fix draws view 'eras')",
        f"warning: {p}:8: external image, not checked: https://example.org/logo.png",
        f"{p}:10: broken image, no view maps to it: gone/nowhere.png",
    ]
    assert result.stderr.startswith("Error: 5 problem(s) found")


def expected_fixed() -> bytes:
    fixed = (
        NOTES.replace(
            '![](old/pics/container_evolution.svg "eras")', '![应用部署的三个时代](images/eras.zh.svg "eras")'
        )
        .replace(
            "![img](<../Image Folder\\k\\1618472-20190329134603647-370306872.png>)",
            "![1型虚拟化（裸金属型）架构](<images/hypervisor-type1.zh.png>)",
        )
        .replace("![][arch2]", "![2型虚拟化（宿主型）架构][arch2]")
        .replace(
            "[arch2]: D:\\wfbook\\Image\\k\\1618472-20190329135045351-342284420.png",
            "[arch2]: images/hypervisor-type2.zh.png",
        )
        .replace(
            '<img src="C:\\wfbook\\container_evolution.svg" alt="img"',
            '<img src="images/eras.zh.svg" alt="应用部署的三个时代"',
        )
    )
    return fixed.encode("utf-8")


@pytest.mark.dot
def test_fix_changes_only_the_image_references(run, notes):
    result = run("docs", "fix", str(notes))
    assert result.exit_code == 0, result.stderr
    assert notes.read_bytes() == expected_fixed()
    images = notes.parent / "images"
    assert sorted(p.name for p in images.iterdir()) == [
        "eras.zh.svg",
        "hypervisor-type1.zh.png",
        "hypervisor-type2.zh.png",
    ]
    assert f"{notes}:10: broken image, no view maps to it: gone/nowhere.png (left unchanged)" in result.stderr
    assert result.stdout.splitlines()[-1] == "1 document(s) changed, 3 image(s)"


@pytest.mark.dot
def test_fix_twice_changes_nothing(run, notes):
    run("docs", "fix", str(notes))
    before = notes.read_bytes()
    mtimes = {p: p.stat().st_mtime_ns for p in (notes.parent / "images").iterdir()}
    again = run("docs", "fix", str(notes))
    assert again.stdout.splitlines()[-1] == "0 document(s) changed, 0 image(s)"
    assert notes.read_bytes() == before
    assert {p: p.stat().st_mtime_ns for p in (notes.parent / "images").iterdir()} == mtimes
    check = run("docs", "check", str(notes))
    assert [line for line in check.stdout.splitlines() if "broken image:" in line] == []


def test_dry_run_prints_a_diff_and_writes_nothing(run, notes):
    result = run("docs", "fix", "--dry-run", str(notes))
    assert result.exit_code == 0
    assert notes.read_bytes() == NOTES.encode("utf-8")
    assert not (notes.parent / "images").exists()
    out = result.stdout_bytes.decode("utf-8")  # bytes: the diff keeps the document's CRLF line endings
    assert out.startswith(f"--- a/{notes}\n+++ b/{notes}\n@@ ")
    assert '-行内图片，带标题：![](old/pics/container_evolution.svg "eras")\r\n' in out
    assert '+行内图片，带标题：![应用部署的三个时代](images/eras.zh.svg "eras")\r\n' in out
    assert f"would render {notes.parent / 'images' / 'eras.zh.svg'}" in result.stderr


@pytest.mark.dot
def test_images_dir_and_language_options(run, notes, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # --images-dir may lie in the document's tree or in the current folder
    out = tmp_path / "shared-images"
    result = run("docs", "fix", "--images-dir", str(out), "--lang", "en", str(notes))
    assert result.exit_code == 0
    text = notes.read_text(encoding="utf-8")
    assert "![Three eras of deploying applications](../shared-images/eras.en.svg" in text
    assert (out / "hypervisor-type2.en.png").exists()


@pytest.mark.dot
def test_mapping_is_data_the_user_extends(run, notes):
    (notes.parent / "virtgraph.toml").write_text(
        '[images."nowhere.png"]\nview = "taxonomy"\nlang = "en"\n', encoding="utf-8"
    )
    result = run("docs", "fix", str(notes))
    assert result.exit_code == 0
    assert "![lost](images/taxonomy.en.png)" in notes.read_text(encoding="utf-8")


EMBED = (
    "Intro.\n"
    "<!-- virtgraph:view hypervisor-type1 lang=en -->\n"
    "<!-- /virtgraph -->\n"
    "Between.  \n"
    "<!-- virtgraph:view eras format=mermaid -->\n"
    "old content\n"
    "<!-- /virtgraph -->\n"
    "<!-- virtgraph:query container-benefits lang=en format=csv -->\n"
    "<!-- /virtgraph -->\n"
    "End.\n"
)


@pytest.mark.dot
def test_embed_markers_are_written_and_kept_current(run, tmp_path):
    doc = tmp_path / "embed.md"
    doc.write_text(EMBED, encoding="utf-8")
    stale = run("docs", "check", str(doc))
    assert stale.exit_code == 1
    assert f"{doc}:2: stale embed: view hypervisor-type1" in stale.stdout
    assert f"{doc}:5: stale embed: view eras" in stale.stdout
    assert f"{doc}:8: stale embed: query container-benefits" in stale.stdout
    assert run("docs", "fix", str(doc)).exit_code == 0
    text = doc.read_text(encoding="utf-8")
    assert (
        "<!-- virtgraph:view hypervisor-type1 lang=en -->\n"
        "![Type 1 (bare-metal) hypervisor architecture](images/hypervisor-type1.en.svg)\n"
        "<!-- /virtgraph -->\nBetween.  \n"
    ) in text
    assert "old content" not in text
    assert "<!-- virtgraph:view eras format=mermaid -->\n```mermaid\n---\ntitle: " in text
    assert "Three eras of deploying applications" in text
    assert "$ virtgraph query container-benefits --lang en --format csv\norder,benefit,definition\n" in text
    assert text.startswith("Intro.\n") and text.endswith("<!-- /virtgraph -->\nEnd.\n")
    assert run("docs", "check", str(doc)).exit_code == 0
    (tmp_path / "images" / "hypervisor-type1.en.svg").write_text("<svg/>", encoding="utf-8")
    again = run("docs", "check", str(doc))
    assert again.exit_code == 1
    assert f"{doc}:2: image {tmp_path / 'images' / 'hypervisor-type1.en.svg'} is out of date" in again.stdout


@pytest.mark.dot
def test_concept_embed(run, tmp_path):
    doc = tmp_path / "c.md"
    doc.write_text("<!-- virtgraph:view concept concept=准虚拟化 lang=zh -->\n<!-- /virtgraph -->\n", encoding="utf-8")
    assert run("docs", "fix", str(doc)).exit_code == 0
    assert "![半虚拟化及其关联](images/concept-paravirtualization.zh.svg)" in doc.read_text(encoding="utf-8")


def test_conflict_markers_are_reported(run, tmp_path):
    doc = tmp_path / "merge.md"
    doc.write_text("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n", encoding="utf-8")
    result = run("docs", "check", str(doc))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        f"warning: {doc}:2: merge-conflict marker left in the file: <<<<<<< HEAD",
        f"warning: {doc}:4: merge-conflict marker left in the file: =======",
        f"warning: {doc}:6: merge-conflict marker left in the file: >>>>>>> other",
    ]
    assert run("docs", "check", "--strict", str(doc)).exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"caf\xe9 ![](x.png)\n", "not UTF-8 text (invalid byte at offset 3)"),
        (b"<!-- virtgraph:view eras -->\nno end\n", "cannot parse: line 1: virtgraph marker is never closed"),
        (b"<!-- /virtgraph -->\n", "cannot parse: line 1: <!-- /virtgraph --> without an opening virtgraph marker"),
        (b"<!-- virtgraph:view nope -->\n<!-- /virtgraph -->\n", ":1: unknown view 'nope'; choose one of:"),
        (b"<!-- virtgraph:view eras lang=fr -->\n<!-- /virtgraph -->\n", ":1: unknown language 'fr'"),
        (b"<!-- virtgraph:view eras size -->\n<!-- /virtgraph -->\n", "cannot read marker option 'size'"),
        (b"<!-- virtgraph:query nope -->\n<!-- /virtgraph -->\n", ":1: unknown query 'nope'"),
        (b"text\x00binary", "not a text file (contains NUL bytes)"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(run, tmp_path, notes, content, message):
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    before = notes.read_bytes()
    for command in (["docs", "fix", str(notes), str(bad)], ["docs", "check", str(bad)]):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert notes.read_bytes() == before  # the good document listed first was not touched either
    assert not (notes.parent / "images").exists()
    assert bad.read_bytes() == content


def test_missing_path(run, tmp_path):
    result = run("docs", "check", str(tmp_path / "missing.md"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: no such file or folder: {tmp_path / 'missing.md'}\n"


def test_folders_are_searched(run, notes):
    result = run("docs", "check", str(notes.parent.parent))
    assert f"{notes}:3: broken image" in result.stdout


def test_project_documents_are_clean(run):
    root = Path(__file__).parent.parent
    result = run("docs", "check", str(root / "docs"), str(root / "README.md"))
    assert result.exit_code == 0, result.stdout
