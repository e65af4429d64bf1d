"""Headless Chromium reads the rendered diagrams where documentation shows them: a column 880 px wide.

A library for the browser tests (``tests/browser/``) and a measuring command::

    python -m tests.support.browser [--out build/diagram-check] [--json] [--markdown DOC.md ...] [FILES...]

(default: every ``output/*.svg``). For each SVG it prints one line of figures and writes two screenshots of the
diagram at 880 px, ``<stem>.png`` (fonts as rendered) and ``<stem>.dejavu.png`` (DejaVu Sans forced); with
``--json`` it prints every detail instead. It exits 0 whatever it measured (the tests judge the figures), 2 when
it could not measure (no Chromium, an unreadable file).

How a diagram is shown and measured (:meth:`Browser.measure_svg`):

- The SVG is parsed as XML (``DOMParser``, as an ``<img>`` would) into an HTML page whose viewport is 880 px
  wide, and its width is set to min(natural width, 880) px with ``height: auto`` (the viewBox is kept, so it
  scales like an image in a documentation column).
- ``smallest_text_px``: the smallest font size a reader sees, in CSS px: each visible ``<text>``'s computed
  font size (in its user units) times the scale of its screen transformation matrix (``getScreenCTM``, which
  includes Graphviz's own ``scale(...)`` and the viewBox scaling).
- ``overflows``, per font (``noto``: as rendered, whose first family is Noto Sans CJK SC; ``dejavu`` and
  ``liberation``: a ``<style>`` forcing that family on every ``<text>``): a text overflows when its box, grown
  by :data:`MARGIN` screen px on each side, is not inside its shape. The box is the text's advance width as laid
  out in that font (``getBBox``) by its em box, from 0.88 em above the baseline to 0.12 em below: where CJK
  ideographs, Latin capitals and (within the margin) descenders are inked; the font's line gap, which
  ``getBBox`` also counts, is not ink. Its shape is, within the text's ``<g class="node">`` or
  ``<g class="cluster">``, the smallest polygon, path, ellipse, rect or circle whose fill contains the text's
  anchor point (Graphviz draws each cell of an HTML-like table label as its own polygon, so a cell's text is
  checked against its cell). Texts with no such shape (edge labels, the graph title) must lie inside the SVG's
  viewport instead, with no margin. Inside means every point sampled along the grown box is in the shape's fill
  (``isPointInFill``); ``by_px`` is how many px the text lacks to have its margin (found by bisection).
- ``ellipses``: texts holding "…". ``one_char_lines`` (zh files): lines of a multi-line label (texts of one
  node, cell or edge, grouped by baseline) that hold a single CJK character, punctuation aside.
- ``crossings``: pairs of edges with no endpoint in common whose paths (``<g class="edge">``, sampled every 2
  user units with ``getPointAtLength``) intersect, each pair counted once. An edge's endpoints come from its id
  (``tail--head``, see ``virtgraph.quoting.edge_id``), else from a Graphviz ``a->b`` title.

:meth:`Browser.markdown_images` renders a Markdown file with markdown-it-py (CommonMark plus tables) into a page
880 px wide whose base is the document's folder, and reports every ``<img>`` and every image written inside code
(so CommonMark showed its text instead of the picture).

Chromium never reaches the network: Selenium is given chromedriver's path (so Selenium Manager never runs),
``SE_AVOID_STATS`` is set before Selenium is imported, background networking, component updates, sync and
metrics are off, every host name and address but 127.0.0.1 resolves to nothing (the site check serves its pages
there) and any other request goes to a proxy on the discard port of 127.0.0.1, where nothing listens (loopback
itself never goes through a proxy). chromedriver's own port is declared to the network canary.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .servers import free_port  # chromedriver listens on one, declared to the network canary

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

os.environ["SE_AVOID_STATS"] = "true"  # before Selenium is imported (it is, lazily): no usage statistics sent

REPO = Path(__file__).resolve().parent.parent.parent
OUTPUT = REPO / "output"
DEFAULT_OUT = REPO / "build" / "diagram-check"
COLUMN = 880  # px: the width of a documentation column (GitHub's README column is about 880 px)
MARGIN = 2.0  # screen px a text keeps from its shape's edge on each side
# each font a diagram is measured under: None is the font list of the SVG itself (Noto Sans CJK SC first)
FONTS: dict[str, str | None] = {"noto": None, "dejavu": "DejaVu Sans", "liberation": "Liberation Sans"}
PRIMARY_FAMILY = "Noto Sans CJK SC"

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER_CANDIDATES = ("/usr/bin/chromedriver", "chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    "--no-pings",
    "--metrics-recording-only",  # record nothing to upload: no metrics reporting
    "--safebrowsing-disable-auto-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing resolves but loopback's address
    "--proxy-server=http://127.0.0.1:9",  # any request to an address goes to the discard port: refused
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--font-render-hinting=none",
    "--lang=en-US",
)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
IMAGE_SYNTAX = re.compile(r"!\[[^\]\n]*\]\s*[\[(]|<img\b", re.I)


def find_tool(candidates: tuple[str, ...]) -> str | None:
    for name in candidates:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    return None


def missing_tools() -> str | None:
    """Why the browser cannot run here (Chromium or chromedriver missing), or None."""
    if find_tool(CHROMIUM_CANDIDATES) is None:
        return "Chromium is not installed (Debian package chromium)"
    if find_tool(CHROMEDRIVER_CANDIDATES) is None:
        return "chromedriver is not installed (Debian package chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed (pip install -e '.[test]')"
    return None


def installed_fonts() -> str:
    try:
        return subprocess.run(["fc-list"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def missing_font(family: str) -> str | None:
    """Why ``family`` cannot be measured here (not installed), or None."""
    package = {
        PRIMARY_FAMILY: "fonts-noto-cjk",
        "DejaVu Sans": "fonts-dejavu-core",
        "Liberation Sans": "fonts-liberation",
    }.get(family, "?")
    if family in installed_fonts():
        return None
    return f"the font {family} is not installed (Debian package {package})"


@dataclass
class Overflow:
    text: str
    font: str
    by_px: float  # how many px the text lacks to keep its margin (more than MARGIN: it crosses the edge)
    inside: str  # "node", "cluster" (its shape) or "viewport"


@dataclass
class Crossing:
    a: str
    b: str
    x: float  # screen px at the displayed size, from the diagram's top left
    y: float


@dataclass
class DiagramReport:
    file: str
    lang: str
    natural_width_px: float
    natural_height_px: float
    width_px: float  # displayed, at min(natural width, COLUMN)
    height_px: float
    smallest_text_px: float
    smallest_text: str
    texts: int
    overflows: dict[str, list[Overflow]] = field(default_factory=dict)
    fonts_used: dict[str, dict[str, int]] = field(default_factory=dict)  # per font: family -> glyphs (a sample)
    ellipses: list[str] = field(default_factory=list)
    one_char_lines: list[str] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)
    edges: int = 0
    screenshots: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImageReport:
    src: str  # as written in the document
    url: str  # as the browser resolved it
    alt: str
    loaded: bool
    natural_width: int
    displayed_width: float
    svg_natural_width: float | None = None  # a PNG's SVG of the same stem (beside it, else in output/)
    svg: str | None = None


@dataclass
class CodeImage:
    kind: str  # "code_block" (indented: usually an accident), "fence" or "code_inline" (written on purpose)
    line: int  # 1-based
    text: str


@dataclass
class MarkdownReport:
    file: str
    images: list[ImageReport]
    images_as_code: list[CodeImage]
    screenshot: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------------------------------- JavaScript

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>html, body {{ margin: 0; padding: 0; background: #fff; }} svg {{ display: block; }}</style>
</head><body><script>
const source = {source};
const parsed = new DOMParser().parseFromString(source, "image/svg+xml");
const error = parsed.querySelector("parsererror");
if (error) {{ document.title = "parsererror: " + error.textContent; }}
else {{ document.body.appendChild(document.importNode(parsed.documentElement, true)); }}
</script></body></html>
"""

