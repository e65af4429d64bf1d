"""The site ``virtgraph site`` builds, read in headless Chromium as a reader would (issue 13's browser checks).

The shipped graph's site is built once per test run (``tests/support/site.py``) and served on 127.0.0.1: search
from the home pages (and its parity with ``virtgraph lookup``), clicking a diagram's node, the language switch,
keyboard focus and tooltips in a diagram, every page crawled (0 broken links or images, 0 console errors, every
page 880 px wide without sideways scrolling, every diagram within the column with text of 9 px or more), axe-core
(0 serious or critical violations), search from ``file://``. Screenshots of the home, KVM and taxonomy pages in
both languages go to ``build/site-check/`` (ignored by git), with the crawl's figures, axe-core's counts and the
view pages' measures (``crawl.json``, ``axe.json``, ``views-<lang>.json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from virtgraph.concepts import concept_card, finder, lookup
from virtgraph.errors import ConceptNotFound
from virtgraph.namespaces import VGC
from virtgraph.site.pages import concept_slug
from virtgraph.viewspec import view_specs

from ..support import unavailable
from ..support.site import (
    IMPACTS,
    LAYOUT_JS,
    SITE_CHECK,
    axe,
    crawl,
    missing_axe,
    screenshot,
    serve,
    shared_site,
)
from ..test_concepts import SYNONYMS

pytestmark = [pytest.mark.browser, pytest.mark.dot]  # the site's diagrams are laid out by Graphviz

KVM = VGC + "kvm"
LANGS = ("zh", "en")
SMALLEST_TEXT_PX = 9.0  # on a view page at 880 px: the diagram shrinks with the column, its text with it


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return shared_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def root(site):
    """The site's root URL, served on 127.0.0.1 for the session."""
    with serve(site) as url:
        yield url


@pytest.fixture
def driver(browser):
    """The session's Chromium, with what earlier tests logged to its console thrown away."""
    browser.driver.get_log("browser")
    return browser.driver


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver, url: str) -> None:
    driver.get(url)
    driver.execute_async_script("document.fonts.ready.then(() => arguments[arguments.length - 1]())")


def path_of_url(url: str, root: str) -> str:
    assert url.startswith(root), url
    return url[len(root) :].split("#", 1)[0]


def search_and_enter(driver, term: str) -> None:
    """Type ``term`` into the home page's big search box and press Enter; wait until a page is left."""
    before = driver.current_url
    box = driver.find_element(By.CSS_SELECTOR, "main form.search input[type=search]")
    box.send_keys(term)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(
        lambda d: d.current_url != before and d.execute_script("return document.readyState") == "complete"
    )


# ------------------------------------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("lang", "term", "page", "heading"),
    [
        ("zh", "准虚拟化", "zh/concept/paravirtualization.html", "半虚拟化"),
        ("zh", "ＫＶＭ", "zh/concept/kvm.html", "KVM"),  # full-width letters
        ("en", "hypervisors", "en/concept/hypervisor.html", "Hypervisor"),  # an English plural
        ("zh", "虛擬機器", "zh/concept/virtual-machine.html", "虚拟机"),  # Traditional characters, Taiwan phrasing
    ],
)
def test_search_from_the_home_page_lands_on_the_concept(driver, root, kg_fast, lang, term, page, heading):
    card = lookup(kg_fast, term, lang)  # what `virtgraph lookup` answers is where the search box goes
    assert (f"{lang}/concept/{concept_slug(card.iri)}.html", card.label) == (page, heading)
    open_page(driver, root + f"{lang}/index.html")
    search_and_enter(driver, term)
    assert path_of_url(driver.current_url, root) == page
    assert driver.find_element(By.TAG_NAME, "h1").text == heading
    assert console_errors(driver) == []


# Terms of tests/test_concepts.py and tests/test_variants.py (labels, synonyms, other scripts and forms), a term
# naming two concepts, and terms naming none (a typo, a cut-short word, gibberish)
PARITY_TERMS = [term for term, _ in SYNONYMS] + [
    "系統虛擬化", "1型虛擬化", "超級調用", "陷入並模擬", "虛擬機器", "作業系統", "記憶體", "虛擬機器監視器",
    "客體作業系統", "巢狀虛擬化", "二進位轉譯", "shadow page tables", "Shadow-Page-Tables", "shadow VMCS",
    "hypervisors", "containers", "VMs", "Solaris zones", "para virtualization", "ｈｙｐｅｒｖｉｓｏｒｓ", "xen",
    "two-dimensional paging",  # EPT and SLAT both
    "kvn", "虛擬機器監視", "陷入並模", "shadow page tabel", "virtualisation", "xyzzy", "虚拟",
]  # fmt: skip


