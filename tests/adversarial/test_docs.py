"""`virtgraph docs check|fix` used as a hostile contributor would: each test failed before issue 9 was fixed.

The tree of a document (where fix may write) is the folder of the nearest `virtgraph.toml`, else the git work
tree, else the document's folder; the tests mark it with an empty `virtgraph.toml` in `tree/`, and keep a
`victim` file outside it that must never change.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from virtgraph.markdown import scan_images

BROKEN = "![](old/container_evolution.svg)\n"  # a broken link the shipped mapping draws as view 'eras'
VICTIM = b"precious bytes\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A documentation tree (it holds a virtgraph.toml), beside a file that must never be touched."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "virtgraph.toml").write_text("", encoding="utf-8")
    (tmp_path / "victim.svg").write_bytes(VICTIM)
    return root


def one_error(result, exit_code: int = 2) -> str:
    """The single `Error: ...` line of a failed command (no traceback, no other output on stderr)."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def untouched(tree: Path, doc: Path, text: str) -> None:
    assert doc.read_text(encoding="utf-8") == text
    assert (tree.parent / "victim.svg").read_bytes() == VICTIM
    assert not (tree / "images").exists()


# --- 1. every write stays inside the document's tree ---------------------------------------------------------------


@pytest.mark.parametrize("src", ["{victim}", "../victim.svg", "images/../../victim.svg", "sub/../../victim.svg"])
def test_marker_src_out_of_the_tree_is_refused_before_writing(run, tree, src):
    victim = tree.parent / "victim.svg"
    doc = tree / "doc.md"
    text = BROKEN + f"<!-- virtgraph:view eras lang=en src={src.format(victim=victim)} -->\n<!-- /virtgraph -->\n"
    doc.write_text(text, encoding="utf-8")
    for command in ("fix", "check"):
        line = one_error(run("docs", command, str(doc)))
        assert line.startswith(f"Error: {doc}:2: src= ") and f"is outside the document's tree {tree}" in line
    untouched(tree, doc, text)


