"""Reading Markdown for ``virtgraph docs``: image references, embed markers and merge-conflict markers.

Two readers work together. A small scanner keeps exact character offsets, because ``docs fix`` must change only
the bytes of an image reference or of an embed block and leave every other byte as it was. It understands inline
images (``![alt](target "title")``, ``<target>`` form, balanced parentheses), reference-style images
(``![alt][ref]``, ``![alt][]``, ``![ref]``) with their definitions, HTML ``<img src=...>``, inline code spans
(also across lines) and HTML comments. A CommonMark parser, markdown-it-py, decides which lines a renderer shows
as code: only its block structure is used (:func:`code_blocks`), so what is code is decided as a Markdown
renderer decides it, containers, lazy continuation lines and tabs included, not by an approximation.

What each image is, for a reader:

- **hidden**: inside an inline code span or an HTML comment. Never reported, never changed.
- **code**: the line lies in an indented code block, a fenced code block (``` or ~~~, any length, closed or
  not), or an HTML block (where Markdown is not read: ``![x](y)`` there is shown as text, while an ``<img>``
  tag is a real image). :func:`scan_images` with ``code=True`` returns these with :attr:`ImageRef.code` set to
  the :class:`Block`; ``docs`` decides what to do with them.
- **an image**: everything else, including an indented line that continues a paragraph lazily or that sits
  inside a list item whose content indentation takes up the spaces.

Lines end at ``\\n`` only (``\\r\\n`` works; a lone ``\\r`` and Unicode line separators inside a line are text:
markdown-it is given a lone ``\\r`` as a space, so its lines are the scanner's lines). The scanner's passes are
linear or ``n log n`` in the size of the text. markdown-it-py is linear too but slower (roughly 10 µs per byte on
the worst text, a few µs on prose) and builds a token per block, so the text is given to it in pieces of about
256 KiB, each cut where a new top-level block (or a new item of a top-level list) starts, where the parser's
state is fresh: the result is the same as one parse, and memory stays bounded. A long fence or indented code
block is followed to its end by its end condition alone; only a single list or blockquote over 512 KiB, or a
paragraph or HTML block over 2 MiB, is cut elsewhere (Markdown no person writes). Text without an image, a marker or
a conflict marker is not parsed at all.

>>> refs = scan_images('See ![](../img/a.svg "A") and ![x][r].\\n\\n[r]: <b c.png>\\n')
>>> [(r.kind, r.line, r.alt, r.target) for r in refs]
[('inline', 1, '', '../img/a.svg'), ('reference', 1, 'x', 'b c.png')]
>>> [r.target for r in scan_images("<!-- ![](hidden.png) -->\\n> ```\\n> ![](code.png)\\n> ```\\n![](shown.png)\\n")]
['shown.png']
>>> refs = scan_images("Text\\n      ![](lazy.png)\\n\\n    ![](code.png)\\n", code=True)
>>> [(r.target, r.code and r.code.kind) for r in refs]
[('lazy.png', None), ('code.png', 'code')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import UsageError

_LONE_CR = re.compile(r"\r(?!\n)")
_BLANK_LINE = re.compile(r"\n[ \t\r]*(?=\n)")
_BRACKET_TOKEN = re.compile(r"\\[\s\S]|[\[\]]|\n[ \t\r]*\n")
_DEFINITION = re.compile(
    r"^ {0,3}\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*(?:\r?\n[ \t]*)?(<[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_IMG_TAG = re.compile(r"<img\b[^>]{0,4000}>", re.IGNORECASE)
_IMG_START = re.compile(r"<img\b", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: .*)?$")
_TITLE_LIMIT = 4000  # how far a link title may reach: bounds the work per image in hostile text
_ANGLE_STOP = re.compile(r"(?<!\\)[<>\n]")
MARKER_OPEN = re.compile(r"<!--\s*virtgraph:(view|query)\b([^>]*?)\s*-->")
MARKER_CLOSE = re.compile(r"<!--\s*/virtgraph\s*-->")
#: How much text markdown-it reads at once (characters), and how far a piece grows to reach a place to cut it.
CHUNK = 256 * 1024
MAX_CHUNK = 512 * 1024
#: Block tokens whose lines a renderer shows as code or passes through as raw HTML.
_BLOCK_KINDS = {"code_block": "code", "fence": "fence", "html_block": "html"}
#: Top-level blocks that are one token whatever their size: a piece may grow further to hold them whole.
_ONE_TOKEN = {"html_block", "paragraph_open"}


@dataclass
class Span:
    """A piece of the text: ``[start, end)`` character offsets and the text itself."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Block:
    """Lines a CommonMark renderer shows as code (``code``: indented, ``fence``: fenced) or as raw HTML (``html``).

    ``first`` and ``last`` are 1-based line numbers (``last`` included); ``closed`` says whether a fence ends
    with a closing fence line (an unclosed one runs to the end of the document or of its list item or quote);
    ``nested`` whether the block lies inside a list item or a blockquote; ``content`` holds an indented code
    block's lines as the parser reads them (the four columns of code indentation removed).
    """

    kind: str
    first: int
    last: int
    closed: bool = True
    nested: bool = False
    content: str = ""

    def lines(self) -> range:
        return range(self.first, self.last + 1)

    def code_line(self, line: int) -> str:
        """The text of ``line`` of an indented code block as code (its four columns of indentation removed); empty
        when the block's content was not kept."""
        code = self.content.split("\n")
        return code[line - self.first] if 0 <= line - self.first < len(code) else ""

    def describe(self) -> str:
        """How messages name the block.

        >>> Block("code", 3, 5).describe(), Block("fence", 7, 7, closed=False).describe()
        ('the indented code block at lines 3-5', 'the fence opened at line 7 and never closed')
        """
        where = f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
        if self.kind == "fence":
            return f"the fence at {where}" if self.closed else f"the fence opened at line {self.first} and never closed"
        return f"the {'indented code' if self.kind == 'code' else 'HTML'} block at {where}"


