"""Property tests of `docs fix` on random Markdown: it changes only image targets (and placeholder alt text),
and the indentation that alone makes an image code.

Each generated document is a list of pieces that know their own fixed form: live images that the shipped
mapping draws (view 'eras'), broken images nothing maps, images hidden in code fences (``` and ~~~, in
blockquotes and list items too), inline code and HTML comments, images in indented code samples and as Markdown
inside HTML blocks (shown as code: left alone), and images that are code only because they are indented (fixed
and unindented), between prose full of brackets, with CRLF or LF per piece and an optional BOM. The fixed
document must be exactly the pieces' fixed forms joined, and fixing the result again must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtgraph.documents import Planner
from virtgraph.graph import KnowledgeGraph
from virtgraph.markdown import scan_images

TITLE = "Three eras of deploying applications"  # the title of view 'eras' in English
LINK = "images/eras.en.svg"
MAPPED = st.sampled_from(
    [
        "old/container_evolution.svg",
        "container_evolution.svg?raw=true",
        "pics/container_evolution.svg#layer",
        "..\\Image Folder\\container_evolution.svg",
        "D:\\wfbook\\container_evolution.svg",
        "a%20b/container_evolution.svg",
    ]
)
PLACEHOLDER = st.sampled_from(["", "img", "image", "图片"])
ALT = st.sampled_from(["diagram", "a [nested] alt", "x (y)", "中文说明"])
PROSE = st.text(alphabet="ab 中文[]()*_#.:/\\\t", max_size=40).map(lambda t: t.strip() or "text")
NEWLINE = st.sampled_from(["\n", "\r\n"])


def needs_angle_brackets(target: str) -> bool:
    return " " in target


@st.composite
def live_image(draw) -> tuple[str, str]:
    """A broken image the mapping replaces: ``(as written, as fixed)``."""
    target = draw(MAPPED)
    alt = draw(st.one_of(PLACEHOLDER, ALT))
    fixed_alt = TITLE if alt in ("", "img", "image", "图片") else alt
    form = draw(st.sampled_from(["inline", "angle", "title", "html", "quoted"]))
    if form == "html":
        return f'<img src="{target}" alt="{alt}">', f'<img src="{LINK}" alt="{fixed_alt}">'
    if form == "angle" or needs_angle_brackets(target):
        return f"![{alt}](<{target}>)", f"![{fixed_alt}](<{LINK}>)"
    if form == "title":
        return f'![{alt}]({target} "t (1)")', f'![{fixed_alt}]({LINK} "t (1)")'
    if form == "quoted":
        return f"> ![{alt}]({target})", f"> ![{fixed_alt}]({LINK})"
    return f"![{alt}]({target})", f"![{fixed_alt}]({LINK})"


@st.composite
def image_text(draw) -> str:
    """The text of an image (mapped or not) that must stay as it is where it is hidden."""
    alt = draw(st.one_of(PLACEHOLDER, ALT))
    target = draw(st.one_of(MAPPED, st.just("gone/nowhere.png"))).replace(" ", "%20")
    return draw(st.sampled_from([f"![{alt}]({target})", f'<img src="{target}">']))


@st.composite
def hidden_piece(draw, nl: str) -> str:
    """Images a reader does not see: in a fence (maybe quoted or in a list item), inline code or a comment."""
    kind = draw(
        st.sampled_from(
            ["fence", "quoted-fence", "list-fence", "code-span", "comment", "long-comment", "sample", "html-block"]
        )
    )
    image = draw(image_text())
    if kind == "sample":  # an indented code sample: the image line is one of its code lines
        lines = [draw(PROSE), image, draw(PROSE)]
        lines.insert(draw(st.integers(0, 2)), "$ ls images")
        return nl.join(["Sample:", "", *("    " + line for line in lines)])
    if kind == "html-block":  # Markdown inside an HTML block is text (an <img> tag there would be an image)
        alt, target = draw(ALT), draw(MAPPED).replace(" ", "%20")
        return nl.join(['<div align="center">', f"![{alt}]({target})", "</div>"])
    if kind.endswith("fence"):
        fence = draw(st.sampled_from(["```", "~~~", "````", "~~~~"]))
        info = draw(st.sampled_from(["", "markdown", " md"]))
        body = [f"{fence}{info}", image, draw(PROSE), fence]
        if kind == "quoted-fence":
            prefix = draw(st.sampled_from(["> ", ">", "> > "]))
            body = [prefix + line for line in body]
        if kind == "list-fence":
            body = ["- " + body[0], *("  " + line for line in body[1:])]
        return nl.join(body)
    if kind == "code-span":
        ticks = draw(st.sampled_from(["`", "``"]))
        return f"{draw(PROSE)} {ticks}{image}{ticks} {draw(PROSE)}"
    if kind == "comment":
        return f"{draw(PROSE)} <!-- {image} --> {draw(PROSE)}"
    return nl.join(["<!--", image, draw(PROSE), "-->"])


@st.composite
def loose_image(draw, nl: str) -> tuple[str, str]:
    """An image that is an indented code block only because it is indented: fix removes the indentation."""
    indent = draw(st.sampled_from(["    ", "     ", "      ", "\t", "  \t"]))
    if draw(st.booleans()):
        written, fixed = draw(live_image().filter(lambda pair: not pair[0].startswith(">")))
    else:
        written = fixed = f"![{draw(ALT)}](gone/nowhere.png)"
    return f"Pictures:{nl}{nl}{indent}{written}", f"Pictures:{nl}{nl}{fixed}"


@st.composite
def piece(draw, index: int) -> tuple[str, str]:
    """One block of a document and its fixed form."""
    nl = draw(NEWLINE)
    kind = draw(st.sampled_from(["live", "reference", "unmapped", "hidden", "prose", "loose"]))
    if kind == "loose":
        return draw(loose_image(nl))
    if kind == "live":
        written, fixed = draw(live_image())
        before, after = draw(PROSE), draw(PROSE)
        return f"{before} {written} {after}", f"{before} {fixed} {after}"
    if kind == "reference":
        alt, target = draw(st.one_of(PLACEHOLDER, ALT)), draw(MAPPED).replace(" ", "%20")
        fixed_alt = TITLE if alt in ("", "img", "image", "图片") else alt
        label = f"ref {index}"
        return (
            f"![{alt}][{label}]{nl}{nl}[{label}]: {target}",
            f"![{fixed_alt}][{label}]{nl}{nl}[{label}]: {LINK}",
        )
    if kind == "unmapped":
        text = f"![{draw(ALT)}](gone/nowhere.png) {draw(PROSE)}"
        return text, text
    if kind == "hidden":
        text = draw(hidden_piece(nl))
        return text, text
    text = draw(PROSE)
    return text, text


@st.composite
def document(draw) -> tuple[str, str]:
    """A whole document and its expected fixed form."""
    count = draw(st.integers(min_value=1, max_value=8))
    pieces = [draw(piece(i)) for i in range(count)]
    nl = draw(NEWLINE)
    bom = draw(st.sampled_from(["", "\ufeff"]))
    end = draw(st.sampled_from(["", nl]))
    text = bom + (nl + nl).join(p[0] for p in pieces) + end
    fixed = bom + (nl + nl).join(p[1] for p in pieces) + end
    return text, fixed


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A document folder where the fixed links resolve, so a second fix sees them as working."""
    root = tmp_path_factory.mktemp("props")
    (root / "virtgraph.toml").write_text("", encoding="utf-8")
    (root / "images").mkdir()
    (root / "images" / "eras.en.svg").write_text("<svg/>", encoding="utf-8")
    return root


