"""Where a line of diagram text may break: Latin text at spaces and hyphens, Chinese between words.

Chinese has no spaces, so word boundaries come from `jieba <https://github.com/fxsjy/jieba>`_, a widely used
segmenter, taught the graph's own terms first (:func:`use_vocabulary`): a label such as 硬件辅助虚拟化 or
主机型 is then one unbreakable piece wherever it appears. Everything here is deterministic: the same text
and vocabulary always give the same pieces.

jieba builds a prefix dictionary on first use (about half a second) and caches it; the cache goes under
virtgraph's own cache directory, never into the current folder, and a cache that cannot be written only
costs that half second again. It is loaded only when a line must break inside Chinese text: :func:`wrap`
returns a text that fits as it is, and :func:`use_vocabulary` only notes the terms until jieba is needed.

>>> pieces("Hardware-assisted virtualization")
['Hardware-', 'assisted ', 'virtualization']
>>> use_vocabulary({"硬件辅助虚拟化"})
>>> pieces("基于硬件辅助虚拟化的 KVM")
['基于', '硬件辅助虚拟化', '的 ', 'KVM']
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable

import jieba

from .cache import cache_dir
from .display import width
from .quoting import clean

_LOCK = threading.Lock()
_TOKENIZER: jieba.Tokenizer | None = None
_VOCABULARY: set[str] = set()  # the terms the tokenizer has been taught
_WANTED: set[str] = set()  # the terms it is to know (taught when it is next used)
_OWN_FREQUENCY: dict[str, int] = {}  # jieba's own frequency of a term it knew before we added it
_LAST_TERMS: list[object] = [None]  # the collection use_vocabulary saw last: passed again, nothing to do
_WRAPPED: dict[tuple[str, int], tuple[str, ...]] = {}  # wrap's answers for the present vocabulary
#: How often a graph term counts as seen: far above jieba's own words, so the term wins any overlap.
_TERM_FREQUENCY = 10**6

#: A run of wide (CJK) characters; everything else is split at spaces and after hyphens.
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f]+")
_LATIN = re.compile(r"[^\s-]*-+|\S+\s*|\s+")


def _tokenizer() -> jieba.Tokenizer:
    global _TOKENIZER
    if _TOKENIZER is None:
        logging.getLogger("jieba").setLevel(logging.CRITICAL + 1)  # it logs tracebacks for an unwritable cache
        tokenizer = jieba.Tokenizer()
        folder = cache_dir() / "jieba"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                tokenizer.tmp_dir = str(folder)
        except OSError:
            pass  # no cache: jieba rebuilds its dictionary in memory each time
        tokenizer.initialize()
        _TOKENIZER = tokenizer
    if _VOCABULARY != _WANTED:
        _teach(_TOKENIZER)
    return _TOKENIZER


def _teach(tokenizer: jieba.Tokenizer) -> None:
    """Bring the tokenizer's extra words from :data:`_VOCABULARY` to :data:`_WANTED` (under :data:`_LOCK`)."""
    for term in sorted(_VOCABULARY - _WANTED):
        if term in _OWN_FREQUENCY:  # a word of jieba's own dictionary goes back to what it was
            tokenizer.add_word(term, freq=_OWN_FREQUENCY.pop(term))
        else:
            tokenizer.del_word(term)
    for term in sorted(_WANTED - _VOCABULARY):
        if tokenizer.FREQ.get(term):
            _OWN_FREQUENCY[term] = tokenizer.FREQ[term]
        tokenizer.add_word(term, freq=_TERM_FREQUENCY)
    _VOCABULARY.clear()
    _VOCABULARY.update(_WANTED)


def use_vocabulary(terms: Iterable[str]) -> None:
    """Make ``terms`` (the graph's labels) the extra words of the segmenter, replacing the previous ones.

    Passing the very same collection again (a graph's memoised terms, once per drawing) costs nothing, and
    the segmenter itself is loaded and taught only when a text first needs it.
    """
    if terms is _LAST_TERMS[0]:
        return
    wanted = {term.strip() for term in terms if _WIDE.search(term) and 1 < len(term.strip()) <= 24}
    with _LOCK:
        _LAST_TERMS[0] = terms
        if wanted == _WANTED:
            return
        _WRAPPED.clear()
        _WANTED.clear()
        _WANTED.update(wanted)


def pieces(text: str) -> list[str]:
    """``text`` cut into the pieces a line may break between; spaces stay at the end of the piece before.

    ``"".join(pieces(text)) == text`` always.
    """
    out: list[str] = []
    position = 0
    for match in _WIDE.finditer(text):
        out += _LATIN.findall(text[position : match.start()])
        with _LOCK:
            out += list(_tokenizer().cut(match.group(0), HMM=True))
        position = match.end()
    out += _LATIN.findall(text[position:])
    merged: list[str] = []
    for piece in out:  # spaces after a Chinese word belong to it
        if piece.isspace() and merged:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


#: Punctuation that must not begin a line (it stays at the end of the line before) ...
_NO_LINE_START = set("、，。：；！？）》」』】〕,.:;!?)]}…%")
#: ... and punctuation that must not end one (it moves to the start of the next).
_NO_LINE_END = set("（《「『【〔([{")


