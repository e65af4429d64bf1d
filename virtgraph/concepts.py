"""Concept lookup: find a concept by any label in either language, and build its concept card.

Matching ignores case, full-width/half-width forms, spaces and the punctuation people vary (``- _ . ·``)::

    >>> normalize("ＫＶＭ") == normalize("kvm"), normalize("Type 1"), normalize("VT-x")
    (True, 'type1', 'vtx')
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

from rdflib import Literal

from .cache import kept_iri
from .card import (
    Claim,
    ConceptCard,
    DocumentUsage,
    Layer,
    Ownership,
    Ref,
    Relation,
    SourceRef,
    Value,
    card_text,
    remember_card,
    remembered_card,
    write_lookup_keys,
)
from .errors import ConceptNotFound
from .graph import KnowledgeGraph
from .labels import LabelIndex, check_language, normalize, pick
from .namespaces import PREFIXES, VG, compact, local_name
from .sparql import internal_query, trusted_query
from .store import Term

__all__ = [
    "Claim",
    "ConceptCard",
    "ConceptFinder",
    "DocumentUsage",
    "Layer",
    "Ownership",
    "Ref",
    "Relation",
    "SourceRef",
    "Value",
    "card_text",
    "concept_card",
    "finder",
    "lookup",
    "normalize",
]

CONCEPT = VG + "Concept"
ORGANIZATION = VG + "Organization"
FEATURE = VG + "HardwareFeature"
SYMMETRIC = PREFIXES["owl"] + "SymmetricProperty"


class ConceptFinder:
    """The label → concept index of one graph.

    A term is looked up as written first (:func:`normalize`); failing that, under its other spellings
    (:func:`virtgraph.variants.spellings`: Simplified characters, mainland vocabulary, English singular) in a
    second index of every label's spellings, built on the first such lookup.
    """

    def __init__(self, labels: LabelIndex) -> None:
        self.labels = labels
        self.by_key: dict[str, dict[str, bool]] = defaultdict(dict)  # key -> {iri: is_pref_label}
        self.display: dict[str, str] = {}
        self.names: list[tuple[str, str, bool]] = []  # (label, iri, preferred) of every concept and organisation
        self._by_variant: dict[str, dict[str, bool]] | None = None
        for iri in labels.type_sets:
            if not (labels.is_a(iri, CONCEPT) or labels.is_a(iri, ORGANIZATION)):
                continue
            for value in labels.labels["prefLabel"].get(iri, {}).values():
                self._add(value, iri, True)
            for _, value in labels.alts.get(iri, ()):
                self._add(value, iri, False)
            self._add(local_name(iri), iri, False)

    def _add(self, label: str, iri: str, preferred: bool) -> None:
        key = normalize(label)
        if key:
            self.names.append((label, iri, preferred))
            self.by_key[key][iri] = self.by_key[key].get(iri, False) or preferred
            self.display.setdefault(key, label)

    @property
    def by_variant(self) -> dict[str, dict[str, bool]]:
        """Every label's other spellings (keys) -> ``{iri: is_pref_label}``; built once, on first use."""
        if self._by_variant is None:
            from .variants import label_spellings, spellings  # lazily: OpenCC is loaded only when a term needs it

            index: dict[str, dict[str, bool]] = defaultdict(dict)
            # the faithful spellings of every label first, so a suggestion shows the label closest to its key
            for faithful in (True, False):
                for label, iri, preferred in self.names:
                    forms = spellings(label) if faithful else label_spellings(label)
                    for form in forms:
                        key = normalize(form)
                        if key:
                            index[key][iri] = index[key].get(iri, False) or preferred
                            self.display.setdefault(key, label)
            self._by_variant = index
        return self._by_variant

    def matches(self, term: str) -> dict[str, bool]:
        """``{iri: is_pref_label}`` of the concepts ``term`` names: as written, else in its first other spelling
        that names any (Simplified, mainland vocabulary, English singular)."""
        found = self.by_key.get(normalize(term))
        if found:
            return found
        from .variants import spellings

        for form in spellings(term):
            found = self.by_variant.get(normalize(form))
            if found:
                return found
        return {}

    def find(self, term: str, lang: str = "zh") -> str:
        """The IRI of the one concept ``term`` names; :class:`ConceptNotFound` with suggestions otherwise."""
        iri = self._as_iri(term)
        if iri:
            return iri
        matches = self.matches(term)
        if len(matches) > 1:
            preferred = [i for i, pref in matches.items() if pref]
            if len(preferred) == 1:
                return preferred[0]
        if len(matches) == 1:
            return next(iter(matches))
        if matches:
            options = [self.describe(i, lang) for i in sorted(matches)]
            raise ConceptNotFound(f"{term!r} names several concepts: {'; '.join(options)}", options)
        suggestions = self.suggest(term, lang)
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise ConceptNotFound(f"no concept is called {term!r}{hint}", suggestions)

    def _as_iri(self, term: str) -> str | None:
        text = term.strip().strip("<>")
        if ":" in text and not text.startswith("http"):
            prefix, _, local = text.partition(":")
            if prefix in PREFIXES:
                text = PREFIXES[prefix] + local
        return text if text.startswith("http") and text in self.labels else None

    def describe(self, iri: str, lang: str) -> str:
        kind = self.labels.kind(iri)
        kind_label = f", {self.labels.label(kind, lang)}" if kind else ""
        return f"{self.labels.label(iri, lang)} ({compact(iri)}{kind_label})"

    def suggest(self, term: str, lang: str, limit: int = 5) -> list[str]:
        """Labels of the concepts nearest to ``term`` (substring matches first, then similar spellings), in any
        script: the term and the labels are compared in Simplified characters too."""
        from .variants import spellings

        query = list(dict.fromkeys(k for k in (normalize(term), *map(normalize, spellings(term))) if k))
        if not query:
            return []
        index: dict[str, set[str]] = defaultdict(set)
        for by in (self.by_key, self.by_variant):
            for k, iris in by.items():
                index[k].update(iris)
        keys = sorted(index)
        distance: dict[str, int] = {}  # substring matches of any spelling, nearest in length first
        for key in query:
            for k in keys:
                if key in k or (len(k) > 1 and k in key):
                    distance[k] = min(distance.get(k, len(k) + len(key)), abs(len(k) - len(key)))
        near = sorted(distance, key=lambda k: (distance[k], k))
        for key in query:
            near += difflib.get_close_matches(key, keys, n=limit, cutoff=0.6)
        out: list[str] = []
        seen: set[str] = set()
        for k in near:
            for iri in sorted(index[k]):
                if iri not in seen:
                    seen.add(iri)
                    out.append(f"{self.display[k]} → {self.describe(iri, lang)}")
        return out[:limit]