def plan_text(folder: Path, text: str) -> str:
    """What `docs fix --lang en` would make of ``text`` (planning only: no graph, no rendering)."""
    doc = folder / "doc.md"
    doc.write_bytes(text.encode("utf-8"))
    return Planner(kg=no_graph, lang="en").plan(doc).new_text


def no_graph() -> KnowledgeGraph:
    raise AssertionError("planning a document without markers or stale images must not open the graph")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=document())
def test_fix_changes_only_image_targets_and_placeholder_alts(folder, case):
    text, expected = case
    assert plan_text(folder, text) == expected


@settings(max_examples=80, deadline=None)
@given(case=document())
def test_fix_is_idempotent(folder, case):
    text, _ = case
    once = plan_text(folder, text)
    assert plan_text(folder, once) == once


@settings(max_examples=120, deadline=None)
@given(text=st.text(alphabet="![]()<>`~-\n\r\t >:#\"'\\ab中\ufeff", max_size=200))
def test_any_text_scans_and_fixing_twice_is_fixing_once(folder, text):
    refs = scan_images(text)
    assert all(0 <= r.target_span.start <= r.target_span.end <= len(text) for r in refs)
    assert all(text[r.target_span.start : r.target_span.end] == r.target for r in refs)
    once = plan_text(folder, text)
    assert plan_text(folder, once) == once
