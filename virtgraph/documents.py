"""``virtgraph docs``: find broken images and stale embeds in Markdown, and fix them from the graph.

``check`` reads documents and reports; ``fix`` plans every change first (so bad input aborts before anything
is written), renders the images it needs, then rewrites only the image references and embed blocks it must:
every other byte of a document, line endings and trailing spaces included, stays as it was.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from .errors import UsageError
from .markdown import (
    ImageRef,
    Marker,
    apply_edits,
    conflict_markers,
    escape_alt,
    newline_of,
    scan_images,
    scan_markers,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
CONFIG_NAME = "virtgraph.toml"
PLACEHOLDER_ALTS = {"", "img", "image", "图片"}
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


# --- inputs -------------------------------------------------------------------------------------------------------


def markdown_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The Markdown files named by ``paths`` (folders are searched recursively), in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found += [Path(root) / f for f in sorted(files) if f.lower().endswith(MARKDOWN_SUFFIXES)]
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return list(dict.fromkeys(found))


def read_document(path: Path) -> str:
    """The text of ``path``: strict UTF-8 (a BOM is kept as text), no NUL bytes."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise UsageError(f"{path}: not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def document_language(text: str) -> str:
    """``zh`` when a good share of the letters are Chinese characters, else ``en``.

    >>> document_language("虚拟化技术 is fun"), document_language("A README with one word 中文")
    ('zh', 'en')
    """
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin * 0.5 else "en"


@dataclass
class Settings:
    """Where generated images go, and which broken image names map to which view."""

    images_dir: Path
    images: dict[str, dict[str, str]]


@cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(resources.files("virtgraph").joinpath("docs.toml").read_text(encoding="utf-8"))


def find_config(start: Path) -> Path | None:
    """The nearest ``virtgraph.toml`` in ``start`` or a folder above it, stopping at a repository root."""
    folder = start.resolve()
    while True:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def settings_for(document: Path, images_dir: str | os.PathLike[str] | None = None) -> Settings:
    """The settings for ``document``: package defaults, then its ``virtgraph.toml``, then ``images_dir``."""
    defaults = _defaults()
    images = {k.casefold(): dict(v) for k, v in defaults["images"].items()}
    base, folder = document.parent, defaults["docs"]["images_dir"]
    config = find_config(document.parent)
    if config is not None:
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{config}: cannot read ({exc})") from None
        images.update({k.casefold(): dict(v) for k, v in data.get("images", {}).items()})
        if "images_dir" in data.get("docs", {}):
            base, folder = config.parent, data["docs"]["images_dir"]
    if images_dir is not None:
        base, folder = Path.cwd(), images_dir
    return Settings((base / folder).resolve(), images)


# --- resolving targets --------------------------------------------------------------------------------------------


@dataclass
class Resolution:
    status: str  # ok | broken | external | embedded
    path: Path | None = None
    note: str = ""


def resolve(target: str, folder: Path) -> Resolution:
    """Where an image target points, seen from a document in ``folder`` (nothing is fetched)."""
    raw = target.strip()
    lower = raw.lower()
    if not raw:
        return Resolution("broken", note="empty target")
    if lower.startswith(("http://", "https://", "//")):
        return Resolution("external")
    if lower.startswith("data:"):
        return Resolution("embedded")
    if lower.startswith("file://"):
        raw = raw[len("file://") :]
    text = unquote(raw.split("#", 1)[0].split("?", 1)[0] if not _DRIVE.match(raw) else raw)
    if _DRIVE.match(text):
        return Resolution("broken", note="an absolute Windows path")
    path = Path(text.replace("\\", "/"))
    path = path if path.is_absolute() else folder / path
    return Resolution("ok", path) if path.exists() else Resolution("broken", path)


def file_name(target: str) -> str:
    """The file name a target ends in, whatever its slashes or encoding (for matching the mapping)."""
    return PurePosixPath(unquote(target.strip()).replace("\\", "/")).name


# --- what a document should contain -------------------------------------------------------------------------------