def test_src_into_git_hooks_is_refused(run, tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git" / "hooks").mkdir(parents=True)
    doc = repo / "doc.md"
    text = "<!-- virtgraph:view eras src=.git/hooks/pre-commit -->\n<!-- /virtgraph -->\n"
    doc.write_text(text, encoding="utf-8")
    line = one_error(run("docs", "fix", str(doc)))
    assert (
        line
        == f"Error: {doc}:1: src= {repo / '.git/hooks/pre-commit'} is inside a .git folder; docs never writes there"
    )
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    assert doc.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("images_dir", ["../outside", "{abs}", ".git/hooks", "images/../.."])
def test_configured_images_dir_out_of_the_tree_is_refused(run, tree, images_dir):
    outside = tree.parent / "outside"
    (tree / "virtgraph.toml").write_text(f'[docs]\nimages_dir = "{images_dir.format(abs=outside)}"\n', encoding="utf-8")
    doc = tree / "notes" / "doc.md"
    doc.parent.mkdir()
    doc.write_text("intro\n" + BROKEN, encoding="utf-8")
    line = one_error(run("docs", "fix", str(doc)))
    assert line.startswith(f"Error: {doc}:2: image path (from [docs] images_dir of {tree / 'virtgraph.toml'}) ")
    assert "outside the document's tree" in line or "inside a .git folder" in line
    assert not outside.exists() and not (tree / ".git").exists()
    assert doc.read_text(encoding="utf-8") == "intro\n" + BROKEN


@pytest.mark.dot
def test_images_dir_option_outside_the_tree_and_the_current_folder_is_refused(run, tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tree)
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    line = one_error(run("docs", "fix", "--images-dir", str(tmp_path / "elsewhere"), str(doc)))
    assert line.startswith(f"Error: {doc}:1: image path (from --images-dir) ")
    assert not (tmp_path / "elsewhere").exists()
    assert run("docs", "fix", "--images-dir", "pictures", str(doc)).exit_code == 0  # inside: fine
    assert (tree / "pictures" / "eras.en.svg").is_file()


def test_symlinks_that_lead_out_count_as_out(run, tree):
    outside = tree.parent / "outside"
    outside.mkdir()
    (tree / "images").symlink_to(outside)
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    line = one_error(run("docs", "fix", str(doc)))
    assert f"is outside the document's tree {tree} (it leads to {outside / 'eras.en.svg'})" in line
    (tree / "images").unlink()
    (tree / "images").mkdir()
    (tree / "images" / "eras.en.svg").symlink_to(tree.parent / "victim.svg")
    one_error(run("docs", "fix", str(doc)))
    assert list(outside.iterdir()) == []
    assert (tree.parent / "victim.svg").read_bytes() == VICTIM
    assert doc.read_text(encoding="utf-8") == BROKEN


def test_a_refused_document_stops_the_run_before_any_document_is_written(run, tree):
    good, bad = tree / "a.md", tree / "b.md"
    good.write_text(BROKEN, encoding="utf-8")
    bad.write_text("<!-- virtgraph:view eras src=../victim.svg -->\n<!-- /virtgraph -->\n", encoding="utf-8")
    one_error(run("docs", "fix", str(tree)))
    untouched(tree, good, BROKEN)


# --- 3. symlinked documents ------------------------------------------------------------------------------------------


@pytest.mark.dot
def test_a_symlinked_document_is_fixed_through_the_link(run, tree):
    real = tree / "real" / "doc.md"
    real.parent.mkdir()
    real.write_text("# t\n" + BROKEN, encoding="utf-8")
    real.chmod(0o640)
    link = tree / "doc.md"
    link.symlink_to(Path("real") / "doc.md")
    result = run("docs", "fix", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real/doc.md"
    # links are relative to the file that holds them, and images go beside it
    assert real.read_text(encoding="utf-8") == "# t\n![Three eras of deploying applications](images/eras.en.svg)\n"
    assert (real.parent / "images" / "eras.en.svg").is_file()
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["doc.md", "images"]  # no temporary file left


def test_a_symlinked_document_leading_out_of_its_tree_is_refused(run, tree):
    outside = tree.parent / "outside.md"
    outside.write_text(BROKEN, encoding="utf-8")
    link = tree / "doc.md"
    link.symlink_to(outside)
    for command in ("fix", "check"):
        line = one_error(run("docs", command, str(link)))
        assert line == f"Error: {link}: document {link} is outside the document's tree {tree} (it leads to {outside})"
    assert outside.read_text(encoding="utf-8") == BROKEN and link.is_symlink()


# --- 2 and 4. what is matched -----------------------------------------------------------------------------------------

HIDDEN = (
    "<!-- ![](a/container_evolution.svg) -->\n"
    "\n"
    "<!--\n"
    '<img src="b/container_evolution.svg">\n'
    "-->\n"
    "\n"
    "> ```\n"
    "> ![](c/container_evolution.svg)\n"
    "> ```\n"
    "\n"
    ">> ~~~md\n"
    ">> ![](d/container_evolution.svg)\n"
    ">> ~~~\n"
    "\n"
    "- ```\n"
    "  ![](e/container_evolution.svg)\n"
    "  ```\n"
    "\n"
    "``\n"
    "![](f/container_evolution.svg) ``\n"
    "\n"
    "\ufeff```\n"  # a BOM at the start of a later line is text, not a fence
)


def test_images_in_comments_and_quoted_fences_are_left_alone(run, tree):
    doc = tree / "doc.md"
    doc.write_text(HIDDEN, encoding="utf-8")
    result = run("docs", "fix", str(doc))
    assert result.exit_code == 0, result.stderr
    assert doc.read_text(encoding="utf-8") == HIDDEN
    assert not (tree / "images").exists()
    assert scan_images(HIDDEN) == []


def test_a_quote_that_ends_ends_its_code_block(run, tree):
    text = "> ```\n> code\n\n![](old/container_evolution.svg)\n"
    assert [r.target for r in scan_images(text)] == ["old/container_evolution.svg"]


@pytest.mark.dot
@pytest.mark.parametrize("suffix", ["?raw=true", "#layer-2", "?raw=true#x"])
def test_query_and_fragment_links_are_matched(run, tree, suffix):
    doc = tree / "doc.md"
    doc.write_text(f"![](https-less/container_evolution.svg{suffix})\n", encoding="utf-8")
    result = run("docs", "fix", "--lang", "en", str(doc))
    assert result.exit_code == 0, result.stderr
    assert doc.read_text(encoding="utf-8") == "![Three eras of deploying applications](images/eras.en.svg)\n"


# --- 5. bad virtgraph.toml and bad marker options: one line naming file:line ------------------------------------------


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        ("[docs]\nimages_dir = 3\n", 2, "[docs] images_dir must be a folder name in quotes, not 3"),
        ('[docs]\nimages_dir = ""\n', 2, "[docs] images_dir must be a folder name in quotes, not ''"),
        ("[docs]\nimage_dir = 'x'\n", 2, "unknown setting 'image_dir' in [docs]"),
        ('[images]\n"x.png" = "eras"\n', 2, '[images."x.png"] must be a table such as view = "eras", not \'eras\''),
        ('[images."x.png"]\nlang = "en"\n', 1, '[images."x.png"] needs view = "NAME"'),
        ('[images."x.png"]\nview = 7\n', 1, '[images."x.png"] needs view = "NAME"'),
        ('\n[images."x.png"]\nview = "nope"\n', 2, "unknown view 'nope' in [images.\"x.png\"]; choose one of:"),
        ('[images."x.png"]\nview = "concept"\n', 1, "view 'concept' in [images.\"x.png\"] needs a concept"),
        ('[images."x.png"]\nview = "eras"\ncolour = "red"\n', 1, "unknown key 'colour' in [images.\"x.png\"]"),
        ('[images."x.png"]\nview = "eras"\nlang = "fr"\n', 1, "unknown lang 'fr'"),
        ('[images."x.png"]\nview = "eras"\nformat = "pdf"\n', 1, "unknown format 'pdf'"),
        ('[doc]\nimages_dir = "x"\n', 1, "unexpected 'doc'; a virtgraph.toml has the tables [docs] and"),
        ("images = 3\n", 1, "unexpected 'images'"),
    ],
)
def test_bad_config_is_one_line_naming_the_file_and_line(run, tree, toml, line, message):
    config = tree / "virtgraph.toml"
    config.write_text(toml, encoding="utf-8")
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    for command in ("fix", "check"):
        error = one_error(run("docs", command, str(doc)))
        assert error.startswith(f"Error: {config}:{line}: {message}"), error
    untouched(tree, doc, BROKEN)


