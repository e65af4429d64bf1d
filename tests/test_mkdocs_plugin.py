"""The MkDocs plugin (``virtgraph/mkdocs_plugin.py``): markers on a string, and ``mkdocs build --strict`` of the
example project (examples/mkdocs) with the default theme and with mkdocs-material, checked page by page.

Each build copies the example into a temporary folder and builds there; nothing is written in the repository.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from virtgraph.errors import UsageError
from virtgraph.mkdocs_plugin import Embed, query_table, read_markers, replace_markers, theme_dark_mode

from .support.mkdocs_example import BUILDS, copy_example, mkdocs_build, shared_example

# --- markers on a string -----------------------------------------------------------------------------------------


def test_markers_are_read_with_their_lines_language_and_options():
    text = (
        "# 标题\n\n虚拟化技术按层次分为全虚拟化、半虚拟化、硬件辅助虚拟化和操作系统级虚拟化，下图画出它们的关系：\n\n"
        "<!-- virtgraph:view taxonomy -->\n![old](x.svg)\n<!-- /virtgraph -->\n\n"
        "<!-- virtgraph:view concept concept=KVM depth=2 lang=en -->\n<!-- /virtgraph -->\n"
    )
    first, second = read_markers(text, "a.md")
    assert first == Embed("view", "taxonomy", "zh", (), "svg", 5, text.index("<!-- virtgraph:view taxonomy"),
                          text.index("<!-- /virtgraph -->") + len("<!-- /virtgraph -->"))  # fmt: skip
    assert (second.name, second.lang, second.params, second.line) == (
        "concept", "en", (("concept", "KVM"), ("depth", "2")), 9
    )  # fmt: skip
    assert read_markers(text, "a.md", lang="en")[0].lang == "en"  # the plugin's lang= replaces the guess


def test_replacing_markers_keeps_every_other_byte_and_skips_code():
    text = (
        "Intro\r\n\r\n<!-- virtgraph:query synonyms lang=en -->\r\nstale\r\n<!-- /virtgraph -->\r\n\r\n"
        "```markdown\r\n<!-- virtgraph:view eras -->\r\n<!-- /virtgraph -->\r\n```\r\n"
    )
    embeds = read_markers(text, "a.md")
    assert [(e.kind, e.name) for e in embeds] == [("query", "synonyms")]
    out = replace_markers(text, embeds, lambda e: f"<div>{e.name}</div>")
    assert out == text.replace("<!-- virtgraph:query synonyms lang=en -->\r\nstale\r\n<!-- /virtgraph -->",
                               "\n<div>synonyms</div>\n")  # fmt: skip


def test_a_block_in_a_list_item_or_quote_stays_there():
    text = (
        "- item\n\n    <!-- virtgraph:view eras -->\n    <!-- /virtgraph -->\n\n> <!-- virtgraph:view eras -->\n> x\n"
    )
    text += "> <!-- /virtgraph -->\nText <!-- virtgraph:view eras -->\n<!-- /virtgraph -->\n"
    out = replace_markers(text, read_markers(text, "a.md", "en"), lambda e: "<figure>\n<svg/>\n</figure>")
    assert out == (
        "- item\n\n    \n    <figure>\n    <svg/>\n    </figure>\n    \n\n"
        "> \n> <figure>\n> <svg/>\n> </figure>\n> \n"
        "Text \n<figure>\n<svg/>\n</figure>\n\n"
    )


def test_views_not_chosen_are_left_as_written():
    text = "<!-- virtgraph:view eras -->\n![eras](eras.en.svg)\n<!-- /virtgraph -->\n"
    assert read_markers(text, "a.md", "en", views=["taxonomy"]) == []
    assert replace_markers(text, read_markers(text, "a.md", "en", views=["taxonomy"]), str) == text


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("<!-- virtgraph:view taxonomyy -->", "docs/a.md:3: unknown view 'taxonomyy'; shipped: benefits, concept,"),
        ("<!-- virtgraph:query nope -->", "docs/a.md:3: unknown query 'nope'; shipped: "),
        ("<!-- virtgraph:view eras format=png -->", "docs/a.md:3: format=png cannot be inlined by the MkDocs plugin"),
        ("<!-- virtgraph:view concept -->", "docs/a.md:3: view 'concept' needs concept=TERM in the marker"),
        ("<!-- virtgraph:view eras depth=2 -->", "docs/a.md:3: option depth= applies only to a view of one concept"),
        ("<!-- virtgraph:view eras lang=fr -->", "docs/a.md:3: unknown language 'fr' in marker; choose zh or en"),
        ("<!-- virtgraph:view eras colour=red -->", "docs/a.md:3: unknown option 'colour' in a view marker"),
    ],
)
def test_bad_markers_name_page_and_line(marker, message):
    with pytest.raises(UsageError) as error:
        read_markers(f"# T\n\n{marker}\n<!-- /virtgraph -->\n", "docs/a.md", "en")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_an_unclosed_marker_names_page_and_line():
    with pytest.raises(UsageError, match=r"^docs/a\.md:2: virtgraph marker is never closed with <!-- /virtgraph -->$"):
        read_markers("x\n<!-- virtgraph:view eras -->\n", "docs/a.md")


def test_dark_colours_follow_the_theme_scheme():
    style = '<style>@media (prefers-color-scheme: dark){#d [fill="#fff"]{fill:#111}#d text,#d a{fill:#eee}}</style>'
    assert theme_dark_mode(style, "mkdocs") == (
        '<style>[data-bs-theme="dark"] #d [fill="#fff"]{fill:#111}'
        '[data-bs-theme="dark"] #d text,[data-bs-theme="dark"] #d a{fill:#eee}</style>'
    )
    assert theme_dark_mode(style, "readthedocs") == style  # a theme without a known switch follows the system


def test_query_table_has_the_real_results(kg_fast):
    markup = query_table(kg_fast, "products-by-hypervisor-type", "en", "table", lambda iri: None)
    rows = re.findall(r"<tr>(.*?)</tr>", markup)
    assert "<th>type</th><th>product</th><th>alsoClaimedAs</th>" in rows[0]
    assert "<td>Type 2 hypervisor</td><td>KVM</td><td>Type 1 hypervisor</td>" in rows
    assert "<td>Type 1 hypervisor</td><td>KVM</td><td>Type 2 hypervisor</td>" in rows
    assert "<summary>SPARQL: <code>products-by-hypervisor-type</code></summary>" in markup


# --- mkdocs build --strict on the example ---------------------------------------------------------------------------


@pytest.mark.dot
@pytest.mark.parametrize("kind", list(BUILDS))
def test_the_example_builds_strict_and_shows_the_graph(kind, tmp_path_factory):
    """One build per theme (a build takes seconds: each is checked whole, by the checks below; the browser checks
    in ``tests/browser/test_mkdocs_site.py`` read the same builds)."""
    built = shared_example(tmp_path_factory.getbasetemp(), kind)
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output
    for check in CHECKS:
        check((kind, built.project / "site"))


def page_file(site: Path, url: str) -> Path:
    """The file a relative URL of the built site names (a folder URL: its index.html)."""
    path = site / url.split("#")[0]
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def concept_page(site: Path, kind: str, lang: str, slug: str) -> Path:
    return site / "concepts" / lang / (f"{slug}.html" if kind == "html-urls" else f"{slug}/index.html")


class Links(HTMLParser):
    """Every href and src of a page, and which of them lie inside an inline SVG diagram."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.svg_links: list[str] = []
        self.images: list[str] = []
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self._svg += tag == "svg"
        for key in ("href", "src"):
            if values.get(key):
                self.links.append(values[key] or "")
        if tag == "a" and self._svg and values.get("href"):
            self.svg_links.append(values["href"] or "")
        if tag == "img":
            self.images.append(values.get("src") or "")

    def handle_endtag(self, tag):
        self._svg -= tag == "svg"


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def node_href(html: str, scope: str, node: str) -> str:
    """The link of ``node`` (its id, e.g. vgc-kvm) in the inline diagram ``scope``."""
    found = re.search(rf'<g id="{scope}-{node}" class="node">.*?<a [^>]*?\bhref="([^"]+)"', html, re.DOTALL)
    assert found, f"{node} in {scope} is no link"
    return found.group(1)


