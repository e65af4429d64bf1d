"""Hypothesis strategies shared by the tests of quoting and of DOT building."""

from __future__ import annotations

from hypothesis import strategies as st

#: Text made of what DOT, HTML-like labels and XML treat specially, mixed with any other characters.
HOSTILE = st.lists(
    st.sampled_from(["<", ">", "&", '"', "{", "}", "|", "\\", "\n", "\r", "\t", "]]>", "\\N", "\\G", "&amp;", "<B>"])
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
    max_size=30,
).map("".join)