@pytest.mark.parametrize("content", [b"[docs\n", b"images_dir = '\xff'\n"])
def test_unreadable_config_is_one_line(run, tree, content):
    (tree / "virtgraph.toml").write_bytes(content)
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    assert one_error(run("docs", "check", str(doc))).startswith(f"Error: {tree / 'virtgraph.toml'}: ")


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("view concept concept=KVM depth=abc", "marker option depth=abc must be a whole number from 1 to 5"),
        ("view concept concept=KVM depth=99", "marker option depth=99 must be a whole number from 1 to 5"),
        ("view concept concept=KVM depth=٣", "marker option depth=٣ must be a whole number from 1 to 5"),
        ("view eras max_nodes=x", "marker option max_nodes=x must be a whole number from 5 to 10000"),
        ("view eras max_nodes=0", "marker option max_nodes=0 must be a whole number from 5 to 10000"),
        ("view eras colour=red", "unknown option 'colour' in a view marker; known: lang, format, concept"),
        ("view eras depth=2", "option depth= applies only to a view of one concept"),
        ("view eras lang=en lang=zh", "cannot parse: line 1: marker option 'lang' is given twice"),
        ("query container-benefits src=x.svg", "unknown option 'src' in a query marker; known: lang, format"),
        ("view eras lang=\x1b[31m", "unknown language '\\x1b[31m' in marker"),
    ],
)
def test_bad_marker_options_are_one_line_naming_the_document_and_line(run, tree, marker, message):
    doc = tree / "doc.md"
    text = f"<!-- virtgraph:{marker} -->\n<!-- /virtgraph -->\n"
    doc.write_text(text, encoding="utf-8")
    for command in ("fix", "check"):
        error = one_error(run("docs", command, str(doc)))
        assert message in error and error.startswith(f"Error: {doc}:"), error
        assert "\x1b" not in error
    untouched(tree, doc, text)


