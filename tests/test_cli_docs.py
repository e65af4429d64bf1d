"""`virtgraph docs check|fix`: every image-link form, images shown as code, byte-for-byte edits, idempotence,
dry runs, bad input."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .support.notes import BROKEN_IMAGES_ZH, CODE_SAMPLES, NOTES


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


# --- images a renderer shows as code (issue 11) -------------------------------------------------------------------

TYPE1 = "1618472-20190329134603647-370306872.png"
TYPE2 = "1618472-20190329135045351-342284420.png"


@pytest.fixture
def zh(tmp_path: Path) -> Path:
    """The source document's structure, two folders deep in a tree of its own (its ../../Image does not exist)."""
    (tmp_path / "virtgraph.toml").write_text("", encoding="utf-8")
    path = tmp_path / "book" / "ch1" / "virtualization-zh.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(BROKEN_IMAGES_ZH.read_bytes())
    return path


def zh_fixed() -> str:
    return (
        BROKEN_IMAGES_ZH.read_text(encoding="utf-8")
        .replace("![img](../../Image/c/container_evolution.svg)", "![应用部署的三个时代](images/eras.zh.svg)")
        .replace(
            f"      ![img](../../Image\\k\\{TYPE1})",
            "      ![1型虚拟化（裸金属型）架构](images/hypervisor-type1.zh.png)",
        )
        .replace(
            f"\n      ![img](D:\\wfbook\\Image\\k\\{TYPE2})",
            "\n![2型虚拟化（宿主型）架构](images/hypervisor-type2.zh.png)",
        )
    )


def rendered_images(text: str) -> list[str]:
    """The ``src`` of every ``<img>`` a CommonMark renderer (markdown-it-py) makes of ``text``."""
    return re.findall(r"""<img src=["']([^"']*)""", MarkdownIt("commonmark").render(text))


def test_check_reports_the_images_a_reader_cannot_see(run, zh):
    assert rendered_images(zh.read_text(encoding="utf-8")) == [
        "../../Image/c/container_evolution.svg",
        f"../../Image%5Ck%5C{TYPE1}",
    ]  # the third is shown as code
    result = run("docs", "check", str(zh))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{zh}:3: broken image: ../../Image/c/container_evolution.svg (docs fix draws view 'eras')",
        f"{zh}:9: broken image: ../../Image\\k\\{TYPE1} (docs fix draws view 'hypervisor-type1')",
        f"{zh}:15: renders as code, not as an image: ![img](D:\\wfbook\\Image\\k\\{TYPE2})",
    ]
    assert result.stderr == ("Error: 3 problem(s) found; `virtgraph docs fix` repairs broken images and stale embeds\n")


def test_an_image_shown_as_code_is_reported_even_when_its_file_exists(run, tmp_path):
    doc = tmp_path / "doc.md"
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    doc.write_text("Text\n\n    ![pic](pic.png)\n", encoding="utf-8")
    result = run("docs", "check", str(doc))
    assert result.exit_code == 1
    assert result.stdout == f"{doc}:3: renders as code, not as an image: ![pic](pic.png)\n"
    fixed = run("docs", "fix", str(doc))
    assert fixed.exit_code == 0
    assert fixed.stdout.splitlines() == [
        f"updated {doc}",
        f"{doc}:3: removed 4 spaces of indentation so the image displays",
        "1 document(s) changed, 0 image(s)",
    ]
    assert doc.read_text(encoding="utf-8") == "Text\n\n![pic](pic.png)\n"
    assert run("docs", "check", str(doc)).exit_code == 0


