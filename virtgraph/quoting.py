"""All escaping of text that goes into DOT: one place, tested with hostile input.

Labels, definitions and query text are treated as hostile. Node labels are Graphviz HTML-like labels, built
only through :func:`html_text` (escapes ``& < > " '``, drops control characters, turns newlines into
``<BR/>``, never returns an empty string); plain DOT strings (tooltips, titles) go through :func:`dot_text`,
which also disables Graphviz's backslash escapes such as ``\\N``.

>>> html_text('a < b & "c"')
'a &lt; b &amp; &quot;c&quot;'
>>> html_text("line 1\\nline 2")
'line 1<BR/>line 2'
>>> dot_text("C:\\\\temp \\\\N")
'C:\\\\\\\\temp \\\\\\\\N'
>>> wrap("Hardware-assisted virtualization lets unmodified guests run", 20)
['Hardware-assisted', 'virtualization lets', 'unmodified guests', 'run']
>>> wrap("硬件辅助虚拟化让未经修改的客户机直接运行", 16)
['硬件辅助虚拟化让', '未经修改的客户机', '直接运行']
>>> wrap("又称：准虚拟化、超虚拟化", 14)
['又称：准虚拟化、', '超虚拟化']
"""

from __future__ import annotations

import html
import re

#: Punctuation that must not begin a line (kept at the end of the previous one instead).
_NO_LINE_START = set("、，。：；！？）》」』】〕,.:;!?)]}…")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without control characters, with ``\\r\\n``/``\\r`` as ``\\n``."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def html_text(text: str) -> str:
    """``text`` safe inside a Graphviz HTML-like label (newlines become line breaks)."""
    lines = clean(text).split("\n")
    escaped = "<BR/>".join(html.escape(line, quote=True) for line in lines)
    return escaped if escaped.replace("<BR/>", "").strip() else "&#160;"  # Graphviz rejects empty <B></B>


def dot_text(text: str) -> str:
    """``text`` as a plain DOT string value (tooltips, titles): ``graphviz.escape`` doubles backslashes, so
    Graphviz keeps ``\\N`` literally, and marks the string as not-HTML, so ``<...>`` is quoted, not markup.
    """
    import graphviz

    return graphviz.escape(clean(text).replace("\n", " "))


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal or in a label: East Asian wide characters count two.

    >>> width("KVM"), width("半虚拟化")
    (3, 8)
    """
    from wcwidth import wcswidth

    columns = wcswidth(text)
    return columns if columns >= 0 else len(text)


def _tokens(text: str) -> list[str]:
    """Words of ``text``: Latin words with their trailing space, every wide character on its own."""
    return re.findall(
        r"[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+\s*|\S\s*|\s+", text
    )


def wrap(text: str, columns: int, max_lines: int | None = None) -> list[str]:
    """``text`` broken into lines of at most ``columns`` display columns (longer words are split).

    With ``max_lines``, the last kept line ends in ``…`` when text was cut.
    """
    lines: list[str] = []
    current = ""
    for token in _tokens(clean(text).replace("\n", " ")):
        while width(token.rstrip()) > columns:  # a word longer than a line: split it
            room = columns - width(current)
            cut = 0
            while cut < len(token) and width(token[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                lines.append(current.rstrip())
                current = ""
                continue
            lines.append((current + token[:cut]).rstrip())
            current, token = "", token[cut:]
        hangs = token.strip() in _NO_LINE_START  # a lone closing punctuation mark stays on the line before
        if width((current + token).rstrip()) > columns and current.strip() and not hangs:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    lines = [line for line in lines if line] or [""]
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and width(last) + 1 > columns:
            last = last[:-1]
        kept[-1] = last + "…"
        return kept
    return lines


def slug(text: str) -> str:
    """An XML/SVG-safe id fragment from ``text`` (ASCII letters, digits and ``-``).

    >>> slug("vgc:type-1-hypervisor"), slug("<http://example.org/a b>")
    ('vgc-type-1-hypervisor', 'http-example-org-a-b')
    """
    out = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return out or "x"
