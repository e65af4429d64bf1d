"""Checking the ontology against its SHACL shapes with pyshacl.

Each violation becomes one readable line: the offending node, the property (if any) and the rule::

    vgc:kvm  skos:definition  needs a Chinese definition (skos:definition @zh)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OntologyError, QueryRefused, UsageError
from .namespaces import compact
from .sparql import UPDATE_REFUSED, check_query, normalize_query
from .store import ontology_files, regular_file, shapes_file


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
    shapes_path = regular_file(Path(shapes), "a shapes file") if shapes is not None else shapes_file(ontology)
    if shapes_path is None:
        raise OntologyError("no SHACL shapes found (a *shapes.ttl file beside the ontology); pass --shapes PATH")
    shapes_graph = RdflibBackend()
    shapes_graph.load_turtle(shapes_path)
    check_shapes(shapes_graph.graph, shapes_path)
    try:
        # advanced=False: SHACL-AF targets, rules and functions (sh:SPARQLTarget, sh:SPARQLRule) are not run
        _, report, _ = pyshacl.validate(graph.graph, shacl_graph=shapes_graph.graph, inference="none", advanced=False)
    except RecursionError:
        raise UsageError(f"{shapes_path}: the shapes are nested too deeply") from None
    except Exception as exc:  # pyshacl raises assorted errors for shapes it cannot use
        raise UsageError(f"{shapes_path}: unusable shapes: {_one_line(str(exc) or type(exc).__name__)}") from None
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


SPARQL_PROPERTIES = ("select", "ask", "construct", "update")


def check_shapes(shapes: Any, source: str | os.PathLike[str] = "shapes") -> None:
    """Refuse shapes whose SPARQL would write or reach the network: every ``sh:select``, ``sh:ask``,
    ``sh:construct`` and ``sh:update`` text goes through the same guard as ``virtgraph query``, and every
    ``sh:namespace`` (pasted into the queries' prologue by pyshacl) must be a plain IRI.

    >>> import rdflib
    >>> shapes = rdflib.Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }" .''', format="ttl")
    >>> try:
    ...     check_shapes(shapes, "x.ttl")
    ... except QueryRefused as exc:
    ...     print(exc)
    x.ttl: sh:select: SERVICE is refused: queries run offline
    """
    from rdflib.namespace import SH

    for namespace in shapes.objects(None, SH.namespace):
        if not str(namespace) or any(ch in '<>"{}|^`\\' or ord(ch) <= 0x20 for ch in str(namespace)):
            raise UsageError(f"{source}: sh:namespace is not a valid IRI: {str(namespace)!r}")
    for name in SPARQL_PROPERTIES:
        for text in sorted(str(o) for o in shapes.objects(None, SH[name])):
            try:
                if name == "update" or _is_update(text):
                    raise QueryRefused(UPDATE_REFUSED)
                check_query(normalize_query(text))
            except UsageError as exc:
                message = str(exc).replace(" (pass --allow-network to permit it)", "")  # no such option here
                raise type(exc)(f"{source}: sh:{name}: {message}") from None


def _is_update(text: str) -> bool:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except (ParseException, ValueError, RecursionError):
        return False
    return True


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _name(term: object) -> str:
    if type(term).__name__ == "URIRef":
        return compact(str(term))
    return str(term)
