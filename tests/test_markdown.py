"""markdown: every image-link form, with its line, alt text and target; what a CommonMark renderer shows as code."""

from __future__ import annotations

import pytest

from virtgraph import markdown
from virtgraph.markdown import code_blocks, image_only, scan_images, unindent

from .support.notes import BROKEN_IMAGES_ZH, CODE_SAMPLES, NOTES


def test_scanner_finds_every_form():
    refs = [(r.kind, r.line, r.alt, r.target) for r in scan_images(NOTES)]
    assert refs == [
        ("inline", 3, "", "old/pics/container_evolution.svg"),
        ("inline", 4, "img", "../Image Folder\\k\\1618472-20190329134603647-370306872.png"),
        ("reference", 5, "", "D:\\wfbook\\Image\\k\\1618472-20190329135045351-342284420.png"),
        ("reference", 5, "present", "pics/a%20b.png"),
        ("html", 6, "img", "C:\\wfbook\\container_evolution.svg"),
        ("inline", 7, "ok", "pics/a%20b.png"),
        ("inline", 8, "logo", "https://example.org/logo.png"),
        ("inline", 9, "dot", "data:image/png;base64,iVBORw0KGgo="),
        ("inline", 10, "lost", "gone/nowhere.png"),
    ]
    assert [r.span.text for r in scan_images(NOTES)][:3] == [
        '![](old/pics/container_evolution.svg "eras")',
        "![img](<../Image Folder\\k\\1618472-20190329134603647-370306872.png>)",
        "![][arch2]",
    ]


def shown(text: str) -> list[tuple[int, str | None]]:
    """``(line, None)`` for each image shown as an image, ``(line, block kind)`` for each shown as code."""
    return [(r.line, r.code.kind if r.code else None) for r in scan_images(text, code=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("    ![](a.png)\n", [(1, "code")]),  # indented at the start of the document
        ("Text\n\n      ![](a.png)\n", [(3, "code")]),  # after a blank line
        ("Text\n      ![](a.png)\n", [(2, None)]),  # a lazy continuation line of the paragraph
        ("**Bold**\n      ![](a.png)\n", [(2, None)]),
        ("# Heading\n    ![](a.png)\n", [(2, "code")]),  # a heading is no paragraph to continue
        ("\t![](a.png)\n", [(1, "code")]),  # a tab is four columns
        ("   ![](a.png)\n", [(1, None)]),  # three spaces are not code
        ("- item\n\n    ![](a.png)\n", [(3, None)]),  # the list item's content indentation takes two of them
        ("- item\n\n      ![](a.png)\n", [(3, "code")]),
        ("1. item\n\n       ![](a.png)\n", [(3, "code")]),
        ("> quote\n>\n>     ![](a.png)\n", [(3, "code")]),
        ("```\n![](a.png)\n```\n", [(2, "fence")]),
        ("~~~~~ md\n![](a.png)\n~~~~~\n![](b.png)\n", [(2, "fence"), (4, None)]),
        ("````\n```\n![](a.png)\n```\n````\n", [(3, "fence")]),
        ("    ```\n![](a.png)\n", [(2, None)]),  # four spaces: code, not a fence
        ("- ```\n  ![](a.png)\n  ```\n", [(2, "fence")]),
        ("<div>\n![](a.png)\n<img src='b.png'>\n</div>\n", [(2, "html"), (3, None)]),  # <img> in HTML is an image
        ("<div>\n\n![](a.png)\n\n</div>\n", [(3, None)]),
        ("<!-- c --> ![](a.png)\n", [(1, "html")]),  # the rest of an HTML block's line is HTML too
        ("`![](a.png)` <!-- ![](b.png) -->\n", []),  # code spans and comments hide images
        ("    ![](a.png)\r\n\r\n![](b.png)\r\n", [(1, "code"), (3, None)]),
        ("a\r    ![](a.png)\n", [(1, None)]),  # a lone \r is no line break for the scanner, nor for its parse
    ],
)
def test_what_a_renderer_shows_as_code(text, expected):
    assert shown(text) == expected
    assert [r.line for r in scan_images(text)] == [line for line, kind in expected if kind is None]


def test_fences_know_whether_they_are_closed():
    blocks = code_blocks("```\na\n```\n\n> ~~~\n> b\n\nc\n\n```\nd\n")
    assert [(b.kind, b.first, b.last, b.closed, b.nested) for b in blocks.blocks] == [
        ("fence", 1, 3, True, False),
        ("fence", 5, 6, False, True),  # ended by its quote
        ("fence", 10, 11, False, False),  # runs to the end of the document
    ]