def check_marker_becomes_inline_svg_whose_kvm_node_links_to_the_kvm_page(built):
    kind, site = built
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    assert len(re.findall(r'<svg [^>]*class="virtgraph-diagram"', html)) == 3  # taxonomy (zh), eras, KVM (en)
    assert links_of(index).images == []  # inline, not <img>
    assert '<figure class="virtgraph-diagram">' in html
    href = node_href(html, "d-taxonomy-zh", "vgc-kvm")
    kvm = page_file(site, posixpath.normpath(href))
    assert kvm == concept_page(site, kind, "zh", "kvm")
    assert re.search(r"<h1>\s*KVM\s*</h1>", kvm.read_text(encoding="utf-8"))
    eras = html[html.index('id="d-eras-en"') : html.index("</svg>", html.index('id="d-eras-en"'))]
    hardware = re.search(r'href="([^"]+)"[^>]*aria-label="Hardware', eras)  # a stack layer links to its concept
    assert hardware and page_file(site, posixpath.normpath(hardware.group(1))) == concept_page(
        site, kind, "en", "hardware"
    )
    qemu = node_href(html, "d-concept-kvm-en", "vgc-qemu")
    assert page_file(site, posixpath.normpath(qemu)) == concept_page(site, kind, "en", "qemu")
    assert "virtgraph-slot" not in html


