"""The MkDocs plugin (``plugins: [virtgraph]``): the graph's diagrams and concept pages inside an MkDocs site.

During ``mkdocs build`` (and ``mkdocs serve``):

* every ``<!-- virtgraph:view NAME k=v ... -->`` … ``<!-- /virtgraph -->`` block of a page (the markers of
  ``virtgraph docs``) becomes the diagram as inline SVG, each concept node a link to its concept page; every
  ``<!-- virtgraph:query NAME -->`` block becomes the query's real results as a table, IRIs linked the same way;
* a page per concept and language (the concept card, its neighbourhood diagram) and an index per language are
  added under ``concept_path``, and a stylesheet for the default theme and mkdocs-material (light and dark).

Markdown never sees a diagram: a view marker becomes a placeholder, and once every page is read (``on_env``)
all diagrams of the site are laid out in one batch of ``dot`` runs (kept between builds in the layout cache of
``virtgraph site``) and put in place. Links inside the diagrams, tables and concept pages are raw HTML, which
MkDocs neither rewrites nor checks, so they are written as the final relative URLs of the built pages
(``use_directory_urls`` respected). A marker MkDocs cannot build is a :class:`~mkdocs.exceptions.PluginError`
naming the page and line, so ``mkdocs build --strict`` stops with one line. See docs/mkdocs-plugin.md.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from rdflib.term import URIRef

from .documents import document_language, marker_options
from .drawing import Drawing, draw
from .errors import UsageError, VirtgraphError
from .finish import finished_tree
from .formats import cell, format_result
from .graph import KnowledgeGraph
from .labels import LANGUAGES
from .linking import inline_svg, link_targets, scope_css
from .markdown import MARKER_CLOSE, MARKER_OPEN, apply_edits, scan_markers
from .site.build import site_concepts
from .site.content import concept_article
from .site.diagrams import scope_of
from .site.layouts import Layouts, default_cache_dir
from .site.pages import concept_slug, words
from .sparql import named_queries
from .store import QueryResult, Term
from .viewspec import view_specs

log = logging.getLogger("mkdocs.plugins.virtgraph")

#: Where the plugin's stylesheet goes in the site.
STYLESHEET = "assets/virtgraph.css"
#: The selector of each theme's dark scheme: the diagrams' dark colours follow the site's switch, not the OS.
DARK_SCHEME = {"material": '[data-md-color-scheme="slate"]', "mkdocs": '[data-bs-theme="dark"]'}
_SLOT = re.compile(r"(?:<p>)?<!-- virtgraph-slot (\d+) -->(?:</p>)?")  # (in a paragraph inside a list item)
_DARK_MEDIA = re.compile(r"@media \(prefers-color-scheme: dark\)\{(.*)\}", re.DOTALL)
_CONTAINER = re.compile(r"[ \t>]*")  # what a line inside list items and quotes starts with
_DIAGRAM = "<!-- virtgraph-neighbourhood -->"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')
_LINE = re.compile(r"^line (\d+): ")


class _Views(c.ListOfItems[str]):
    """A list of shipped view names."""

    def __init__(self) -> None:
        super().__init__(c.Type(str))

    def run_validation(self, value: object) -> list[str]:
        names = super().run_validation(value)
        known = view_specs()
        for name in names:
            if name not in known:
                raise c.ValidationError(f"unknown view {name!r}; shipped: {', '.join(known)}")
        return names


class _FolderName(c.Type[str]):
    """A folder inside the docs, as a relative POSIX path without ``..``."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        path = super().run_validation(value).strip("/")
        if not path or any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
            raise c.ValidationError(f"{value!r} is not a folder inside the docs (e.g. concepts or reference/concepts)")
        return path


class VirtgraphConfig(base.Config):  # type: ignore[no-untyped-call]  # (mkdocs's __init_subclass__)
    """The plugin's options in ``mkdocs.yml`` (see docs/mkdocs-plugin.md)."""

    ontology = c.Optional(c.FilesystemObject(exists=True))
    endpoint = c.Optional(c.URL())
    lang = c.Optional(c.Choice(LANGUAGES))
    concepts = c.Type(bool, default=True)
    concept_path = _FolderName("concepts")
    concept_langs = c.ListOfItems(c.Choice(LANGUAGES), default=list(LANGUAGES))
    views = c.Optional(_Views())
    cache = c.Type(bool, default=True)