def _units(text: str) -> list[str]:
    """The pieces of ``text`` with punctuation glued to the word it belongs with."""
    units: list[str] = []
    carry = ""
    for piece in pieces(text):
        if piece.strip() and piece.strip()[0] in _NO_LINE_START and units:
            units[-1] += piece
        elif piece.strip() in _NO_LINE_END:
            carry += piece
        else:
            units.append(carry + piece)
            carry = ""
    if carry:
        units.append(carry)
    return units


def _inner_breaks(unit: str) -> set[int]:
    """Offsets inside a Chinese word where a shorter dictionary word ends and another begins (客户机|操作系统)."""
    if not _WIDE.fullmatch(unit.strip()):
        return set()
    with _LOCK:
        dag = _tokenizer().get_DAG(unit)
    ends = {end + 1 for start, spans in dag.items() for end in spans if end > start}
    starts = {start for start, spans in dag.items() if max(spans) > start}
    return ends & starts


def _split_long(unit: str, columns: int) -> list[str]:
    """A piece wider than a line, cut into line-wide chunks: between the shorter words it is made of where it
    has some, else between characters (never before closing punctuation; the last chunk never one character)."""
    breaks = _inner_breaks(unit)
    chunks: list[str] = []
    current = ""
    for i, ch in enumerate(unit):
        over = width((current + ch).rstrip()) > columns
        if current and over and (ch not in _NO_LINE_START or width(current.rstrip()) > columns):
            inside = [b for b in breaks if i - len(current) < b <= i]
            cut = max(inside) - (i - len(current)) if inside else len(current)
            chunks.append(current[:cut])
            current = current[cut:]
        current += ch
    if len(current.strip()) == 1 and chunks and len(chunks[-1]) > 2:
        current = chunks[-1][-1] + current
        chunks[-1] = chunks[-1][:-1]
    return [*chunks, current] if current else chunks


def _fill(units: list[str], columns: int) -> tuple[list[str], int]:
    """Greedy filling: the lines, and how many pieces had to be cut because they were wider than a line."""
    lines: list[str] = []
    current = ""
    cuts = 0
    for unit in units:
        if width((current + unit).rstrip()) <= columns or not current.strip():
            current += unit
        else:
            lines.append(current)
            current = unit.lstrip()
        if width(current.rstrip()) > columns:
            *full, current = _split_long(current, columns)
            lines += full
            cuts += len(full)
    if current.strip() or not lines:
        lines.append(current)
    return [line.rstrip() for line in lines], cuts


def _lone(line: str) -> bool:
    """A line of one wide character (a Chinese line that no reader wants to see)."""
    return len(line) == 1 and width(line) == 2


def wrap(text: str, columns: int) -> list[str]:
    """``text`` broken into balanced lines of at most ``columns`` display columns, never cut short.

    Lines break between words (Chinese words as :func:`pieces` finds them), never before closing punctuation;
    among the breaks that need the fewest lines, the one with the most even line lengths wins, so no line is
    left with one character when the text is longer.

    >>> wrap("Hardware-assisted virtualization lets unmodified guests run", 20)
    ['Hardware-assisted', 'virtualization', 'lets unmodified', 'guests run']
    >>> use_vocabulary({"硬件辅助虚拟化", "准虚拟化"})
    >>> wrap("硬件辅助虚拟化让未经修改的客户机直接运行", 16)
    ['硬件辅助虚拟化', '让未经修改的', '客户机直接运行']
    >>> wrap("又称：准虚拟化、超虚拟化", 16)
    ['又称：准虚拟化、', '超虚拟化']
    """
    key = (text, columns)
    if key not in _WRAPPED:
        if len(_WRAPPED) > 100_000:  # a graph of millions of labels: keep memory bounded
            _WRAPPED.clear()
        _WRAPPED[key] = tuple(_wrap(text, columns))
    return list(_WRAPPED[key])


def _wrap(text: str, columns: int) -> list[str]:
    text = " ".join(clean(text).split())
    if width(text) <= columns:  # one line whatever the word breaks are: no segmenter needed
        return [text]
    units = _units(text)
    lines, cuts = _fill(units, columns)
    if len(lines) > 1:
        total = sum(width(unit) for unit in units)
        for narrower in range(max(1, -(-total // len(lines))), columns):
            candidate, more_cuts = _fill(units, narrower)
            if len(candidate) == len(lines) and more_cuts <= cuts and not any(map(_lone, candidate)):
                lines = candidate
                break
    return _without_lone(lines)


def _without_lone(lines: list[str]) -> list[str]:
    """A line of one Chinese character joins its shorter neighbour: one character past the width rather than alone."""
    out = list(lines)
    i = 0
    while len(out) > 1 and i < len(out):
        if not _lone(out[i]):
            i += 1
            continue
        before = width(out[i - 1]) if i > 0 else None
        after = width(out[i + 1]) if i + 1 < len(out) else None
        if after is None or (before is not None and before <= after):
            out[i - 1 : i + 1] = [out[i - 1] + out[i]]
        else:
            out[i : i + 2] = [out[i] + out[i + 1]]
    return out
