"""Checking the ontology against its SHACL shapes with pyshacl.

Each violation becomes one readable line: the offending node, the property (if any) and the rule::

    vgc:kvm  skos:definition  needs a Chinese definition (skos:definition @zh)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import OntologyError
from .namespaces import compact
from .store import ontology_files, shapes_file


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: the node, the property path (may be empty) and the message."""

    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return "  ".join(part for part in (self.focus, self.path, self.message) if part)


def validate(
    ontology: str | os.PathLike[str] | None = None,
    shapes: str | os.PathLike[str] | None = None,
    data: list[tuple] | None = None,
) -> list[Violation]:
    """The SHACL violations of the ontology at ``ontology`` (default: the shipped one), sorted; empty if valid.

    ``data`` (rdflib triples, e.g. fetched from an endpoint) replaces the ontology files as the data graph.
    """
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    from .store import RdflibBackend

    graph = RdflibBackend()
    if data is not None:
        for triple in data:
            graph.graph.add(triple)
    else:
        for file in ontology_files(ontology):
            graph.load_turtle(file)
    shapes_path = Path(shapes) if shapes is not None else shapes_file(ontology)
    if shapes_path is None:
        raise OntologyError("no SHACL shapes found (a *shapes.ttl file beside the ontology); pass --shapes PATH")
    shapes_graph = RdflibBackend()
    shapes_graph.load_turtle(shapes_path)

    _, report, _ = pyshacl.validate(graph.graph, shacl_graph=shapes_graph.graph, inference="none", advanced=True)
    violations = set()
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        violations.add(
            Violation(
                focus=_name(focus),
                path=_name(path) if path is not None else "",
                message=" ".join(str(message).split()) if message is not None else "violates a shape",
            )
        )
    return sorted(violations)


def _name(term: object) -> str:
    if type(term).__name__ == "URIRef":
        return compact(str(term))
    return str(term)