# --- 6. write errors: one line, exit 1, nothing half-written ------------------------------------------------------


@pytest.mark.dot
@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC, errno.ENAMETOOLONG])
def test_write_errors_are_one_line_and_leave_the_document_whole(run, tree, monkeypatch, code):
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")

    def refuse(src, dst):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    line = one_error(run("docs", "fix", str(doc)), exit_code=1)
    assert os.strerror(code) in line and str(tree / "images" / "eras.en.svg") in line
    assert doc.read_text(encoding="utf-8") == BROKEN
    assert [p.name for p in (tree / "images").iterdir()] == []  # no temporary file left behind


@pytest.mark.dot
def test_a_file_where_the_images_folder_goes(run, tree):
    (tree / "images").write_bytes(b"not a folder")
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    line = one_error(run("docs", "fix", str(doc)), exit_code=1)
    assert str(tree / "images") in line
    assert doc.read_text(encoding="utf-8") == BROKEN and (tree / "images").read_bytes() == b"not a folder"


@pytest.mark.parametrize("make", ["directory", "fifo"])
def test_something_else_where_the_image_goes_is_refused_before_writing(run, tree, make):
    target = tree / "images" / "eras.en.svg"
    target.parent.mkdir()
    target.mkdir() if make == "directory" else os.mkfifo(target)
    doc = tree / "doc.md"
    doc.write_text(BROKEN, encoding="utf-8")
    for command in ("fix", "check"):
        line = one_error(run("docs", command, str(doc)))
        assert line == f"Error: {doc}:1: image path (from images_dir) {target} exists and is not a regular file"
    assert doc.read_text(encoding="utf-8") == BROKEN


def test_a_name_too_long_is_one_line(run, tree):
    doc = tree / "doc.md"
    text = f"<!-- virtgraph:view eras src={'x' * 300}.svg -->\n<!-- /virtgraph -->\n"
    doc.write_text(text, encoding="utf-8")
    assert "File name too long" in one_error(run("docs", "fix", str(doc)))
    untouched(tree, doc, text)


# --- 7. hostile documents ---------------------------------------------------------------------------------------------


@pytest.mark.dot
def test_a_bom_is_kept_and_does_not_hide_the_first_line(run, tree):
    doc = tree / "doc.md"
    text = "\ufeff```\n![](old/container_evolution.svg)\n```\n![img][r]\n\n[r]: old/container_evolution.svg\n"
    doc.write_bytes(text.encode("utf-8"))
    assert run("docs", "fix", "--lang", "en", str(doc)).exit_code == 0
    assert doc.read_bytes().decode("utf-8") == text.replace(
        "![img]", "![Three eras of deploying applications]"
    ).replace("[r]: old/container_evolution.svg", "[r]: images/eras.en.svg")
    head = "\ufeff[r]: old/container_evolution.svg\n\n![][r]\n"
    doc.write_bytes(head.encode("utf-8"))
    assert run("docs", "fix", "--lang", "en", str(doc)).exit_code == 0
    assert doc.read_text(encoding="utf-8").startswith("\ufeff[r]: images/eras.en.svg\n")


