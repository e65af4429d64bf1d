"""Line breaking (words.py): Latin at spaces and hyphens, Chinese between words, balanced, never cut short."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from virtgraph.display import width
from virtgraph.drawing import draw
from virtgraph.quoting import clean
from virtgraph.viewspec import view_specs
from virtgraph.words import pieces, use_vocabulary, wrap

from .support.strategies import HOSTILE

#: Words the issue found broken across lines in the zh diagrams (客户机操作系/统, 红/帽...).
WORDS = ["客户机操作系统", "硬件辅助虚拟化", "红帽", "剑桥大学", "日志主机", "数据库服务器", "第一类", "主机型"]


@settings(max_examples=200, deadline=None)
@given(HOSTILE, st.integers(min_value=4, max_value=60))
def test_wrap_keeps_every_character_and_respects_width(text, columns):
    lines = wrap(text, columns)
    assert "".join("".join(lines).split()) == "".join(clean(text).split())
    # a lone wide character joins a neighbouring line rather than stand alone (2 columns over), and that line may
    # end in one closing mark that may not start a line (1 more)
    assert all(width(line) <= columns + 3 for line in lines)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=2, max_size=40),
    st.integers(min_value=4, max_value=30),
)
def test_no_chinese_line_is_one_character(text, columns):
    lines = wrap(text, columns)
    assert not any(len(line) == 1 for line in lines), lines


def test_pieces_join_back_to_the_text():
    text = "KVM 是 Linux 内核里的虚拟化模块（kernel-based），又称：基于内核的虚拟机。"
    assert "".join(pieces(text)) == text


def test_the_graphs_own_terms_stay_whole():
    use_vocabulary({"硬件辅助虚拟化", "主机型"})
    for columns in range(14, 30, 2):  # both words fit a line from 14 columns on
        joined = "|".join(wrap("基于硬件辅助虚拟化的主机型 Hypervisor 运行在宿主操作系统之上", columns))
        assert "硬件辅助虚拟化" in joined and "主机型" in joined, (columns, joined)


def test_closing_punctuation_never_starts_a_line():
    for columns in range(8, 20):  # realistic widths (views wrap at 10 columns and more)
        assert not any(
            line[0] in "，。、：；）" for line in wrap("又称：准虚拟化、超虚拟化，半虚拟化（PV）。", columns)
        )


def _label_lines(dot: str) -> list[list[str]]:
    """The lines of every multi-line piece of text in a DOT source's HTML-like labels."""
    return [
        [re.sub(r"<[^>]+>", "", line) for line in cell.split("<BR/>")]
        for cell in re.findall(r"<FONT[^>]*>(.*?)</FONT>", dot)
    ]


@pytest.mark.parametrize("view", [name for name, spec in view_specs().items() if not spec.needs_concept])
def test_zh_diagrams_break_no_word_and_leave_no_lone_character(kg, view):
    dot = draw(kg, view, "zh").dot
    for lines in _label_lines(dot):
        if len(lines) < 2:
            continue
        assert not any(len(line.strip()) == 1 and width(line.strip()) == 2 for line in lines), lines
        for first, second in itertools.pairwise(lines):
            for word in WORDS:
                joined = first + second
                at = joined.find(word)
                assert at < 0 or not (at < len(first) < at + len(word)), f"{word} split: {first} / {second}"
