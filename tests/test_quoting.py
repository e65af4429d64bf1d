"""Escaping text into DOT (quoting.py): HTML-like labels, backslashes in tooltips, wrapping (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from virtgraph.quoting import dot_text, html_text, wrap

from .support.strategies import HOSTILE


def test_html_text_escapes_markup():
    assert html_text('<b>&"x"</b>') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"
    assert html_text("a\x00b\x1fc") == "abc"


def test_dot_text_keeps_backslashes_literal():
    # Graphviz unescapes a tooltip twice (see dot_text): four backslashes in DOT show as one
    assert dot_text("\\N and \\G") == "\\\\\\\\N and \\\\\\\\G"


@settings(max_examples=1000)
@given(HOSTILE, st.integers(min_value=4, max_value=60))
def test_wrap_keeps_every_character_and_respects_width(text, columns):
    lines = wrap(text, columns)
    joined = "".join("".join(lines).split())
    from virtgraph.quoting import clean

    assert joined == "".join(clean(text).split())
    from virtgraph.display import width

    # closing punctuation (at most one wide character) may hang past the width rather than start a line
    assert all(width(line) <= columns + 2 for line in lines)