# --- markers, on a string --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Embed:
    """One checked marker block: what it shows (``kind``, ``name``, ``lang``, ``params``, ``fmt``), the line it
    opens on and the ``[start, end)`` of the whole block, both markers included."""

    kind: str  # view | query
    name: str
    lang: str
    params: tuple[tuple[str, str], ...]
    fmt: str
    line: int
    start: int
    end: int


def read_markers(text: str, where: str, lang: str | None = None, views: Collection[str] | None = None) -> list[Embed]:
    """Every marker block of ``text`` (code blocks skipped), checked; an error is a
    :class:`~virtgraph.errors.UsageError` naming ``where`` and the line. ``lang`` is the language of a marker
    without ``lang=`` (None: the text's own, as ``virtgraph docs`` decides); a view marker whose view is not in
    ``views`` (None: all) is left out, so its block stays as written."""
    try:
        markers = scan_markers(text)
    except UsageError as exc:
        raise UsageError(_LINE.sub(lambda m: f"{where}:{m.group(1)}: ", str(exc))) from None
    default = lang or document_language(text)
    embeds = []
    for marker in markers:
        here = f"{where}:{marker.line}"
        if marker.kind == "view":
            specs = view_specs()
            if marker.name not in specs:
                raise UsageError(f"{here}: unknown view {marker.name!r}; shipped: {', '.join(specs)}")
            if views is not None and marker.name not in views:
                continue
        elif marker.name not in named_queries():
            raise UsageError(f"{here}: unknown query {marker.name!r}; shipped: {', '.join(named_queries())}")
        one_concept = marker.kind == "view" and _needs_concept(marker.name)
        options = _checked(here, marker.kind, marker.name, marker_options(here, marker, one_concept))
        start = next(m.start() for m in MARKER_OPEN.finditer(text) if m.end() == marker.body.start)
        close = MARKER_CLOSE.match(text, marker.body.end)
        assert close is not None  # scan_markers ended the body at a closing marker
        params = tuple(sorted((k, v) for k, v in options.items() if k in ("concept", "depth", "max_nodes")))
        fmt = options.get("format", "svg" if marker.kind == "view" else "table")
        embeds.append(
            Embed(marker.kind, marker.name, options.get("lang", default), params, fmt, marker.line, start, close.end())
        )
    return embeds


def _needs_concept(name: str) -> bool:
    spec = view_specs().get(name)
    return spec is not None and spec.needs_concept


def _checked(here: str, kind: str, name: str, options: dict[str, str]) -> dict[str, str]:
    """What :func:`~virtgraph.documents.marker_options` leaves to the caller: the language, the format (the plugin
    inlines SVG) and the concept of a view of one concept."""
    if options.get("lang", LANGUAGES[0]) not in LANGUAGES:
        raise UsageError(f"{here}: unknown language {options['lang']!r} in marker; choose zh or en")
    fmt = options.get("format")
    if kind == "view" and fmt not in (None, "svg"):
        raise UsageError(f"{here}: format={fmt} cannot be inlined by the MkDocs plugin; leave it out (svg)")
    if kind == "query" and fmt not in (None, "table", "json", "csv", "tsv"):
        raise UsageError(f"{here}: unknown format {fmt!r}; choose one of: table, json, csv, tsv")
    if kind == "view" and _needs_concept(name) and not options.get("concept"):
        raise UsageError(f"{here}: view {name!r} needs concept=TERM in the marker")
    return options


