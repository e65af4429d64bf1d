"""The files of the site, page by page: each function returns ``{site-relative path: bytes}``.

Nothing here writes a file (:mod:`virtgraph.site.output` does) or runs ``dot`` (:mod:`virtgraph.site.diagrams`).
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import rdflib
from rdflib.term import URIRef

from .. import __version__
from ..concepts import ConceptCard, concept_card
from ..drawing import Drawing
from ..formats import cell
from ..graph import KnowledgeGraph
from ..labels import LANGUAGES
from ..namespaces import PREFIXES
from ..sparql import internal_query, named_queries
from ..viewspec import view_specs
from .markup import helpers
from .pages import LANG_TAG, environment, path_of, relative, render_page, words
from .search import index_script, search_index

#: The files of ``virtgraph/site/assets`` copied into every site.
ASSETS = ("site.css", "search.js", "reload.js")


@dataclass(frozen=True)
class Site:
    """What every page builder needs: the graph, the concepts with pages (IRI → slug), and the build mode."""

    kg: KnowledgeGraph
    pages_of: dict[str, str]
    serve: bool = False

    def page_for(self, iri: str, lang: str) -> str | None:
        slug = self.pages_of.get(iri)
        return None if slug is None else path_of("concept", lang, slug)

    def render(self, template: str, page: str, lang: str, other: str, **context: Any) -> bytes:
        return render_page(
            template,
            page,
            lang,
            {
                "version": __version__,
                "serve": self.serve,
                "other": other,
                "page_for": lambda iri: self.page_for(iri, lang),
                **helpers(lambda iri: self.page_for(iri, lang), lambda target: relative(target, page), words()[lang]),
                **context,
            },
        )


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def home_pages(site: Site, lang: str, drawings: Sequence[Drawing], markup: Sequence[str]) -> dict[str, bytes]:
    """The home page, the A–Z of concepts and a page per view, in ``lang``."""
    kg, specs = site.kg, view_specs()
    kinds = _kinds(site, lang)
    counted = kg.query(internal_query("site-stats")).records()[0]
    stats = {
        "concepts": len(site.pages_of),
        "sources": int(counted["sources"]),
        "claims": int(counted["claims"]),
        "triples": len(kg),
    }
    views = []
    files: dict[str, bytes] = {}
    for drawing, svg in zip(drawings, markup, strict=True):
        if drawing.lang != lang:
            continue
        spec = specs[drawing.stem]
        summary = spec.summary.get(lang) or spec.description.get(lang, "")
        views.append({"name": drawing.stem, "title": drawing.title, "summary": summary})
        page = path_of("view", lang, drawing.stem)
        other = path_of("view", _other(lang), drawing.stem)
        description = spec.description.get(lang, "")
        files[page] = site.render(
            "view.html", page, lang, other, title=drawing.title, description=description, diagram=svg
        )
    home = path_of("home", lang)
    files[home] = site.render(
        "home.html", home, lang, path_of("home", _other(lang)), title=words()[lang]["home"], stats=stats,
        kinds=kinds, views=views, big_search=True,
    )  # fmt: skip
    listing = path_of("concepts", lang)
    files[listing] = site.render(
        "concepts.html", listing, lang, path_of("concepts", _other(lang)), title=words()[lang]["all_concepts"],
        kinds=kinds,
    )  # fmt: skip
    return files


def _kinds(site: Site, lang: str) -> list[dict[str, Any]]:
    """The concepts grouped by their most specific class, classes and concepts in label order."""
    labels = site.kg.labels
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in site.pages_of:
        groups[labels.kind(iri) or ""].append(iri)
    out = []
    for kind, iris in groups.items():
        label = labels.label(kind, lang) if kind else words()[lang]["concepts"]
        items = sorted(({"label": labels.label(i, lang), "path": site.page_for(i, lang)} for i in iris), key=_label_key)
        anchor = "kind-" + re.sub(r"[^a-z0-9]+", "-", kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()).strip("-")
        out.append({"label": label, "anchor": anchor, "count": len(items), "concepts": items})
    return sorted(out, key=_label_key)


def _label_key(item: dict[str, Any]) -> tuple[str, str]:
    return (str(item["label"]).casefold(), str(item["label"]))


def concept_pages(site: Site, lang: str, markup: dict[tuple[str, str], str]) -> dict[str, bytes]:
    """A page per concept in ``lang``: its card, its neighbourhood, links to its Turtle and JSON-LD."""
    files: dict[str, bytes] = {}
    for iri, slug in site.pages_of.items():
        card = concept_card(site.kg, iri, lang)
        page = path_of("concept", lang, slug)
        files[page] = site.render(
            "concept.html", page, lang, path_of("concept", _other(lang), slug), title=card.label, card=card,
            slug=slug, diagram=markup.get((iri, lang), ""), label_tags=_label_tags(card), tag_of=_tag_of,
            data_links=True,
        )  # fmt: skip
    return files


def _label_tags(card: ConceptCard) -> list[str]:
    """The language tags of a card's labels, the site's languages first."""
    return sorted(set(card.labels) | set(card.alt_labels), key=lambda t: (t not in LANGUAGES, t))


def concept_article(
    kg: KnowledgeGraph,
    iri: str,
    lang: str,
    *,
    page_for: Callable[[str], str | None],
    rel: Callable[[str], str] = str,
    diagram: str = "",
) -> str:
    """The ``<article>`` of a concept's page, for pages built elsewhere (the MkDocs plugin): the card in
    ``lang``, with ``page_for(iri)`` the link of each concept that has a page (None: plain text) passed through
    ``rel``, and ``diagram`` (inline SVG markup) as its neighbourhood."""
    card = concept_card(kg, iri, lang)
    context = {
        "lang": lang, "w": words()[lang], "card": card, "slug": "", "diagram": diagram, "label_tags": _label_tags(card),
        "tag_of": _tag_of, "data_links": False, "page_for": page_for, "rel": rel, "path_of": path_of,
        **helpers(page_for, rel, words()[lang]),
    }  # fmt: skip
    return environment().get_template("concept_body.html").render(context)


def _tag_of(tag: str) -> str:
    """The HTML ``lang`` of a label's language tag (``zh`` is Simplified in this graph).

    >>> _tag_of("zh"), _tag_of("zh-hant"), _tag_of("zh-tw"), _tag_of("en")
    ('zh-Hans', 'zh-Hant', 'zh-TW', 'en')
    """
    return {"zh": "zh-Hans", "zh-hant": "zh-Hant", "zh-tw": "zh-TW"}.get(tag, tag)


def cookbook_page(site: Site, lang: str) -> dict[str, bytes]:
    """Every shipped query with its real results, its IRIs linked to their pages."""
    page = path_of("cookbook", lang)
    queries = []
    for name, query in named_queries().items():
        result = site.kg.query(query.text, lang=lang)
        rows = [
            [{"text": cell(term), "href": _href(site, term, lang)} for term in row]
            for row in result.rows
        ]  # fmt: skip
        queries.append(
            {"name": name, "description": query.description, "text": query.text.strip(), "variables": result.variables,
             "rows": rows}
        )  # fmt: skip
    return {
        page: site.render(
            "cookbook.html",
            page,
            lang,
            path_of("cookbook", _other(lang)),
            title=words()[lang]["cookbook"],
            queries=queries,
        )
    }


def _href(site: Site, term: object, lang: str) -> str | None:
    return site.page_for(str(term), lang) if isinstance(term, URIRef) else None


def data_files(site: Site) -> dict[str, bytes]:
    """Beside each concept's language-neutral page (which sends a browser on to its language): the concept as
    Turtle and as JSON-LD: its statements and the claims and ownership records about it."""
    files: dict[str, bytes] = {}
    text = internal_query("concept-description")
    labels = site.kg.labels
    for iri, slug in site.pages_of.items():
        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in site.kg.query(text, concept_iri=iri).triples:
            graph.add(triple)
        files[path_of("data", None, f"{slug}.ttl")] = graph.serialize(format="turtle").encode("utf-8")
        context = {prefix: namespace for prefix, namespace in PREFIXES.items()}
        jsonld = json.loads(graph.serialize(format="json-ld", context=context))
        files[path_of("data", None, f"{slug}.jsonld")] = (
            json.dumps(_in_order(jsonld), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        page_labels = {lang: labels.label(iri, lang) for lang in LANGUAGES}
        files[path_of("data", None, f"{slug}.html")] = render_page(
            "redirect.html", path_of("data", None, f"{slug}.html"), "en", {"labels": page_labels, "slug": slug}
        )
    return files


def _page_in(site: Site, lang: str, iri: str) -> str | None:
    return site.page_for(iri, lang)


def _in_order(node: Any) -> Any:
    """JSON-LD with every array sorted (RDF has no order; rdflib's follows the hash seed): the same graph
    gives the same bytes. ``@list`` arrays, which do have an order, are kept.

    >>> _in_order({"@graph": [{"@id": "b"}, {"@id": "a", "x": [2, 1]}], "l": {"@list": [2, 1]}})
    {'@graph': [{'@id': 'a', 'x': [1, 2]}, {'@id': 'b'}], 'l': {'@list': [2, 1]}}
    """
    if isinstance(node, dict):
        return {k: (v if k == "@list" else _in_order(v)) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_in_order(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def root_files(site: Site, langs: Sequence[str]) -> dict[str, bytes]:
    """The language chooser at the root, the assets and each language's search index."""
    names = {lang: words()[lang]["site_name"] for lang in LANGUAGES}
    files = {
        "index.html": render_page(
            "root.html", "index.html", "en", {"names": names, "langs": [(lang, LANG_TAG[lang]) for lang in langs]}
        )
    }
    folder = resources.files("virtgraph.site").joinpath("assets")
    for name in ASSETS:
        files[f"assets/{name}"] = folder.joinpath(name).read_bytes()
    for lang in langs:
        index = search_index(site.kg, lang, functools.partial(_page_in, site, lang))
        files[f"assets/search-index.{lang}.js"] = index_script(index)
    return files
