"""Reading Markdown for ``virtgraph docs``: image references, embed markers and merge-conflict markers.

A small scanner that keeps exact character offsets, because ``docs fix`` must change only the bytes of an image
reference or of an embed block and leave every other byte as it was. It understands inline images
(``![alt](target "title")``, ``<target>`` form, balanced parentheses), reference-style images (``![alt][ref]``,
``![alt][]``, ``![ref]``) with their definitions, and HTML ``<img src=...>``. What is not shown as an image is
skipped: fenced code blocks (also inside blockquotes and list items), inline code spans (also across lines) and
HTML comments. Images on indented lines are still images: documents exported from blogs often indent them.

Lines end at ``\\n`` only (``\\r\\n`` works; Unicode line separators inside a line are text), and every pass is
linear or ``n log n`` in the size of the text, so a hostile document cannot make the scan take long.

>>> refs = scan_images('See ![](../img/a.svg "A") and ![x][r].\\n\\n[r]: <b c.png>\\n')
>>> [(r.kind, r.line, r.alt, r.target) for r in refs]
[('inline', 1, '', '../img/a.svg'), ('reference', 1, 'x', 'b c.png')]
>>> [r.target for r in scan_images("<!-- ![](hidden.png) -->\\n> ```\\n> ![](code.png)\\n> ```\\n![](shown.png)\\n")]
['shown.png']
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import UsageError

# A fence after any blockquote markers, indentation and list marker; the info string of a ``` fence has no `.
_QUOTES = re.compile(r"(?: {0,3}>[ \t]?)*")
_FENCE = re.compile(r"[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(`{3,}|~{3,})(.*)")
_CLOSING_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})[ \t]*")
_BLANK_LINE = re.compile(r"\n[ \t\r]*(?=\n)")
_BRACKET_TOKEN = re.compile(r"\\[\s\S]|[\[\]]|\n[ \t\r]*\n")
_DEFINITION = re.compile(
    r"^ {0,3}\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*(?:\r?\n[ \t]*)?(<[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_IMG_TAG = re.compile(r"<img\b[^>]{0,4000}>", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: .*)?$")
_TITLE_LIMIT = 4000  # how far a link title may reach: bounds the work per image in hostile text
_ANGLE_STOP = re.compile(r"(?<!\\)[<>\n]")
MARKER_OPEN = re.compile(r"<!--\s*virtgraph:(view|query)\b([^>]*?)\s*-->")
MARKER_CLOSE = re.compile(r"<!--\s*/virtgraph\s*-->")


@dataclass
class Span:
    """A piece of the text: ``[start, end)`` character offsets and the text itself."""

    start: int
    end: int
    text: str


@dataclass
class ImageRef:
    """One image reference: where its alt text and target sit in the document, so they can be rewritten."""

    kind: str  # inline | reference | html
    line: int
    alt: str
    target: str
    alt_span: Span | None
    target_span: Span
    label: str = ""  # the reference label of a reference-style image


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


def _fence_regions(text: str) -> Regions:
    """Fenced code blocks: ``` or ~~~, after blockquote markers (a quote that ends also ends its code)."""
    regions, fence = [], None  # fence: (character, length, quote depth, start)
    for pos, line in lines(text):
        content = line.rstrip("\r\n")
        quotes = found.group(0) if (found := _QUOTES.match(content)) else ""  # the pattern matches "" too
        depth, rest = quotes.count(">"), content[len(quotes) :]
        if fence is not None:
            char, length, fence_depth, start = fence
            if depth < fence_depth:
                regions.append((start, pos))
                fence = None
            else:
                closing = _CLOSING_FENCE.fullmatch(rest)
                if depth == fence_depth and closing and closing.group(1)[0] == char and len(closing.group(1)) >= length:
                    regions.append((start, pos + len(line)))
                    fence = None
                continue
        opening = _FENCE.match(rest)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = (opening.group(1)[0], len(opening.group(1)), depth, pos)
    if fence is not None:
        regions.append((fence[3], len(text)))
    return Regions(regions)


def _code_span_regions(text: str, fences: Regions) -> list[tuple[int, int]]:
    """Inline code spans: a run of backticks to the next run of the same length in the same paragraph."""
    runs = [(m.start(), m.end()) for m in re.finditer("`+", text) if m.start() not in fences]
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
        if breaks.any_between(end, close) or fences.any_between(end, close):
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
    """Fenced code blocks and inline code spans."""
    fences = _fence_regions(text)
    return Regions(fences.ranges + _code_span_regions(text, fences))


def hidden_regions(text: str) -> Regions:
    """What a reader does not see as Markdown: code and HTML comments."""
    code = code_regions(text)
    return Regions(code.ranges + _comment_regions(text, code))


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
    """Reference definitions (``[label]: target``) outside code and comments; the first one of a label wins."""
    definitions: dict[str, Span] = {}
    for match in _DEFINITION.finditer(text):
        if match.start() in hidden:
            continue
        raw = match.group(2)
        start = match.start(2) + (1 if raw.startswith("<") else 0)
        value = raw[1:-1] if raw.startswith("<") else raw
        definitions.setdefault(normalize_label(match.group(1)), Span(start, start + len(value), value))
    return definitions


def _markdown_images(text: str, hidden: Regions, index: LineIndex) -> Iterator[ImageRef]:
    """Inline and reference-style images."""
    definitions = _definitions(text, hidden)
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
                target = parsed[0]
                yield ImageRef("inline", index.line(bang), alt.text, target.text, alt, target)
                continue
        label = alt.text
        if after == "[" and close in brackets and text[close + 1 : brackets[close] - 1].strip():
            label = text[close + 1 : brackets[close] - 1]
        definition = definitions.get(normalize_label(label))
        if definition is not None:
            yield ImageRef("reference", index.line(bang), alt.text, definition.text, alt, definition, label=label)


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
        yield ImageRef("html", index.line(match.start()), alt.text if alt else "", src.text, alt, src)


def scan_images(text: str) -> list[ImageRef]:
    """Every image reference in ``text`` outside code and HTML comments, in document order."""
    hidden, index = hidden_regions(text), LineIndex(text)
    refs = [*_markdown_images(text, hidden, index), *_html_images(text, hidden, index)]
    refs.sort(key=lambda r: r.target_span.start if r.kind != "reference" else (r.alt_span.start if r.alt_span else 0))
    return refs


def conflict_markers(text: str) -> list[tuple[int, str]]:
    """``(line, marker line)`` of every merge-conflict marker outside fenced code."""
    code = code_regions(text)
    out = []
    for number, (pos, line) in enumerate(lines(text), start=1):
        stripped = line.rstrip("\r\n")
        if _CONFLICT.match(stripped) and pos not in code:
            out.append((number, stripped))
    return out


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
    code, index = code_regions(text), LineIndex(text)
    markers = []
    opens = [m for m in MARKER_OPEN.finditer(text) if m.start() not in code]
    closes = [m for m in MARKER_CLOSE.finditer(text) if m.start() not in code]
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