def claims(page: Path) -> list[str]:
    """The text of each disputed claim of a concept page."""
    html = page.read_text(encoding="utf-8")
    section = html[html.index('class="claims"') : html.index("</section>", html.index('class="claims"'))]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def check_kvm_page_shows_both_hypervisor_type_claims_with_their_sources(built):
    kind, site = built
    en = claims(concept_page(site, kind, "en", "kvm"))
    assert any("Type 1 hypervisor" in c and "Sources: Red Hat: What is KVM? [H]" in c for c in en)
    assert any("Type 2 hypervisor" in c and "Sources: Source document: classification" in c for c in en)
    zh = claims(concept_page(site, kind, "zh", "kvm"))
    assert any("1型虚拟化" in c and "来源: Red Hat: What is KVM?" in c for c in zh)
    assert any("2型虚拟化" in c and "来源: 源文档：分类" in c for c in zh)


def check_concept_pages_in_both_languages_link_to_each_other(built):
    kind, site = built
    zh, en = concept_page(site, kind, "zh", "paravirtualization"), concept_page(site, kind, "en", "paravirtualization")
    assert re.search(r"<h1>\s*半虚拟化\s*</h1>", zh.read_text(encoding="utf-8"))
    assert re.search(r"<h1>\s*Paravirtualization\s*</h1>", en.read_text(encoding="utf-8"))
    switch = re.search(r'<p class="virtgraph-switch"><a href="([^"]+)" hreflang="en">English</a>', zh.read_text())
    assert switch and (zh.parent / switch.group(1)).resolve() in (en.resolve(), en.parent.resolve())
    diagram = links_of(en).svg_links  # its neighbourhood, every node a link to a page of its language
    assert diagram and all(page_file(en.parent, link).resolve().is_relative_to(site / "concepts" / "en")
                           for link in diagram)  # fmt: skip


def check_every_internal_link_of_the_built_site_resolves(built):
    _, site = built
    checked = 0
    for page in site.rglob("*.html"):
        for link in links_of(page).links:
            if re.match(r"^([a-z][a-z0-9+.-]*:|//|#|\?)", link) or page.name == "404.html":
                continue
            target = page_file(page.parent, link.split("?")[0])
            assert target.exists(), f"{page.relative_to(site)} links to {link}: not in the site"
            checked += 1
    assert checked > 5000  # 203 concepts in two languages, each with dozens of links


