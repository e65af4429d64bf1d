"""Escaping text into DOT (quoting.py): HTML-like labels and backslashes in tooltips (wrapping: test_words.py)."""

from __future__ import annotations

from virtgraph.quoting import dot_text, html_text


def test_html_text_escapes_markup():
    assert html_text('<b>&"x"</b>') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"
    assert html_text("a\x00b\x1fc") == "abc"


def test_dot_text_keeps_backslashes_literal():
    # Graphviz unescapes a tooltip twice (see dot_text): four backslashes in DOT show as one
    assert dot_text("\\N and \\G") == "\\\\\\\\N and \\\\\\\\G"
