"""How wide a line of diagram text can get on a reader's screen, whatever sans-serif font they have.

Graphviz sizes every box for the font it found (Noto Sans CJK), but an SVG is drawn with the reader's fonts:
DejaVu Sans, common on Linux desktops without Noto, sets Latin text up to a fifth wider. So each text box
is given at least the room of the widest of those fonts (``fontwidths.json``, per character, written by
``scripts/font-widths.py``), plus :data:`SLACK` on each side, and its text is centred. A Chinese character is
one em wide in every CJK font.

>>> round(line_width("Hypervisor", 10), 1), round(line_width("虚拟化", 10), 1)
(54.2, 30.0)
>>> line_width("KVM", 10, bold=True) > line_width("KVM", 10)
True
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

from .display import width

#: Room kept on each side of a line, in points (2 pt = 2.7 px at 100 %).
SLACK = 2.0


@cache
def _table(weight: str) -> dict[str, int]:
    data = json.loads(resources.files("virtgraph").joinpath("fontwidths.json").read_text(encoding="utf-8"))
    table: dict[str, int] = data[weight]
    return table


def line_width(text: str, size: float, bold: bool = False, primary: bool = False) -> float:
    """The widest ``text`` can be set in points at ``size`` points, in any of the fonts of ``fontwidths.json``
    (``primary``: in the primary font only, as Graphviz set it)."""
    table = _table(("primary-" if primary else "") + ("bold" if bold else "regular"))
    total = 0
    for ch in text:
        advance = table.get(ch)
        if advance is None:
            advance = 1000 if width(ch) == 2 else 750
        total += advance
    return total * size / 1000


def box_width(lines: list[str], size: float, bold: bool = False, padding: float = 0.0) -> int:
    """The width in whole points a cell needs for ``lines``: the widest line, ``SLACK`` and ``padding`` each side."""
    widest = max((line_width(line, size, bold) for line in lines), default=0.0)
    return math.ceil(widest + 2 * (SLACK + padding))
