"""How text is shown on a terminal or in a label: its width in columns, and control codes made visible.

Kept apart from ``quoting.py`` (DOT escaping, which imports graphviz) and ``formats.py`` (query results, which
import rdflib), so a concept card loads neither for this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder what a terminal shows
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def visible(text: str) -> str:
    r"""``text`` safe to print on a terminal: control characters and bidi overrides as visible escapes.

    >>> visible("KVM\x1b[2J\u202eevil")
    'KVM\\x1b[2J\\u202eevil'
    """
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@cache
def _wcswidth() -> Callable[[str], int]:
    from wcwidth import wcswidth  # 25 ms to import; a concept card never needs it, tables and labels do

    return wcswidth


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal or in a label: East Asian wide characters count two.

    >>> width("KVM"), width("半虚拟化")
    (3, 8)
    """
    columns = _wcswidth()(text)
    return columns if columns >= 0 else len(text)
