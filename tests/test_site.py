"""``virtgraph site`` (``virtgraph/site/``): what the built site holds, and how it is built, without a browser.

The shipped graph's site is built once per test run (``tests/support/site.py``, under ``PYTHONHASHSEED=0``;
the browser checks in ``tests/browser/test_site.py`` read the same build). Content: every page there, every
concept in both languages, the diagrams' links, unique ids, the KVM page's claims and sources, Turtle and JSON-LD
beside each concept, the cookbook's rows, no Python leaking into text. Building: byte-identical under two hash
seeds; an unchanged rebuild writes and draws nothing; a changed label rewrites exactly the files that show it; a
removed concept's files go. Safety: someone else's folder, a planted symlink, hostile labels and a hostile IRI.
The command line: ``-o`` required, ``--lang``, ``--serve``.
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SKOS

from virtgraph.concepts import concept_card, finder
from virtgraph.errors import UsageError
from virtgraph.formats import cell
from virtgraph.labels import normalize
from virtgraph.namespaces import VGC
from virtgraph.ontology import default_ontology_dir
from virtgraph.site.build import site_concepts
from virtgraph.site.output import MANIFEST, sync_folder
from virtgraph.site.pages import concept_slug
from virtgraph.sparql import named_queries
from virtgraph.viewspec import view_specs

from .netguard import allow_port
from .support.site import build, shared_site

KVM = VGC + "kvm"
LANGS = ("zh", "en")
VIEWS = sorted(name for name, spec in view_specs().items() if not spec.needs_concept)
SVG_NS = "{http://www.w3.org/2000/svg}"
ASSETS = {"assets/site.css", "assets/search.js", "assets/reload.js"}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped graph's site (built by Graphviz on first use: a test taking it is marked ``dot``)."""
    return shared_site(tmp_path_factory.getbasetemp())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def text_of(folder: Path, page: str) -> str:
    return (folder / page).read_text(encoding="utf-8")


