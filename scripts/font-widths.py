"""Write virtgraph/fontwidths.json: the widest advance of each character across the fonts a reader may see,
and the advances in the primary font (Noto Sans CJK), which Graphviz lays text out with.

Diagrams are laid out by Graphviz with Noto Sans CJK, but a reader's machine may substitute another font
(DejaVu Sans on a Linux desktop without Noto, Liberation Sans where Arial's metrics rule). virtgraph gives
every text box room for the widest of them (see virtgraph/metrics.py), so text still fits. This script reads
the widths from the installed fonts with fontTools and is run by hand when the font list changes:

    .venv/bin/python scripts/font-widths.py

It needs the Debian packages fonts-noto-cjk, fonts-dejavu-core and fonts-liberation (scripts/dev installs them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FONTS = {
    "regular": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ],
    "bold": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ],
}
#: Latin, Latin-1, Latin Extended-A/B, general punctuation, letterlike symbols, arrows, box drawing (legends).
RANGES = [(0x20, 0x24F), (0x2000, 0x206F), (0x2100, 0x21FF), (0x2500, 0x257F)]


def open_font(path: str) -> TTFont:
    if path.endswith(".ttc"):
        return TTCollection(path).fonts[0]
    return TTFont(path)


def widths(paths: list[str]) -> dict[str, int]:
    """Per character, the widest advance among ``paths`` in thousandths of an em."""
    out: dict[str, int] = {}
    for path in paths:
        font = open_font(path)
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics
        upem = font["head"].unitsPerEm
        for start, end in RANGES:
            for code in range(start, end + 1):
                glyph = cmap.get(code)
                if glyph is None:
                    continue
                advance = round(metrics[glyph][0] * 1000 / upem)
                out[chr(code)] = max(out.get(chr(code), 0), advance)
    return out


def main() -> int:
    table = {weight: widths(paths) for weight, paths in FONTS.items()}
    # the font Graphviz lays text out with: where a line it placed starts and ends (virtgraph/finish.py)
    table |= {f"primary-{weight}": widths(paths[:1]) for weight, paths in FONTS.items()}
    data = {
        "about": "Widest advance per character (1/1000 em) across "
        + ", ".join(Path(p).stem for p in FONTS["regular"])
        + "; written by scripts/font-widths.py",
        **{weight: dict(sorted(chars.items())) for weight, chars in table.items()},
    }
    target = Path(__file__).resolve().parent.parent / "virtgraph" / "fontwidths.json"
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{target.name}: {sum(len(t) for t in table.values())} widths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