def test_search_finds_what_lookup_finds(driver, root, kg_fast):
    """For every term: the exact matches the search box lists first (rank 0) are the concepts ``lookup``'s
    matching names, the first of them the one ``lookup`` picks; a term ``lookup`` cannot find has none."""
    assert len(PARITY_TERMS) >= 40
    found = finder(kg_fast)
    open_page(driver, root + "en/index.html")
    hits: list[list[dict[str, Any]]] = driver.execute_script(
        "return arguments[0].map(t => window.virtgraphSearch(t, window.VIRTGRAPH_SEARCH, 12))", PARITY_TERMS
    )
    wrong = []
    for term, results in zip(PARITY_TERMS, hits, strict=True):
        exact = [h["concept"]["url"] for h in results if h["rank"] == 0]
        matches = found.matches(term)
        expected = sorted(f"en/concept/{concept_slug(iri)}.html" for iri in matches)
        try:  # lookup also takes an IRI or CURIE (not a label: the search box does not); only matches count here
            first = f"en/concept/{concept_slug(found.find(term))}.html" if matches else None
        except ConceptNotFound:  # several concepts, none preferred
            first = None
        if sorted(exact) != expected or (first is not None and exact[:1] != [first]):
            wrong.append(f"{term!r}: search {exact}, lookup {expected} (picks {first})")
    assert not wrong, "\n".join(wrong)
    # the terms did test something: most find one concept, some two, some none
    counts = [len(found.matches(t)) for t in PARITY_TERMS]
    assert counts.count(1) >= 30 and counts.count(0) >= 4 and 2 in counts


def test_search_works_from_file_urls(driver, site):
    """Opened from disk, the index is a script the page loads (``fetch`` is refused there): search works."""
    open_page(driver, (site / "zh" / "index.html").as_uri())
    first = driver.execute_script("return window.virtgraphSearch('准虚拟化', window.VIRTGRAPH_SEARCH, 12)[0]")
    assert first["concept"]["url"] == "zh/concept/paravirtualization.html" and first["rank"] == 0
    search_and_enter(driver, "准虚拟化")
    assert driver.current_url == (site / "zh" / "concept" / "paravirtualization.html").as_uri()
    assert driver.find_element(By.TAG_NAME, "h1").text == "半虚拟化"
    assert console_errors(driver) == []


# ---------------------------------------------------------------------------------------------- diagram and KVM


def kvm_link(driver):
    return driver.find_element(By.CSS_SELECTOR, 'g.node[id$="-vgc-kvm"] a.concept-link')


@pytest.mark.parametrize("lang", LANGS)
def test_clicking_kvm_in_the_taxonomy_shows_both_claims_and_the_switch_keeps_kvm(driver, root, kg_fast, lang):
    open_page(driver, root + f"{lang}/view/taxonomy.html")
    before = driver.current_url
    kvm_link(driver).click()
    WebDriverWait(driver, 20).until(lambda d: d.current_url != before)
    assert path_of_url(driver.current_url, root) == f"{lang}/concept/kvm.html"
    assert driver.find_element(By.TAG_NAME, "h1").text == "KVM"

    shown = [
        (
            item.find_element(By.CSS_SELECTOR, "p.claim a:last-of-type").text,
            [s.text for s in item.find_elements(By.CSS_SELECTOR, ".claim-sources .source")],
        )
        for item in driver.find_elements(By.CSS_SELECTOR, "section.claims li")
    ]
    card = concept_card(kg_fast, KVM, lang)
    assert shown == [(c.value.label, [s.label for s in c.sources]) for c in card.claims]
    type1, type2 = (concept_card(kg_fast, VGC + f"type-{n}-hypervisor", lang).label for n in (1, 2))
    document = "源文档" if lang == "zh" else "Source document"
    assert any(value == type1 and any(s.startswith("Red Hat") for s in sources) for value, sources in shown)
    assert any(value == type2 and any(s.startswith(document) for s in sources) for value, sources in shown)

    driver.find_element(By.CSS_SELECTOR, "a.lang-switch").click()
    other = "en" if lang == "zh" else "zh"
    WebDriverWait(driver, 20).until(lambda d: f"/{other}/concept/" in d.current_url)
    assert path_of_url(driver.current_url, root) == f"{other}/concept/kvm.html"
    assert driver.find_element(By.TAG_NAME, "h1").text == "KVM"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == ("en" if other == "en" else "zh-Hans")
    assert console_errors(driver) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_kvm_node_is_reached_by_tab_and_has_its_definition_as_tooltip(driver, root, kg_fast, lang):
    open_page(driver, root + f"{lang}/view/taxonomy.html")
    link = kvm_link(driver)
    focusable = driver.execute_script("return document.querySelectorAll('a[href], input, button, [tabindex]').length")
    presses = 0  # focus starts at the top of the page
    while presses <= focusable and not driver.execute_script("return document.activeElement === arguments[0]", link):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        presses += 1
    assert driver.execute_script("return document.activeElement === arguments[0]", link), f"{presses} Tab presses"
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", link)
    assert outline not in ("", "none")  # focus is visible

    card = concept_card(kg_fast, KVM, lang)
    tooltip = driver.execute_script(
        "return arguments[0].closest('g.node').querySelector(':scope > title').textContent", link
    )
    assert tooltip.startswith("KVM") and card.definition and card.definition in tooltip
    assert link.get_attribute("aria-label").startswith("KVM")
    ActionChains(driver).send_keys(Keys.ENTER).perform()  # the keyboard follows the link too
    WebDriverWait(driver, 20).until(lambda d: d.current_url.endswith("/concept/kvm.html"))
    assert path_of_url(driver.current_url, root) == f"{lang}/concept/kvm.html"