@dataclass
class ImageRef:
    """One image reference: where its alt text and target sit in the document, so they can be rewritten.

    ``span`` is the whole reference (``![alt](target)``, ``![alt][ref]``, the ``<img>`` tag); ``code`` is the
    :class:`Block` a renderer shows it in as code or text, or None when it is shown as an image.
    """

    kind: str  # inline | reference | html
    line: int
    alt: str
    target: str
    alt_span: Span | None
    target_span: Span
    label: str = ""  # the reference label of a reference-style image
    span: Span | None = field(default=None, compare=False)
    code: Block | None = field(default=None, compare=False)


@dataclass
class Marker:
    """An embed block: ``<!-- virtgraph:view NAME k=v ... -->`` … ``<!-- /virtgraph -->``."""

    kind: str  # view | query
    name: str
    options: dict[str, str]
    line: int
    body: Span  # what lies between the two markers (rewritten by docs fix)


class Regions:
    """Sorted, merged ``[start, end)`` offset ranges with a fast membership test.

    >>> regions = Regions([(10, 20), (0, 5), (15, 30)])
    >>> regions.ranges, 3 in regions, 7 in regions, 29 in regions, 30 in regions
    ([(0, 5), (10, 30)], True, False, True, False)
    """

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(r for r in ranges if r[1] > r[0]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.ranges = merged
        self._starts = [start for start, _ in merged]

    def __contains__(self, offset: int) -> bool:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self.ranges[i][1]

    def any_between(self, start: int, end: int) -> bool:
        """Whether a region begins in ``[start, end)``."""
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end


class LineIndex:
    """Line numbers of offsets (lines end at ``\\n``), in ``log n`` per lookup.

    >>> LineIndex("a\\nb\\r\\nc\\u2028d").line(6)
    3
    """

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset``.

    >>> line_of("a\\nb\\nc", 4)
    3
    """
    return text.count("\n", 0, offset) + 1


def lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of every line, each with its ending; only ``\\n`` ends a line.

    >>> list(lines("a\\r\\nb\\u2028c"))
    [(0, 'a\\r\\n'), (3, 'b\\u2028c')]
    """
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        yield pos, text[pos:end]
        pos = end


# --- what a renderer shows as code: markdown-it's block structure --------------------------------------------------


class Blocks:
    """The code and HTML blocks of a text, found by line or as offset ranges.

    >>> blocks = code_blocks("# T\\n\\n    code\\n\\n```\\n![](x.png)\\n")
    >>> blocks.at(3), blocks.at(4), blocks.at(6).kind, blocks.at(6).closed
    (Block(kind='code', first=3, last=3, closed=True, nested=False, content='code\\n'), None, 'fence', False)
    >>> blocks.regions("code")
    [(5, 14)]
    """

    def __init__(self, blocks: list[Block], starts: list[int], length: int) -> None:
        self.blocks = sorted(blocks, key=lambda b: b.first)
        self._firsts = [b.first for b in self.blocks]
        self._starts = starts  # offset of each line's first character
        self._length = length

    def at(self, line: int) -> Block | None:
        """The block holding 1-based ``line``, or None."""
        i = bisect.bisect_right(self._firsts, line) - 1
        return self.blocks[i] if i >= 0 and line <= self.blocks[i].last else None

    def line_start(self, line: int) -> int:
        return self._starts[line - 1] if line <= len(self._starts) else self._length

    def regions(self, *kinds: str) -> list[tuple[int, int]]:
        """``[start, end)`` offsets of the blocks of ``kinds``, from their first line's start to their last's end."""
        return [(self.line_start(b.first), self.line_start(b.last + 1)) for b in self.blocks if b.kind in kinds]


@cache
def _parser() -> MarkdownIt:
    """CommonMark, block structure only (inline content is not parsed: the scanner reads it)."""
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def _fence_closed(token: Token) -> bool:
    """Whether a fence token ends with a closing fence line: its lines are the opening, the content and the closing."""
    assert token.map is not None
    content = token.content
    content_lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
    return token.map[1] - token.map[0] == content_lines + 2


def _cut(tokens: list[Token]) -> int:
    """Where a parsed piece may be cut: the first line (0-based, > 0) of its last top-level block, else of its
    last item of a top-level list; 0 when there is no such place.

    At those lines markdown-it starts a block with nothing open before it, so parsing on from there gives what
    one parse of the whole text gives; the block that starts there may be cut short, so it is parsed again with
    the next piece.
    """
    top = [t.map[0] for t in tokens if t.map and t.level == 0 and t.nesting >= 0 and t.map[0] > 0]
    if top:
        return top[-1]
    if tokens and tokens[0].type in ("bullet_list_open", "ordered_list_open"):
        items = [t.map[0] for t in tokens if t.map and t.level == 1 and t.type == "list_item_open" and t.map[0] > 0]
        if items:
            return items[-1]
    return 0


def _skip(source: str, starts: list[int], first: int, head: Token) -> Block:
    """The whole top-level fence or indented code block that starts at line ``first`` (0-based) and fills a piece,
    found by its end condition alone, without parsing: a fence ends at a line of at most three spaces and at least
    as many of its fence characters; an indented code block before the first non-blank line indented less than
    four columns (its ``content`` is not kept: an image in it is never unindented).
    """
    after = starts[first + 1] if first + 1 < len(starts) else len(source)
    if head.type == "fence":
        char, length = head.markup[0], len(head.markup)
        closing = re.compile(rf"^ {{0,3}}{re.escape(char)}{{{length},}}[ \t\r]*$", re.MULTILINE).search(source, after)
        if closing is None:
            return Block("fence", first + 1, len(starts), closed=False)
        return Block("fence", first + 1, bisect.bisect_right(starts, closing.start()))
    stop = re.compile(r"^ {0,3}[^ \t\r\n]", re.MULTILINE).search(source, after)
    last = bisect.bisect_right(starts, stop.start()) - 1 if stop else len(starts)  # 0-based line that ends it
    while last - 1 > first and not source[starts[last - 1] : starts[last] if last < len(starts) else None].strip():
        last -= 1
    return Block("code", first + 1, last)


@lru_cache(maxsize=4)
def code_blocks(text: str) -> Blocks:
    """Every indented code block, fenced code block and HTML block of ``text``, as CommonMark reads it.

    The text is parsed in pieces of about :data:`CHUNK` characters cut where a top-level block starts (see
    :func:`_cut`), so memory stays bounded whatever the text. A piece that holds no such place grows (doubling):
    up to :data:`MAX_CHUNK` for a list or blockquote, which is then cut at the piece's end, and to four times that
    for a paragraph or an HTML block; a top-level fence or indented code block that fills it is followed to its
    end without the parser (:func:`_skip`), so a long code listing is read exactly.
    """
    source = _LONE_CR.sub(" ", text)  # markdown-it ends lines at a lone \r too; the scanner does not
    starts = [0, *(m.end() for m in re.finditer("\n", source))]
    if starts[-1] == len(source) and len(starts) > 1:
        starts.pop()  # no line after a final newline
    blocks: list[Block] = []
    first = 0
    while first < len(starts):
        size = CHUNK
        while True:
            end = max(bisect.bisect_left(starts, starts[first] + size), first + 1)
            last_piece = end >= len(starts)
            piece = source[starts[first] :] if last_piece else source[starts[first] : starts[end]]
            tokens = _parser().parse(piece)
            cut = end - first if last_piece else _cut(tokens)
            if cut:
                break
            head = next((t for t in tokens if t.map and t.level == 0), None)
            if head is not None and head.type in ("fence", "code_block"):
                blocks.append(_skip(source, starts, first, head))
                tokens, cut = [], blocks[-1].last - first
                break
            if size >= (4 * MAX_CHUNK if head is not None and head.type in _ONE_TOKEN else MAX_CHUNK):
                cut = end - first  # one block over the limit without a top-level place to cut: cut it here
                break
            size *= 2
        for token in tokens:
            kind = _BLOCK_KINDS.get(token.type)
            if kind is None or token.map is None or token.map[0] >= cut:
                continue
            begin, stop = first + token.map[0] + 1, first + min(token.map[1], cut)
            if stop < begin:
                continue
            blocks.append(
                Block(
                    kind,
                    begin,
                    stop,
                    closed=kind != "fence" or _fence_closed(token),
                    nested=token.level > 0,
                    content=token.content if kind == "code" else "",
                )
            )
        first += cut
    return Blocks(blocks, starts, len(text))


# --- what the scanner hides: code spans and comments ---------------------------------------------------------------


def _code_span_regions(text: str, blocks: Regions) -> list[tuple[int, int]]:
    """Inline code spans: a run of backticks to the next run of the same length in the same paragraph.

    Backticks inside ``blocks`` (code and HTML blocks) are text, and a span never reaches across one.
    """
    runs = [(m.start(), m.end()) for m in re.finditer("`+", text) if m.start() not in blocks]
    by_length: dict[int, list[int]] = defaultdict(list)
    for start, end in runs:
        by_length[end - start].append(start)
    breaks = Regions([(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)])
    spans, reached = [], 0
    for start, end in runs:
        if start < reached:
            continue
        same = by_length[end - start]
        i = bisect.bisect_right(same, start)
        if i == len(same):
            continue
        close = same[i]
        if breaks.any_between(end, close) or blocks.any_between(end, close):
            continue
        reached = close + (end - start)
        spans.append((start, reached))
    return spans


def _comment_regions(text: str, code: Regions) -> list[tuple[int, int]]:
    """HTML comments outside code; an unclosed one that starts a line runs to the end (as a Markdown HTML block)."""
    regions, reached = [], 0
    for match in re.finditer("<!--", text):
        start = match.start()
        if start < reached or start in code:
            continue
        end = text.find("-->", start + 4)
        if end >= 0:
            reached = end + 3
        elif re.fullmatch(r"(?: {0,3}>[ \t]?)* {0,3}", text[text.rfind("\n", 0, start) + 1 : start]):
            reached = len(text)
        else:
            continue
        regions.append((start, reached))
    return regions


def code_regions(text: str) -> Regions:
    """Indented and fenced code blocks and inline code spans: where a marker or a conflict marker is text."""
    blocks = code_blocks(text)
    code = blocks.regions("code", "fence")
    return Regions(code + _code_span_regions(text, Regions(blocks.regions("code", "fence", "html"))))


def _bracket_pairs(text: str) -> dict[int, int]:
    """For each ``[`` that is closed in its paragraph, the index just after its ``]`` (escapes and nesting kept)."""
    pairs, stack = {}, []
    for token in _BRACKET_TOKEN.finditer(text):
        ch = token.group(0)
        if ch == "[":
            stack.append(token.start())
        elif ch == "]":
            if stack:
                pairs[stack.pop()] = token.end()
        elif ch[0] == "\n":
            stack.clear()
    return pairs


def _inline_target(text: str, start: int) -> tuple[Span, int] | None:
    """Parse ``(target "title")`` at ``start`` (the ``(``): the target's span and the index after ``)``."""
    i = start + 1
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "<":
        # a <destination> holds no line end and no unescaped < or >: stop at the first of them (searching on
        # for ">" alone made a line of many "![a](<" quadratic)
        stop = _ANGLE_STOP.search(text, i + 1)
        if stop is None or stop.group() != ">":
            return None
        end = stop.start()
        span = Span(i + 1, end, text[i + 1 : end])
        i = end + 1
    else:
        depth, j = 0, i
        while j < len(text) and not text[j].isspace():
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        j = min(j, len(text))
        span = Span(i, j, text[i:j])
        i = j
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    if i < len(text) and text[i] in "\"'(":
        closing = {"(": ")"}.get(text[i], text[i])
        end = text.find(closing, i + 1, i + 1 + _TITLE_LIMIT)
        if end < 0:
            return None
        i = end + 1
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
    if i >= len(text) or text[i] != ")":
        return None
    return span, i + 1


def normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _definitions(text: str, hidden: Regions) -> dict[str, Span]:
    """Reference definitions (``[label]: target``) outside code, HTML blocks and comments; the first one wins."""
    definitions: dict[str, Span] = {}
    for match in _DEFINITION.finditer(text):
        if match.start() in hidden:
            continue
        raw = match.group(2)
        start = match.start(2) + (1 if raw.startswith("<") else 0)
        value = raw[1:-1] if raw.startswith("<") else raw
        definitions.setdefault(normalize_label(match.group(1)), Span(start, start + len(value), value))
    return definitions


def _markdown_images(text: str, hidden: Regions, definitions: dict[str, Span], index: LineIndex) -> Iterator[ImageRef]:
    """Inline and reference-style images outside ``hidden``."""
    brackets = _bracket_pairs(text)
    for match in re.finditer(r"!\[", text):
        bang = match.start()
        if bang in hidden or (bang > 0 and text[bang - 1] == "\\") or bang + 1 not in brackets:
            continue
        close = brackets[bang + 1]
        alt = Span(bang + 2, close - 1, text[bang + 2 : close - 1])
        after = text[close : close + 1]
        if after == "(":
            parsed = _inline_target(text, close)
            if parsed:
                target, end = parsed
                whole = Span(bang, end, text[bang:end])
                yield ImageRef("inline", index.line(bang), alt.text, target.text, alt, target, span=whole)
                continue
        label, end = alt.text, close
        if after == "[" and close in brackets:
            end = brackets[close]  # ![alt][label] or ![alt][]
            if text[close + 1 : end - 1].strip():
                label = text[close + 1 : end - 1]
        definition = definitions.get(normalize_label(label))
        if definition is not None:
            whole = Span(bang, end, text[bang:end])
            line = index.line(bang)
            yield ImageRef("reference", line, alt.text, definition.text, alt, definition, label=label, span=whole)


def _attribute(tag: re.Match[str], attr: re.Match[str]) -> Span:
    """The span of an HTML attribute's value (without its quotes)."""
    raw = attr.group(2)
    quoted = raw[0] in "\"'"
    start = tag.start() + attr.start(2) + (1 if quoted else 0)
    value = raw[1:-1] if quoted else raw
    return Span(start, start + len(value), value)


def _html_images(text: str, hidden: Regions, index: LineIndex) -> Iterator[ImageRef]:
    """``<img src=... alt=...>`` tags."""
    for match in _IMG_TAG.finditer(text):
        if match.start() in hidden:
            continue
        attrs = {m.group(1).lower(): m for m in _ATTR.finditer(match.group(0))}
        if "src" not in attrs:
            continue
        src = _attribute(match, attrs["src"])
        alt = _attribute(match, attrs["alt"]) if "alt" in attrs else None
        whole = Span(match.start(), match.end(), match.group(0))
        yield ImageRef("html", index.line(match.start()), alt.text if alt else "", src.text, alt, src, span=whole)


def scan_images(text: str, code: bool = False) -> list[ImageRef]:
    """Every image reference in ``text`` that a reader sees as an image, in document order.

    With ``code=True``, also those a renderer shows as code or as text (in a code block, a fence, or as Markdown
    inside an HTML block), each with :attr:`ImageRef.code` set. Images in inline code spans and HTML comments are
    never returned.
    """
    if "![" not in text and not _IMG_START.search(text):
        return []  # the text need not be parsed
    blocks, index = code_blocks(text), LineIndex(text)
    literal = Regions(blocks.regions("code", "fence", "html"))
    spans = _code_span_regions(text, literal)
    comments = _comment_regions(text, Regions(blocks.regions("code", "fence") + spans))
    hidden = Regions(spans + comments)
    definitions = _definitions(text, Regions(literal.ranges + spans + comments))
    refs = []
    for ref in [*_markdown_images(text, hidden, definitions, index), *_html_images(text, hidden, index)]:
        block = blocks.at(ref.line)
        if block is not None and not (block.kind == "html" and ref.kind == "html"):  # <img> in HTML is an image
            if not code:
                continue
            ref.code = block
        refs.append(ref)
    refs.sort(key=lambda r: r.target_span.start if r.kind != "reference" else (r.alt_span.start if r.alt_span else 0))
    return refs


def _code_text(text: str, block: Block, line: int, blocks: Blocks) -> tuple[int, int, int, str] | None:
    """Where the code of ``line`` of an indented code block starts: ``(line start, start of the whitespace run
    before the code, start of the code, the line as code)`` (offsets in ``text``); None for a blank line."""
    start, end = blocks.line_start(line), blocks.line_start(line + 1)
    raw = text[start:end].rstrip("\r\n")
    code = block.code_line(line)
    rest = code.lstrip(" \t")
    if not rest.strip() or not raw.endswith(rest):
        return None
    code_start = len(raw) - len(rest)
    ws_start = code_start
    while ws_start > 0 and raw[ws_start - 1] in " \t":
        ws_start -= 1
    return start, start + ws_start, start + code_start, code


def image_only(text: str, block: Block, line: int, refs: list[ImageRef], blocks: Blocks) -> bool:
    """Whether ``line`` of the indented code block ``block`` holds nothing but images and whitespace as code.

    >>> text = "    ![a](x.png) <img src='y.png'>\\n    ![c](z.png) and text\\n"
    >>> refs, blocks = scan_images(text, code=True), code_blocks(text)
    >>> image_only(text, blocks.at(1), 1, refs, blocks), image_only(text, blocks.at(2), 2, refs, blocks)
    (True, False)
    """
    found = _code_text(text, block, line, blocks)
    if found is None:
        return False
    pos, end = found[2], blocks.line_start(line + 1)
    for span in sorted((r.span for r in refs if r.span and found[2] <= r.span.start < end), key=lambda s: s.start):
        if span.end > end or text[pos : span.start].strip():
            return False
        pos = span.end
    return pos > found[2] and not text[pos:end].strip()


def unindent(text: str, block: Block, line: int, blocks: Blocks) -> Span | None:
    """The indentation to remove from ``line`` of the indented code block ``block`` so it is no longer code.

    That is the code indentation markdown-it found (four columns, and any beyond them, past the list item or
    quote the block sits in), taken from the end of the whitespace before the code, so the indentation of a list
    item's content stays. Tabs are removed whole at the start of a top-level line; None when they cannot be
    (tabs inside a list item or quote), or for a blank line.

    >>> text = "Text\\n\\n      ![a](x.png)\\n- item\\n\\n        ![b](y.png)\\n"
    >>> blocks = code_blocks(text)
    >>> unindent(text, blocks.at(3), 3, blocks), unindent(text, blocks.at(6), 6, blocks)
    (Span(start=6, end=12, text='      '), Span(start=34, end=40, text='      '))
    """
    found = _code_text(text, block, line, blocks)
    if found is None:
        return None
    start, ws_start, code_start, code = found
    whitespace, extra = text[ws_start:code_start], code[: len(code) - len(code.lstrip(" \t"))]
    columns = 4 + len(extra)  # beyond its four columns, markdown-it keeps the indentation as spaces or whole tabs
    if "\t" not in whitespace + extra and len(whitespace) >= columns:
        return Span(code_start - columns, code_start, " " * columns)
    if ws_start == start and not block.nested:
        return Span(start, code_start, whitespace)
    return None


def conflict_markers(text: str) -> list[tuple[int, str]]:
    """``(line, marker line)`` of every merge-conflict marker outside code."""
    found = [(pos, line.rstrip("\r\n")) for pos, line in lines(text) if _CONFLICT.match(line.rstrip("\r\n"))]
    if not found:
        return []  # the text need not be parsed
    code, index = code_regions(text), LineIndex(text)
    return [(index.line(pos), line) for pos, line in found if pos not in code]


def _options(raw: str, line: int) -> tuple[str, dict[str, str]]:
    parts = raw.split()
    if not parts:
        raise UsageError(f"line {line}: virtgraph marker names nothing (e.g. <!-- virtgraph:view taxonomy -->)")
    options: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            raise UsageError(f"line {line}: cannot read marker option {part!r} (expected key=value)")
        if key in options:
            raise UsageError(f"line {line}: marker option {key!r} is given twice")
        options[key] = value
    return parts[0], options


def scan_markers(text: str) -> list[Marker]:
    """Every embed block, with the span between its markers; an unclosed or nested block is an error."""
    opens, closes = list(MARKER_OPEN.finditer(text)), list(MARKER_CLOSE.finditer(text))
    if not opens and not closes:
        return []  # the text need not be parsed
    code, index = code_regions(text), LineIndex(text)
    markers = []
    opens = [m for m in opens if m.start() not in code]
    closes = [m for m in closes if m.start() not in code]
    events = sorted([(m.start(), "open", m) for m in opens] + [(m.start(), "close", m) for m in closes])
    current = None
    for offset, kind, match in events:
        line = index.line(offset)
        if kind == "open":
            if current is not None:
                raise UsageError(f"line {line}: virtgraph marker opened inside the block opened at line {current[1]}")
            current = (match, line)
        else:
            if current is None:
                raise UsageError(f"line {line}: <!-- /virtgraph --> without an opening virtgraph marker")
            opening, opening_line = current
            name, options = _options(opening.group(2), opening_line)
            body_start = opening.end()
            markers.append(
                Marker(opening.group(1), name, options, opening_line, Span(body_start, offset, text[body_start:offset]))
            )
            current = None
    if current is not None:
        raise UsageError(f"line {current[1]}: virtgraph marker is never closed with <!-- /virtgraph -->")
    return markers


def newline_of(text: str, offset: int) -> str:
    """The line ending used at ``offset`` (``\\r\\n`` or ``\\n``), for text inserted there.

    >>> newline_of("a\\r\\nb\\n", 0), newline_of("a\\r\\nb\\n", 3), newline_of("a\\r\\nb", 4)
    ('\\r\\n', '\\n', '\\r\\n')
    """
    end = text.find("\n", offset)
    if end > 0 and text[end - 1] == "\r":
        return "\r\n"
    if end < 0:
        return "\r\n" if "\r\n" in text else "\n"
    return "\n"


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied; edits must not overlap.

    >>> apply_edits("one two three", [(8, 13, "3"), (0, 3, "1")])
    '1 two 3'
    """
    out, last = [], len(text)
    for start, end, replacement in sorted(set(edits), reverse=True):
        if end > last:
            raise ValueError("overlapping edits")
        out.append(text[end:last])
        out.append(replacement)
        last = start
    out.append(text[:last])
    return "".join(reversed(out))


def escape_alt(text: str) -> str:
    """Alt text safe inside ``![...]``.

    >>> escape_alt("a [b]\\\\c")
    'a \\\\[b\\\\]\\\\\\\\c'
    """
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
