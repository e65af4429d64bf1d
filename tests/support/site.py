"""The site ``virtgraph site`` builds, as the tests see it: built once, served on loopback, crawled, checked.

- :func:`build` runs ``virtgraph site`` in a subprocess (under a fixed ``PYTHONHASHSEED``, so two builds can be
  compared byte for byte); :func:`shared_site` builds the shipped graph's site once per test run, shared by the
  pytest-xdist workers (the first builds it under a lock, the others wait and read it);
- :func:`serve` serves a built folder on a free port of 127.0.0.1 (declared to the network canary) in a thread;
- :func:`crawl` visits every page reachable from a start page in Chromium, following same-site links, and
  collects every link, image, id, console error and how the page fits the column on the way (:class:`Crawl`;
  :meth:`Crawl.broken` judges the links against the folder, :meth:`Crawl.unreadable` the layout);
- :func:`axe` injects axe-core (npm ``axe-core``, installed by ``scripts/dev test`` into ``.venv/node_modules``)
  into the page shown and returns its violations by impact;
- :func:`screenshot` writes the page shown, 880 px wide, to ``build/site-check/`` (ignored by git).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin

from .browser import REPO
from .once import once_per_run
from .servers import free_port

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

    from .browser import Browser

SITE_CHECK = REPO / "build" / "site-check"
#: Where ``scripts/dev test`` installs axe-core (``npm install --prefix .venv``); the first that exists is used.
AXE_CANDIDATES = (
    Path(sys.prefix) / "node_modules" / "axe-core" / "axe.min.js",
    REPO / ".venv" / "node_modules" / "axe-core" / "axe.min.js",
)
#: The axe-core impacts, worst first.
IMPACTS = ("critical", "serious", "moderate", "minor")


def build(
    folder: Path, *args: str, seed: str = "0", ontology: Path | None = None, check: bool = True, cache: bool = False
) -> subprocess.CompletedProcess[str]:
    """``virtgraph [--ontology ONTOLOGY] site -o FOLDER ARGS...`` in a subprocess under ``PYTHONHASHSEED=seed``;
    ``cache``: with the caches on even when the suite runs without them (``VIRTGRAPH_NO_CACHE=1``), for the
    tests of what the caches save."""
    command = [sys.executable, "-m", "virtgraph"]
    if ontology is not None:
        command += ["--ontology", str(ontology)]
    command += ["site", "-o", str(folder), *args]
    done = subprocess.run(
        command,
        cwd=REPO,
        env={
            k: v for k, v in {**os.environ, "PYTHONHASHSEED": seed}.items() if not (cache and k == "VIRTGRAPH_NO_CACHE")
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"virtgraph site failed ({done.returncode}): {done.stderr[-3000:]}")
    return done


def shared_site(base: Path) -> Path:
    """The shipped graph's site, built once per test run (``PYTHONHASHSEED=0``) and shared by the xdist workers
    (:func:`~tests.support.once.once_per_run`; ``base`` is pytest's ``getbasetemp()``)."""
    return once_per_run(base, "virtgraph-site", lambda folder: build(folder))


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yields the root URL (with ``/``)."""
    from virtgraph.site.serve import start_server

    server = start_server(folder, free_port(), [1])
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------------------------------ crawling

# Every reference the page makes (HTML and SVG links, stylesheets, scripts, images), absolute, with its kind;
# every id and name a fragment can point at; the images and whether they loaded.
PAGE_JS = """
const refs = [];
const add = (kind, value) => { if (value) refs.push([kind, new URL(value, document.baseURI).href]); };
for (const a of document.querySelectorAll("a")) {
  add(a.namespaceURI === "http://www.w3.org/2000/svg" ? "svg-link" : "link",
      a.getAttribute("href") || a.getAttributeNS("http://www.w3.org/1999/xlink", "href"));
}
for (const l of document.querySelectorAll("link[href]")) add("link " + l.getAttribute("rel"), l.getAttribute("href"));
for (const s of document.querySelectorAll("script[src]")) add("script", s.getAttribute("src"));
for (const i of document.querySelectorAll("img")) add("img", i.getAttribute("src"));
for (const i of document.querySelectorAll("image, use")) {
  add(i.localName, i.getAttribute("href") || i.getAttributeNS("http://www.w3.org/1999/xlink", "href"));
}
const ids = [...document.querySelectorAll("[id]")].map(e => e.id)
  .concat([...document.querySelectorAll("a[name]")].map(e => e.getAttribute("name")));
const images = [...document.images].map(i => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0]);
return {refs: refs, ids: ids, images: images, url: location.href};
"""


# How the page shown fits a column 880 px wide: its inline diagram's width against the column's (main's content
# box), the smallest text a reader sees in it, in CSS px (font size by the scale of the text's screen transformation
# matrix, as tests/support/browser.py measures), and whether the page scrolls sideways.
LAYOUT_JS = """
const main = document.querySelector("main");
const box = main.getBoundingClientRect(), style = getComputedStyle(main);
const column = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
const svg = document.querySelector("figure.diagram svg");
let smallest = null, text = "";
for (const t of svg ? svg.querySelectorAll("text") : []) {
  const cs = getComputedStyle(t);
  if (!t.textContent.trim() || cs.display === "none" || cs.visibility === "hidden") continue;
  const ctm = t.getScreenCTM();
  const px = parseFloat(cs.fontSize) * Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c));
  if (smallest === null || px < smallest) { smallest = px; text = t.textContent; }
}
return {svg: svg ? svg.getBoundingClientRect().width : null, column: column, smallest: smallest, text: text,
        scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth};