def replace_markers(text: str, embeds: list[Embed], markup: Callable[[Embed], str]) -> str:
    """``text`` with each block of ``embeds`` replaced by ``markup(embed)``, a raw HTML block of its own (a
    blank line before and after, so Markdown passes it through untouched). A block inside a list item or a
    quote stays there: each line gets the indentation or ``>`` the marker's line had.

    >>> text = "# T\\n\\n> <!-- virtgraph:query synonyms -->\\n> old\\n> <!-- /virtgraph -->\\n"
    >>> replace_markers(text, read_markers(text, "a.md", "en"), lambda e: f"<div>\\n{e.name} {e.lang}\\n</div>")
    '# T\\n\\n> \\n> <div>\\n> synonyms en\\n> </div>\\n> \\n'
    """
    edits = []
    for embed in embeds:
        prefix = text[text.rfind("\n", 0, embed.start) + 1 : embed.start]
        prefix = prefix if _CONTAINER.fullmatch(prefix) else ""
        edits.append((embed.start, embed.end, f"\n{prefix}".join(["", *markup(embed).split("\n"), ""])))
    return apply_edits(text, edits)


def query_table(kg: KnowledgeGraph, name: str, lang: str, fmt: str, href: Callable[[str], str | None]) -> str:
    """The results of shipped query ``name`` in ``lang`` as HTML: a table (``fmt`` ``table``, see
    :func:`result_table`) or the text of the other formats, with the query's description above and its SPARQL
    text folded beneath."""
    query = named_queries()[name]
    result = kg.query(query.text, lang=lang)
    if fmt == "table":
        body = result_table(result, href)
    else:
        body = f"<pre><code>{html.escape(format_result(result, fmt).rstrip())}</code></pre>"
    sparql = html.escape(query.text.strip())
    return (
        f'<div class="virtgraph-query"><p class="virtgraph-caption">{html.escape(query.description)}</p>\n{body}\n'
        f"<details><summary>SPARQL: <code>{html.escape(name)}</code></summary><pre><code>{sparql}</code></pre>"
        "</details></div>"
    )


def result_table(result: QueryResult, href: Callable[[str], str | None]) -> str:
    """``result`` as an HTML table: cells as ``virtgraph query`` shows them, each IRI that has a page
    (``href(iri)``) a link to it.

    >>> from rdflib import Literal
    >>> kvm = URIRef("https://w3id.org/virtgraph/concept/kvm")
    >>> table = result_table(QueryResult("SELECT", ["c", "n"], [(kvm, Literal("<KVM>"))]), {str(kvm): "kvm/"}.get)
    >>> table.split("<tbody>")[1]
    '<tr><td><a href="kvm/">vgc:kvm</a></td><td>&lt;KVM&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{html.escape(v)}</th>" for v in result.variables)
    rows = "".join(f"<tr>{''.join(_cell(t, href) for t in row)}</tr>" for row in result.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cell(term: Term | None, href: Callable[[str], str | None]) -> str:
    text = html.escape(cell(term))
    target = href(str(term)) if isinstance(term, URIRef) else None
    return f'<td><a href="{html.escape(target)}">{text}</a></td>' if target else f"<td>{text}</td>"


def theme_dark_mode(markup: str, theme: str | None) -> str:
    """The inline SVG ``markup`` with its dark colours switched on by ``theme``'s dark scheme (mkdocs-material's
    slate, the default theme's dark mode) instead of by the reader's system; other themes keep the system's.

    >>> theme_dark_mode('<style>@media (prefers-color-scheme: dark){#d text{fill:#fff}}</style>', "material")
    '<style>[data-md-color-scheme="slate"] #d text{fill:#fff}</style>'
    """
    selector = DARK_SCHEME.get(theme or "")
    if selector is None:
        return markup
    return _DARK_MEDIA.sub(lambda m: scope_css(m.group(1), selector), markup)


def _markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text (link text of the index pages).

    >>> _markdown_text("a_b [c] <d> & e*")
    'a\\\\_b \\\\[c\\\\] &lt;d&gt; &amp; e\\\\*'
    """
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", text)


# --- the plugin -----------------------------------------------------------------------------------------------------