@pytest.mark.dot
def test_fix_repairs_all_three_and_a_renderer_then_shows_them(run, zh):
    result = run("docs", "fix", str(zh))
    assert result.exit_code == 0, result.stderr
    images = zh.parent / "images"
    assert result.stdout.splitlines() == [
        f"rendered {images / 'eras.zh.svg'}",
        f"rendered {images / 'hypervisor-type1.zh.png'}",
        f"rendered {images / 'hypervisor-type2.zh.png'}",
        f"updated {zh}",
        f"{zh}:15: removed 6 spaces of indentation so the image displays",
        "1 document(s) changed, 3 image(s)",
    ]
    assert result.stderr == ""
    text = zh.read_text(encoding="utf-8")
    assert text == zh_fixed()
    sources = rendered_images(text)
    assert sources == ["images/eras.zh.svg", "images/hypervisor-type1.zh.png", "images/hypervisor-type2.zh.png"]
    assert all((zh.parent / src).is_file() for src in sources)
    check = run("docs", "check", str(zh))
    assert (check.exit_code, check.stdout) == (0, "no broken images or stale embeds\n")
    again = run("docs", "fix", str(zh))
    assert again.stdout.splitlines() == ["0 document(s) changed, 0 image(s)"]
    assert zh.read_text(encoding="utf-8") == text


def test_dry_run_shows_the_removed_indentation_and_writes_nothing(run, zh):
    before = zh.read_bytes()
    result = run("docs", "fix", "--dry-run", str(zh))
    assert result.exit_code == 0
    assert zh.read_bytes() == before
    assert not (zh.parent / "images").exists()
    assert f"-      ![img](D:\\wfbook\\Image\\k\\{TYPE2})\n" in result.stdout
    assert "+![2型虚拟化（宿主型）架构](images/hypervisor-type2.zh.png)\n" in result.stdout
    assert "+      ![1型虚拟化（裸金属型）架构](images/hypervisor-type1.zh.png)\n" in result.stdout
    assert f"{zh}:15: would remove 6 spaces of indentation so the image displays\n" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 document(s) would change, 3 image(s)"


@pytest.mark.dot
def test_crlf_documents_keep_crlf_when_indentation_is_removed(run, zh):
    zh.write_bytes(BROKEN_IMAGES_ZH.read_bytes().replace(b"\n", b"\r\n"))
    assert run("docs", "fix", str(zh)).exit_code == 0
    assert zh.read_bytes() == zh_fixed().replace("\n", "\r\n").encode("utf-8")
    assert run("docs", "check", str(zh)).exit_code == 0


def test_code_samples_are_never_modified(run, tmp_path):
    doc = tmp_path / "samples.md"
    doc.write_text(CODE_SAMPLES, encoding="utf-8")
    check = run("docs", "check", str(doc))
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [
        f"{doc}:12: renders as code, not as an image: ![img](D:\\wfbook\\container_evolution.svg)",
        f"{doc}:19: renders as code, not as an image: ![img](old/container_evolution.svg)",
        f"{doc}:25: renders as code, not as an image: ![img](old/container_evolution.svg)",
    ]
    for command in (["fix"], ["fix", "--dry-run"]):
        result = run("docs", *command, str(doc))
        assert result.exit_code == 0
        assert doc.read_text(encoding="utf-8") == CODE_SAMPLES
        assert not (tmp_path / "images").exists()
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{doc}:12: ![img](D:\\wfbook\\container_evolution.svg) left as it is: it is part of a code sample (the "
        "indented code block at lines 11-12); unindent it by hand if it is meant as an image, or fence the sample "
        "with ``` if it is an example",
        f"{doc}:19: ![img](old/container_evolution.svg) left as it is: Markdown is not read inside the HTML block "
        "at lines 18-20; leave a blank line before and after the image",
        f"{doc}:25: ![img](old/container_evolution.svg) left as it is: it is inside the fence opened at line 24 "
        "and never closed; close the fence",
        "0 document(s) would change, 0 image(s)",
    ]


