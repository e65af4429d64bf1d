"""A concept card as data and as text, and the cards kept in the store cache: no graph, rdflib or networkx needed.

:mod:`virtgraph.concepts` builds cards from the graph; ``virtgraph lookup`` prints them. When the store cache
holds the lookup keys and the card of a term (:func:`remembered_card`), ``lookup`` answers from them without
building anything; the command line prints the card's kept text or JSON without even this module
(:func:`virtgraph.cache.kept_output`).
"""

from __future__ import annotations

import json
import marshal
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from .cache import KEY_SHARDS, Entry, card_file, kept_iri, key_shard, read_checked, write_derived
from .display import visible
from .messages import TEXT

__all__ = [
    "Claim",
    "ConceptCard",
    "DocumentUsage",
    "Layer",
    "Ownership",
    "Ref",
    "Relation",
    "SourceRef",
    "Value",
    "card_from_dict",
    "card_text",
    "remember_card",
    "remembered_card",
    "write_lookup_keys",
]


@dataclass
class Ref:
    """A resource a card points to: its IRI, compact id, label and kind (in the card's language)."""

    iri: str
    id: str
    label: str
    kind: str | None = None
    disputed: bool = False
    equivalents: list[Ref] = field(default_factory=list)
    open_source: bool | None = None  # for a licence: whether it is open source


@dataclass
class SourceRef:
    """Where a fact comes from: the source's IRI, id, label and the fact sheet's confidence (H/M/L/U)."""

    iri: str
    id: str
    label: str
    confidence: str | None = None


@dataclass
class Relation:
    """All links of one property in one direction (``out``: concept → target, ``in``: source → concept)."""

    property: str
    label: str
    direction: str
    targets: list[Ref]


@dataclass
class Value:
    """One literal the graph holds for the concept, typed (years as integers, booleans as booleans)."""

    property: str
    label: str
    value: int | float | bool | str
    lang: str | None = None


@dataclass
class Ownership:
    """Who owned the concept from which year to which (``to`` None: still, or end unknown)."""

    owner: Ref
    start: int
    end: int | None
    sources: list[SourceRef]
    owner_owned_by: Ref | None = None
    owner_owned_since: int | None = None


@dataclass
class DocumentUsage:
    """A name the source document uses for the concept, unlike common usage, with a note saying how."""

    label: str
    note: str


@dataclass
class Claim:
    """One sourced claim about the concept or about a link to it (only disputed properties are listed)."""

    subject: Ref
    property: str
    property_label: str
    value: Ref
    sources: list[SourceRef]
    reason: str


@dataclass
class Layer:
    position: int
    component: Ref
    repeated: bool
    inside: list[Ref]


@dataclass
class ConceptCard:
    """Everything virtgraph knows about one concept, in one language (see README: lookup JSON)."""

    iri: str
    id: str
    lang: str
    label: str
    kind: Ref | None
    labels: dict[str, str]
    alt_labels: dict[str, list[str]]
    definition: str
    definitions: dict[str, str]
    relations: list[Relation]
    stack: list[Layer]
    claims: list[Claim]
    sources: list[SourceRef]
    values: list[Value] = field(default_factory=list)
    ownership: list[Ownership] = field(default_factory=list)
    document_usage: list[DocumentUsage] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def card_text(card: ConceptCard) -> str:
    """The card as readable text in its language; control characters in labels show as escapes (``\\x1b``)."""
    t = TEXT[card.lang]
    other_lang = [f"{v} [{k}]" for k, v in card.labels.items() if v != card.label]
    lines = [f"{card.label}  ({card.id})"]
    if card.kind:
        lines.append(f"{t['kind']}: {card.kind.label}")
    flagged = {usage.label for usage in card.document_usage}
    names = other_lang + [
        f"{v} [{k}]" + (f" ({t['document_usage']})" if v in flagged else "")
        for k, vs in card.alt_labels.items()
        for v in vs
    ]
    if names:
        lines.append(f"{t['also']}: {', '.join(names)}")
    lines += ["", f"{t['definition']}: {card.definition}", ""] if card.definition else [""]
    for rel in card.relations:
        items = []
        for ref in rel.targets:
            text = ref.label
            if ref.disputed:
                text += f" ({t['disputed']})"
            if ref.open_source is not None:
                text += f" ({t['open_source'] if ref.open_source else t['not_open_source']})"
            if ref.equivalents:
                text += f" [{t['equivalent']}: {', '.join(e.label for e in ref.equivalents)}]"
            items.append(text)
        lines.append(f"{rel.label}: {', '.join(items)}")
    lines += _value_lines(card, t)
    if card.stack:
        lines += ["", f"{t['stack']}:"]
        for layer in card.stack:
            inner = f" [{' < '.join(r.label for r in layer.inside)}]" if layer.inside else ""
            many = f" ({t['repeated']})" if layer.repeated else ""
            lines.append(f"  {layer.position}. {layer.component.label}{many}{inner}")
    if card.claims:
        lines += ["", f"{t['claims']}:"]
        for claim in card.claims:
            sources = "; ".join(s.label + (f" [{s.confidence}]" if s.confidence else "") for s in claim.sources)
            subject = f"{claim.subject.label}: " if claim.subject.iri != card.iri else ""
            lines.append(f"  {subject}{claim.property_label} = {claim.value.label} — {sources}")
            if claim.reason:
                lines.append(f"      {t['reason']}: {claim.reason}")
    if card.sources:
        lines += ["", f"{t['sources']}:"]
        for src in card.sources:
            confidence = f" [{src.confidence}]" if src.confidence else ""
            lines.append(f"  - {src.label}{confidence}")
    return "\n".join(visible(line) for line in lines)  # labels are data: no terminal escape code gets through


