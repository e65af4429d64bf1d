"""SHACL validation (shacl.py): the shipped ontology passes its shapes; a broken one reports each violation."""

from __future__ import annotations

from virtgraph.shacl import validate

from .support import DATA, SHAPES


def test_shipped_ontology_is_valid():
    assert validate() == []


def test_broken_fixture_reports_each_violation():
    lines = [str(v) for v in validate(DATA / "broken", shapes=SHAPES)]
    assert lines == [
        "vgc:feature  vg:vendor  a hardware feature needs a vendor (vg:vendor)",
        "vgc:feature  vg:virtualizes  a hardware feature must say what it virtualizes (vg:virtualizes)",
        "vgc:gadget  skos:prefLabel  needs a Chinese label (skos:prefLabel @zh)",
        "vgc:gadget  vg:vendor  a product needs a vendor (vg:vendor, an organisation)",
        "vgc:widget  dct:source  needs a source (dct:source: a section of the source document or a fact-sheet entry)",
        "vgc:widget  skos:definition  needs a Chinese definition (skos:definition @zh)",
    ]
