"""Finishing what ``dot`` drew: an accessible SVG, a tagged PNG, and the DOT fingerprint recorded in both.

Every SVG (and PNG) records ``sha256(DOT)``: ``render --check`` and incremental ``render --all`` compare that
record (:func:`recorded_hash`) with the DOT the ontology gives now (:func:`dot_hash`), so they do not depend on
the Graphviz version. The SVG also gets a ``<title>``/``<desc>`` for screen readers and readable node titles.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import networkx as nx

from .dot import CELL_HREF
from .messages import say
from .metrics import line_width
from .model import ViewGraph, edge_title
from .quoting import clean, edge_id, group_id, node_id

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
VG_NS = "https://w3id.org/virtgraph/ontology#"
#: The key of the PNG ``tEXt`` chunk that records the DOT fingerprint.
PNG_KEY = "virtgraph:dot-sha256"


def dot_hash(dot_source: str) -> str:
    """The fingerprint recorded in every render: sha256 of the DOT text.

    >>> dot_hash("digraph {}")[:12]
    'cdffdece7b99'
    """
    return hashlib.sha256(dot_source.encode("utf-8")).hexdigest()


def finish_svg(svg: bytes, graph: nx.DiGraph[str], dot_source: str) -> bytes:
    """Give Graphviz's SVG a title, description, readable node titles and the DOT fingerprint."""
    body = ET.tostring(finished_tree(svg, graph, dot_source), encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + body + "\n").encode("utf-8")


