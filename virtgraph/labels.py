"""Labels, definitions and classes of every resource, with one explicit language fallback.

The index is filled by one query (``label-index``) and answers every "what is this called in Chinese"
question of a view or a concept card without another query.

Fallback for ``zh``: zh-Hans, zh, en, then the IRI's local name; for ``en``: en, zh-Hans, zh, local name.

>>> index = LabelIndex()
>>> index.add("https://w3id.org/virtgraph/concept/kvm", "prefLabel", "KVM", "en")
>>> index.add("https://w3id.org/virtgraph/concept/kvm", "prefLabel", "基于内核的虚拟机", "zh")
>>> index.label("https://w3id.org/virtgraph/concept/kvm", "zh")
'基于内核的虚拟机'
>>> index.label("https://w3id.org/virtgraph/concept/xen", "zh")
'xen'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import UnknownName
from .namespaces import local_name

LANGUAGES = ("zh", "en")
FALLBACK: dict[str, tuple[str, ...]] = {
    "zh": ("zh-hans", "zh", "en"),
    "en": ("en", "zh-hans", "zh"),
}
#: Label properties in order of preference (local names of skos:, rdfs:, dct: terms).
LABEL_PROPERTIES = ("prefLabel", "label", "title")


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language, else a usage error listing them."""
    if lang not in FALLBACK:
        raise UnknownName(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


def pick(values: dict[str, str], lang: str) -> str | None:
    """The value of ``values`` (keyed by lower-case language tag) that ``lang``'s fallback prefers.

    >>> pick({"en": "Type 1", "zh": "1型"}, "zh")
    '1型'
    >>> pick({"en": "Type 1"}, "zh")
    'Type 1'
    """
    for tag in FALLBACK[check_language(lang)]:
        if tag in values:
            return values[tag]
    return None


@dataclass
class Entry:
    """What the index knows about one IRI."""

    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    alt_labels: list[tuple[str, str]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)


class LabelIndex:
    """Labels, alternative labels, definitions and rdf:types by IRI."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = defaultdict(Entry)
        self.superclasses: dict[str, set[str]] = defaultdict(set)

    def add(self, iri: str, prop: str, value: str, lang: str | None = None) -> None:
        """Record one ``prop`` (local name: prefLabel, altLabel, label, title, definition, type) of ``iri``."""
        entry = self.entries[iri]
        tag = (lang or "").lower()
        if prop in LABEL_PROPERTIES or prop == "inverseLabel":
            entry.labels[prop].setdefault(tag or "en", value)
        elif prop == "altLabel":
            entry.alt_labels.append((tag, value))
        elif prop == "definition":
            entry.definitions.setdefault(tag, value)
        elif prop == "type":
            entry.types.add(value)
        elif prop == "subClassOf":
            self.superclasses[iri].add(value)

    def __contains__(self, iri: str) -> bool:
        return iri in self.entries

    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` after the fallback chain; its local name when it has none."""
        entry = self.entries.get(iri)
        if entry is not None:
            for prop in LABEL_PROPERTIES:
                found = pick(entry.labels.get(prop, {}), lang)
                if found is not None:
                    return found
        return local_name(iri)

    def inverse_label(self, prop: str, lang: str) -> str:
        """How relation ``prop`` reads from its object's side (``vg:inverseLabel``), else "← label"."""
        entry = self.entries.get(prop)
        found = pick(entry.labels.get("inverseLabel", {}), lang) if entry else None
        return found if found is not None else f"← {self.label(prop, lang)}"

    def labels_by_lang(self, iri: str) -> dict[str, str]:
        """The preferred labels of ``iri`` keyed by language tag."""
        entry = self.entries.get(iri)
        return dict(entry.labels.get("prefLabel", {})) if entry else {}

    def alt_labels(self, iri: str) -> list[tuple[str, str]]:
        """``(language, label)`` pairs of the alternative labels of ``iri``, sorted."""
        entry = self.entries.get(iri)
        return sorted(set(entry.alt_labels)) if entry else []

    def definition(self, iri: str, lang: str) -> str:
        """The definition of ``iri`` in ``lang`` after the fallback chain, or ``""``."""
        entry = self.entries.get(iri)
        return (pick(entry.definitions, lang) or "") if entry else ""

    def types(self, iri: str) -> set[str]:
        entry = self.entries.get(iri)
        return set(entry.types) if entry else set()

    def ancestors(self, cls: str) -> list[str]:
        """``cls`` and all its superclasses, nearest first (breadth first, sorted within a level)."""
        seen, order, frontier = {cls}, [cls], [cls]
        while frontier:
            nxt = []
            for c in frontier:
                for parent in sorted(self.superclasses.get(c, ())):
                    if parent not in seen:
                        seen.add(parent)
                        order.append(parent)
                        nxt.append(parent)
            frontier = nxt
        return order

    def kind(self, iri: str) -> str | None:
        """The most specific class of ``iri`` (a type that is no superclass of its other types)."""
        types = self.types(iri)
        if not types:
            return None
        broader = {a for t in types for a in self.ancestors(t)[1:]}
        specific = sorted(types - broader) or sorted(types)
        return specific[0]

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether ``iri`` has type ``cls`` or a subclass of it."""
        return any(cls in self.ancestors(t) for t in self.types(iri))