@dataclass
class _Build:
    """One ``mkdocs build``: the graph, the concept pages, and the diagrams waiting for ``dot``."""

    kg: KnowledgeGraph
    layouts: Layouts
    theme: str | None
    concept_files: dict[tuple[str, str], File] = field(default_factory=dict)  # (iri, lang) → its page
    concept_pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri → (iri, lang)
    index_uris: set[str] = field(default_factory=set)
    slots: list[tuple[File, Drawing | str, bool]] = field(default_factory=list)  # drawing or HTML; in a figure?
    markup: dict[str, dict[str, str]] = field(default_factory=dict)  # src_uri → slot number → inline SVG
    where: str = ""  # what the links depend on besides the pages' own URLs (for what is kept between builds)

    def href(self, iri: str, lang: str, page: File) -> str | None:
        """The link from ``page`` to the concept page of ``iri`` in ``lang`` (None: it has none)."""
        target = self.concept_files.get((iri, lang))
        return None if target is None else target.url_relative_to(page)

    def slot(self, page: File, content: Drawing | str, figure: bool = False) -> str:
        """A placeholder on ``page`` for HTML or for a drawing (its inline SVG once all are laid out; ``figure``:
        in a ``<figure class="virtgraph-diagram">``)."""
        self.slots.append((page, content, figure))
        return f"<!-- virtgraph-slot {len(self.slots) - 1} -->"


class VirtgraphPlugin(BasePlugin[VirtgraphConfig]):  # type: ignore[no-untyped-call]
    """``plugins: [virtgraph]``: markers become inline, linked diagrams and tables; concept pages are added."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._build: _Build | None = None

    @property
    def build(self) -> _Build:
        if self._build is None:
            raise PluginError("virtgraph: the plugin's on_files event has not run")
        return self._build

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._build = None
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        layouts = Layouts(default_cache_dir() if self.config.cache else None, log.info)
        self._build = _Build(self._open_graph(), layouts, config.theme.name)
        options = (self.config.concepts, self.config.concept_path, self.config.concept_langs)
        self._build.where = f"{options} {config.use_directory_urls} {config.theme.name}"
        css = resources.files("virtgraph").joinpath("mkdocs_plugin.css").read_text(encoding="utf-8")
        _add(files, File.generated(config, STYLESHEET, content=css))
        if self.config.concepts:
            self._add_concept_pages(files, config)
        return files

    def _open_graph(self) -> KnowledgeGraph:
        try:
            if self.config.endpoint:
                from .endpoint import connect

                return connect(self.config.endpoint)
            from .graph import load

            return load(self.config.ontology, cache=self.config.cache)
        except VirtgraphError as exc:
            raise PluginError(f"virtgraph: {exc}") from None

    def _add_concept_pages(self, files: Files, config: MkDocsConfig) -> None:
        build, folder = self.build, self.config.concept_path
        iris = site_concepts(build.kg)
        for lang in dict.fromkeys(self.config.concept_langs):
            for iri in iris:
                uri = f"{folder}/{lang}/{concept_slug(iri)}.md"
                title = _front_matter(build.kg.labels.label(iri, lang))
                page = File.generated(config, uri, content=title, inclusion=InclusionLevel.NOT_IN_NAV)
                build.concept_files[(iri, lang)] = _add(files, page)
                build.concept_pages[uri] = (iri, lang)
            others = [other for other in self.config.concept_langs if other != lang]
            index = File.generated(
                config, f"{folder}/{lang}/index.md", content=index_page(build.kg, iris, lang, others)
            )
            build.index_uris.add(_add(files, index).src_uri)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Without a ``nav`` in ``mkdocs.yml``, each language's concept index stands in for its folder's section
        (the concept pages themselves are reached from the index, not listed)."""
        if config.nav is None and self._build is not None:
            _flatten(nav.items, None, self._build.index_uris)
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        build, uri = self.build, page.file.src_uri
        if uri in build.concept_pages:
            return self._concept_markdown(page, *build.concept_pages[uri])
        try:
            embeds = read_markers(markdown, uri, self.config.lang, self.config.views)
            return replace_markers(markdown, embeds, lambda embed: self._embed(embed, page, uri))
        except VirtgraphError as exc:
            raise PluginError(f"virtgraph: {exc}") from None

    def _embed(self, embed: Embed, page: Page, uri: str) -> str:
        """A placeholder for the marker's diagram or table: Markdown never sees the markup (see ``on_post_page``)."""
        build = self.build
        if embed.kind == "query":
            href = functools.partial(build.href, lang=embed.lang, page=page.file)
            return build.slot(page.file, query_table(build.kg, embed.name, embed.lang, embed.fmt, href), figure=False)
        params = dict(embed.params)
        depth, max_nodes = params.get("depth"), params.get("max_nodes")
        try:
            drawing = build.kg.memo(
                f"mkdocs-drawing {embed.name} {embed.lang} {embed.params}",
                lambda: draw(
                    build.kg, embed.name, embed.lang, concept=params.get("concept"), depth=int(depth or 1),
                    max_nodes=int(max_nodes) if max_nodes else None,
                ),
            )  # fmt: skip
        except VirtgraphError as exc:
            raise PluginError(f"virtgraph: {uri}:{embed.line}: {exc}") from None
        return build.slot(page.file, drawing, figure=True)

    def _concept_markdown(self, page: Page, iri: str, lang: str) -> str:
        """The concept page: its card as raw HTML (links already final), with its neighbourhood diagram."""
        build, here = self.build, page.file
        diagram = ""
        if self.config.views is None or "concept" in self.config.views:
            drawing = _neighbourhood(build.kg, iri, lang)
            diagram = build.slot(here, drawing) if drawing is not None else ""

        def page_for(other: str) -> str | None:
            target = build.concept_files.get((other, lang))
            return None if target is None else target.url

        def article() -> str:
            rel = functools.partial(_relative_to, here.url)
            return concept_article(build.kg, iri, lang, page_for=page_for, rel=rel, diagram=_DIAGRAM if diagram else "")

        # kept per graph: ``mkdocs serve`` rebuilds with the same graph while the ontology is unchanged
        key = f"mkdocs-article {build.where} {here.url} {iri} {lang} {bool(diagram)}"
        card = build.kg.memo(key, article).replace(_DIAGRAM, diagram)
        switch = [
            f'<a href="{html.escape(link)}" hreflang="{other}">{html.escape(words()[lang]["switch_to"])}</a>'
            for other in self.config.concept_langs
            if other != lang and (link := build.href(iri, other, here))
        ]
        other = f'<p class="virtgraph-switch">{" · ".join(switch)}</p>\n' if switch else ""
        return f'<div class="virtgraph-page">\n{other}{card.strip()}\n</div>\n'

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """A concept page's table of contents: the sections of its card (raw HTML, which MkDocs does not read)."""
        if self._build is not None and page.file.src_uri in self._build.concept_pages:
            page.toc = get_toc([{"level": 2, "id": i, "name": name, "children": []} for i, name in _H2.findall(html)])
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Every diagram of the site laid out in one batch, before any page is written."""
        if self._build is not None and self._build.slots:
            self._build.markup = _lay_out(self._build)
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The diagrams put in place in the page's HTML (after the search plugins read it: their index holds the
        page's text, not the diagrams' markup)."""
        markup = self._build.markup.get(page.file.src_uri) if self._build is not None else None
        return _SLOT.sub(functools.partial(_slot_markup, markup), output) if markup else output

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        """``mkdocs serve`` rebuilds when the ontology's files change too."""
        if not self.config.endpoint:
            from .ontology import default_ontology_dir

            server.watch(self.config.ontology or str(default_ontology_dir()))
        return server