def _value_lines(card: ConceptCard, t: dict[str, str]) -> list[str]:
    """The card's literal values (language-tagged ones in the card's language when it has them) and ownership."""
    lines: list[str] = []
    by_property: dict[str, list[Value]] = defaultdict(list)
    for value in card.values:
        by_property[value.property].append(value)
    shown = []
    for values in by_property.values():
        tagged = [v for v in values if v.lang]
        if tagged:
            mine = [v for v in tagged if v.lang == card.lang] or [v for v in tagged if v.lang == "en"] or tagged
            values = [v for v in values if not v.lang] + mine
        texts = [("true" if v.value else "false") if isinstance(v.value, bool) else str(v.value) for v in values]
        shown.append(f"  {values[0].label}: {', '.join(texts)}")
    if shown:
        lines += ["", f"{t['values']}:", *shown]
    if card.ownership:
        lines += ["", f"{t['ownership']}:"]
        for period in card.ownership:
            years = f"{period.start}–{period.end}" if period.end is not None else f"{period.start}–"
            parent = ""
            if period.owner_owned_by is not None:
                parent = f" ({t['owned_by']} {period.owner_owned_by.label}, {t['since']} {period.owner_owned_since})"
            sources = "; ".join(s.id + (f" [{s.confidence}]" if s.confidence else "") for s in period.sources)
            lines.append(f"  {years}: {period.owner.label}{parent} — {sources}")
    return lines


# --- cards from JSON, and the cards the store cache keeps -----------------------------------------------------------


def _ref_of(data: dict[str, Any]) -> Ref:
    return Ref(**{**data, "equivalents": [_ref_of(e) for e in data.get("equivalents", [])]})


def _optional_ref(data: dict[str, Any] | None) -> Ref | None:
    return None if data is None else _ref_of(data)


def _sources(items: list[dict[str, Any]]) -> list[SourceRef]:
    return [SourceRef(**item) for item in items]


def card_from_dict(data: dict[str, Any]) -> ConceptCard:
    """The card whose :meth:`ConceptCard.to_json` gave ``data`` (a round trip gives an equal card)."""
    return ConceptCard(
        **{
            **data,
            "kind": _optional_ref(data["kind"]),
            "relations": [Relation(**{**r, "targets": [_ref_of(t) for t in r["targets"]]}) for r in data["relations"]],
            "stack": [
                Layer(x["position"], _ref_of(x["component"]), x["repeated"], [_ref_of(i) for i in x["inside"]])
                for x in data["stack"]
            ],
            "claims": [
                Claim(
                    _ref_of(c["subject"]),
                    c["property"],
                    c["property_label"],
                    _ref_of(c["value"]),
                    _sources(c["sources"]),
                    c["reason"],
                )
                for c in data["claims"]
            ],
            "sources": _sources(data["sources"]),
            "values": [Value(**v) for v in data["values"]],
            "ownership": [
                Ownership(
                    **{
                        **o,
                        "owner": _ref_of(o["owner"]),
                        "sources": _sources(o["sources"]),
                        "owner_owned_by": _optional_ref(o["owner_owned_by"]),
                    }
                )
                for o in data["ownership"]
            ],
            "document_usage": [DocumentUsage(**u) for u in data["document_usage"]],
        }
    )


def write_lookup_keys(entry: Entry, by_key: dict[str, dict[str, bool]]) -> None:
    """Keep the finder's label keys (normalised label -> {IRI: is preferred}) beside the cached store, sharded."""
    folder = entry.derived("lookup-keys")
    if folder.exists():
        return
    shards: dict[str, dict[str, dict[str, bool]]] = {f"{n:02x}": {} for n in range(KEY_SHARDS)}
    for key, iris in by_key.items():
        shards[key_shard(key)][key] = iris
    for name, keys in shards.items():
        write_derived(folder / f"{name}.marshal", marshal.dumps(keys))


def remembered_card(entry: Entry, term: str, lang: str) -> ConceptCard | None:
    """The card of ``term`` in ``lang`` if the cache holds both its key and its card, else None."""
    iri = kept_iri(entry, term)
    if iri is None:
        return None
    data = read_checked(card_file(entry, iri, lang, "json"))
    if data is None:
        return None
    try:
        card = card_from_dict(json.loads(data))
    except (ValueError, TypeError, KeyError):
        return None
    return card if card.iri == iri and card.lang == lang else None


def remember_card(entry: Entry, card: ConceptCard) -> None:
    """Keep ``card`` in the cache entry it was built from (quietly skipped if the cache cannot be written)."""
    write_derived(card_file(entry, card.iri, card.lang, "json"), card.to_json().encode("utf-8"))
    write_derived(card_file(entry, card.iri, card.lang, "txt"), card_text(card).encode("utf-8"))