"""


class _Links(HTMLParser):
    """The links of a page that leaves before it can be read in the browser (a redirect), from its HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            value = found.get(name)
            if value:
                self.refs.append((f"{tag}-{name}", value))


@dataclass
class Crawl:
    """What :func:`crawl` saw: pages visited (site-relative paths), references by the page making them,
    ids by page, images that did not load, console errors, pages that sent the browser elsewhere."""

    root: str
    pages: list[str] = field(default_factory=list)
    refs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page -> [(kind, absolute URL)]
    ids: dict[str, set[str]] = field(default_factory=dict)
    unloaded_images: list[tuple[str, str]] = field(default_factory=list)  # (page, src)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (page, message)
    redirects: dict[str, str] = field(default_factory=dict)
    layout: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> LAYOUT_JS's figures

    def read(self, path: str, html: str) -> None:
        """Take the links of the page at ``path`` from its ``html`` (a page the browser does not stay on)."""
        parser = _Links()
        parser.feed(html)
        self.refs[path] = [(kind, urljoin(self.root + path, value)) for kind, value in parser.refs]
        self.ids.setdefault(path, set())
        if path not in self.pages:
            self.pages.append(path)

    def local(self, url: str) -> str | None:
        """The site-relative path ``url`` names (fragment and query dropped), or None outside the site."""
        bare = urldefrag(url)[0].split("?", 1)[0]
        if not bare.startswith(self.root):
            return None
        path = unquote(bare[len(self.root) :])
        return path + "index.html" if path == "" or path.endswith("/") else path

    def links(self) -> int:
        return sum(len(r) for r in self.refs.values())

    def external(self) -> list[str]:
        """The http(s) URLs outside the site that pages link to (not checked: the tests stay offline)."""
        urls = {url for refs in self.refs.values() for _, url in refs if self.local(url) is None}
        return sorted(url for url in urls if url.startswith(("http:", "https:")))

    def broken(self, folder: Path) -> list[str]:
        """Every reference within the site that names no file of ``folder``, or a fragment its target lacks,
        and every image that did not load."""
        found = []
        for page, refs in sorted(self.refs.items()):
            for kind, url in refs:
                path = self.local(url)
                if path is None:
                    continue
                target = folder / path
                if not target.is_file() or not target.resolve().is_relative_to(folder.resolve()):
                    found.append(f"{page}: {kind} {url} (no file {path})")
                    continue
                fragment = urldefrag(url)[1]
                if fragment and unquote(fragment) not in self.ids.get(path, set()):
                    found.append(f"{page}: {kind} {url} (no id {fragment!r} on {path})")
        found += [f"{page}: image {src} did not load" for page, src in self.unloaded_images]
        return found

    def unreadable(self, smallest_px: float) -> list[str]:
        """Pages that scroll sideways, and diagrams wider than the column or with text under ``smallest_px``."""
        found = []
        for page, m in sorted(self.layout.items()):
            if m["scroll"] > m["viewport"]:
                found.append(f"{page}: scrolls sideways ({m['scroll']} px in {m['viewport']})")
            if m["svg"] is not None and m["svg"] > m["column"] + 0.5:
                found.append(f"{page}: diagram {m['svg']:.0f} px in a column of {m['column']:.0f}")
            if m["smallest"] is not None and m["smallest"] < smallest_px:
                found.append(f"{page}: text of {m['smallest']:.1f} px ({m['text']})")
        return found


