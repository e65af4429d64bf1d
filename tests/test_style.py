"""The palette (style.py, style.toml): one colour per meaning, legends a colour-blind reader can tell apart."""

from __future__ import annotations

import itertools
import re

import numpy as np
from colorspacious import cspace_convert, deltaE

from virtgraph import style
from virtgraph.drawing import draw
from virtgraph.viewspec import view_specs

#: Classes drawn as cluster frames share the frame's colour: the cluster's title says what it groups.
FRAMES = {"ClassificationAxis", "ResourceClass", "Suitability"}
#: Least CAM02-UCS distance between two swatches of one legend, for normal vision and for simulated full
#: deuteranomaly, protanomaly and tritanomaly (taking the fill or the border, whichever differs more).
LEGEND_DISTANCE = 7.0
#: Least distance between two different meanings anywhere in the palette (fill or border, whichever differs more),
#: for normal vision: no colour is reused; whether they can be told apart matters where they meet, in a legend.
MEANING_DISTANCE = 3.0
SIMULATIONS = [None] + [
    {"name": "sRGB1+CVD", "cvd_type": k, "severity": 100} for k in ("deuteranomaly", "protanomaly", "tritanomaly")
]


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def distance(a: str, b: str, simulations: list[dict[str, int | str] | None] = SIMULATIONS) -> float:
    """The smallest CAM02-UCS distance between two colours over normal vision and the three simulations."""
    found = []
    for simulation in simulations:
        x, y = _rgb(a), _rgb(b)
        if simulation is not None:
            x = np.clip(cspace_convert(x, simulation, "sRGB1"), 0, 1)
            y = np.clip(cspace_convert(y, simulation, "sRGB1"), 0, 1)
        found.append(float(deltaE(x, y, input_space="sRGB1", uniform_space="CAM02-UCS")))
    return min(found)


def test_distance_tells_red_from_green_only_with_normal_vision():
    # a red and a green of equal lightness: far apart for most readers, close for a deuteranope
    assert distance("#cc4444", "#cc4444") == 0
    assert distance("#d62728", "#2ca02c") < distance("#d62728", "#1f77b4")


def test_no_colour_has_two_meanings():
    meanings: dict[str, tuple[str, str]] = {}  # meaning -> (fill, border)
    for name, entry in style.palette()["classes"].items():
        meanings["frame" if name in FRAMES else f"class {name}"] = (entry["fill"], entry["border"])
    layer_border = style.graph_style()["muted"]
    for fill in style.palette()["components"].values():
        meanings.setdefault(f"layer {fill}", (fill, layer_border))  # components sharing a fill: one meaning (an OS)
    for (m1, (f1, b1)), (m2, (f2, b2)) in itertools.combinations(meanings.items(), 2):
        apart = max(distance(f1, f2, [None]), distance(b1, b2, [None]))
        assert apart >= MEANING_DISTANCE, f"{m1} ({f1}/{b1}) and {m2} ({f2}/{b2}) look alike"


def _legends(kg) -> dict[str, list[tuple[str, str, str]]]:
    """Every legend the shipped views draw (and the concept view of every concept): (text, fill, border) rows."""
    dots = {name: draw(kg, name, "en").dot for name, spec in view_specs().items() if not spec.needs_concept}
    concepts = kg.values("SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* vg:Concept FILTER(isIRI(?c)) }")
    for (iri,) in concepts:
        if iri:
            dots[f"concept {iri}"] = draw(kg, "concept", "en", concept=iri).dot
    row = re.compile(
        r'<TD BGCOLOR="(#\w+)" COLOR="(#\w+)" BORDER="1" WIDTH="18"> </TD><TD[^>]*><FONT[^>]*>(.*?)</FONT>'
    )
    return {name: [(text, fill, border) for fill, border, text in row.findall(dot)] for name, dot in dots.items()}


def test_every_legend_can_be_told_apart_by_colour_blind_readers(kg_fast):
    legends = _legends(kg_fast)
    assert len(legends) > 50 and any(len(rows) >= 6 for rows in legends.values())
    for name, rows in legends.items():
        for (t1, f1, b1), (t2, f2, b2) in itertools.combinations(rows, 2):
            apart = max(distance(f1, f2), distance(b1, b2))
            assert apart >= LEGEND_DISTANCE, f"{name}: {t1!r} and {t2!r} are {apart:.1f} apart"