@pytest.mark.dot
def test_loose_indented_images_are_all_unindented(run, tmp_path):
    doc = tmp_path / "doc.md"
    text = (
        "Intro\n\n"
        "    ![](old/container_evolution.svg) <img src='x/container_evolution.svg'>\n"
        "\n"
        "\t![a][r]\n"
        "\n"
        "- item\n\n"
        "        ![b](old/container_evolution.svg)\n\n"
        "> quote\n>\n>      ![c](old/container_evolution.svg)\n\n"
        "[r]: old/container_evolution.svg\n"
    )
    doc.write_text(text, encoding="utf-8")
    check = run("docs", "check", str(doc))
    assert [line.split(": ", 1)[1] for line in check.stdout.splitlines()] == [
        "renders as code, not as an image: ![](old/container_evolution.svg)",
        "renders as code, not as an image: <img src='x/container_evolution.svg'>",
        "renders as code, not as an image: ![a][r]",
        "renders as code, not as an image: ![b](old/container_evolution.svg)",
        "renders as code, not as an image: ![c](old/container_evolution.svg)",
    ]
    result = run("docs", "fix", "--lang", "en", str(doc))
    assert result.exit_code == 0, result.stderr
    title = "Three eras of deploying applications"
    assert doc.read_text(encoding="utf-8") == (
        "Intro\n\n"
        f"![{title}](images/eras.en.svg) <img src='images/eras.en.svg'>\n"
        "\n"
        "![a][r]\n"
        "\n"
        "- item\n\n"
        "  ![b](images/eras.en.svg)\n\n"
        "> quote\n>\n> ![c](images/eras.en.svg)\n\n"
        "[r]: images/eras.en.svg\n"
    )
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines() if "indentation" in line] == [
        "removed 4 spaces of indentation so the image displays",
        "removed 1 tab of indentation so the image displays",
        "removed 6 spaces of indentation so the image displays",
        "removed 5 spaces of indentation so the image displays",  # the sixth belongs to the quote marker
    ]
    assert len(rendered_images(doc.read_text(encoding="utf-8"))) == 5
    assert run("docs", "check", str(doc)).exit_code == 0


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size(path: Path) -> tuple[float, float]:
    """An SVG's width and height in CSS pixels (Graphviz writes points: 72 to the inch, 96 px to the inch)."""
    found = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)pt" height="([\d.]+)pt"', path.read_text(encoding="utf-8"))
    assert found is not None
    return float(found.group(1)) * 96 / 72, float(found.group(2)) * 96 / 72


@pytest.mark.dot
def test_an_embedded_png_shows_at_its_svgs_size(run, zh, tmp_path):
    """A PNG's natural size is its SVG's: the image a fix links does not show 1.5 times larger as a PNG."""
    assert run("docs", "fix", str(zh)).exit_code == 0
    svg = tmp_path / "hypervisor-type2.zh.svg"
    assert run("render", "--view", "hypervisor-type2", "-o", str(svg)).exit_code == 0
    width, height = png_size(zh.parent / "images" / "hypervisor-type2.zh.png")
    svg_width, svg_height = svg_size(svg)
    assert abs(width - svg_width) <= 1 and abs(height - svg_height) <= 1


@pytest.mark.dot
def test_in_a_block_with_other_lines_only_a_redrawn_image_standing_alone_is_unindented(run, tmp_path):
    """The source document indents a paragraph of prose under its picture, in the same code block: the picture,
    which fix redraws from a view, stands alone between blank lines and is unindented; the prose, an image that
    exists and an image right next to a code line are left as they are."""
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    doc = tmp_path / "doc.md"
    text = (
        "Intro\n\n"
        "    ![img](D:\\old\\container_evolution.svg)\n\n"  # 3: redrawn, alone: unindented
        "    Prose indented under the picture.\n\n"
        "    ![pic](pic.png)\n\n"  # 7: exists: left
        "    $ ls\n"
        "    ![img](old/container_evolution.svg)\n"  # 10: next to a code line: left
    )
    doc.write_text(text, encoding="utf-8")
    result = run("docs", "fix", "--lang", "en", str(doc))
    assert result.exit_code == 0, result.stderr
    assert doc.read_text(encoding="utf-8") == text.replace(
        "    ![img](D:\\old\\container_evolution.svg)", "![Three eras of deploying applications](images/eras.en.svg)"
    )
    assert f"{doc}:3: removed 4 spaces of indentation so the image displays" in result.stdout
    sample = "left as it is: it is part of a code sample (the indented code block at lines 3-10)"
    assert [line.split(": ", 1)[1].split(" ", 1)[1][: len(sample)] for line in result.stderr.splitlines()] == [
        sample,
        sample,
    ]
    check = run("docs", "check", str(doc))
    assert [line.split(": ", 1)[1] for line in check.stdout.splitlines()] == [
        "renders as code, not as an image: ![pic](pic.png)",
        "renders as code, not as an image: ![img](old/container_evolution.svg)",
    ]
