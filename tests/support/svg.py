"""A view drawn and rendered to finished SVG, for the tests of finishing and of rendering."""

from __future__ import annotations

from virtgraph.drawing import draw
from virtgraph.render import render_bytes

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(kg, view, lang, **params):
    drawing = draw(kg, view, lang, **params)
    return drawing, render_bytes(drawing.graph, drawing.dot, "svg")