def check_the_concept_index_lists_every_concept_and_is_in_the_nav(built):
    kind, site = built
    index = site / "concepts" / "en" / "index.html"
    assert re.search(r"<h1[^>]*>All concepts", index.read_text(encoding="utf-8"))
    pages = set((site / "concepts" / "en").rglob("*.html")) - {index}
    slugs = {p.stem if kind == "html-urls" else p.parent.name for p in pages}
    linked = {posixpath.basename(posixpath.normpath(link)).removesuffix(".html") for link in links_of(index).links}
    assert len(slugs) > 150 and slugs <= linked
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = "concepts/en/index.html" if kind == "html-urls" else "concepts/en/"
    navigation = home.split("<svg", 1)[0]  # both themes put the navigation before the page's content
    assert f'href="{nav}"' in navigation  # the index is in the navigation, the 203 pages are not
    assert 'href="concepts/en/kvm' not in navigation


def check_query_marker_is_a_table_of_real_results(built):
    _, site = built
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<td>Type 2 hypervisor</td><td>KVM</td><td>Type 1 hypervisor</td>" in html


def check_diagrams_follow_the_theme_dark_scheme(built):
    kind, site = built
    html = (site / "index.html").read_text(encoding="utf-8")
    selector = '[data-md-color-scheme="slate"]' if kind == "material" else '[data-bs-theme="dark"]'
    assert f'{selector} #d-taxonomy-zh [fill="#' in html
    assert "prefers-color-scheme" not in html.split('class="virtgraph-diagram"', 1)[1]
    assert (site / "assets" / "virtgraph.css").is_file()
    assert 'href="assets/virtgraph.css"' in html


CHECKS = [
    check_marker_becomes_inline_svg_whose_kvm_node_links_to_the_kvm_page,
    check_kvm_page_shows_both_hypervisor_type_claims_with_their_sources,
    check_concept_pages_in_both_languages_link_to_each_other,
    check_every_internal_link_of_the_built_site_resolves,
    check_the_concept_index_lists_every_concept_and_is_in_the_nav,
    check_query_marker_is_a_table_of_real_results,
    check_diagrams_follow_the_theme_dark_scheme,
]


# --- failures: one clear line ---------------------------------------------------------------------------------------