def _add(files: Files, file: File) -> File:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(
            f"virtgraph: the docs already hold {file.src_uri}, a file the plugin makes; move it (or set concept_path)"
        )
    files.append(file)
    return file


def _front_matter(title: str) -> str:
    """A page's YAML front matter giving its ``title`` (JSON's string syntax is YAML's double-quoted one)."""
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"


def _neighbourhood(kg: KnowledgeGraph, iri: str, lang: str) -> Drawing | None:
    """The concept's neighbourhood (the ``concept`` view), when the view can draw it and it has neighbours; drawn
    once per graph (``mkdocs serve`` rebuilds with the same graph while the ontology is unchanged)."""
    return kg.memo(f"mkdocs-neighbourhood {iri} {lang}", lambda: _draw_neighbourhood(kg, iri, lang))


def _draw_neighbourhood(kg: KnowledgeGraph, iri: str, lang: str) -> Drawing | None:
    try:
        drawing = draw(kg, "concept", lang, concept=iri)
    except VirtgraphError:
        return None
    return drawing if drawing.graph.number_of_nodes() > 1 else None


def index_page(kg: KnowledgeGraph, iris: list[str], lang: str, others: list[str]) -> str:
    """The Markdown of a language's concept index: the concepts by kind, each a link to its page (MkDocs
    checks these links), and the index in the other languages."""
    labels, w = kg.labels, words()[lang]
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in iris:
        groups[labels.kind(iri) or ""].append(iri)
    out = [_front_matter(w["all_concepts"]), f"# {_markdown_text(w['all_concepts'])}", ""]
    if others:
        out += [" · ".join(f"[{words()[o]['lang_name']}](../{o}/index.md)" for o in others), ""]
    kinds = sorted(groups, key=lambda k: _sort_key(labels.label(k, lang) if k else w["concepts"]))
    for kind in kinds:
        members = sorted(groups[kind], key=lambda i: _sort_key(labels.label(i, lang)))
        out += [f"## {_markdown_text(labels.label(kind, lang) if kind else w['concepts'])} ({len(members)})", ""]
        out += [f"- [{_markdown_text(labels.label(i, lang))}]({concept_slug(i)}.md)" for i in members]
        out.append("")
    return "\n".join(out)