@pytest.mark.dot
def test_crlf_blank_lines_end_a_paragraph(run, tree):
    text = "![a\r\n\r\nb](old/container_evolution.svg)\r\n[r]:\r\n  old/x.png\r\n"
    assert scan_images(text) == []
    doc = tree / "doc.md"
    doc.write_bytes(b"![](old/container_evolution.svg)\r\n```\r\n![](c/container_evolution.svg)\r\n```\r\n")
    assert run("docs", "fix", "--lang", "en", str(doc)).exit_code == 0
    fixed = b"![Three eras of deploying applications](images/eras.en.svg)\r\n"
    assert doc.read_bytes() == fixed + b"```\r\n![](c/container_evolution.svg)\r\n```\r\n"


def test_unicode_line_separators_are_not_line_breaks(run, tree):
    text = "a\u2028```\n![](old/container_evolution.svg)\n"
    assert [r.line for r in scan_images(text)] == [2]


def test_control_characters_from_documents_are_not_printed_raw(run, tree):
    doc = tree / "doc.md"
    doc.write_text("![](\x1b]0;pwned\x07gone.png)\n", encoding="utf-8")
    result = run("docs", "check", str(doc))
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\\x1b]0;pwned\\x07gone.png" in result.stdout


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo"])
def test_special_files_named_as_documents_are_refused(run, tree, special):
    path = tree / "doc.md"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(special)
    for command in ("fix", "check"):
        assert one_error(run("docs", command, str(path))) == f"Error: {path}: not a regular file"


