"""Dark mode: every diagram follows the reader's ``prefers-color-scheme``, light by default (checked in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_diagrams import SVGS

pytestmark = pytest.mark.browser


def luminance(rgb: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-255 components."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("svg", SVGS, ids=lambda p: Path(p).name)
def test_every_text_keeps_its_contrast_in_light_and_dark_mode(browser, svg, screenshots):
    schemes = browser.colours(svg, screenshots)
    for scheme, found in schemes.items():
        assert (luminance(found["background"]) < 0.05) is (scheme == "dark"), (scheme, found["background"])
        low = [
            (t["text"], round(contrast(t["colour"], t["behind"] or found["background"]), 1))
            for t in found["texts"]
            if contrast(t["colour"], t["behind"] or found["background"]) < 4.5
        ]
        assert not low, f"{scheme}: texts under WCAG AA contrast (4.5:1): {low[:5]}"
