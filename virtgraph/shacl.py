"""Checking the ontology against its SHACL shapes with pyshacl.

Each violation becomes one readable line: the offending node, the property (if any) and the rule::

    vgc:kvm  skos:definition  needs a Chinese definition (skos:definition @zh)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from .errors import OntologyError, QueryRefused, UsageError
from .graph import KnowledgeGraph, load
from .guard import UPDATE_REFUSED, check_query, is_update, normalize_query
from .namespaces import compact
from .sparql import trusted_query
from .store import RdflibBackend, regular_file, shapes_file

_CONCEPTS = trusted_query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a/rdfs:subClassOf* vg:Concept }")


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: the node, the property path (may be empty) and the message."""

    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return "  ".join(part for part in (self.focus, self.path, self.message) if part)


@dataclass(frozen=True)
class ValidationReport:
    """What ``virtgraph validate`` reports: the violations (sorted), and the size of a valid graph."""

    violations: list[Violation] = field(default_factory=list)
    concepts: int = 0
    triples: int = 0

    @property
    def summary(self) -> str:
        """The closing line of a valid graph.

        >>> ValidationReport([], 3, 40).summary
        'valid: 3 concepts, 40 triples, 0 violations'
        """
        return f"valid: {self.concepts} concepts, {self.triples} triples, {len(self.violations)} violations"


def check_ontology(
    kg: KnowledgeGraph,
    shapes: str | os.PathLike[str] | None = None,
    *,
    ontology: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Validate the loaded graph ``kg`` against ``shapes`` (default: the ``*shapes.ttl`` beside ``ontology``,
    the shipped one by default). The counts are filled only when there is no violation.

    >>> report = check_ontology(load())
    >>> report.violations, report.concepts > 90
    ([], True)
    """
    violations = validate(kg, shapes, ontology=ontology)
    if violations:
        return ValidationReport(violations)
    concepts = int(kg.select(_CONCEPTS)[0]["n"])
    return ValidationReport([], concepts, len(kg))


def validate(
    graph: KnowledgeGraph | str | os.PathLike[str] | None = None,
    shapes: str | os.PathLike[str] | None = None,
    *,
    ontology: str | os.PathLike[str] | None = None,
) -> list[Violation]:
    """The SHACL violations of ``graph``, sorted; empty if valid.

    ``graph`` is a loaded :class:`~virtgraph.graph.KnowledgeGraph` (local or remote), or the path of an
    ontology to :func:`~virtgraph.graph.load` (default: the shipped one). ``shapes`` defaults to the
    ``*shapes.ttl`` beside ``ontology`` (or beside the path given as ``graph``).
    """
    if not isinstance(graph, KnowledgeGraph):
        ontology, graph = graph, load(graph)
    data = graph.backend.rdflib_graph()
    shapes_path = regular_file(Path(shapes), "a shapes file") if shapes is not None else shapes_file(ontology)
    if shapes_path is None:
        raise OntologyError("no SHACL shapes found (a *shapes.ttl file beside the ontology); pass --shapes PATH")
    shapes_graph = RdflibBackend()
    shapes_graph.load_turtle(shapes_path)
    check_shapes(shapes_graph.graph, shapes_path)
    try:
        # advanced=False: SHACL-AF targets, rules and functions (sh:SPARQLTarget, sh:SPARQLRule) are not run
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph.graph, inference="none", advanced=False)
    except RecursionError:
        raise UsageError(f"{shapes_path}: the shapes are nested too deeply") from None
    except Exception as exc:  # pyshacl raises assorted errors for shapes it cannot use
        raise UsageError(f"{shapes_path}: unusable shapes: {_one_line(str(exc) or type(exc).__name__)}") from None
    return sorted(_violations(report))


def _violations(report: Graph) -> set[Violation]:
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        found.add(
            Violation(
                focus=_name(focus),
                path=_name(path) if path is not None else "",
                message=" ".join(str(message).split()) if message is not None else "violates a shape",
            )
        )
    return found


SPARQL_PROPERTIES = ("select", "ask", "construct", "update")


def check_shapes(shapes: Graph, source: str | os.PathLike[str] = "shapes") -> None:
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
    for namespace in shapes.objects(None, SH.namespace):
        if not str(namespace) or any(ch in '<>"{}|^`\\' or ord(ch) <= 0x20 for ch in str(namespace)):
            raise UsageError(f"{source}: sh:namespace is not a valid IRI: {str(namespace)!r}")
    for name in SPARQL_PROPERTIES:
        for text in sorted(str(o) for o in shapes.objects(None, SH[name])):
            try:
                if name == "update" or is_update(text):
                    raise QueryRefused(UPDATE_REFUSED)
                check_query(normalize_query(text))
            except UsageError as exc:
                message = str(exc).replace(" (pass --allow-network to permit it)", "")  # no such option here
                raise type(exc)(f"{source}: sh:{name}: {message}") from None


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _name(term: object) -> str:
    return compact(str(term)) if isinstance(term, URIRef) else str(term)
