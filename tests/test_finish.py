"""Finishing Graphviz output (finish.py): SVG title, description and node titles; the DOT fingerprint in SVG and PNG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from virtgraph.drawing import draw
from virtgraph.finish import PNG_KEY, dot_hash, recorded_hash
from virtgraph.render import render_bytes

from .support.svg import SVG, svg_of


@pytest.mark.dot
def test_svg_has_title_desc_and_fingerprint(kg_fast):
    drawing, data = svg_of(kg_fast, "taxonomy", "zh")
    root = ET.fromstring(data)
    assert root.find(f"{SVG}title").text == "虚拟化的分类"
    assert root.find(f"{SVG}desc").text.startswith("源文档的两种分类")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert root.get("aria-labelledby") == "title-taxonomy-zh"
    render = root.find(f"{SVG}metadata/{{https://w3id.org/virtgraph/ontology#}}render")
    assert render.attrib == {"view": "taxonomy", "lang": "zh", "dot-sha256": dot_hash(drawing.dot)}


@pytest.mark.dot
def test_svg_node_titles_are_label_and_definition(kg_fast):
    _, data = svg_of(kg_fast, "taxonomy", "en")
    root = ET.fromstring(data)
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    kvm = groups["vgc-kvm"].find(f"{SVG}title").text
    assert kvm.startswith("KVM — A virtualization module inside the Linux kernel")
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    assert not any(t.startswith("node") or t.startswith("vgc") for t in titles)
    edge = groups["vgc-type-1-hypervisor--vgc-kvm"].find(f"{SVG}title").text
    assert edge == "Type 1 hypervisor → KVM (hypervisor type)"


@pytest.mark.dot
def test_png_carries_the_fingerprint(kg_fast):
    drawing = draw(kg_fast, "eras", "en")
    png = render_bytes(drawing.graph, drawing.dot, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert PNG_KEY.encode() in png[:200]


@pytest.mark.dot
def test_recorded_hash_reads_svg_and_png(tmp_path, kg_fast):
    drawing = draw(kg_fast, "eras", "en")
    for fmt in ("svg", "png"):
        path = tmp_path / f"eras.en.{fmt}"
        path.write_bytes(render_bytes(drawing.graph, drawing.dot, fmt))
        assert recorded_hash(path) == dot_hash(drawing.dot)
    foreign = tmp_path / "foreign.svg"
    foreign.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert recorded_hash(foreign) is None


@pytest.mark.dot
def test_every_stack_layer_is_its_own_element_with_its_own_title(kg_fast):
    _, data = svg_of(kg_fast, "eras", "en")
    root = ET.fromstring(data)
    links = [a for a in root.iter(f"{SVG}a") if a.get("{http://www.w3.org/1999/xlink}href")]
    assert links == []  # the placeholder links that made Graphviz write the cells are gone
    titles = {
        g.get("id"): g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None
    }
    layers = {gid: title for gid, title in titles.items() if gid.startswith("vgc-era-")}
    assert len(layers) >= 15  # 3 + 3 + 3 layers, the VMs' and containers' inner layers, twice over
    assert any(title.startswith("Guest operating system — ") for title in layers.values())
    assert any(title.startswith("Hypervisor — ") for title in layers.values())


@pytest.mark.dot
def test_cluster_titles_are_their_labels_not_graphviz_names(kg_fast):
    _, data = svg_of(kg_fast, "taxonomy", "en")
    root = ET.fromstring(data)
    clusters = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert sorted(clusters) == ["By hypervisor architecture", "By virtualization level (technique)"]


@pytest.mark.dot
def test_dark_mode_redraws_every_colour_and_light_stays_the_default(kg_fast):
    _, data = svg_of(kg_fast, "taxonomy", "en")
    root = ET.fromstring(data)
    style = root.find(f"{SVG}style").text
    assert style.startswith("@media (prefers-color-scheme: dark){") and style.endswith("}")
    assert '[fill="#ffffff"]{fill:#000000}' in style  # the paper turns black
    assert 'text[fill="#1a202c"],[fill="#1a202c"][stroke="#1a202c"]{fill:#d3d9e5}' in style  # the ink light
    used = {e.get(a) for e in root.iter() for a in ("fill", "stroke") if (e.get(a) or "").startswith("#")}
    assert all(f'="{colour}"]' in style for colour in used)