def test_a_fifo_in_a_folder_is_skipped_without_hanging(tree):
    os.mkfifo(tree / "pipe.md")
    (tree / "zero.md").symlink_to("/dev/zero")
    (tree / "doc.md").write_text("fine\n", encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "virtgraph", "docs", "check", str(tree)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no broken images or stale embeds\n"
    assert time.monotonic() - started < 60


def test_folder_walks_do_not_follow_symlinked_folders(run, tree):
    outside = tree.parent / "outside"
    outside.mkdir()
    (outside / "doc.md").write_text(BROKEN, encoding="utf-8")
    (tree / "out").symlink_to(outside)
    (tree / "loop").symlink_to(tree)
    (tree / "doc.md").write_text("fine\n", encoding="utf-8")
    result = run("docs", "fix", str(tree))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 document(s) changed, 0 image(s)"
    assert (outside / "doc.md").read_text(encoding="utf-8") == BROKEN


def test_huge_documents_are_refused(run, tree):
    doc = tree / "doc.md"
    with doc.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    assert "too large for a Markdown document" in one_error(run("docs", "check", str(doc)))


def _scan_seconds(text: str) -> float:
    """CPU seconds of this process to scan ``text`` (best of three: steady when the machine is busy)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        scan_images(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "piece",
    [("![", ""), ("[", "]"), ("![a](<", ""), ('![a](b "', ""), ("<img ", ""), ("`", " x ``"), ("<!--", "")],
    ids=["images", "brackets", "angle targets", "titles", "img tags", "code spans", "comments"],
)
def test_hostile_text_is_scanned_in_linear_time(piece):
    """Eight times the text takes about eight times as long, not sixty-four (the old scanner was quadratic)."""

    def text(n: int) -> str:
        head, tail = piece
        return head * n + tail * (n // 2 if tail.endswith("``") else 1)

    small, large = _scan_seconds(text(12_500)), _scan_seconds(text(100_000))
    assert large < 24 * max(small, 0.002)


def test_nested_brackets_and_images_in_links(run, tree):
    text = "[![a [b] c](old/container_evolution.svg)](https://example.org) ![x [y]](old/container_evolution.svg)\n"
    assert [(r.alt, r.target) for r in scan_images(text)] == [
        ("a [b] c", "old/container_evolution.svg"),
        ("x [y]", "old/container_evolution.svg"),
    ]


# --- 8. images a renderer shows as code (issue 11) -------------------------------------------------------------------


def test_an_unclosed_fence_hides_everything_after_it(run, tree):
    doc = tree / "doc.md"
    text = "```sh\nmake\n\n" + BROKEN + "\n# Later\n\n" + BROKEN
    doc.write_text(text, encoding="utf-8")
    result = run("docs", "check", str(doc))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{doc}:4: renders as code, not as an image: ![](old/container_evolution.svg)",
        f"{doc}:8: renders as code, not as an image: ![](old/container_evolution.svg)",
    ]
    fixed = run("docs", "fix", str(doc))
    assert fixed.exit_code == 0 and doc.read_text(encoding="utf-8") == text
    assert "left as it is: it is inside the fence opened at line 1 and never closed; close the fence" in fixed.stderr


@pytest.mark.dot
def test_an_img_tag_in_an_html_block_is_an_image_and_markdown_there_is_text(run, tree):
    doc = tree / "doc.md"
    text = '<p align="center">\n<img src="old/container_evolution.svg">\n' + BROKEN + "</p>\n"
    doc.write_text(text, encoding="utf-8")
    check = run("docs", "check", "--strict", str(doc))
    assert check.stdout.splitlines() == [
        f"{doc}:2: broken image: old/container_evolution.svg (docs fix draws view 'eras')",
        f"{doc}:3: renders as code, not as an image: ![](old/container_evolution.svg)",
    ]
    assert run("docs", "fix", str(doc)).exit_code == 0
    assert doc.read_text(encoding="utf-8") == text.replace('src="old/', 'src="images/').replace(
        '/container_evolution.svg">', '/eras.en.svg">'
    )


def test_tabs_inside_a_list_item_are_left_for_a_person(run, tree):
    doc = tree / "doc.md"
    text = "- item\n\n\t\t" + BROKEN
    doc.write_text(text, encoding="utf-8")
    result = run("docs", "fix", str(doc))
    assert result.exit_code == 0
    assert doc.read_text(encoding="utf-8") == text
    assert result.stderr == (
        f"{doc}:3: ![](old/container_evolution.svg) left as it is: its indentation has tabs inside a list item or "
        "quote; remove it by hand\n"
    )


def test_comments_and_code_spans_hide_images_inside_html_and_indented_blocks(run, tree):
    doc = tree / "doc.md"
    text = "<div>\n<!-- ![](old/container_evolution.svg) -->\n</div>\n\nSee `![](old/container_evolution.svg)`.\n"
    doc.write_text(text, encoding="utf-8")
    result = run("docs", "check", str(doc))
    assert (result.exit_code, result.stdout) == (0, "no broken images or stale embeds\n")


def test_hostile_structure_is_parsed_in_bounded_pieces_in_linear_time(monkeypatch):
    """markdown-it-py builds a token per block: the text goes to it in pieces, read about once each, and a piece
    of a list or quote (many tokens) never outgrows MAX_CHUNK; one block that is one token may (a fence, an
    indented code block: its memory is its text's).

    The pieces are made small here so the small texts of a quick test are cut many times.
    """
    from virtgraph import markdown

    pieces: list[int] = []
    parser = markdown._parser()

    class Counting:
        def parse(self, text: str):
            pieces.append(len(text))
            return parser.parse(text)

    monkeypatch.setattr(markdown, "_parser", Counting)
    monkeypatch.setattr(markdown, "CHUNK", 4096)
    monkeypatch.setattr(markdown, "MAX_CHUNK", 16384)
    many_tokens = ("- - - - ![](a.png)\n", "> - ![](a.png)\n", "> a\n", "<div>\n![](a.png)\n\n", "* a\n  ![](b)\n")
    for line in (*many_tokens, "    ![](a.png)\n\n", "```\n" + "![](a.png)\n" * 9):

        def seconds(n: int, line: str = line) -> float:
            best = float("inf")
            for _ in range(3):
                markdown.code_blocks.cache_clear()
                pieces.clear()
                started = time.process_time()
                scan_images(line * n + "![](end.png)", code=True)
                best = min(best, time.process_time() - started)
            return best

        small, large = seconds(500), seconds(4000)
        assert large < 24 * max(small, 0.002), line
        assert sum(pieces) < 4 * len(line) * 4000, line  # the text is read about once, not again and again
        if line in many_tokens:
            assert max(pieces) <= 16384 + 2 * len(line), line
    markdown.code_blocks.cache_clear()
