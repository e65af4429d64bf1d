"""Everything a knowledge graph answers for the shipped queries, concepts and views, to compare two graphs whole.

The store contract: the memory store, the Oxigraph store and each real SPARQL server must give byte-identical
answers. Each function returns a dict keyed by what was asked, so a failing ``==`` names the first difference.
"""

from __future__ import annotations

from virtgraph.concepts import concept_card
from virtgraph.drawing import draw
from virtgraph.formats import format_result
from virtgraph.graph import KnowledgeGraph
from virtgraph.labels import LANGUAGES
from virtgraph.namespaces import VG
from virtgraph.sparql import named_queries
from virtgraph.viewspec import view_specs

#: The concept a neighbourhood view is drawn around (two levels deep).
CONCEPT = "https://w3id.org/virtgraph/concept/ept"


def shipped_answers(kg: KnowledgeGraph) -> dict[tuple[str, str], str]:
    """Every shipped named query's answer as SPARQL results JSON, in each language."""
    return {
        (name, lang): format_result(kg.run(name, lang=lang), "json") for name in named_queries() for lang in LANGUAGES
    }


def concepts(kg: KnowledgeGraph) -> list[str]:
    """The IRIs of every concept in ``kg``."""
    return sorted(i for i in kg.labels.type_sets if kg.labels.is_a(i, VG + "Concept"))


def concept_cards(kg: KnowledgeGraph, iris: list[str], lang: str = "en") -> dict[str, str]:
    """The JSON concept card of each of ``iris``."""
    return {iri: concept_card(kg, iri, lang).to_json() for iri in iris}


def view_dots(kg: KnowledgeGraph) -> dict[tuple[str, str], str]:
    """The DOT of every view in each language (the neighbourhood view: two links around :data:`CONCEPT`)."""
    return {
        (name, lang): draw(kg, name, lang, concept=CONCEPT, depth=2).dot
        if spec.needs_concept
        else draw(kg, name, lang).dot
        for name, spec in sorted(view_specs().items())
        for lang in LANGUAGES
    }