def crawl(driver: WebDriver, start: str, unlinked: tuple[str, ...] = (), limit: int = 5000) -> Crawl:
    """Visit every page of the site reachable from ``start`` (a URL whose folder is the site's root),
    following links to ``.html`` files (and folders) within the site, and collect what :class:`Crawl` holds.

    ``unlinked`` are pages no link reaches by design (the language-neutral ``concept/<slug>.html``, where a
    concept's IRI redirects): each is read from its HTML (its links checked like the others'), and the first is
    also loaded in the browser (they are one template; each load costs a redirect).
    """
    root = start.rsplit("/", 1)[0] + "/"
    seen = Crawl(root)
    queue = [start, *unlinked[:1]]
    queued = {seen.local(url) for url in queue}
    driver.get_log("browser")  # what earlier pages logged is theirs
    while queue and len(seen.pages) < limit:
        url = queue.pop(0)
        path = seen.local(url)
        assert path is not None
        driver.get(url)
        found: dict[str, Any] = driver.execute_script(PAGE_JS)
        seen.pages.append(path)
        seen.console_errors += [(path, e["message"]) for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if seen.local(found["url"]) != path:  # the page sent the browser on: read its own links from its HTML
            seen.redirects[path] = found["url"]
            seen.read(path, _fetch(url))
        else:
            seen.refs[path] = [(kind, href) for kind, href in found["refs"]]
            seen.ids[path] = set(found["ids"])
            seen.unloaded_images += [(path, src) for src, ok in found["images"] if not ok]
            seen.layout[path] = driver.execute_script(LAYOUT_JS)
        for _, href in seen.refs[path]:
            target = seen.local(href)
            if target is not None and target.endswith(".html") and target not in queued:
                queued.add(target)
                queue.append(seen.root + target)
    for url in unlinked[1:]:
        path = seen.local(url)
        assert path is not None
        seen.read(path, _fetch(url))
    lost = [url for url in seen.redirects.values() if seen.local(url) not in seen.ids]
    assert not lost, f"pages redirect to pages the crawl did not reach: {lost[:5]}"
    return seen


def _fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


# ------------------------------------------------------------------------------------------------------ axe-core


def axe_script() -> Path | None:
    """axe-core's ``axe.min.js``, or None when it is not installed."""
    return next((path for path in AXE_CANDIDATES if path.is_file()), None)


def missing_axe() -> str | None:
    """Why axe-core cannot run here, or None."""
    if axe_script() is None:
        return "axe-core is not installed (bash scripts/dev setup installs it from npm into .venv/node_modules)"
    return None


AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
const include = arguments.length > 1 ? arguments[0] : null;
axe.run(include ? {include: include} : document, {resultTypes: ["violations"]})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\\s+/g, " "))}))))
  .catch(e => done({error: String(e)}));
"""


@dataclass
class Violation:
    id: str
    impact: str
    help: str
    nodes: list[str]

    def __str__(self) -> str:
        return f"{self.impact} {self.id} ({self.help}) x{len(self.nodes)}: {'; '.join(self.nodes[:3])}"


def axe(driver: WebDriver, include: list[str] | None = None) -> dict[str, list[Violation]]:
    """axe-core's violations on the page shown, by impact (every impact a key, worst first); ``include``: CSS
    selectors of the parts to check (default: the whole page)."""
    script = axe_script()
    if script is None:
        raise RuntimeError(missing_axe())
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(script.read_text(encoding="utf-8"))
    found = driver.execute_async_script(AXE_RUN_JS, *([include] if include else []))
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found.get('error')}")
    out: dict[str, list[Violation]] = defaultdict(list)
    for v in found:
        out[v["impact"] or "minor"].append(Violation(v["id"], v["impact"] or "minor", v["help"], v["nodes"]))
    return {impact: out.get(impact, []) for impact in IMPACTS}


# ---------------------------------------------------------------------------------------------------- screenshots


def screenshot(browser: Browser, name: str, max_height: int = 4000) -> Path:
    """The page shown, 880 px wide and as tall as it is (at most ``max_height`` px), as
    ``build/site-check/<name>.png``; the viewport is put back afterwards."""
    height = int(browser.driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)"))
    path = SITE_CHECK / f"{name}.png"
    try:
        browser._screenshot(path, max(1, min(height, max_height)))
    finally:
        browser._viewport(1000)
    return path