def finder(kg: KnowledgeGraph) -> ConceptFinder:
    """The concept finder of ``kg`` (built once per graph; its label keys are kept in the store cache)."""

    def build() -> ConceptFinder:
        found = ConceptFinder(kg.labels)
        if kg.cache is not None:
            write_lookup_keys(kg.cache, found.by_key)
        return found

    return kg.memo("finder", build)


def lookup(kg: KnowledgeGraph, term: str, lang: str = "zh") -> ConceptCard:
    """The concept card of the concept ``term`` names (kept in the store cache, when the graph came from it)."""
    check_language(lang)
    iri = None
    if kg.cache is not None:  # the card kept, else the concept from the kept keys (no finder built)
        if (card := remembered_card(kg.cache, term, lang)) is not None:
            return card
        iri = kept_iri(kg.cache, term)
    card = concept_card(kg, iri or finder(kg).find(term, lang), lang)
    if kg.cache is not None:
        remember_card(kg.cache, card)
    return card


def _ref(labels: LabelIndex, iri: str, lang: str) -> Ref:
    kind = labels.kind(iri)
    return Ref(iri, compact(iri), labels.label(iri, lang), labels.label(kind, lang) if kind else None)


def concept_card(kg: KnowledgeGraph, iri: str, lang: str = "zh") -> ConceptCard:
    """Build the card of the concept ``iri`` from a handful of queries (none per related concept)."""
    labels = kg.labels
    params = {"concept_iri": iri}
    claims_rows = kg.query_with(internal_query("card-claims"), params).records()
    disputed = _disputed(claims_rows, iri)
    relations = _relations(kg, iri, lang, disputed)
    claims = _claims(labels, claims_rows, lang, _confidences(kg))
    values = _values(kg, iri, lang)
    sources = [
        _source(labels, str(row["source"]), lang, row.get("confidence"))
        for row in kg.query_with(internal_query("card-sources"), params).records()
    ]
    sources.sort(key=lambda src: (src.confidence is not None, src.label))
    alt: dict[str, list[str]] = defaultdict(list)
    for tag, value in labels.alt_labels(iri):
        alt[tag].append(value)
    kind = labels.kind(iri)
    return ConceptCard(
        iri=iri,
        id=compact(iri),
        lang=lang,
        label=labels.label(iri, lang),
        kind=_ref(labels, kind, lang) if kind else None,
        labels=dict(sorted(labels.labels_by_lang(iri).items())),
        alt_labels=dict(sorted(alt.items())),
        definition=labels.definition(iri, lang),
        definitions=dict(sorted(labels.definitions.get(iri, {}).items())),
        relations=relations,
        stack=_stack(kg, labels, iri, lang),
        claims=claims,
        sources=sources,
        values=values,
        ownership=_ownership(kg, iri, lang),
        document_usage=_document_usage(values, lang),
    )