SIZE_JS = """
const svg = document.querySelector("body > svg");
if (!svg) return null;
svg.style.width = ""; svg.style.height = "";
const natural = svg.getBoundingClientRect();
const width = Math.min(natural.width, arguments[0]);
svg.style.width = width + "px";
svg.style.height = "auto";
const shown = svg.getBoundingClientRect();
return [natural.width, natural.height, shown.width, shown.height, Math.ceil(shown.bottom)];
"""

FONT_JS = """
let style = document.getElementById("forced-font");
if (arguments[0] === null) { if (style) style.remove(); return; }
if (!style) { style = document.createElement("style"); style.id = "forced-font"; document.head.appendChild(style); }
style.textContent = 'svg text { font-family: "' + arguments[0] + '" !important; }';
"""

# per visible <text>: content, label key (which node/cell/edge), font size on screen, overflow against its shape
TEXTS_JS = """
const MARGIN = arguments[0], ABOVE = 0.88, BELOW = 0.12, SIDE = 8;
const svg = document.querySelector("body > svg");
const view = svg.getBoundingClientRect();
const SHAPES = "polygon, path, ellipse, rect, circle";
const shapeIds = new Map();
function shapeId(s) { if (!shapeIds.has(s)) shapeIds.set(s, shapeIds.size); return shapeIds.get(s); }
const groupIds = new Map();
function groupId(g) { if (!groupIds.has(g)) groupIds.set(g, groupIds.size); return groupIds.get(g); }
function area(s) { const b = s.getBBox(); return b.width * b.height; }
function local(el, p) { return p.matrixTransform(el.getScreenCTM().inverse()); }
function inFill(shape, p) { return shape.isPointInFill(local(shape, p)); }
function ring(box, m) {  // the box grown by m px (shrunk when m < 0, down to its centre line, never inverted)
  const cx = (box.l + box.r) / 2, cy = (box.t + box.b) / 2;
  const l = Math.min(box.l - m, cx), r = Math.max(box.r + m, cx);
  const t = Math.min(box.t - m, cy), b = Math.max(box.b + m, cy);
  const pts = [];
  for (let i = 0; i <= SIDE; i++) {
    const x = l + (r - l) * i / SIDE, y = t + (b - t) * i / SIDE;
    pts.push(new DOMPoint(x, t), new DOMPoint(x, b), new DOMPoint(l, y), new DOMPoint(r, y));
  }
  return pts;
}
function inside(shape, box, m) { return ring(box, m).every(p => inFill(shape, p)); }
const out = [];
for (const t of svg.querySelectorAll("text")) {
  const content = t.textContent;
  const cs = getComputedStyle(t);
  if (!content.trim() || cs.display === "none" || cs.visibility === "hidden" || t.getNumberOfChars() === 0) continue;
  const ctm = t.getScreenCTM();
  const scale = Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c));
  const size = parseFloat(cs.fontSize);
  const bb = t.getBBox();
  const start = t.getStartPositionOfChar(0);
  const baseline = start.y;
  const p0 = new DOMPoint(bb.x, baseline - ABOVE * size).matrixTransform(ctm);
  const p1 = new DOMPoint(bb.x + bb.width, baseline + BELOW * size).matrixTransform(ctm);
  const box = {l: Math.min(p0.x, p1.x), r: Math.max(p0.x, p1.x), t: Math.min(p0.y, p1.y), b: Math.max(p0.y, p1.y)};
  const xs = t.x.baseVal, ys = t.y.baseVal;
  const anchor = new DOMPoint(xs.length ? xs.getItem(0).value : start.x,
                              ys.length ? ys.getItem(0).value : baseline).matrixTransform(ctm);
  const centre = new DOMPoint((box.l + box.r) / 2, (box.t + box.b) / 2);
  const group = t.closest("g.node, g.cluster, g.edge, g.graph");
  const kind = group ? (group.classList.contains("node") ? "node" : group.classList.contains("cluster") ? "cluster"
                        : group.classList.contains("edge") ? "edge" : "graph") : "none";
  let shape = null;
  if (kind === "node" || kind === "cluster") {
    for (const point of [anchor, centre]) {
      const holding = [...group.querySelectorAll(SHAPES)]
        .filter(s => s.getBBox().width > 0 && s.getBBox().height > 0 && inFill(s, point));
      holding.sort((a, b) => area(a) - area(b));
      if (holding.length) { shape = holding[0]; break; }
    }
  }
  let by = 0, against = "viewport";
  if (shape) {
    against = kind;
    if (!inside(shape, box, MARGIN)) {
      let lo = -Math.max(box.r - box.l, box.b - box.t) / 2, hi = MARGIN;  // at lo, the box is its centre
      if (!inside(shape, box, lo)) { by = MARGIN - lo; }
      else {
        for (let i = 0; i < 16; i++) {
          const mid = (lo + hi) / 2;
          if (inside(shape, box, mid)) lo = mid; else hi = mid;
        }
        by = MARGIN - lo;
      }
    }
  } else {
    by = Math.max(view.left - box.l, box.r - view.right, view.top - box.t, box.b - view.bottom, 0);
  }
  out.push({
    text: content, px: size * scale, by: by, against: against,
    label: shape ? "shape" + shapeId(shape) : (group ? kind + groupId(group) : "none"),
    baseline: Math.round(baseline * scale * 10) / 10, x: box.l,
  });
}
return out;
"""