def _sort_key(label: str) -> tuple[str, str]:
    return (label.casefold(), label)


def _flatten(items: list[Any], parent: Section | None, index_uris: set[str]) -> None:
    """Replace each section holding nothing but one of ``index_uris`` by that page."""
    for position, item in enumerate(items):
        if not isinstance(item, Section):
            continue
        only = item.children[0] if len(item.children) == 1 else None
        if isinstance(only, Page) and only.file.src_uri in index_uris:
            only.parent = parent
            items[position] = only
        else:
            _flatten(item.children, item, index_uris)


def _lay_out(build: _Build) -> dict[str, dict[str, str]]:
    """The markup of every slot of ``build``, by page and slot number: HTML as it is, and each drawing as inline
    SVG (laid out in one batch, each DOT text once), linked from its own page and with ids of its own there."""
    unique = list({d.dot: d for _, d, _ in build.slots if isinstance(d, Drawing)}.values())
    try:
        svgs = dict(zip((d.dot for d in unique), build.layouts.svgs([d.dot for d in unique]), strict=True))
    except VirtgraphError as exc:
        raise PluginError(f"virtgraph: laying out the diagrams failed: {exc}") from None
    markup: dict[str, dict[str, str]] = defaultdict(dict)
    scopes: dict[tuple[str, str], int] = defaultdict(int)
    for number, (page, drawing, figure) in enumerate(build.slots):
        if not isinstance(drawing, Drawing):
            markup[page.src_uri][str(number)] = drawing
            continue
        scope = scope_of(drawing)
        scopes[(page.src_uri, scope)] += 1
        if scopes[(page.src_uri, scope)] > 1:
            scope = f"{scope}-{scopes[(page.src_uri, scope)]}"
        markup[page.src_uri][str(number)] = build.kg.memo(
            f"mkdocs-svg {build.where} {page.url} {scope} {figure} {hashlib.sha256(drawing.dot.encode()).hexdigest()}",
            functools.partial(_inline, build, page, drawing, svgs[drawing.dot], scope, figure),
        )
    return markup


def _inline(build: _Build, page: File, drawing: Drawing, svg: bytes, scope: str, figure: bool) -> str:
    """The finished SVG of ``drawing`` inlined on ``page``: its nodes linked, its ids prefixed with ``scope``."""
    tree = finished_tree(svg, drawing.graph, drawing.dot)
    targets = link_targets(drawing.graph, functools.partial(build.href, lang=drawing.lang, page=page))
    markup = theme_dark_mode(inline_svg(tree, targets, scope), build.theme)
    return f'<figure class="virtgraph-diagram">\n{markup}\n</figure>' if figure else markup


def _relative_to(page_url: str, url: str) -> str:
    return get_relative_url(url, page_url)


def _slot_markup(markup: dict[str, str], match: re.Match[str]) -> str:
    return markup.get(match.group(1), match.group(0))
