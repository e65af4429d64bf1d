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

import marshal
import unicodedata

from .errors import UnknownName
from .namespaces import local_name

LANGUAGES = ("zh", "en")
FALLBACK: dict[str, tuple[str, ...]] = {
    "zh": ("zh-hans", "zh", "en"),
    "en": ("en", "zh-hans", "zh"),
}
#: Label properties in order of preference (local names of skos:, rdfs:, dct: terms).
LABEL_PROPERTIES = ("prefLabel", "label", "title")


_IGNORED = str.maketrans("", "", " \t\n-_.·・")


def normalize(text: str) -> str:
    """The matching key of a label: NFKC, case-folded, without spaces and ``- _ . ·``.

    >>> normalize("ＫＶＭ") == normalize("kvm"), normalize("Type 1"), normalize("VT-x")
    (True, 'type1', 'vtx')
    """
    return unicodedata.normalize("NFKC", text).casefold().translate(_IGNORED)


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


class LabelIndex:
    """Labels, alternative labels, definitions and rdf:types by IRI, in plain dicts (compact at scale)."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[str, dict[str, str]]] = {p: {} for p in (*LABEL_PROPERTIES, "inverseLabel")}
        self.alts: dict[str, list[tuple[str, str]]] = {}
        self.definitions: dict[str, dict[str, str]] = {}
        self.type_sets: dict[str, set[str]] = {}
        self.superclasses: dict[str, set[str]] = {}
        self._ancestors: dict[str, list[str]] = {}

    #: Version of :meth:`dumps`'s layout.
    DUMP_FORMAT = 1

    def dumps(self) -> bytes:
        """The index as bytes (marshal: plain dicts, lists, tuples, sets and strings; nothing is executed on load).

        >>> index = LabelIndex()
        >>> index.add("https://w3id.org/virtgraph/concept/kvm", "prefLabel", "KVM", "en")
        >>> LabelIndex.loads(index.dumps()).label("https://w3id.org/virtgraph/concept/kvm", "zh")
        'KVM'
        """
        fields = (self.labels, self.alts, self.definitions, self.type_sets, self.superclasses)
        return marshal.dumps((self.DUMP_FORMAT, *fields))

    @classmethod
    def loads(cls, data: bytes) -> LabelIndex | None:
        """The index :meth:`dumps` gave, or None if ``data`` is not one (another format, damaged)."""
        try:
            fmt, labels, alts, definitions, type_sets, superclasses = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            return None
        if fmt != cls.DUMP_FORMAT or not all(isinstance(f, dict) for f in (labels, alts, definitions, type_sets)):
            return None
        index = cls()
        index.labels, index.alts, index.definitions = labels, alts, definitions
        index.type_sets, index.superclasses = type_sets, superclasses
        return index

    def add(self, iri: str, prop: str, value: str, lang: str | None = None) -> None:
        """Record one ``prop`` (local name: prefLabel, altLabel, label, title, definition, type) of ``iri``."""
        tag = (lang or "").lower()
        if prop in self.labels:
            self.labels[prop].setdefault(iri, {}).setdefault(tag or "en", value)
        elif prop == "altLabel":
            self.alts.setdefault(iri, []).append((tag, value))
        elif prop == "definition":
            self.definitions.setdefault(iri, {}).setdefault(tag, value)
        elif prop == "type":
            self.type_sets.setdefault(iri, set()).add(value)
        elif prop == "subClassOf":
            self.superclasses.setdefault(iri, set()).add(value)

    def terms(self, lang: str) -> set[str]:
        """Every label and alternative label in ``lang`` (``zh`` covers zh-hans, zh-hant...): the graph's words."""
        found = {
            value
            for by_iri in self.labels.values()
            for values in by_iri.values()
            for tag, value in values.items()
            if tag == lang or tag.startswith(lang + "-")
        }
        found |= {
            value for alts in self.alts.values() for tag, value in alts if tag == lang or tag.startswith(lang + "-")
        }
        return found

    @property
    def iris(self) -> set[str]:
        """Every IRI the index knows something about."""
        known = set(self.type_sets) | set(self.alts) | set(self.definitions)
        for by_iri in self.labels.values():
            known |= by_iri.keys()
        return known

    def __contains__(self, iri: str) -> bool:
        return iri in self.type_sets or iri in self.definitions or any(iri in by_iri for by_iri in self.labels.values())

    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` after the fallback chain; its local name when it has none."""
        for prop in LABEL_PROPERTIES:
            values = self.labels[prop].get(iri)
            if values:
                found = pick(values, lang)
                if found is not None:
                    return found
        return local_name(iri)

    def inverse_label(self, prop: str, lang: str) -> str:
        """How relation ``prop`` reads from its object's side (``vg:inverseLabel``), else "← label"."""
        found = pick(self.labels["inverseLabel"].get(prop, {}), lang)
        return found if found is not None else f"← {self.label(prop, lang)}"

    def labels_by_lang(self, iri: str) -> dict[str, str]:
        """The preferred labels of ``iri`` keyed by language tag."""
        return dict(self.labels["prefLabel"].get(iri, {}))

    def alt_labels(self, iri: str) -> list[tuple[str, str]]:
        """``(language, label)`` pairs of the alternative labels of ``iri``, sorted."""
        return sorted(set(self.alts.get(iri, ())))

    def definition(self, iri: str, lang: str) -> str:
        """The definition of ``iri`` in ``lang`` after the fallback chain, or ``""``."""
        return pick(self.definitions.get(iri, {}), lang) or ""

    def types(self, iri: str) -> set[str]:
        return set(self.type_sets.get(iri, ()))

    def ancestors(self, cls: str) -> list[str]:
        """``cls`` and all its superclasses, nearest first (breadth first, sorted within a level)."""
        cached = self._ancestors.get(cls)
        if cached is not None:
            return cached
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
        self._ancestors[cls] = order
        return order

    def kind(self, iri: str) -> str | None:
        """The most specific class of ``iri`` (a type that is no superclass of its other types)."""
        types = self.type_sets.get(iri)
        if not types:
            return None
        if len(types) == 1:
            return next(iter(types))
        broader = {a for t in types for a in self.ancestors(t)[1:]}
        specific = sorted(types - broader) or sorted(types)
        return specific[0]

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether ``iri`` has type ``cls`` or a subclass of it."""
        return any(cls in self.ancestors(t) for t in self.type_sets.get(iri, ()))