CROSSINGS_JS = """
const STEP = 2;
const svg = document.querySelector("body > svg");
const view = svg.getBoundingClientRect();
const edges = [];
for (const g of svg.querySelectorAll("g.edge")) {
  const title = (g.querySelector(":scope > title") || {textContent: ""}).textContent.trim();
  let ends = null;
  const parts = g.id.split("--");
  if (parts.length === 2 && parts[0] && parts[1]) ends = parts;
  else if (title.split("->").length === 2) ends = title.split("->").map(s => s.trim().split(":")[0]);
  else ends = ["?" + g.id + "#" + edges.length];
  const lines = [];
  let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
  for (const p of g.querySelectorAll("path")) {
    const m = p.getScreenCTM(), length = p.getTotalLength(), n = Math.max(1, Math.ceil(length / STEP)), pts = [];
    for (let i = 0; i <= n; i++) {
      const q = p.getPointAtLength(length * i / n).matrixTransform(m);
      pts.push([q.x - view.left, q.y - view.top]);
      l = Math.min(l, pts[i][0]); r = Math.max(r, pts[i][0]); t = Math.min(t, pts[i][1]); b = Math.max(b, pts[i][1]);
    }
    lines.push(pts);
  }
  edges.push({name: title || g.id, ends: ends, lines: lines, box: [l, t, r, b]});
}
function orient(a, b, c) {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-9 ? 0 : Math.sign(v);
}
function on(a, b, c) {  // c, collinear with a-b, lies on the segment a-b
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0])
      && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}
function cross(p1, p2, q1, q2) {
  const d1 = orient(q1, q2, p1), d2 = orient(q1, q2, p2), d3 = orient(p1, p2, q1), d4 = orient(p1, p2, q2);
  if (d1 !== d2 && d3 !== d4 && d1 * d2 <= 0 && d3 * d4 <= 0 && !(d1 === 0 && d2 === 0)) return true;
  return (d1 === 0 && on(q1, q2, p1)) || (d2 === 0 && on(q1, q2, p2))
      || (d3 === 0 && on(p1, p2, q1)) || (d4 === 0 && on(p1, p2, q2));
}
function meet(e, f) {
  for (const a of e.lines) for (const b of f.lines) for (let i = 1; i < a.length; i++) {
    const p1 = a[i - 1], p2 = a[i];
    if (Math.max(p1[0], p2[0]) < f.box[0] || Math.min(p1[0], p2[0]) > f.box[2] ||
        Math.max(p1[1], p2[1]) < f.box[1] || Math.min(p1[1], p2[1]) > f.box[3]) continue;
    for (let j = 1; j < b.length; j++) {
      if (cross(p1, p2, b[j - 1], b[j])) return [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
    }
  }
  return null;
}
const found = [];
for (let i = 0; i < edges.length; i++) for (let j = i + 1; j < edges.length; j++) {
  const e = edges[i], f = edges[j];
  if (e.ends.some(n => f.ends.includes(n))) continue;
  if (e.box[2] < f.box[0] || f.box[2] < e.box[0] || e.box[3] < f.box[1] || f.box[3] < e.box[1]) continue;
  const at = meet(e, f);
  if (at) found.push([e.name, f.name, at[0], at[1]]);
}
return [edges.length, found];
"""

