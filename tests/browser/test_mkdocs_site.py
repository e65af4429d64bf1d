"""The MkDocs example (``examples/mkdocs``), built with ``mkdocs build --strict`` and read in headless Chromium:
the page with markers shows the diagram inline (not as ``<img>``), its KVM node is a link, and following it lands
on the plugin's KVM page with both hypervisor-type claims and their sources (issue 13's last browser check)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from ..support.mkdocs_example import shared_example
from ..support.site import axe, serve

pytestmark = [pytest.mark.browser, pytest.mark.dot]


@pytest.fixture(scope="module", params=["mkdocs", "material"])
def example_site(request, tmp_path_factory):
    """The example built with the default theme and with mkdocs-material (the builds
    ``tests/test_mkdocs_plugin.py`` checks: made once per run), served on loopback."""
    built = shared_example(tmp_path_factory.getbasetemp(), request.param)
    assert built.returncode == 0, built.output
    with serve(built.project / "site") as url:
        yield url


def test_the_marker_page_shows_a_linked_inline_svg_that_leads_to_kvm(browser, example_site):
    driver = browser.driver
    driver.get_log("browser")
    driver.get(example_site)
    figures = driver.find_elements(By.CSS_SELECTOR, "article svg, main svg, [role=main] svg")
    assert figures, "no inline SVG on the page with markers"
    assert not driver.find_elements(By.CSS_SELECTOR, 'img[src$=".svg"]')
    kvm = driver.find_element(By.CSS_SELECTOR, 'svg g.node[id$="-vgc-kvm"] a')
    assert kvm.get_attribute("href")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", kvm)
    driver.implicitly_wait(0)
    assert "kvm" in driver.current_url
    assert "KVM" in driver.find_element(By.TAG_NAME, "h1").text
    claims = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "section.claims li")]
    assert any("1" in c and "Red Hat" in c for c in claims), claims
    assert any("2" in c and ("源文档" in c or "Source document" in c) for c in claims), claims
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


@pytest.mark.parametrize("page", ["", "concepts/en/kvm/"])
def test_what_the_plugin_adds_has_no_serious_accessibility_violations(browser, example_site, page):
    """The plugin's diagrams, tables and concept articles; the themes' own parts are the themes' (mkdocs' default
    theme colours its links #2fa4e7, 2.6:1 on its grey, and mkdocs-material leaves its search dialog unnamed)."""
    browser.driver.get(example_site + page)
    found = axe(browser.driver, ["svg.virtgraph-diagram", "article.concept", "table"])
    serious = [v for impact in ("critical", "serious") for v in found.get(impact, [])]
    assert serious == [], serious