def finished_tree(svg: bytes, graph: nx.DiGraph[str], dot_source: str) -> ET.Element:
    """The element tree of :func:`finish_svg` (for a caller that changes it further before writing it out)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    ET.register_namespace("vg", VG_NS)
    root = ET.fromstring(svg)
    q = f"{{{SVG_NS}}}"
    view = ViewGraph.of(graph)
    info = view.info
    titles = svg_titles(view)

    # the diagram's own title and description come first, for screen readers and hover text
    title = ET.Element(f"{q}title")
    title.text = clean(info.title)
    desc = ET.Element(f"{q}desc")
    desc.text = clean(info.description)
    if info.omitted_note:
        desc.text += f" ({info.omitted_note})"
    metadata = ET.Element(f"{q}metadata")
    ET.SubElement(
        metadata, f"{{{VG_NS}}}render", {"view": info.view, "lang": info.lang, "dot-sha256": dot_hash(dot_source)}
    )
    for i, element in enumerate((title, desc, metadata)):
        root.insert(i, element)
    title_id = f"title-{info.view}-{info.lang}"
    root.set("role", "img")
    root.set("aria-labelledby", title_id)
    title.set("id", title_id)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-Hans" if info.lang == "zh" else "en")

    _centre_texts(root)
    _cells_as_groups(root)
    root.insert(3, dark_mode_style(root))
    for group in root.iter(f"{q}g"):
        child = group.find(f"{q}title")
        if child is None:
            continue
        if group.get("class") == "graph":
            child.text = clean(info.title)
        elif group.get("id", "") in titles:
            child.text = titles[group.get("id", "")]
    return root


def dark_colour(colour: str, ink: bool) -> str:
    """``colour`` for a dark page, hue kept so every colour keeps its meaning: ``ink`` (text, lines, arrow
    heads) turns light, paper (backgrounds, box fills) turns dark and quieter.

    >>> dark_colour("#ffffff", ink=False), dark_colour("#1a202c", ink=True), dark_colour("#fef08a", ink=False)
    ('#000000', '#d3d9e5', '#5b510b')
    """
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if ink:
        lightness = max(1 - lightness, 0.7)
    else:
        lightness, saturation = min(1 - lightness, 0.2), saturation * 0.8
    mirrored = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(c * 255):02x}" for c in mirrored)


def dark_mode_style(root: ET.Element) -> ET.Element:
    """A ``<style>`` that redraws every colour of the SVG with :func:`dark_colour` when the reader's system asks
    for dark pages (``prefers-color-scheme: dark``); light stays the default."""
    fills: set[str] = set()
    strokes: set[str] = set()
    for element in root.iter():
        for attribute, found in (("fill", fills), ("stroke", strokes)):
            value = element.get(attribute, "")
            if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
                found.add(value)
    rules = [f'[fill="{c}"]{{fill:{dark_colour(c, ink=False)}}}' for c in sorted(fills)]
    rules += [f'[stroke="{c}"]{{stroke:{dark_colour(c, ink=True)}}}' for c in sorted(strokes)]
    # text, and shapes filled with their own line colour (arrow heads), are ink
    rules += [f'text[fill="{c}"],[fill="{c}"][stroke="{c}"]{{fill:{dark_colour(c, ink=True)}}}' for c in sorted(fills)]
    style = ET.Element(f"{{{SVG_NS}}}style")
    style.text = "@media (prefers-color-scheme: dark){" + "".join(rules) + "}"
    return style


def _cells_as_groups(root: ET.Element) -> None:
    """Each table cell Graphviz linked to the placeholder (``dot.CELL_HREF``) becomes a plain group with its own
    ``<title>``: every stack layer is an element of its own, with its own tooltip, and nothing is a link."""
    q = f"{{{SVG_NS}}}"
    href = f"{{{XLINK_NS}}}href"
    for group in root.iter(f"{q}g"):
        for link in list(group.findall(f"{q}a")):
            if link.get(href) != CELL_HREF:
                continue
            title = ET.Element(f"{q}title")
            title.text = link.get(f"{{{XLINK_NS}}}title", "")
            position = list(group).index(link)
            group.remove(link)
            for offset, child in enumerate([title, *link]):
                group.insert(position + offset, child)
            if group.get("id", "").startswith("a_"):
                group.set("id", group.get("id", "")[2:])


def _centre_texts(root: ET.Element) -> None:
    """Anchor each line of text at its middle instead of its start (the legend's left-aligned lines excepted).

    Graphviz places every line of an HTML-like label by its start, measured in the font it found. A reader
    whose machine substitutes a wider font would see every line run out to the right; centred, the extra width
    spreads to both sides, into the room :mod:`virtgraph.metrics` keeps there.
    """
    q = f"{{{SVG_NS}}}"
    skip = {id(text) for group in root.iter(f"{q}g") if group.get("id") == "legend" for text in group.iter(f"{q}text")}
    for text in root.iter(f"{q}text"):
        if id(text) in skip or text.get("text-anchor") != "start" or not text.text:
            continue
        size = float(text.get("font-size", "14"))
        bold = text.get("font-weight") == "bold"
        middle = float(text.get("x", "0")) + line_width(text.text, size, bold, primary=True) / 2
        text.set("x", f"{middle:.2f}".rstrip("0").rstrip("."))
        text.set("text-anchor", "middle")


def svg_titles(view: ViewGraph) -> dict[str, str]:
    """SVG ``<g id>`` → the text its ``<title>`` should carry: the same titles DOT gives as tooltips."""
    out = {"stacks": view.info.title}
    for nid, node in view.nodes.items():
        out[node_id(nid)] = clean(node.title)
    for (source, target), edge in view.edges.items():
        out[edge_id(source, target)] = clean(edge_title(view.nodes[source], view.nodes[target], edge))
    for node in view.nodes.values():
        if node.group:
            out[group_id(node.group)] = clean(node.group_label)  # a cluster: its title, not Graphviz's name
    out["legend"] = say("legend", view.info.lang)
    return out


def recorded_hash(path: Path) -> str | None:
    """The DOT fingerprint recorded in a rendered SVG or PNG, or None when there is none."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix == ".svg":
        match = re.search(rb'dot-sha256="([0-9a-f]{64})"', data)
        return match.group(1).decode() if match else None
    if path.suffix == ".png":
        return png_text(data).get(PNG_KEY)
    if path.suffix == ".dot":
        return dot_hash(data.decode("utf-8", "replace"))
    return None


# --- PNG text chunks ---------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tag_png(png: bytes, key: str, value: str) -> bytes:
    """``png`` with a ``tEXt`` chunk ``key=value`` inserted after the header chunk."""
    signature, rest = png[:8], png[8:]
    ihdr_len = struct.unpack(">I", rest[:4])[0] + 12
    chunk = _png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    return signature + rest[:ihdr_len] + chunk + rest[ihdr_len:]


def png_text(png: bytes) -> dict[str, str]:
    out, pos = {}, 8
    while pos + 8 <= len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        kind = png[pos + 4 : pos + 8]
        if kind == b"tEXt":
            key, _, value = png[pos + 8 : pos + 8 + length].partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        if kind == b"IDAT":
            break
        pos += length + 12
    return out
