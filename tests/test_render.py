"""Rendering: finished SVGs, fingerprints, render --all/--check, atomic writes and every bad input."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from virtgraph.drawing import all_targets, draw
from virtgraph.finish import PNG_KEY, dot_hash, recorded_hash
from virtgraph.render import render_bytes

SVG = "{http://www.w3.org/2000/svg}"
ONTOLOGY = Path(__file__).parent.parent / "ontology"


def svg_of(kg, view, lang, **params):
    drawing = draw(kg, view, lang, **params)
    return drawing, render_bytes(drawing.graph, drawing.dot, "svg")


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
def test_svg_labels_in_both_languages(kg_fast):
    texts = {
        lang: [t.text for t in ET.fromstring(svg_of(kg_fast, "eras", lang)[1]).iter(f"{SVG}text")]
        for lang in ("zh", "en")
    }
    for word in ("传统部署时代", "虚拟化部署时代", "容器部署时代", "物理硬件", "容器运行时", "虚拟机监视器"):
        assert word in texts["zh"]
    assert texts["zh"].count("客户机操作") == 3  # three VMs side by side, label wrapped in its cell
    for word in ("Traditional deployment era", "Container runtime", "Hypervisor", "Host operating system"):
        assert word in texts["en"]
    assert texts["en"].count("Virtual") == 3 and texts["en"].count("Container") == 3


@pytest.mark.dot
def test_svg_is_byte_identical_across_renders(kg_fast):
    assert svg_of(kg_fast, "hardware", "en")[1] == svg_of(kg_fast, "hardware", "en")[1]


@pytest.mark.dot
def test_svg_fits_a_documentation_column(kg_fast):
    for view in ("taxonomy", "products", "hardware", "eras"):
        root = ET.fromstring(svg_of(kg_fast, view, "zh")[1])
        assert float(root.get("width").removesuffix("pt")) <= 675.0  # 900 px


@pytest.mark.dot
def test_png_carries_the_fingerprint(kg_fast):
    drawing = draw(kg_fast, "eras", "en")
    png = render_bytes(drawing.graph, drawing.dot, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert PNG_KEY.encode() in png[:200]


def test_json_is_node_link_data(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    doc = json.loads(render_bytes(drawing.graph, drawing.dot, "json"))
    assert [n["id"] for n in doc["nodes"]] == sorted(drawing.graph.nodes)
    assert [(e["source"], e["target"]) for e in doc["edges"]] == sorted(drawing.graph.edges)
    assert doc["graph"]["title"] == "Type 1 (bare-metal) hypervisor architecture"


def test_graphml_reads_back_as_the_view_graph(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    parsed = nx.read_graphml(io.BytesIO(render_bytes(drawing.graph, drawing.dot, "graphml")))
    assert sorted(parsed.nodes) == sorted(drawing.graph.nodes)
    assert sorted(parsed.edges) == sorted(drawing.graph.edges)
    assert parsed.graph["title"] == "Type 1 (bare-metal) hypervisor architecture"
    hardware = parsed.nodes["vgc:type-1-hypervisor/1"]
    assert (hardware["label"], hardware["role"], hardware["position"]) == ("Hardware", "layer", 1)
    scalar = (str, int, float, bool)
    for nid, attrs in drawing.graph.nodes(data=True):
        assert {k: v for k, v in attrs.items() if isinstance(v, scalar)} == parsed.nodes[nid], nid
    for source, target, attrs in drawing.graph.edges(data=True):
        assert {k: v for k, v in attrs.items() if isinstance(v, scalar)} == parsed.edges[source, target]


def test_mermaid_flowchart(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    text = render_bytes(drawing.graph, drawing.dot, "mermaid").decode()
    assert text.startswith('---\ntitle: "Type 1 (bare-metal) hypervisor architecture"\n---\nflowchart BT\n')
    assert '  vgc-type-1-hypervisor_1["Hardware"]:::layer-vgc-hardware' in text
    assert "  vgc-type-1-hypervisor_1 --> vgc-type-1-hypervisor_2" in text


def test_dot_format_is_the_dot_source(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    assert render_bytes(drawing.graph, drawing.dot, "dot").decode() == drawing.dot


@pytest.mark.dot
def test_pdf(kg_fast):
    drawing = draw(kg_fast, "hypervisor-type1", "en")
    assert render_bytes(drawing.graph, drawing.dot, "pdf").startswith(b"%PDF")


def test_mermaid_marks_disputed_edges(kg_fast):
    drawing = draw(kg_fast, "taxonomy", "en")
    text = render_bytes(drawing.graph, drawing.dot, "mermaid").decode()
    assert '  vgc-type-1-hypervisor -.->|"hypervisor type (disputed)"| vgc-kvm' in text
    assert '  subgraph g-vgc-axis-technique["By virtualization level (technique)"]' in text


@pytest.mark.dot
def test_render_all_then_check_then_incremental(run, tmp_path):
    out = tmp_path / "out"
    first = run("render", "--all", "--output-dir", str(out))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-1] == f"{len(all_targets())} written, 0 unchanged"
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{v}.{lang}.{fmt}" for v, lang, fmt in all_targets())
    check = run("render", "--check", "--output-dir", str(out))
    assert check.exit_code == 0
    assert check.stdout == f"{len(all_targets())} files in {out}/ are current\n"
    again = run("render", "--all", "--output-dir", str(out))
    assert again.stdout == f"0 written, {len(all_targets())} unchanged\n"


@pytest.mark.dot
def test_check_detects_an_edited_ontology(run, tmp_path):
    out, onto = tmp_path / "out", tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, onto)
    assert run("--ontology", str(onto), "render", "--all", "--output-dir", str(out)).exit_code == 0
    products = onto / "products.ttl"
    products.write_text(
        products.read_text(encoding="utf-8").replace('"VMware Workstation"@en', '"VMware Workstation Pro"@en'),
        encoding="utf-8",
    )
    (out / "eras.zh.svg").unlink()
    result = run("--ontology", str(onto), "render", "--check", "--output-dir", str(out))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{out / 'eras.zh.svg'}: missing" in lines
    assert f"{out / 'taxonomy.en.svg'}: out of date" in lines
    assert f"{out / 'taxonomy.en.png'}: out of date" in lines
    assert f"{out / 'taxonomy.zh.svg'}: out of date" not in lines  # the Chinese label did not change
    assert result.stderr.startswith("Error: ")
    assert "missing or stale; run: virtgraph render --all" in result.stderr


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
def test_render_one_view_default_path(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("render", "--view", "taxonomy")
    assert result.exit_code == 0
    assert result.stdout == "wrote output/taxonomy.zh.svg\n"
    assert (tmp_path / "output" / "taxonomy.zh.svg").read_bytes().startswith(b"<?xml")


@pytest.mark.dot
def test_render_to_stdout_and_named_file(run, tmp_path):
    result = run("render", "--view", "hypervisor-type2", "--format", "mermaid", "-o", "-", "--lang", "en")
    assert result.stdout.startswith('---\ntitle: "Type 2 (hosted) hypervisor architecture"\n')
    target = tmp_path / "kvm.svg"
    named = run("render", "--view", "concept", "--concept", "ＫＶＭ", "-o", str(target))
    assert named.exit_code == 0
    assert "KVM及其关联" in target.read_text(encoding="utf-8")


@pytest.mark.dot
def test_concept_view_default_path(run, tmp_path):
    result = run("render", "--view", "concept", "--concept", "准虚拟化", "--output-dir", str(tmp_path))
    assert result.stdout == f"wrote {tmp_path / 'concept-paravirtualization.zh.svg'}\n"


def test_bad_inputs(run):
    view = run("render", "--view", "nope")
    assert view.exit_code == 2
    assert view.stderr.startswith("Error: unknown view 'nope'; choose one of: benefits, concept, eras, hardware, ")
    fmt = run("render", "--view", "eras", "--format", "gif")
    assert fmt.exit_code == 2
    assert fmt.stderr == (
        "Error: Invalid value for '--format': 'gif' is not one of "
        "'svg', 'png', 'pdf', 'dot', 'json', 'graphml', 'mermaid'.\n"
    )
    lang = run("render", "--view", "eras", "--lang", "de")
    assert lang.exit_code == 2
    assert "'de' is not one of 'zh', 'en'" in lang.stderr
    missing = run("render", "--view", "concept")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: view 'concept' needs a concept: --concept TERM (any label, as for lookup)\n"
    unknown = run("render", "--view", "concept", "--concept", "kvn")
    assert unknown.exit_code == 1  # as for lookup: a term that names no concept
    assert unknown.stderr.startswith("Error: no concept is called 'kvn'; did you mean: KVM")
    neither = run("render")
    assert neither.exit_code == 2
    assert neither.stderr == "Error: give exactly one of --view NAME, --all or --check\n"


def test_missing_dot_is_one_line_and_keeps_the_old_file(run, tmp_path, monkeypatch):
    target = tmp_path / "eras.svg"
    target.write_text("previous render", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("render", "--view", "eras", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Graphviz 'dot' is not installed; install the Debian package 'graphviz' (apt-get install graphviz)\n"
    )
    assert target.read_text(encoding="utf-8") == "previous render"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eras.svg"]  # no temporary file left behind


def test_failing_dot_keeps_the_old_file(run, tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n", encoding="utf-8")
    (fake / "dot").chmod(0o755)
    target = tmp_path / "out.svg"
    target.write_text("previous render", encoding="utf-8")
    monkeypatch.setenv("PATH", str(fake))
    result = run("render", "--view", "eras", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == "Error: dot failed: Error: syntax error in line 1\n"
    assert target.read_text(encoding="utf-8") == "previous render"


def test_views_lists_every_view(run):
    result = run("views", "--lang", "en")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "benefits",
        "concept",
        "eras",
        "hardware",
        "hypervisor-type1",
        "hypervisor-type2",
        "hypervisors",
        "products",
        "scenarios",
        "taxonomy",
    ]
    assert lines[-1] == "taxonomy          Both classifications: kinds (with synonyms, examples) and Type 1/Type 2."


def test_committed_output_is_current(run):
    """output/ in the repository matches the ontology (what CI's render --check enforces)."""
    result = run("render", "--check", "--output-dir", str(Path(__file__).parent.parent / "output"))
    assert result.exit_code == 0, result.stdout