def _relations(kg: KnowledgeGraph, iri: str, lang: str, disputed: set[tuple[str, str, str]]) -> list[Relation]:
    """The card's relations: outgoing links under the property's label, incoming under its inverse label;
    symmetric properties read outward; a hardware feature lists its equivalents beside it."""
    labels, equivalents, symmetric = kg.labels, _equivalents(kg), _symmetric(kg)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in kg.query(internal_query("card-relations"), concept_iri=iri).records():
        prop, other = str(row["property"]), str(row["other"])
        direction = "out" if prop in symmetric else str(row["direction"])
        if other not in grouped[(direction, prop)] and other != iri:
            grouped[(direction, prop)].append(other)
    relations = []
    for (direction, prop), others in grouped.items():
        title = labels.label(prop, lang) if direction == "out" else labels.inverse_label(prop, lang)
        targets = []
        for other in sorted(others, key=lambda o: (labels.label(o, lang), o)):
            ref = _ref(labels, other, lang)
            ref.disputed = (direction, prop, other) in disputed
            ref.open_source = _open_licences(kg).get(other)
            if labels.is_a(other, FEATURE) and prop not in symmetric:
                ref.equivalents = [_ref(labels, e, lang) for e in sorted(equivalents.get(other, ()))]
            targets.append(ref)
        relations.append(Relation(prop, title, direction, targets))
    relations.sort(key=lambda r: (r.direction != "out", r.label, r.property))
    return relations


def _source(labels: LabelIndex, iri: str, lang: str, confidence: object = None) -> SourceRef:
    return SourceRef(iri, compact(iri), labels.label(iri, lang), str(confidence) if confidence is not None else None)


_CONFIDENCES = trusted_query("SELECT ?s ?c WHERE { ?s vg:confidence ?c }")
_SYMMETRIC = trusted_query("SELECT ?p WHERE { ?p a owl:SymmetricProperty }")


def _confidences(kg: KnowledgeGraph) -> dict[str, str]:
    """The confidence of every source that has one (one query, cached per graph)."""
    return kg.memo("confidences", lambda: {s: c for s, c in kg.values(_CONFIDENCES) if s and c})


def _symmetric(kg: KnowledgeGraph) -> set[str]:
    """The symmetric properties of the schema (one query, cached per graph)."""
    return kg.memo("symmetric", lambda: {row[0] for row in kg.values(_SYMMETRIC) if row[0]})


def _disputed(claims_rows: list[dict[str, Term]], iri: str) -> set[tuple[str, str, str]]:
    """The card's disputed links as ``(direction, property, other end)``: a subject's property is disputed when
    claims give it more than one value. Outgoing from the concept: each claimed value; incoming: the subject whose
    claimed values include the concept."""
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in claims_rows:
        values[(str(row["subject"]), str(row["property"]))].add(str(row["value"]))
    links = set()
    for (subject, prop), vs in values.items():
        if len(vs) < 2:
            continue
        if subject == iri:
            links |= {("out", prop, v) for v in vs}
        elif iri in vs:
            links.add(("in", prop, subject))
    return links


_OPEN = "open-licences"


def _open_licences(kg: KnowledgeGraph) -> dict[str, bool]:
    """Whether each licence is open source (one query, cached per graph)."""

    def build() -> dict[str, bool]:
        found: dict[str, bool] = {}
        for row in kg.query(internal_query(_OPEN)).records():
            value = row["open"]
            found[str(row["licence"])] = bool(value.toPython()) if isinstance(value, Literal) else False
        return found

    return kg.memo("open-licences", build)


def _typed(value: Literal) -> int | float | bool | str:
    """A literal as JSON wants it: integers, decimals and booleans typed, everything else as text."""
    python = value.toPython()
    if isinstance(python, bool | int | float):
        return python
    return str(value)