def small_project(folder: Path, page: str, plugin: dict[str, object] | None = None) -> Path:
    """A project of one page, the plugin without concept pages (unless ``plugin`` says otherwise)."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = {"site_name": "t", "plugins": [{"virtgraph": {"concepts": False, **(plugin or {})}}]}
    (folder / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return folder


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("view taxonomyy", "virtgraph: index.md:5: unknown view 'taxonomyy'; shipped: benefits, concept, containers,"),
        ("view concept concept=NoSuchThing lang=en", "virtgraph: index.md:5: no concept is called 'NoSuchThing'"),
        ("view concept concept=KVM depth=9", "virtgraph: index.md:5: marker option depth=9 must be a whole number"),
    ],
)
def test_a_bad_marker_fails_the_strict_build_with_one_line(tmp_path, marker, message):
    project = small_project(tmp_path, f"# T\n\nText\n\n<!-- virtgraph:{marker} -->\n<!-- /virtgraph -->\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if message in line]
    assert len(errors) == 1 and errors[0].startswith("ERROR"), result.stdout
    assert "Traceback" not in result.stdout
    assert not (project / "site" / "index.html").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"views": ["taxonomy", "nope"]}, "option 'views': unknown view 'nope'; shipped: benefits,"),
        ({"concept_path": "../elsewhere"}, "option 'concept_path': '../elsewhere' is not a folder inside the docs"),
        ({"lang": "fr"}, "option 'lang': Expected one of: ('zh', 'en') but received: 'fr'"),
        ({"concept_langs": ["zh", "de"]}, "option 'concept_langs': Expected one of: ('zh', 'en') but received: 'de'"),
        ({"ontology": "missing.ttl"}, "option 'ontology': The path '"),
        ({"endpoint": "not a url"}, "option 'endpoint': "),
    ],
)
def test_config_errors_are_named(tmp_path, option, message):
    result = mkdocs_build(small_project(tmp_path, "# T\n", option))
    assert result.returncode == 1
    assert f"Config value 'plugins': Plugin 'virtgraph' {message}" in result.stdout, result.stdout
    assert "Traceback" not in result.stdout


def test_a_page_the_plugin_makes_may_not_exist_already(tmp_path):
    project = small_project(tmp_path, "# T\n")
    (project / "docs" / "assets").mkdir()
    (project / "docs" / "assets" / "virtgraph.css").write_text("/* mine */", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "virtgraph: the docs already hold assets/virtgraph.css, a file the plugin makes" in result.stdout


def test_markers_of_views_not_chosen_stay_as_written(tmp_path):
    page = "# T\n\n<!-- virtgraph:view eras -->\n![eras](eras.svg)\n<!-- /virtgraph -->\n"
    project = small_project(tmp_path, page, {"views": ["taxonomy"]})
    (project / "docs" / "eras.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<img alt="eras" src="eras.svg" />' in html and "<svg" not in html.split("<body", 1)[1]


@pytest.mark.dot
def test_a_second_build_in_one_process_gives_the_same_site(tmp_path):
    """``mkdocs serve`` rebuilds in the same process: what the plugin keeps per graph (drawings, cards, inline SVG)
    gives the same pages as the first build, the placeholders of the second build included."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = copy_example(tmp_path / "example")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as settings:
        settings.write("use_directory_urls: false\n")  # (what is kept depends on it: not the other builds' pages)
    sites = [tmp_path / "first", tmp_path / "second"]
    for site in sites:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True))
    pages = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*.html"))
    assert len(pages) > 400 and pages == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*.html"))
    for page in pages:
        first, second = ((site / page).read_text(encoding="utf-8") for site in sites)
        assert re.sub(r"Build Date UTC : .*", "", first) == re.sub(r"Build Date UTC : .*", "", second), page
    assert "virtgraph-slot" not in (sites[1] / "concepts" / "zh" / "kvm.html").read_text(encoding="utf-8")


@pytest.mark.server
@pytest.mark.dot
def test_the_graph_can_come_from_an_endpoint(tmp_path, server):
    """``endpoint:`` reads the graph from a SPARQL server (each real one in turn): same tables, same diagrams."""
    page = (
        "# T\n\n<!-- virtgraph:query products-by-hypervisor-type lang=en -->\n<!-- /virtgraph -->\n\n"
        "<!-- virtgraph:view concept concept=KVM lang=en -->\n<!-- /virtgraph -->\n"
    )
    project = small_project(tmp_path, page, {"endpoint": server.url, "concepts": True, "concept_langs": ["en"]})
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "<td>Type 2 hypervisor</td><td>KVM</td><td>Type 1 hypervisor</td>" in html
    assert node_href(html, "d-concept-kvm-en", "vgc-qemu") == "concepts/en/qemu/"
    assert any(
        "Red Hat: What is KVM?" in c for c in claims(project / "site" / "concepts" / "en" / "kvm" / "index.html")
    )


@pytest.mark.dot
def test_the_same_diagram_twice_on_a_page_keeps_ids_unique(tmp_path):
    marker = "<!-- virtgraph:view hypervisor-type1 lang=en -->\n<!-- /virtgraph -->\n"
    project = small_project(tmp_path, f"# T\n\n{marker}\nAgain:\n\n{marker}")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<svg [^>]*\bid="([^"]+)"', html) == ["d-hypervisor-type1-en", "d-hypervisor-type1-en-2"]
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'href="' not in html.split("<svg", 1)[1].split("</svg>")[0]  # no concept pages: nodes link nowhere


def test_bad_turtle_fails_the_build_with_one_line(tmp_path):
    malformed = Path(__file__).parent / "data" / "malformed.ttl"
    result = mkdocs_build(small_project(tmp_path, "# T\n", {"ontology": str(malformed)}))
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR   -  virtgraph: {malformed}:3: malformed Turtle: Parser error between line 3 column 11 "
                      "and line 5 column 1: Unexpected end of file"], result.stdout  # fmt: skip