def html_pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def svgs_of(page: str) -> list[ET.Element]:
    """Every inline SVG of an HTML page, parsed as XML (it must be well-formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def resolves(folder: Path, page: str, href: str) -> bool:
    target = (folder / page).parent / href.split("#", 1)[0]
    return target.resolve().is_relative_to(folder.resolve()) and target.is_file()


class Tags(HTMLParser):
    """The start tags of a page (name, attributes), the text outside scripts and styles, and each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []  # (src, inline text)
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            if tag == "script":
                self.scripts.append((dict(attrs).get("src"), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            src, text = self.scripts[-1]
            self.scripts[-1] = (src, text + data)
        elif self._in is None:
            self.text.append(data)


def tags_of(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


# ------------------------------------------------------------------------------------------------------- content


@pytest.mark.dot
def test_every_page_is_there(site, kg_fast):
    concepts = site_concepts(kg_fast)
    slugs = [concept_slug(iri) for iri in concepts]
    assert len(concepts) > 150 and len(set(slugs)) == len(slugs)
    expected = {"index.html", *ASSETS} | {f"assets/search-index.{lang}.js" for lang in LANGS}
    for lang in LANGS:
        expected |= {f"{lang}/index.html", f"{lang}/concepts.html", f"{lang}/cookbook.html"}
        expected |= {f"{lang}/view/{view}.html" for view in VIEWS}
        expected |= {f"{lang}/concept/{slug}.html" for slug in slugs}
    expected |= {f"concept/{slug}.{ext}" for slug in slugs for ext in ("html", "ttl", "jsonld")}
    found = set(files_of(site)) - {MANIFEST}
    assert found == expected
    assert len(html_pages(site)) == 1 + len(LANGS) * (3 + len(VIEWS) + len(concepts)) + len(concepts)
    manifest = json.loads(text_of(site, MANIFEST))
    assert set(manifest["files"]) == expected


@pytest.mark.dot
def test_every_concept_has_its_page_in_each_language_under_its_label(site, kg_fast):
    labels = finder(kg_fast).labels
    wrong = []
    for iri in site_concepts(kg_fast):
        for lang in LANGS:
            page = text_of(site, f"{lang}/concept/{concept_slug(iri)}.html")
            heading = re.search(r"<h1>(.*?)</h1>", page, flags=re.S)
            shown = html.unescape(heading.group(1)) if heading else None
            if shown != labels.label(iri, lang):
                wrong.append(f"{lang} {iri}: {shown!r}")
            other = "en" if lang == "zh" else "zh"
            if f'href="../../{other}/concept/{concept_slug(iri)}.html"' not in page:  # the switch keeps the concept
                wrong.append(f"{lang} {iri}: no switch to {other}")
    assert not wrong, wrong[:10]


@pytest.mark.dot
@pytest.mark.parametrize("lang", LANGS)
def test_view_pages_inline_their_svg_with_concept_links_that_resolve(site, lang):
    broken, counts = [], {}
    for view in VIEWS:
        page = f"{lang}/view/{view}.html"
        svgs = svgs_of(text_of(site, page))
        assert len(svgs) == 1, page
        links = [a for a in svgs[0].iter(f"{SVG_NS}a") if a.get("class") == "concept-link"]
        counts[view] = len(links)
        for a in links:
            href = a.get("href") or ""
            if not (href.startswith("../concept/") and resolves(site, page, href)):
                broken.append(f"{page}: {href}")
            if a.get("{http://www.w3.org/1999/xlink}href") != href or not a.get("aria-label"):
                broken.append(f"{page}: {href} without xlink:href or name")
    assert not broken, broken[:10]
    assert all(n > 0 for n in counts.values()), counts
    taxonomy = svgs_of(text_of(site, f"{lang}/view/taxonomy.html"))[0]
    assert taxonomy.get("role") == "group"  # an image's links would be hidden from readers
    kvm = next(
        g for g in taxonomy.iter(f"{SVG_NS}g") if g.get("class") == "node" and g.get("id", "").endswith("-vgc-kvm")
    )
    assert next(a for a in kvm.iter(f"{SVG_NS}a")).get("href") == "../concept/kvm.html"


@pytest.mark.dot
def test_ids_are_unique_within_every_page(site):
    repeated = {}
    for page in html_pages(site):
        ids = re.findall(r'\sid="([^"]*)"', text_of(site, page))
        twice = sorted({i for i in ids if ids.count(i) > 1}) if len(ids) != len(set(ids)) else []
        if twice:
            repeated[page] = twice[:5]
    assert repeated == {}


@pytest.mark.dot
@pytest.mark.parametrize("lang", LANGS)
def test_the_kvm_page_lists_both_claims_with_their_sources_and_reasons(site, kg_fast, lang):
    page = text_of(site, f"{lang}/concept/kvm.html")
    section = page[page.index('<section aria-labelledby="claims"') :]
    section = section[: section.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    card = concept_card(kg_fast, KVM, lang)
    assert len(items) == len(card.claims) >= 2
    values = set()
    for item, claim in zip(items, card.claims, strict=True):
        text = html.unescape(re.sub(r"<[^>]+>", "", item))
        assert claim.value.label in text and claim.property_label in text
        assert all(source.label in text for source in claim.sources)
        assert claim.reason and claim.reason in text
        values.add(claim.value.iri)
    assert values == {VGC + "type-1-hypervisor", VGC + "type-2-hypervisor"}  # both hypervisor types


@pytest.mark.dot
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's own JSON-LD parser
def test_each_concept_has_turtle_and_json_ld_beside_it_holding_its_labels(site, kg_fast):
    labels = finder(kg_fast).labels
    wrong = []
    for iri in site_concepts(kg_fast):
        slug = concept_slug(iri)
        for lang in LANGS:
            page = text_of(site, f"{lang}/concept/{slug}.html")
            for kind, ext in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
                link = f'<link rel="alternate" type="{kind}" href="../../concept/{slug}.{ext}">'
                if link not in page:
                    wrong.append(f"{lang}/concept/{slug}.html: no {link}")
        expected = {rdflib.Literal(v, lang=t) for t, v in labels.labels["prefLabel"].get(iri, {}).items()}
        assert expected, iri
        for ext, form in (("ttl", "turtle"), ("jsonld", "json-ld")):
            graph = rdflib.Graph().parse(site / "concept" / f"{slug}.{ext}", format=form)
            found = set(graph.objects(rdflib.URIRef(iri), SKOS.prefLabel))
            if found != expected:
                wrong.append(f"concept/{slug}.{ext}: prefLabels {sorted(found)} instead of {sorted(expected)}")
    assert not wrong, wrong[:10]


@pytest.mark.dot
@pytest.mark.parametrize("lang", LANGS)
def test_the_cookbook_shows_each_query_with_its_real_results(site, kg_fast, lang):
    page = text_of(site, f"{lang}/cookbook.html")
    total = 0
    for name, query in named_queries().items():
        start = page.index(f'<section aria-labelledby="{name}">')
        section = page[start : page.index("</section>", start)]
        body = section[section.index("<tbody>") : section.index("</tbody>")]
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        result = kg_fast.query(query.text, lang=lang)
        assert len(rows) == len(result.rows), name
        assert html.unescape(re.search(r"<code>(.*?)</code>", section, flags=re.S).group(1)) == query.text.strip()
        for row, expected in zip(rows, result.rows, strict=True):
            cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
            assert cells == [cell(term) for term in expected], name
        total += len(rows)
    assert total > 100


FORBIDDEN = re.compile(
    r"object at 0x|built-in method|<bound method|Traceback|\bNone\b|\bundefined\b|\bnull\b|\bNaN\b|\{\{|\{%|\}\}"
)


@pytest.mark.dot
def test_no_page_shows_python_or_template_leftovers_where_text_belongs(site):
    found = []
    for page in html_pages(site):
        parsed = tags_of(text_of(site, page))
        texts = parsed.text + [
            value or ""
            for _, attrs in parsed.tags
            for name, value in attrs.items()
            if name in ("title", "aria-label", "alt", "placeholder", "content", "href", "xlink:title")
        ]
        found += [f"{page}: {m.group(0)!r} in {t.strip()[:80]!r}" for t in texts if (m := FORBIDDEN.search(t))]
    assert found == []


# ------------------------------------------------------------------------------------------------------ building


def without_inputs(manifest: bytes) -> dict[str, object]:
    """A site's manifest without the hashes of its inputs (the package's own source files among them: they
    change when someone edits the code while the suite runs, which is not the build's doing)."""
    data = json.loads(manifest)
    data["inputs"] = sorted(data["inputs"])
    return data


@pytest.mark.dot
def test_two_builds_under_two_hash_seeds_are_byte_identical(site, tmp_path):
    again = tmp_path / "site"
    build(again, seed="12345")  # the shared site was built under PYTHONHASHSEED=0
    first, second = files_of(site), files_of(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name] and name != MANIFEST] == []
    assert without_inputs(first[MANIFEST]) == without_inputs(second[MANIFEST])


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: a file written again (atomically) changes both."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def summary(done: subprocess.CompletedProcess[str]) -> dict[str, int]:
    """The counts of ``virtgraph site``'s summary line."""
    pattern = r"(\d+) (written|unchanged|removed|diagrams laid out by dot)"
    return {what: int(n) for n, what in re.findall(pattern, done.stdout)}


@pytest.mark.dot
def test_an_unchanged_rebuild_writes_nothing_and_draws_nothing(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    build(copy, "--force", cache=True)  # its layouts in the cache, even if the shared build ran without it
    before = stamps(copy)
    done = build(copy, cache=True)
    assert done.stdout.startswith(f"site in {copy} is current: {len(files_of(site)) - 1} files")
    forced = build(
        copy, "--force", cache=True
    )  # built all the same: every file compared, none written, no layout drawn
    counts = summary(forced)
    assert counts["written"] == 0 and counts["removed"] == 0, forced.stdout
    assert counts["diagrams laid out by dot"] == 0, forced.stdout
    after = stamps(copy)
    assert {name: s for name, s in after.items() if before.get(name) != s and name != MANIFEST} == {}


def ontology_copy(folder: Path) -> Path:
    shutil.copytree(default_ontology_dir(), folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.dot
def test_a_changed_label_rewrites_exactly_the_files_that_show_it(site, tmp_path):
    ontology = ontology_copy(tmp_path / "ontology")
    renamed = "KVMRenamedZq"
    replace_in(
        ontology / "products.ttl", 'skos:prefLabel "KVM"@zh , "KVM"@en ;', f'skos:prefLabel "KVM"@zh , "{renamed}"@en ;'
    )
    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    before = stamps(copy)
    done = build(copy, ontology=ontology, cache=True)
    counts = summary(done)
    after = stamps(copy)
    rewritten = {name for name, s in after.items() if before.get(name) != s and name != MANIFEST}
    showing = {
        name
        for name, data in files_of(copy).items()
        if renamed.encode() in data or normalize(renamed).encode() in data  # the search index holds keys
    }
    assert rewritten == showing
    assert counts["written"] == len(rewritten) and counts["removed"] == 0
    assert {"en/concept/kvm.html", "zh/concept/kvm.html", "en/view/taxonomy.html", "concept/kvm.ttl"} <= rewritten
    assert {"assets/search-index.en.js", "assets/search-index.zh.js"} <= rewritten
    assert "zh/view/taxonomy.html" not in rewritten  # the Chinese diagrams show the zh label, which stayed
    assert len(rewritten) < len(after) / 5
    assert 0 < counts["diagrams laid out by dot"] < 30  # only the diagrams that show KVM in English


HOSTILE_EN = "KVM\"'</svg></title><script>alert(1)</script>&amp;"
HOSTILE_ZH = "KVM<script>alert(2)</script>"
HOSTILE_IRI = "https://w3id.org/virtgraph/concept/../x"
HOSTILE_TTL = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vg: <https://w3id.org/virtgraph/ontology#> .
@prefix vgc: <https://w3id.org/virtgraph/concept/> .
<https://w3id.org/virtgraph/concept/../x> a vg:HypervisorProduct ;
    skos:prefLabel "<img src=x onerror=alert(3)>"@en , "逃逸</svg>"@zh ;
    skos:definition "\\"><script>alert(4)</script>"@en ;
    vg:vendor vgc:org-red-hat ;
    vg:hypervisorType vgc:type-1-hypervisor .
"""


def check_no_script_from_data(folder: Path) -> int:
    """Every page's scripts are the site's own (its assets, a redirect page's one inline script), no tag has
    an event attribute, every inline SVG is well-formed; returns the number of pages read."""
    pages = html_pages(folder)
    for page in pages:
        text = text_of(folder, page)
        parsed = tags_of(text)
        for src, inline in parsed.scripts:
            if src is not None:
                assert re.fullmatch(r"(\.\./)*assets/(search-index\.(zh|en)|search|reload)\.js", src), (page, src)
            else:
                assert page.startswith("concept/") and "window.location.replace" in inline, (page, inline)
        events = [(tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")]
        assert events == [], (page, events)
        assert not {tag for tag, _ in parsed.tags} & {"img", "iframe", "object", "embed"}, page
        svgs_of(text)
    return len(pages)


@pytest.mark.dot
def test_hostile_labels_and_iris_are_escaped_everywhere_and_a_removed_concept_goes(tmp_path):
    ontology = ontology_copy(tmp_path / "ontology")
    escaped_en = HOSTILE_EN.replace("\\", "\\\\").replace('"', '\\"')
    replace_in(ontology / "products.ttl", '"KVM"@zh , "KVM"@en ;', f'"{HOSTILE_ZH}"@zh , "{escaped_en}"@en ;')
    (ontology / "hostile.ttl").write_text(HOSTILE_TTL, encoding="utf-8")
    out = tmp_path / "site"
    build(out, "--lang", "en", ontology=ontology)

    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, "assets", "concept", "en", "index.html"])
    assert check_no_script_from_data(out) > 200
    slug = concept_slug(HOSTILE_IRI)
    assert re.fullmatch(r"_[0-9a-f]{16}", slug)
    made = {f"en/concept/{slug}.html", f"concept/{slug}.html", f"concept/{slug}.ttl", f"concept/{slug}.jsonld"}
    assert made <= set(files_of(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology", "site"]  # nothing written beside the site
    assert not any(".." in name for name in json.loads(text_of(out, MANIFEST))["files"])

    page = text_of(out, "en/concept/kvm.html")
    assert html.unescape(re.search(r"<h1>(.*?)</h1>", page, flags=re.S).group(1)) == HOSTILE_EN  # shown as text
    taxonomy = svgs_of(text_of(out, "en/view/taxonomy.html"))[0]
    titles = [t.text or "" for t in taxonomy.iter(f"{SVG_NS}title")]
    assert any(t.startswith(HOSTILE_EN) for t in titles)  # in the diagram too, as text
    assert any(t.startswith("<img src=x onerror=alert(3)>") for t in titles)
    index = json.loads(text_of(out, "assets/search-index.en.js").removeprefix("window.VIRTGRAPH_SEARCH = ")[:-2])
    assert HOSTILE_EN in [c["label"] for c in index["concepts"]]
    assert "</" not in text_of(out, "assets/search-index.en.js")
    rdf = rdflib.Graph().parse(out / "concept" / f"{slug}.ttl", format="turtle")
    assert (rdflib.URIRef(HOSTILE_IRI), SKOS.prefLabel, rdflib.Literal("逃逸</svg>", lang="zh")) in rdf

    (ontology / "hostile.ttl").unlink()  # the concept is gone from the graph: its files go from the site
    done = build(out, "--lang", "en", ontology=ontology)
    assert summary(done)["removed"] == len(made)
    assert not made & set(files_of(out))
    assert not made & set(json.loads(text_of(out, MANIFEST))["files"])


# -------------------------------------------------------------------------------------------------------- safety


def test_someone_elses_folder_is_refused_before_anything_is_built(run, tmp_path):
    theirs = tmp_path / "project"
    theirs.mkdir()
    (theirs / "index.html").write_text("mine", encoding="utf-8")
    result = run("site", "-o", str(theirs))
    assert result.exit_code == 2
    assert "is not empty and holds no virtgraph site" in result.stderr
    assert [p.name for p in theirs.iterdir()] == ["index.html"]
    assert (theirs / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_symlink_planted_in_the_site_that_leads_out_is_not_followed(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "kvm.html").write_text("theirs", encoding="utf-8")
    sync_folder(site, {"index.html": b"one", "en/concept/kvm.html": b"one"}, MANIFEST, "test")
    (site / "en" / "concept" / "kvm.html").unlink()
    (site / "en" / "concept" / "kvm.html").symlink_to(outside / "kvm.html")
    (site / "zh").symlink_to(outside, target_is_directory=True)
    new = {"index.html": b"two", "en/concept/kvm.html": b"two", "zh/index.html": b"two"}
    with pytest.raises(UsageError, match="leads out of"):
        sync_folder(site, new, MANIFEST, "test")
    assert sorted(p.name for p in outside.iterdir()) == ["kvm.html"]
    assert (outside / "kvm.html").read_text(encoding="utf-8") == "theirs"
    assert (site / "index.html").read_bytes() == b"one"  # every path is checked before anything is written
    (site / "zh").unlink()
    with pytest.raises(UsageError, match="leads out of"):  # nor is the link removed, even with nothing to write
        sync_folder(site, {"index.html": b"one"}, MANIFEST, "test")
    assert (outside / "kvm.html").read_text(encoding="utf-8") == "theirs"


# --------------------------------------------------------------------------------------------- the command line


def test_site_needs_an_output_folder(run):
    result = run("site")
    assert result.exit_code == 2
    assert "Missing option '-o'" in result.stderr


@pytest.mark.dot
def test_serve_builds_serves_pages_and_the_build_number_then_stops(tmp_path):
    out = tmp_path / "site"
    process = subprocess.Popen(
        [sys.executable, "-m", "virtgraph", "site", "-o", str(out), "--lang", "en", "--serve", "--port", "0"],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:  # lines as they come (select() on a buffered pipe would miss what the buffer holds)
        for line in process.stdout or ():
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        said: list[str] = []
        while not (said and said[-1].startswith("serving")):
            try:
                said.append(lines.get(timeout=300))  # a bound on waiting, not a timed assertion
            except queue.Empty:
                break
        served = re.search(r"at http://127\.0\.0\.1:(\d+)/", said[-1] if said else "")
        assert served, (said, process.poll())
        port = allow_port(int(served.group(1)))
        root = f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(root + "en/concept/kvm.html", timeout=30) as response:
            page = response.read().decode("utf-8")
            assert response.status == 200 and "<h1>KVM</h1>" in page
        assert 'src="../../assets/reload.js"' in page  # pages built for --serve reload after a rebuild
        with urllib.request.urlopen(root + "__virtgraph/build", timeout=30) as response:
            assert response.read() == b"1"
        assert not (out / "zh").exists()
    finally:
        process.terminate()
        process.wait(timeout=60)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