# ------------------------------------------------------------------------------------------------ the whole site


def test_every_page_resolves_its_links_logs_no_error_and_fits_880_px(driver, root, site):
    unlinked = tuple(root + f"concept/{p.name}" for p in sorted((site / "concept").glob("*.html")))
    seen = crawl(driver, root + "index.html", unlinked)
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    figures = {
        "pages": len(seen.pages),
        "pages_in_folder": len(pages),
        "loaded_in_browser": len(seen.pages) - len(unlinked) + 1,
        "read_from_html": len(unlinked) - 1,
        "links": seen.links(),
        "external": len(seen.external()),
        "broken": len(seen.broken(site)),
        "console_errors": len(seen.console_errors),
        "diagrams": sum(1 for m in seen.layout.values() if m["svg"] is not None),
        "smallest_text_px": round(min(m["smallest"] for m in seen.layout.values() if m["smallest"] is not None), 2),
        "unreadable": len(seen.unreadable(SMALLEST_TEXT_PX)),
    }
    SITE_CHECK.mkdir(parents=True, exist_ok=True)
    (SITE_CHECK / "crawl.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print("crawl:", figures)
    assert sorted(seen.pages) == pages  # every page: reached by a link, or an IRI's landing page
    assert seen.broken(site) == []
    assert seen.console_errors == []
    assert seen.unreadable(SMALLEST_TEXT_PX) == []  # every page at 880 px: no sideways scroll, diagrams fit
    assert seen.redirects == {"concept/" + Path(unlinked[0]).name: root + "en/concept/" + Path(unlinked[0]).name}
    assert all(url.startswith("http://dbpedia.org/resource/") for url in seen.external()), seen.external()


@pytest.fixture(scope="session")
def axe_counts():
    """axe-core's counts by impact per page, written to ``build/site-check/axe.json`` at the end."""
    counts: dict[str, dict[str, int]] = {}
    yield counts
    if counts:
        SITE_CHECK.mkdir(parents=True, exist_ok=True)
        lines = [f" {json.dumps(page)}: {json.dumps(found)}" for page, found in sorted(counts.items())]
        (SITE_CHECK / "axe.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


AXE_PAGES = ["index.html"] + [
    f"{lang}/{page}.html"
    for lang in LANGS
    for page in ("index", "concept/kvm", "view/taxonomy", "concepts", "cookbook", "concept/paravirtualization")
]


@pytest.mark.parametrize("page", AXE_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_serious_or_critical_violation(driver, root, page, scheme, axe_counts):
    problem = missing_axe()
    if problem:
        unavailable(problem)
    open_page(driver, root + page)
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    try:
        found = axe(driver)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    axe_counts[f"{page} ({scheme})"] = {impact: len(found[impact]) for impact in IMPACTS}
    print(page, scheme, axe_counts[f"{page} ({scheme})"])
    worst = [str(v) for impact in ("critical", "serious") for v in found[impact]]
    assert worst == []


# ------------------------------------------------------------------------------------------------ at 880 px wide

VIEWS = sorted(name for name, spec in view_specs().items() if not spec.needs_concept)


@pytest.mark.parametrize("lang", LANGS)
def test_view_pages_are_readable_at_880_px(driver, root, site, lang):
    views = sorted(p.stem for p in (site / lang / "view").glob("*.html"))
    assert views == VIEWS
    width = driver.execute_script("return window.innerWidth")
    assert width == 880
    small, figures = [], {}
    for view in views:
        open_page(driver, root + f"{lang}/view/{view}.html")
        m = driver.execute_script(LAYOUT_JS)
        figures[view] = {"svg_px": round(m["svg"], 1), "column_px": round(m["column"], 1),
                         "smallest_text_px": round(m["smallest"], 2), "smallest_text": m["text"]}  # fmt: skip
        assert m["svg"] <= m["column"] + 0.5, (view, m)
        assert m["scroll"] <= m["viewport"], (view, "horizontal scrollbar", m)
        if m["smallest"] < SMALLEST_TEXT_PX:
            small.append(f"{view}: {m['smallest']:.1f} px ({m['text']})")
    SITE_CHECK.mkdir(parents=True, exist_ok=True)
    lines = [f" {json.dumps(view)}: {json.dumps(found, ensure_ascii=False)}" for view, found in figures.items()]
    (SITE_CHECK / f"views-{lang}.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    assert not small, small


# ------------------------------------------------------------------------------------------------- screenshots


@pytest.mark.parametrize("lang", LANGS)
def test_screenshots_of_the_home_kvm_and_taxonomy_pages(browser, root, lang):
    """For a person to look at: ``build/site-check/<lang>-{home,kvm,taxonomy}.png``, 880 px wide."""
    for name, page in (("home", "index"), ("kvm", "concept/kvm"), ("taxonomy", "view/taxonomy")):
        open_page(browser.driver, root + f"{lang}/{page}.html")
        shot = screenshot(browser, f"{lang}-{name}")
        assert shot.stat().st_size > 10_000