def test_the_source_documents_structure():
    text = BROKEN_IMAGES_ZH.read_text(encoding="utf-8")
    refs = scan_images(text, code=True)
    assert [(r.line, r.code.kind if r.code else None) for r in refs] == [(3, None), (9, None), (15, "code")]
    blocks = code_blocks(text)
    block = blocks.at(15)
    assert block is not None and image_only(text, block, 15, refs, blocks)
    cut = unindent(text, block, 15, blocks)
    assert cut is not None and cut.text == " " * 6
    assert text[cut.end : cut.end + 7] == "![img](" and text[cut.start - 1] == "\n"


def test_code_samples():
    assert shown(CODE_SAMPLES) == [(6, "fence"), (12, "code"), (15, "fence"), (19, "html"), (25, "fence")]
    blocks = code_blocks(CODE_SAMPLES)
    refs = scan_images(CODE_SAMPLES, code=True)
    sample = blocks.at(12)
    assert sample is not None and (sample.first, sample.last) == (11, 12)
    assert not image_only(CODE_SAMPLES, sample, 11, refs, blocks)  # "$ ls Image" is code
    assert [b.closed for b in blocks.blocks if b.kind == "fence"] == [True, True, False]


def test_markers_and_conflicts_in_indented_code_are_text():
    text = "    <!-- virtgraph:view eras -->\n\n    <<<<<<< HEAD\n<<<<<<< HEAD\n"
    assert markdown.scan_markers(text) == []
    assert markdown.conflict_markers(text) == [(4, "<<<<<<< HEAD")]


def test_pieces_give_what_one_parse_gives(monkeypatch):
    """A long document is parsed in pieces cut where a top-level block starts: the blocks are the same."""
    parts = [
        "# Section {i}\n\nText {i}\n    ![](lazy.png)\n\n    ![](code{i}.png)\n",
        "```\n![](fenced.png)\n\nstill code {i}\n```\n",
        "- item {i}\n\n        ![](in-item.png)\n- next\n  ```\n  code\n\n  ```\n",
        "> quote {i}\n>\n>     ![](quoted.png)\nlazy\n",
        '<div class="{i}">\n![](html.png)\n</div>\n',
        "    sample {i}\n\n    ![](sample.png)\n",
    ]
    text = "\n".join(parts[i % len(parts)].format(i=i) for i in range(300)) + "```\nnever closed\n"
    whole = code_blocks(text).blocks
    code_blocks.cache_clear()
    monkeypatch.setattr(markdown, "CHUNK", 200)
    monkeypatch.setattr(markdown, "MAX_CHUNK", 400)
    try:
        assert code_blocks(text).blocks == whole
    finally:
        code_blocks.cache_clear()
    assert len(whole) > 300


def test_a_long_fence_is_read_whole_however_small_the_pieces(monkeypatch):
    text = "intro\n\n```\n" + "![](x.png)\n\n" * 500 + "```\n\n![](after.png)\n"
    monkeypatch.setattr(markdown, "CHUNK", 100)
    monkeypatch.setattr(markdown, "MAX_CHUNK", 200)
    code_blocks.cache_clear()
    try:
        blocks = code_blocks(text).blocks
        assert [(b.kind, b.first, b.closed) for b in blocks] == [("fence", 3, True)]
        assert [r.target for r in scan_images(text)] == ["after.png"]
    finally:
        code_blocks.cache_clear()


@pytest.mark.parametrize(
    "text",
    [
        "intro\n\n```\n" + "![](x.png)\n\n" * 300 + "   ````  \n\n![](after.png)\n",
        "intro\n\n~~~~ md\n" + "~~~\n![](x.png)\n" * 300 + "~~~~\n- item\n",
        "intro\n\n```\n" + "![](x.png)\n" * 300,  # never closed
        "    code\n" + "\n    ![](x.png)\n\t![](y.png)\n" * 300 + "\n\n   text\n\n    ![](z.png)\n",
        "\n\n" + "    ![](x.png)\r\n" * 300,
    ],
    ids=["fence", "longer fence", "unclosed fence", "indented code", "indented to the end"],
)
def test_a_long_code_block_is_followed_to_its_end_without_the_parser(monkeypatch, text):
    def kinds() -> list[tuple[str, int, int, bool, bool]]:
        code_blocks.cache_clear()
        return [(b.kind, b.first, b.last, b.closed, b.nested) for b in code_blocks(text).blocks]

    whole = kinds()
    monkeypatch.setattr(markdown, "CHUNK", 100)
    monkeypatch.setattr(markdown, "MAX_CHUNK", 200)
    try:
        assert kinds() == whole
    finally:
        code_blocks.cache_clear()
