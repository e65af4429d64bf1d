"""Drawing a view, purely: graph → query rows → DiGraph → DOT, and the names of the files it becomes.

Nothing here runs ``dot`` or writes a file (that is :mod:`virtgraph.render`), so documents, tests and
benchmarks build views through this module alone.

>>> from virtgraph.graph import load
>>> drawing = draw(load(), "concept", "en", concept="kvm")
>>> drawing.stem, drawing.file_name("svg"), drawing.title
('concept-kvm', 'concept-kvm.en.svg', 'KVM and its neighbours')
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .build import build_view
from .choices import RENDER_FORMATS
from .concepts import finder
from .dot import to_dot
from .errors import UnknownName, UsageError
from .graph import KnowledgeGraph
from .labels import LANGUAGES
from .namespaces import local_name
from .viewspec import get_view, view_specs
from .words import use_vocabulary

#: The file extension of every output format.
EXTENSIONS = {fmt: "mmd" if fmt == "mermaid" else fmt for fmt in RENDER_FORMATS}


def check_format(fmt: str) -> str:
    """``fmt`` if virtgraph can write it, else :class:`~virtgraph.errors.UnknownName` listing the formats.

    >>> check_format("gif")
    Traceback (most recent call last):
    virtgraph.errors.UnknownName: unknown format 'gif'; choose one of: svg, png, pdf, dot, json, graphml, mermaid
    """
    if fmt not in RENDER_FORMATS:
        raise UnknownName(f"unknown format {fmt!r}; choose one of: {', '.join(RENDER_FORMATS)}")
    return fmt


@dataclass(frozen=True)
class Drawing:
    """A view built for one language: its DiGraph, its DOT source and the stem of the files it is written to."""

    graph: nx.DiGraph[str]
    dot: str
    stem: str

    @property
    def lang(self) -> str:
        return str(self.graph.graph["lang"])

    @property
    def title(self) -> str:
        return str(self.graph.graph["title"])

    def file_name(self, fmt: str) -> str:
        """``<stem>.<lang>.<ext>``: ``taxonomy.zh.svg``, ``concept-kvm.en.mmd``."""
        return f"{self.stem}.{self.lang}.{EXTENSIONS[check_format(fmt)]}"


def draw(
    kg: KnowledgeGraph,
    view: str,
    lang: str,
    concept: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
) -> Drawing:
    """Build view ``view`` in ``lang``: query → DiGraph → DOT (no file written, no ``dot`` run).

    ``concept`` names the concept of a view of one concept (``concept``) by any label, synonym or IRI, as
    ``lookup`` does; an unknown one is :class:`~virtgraph.errors.ConceptNotFound`. ``depth`` is how many links
    away that view reaches, ``max_nodes`` the node budget of a node-link view (default: the view's).
    """
    spec = get_view(view)
    concept_iri = None
    if spec.needs_concept:
        if not concept:
            raise UsageError(f"view {view!r} needs a concept: --concept TERM (any label, as for lookup)")
        concept_iri = finder(kg).find(concept, lang)
    elif concept:
        raise UsageError(f"view {view!r} draws no single concept; --concept applies to view 'concept'")
    graph = build_view(kg, spec, lang, concept_iri=concept_iri, depth=depth, max_nodes=max_nodes)
    prepare(kg)
    stem = f"concept-{local_name(concept_iri)}" if concept_iri else view
    return Drawing(graph, to_dot(graph, spec), stem)


def prepare(kg: KnowledgeGraph) -> None:
    """Make ready what every drawing of ``kg`` needs: the graph's Chinese terms as the words lines break
    between (loading the segmenter's dictionary the first time). Cheap when done already."""
    use_vocabulary(kg.memo("zh-terms", lambda: kg.labels.terms("zh")))


def all_targets() -> list[tuple[str, str, str]]:
    """``(view, lang, fmt)`` of every file ``render --all`` keeps in the output folder.

    >>> ("taxonomy", "zh", "png") in all_targets(), any(view == "concept" for view, _, _ in all_targets())
    (True, False)
    """
    targets = []
    for name, spec in view_specs().items():
        if spec.needs_concept:
            continue
        for lang in LANGUAGES:
            for fmt in ("svg", *spec.extra_formats):
                targets.append((name, lang, fmt))
    return targets
