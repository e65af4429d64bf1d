"""Small pieces of HTML the templates use in loops (a link to a concept, a source with its grade), written in
Python: a Jinja macro costs a template call each time, and a concept page calls these dozens of times."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

from ..card import Ref, SourceRef

DBPEDIA = "http://dbpedia.org/resource/"


def ref_html(r: Ref, href: str | None, words: Mapping[str, str]) -> Markup:
    """A resource a card points to: a link to its page (``href``), a DBpedia link, or its label; then its badges.

    >>> ref_html(Ref("https://w3id.org/virtgraph/concept/kvm", "vgc:kvm", "KVM", disputed=True), "kvm.html",
    ...          {"disputed": "disputed", "open_source": "open source"})
    Markup('<a href="kvm.html">KVM</a> <span class="badge disputed">disputed</span>')
    """
    if href:
        out = Markup('<a href="{}">{}</a>').format(href, r.label)
    elif r.iri.startswith(DBPEDIA):
        name = r.iri[len(DBPEDIA) :]
        out = Markup('<a class="external" href="{}" rel="external">DBpedia: {}</a>').format(r.iri, name)
    else:
        out = escape(r.label)
    if r.disputed:
        out += Markup(' <span class="badge disputed">{}</span>').format(words["disputed"])
    if r.open_source:
        out += Markup(' <span class="badge">{}</span>').format(words["open_source"])
    return out


def source_html(s: SourceRef, words: Mapping[str, str]) -> Markup:
    """A source with the fact sheet's confidence grade, when it has one.

    >>> source_html(SourceRef("s", "vgs:s", "Red Hat <KVM>", "H"), {"confidence": "confidence"})
    Markup('<span class="source">Red Hat &lt;KVM&gt;</span> <span class="confidence" title="confidence">[H]</span>')
    """
    out = Markup('<span class="source">{}</span>').format(s.label)
    if s.confidence:
        out += Markup(' <span class="confidence" title="{}">[{}]</span>').format(words["confidence"], s.confidence)
    return out


def helpers(
    page_for: Callable[[str], str | None], rel: Callable[[str], str], words: Mapping[str, str]
) -> dict[str, Callable[..., Markup]]:
    """``ref`` and ``source`` for a page's templates: links made with ``page_for`` and ``rel``."""

    def ref(r: Ref) -> Markup:
        target = page_for(r.iri)
        return ref_html(r, rel(target) if target else None, words)

    def source(s: SourceRef) -> Markup:
        return source_html(s, words)

    return {"ref": ref, "source": source}
