"""render_bytes in every format (render.py): SVG labels, size and byte-identity, PDF, DOT, hash-seed independence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from virtgraph.choices import STORES
from virtgraph.drawing import all_targets, draw
from virtgraph.labels import LANGUAGES
from virtgraph.render import render_bytes
from virtgraph.viewspec import view_specs

from .support.every_export import TEXT_FORMATS
from .support.svg import SVG, svg_of

ROOT = Path(__file__).parent.parent


@pytest.mark.dot
def test_svg_labels_in_both_languages(kg_fast):
    texts = {
        lang: [t.text for t in ET.fromstring(svg_of(kg_fast, "eras", lang)[1]).iter(f"{SVG}text")]
        for lang in ("zh", "en")
    }
    for word in ("传统部署时代", "虚拟化部署时代", "容器部署时代", "物理硬件", "容器运行时", "虚拟机监视器"):
        assert word in texts["zh"]
    assert texts["zh"].count("客户机操作系统") == 2  # two VMs side by side, the word whole in its cell
    for word in ("Traditional deployment era", "Container runtime", "Hypervisor", "Host operating system"):
        assert word in texts["en"]
    assert texts["en"].count("Virtual") == 2 and texts["en"].count("Container") == 2


@pytest.mark.dot
def test_svg_is_byte_identical_across_renders(kg_fast):
    assert svg_of(kg_fast, "hardware", "en")[1] == svg_of(kg_fast, "hardware", "en")[1]


@pytest.mark.dot
def test_every_diagram_keeps_its_smallest_text_readable_in_a_documentation_column(kg_fast):
    # never scaled down by virtgraph: 10 pt text shows at 13.3 px, and at >= 11 px when a diagram up to
    # 800 pt (1,067 px) wide is shrunk into an 880 px column (the browser check measures the real thing)
    for view, lang, fmt in all_targets():
        if fmt != "svg":
            continue
        root = ET.fromstring(svg_of(kg_fast, view, lang)[1])
        assert float(root.get("width").removesuffix("pt")) <= 800.0, (view, lang)
        sizes = {float(t.get("font-size")) for t in root.iter(f"{SVG}text")}
        assert sizes <= {10.0, 12.0, 15.0}, (view, lang, sorted(sizes))  # one type scale: detail, label, title


def test_dot_format_is_the_dot_source(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    assert render_bytes(drawing.graph, drawing.dot, "dot").decode() == drawing.dot


@pytest.mark.dot
def test_pdf(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    assert render_bytes(drawing.graph, drawing.dot, "pdf").startswith(b"%PDF")


def test_every_export_is_byte_identical_under_two_hash_seeds():
    """Sets and dicts of strings iterate in an order PYTHONHASHSEED decides: no output may depend on it."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.every_export"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for seed in ("0", "12345")
    ]
    outputs = []
    for process in runs:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode(errors="replace")[-2000:]
        outputs.append(json.loads(out))
    first, second = outputs
    assert len(first) == len(STORES) * len(view_specs()) * len(LANGUAGES) * len(TEXT_FORMATS)
    assert sorted(first) == sorted(second)
    assert [key for key in sorted(first) if first[key] != second[key]] == []
