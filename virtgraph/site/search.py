"""The site's search index: every key ``lookup`` matches, so the search box finds what ``lookup`` finds.

``lookup`` normalises a term (NFKC, case-folded, without spaces and ``- _ . ·``) and looks it up among the
labels as written, then under its other spellings: Simplified characters, mainland vocabulary, English
singular (:mod:`virtgraph.variants`). The index holds both key sets of :class:`~virtgraph.concepts.ConceptFinder`,
already normalised. The browser (``assets/search.js``) normalises a query the same way; for the Traditional to
Simplified step it gets the part of OpenCC's ``t2s`` table that can matter: every Traditional character whose
Simplified form occurs in some key. Taiwan phrasing needs no table of its own: every label is also indexed
under the Simplified form of its Taiwan phrasing (:func:`virtgraph.variants.label_spellings`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

from ..concepts import finder
from ..graph import KnowledgeGraph
from ..variants import simplified

#: The code points whose Simplified forms are looked up (CJK Unified Ideographs, Extension A, compatibility).
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@cache
def _t2s_pairs() -> tuple[tuple[str, str], ...]:
    """Every (Traditional, Simplified) character pair of OpenCC ``t2s`` taken one character at a time."""
    chars = [chr(c) for start, end in _RANGES for c in range(start, end + 1)]
    converted = simplified("\n".join(chars)).split("\n")
    return tuple((t, s) for t, s in zip(chars, converted, strict=True) if t != s and len(s) == 1)


def search_index(kg: KnowledgeGraph, lang: str, url: Callable[[str], str | None]) -> dict[str, object]:
    """The index of the search box on ``lang`` pages: keys → concept numbers, each concept's label, kind and
    page (``url(iri)``, relative to the site's root), and the ``t2s`` characters that can matter."""
    found = finder(kg)
    keys: dict[str, dict[str, bool]] = {}
    for by in (found.by_key, found.by_variant):
        for key, iris in by.items():
            merged = keys.setdefault(key, {})
            for iri, preferred in iris.items():
                merged[iri] = merged.get(iri, False) or preferred
    pages = sorted({iri for by in keys.values() for iri in by if url(iri)})
    number = {iri: n for n, iri in enumerate(pages)}
    labels = found.labels
    concepts = [
        {
            "label": labels.label(iri, lang),
            "kind": labels.label(kind, lang) if (kind := labels.kind(iri)) else "",
            "url": url(iri),
        }
        for iri in pages
    ]
    entries = {
        key: [number[i] if preferred else -1 - number[i] for i, preferred in sorted(by.items()) if i in number]
        for key, by in sorted(keys.items())
    }
    used = {ch for key in entries for ch in key}
    t2s = {t: s for t, s in _t2s_pairs() if s in used}
    return {"concepts": concepts, "keys": {k: v for k, v in entries.items() if v}, "t2s": t2s}


def index_script(index: dict[str, object]) -> bytes:
    """The index as a script that sets ``window.VIRTGRAPH_SEARCH``: a script, not JSON, so that pages opened
    from ``file://`` (where ``fetch`` is refused) can load it."""
    text = json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return f"window.VIRTGRAPH_SEARCH = {text};\n".encode()
