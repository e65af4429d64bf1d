"""Reading Markdown for ``virtgraph docs``: image references, embed markers and merge-conflict markers.

A small scanner that keeps exact character offsets, because ``docs fix`` must change only the bytes of an image
reference or of an embed block and leave every other byte as it was. It understands inline images
(``![alt](target "title")``, ``<target>`` form, balanced parentheses), reference-style images (``![alt][ref]``,
``![alt][]``, ``![ref]``) with their definitions, and HTML ``<img src=...>``; it skips fenced code blocks and
inline code spans. Images on indented lines are still images: documents exported from blogs often indent them.

>>> refs = scan_images('See ![](../img/a.svg "A") and ![x][r].\\n\\n[r]: <b c.png>\\n')
>>> [(r.kind, r.line, r.alt, r.target) for r in refs]
[('inline', 1, '', '../img/a.svg'), ('reference', 1, 'x', 'b c.png')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UsageError

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DEFINITION = re.compile(
    r"^ {0,3}\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*(?:\n[ \t]*)?(<[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: .*)?$")
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


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _code_regions(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` offsets of fenced code blocks and inline code spans."""
    regions, pos, fence = [], 0, None
    fence_start = 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            fence, fence_start = match.group(1), pos
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            regions.append((fence_start, pos + len(line)))
            fence = None
        elif fence is None:
            for span in re.finditer(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", line):
                regions.append((pos + span.start(), pos + span.end()))
        pos += len(line)
    if fence is not None:
        regions.append((fence_start, len(text)))
    return regions


def _inside(offset: int, regions: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in regions)


def _bracket_end(text: str, start: int) -> int:
    """Index just after the ``]`` closing the ``[`` at ``start`` (nesting and backslash escapes), or -1."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "\n" and text[i + 1 : i + 2] == "\n":
            return -1
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _inline_target(text: str, start: int) -> tuple[Span, int] | None:
    """Parse ``(target "title")`` at ``start`` (the ``(``): the target's span and the index after ``)``."""
    i = start + 1
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        if end < 0 or "\n" in text[i:end]:
            return None
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
        span = Span(i, j, text[i:j])
        i = j
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] in "\"'(":
        closing = {"(": ")"}.get(text[i], text[i])
        end = text.find(closing, i + 1)
        if end < 0:
            return None
        i = end + 1
        while i < len(text) and text[i] in " \t\n":
            i += 1
    if i >= len(text) or text[i] != ")":
        return None
    return span, i + 1


def normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def scan_images(text: str) -> list[ImageRef]:
    """Every image reference in ``text`` outside code, in document order."""
    code = _code_regions(text)
    definitions: dict[str, Span] = {}
    for match in _DEFINITION.finditer(text):
        if _inside(match.start(), code):
            continue
        raw = match.group(2)
        start = match.start(2) + (1 if raw.startswith("<") else 0)
        value = raw[1:-1] if raw.startswith("<") else raw
        definitions.setdefault(normalize_label(match.group(1)), Span(start, start + len(value), value))

    refs: list[ImageRef] = []
    for match in re.finditer(r"!\[", text):
        bang = match.start()
        if _inside(bang, code) or (bang > 0 and text[bang - 1] == "\\"):
            continue
        close = _bracket_end(text, bang + 1)
        if close < 0:
            continue
        alt = Span(bang + 2, close - 1, text[bang + 2 : close - 1])
        after = text[close : close + 1]
        if after == "(":
            parsed = _inline_target(text, close)
            if parsed:
                target = parsed[0]
                refs.append(ImageRef("inline", line_of(text, bang), alt.text, target.text, alt, target))
                continue
        label = alt.text
        if after == "[":
            label_end = _bracket_end(text, close)
            if label_end > 0 and text[close + 1 : label_end - 1].strip():
                label = text[close + 1 : label_end - 1]
        definition = definitions.get(normalize_label(label))
        if definition is not None:
            refs.append(
                ImageRef("reference", line_of(text, bang), alt.text, definition.text, alt, definition, label=label)
            )
    for match in _IMG_TAG.finditer(text):
        if _inside(match.start(), code):
            continue
        attrs = {m.group(1).lower(): m for m in _ATTR.finditer(match.group(0))}
        if "src" not in attrs:
            continue
        src = attrs["src"]
        raw = src.group(2)
        quoted = raw[0] in "\"'"
        start = match.start() + src.start(2) + (1 if quoted else 0)
        value = raw[1:-1] if quoted else raw
        alt_span = None
        alt_text = ""
        if "alt" in attrs:
            a = attrs["alt"]
            a_raw = a.group(2)
            a_quoted = a_raw[0] in "\"'"
            a_start = match.start() + a.start(2) + (1 if a_quoted else 0)
            alt_text = a_raw[1:-1] if a_quoted else a_raw
            alt_span = Span(a_start, a_start + len(alt_text), alt_text)
        refs.append(
            ImageRef(
                "html", line_of(text, match.start()), alt_text, value, alt_span, Span(start, start + len(value), value)
            )
        )
    refs.sort(key=lambda r: r.target_span.start if r.kind != "reference" else (r.alt_span.start if r.alt_span else 0))
    return refs


def conflict_markers(text: str) -> list[tuple[int, str]]:
    """``(line, marker line)`` of every merge-conflict marker outside fenced code."""
    code = _code_regions(text)
    out, pos = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        stripped = line.rstrip("\r\n")
        if _CONFLICT.match(stripped) and not _inside(pos, code):
            out.append((number, stripped))
        pos += len(line)
    return out


def _options(raw: str, line: int) -> tuple[str, dict[str, str]]:
    parts = raw.split()
    if not parts:
        raise UsageError(f"line {line}: virtgraph marker names nothing (e.g. <!-- virtgraph:view taxonomy -->)")
    options = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            raise UsageError(f"line {line}: cannot read marker option {part!r} (expected key=value)")
        options[key] = value
    return parts[0], options


def scan_markers(text: str) -> list[Marker]:
    """Every embed block, with the span between its markers; an unclosed or nested block is an error."""
    code = _code_regions(text)
    markers = []
    opens = [m for m in MARKER_OPEN.finditer(text) if not _inside(m.start(), code)]
    closes = [m for m in MARKER_CLOSE.finditer(text) if not _inside(m.start(), code)]
    events = sorted([(m.start(), "open", m) for m in opens] + [(m.start(), "close", m) for m in closes])
    current = None
    for offset, kind, match in events:
        line = line_of(text, offset)
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
    """The line ending used at ``offset`` (``\\r\\n`` or ``\\n``), for text inserted there."""
    end = text.find("\n", offset)
    if end > 0 and text[end - 1] == "\r":
        return "\r\n"
    if end < 0:
        return "\r\n" if "\r\n" in text else "\n"
    return "\n"


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied; edits must not overlap."""
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
    """Alt text safe inside ``![...]``."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