def _values(kg: KnowledgeGraph, iri: str, lang: str) -> list[Value]:
    """Every literal the graph holds for ``iri`` (labels and definitions have their own keys)."""
    found = []
    for row in kg.query(internal_query("card-values"), concept_iri=iri).records():
        value = row["value"]
        if isinstance(value, Literal):
            prop = str(row["property"])
            found.append(Value(prop, kg.labels.label(prop, lang), _typed(value), value.language))
    found.sort(key=lambda v: (v.label, v.property, v.lang or "", str(v.value)))
    return found


def _ownership(kg: KnowledgeGraph, iri: str, lang: str) -> list[Ownership]:
    """The concept's ownership periods, oldest first, each with today's owner of its owner."""
    labels, confidence = kg.labels, _confidences(kg)
    periods: dict[tuple[str, int], Ownership] = {}
    for row in kg.query(internal_query("card-ownership"), concept_iri=iri).records():
        owner, start = str(row["owner"]), int(row["from"])
        end = int(row["to"]) if "to" in row else None
        period = periods.setdefault((owner, start), Ownership(_ref(labels, owner, lang), start, end, []))
        if "source" in row:
            source = _source(labels, str(row["source"]), lang, confidence.get(str(row["source"])))
            if source not in period.sources:
                period.sources.append(source)
        if "parent" in row and period.owner_owned_by is None:
            period.owner_owned_by = _ref(labels, str(row["parent"]), lang)
            period.owner_owned_since = int(row["parentFrom"])
    return [periods[key] for key in sorted(periods, key=lambda k: (k[1], k[0]))]


def _document_usage(values: list[Value], lang: str) -> list[DocumentUsage]:
    """The source document's own names for the concept, each with the note (in ``lang``) on common usage."""
    notes = {v.lang or "": str(v.value) for v in values if v.property == VG + "usageNote"}
    note = pick(notes, lang) or ""
    return [DocumentUsage(str(v.value), note) for v in values if v.property == VG + "documentUsage"]


def _equivalents(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """Each feature's cross-vendor equivalents, read both ways (one query, cached per graph)."""

    def build() -> dict[str, set[str]]:
        pairs: dict[str, set[str]] = defaultdict(set)
        for a, b in kg.values(internal_query("equivalences")):
            if a and b:  # both are bound in every row; the check is for the type checker
                pairs[a].add(b)
                pairs[b].add(a)
        return pairs

    return kg.memo("equivalents", build)


def _claims(
    labels: LabelIndex,
    rows: list[dict[str, Term]],
    lang: str,
    confidence: dict[str, str],
) -> list[Claim]:
    claimed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        claimed[(str(row["subject"]), str(row["property"]))].add(str(row["value"]))
    contested = {key for key, values in claimed.items() if len(values) > 1}
    by_claim: dict[str, dict[str, Any]] = {}
    for row in rows:
        prop, value, subject = str(row["property"]), str(row["value"]), str(row["subject"])
        if (subject, prop) not in contested:
            continue
        item = by_claim.setdefault(
            str(row["claim"]), {"subject": subject, "prop": prop, "value": value, "sources": [], "reasons": {}}
        )
        source = str(row["source"])
        if source not in item["sources"]:
            item["sources"].append(source)
        reason = row.get("reason")
        if isinstance(reason, Literal):
            item["reasons"].setdefault((reason.language or "en").lower(), str(reason))
    claims = [
        Claim(
            subject=_ref(labels, item["subject"], lang),
            property=item["prop"],
            property_label=labels.label(item["prop"], lang),
            value=_ref(labels, item["value"], lang),
            sources=[_source(labels, s, lang, confidence.get(s)) for s in sorted(item["sources"])],
            reason=pick(item["reasons"], lang) or "",
        )
        for _, item in sorted(by_claim.items())
    ]
    claims.sort(key=lambda c: (c.subject.label, c.property, c.value.label, [s.id for s in c.sources]))
    return claims


def _stack(kg: KnowledgeGraph, labels: LabelIndex, iri: str, lang: str) -> list[Layer]:
    layers: dict[int, Layer] = {}
    for row in kg.query(internal_query("card-stack"), concept_iri=iri).records():
        position = int(row["position"])
        layer = layers.setdefault(
            position,
            Layer(position, _ref(labels, str(row["component"]), lang), bool(row.get("repeated", False)), []),
        )
        if "innerComponent" in row:
            layer.inside.append(_ref(labels, str(row["innerComponent"]), lang))
    return [layers[p] for p in sorted(layers)]