@dataclass
class Problem:
    path: Path
    line: int
    kind: str  # broken | external | conflict | stale | unmapped
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Render:
    """An image a fix renders: view, language, format, parameters and the file it goes to."""

    view: str
    lang: str
    fmt: str
    path: Path
    line: int
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything ``fix`` would do to one document."""

    path: Path
    text: str
    new_text: str
    renders: list[Render]
    problems: list[Problem]

    @property
    def changed(self) -> bool:
        return self.new_text != self.text

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def relative_link(target: Path, folder: Path) -> str:
    """A Markdown link to ``target`` from a document in ``folder`` (POSIX slashes, ``<...>`` if needed)."""
    link = Path(os.path.relpath(target, folder)).as_posix()
    return f"<{link}>" if re.search(r"[\s()<>]", link) else link


class Planner:
    """Works out the checks and fixes of documents against one knowledge graph (opened only when needed)."""

    def __init__(self, kg: Callable[[], Any], images_dir: str | None = None, lang: str | None = None) -> None:
        self._kg_factory = kg
        self._kg = None
        self.images_dir = images_dir
        self.lang = lang
        self._drawings: dict[tuple, Any] = {}

    @property
    def kg(self) -> Any:
        if self._kg is None:
            self._kg = self._kg_factory()
        return self._kg

    def drawing(self, view: str, lang: str, params: dict[str, str]) -> Any:
        from .render import draw

        key = (view, lang, tuple(sorted(params.items())))
        if key not in self._drawings:
            self._drawings[key] = draw(self.kg, view, lang, **params)
        return self._drawings[key]

    def plan(self, path: Path) -> Plan:
        text = read_document(path)
        try:
            markers = scan_markers(text)
        except UsageError as exc:
            raise UsageError(f"{path}: cannot parse: {exc}") from None
        settings = settings_for(path, self.images_dir)
        lang = self.lang or document_language(text)
        edits: list[tuple[int, int, str]] = []
        renders: list[Render] = []
        problems: list[Problem] = []
        inside = [(m.body.start, m.body.end) for m in markers]
        for ref in scan_images(text):
            if any(start <= ref.target_span.start < end for start, end in inside):
                continue  # embed blocks are checked as a whole below
            self._plan_image(path, ref, settings, lang, edits, renders, problems)
        for marker in markers:
            self._plan_marker(path, text, marker, settings, lang, edits, renders, problems)
        for line, marker_line in conflict_markers(text):
            problems.append(Problem(path, line, "conflict", f"merge-conflict marker left in the file: {marker_line}"))
        return Plan(path, text, apply_edits(text, edits), renders, problems)

    def _plan_image(self, path, ref: ImageRef, settings, lang, edits, renders, problems) -> None:
        found = resolve(ref.target, path.parent)
        if found.status == "external":
            problems.append(Problem(path, ref.line, "external", f"external image, not checked: {ref.target}"))
            return
        if found.status != "broken":
            return
        mapping = settings.images.get(file_name(ref.target).casefold())
        note = f" ({found.note})" if found.note else ""
        if mapping is None:
            problems.append(
                Problem(path, ref.line, "unmapped", f"broken image{note}, no view maps to it: {ref.target}")
            )
            return
        view = mapping["view"]
        view_lang = mapping.get("lang", lang)
        suffix = PurePosixPath(file_name(ref.target)).suffix.lower().lstrip(".")
        fmt = mapping.get("format") or (suffix if suffix in ("svg", "png") else "svg")
        target = settings.images_dir / f"{view}.{view_lang}.{fmt}"
        renders.append(Render(view, view_lang, fmt, target, ref.line))
        problems.append(
            Problem(path, ref.line, "broken", f"broken image{note}: {ref.target} (docs fix draws view {view!r})")
        )
        edits.append((ref.target_span.start, ref.target_span.end, relative_link(target, path.parent)))
        if ref.alt_span is not None and ref.alt.strip().casefold() in PLACEHOLDER_ALTS:
            from .build import get_view

            title = get_view(view).title[view_lang]
            if ref.kind == "html":
                import html

                edits.append((ref.alt_span.start, ref.alt_span.end, html.escape(title, quote=True)))
            else:
                edits.append((ref.alt_span.start, ref.alt_span.end, escape_alt(title)))

    def _plan_marker(self, path, text, marker: Marker, settings, lang, edits, renders, problems) -> None:
        nl = newline_of(text, marker.body.start)
        lang = marker.options.get("lang", lang)
        if lang not in ("zh", "en"):
            raise UsageError(f"{path}:{marker.line}: unknown language {lang!r} in marker; choose zh or en")
        if marker.kind == "query":
            body = self._query_body(path, marker, lang, nl)
        else:
            body = self._view_body(path, marker, settings, lang, nl, renders)
        if body != marker.body.text:
            problems.append(Problem(path, marker.line, "stale", f"stale embed: {marker.kind} {marker.name}"))
            edits.append((marker.body.start, marker.body.end, body))

    def _view_body(self, path, marker: Marker, settings, lang, nl, renders) -> str:
        from .build import get_view

        try:
            spec = get_view(marker.name)
        except UsageError as exc:
            raise UsageError(f"{path}:{marker.line}: {exc}") from None
        fmt = marker.options.get("format", "svg")
        if fmt not in ("svg", "png", "mermaid"):
            raise UsageError(f"{path}:{marker.line}: format {fmt!r} cannot be embedded; choose svg, png or mermaid")
        params: dict[str, str] = {}
        stem = marker.name
        if "concept_iri" in spec.parameters:
            from .concepts import finder
            from .errors import ConceptNotFound
            from .namespaces import local_name

            term = marker.options.get("concept")
            if not term:
                raise UsageError(f"{path}:{marker.line}: view {marker.name!r} needs concept=TERM in the marker")
            try:
                iri = finder(self.kg).find(term, lang)
            except ConceptNotFound as exc:
                raise UsageError(f"{path}:{marker.line}: {exc}") from None
            params = {"concept_iri": iri, "depth": marker.options.get("depth", "1")}
            stem = f"concept-{local_name(iri)}"
        if "max_nodes" in marker.options:
            params["max_nodes"] = marker.options["max_nodes"]
        drawing = self.drawing(marker.name, lang, params)
        if fmt == "mermaid":
            from .export import mermaid

            return f"{nl}```mermaid{nl}{mermaid(drawing.graph).replace(chr(10), nl)}```{nl}"
        if "src" in marker.options:
            target = (path.parent / marker.options["src"]).resolve()
        else:
            target = settings.images_dir / f"{stem}.{lang}.{fmt}"
        renders.append(Render(marker.name, lang, fmt, target, marker.line, params))
        alt = escape_alt(marker.options.get("alt", drawing.graph.graph["title"]).replace("_", " "))
        return f"{nl}![{alt}]({relative_link(target, path.parent)}){nl}"

    def _query_body(self, path, marker: Marker, lang, nl) -> str:
        from .formats import FORMATS, format_result
        from .sparql import named_queries

        queries = named_queries()
        if marker.name not in queries:
            raise UsageError(f"{path}:{marker.line}: unknown query {marker.name!r}; shipped: {', '.join(queries)}")
        fmt = marker.options.get("format", "table")
        if fmt not in FORMATS:
            raise UsageError(f"{path}:{marker.line}: unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
        query = queries[marker.name].text.strip()
        output = format_result(self.kg.query(query, lang=lang), fmt).rstrip("\r\n")
        command = f"$ virtgraph query {marker.name} --lang {lang}" + (f" --format {fmt}" if fmt != "table" else "")
        body = "\n".join(["", "```sparql", query, "```", "", "```console", command, output, "```", ""])
        return body.replace("\r\n", "\n").replace("\n", nl)


# --- commands -----------------------------------------------------------------------------------------------------


def stale_images(planner: Planner, plans: list[Plan]) -> list[Problem]:
    """Images that links and embeds point to (or will, after a fix) that are missing or out of date."""
    from .render import dot_hash, recorded_hash

    problems = []
    for plan in plans:
        for render in plan.renders:
            drawing = planner.drawing(render.view, render.lang, render.params)
            if recorded_hash(render.path) != dot_hash(drawing.dot):
                state = "missing" if not render.path.exists() else "out of date"
                problems.append(Problem(plan.path, render.line, "stale", f"image {render.path} is {state}"))
    return problems


def check(paths: Iterable[str], planner: Planner) -> list[Problem]:
    """Every problem of the documents at ``paths`` (external images are listed but are not failures)."""
    plans = [planner.plan(path) for path in markdown_files(paths)]
    problems = [p for plan in plans for p in plan.problems]
    problems += [
        p for p in stale_images(planner, plans) if not any(q.line == p.line and q.path == p.path for q in problems)
    ]
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.kind))


@dataclass
class FixResult:
    plans: list[Plan]
    rendered: list[Path]
    unmapped: list[Problem]


def fix(paths: Iterable[str], planner: Planner, dry_run: bool = False) -> FixResult:
    """Plan every document first, then render the images they need and rewrite what changed (atomically)."""
    from .render import dot_hash, recorded_hash, render_bytes, write_atomic

    plans = [planner.plan(path) for path in markdown_files(paths)]
    renders: dict[Path, Render] = {}
    for plan in plans:
        for render in plan.renders:
            renders.setdefault(render.path, render)
    rendered = []
    for target, render in sorted(renders.items()):
        drawing = planner.drawing(render.view, render.lang, render.params)
        if recorded_hash(target) == dot_hash(drawing.dot):
            continue
        rendered.append(target)
        if not dry_run:
            write_atomic(target, render_bytes(drawing.graph, drawing.dot, render.fmt))
    if not dry_run:
        for plan in plans:
            if plan.changed:
                write_atomic(plan.path, plan.new_text.encode("utf-8"), keep_mode=True)
    unmapped = [p for plan in plans for p in plan.problems if p.kind == "unmapped"]
    return FixResult(plans, rendered, unmapped)