IMAGES_JS = """
const done = arguments[arguments.length - 1];
const imgs = [...document.images];
Promise.all(imgs.map(i => i.complete ? Promise.resolve() : new Promise(ok => { i.onload = ok; i.onerror = ok; })))
  .then(() => done(imgs.map(i => [i.getAttribute("src") || "", i.currentSrc || i.src, i.alt,
                                  i.complete && i.naturalWidth > 0, i.naturalWidth, i.getBoundingClientRect().width])));
"""

PROBE_JS = """
const done = arguments[arguments.length - 1];
Promise.all(arguments[0].map(url => new Promise(ok => {
  const i = new Image(); i.onload = () => ok(i.naturalWidth); i.onerror = () => ok(0); i.src = url;
}))).then(done);
"""

MARKDOWN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><base href="{base}"><title>{title}</title>
<style>
html, body {{ margin: 0; padding: 0; background: #fff; }}
body {{ width: {width}px; font-family: "DejaVu Sans", sans-serif; font-size: 16px; line-height: 1.5; }}
img {{ max-width: 100%; box-sizing: content-box; }}  /* as GitHub shows images in a README */
</style></head><body>
{body}
</body></html>
"""


# ---------------------------------------------------------------------------------------------------- the browser


COLOURS_JS = r"""
const rgb = (value) => (value.match(/\d+(\.\d+)?/g) || []).slice(0, 3).map(Number);
const svg = document.querySelector("svg");
const background = svg.querySelector("g.graph polygon");
const texts = [];
for (const text of svg.querySelectorAll("text")) {
  const box = text.getBBox();
  const point = svg.createSVGPoint();
  point.x = box.x + box.width / 2; point.y = box.y + box.height / 2;
  let behind = null, area = Infinity;
  for (const shape of svg.querySelectorAll("polygon, path, ellipse")) {
    const fill = getComputedStyle(shape).fill;
    if (!fill || fill === "none" || fill.startsWith("url") || fill === "rgba(0, 0, 0, 0)") continue;
    const local = point.matrixTransform(text.getCTM().multiply(shape.getCTM().inverse()));
    if (!shape.isPointInFill(local)) continue;
    const b = shape.getBBox();
    if (b.width * b.height < area) { area = b.width * b.height; behind = fill; }
  }
  texts.push({text: text.textContent, colour: rgb(getComputedStyle(text).fill), behind: behind ? rgb(behind) : null});
}
return {background: rgb(getComputedStyle(background).fill), texts: texts};
"""


class Browser:
    """One headless Chromium (with its own throw-away profile) driven through chromedriver."""

    def __init__(self, workdir: Path | None = None) -> None:
        problem = missing_tools()
        if problem:
            raise RuntimeError(problem)
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.workdir = Path(tempfile.mkdtemp(prefix="virtgraph-chromium-", dir=workdir))
        self.pages = self.workdir / "pages"
        self.pages.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = find_tool(CHROMIUM_CANDIDATES) or ""
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.workdir / 'profile'}")
        options.add_argument(f"--window-size={COLUMN},1000")
        service = Service(
            executable_path=find_tool(CHROMEDRIVER_CANDIDATES) or "",
            port=free_port(),
            log_output=str(self.workdir / "chromedriver.log"),
            env={**os.environ, "SE_AVOID_STATS": "true"},
        )
        self.driver: WebDriver = webdriver.Chrome(service=service, options=options)
        self.driver.set_script_timeout(60)
        self._viewport(1000)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _viewport(self, height: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": COLUMN, "height": max(1, height), "deviceScaleFactor": 1, "mobile": False},
        )

    def _screenshot(self, path: Path, height: int) -> None:
        self._viewport(height)
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "clip": {"x": 0, "y": 0, "width": COLUMN, "height": height, "scale": 1}},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def _open(self, html: str, name: str) -> None:
        page = self.pages / name
        page.write_text(html, encoding="utf-8")
        self.driver.get(page.as_uri())
        self.driver.execute_async_script("document.fonts.ready.then(() => arguments[arguments.length - 1]())")

    def _fonts_used(self, sample: int = 12) -> dict[str, int]:
        """Which font families Chromium drew (a sample of) the diagram's texts with, and how many glyphs each."""
        d = self.driver
        d.execute_cdp_cmd("DOM.enable", {})
        d.execute_cdp_cmd("CSS.enable", {})
        root = d.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        ids = d.execute_cdp_cmd("DOM.querySelectorAll", {"nodeId": root, "selector": "svg text"})["nodeIds"]
        used: dict[str, int] = {}
        for node in ids[:: max(1, len(ids) // sample)]:
            for font in d.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
        return dict(sorted(used.items(), key=lambda kv: -kv[1]))

    def measure_svg(
        self,
        path: Path,
        out: Path | None = None,
        fonts: tuple[str, ...] = tuple(FONTS),
        crossings: bool = True,
    ) -> DiagramReport:
        """Show ``path`` as documentation does and measure it (see the module's docstring).

        ``fonts`` names the fonts of :data:`FONTS` to measure overflows under (text sizes, ellipses and lines come
        from the first: they do not depend on the font); ``crossings`` whether to count edge crossings. With
        ``out``, a screenshot per font (``<stem>.png`` as rendered, ``<stem>.<font>.png`` otherwise) goes there.
        """
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        source = text[text.index("<svg") :] if "<svg" in text else text
        html = PAGE.format(title=path.name, source=json.dumps(source).replace("</", "<\\/"))
        self._viewport(1000)
        self._open(html, path.stem + ".html")
        sizes = self.driver.execute_script(SIZE_JS, COLUMN)
        if sizes is None:
            raise ValueError(f"{path}: not an SVG the browser can show ({self.driver.title})")
        natural_w, natural_h, width, height, page_height = sizes
        lang = "zh" if ".zh." in path.name else "en" if ".en." in path.name else ""
        report = DiagramReport(
            file=str(path),
            lang=lang,
            natural_width_px=round(natural_w, 1),
            natural_height_px=round(natural_h, 1),
            width_px=round(width, 1),
            height_px=round(height, 1),
            smallest_text_px=0.0,
            smallest_text="",
            texts=0,
        )
        self._viewport(page_height)
        for name in fonts:
            family = FONTS[name]
            self.driver.execute_script(FONT_JS, family)
            texts = self.driver.execute_script(TEXTS_JS, MARGIN)
            report.overflows[name] = [
                Overflow(t["text"], name, round(t["by"], 1), t["against"]) for t in texts if t["by"] > 0
            ]
            report.fonts_used[name] = self._fonts_used()
            if name == fonts[0]:
                report.texts = len(texts)
                if texts:
                    smallest = min(texts, key=lambda t: t["px"])
                    report.smallest_text_px = round(smallest["px"], 2)
                    report.smallest_text = smallest["text"]
                report.ellipses = [t["text"] for t in texts if "…" in t["text"]]
                report.one_char_lines = one_char_lines(texts) if lang == "zh" else []
            if out is not None:
                shot = out / (path.stem + (".png" if family is None else f".{name}.png"))
                self._screenshot(shot, page_height)
                report.screenshots.append(str(shot))
        self.driver.execute_script(FONT_JS, None)
        if crossings:
            edges, found = self.driver.execute_script(CROSSINGS_JS)
            report.edges = edges
            report.crossings = [Crossing(a, b, round(x, 1), round(y, 1)) for a, b, x, y in found]
        return report

    def colours(self, path: Path, out: Path | None = None) -> dict[str, dict[str, Any]]:
        """The colours ``path`` is drawn in when the reader's system asks for ``light`` and for ``dark`` pages
        (``prefers-color-scheme``, emulated on one page load): the page background the diagram paints, and per
        text its colour and the fill of the shape behind it, as ``[r, g, b]``. With ``out``, a screenshot of the
        dark one goes there (``<stem>.dark.png``)."""
        text = Path(path).read_text(encoding="utf-8")
        html = PAGE.format(title=Path(path).name, source=json.dumps(text[text.index("<svg") :]).replace("</", "<\\/"))
        self._viewport(1000)
        self._open(html, f"{Path(path).stem}.colours.html")
        found: dict[str, dict[str, Any]] = {}
        try:
            for scheme in ("light", "dark"):
                self.driver.execute_cdp_cmd(
                    "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
                )
                found[scheme] = self.driver.execute_script(COLOURS_JS)
            if out is not None:
                self._screenshot(
                    out / f"{Path(path).stem}.dark.png", int(self.driver.execute_script(SIZE_JS, COLUMN)[4])
                )
        finally:
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        return found

    def markdown_images(self, document: Path, screenshot: Path | None = None) -> MarkdownReport:
        """Render ``document`` as CommonMark (plus tables) in a column 880 px wide; report its images."""
        document = Path(document).resolve()
        source = document.read_text(encoding="utf-8")
        body, as_code = render_markdown(source)
        html = MARKDOWN_PAGE.format(base=document.parent.as_uri() + "/", title=document.name, width=COLUMN, body=body)
        self._viewport(1000)
        self._open(html, document.stem + ".md.html")
        rows = self.driver.execute_async_script(IMAGES_JS)
        images = [ImageReport(src, url, alt, bool(ok), int(nw), round(dw, 1)) for src, url, alt, ok, nw, dw in rows]
        probes: list[tuple[ImageReport, Path]] = []
        for image in images:
            svg = svg_of_same_stem(image.url)
            if svg is not None:
                image.svg = str(svg)
                probes.append((image, svg))
        if probes:
            widths = self.driver.execute_async_script(PROBE_JS, [svg.as_uri() for _, svg in probes])
            for (image, _), width in zip(probes, widths, strict=True):
                image.svg_natural_width = float(width)
        report = MarkdownReport(str(document), images, as_code)
        if screenshot is not None:
            height = int(self.driver.execute_script("return Math.ceil(document.body.getBoundingClientRect().bottom)"))
            self._screenshot(screenshot, height)
            report.screenshot = str(screenshot)
        return report


def one_char_lines(texts: list[dict[str, Any]]) -> list[str]:
    """Lines of multi-line labels that hold one CJK character (punctuation and spaces aside)."""
    labels: dict[str, dict[float, list[tuple[float, str]]]] = {}
    for t in texts:
        labels.setdefault(t["label"], {}).setdefault(t["baseline"], []).append((t["x"], t["text"]))
    found = []
    for lines in labels.values():
        if len(lines) < 2:
            continue
        for runs in lines.values():
            line = "".join(text for _, text in sorted(runs))
            core = [c for c in line if not c.isspace() and not unicodedata.category(c).startswith("P")]
            if len(core) == 1 and CJK.match(core[0]):
                found.append(line)
    return found


def svg_of_same_stem(url: str) -> Path | None:
    """For a PNG at a file: URL, the SVG of the same stem beside it, else in the repository's output/."""
    if not url.startswith("file://") or not url.lower().endswith(".png"):
        return None
    from urllib.parse import unquote, urlparse

    png = Path(unquote(urlparse(url).path))
    for svg in (png.with_suffix(".svg"), OUTPUT / (png.stem + ".svg")):
        if svg.is_file():
            return svg
    return None


def render_markdown(source: str) -> tuple[str, list[CodeImage]]:
    """HTML of ``source`` (CommonMark plus tables) and the images written inside code."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(source)
    found: list[CodeImage] = []

    def look(kind: str, content: str, line: int) -> None:
        for number, text in enumerate(content.splitlines() or [content]):
            if IMAGE_SYNTAX.search(text):
                found.append(CodeImage(kind, line + (number if kind != "code_inline" else 0), text.strip()))

    for token in tokens:
        start = token.map[0] + 1 if token.map else 0
        if token.type == "code_block":
            look("code_block", token.content, start)
        elif token.type == "fence":
            look("fence", token.content, start + 1)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "code_inline":
                    look("code_inline", child.content, start)
    return md.renderer.render(tokens, md.options, {}), found


# ---------------------------------------------------------------------------------------------------- the command


def table(reports: list[DiagramReport]) -> str:
    head = ("file", "width px", "smallest px", "overflow noto/dejavu/liberation", "…", "1-char", "crossings/edges")
    rows = [head]
    for r in reports:
        over = "/".join(str(len(r.overflows.get(name, []))) for name in FONTS)
        width = f"{r.natural_width_px:g}→{r.width_px:g}"
        rows.append(
            (
                Path(r.file).name,
                width,
                f"{r.smallest_text_px:.1f}",
                over,
                str(len(r.ellipses)),
                str(len(r.one_char_lines)) if r.lang == "zh" else "-",
                f"{len(r.crossings)}/{r.edges}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def details(r: DiagramReport) -> list[str]:
    lines = []
    for name, found in r.overflows.items():
        for o in found:
            lines.append(f"  overflow ({name}, {o.inside}) by {o.by_px:g} px: {o.text}")
    lines += [f"  ellipsis: {t}" for t in r.ellipses]
    lines += [f"  one-character line: {t}" for t in r.one_char_lines]
    lines += [f"  crossing at ({c.x:g}, {c.y:g}): {c.a}  ×  {c.b}" for c in r.crossings]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.browser",
        description="Measure how readable the rendered SVGs are at a documentation column's width (880 px).",
    )
    parser.add_argument("files", nargs="*", type=Path, help="SVG files (default: every output/*.svg)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for screenshots (%(default)s)")
    parser.add_argument("--json", action="store_true", help="print every detail as JSON")
    parser.add_argument("--markdown", type=Path, action="append", default=[], help="also report a document's images")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each overflow, ellipsis, line and crossing")
    args = parser.parse_args(argv)
    files = args.files or ([] if args.markdown else sorted(OUTPUT.glob("*.svg")))
    problem = missing_tools()
    if problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 2
    started = time.monotonic()
    reports: list[DiagramReport] = []
    documents: list[MarkdownReport] = []
    try:
        with Browser() as browser:
            for path in files:
                reports.append(browser.measure_svg(path, args.out))
            for doc in args.markdown:
                documents.append(browser.markdown_images(doc, args.out / (doc.stem + ".md.png")))
    except (OSError, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                {"diagrams": [r.as_dict() for r in reports], "documents": [d.as_dict() for d in documents]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if reports:
        print(table(reports))
        if args.verbose:
            for r in reports:
                found = details(r)
                if found:
                    print(Path(r.file).name)
                    print("\n".join(found))
        print(f"\nscreenshots in {args.out}; {len(reports)} diagrams in {time.monotonic() - started:.1f} s")
    for d in documents:
        print(f"\n{d.file}")
        for i in d.images:
            extra = f", SVG of the same stem {i.svg_natural_width:g} px" if i.svg_natural_width is not None else ""
            state = "loaded" if i.loaded else "NOT LOADED"
            print(f"  {state}: {i.src}  natural {i.natural_width} px, shown {i.displayed_width:g} px{extra}")
        for c in d.images_as_code:
            print(f"  image shown as code ({c.kind}, line {c.line}): {c.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
