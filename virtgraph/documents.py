"""``virtgraph docs``: find broken images and stale embeds in Markdown, and fix them from the graph.

``check`` reads documents and reports; ``fix`` plans every change first (so bad input aborts before anything
is written), renders the images it needs, then rewrites only the image references and embed blocks it must:
every other byte of a document, line endings and trailing spaces included, stays as it was.

Images a Markdown renderer shows as code or text instead of as an image (:mod:`virtgraph.markdown` decides which,
with a CommonMark parser) follow these rules:

- An indented code block whose every line holds nothing but images is an accident of indentation (documents
  exported from blogs indent their pictures): ``check`` reports each of its images as code, even one whose file
  exists, and ``fix`` removes each line's code indentation (only that: a list item's own indentation stays) and
  replaces the images as it replaces any broken image. It says so for each line, and checks by parsing the new
  text that the line now displays as an image; where it would not, or where the indentation mixes in tabs inside
  a list item or quote, it leaves the line and says why.
- An indented code block with any other line is a code sample: ``check`` reports its images as code, ``fix``
  leaves them and says why (fence the sample with ``` to mark it as an example and silence the report). Except
  an image line that stands alone between blank lines (or the block's ends) and whose every image fix redraws
  from a view: the mapping says it is meant to be seen, so it is unindented as above (the source document
  indents a paragraph of prose under such a picture, in the same code block; that prose stays as it is).
- A fenced code block that is closed is an example: its images are neither reported nor changed. One that is
  never closed runs on to the end of the document (or of its list item or quote), which is seldom meant:
  ``check`` reports its images, ``fix`` leaves them.
- Markdown image syntax inside an HTML block is shown as text: ``check`` reports it, ``fix`` leaves it (a blank
  line before and after it makes it an image). An ``<img>`` tag there is an image like any other.
- Images in inline code spans and HTML comments are never reported or changed.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import NoReturn

from .choices import EMBED_FORMATS
from .doctree import CONFIG_NAME, Resolution, document_tree, file_name, markdown_files, resolve, stat_or_none
from .drawing import Drawing, draw
from .errors import ConceptNotFound, UsageError, WriteFailed
from .export import mermaid
from .files import write_atomic
from .finish import dot_hash, recorded_hash
from .graph import KnowledgeGraph
from .labels import LANGUAGES
from .markdown import (
    Block,
    Blocks,
    ImageRef,
    Marker,
    Span,
    apply_edits,
    code_blocks,
    conflict_markers,
    escape_alt,
    image_only,
    lines,
    newline_of,
    scan_images,
    scan_markers,
    unindent,
)
from .render import render_bytes
from .viewspec import get_view, view_specs

PLACEHOLDER_ALTS = {"", "img", "image", "图片"}
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


# --- inputs -------------------------------------------------------------------------------------------------------


def read_document(path: Path) -> str:
    """The text of ``path``: a regular file of strict UTF-8 (a BOM is kept as text), no NUL bytes, not huge.

    The file is opened without blocking and checked to be a regular file before anything is read, so a FIFO
    or a device never hangs the command.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{path}: not a regular file")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise UsageError(f"{path}: too large for a Markdown document ({info.st_size} bytes; at most 16 MiB)")
        try:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UsageError(f"{path}: too large for a Markdown document (more than 16 MiB)")
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


# --- the document's tree: where docs may write --------------------------------------------------------------------


def inside_tree(path: Path, roots: Iterable[Path], where: str, what: str) -> Path:
    """``path`` resolved (symlinks followed), if it lies inside one of ``roots``, outside ``.git``, and is a
    regular file or nothing yet; otherwise a one-line usage error naming ``where`` (``document:line``).

    >>> inside_tree(Path("/srv/docs/images/../images/a.svg"), [Path("/srv/docs")], "a.md:3", "image")
    PosixPath('/srv/docs/images/a.svg')
    >>> inside_tree(Path("/srv/docs/../etc/passwd"), [Path("/srv/docs")], "a.md:3", "image")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: a.md:3: image /srv/docs/../etc/passwd is outside the document's tree /srv/docs
    """
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        raise UsageError(f"{where}: cannot resolve {what} {str(path)!r}") from None
    roots = list(roots)
    if not any(resolved.is_relative_to(root) for root in roots):
        via = f" (it leads to {resolved})" if resolved != Path(os.path.normpath(path.absolute())) else ""
        raise UsageError(f"{where}: {what} {path} is outside the document's tree {roots[0]}{via}")
    if any(part.casefold() == ".git" for part in resolved.parts):
        raise UsageError(f"{where}: {what} {path} is inside a .git folder; docs never writes there")
    info = stat_or_none(resolved, where)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{where}: {what} {path} exists and is not a regular file")
    return resolved


# --- settings -----------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    """Where generated images go, which broken image names map to which view, and where images may be written.

    ``images_dir`` is as configured (not yet resolved); ``origin`` says where it came from, for messages;
    ``roots`` are the folders images may go to (the document's tree, and for ``--images-dir`` the current folder).
    """

    images_dir: Path
    images: dict[str, dict[str, str]]
    tree: Path
    folder: Path  # the document's folder (resolved): its links are relative to it
    origin: str = "images_dir"
    roots: tuple[Path, ...] = ()


@cache
def _defaults() -> tuple[str | None, dict[str, dict[str, str]]]:
    text = resources.files("virtgraph").joinpath("docs.toml").read_text(encoding="utf-8")
    return parse_config(text, "virtgraph/docs.toml")


def _key_line(text: str, key: str) -> int:
    """The first line of a TOML text that names ``key`` (bare or quoted), for messages; 1 if none does."""
    pattern = re.compile(rf"(^|[\s.\[\"']){re.escape(key)}($|[\s.=\]\"'])")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.search(line.split("#", 1)[0]):
            return number
    return 1


def parse_config(text: str, origin: str) -> tuple[str | None, dict[str, dict[str, str]]]:
    """``([docs] images_dir, [images] mapping by casefolded file name)`` of a ``virtgraph.toml``'s text.

    Every mistake is one usage error naming ``origin:line``.

    >>> parse_config('[images."A.png"]\\nview = "eras"\\n', "virtgraph.toml")
    (None, {'a.png': {'view': 'eras'}})
    >>> parse_config('[docs]\\nimages_dir = 3\\n', "virtgraph.toml")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: virtgraph.toml:2: [docs] images_dir must be a folder name in quotes, not 3
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{origin}: not valid TOML ({exc})") from None

    def fail(key: str, message: str) -> NoReturn:
        raise UsageError(f"{origin}:{_key_line(text, key)}: {message}")

    for key in data:
        if key not in ("docs", "images") or not isinstance(data[key], dict):
            fail(key, f'unexpected {key!r}; a virtgraph.toml has the tables [docs] and [images."FILE NAME"]')
    docs = data.get("docs", {})
    for key in docs:
        if key != "images_dir":
            fail(key, f"unknown setting {key!r} in [docs]; the one setting is images_dir")
    images_dir = docs.get("images_dir")
    if images_dir is not None and (not isinstance(images_dir, str) or not images_dir.strip() or "\x00" in images_dir):
        fail("images_dir", f"[docs] images_dir must be a folder name in quotes, not {images_dir!r}")
    images = {}
    for name, entry in data.get("images", {}).items():
        images[name.casefold()] = _mapping(name, entry, partial(fail, name))
    return images_dir, images


def _mapping(name: str, entry: object, fail: Callable[[str], NoReturn]) -> dict[str, str]:
    """One ``[images."NAME"]`` entry, checked: ``view`` (a shipped view without parameters), ``lang``, ``format``."""
    table = f'[images."{name}"]'
    if not isinstance(entry, dict):
        fail(f'{table} must be a table such as view = "eras", not {entry!r}')
    unknown = sorted(set(entry) - {"view", "lang", "format"})
    if unknown:
        fail(f"unknown key {unknown[0]!r} in {table}; known: view, lang, format")
    view = entry.get("view")
    specs = view_specs()
    if not isinstance(view, str):
        fail(f'{table} needs view = "NAME" (one of: {", ".join(specs)})')
    if view not in specs:
        fail(f"unknown view {view!r} in {table}; choose one of: {', '.join(specs)}")
    if specs[view].parameters:
        fail(f"view {view!r} in {table} needs a concept and cannot replace an image; embed it with a marker")
    if entry.get("lang", "zh") not in LANGUAGES:
        fail(f"unknown lang {entry['lang']!r} in {table}; choose one of: {', '.join(LANGUAGES)}")
    if entry.get("format", "svg") not in ("svg", "png"):
        fail(f"unknown format {entry['format']!r} in {table}; choose svg or png")
    return dict(entry)


def _read_config(config: Path) -> tuple[str | None, dict[str, dict[str, str]]]:
    try:
        text = config.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{config}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{config}: cannot read ({exc.strerror})") from None
    return parse_config(text, str(config))


def settings_for(document: Path, images_dir: str | os.PathLike[str] | None = None) -> Settings:
    """The settings for ``document``: package defaults, then its ``virtgraph.toml``, then ``images_dir``.

    Images go inside the document's tree (:func:`document_tree`); an ``images_dir`` given here (``--images-dir``)
    may also lie inside the current folder. Nothing is checked until an image is planned, so a document that
    needs no image is never refused for its settings.
    """
    default_dir, defaults = _defaults()
    images = dict(defaults)
    tree = document_tree(document)
    base, folder, origin = document.absolute().parent, default_dir or "images", "images_dir"
    roots: tuple[Path, ...] = (tree,)
    config = tree / CONFIG_NAME
    if config.is_file():
        configured_dir, configured = _read_config(config)
        images.update(configured)
        if configured_dir is not None:
            base, folder, origin = config.parent, configured_dir, f"[docs] images_dir of {config}"
    if images_dir is not None:
        if not str(images_dir) or "\x00" in str(images_dir):
            raise UsageError(f"--images-dir must name a folder, not {str(images_dir)!r}")
        base, folder, origin = Path.cwd(), str(images_dir), "--images-dir"
        roots = (tree, Path.cwd().resolve())
    return Settings(base / folder, images, tree, document.absolute().parent.resolve(), origin, roots)


# --- resolving targets --------------------------------------------------------------------------------------------


def printable(text: str) -> str:
    r"""``text`` with control characters and line separators escaped, safe to print on one terminal line.

    >>> print(printable("a\x1b[31mb\nc\u2028"))
    a\x1b[31mb\nc\u2028
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


# --- what a document should contain -------------------------------------------------------------------------------


Edit = tuple[int, int, str]
"""A change to a document: replace ``text[start:end]`` with the string."""


@dataclass
class Problem:
    path: Path
    line: int
    kind: str  # broken | code | external | conflict | stale | unmapped
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.message}")


@dataclass
class Render:
    """An image a fix renders: view, language, format, parameters and the file it goes to (resolved)."""

    view: str
    lang: str
    fmt: str
    path: Path
    line: int
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything ``fix`` would do to one document; ``target`` is the file written (a symlink's target)."""

    path: Path
    text: str
    new_text: str
    renders: list[Render]
    problems: list[Problem]
    target: Path | None = None
    unindented: list[tuple[int, str]] = field(default_factory=list)  # (line, the indentation fix removes)
    left: list[Problem] = field(default_factory=list)  # images in code that fix leaves, each saying why

    @property
    def changed(self) -> bool:
        return self.new_text != self.text

    def diff(self) -> str:
        diff = difflib.unified_diff(
            [line for _, line in lines(self.text)],
            [line for _, line in lines(self.new_text)],
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)


def relative_link(target: Path, folder: Path) -> str:
    """A Markdown link to ``target`` from a document in ``folder`` (POSIX slashes, ``<...>`` if needed).

    >>> relative_link(Path("/d/images/a b.svg"), Path("/d/notes")), relative_link(Path("/d/x.svg"), Path("/d"))
    ('<../images/a b.svg>', 'x.svg')
    """
    link = Path(os.path.relpath(target, folder)).as_posix()
    return f"<{link}>" if re.search(r"[\s()<>]", link) else link


@cache
def view_title(view: str, lang: str) -> str:
    """The title of a shipped view in ``lang``, read once per process."""
    return get_view(view).title[lang]


VIEW_OPTIONS = ("lang", "format", "concept", "depth", "max_nodes", "alt", "src")
QUERY_OPTIONS = ("lang", "format")
_LIMITS = {"depth": (1, 5), "max_nodes": (5, 10000)}  # as render --depth and --max-nodes


def marker_options(where: str, marker: Marker, concept_view: bool) -> dict[str, str]:
    """The options of ``marker``, checked: known keys only, numbers in range, ``concept``/``depth`` where they apply.

    >>> m = Marker("view", "concept", {"concept": "KVM", "depth": "9"}, 3, None)
    >>> marker_options("a.md:3", m, concept_view=True)
    Traceback (most recent call last):
    virtgraph.errors.UsageError: a.md:3: marker option depth=9 must be a whole number from 1 to 5
    """
    known = VIEW_OPTIONS if marker.kind == "view" else QUERY_OPTIONS
    for key, value in marker.options.items():
        if key not in known:
            raise UsageError(f"{where}: unknown option {key!r} in a {marker.kind} marker; known: {', '.join(known)}")
        if key in ("concept", "depth") and not concept_view:
            raise UsageError(f"{where}: option {key}= applies only to a view of one concept (e.g. view concept)")
        if key in _LIMITS:
            low, high = _LIMITS[key]
            if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
                raise UsageError(f"{where}: marker option {key}={value} must be a whole number from {low} to {high}")
    return marker.options


class Planner:
    """Works out the checks and fixes of documents against one knowledge graph (opened only when needed)."""

    def __init__(
        self, kg: Callable[[], KnowledgeGraph], images_dir: str | None = None, lang: str | None = None
    ) -> None:
        self._kg_factory = kg
        self._kg: KnowledgeGraph | None = None
        self.images_dir = images_dir
        self.lang = lang
        self._drawings: dict[tuple[str, str, tuple[tuple[str, str], ...]], Drawing] = {}
        self._checked: dict[tuple[Path, tuple[Path, ...]], Path] = {}  # image paths already found inside their tree
        self._resolved: dict[tuple[str, Path], Resolution] = {}
        self.plans: list[Plan] = []  # every plan made so far, in order (docs check records what they looked at)

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            self._kg = self._kg_factory()
        return self._kg

    def drawing(self, view: str, lang: str, params: dict[str, str]) -> Drawing:
        """:func:`~virtgraph.drawing.draw` with a marker's ``concept``/``depth``/``max_nodes``, once per process."""
        key = (view, lang, tuple(sorted(params.items())))
        if key not in self._drawings:
            depth, max_nodes = params.get("depth"), params.get("max_nodes")
            self._drawings[key] = draw(
                self.kg,
                view,
                lang,
                concept=params.get("concept"),
                depth=int(depth) if depth else 1,
                max_nodes=int(max_nodes) if max_nodes else None,
            )
        return self._drawings[key]

    def plan(self, path: Path) -> Plan:
        """What ``fix`` would do to ``path``; every path it would write is checked here, before any is written.

        A BOM stays where it is: the Markdown after it is scanned and edited. A document that is a symlink is
        read, resolved and written as the file it leads to (the link stays), unless that file lies outside the
        link's tree: then it is refused.
        """
        text = read_document(path)
        target = inside_tree(path, [document_tree(path)], str(path), "document")
        settings = settings_for(target, self.images_dir)
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        try:
            markers = scan_markers(body)
        except UsageError as exc:
            raise UsageError(f"{path}: cannot parse: {exc}") from None
        lang = self.lang or document_language(body)
        edits: list[Edit] = []
        renders: list[Render] = []
        problems: list[Problem] = []
        inside = [(m.body.start, m.body.end) for m in markers]
        code: list[ImageRef] = []
        for ref in scan_images(body, code=True):
            where = (ref.span or ref.target_span).start
            if any(start <= where < end for start, end in inside):
                continue  # embed blocks are checked as a whole below
            if ref.code is None:
                self._plan_image(path, ref, settings, lang, edits, renders, problems)
            else:
                code.append(ref)
        unindented: list[tuple[int, str]] = []
        left: list[Problem] = []
        if code:
            self._plan_code(path, body, code, settings, lang, edits, renders, problems, unindented, left)
        for marker in markers:
            self._plan_marker(path, body, marker, settings, lang, edits, renders, problems)
        for line, marker_line in conflict_markers(body):
            problems.append(Problem(path, line, "conflict", f"merge-conflict marker left in the file: {marker_line}"))
        plan = Plan(path, text, bom + apply_edits(body, edits), renders, problems, target, unindented, left)
        self.plans.append(plan)
        return plan

    def consulted(self) -> tuple[list[Path], dict[str, str]]:
        """What the plans so far looked at on disk: every image target resolved, and every generated image's path
        (as configured) with the file it resolved to."""
        targets = [found.path for found in self._resolved.values() if found.path is not None]
        return targets, {str(key[0]): str(value) for key, value in self._checked.items()}

    def _plan_code(
        self,
        path: Path,
        text: str,
        refs: list[ImageRef],
        settings: Settings,
        lang: str,
        edits: list[Edit],
        renders: list[Render],
        problems: list[Problem],
        unindented: list[tuple[int, str]],
        left: list[Problem],
    ) -> None:
        """Images shown as code (see the module's rules): report them, unindent the loose ones, leave the rest."""
        blocks = code_blocks(text)
        by_block: dict[Block, list[ImageRef]] = {}
        for ref in refs:
            assert ref.code is not None
            by_block.setdefault(ref.code, []).append(ref)
        for block, found in by_block.items():
            if block.kind == "fence" and block.closed:
                continue  # an example in documentation
            cuts, why = self._unindents(text, block, blocks, refs, settings)
            for ref in found:
                source = ref.span.text if ref.span else ref.target
                problems.append(Problem(path, ref.line, "code", f"renders as code, not as an image: {source}"))
                if ref.line in cuts:
                    self._plan_image(path, ref, settings, lang, edits, renders, [])
                else:
                    left.append(Problem(path, ref.line, "code", f"{source} left as it is: {why.get(ref.line, '')}"))
            for line, cut in sorted(cuts.items()):
                edits.append((cut.start, cut.end, ""))
                unindented.append((line, cut.text))

    def _unindents(
        self, text: str, block: Block, blocks: Blocks, refs: list[ImageRef], settings: Settings
    ) -> tuple[dict[int, Span], dict[int, str]]:
        """The indentation to remove from each line of ``block``, and why each other line is left as it is.

        An indented code block is unindented line by line when every line holds only images; when it has other
        lines, only an image line that stands alone between blank lines (or the block's ends) and whose every
        image fix redraws from a view: the mapping says it is meant to be seen (the source document indents an
        indented paragraph of prose right under such a picture, in the same block).
        """
        if block.kind == "fence":
            return {}, dict.fromkeys(block.lines(), f"it is inside {block.describe()}; close the fence")
        if block.kind == "html":
            reason = f"Markdown is not read inside {block.describe()}; leave a blank line before and after the image"
            return {}, dict.fromkeys(block.lines(), reason)
        code_lines = [line for line in block.lines() if block.code_line(line).strip()]
        images = [line for line in code_lines if image_only(text, block, line, refs, blocks)]
        why = dict.fromkeys(
            block.lines(),
            f"it is part of a code sample ({block.describe()}); unindent it by hand if it is meant as an image, or "
            "fence the sample with ``` if it is an example",
        )
        if len(images) < len(code_lines):
            alone = [line for line in images if not {line - 1, line + 1} & set(code_lines)]
            images = [line for line in alone if all(self._redrawn(r, settings) for r in refs if r.line == line)]
        cuts: dict[int, Span] = {}
        for line in images:
            cut = unindent(text, block, line, blocks)
            if cut is None:
                why[line] = "its indentation has tabs inside a list item or quote; remove it by hand"
            else:
                cuts[line] = cut
        while cuts:  # parse the result: each line must now show its images (lines keep their numbers)
            after = scan_images(apply_edits(text, [(cut.start, cut.end, "") for cut in cuts.values()]), code=True)
            still = {ref.line for ref in after if ref.code is not None} & set(cuts)
            if not still:
                break
            for line in still:
                del cuts[line]
                why[line] = "removing its indentation would not make it display; edit it by hand"
        return cuts, why

    def _redrawn(self, ref: ImageRef, settings: Settings) -> bool:
        """Whether ``ref`` is a broken image that fix replaces with a view."""
        broken = self._resolve(ref.target, settings.folder).status == "broken"
        return broken and file_name(ref.target).casefold() in settings.images

    def _image_path(self, path: Path, line: int, settings: Settings, name: str) -> Path:
        """Where generated image ``name`` goes for the document at ``path``, checked to lie inside its tree."""
        key = (settings.images_dir / name, settings.roots)
        if key not in self._checked:
            where, what = f"{path}:{line}", f"image path (from {settings.origin})"
            self._checked[key] = inside_tree(key[0], settings.roots, where, what)
        return self._checked[key]

    def _resolve(self, target: str, folder: Path) -> Resolution:
        """:func:`resolve`, once per target and folder (a document may repeat one image many times)."""
        key = (target, folder)
        if key not in self._resolved:
            self._resolved[key] = resolve(target, folder)
        return self._resolved[key]

    def _plan_image(
        self,
        path: Path,
        ref: ImageRef,
        settings: Settings,
        lang: str,
        edits: list[Edit],
        renders: list[Render],
        problems: list[Problem],
    ) -> None:
        found = self._resolve(ref.target, settings.folder)
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
        target = self._image_path(path, ref.line, settings, f"{view}.{view_lang}.{fmt}")
        renders.append(Render(view, view_lang, fmt, target, ref.line))
        problems.append(
            Problem(path, ref.line, "broken", f"broken image{note}: {ref.target} (docs fix draws view {view!r})")
        )
        edits.append((ref.target_span.start, ref.target_span.end, relative_link(target, settings.folder)))
        if ref.alt_span is not None and ref.alt.strip().casefold() in PLACEHOLDER_ALTS:
            title = view_title(view, view_lang)
            if ref.kind == "html":
                import html

                edits.append((ref.alt_span.start, ref.alt_span.end, html.escape(title, quote=True)))
            else:
                edits.append((ref.alt_span.start, ref.alt_span.end, escape_alt(title)))

    def _plan_marker(
        self,
        path: Path,
        text: str,
        marker: Marker,
        settings: Settings,
        lang: str,
        edits: list[Edit],
        renders: list[Render],
        problems: list[Problem],
    ) -> None:
        nl = newline_of(text, marker.body.start)
        lang = marker.options.get("lang", lang)
        if lang not in LANGUAGES:
            raise UsageError(f"{path}:{marker.line}: unknown language {lang!r} in marker; choose zh or en")
        if marker.kind == "query":
            marker_options(f"{path}:{marker.line}", marker, concept_view=False)
            body = self._query_body(path, marker, lang, nl)
        else:
            body = self._view_body(path, marker, settings, lang, nl, renders)
        if body != marker.body.text:
            problems.append(Problem(path, marker.line, "stale", f"stale embed: {marker.kind} {marker.name}"))
            edits.append((marker.body.start, marker.body.end, body))

    def _view_body(
        self, path: Path, marker: Marker, settings: Settings, lang: str, nl: str, renders: list[Render]
    ) -> str:
        where = f"{path}:{marker.line}"
        try:
            spec = get_view(marker.name)
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
        options = marker_options(where, marker, concept_view=spec.needs_concept)
        fmt = options.get("format", "svg")
        if fmt not in EMBED_FORMATS:
            raise UsageError(f"{where}: format {fmt!r} cannot be embedded; choose {', '.join(EMBED_FORMATS)}")
        if spec.needs_concept and not options.get("concept"):
            raise UsageError(f"{where}: view {marker.name!r} needs concept=TERM in the marker")
        params: dict[str, str] = {key: options[key] for key in ("concept", "depth", "max_nodes") if key in options}
        try:
            drawing = self.drawing(marker.name, lang, params)
        except ConceptNotFound as exc:
            raise ConceptNotFound(f"{where}: {exc}", exc.suggestions) from None
        if fmt == "mermaid":
            return f"{nl}```mermaid{nl}{mermaid(drawing.graph).replace(chr(10), nl)}```{nl}"
        if "src" in options:
            target = inside_tree(settings.folder / options["src"], [settings.tree], where, "src=")
        else:
            target = self._image_path(path, marker.line, settings, drawing.file_name(fmt))
        renders.append(Render(marker.name, lang, fmt, target, marker.line, params))
        alt = escape_alt(options.get("alt", drawing.title).replace("_", " "))
        return f"{nl}![{alt}]({relative_link(target, settings.folder)}){nl}"

    def _query_body(self, path: Path, marker: Marker, lang: str, nl: str) -> str:
        from .choices import QUERY_FORMATS
        from .formats import format_result
        from .sparql import named_queries

        queries = named_queries()
        if marker.name not in queries:
            raise UsageError(f"{path}:{marker.line}: unknown query {marker.name!r}; shipped: {', '.join(queries)}")
        fmt = marker.options.get("format", "table")
        if fmt not in QUERY_FORMATS:
            raise UsageError(f"{path}:{marker.line}: unknown format {fmt!r}; choose one of: {', '.join(QUERY_FORMATS)}")
        query = queries[marker.name].text.strip()
        output = format_result(self.kg.query(query, lang=lang), fmt).rstrip("\r\n")
        command = f"$ virtgraph query {marker.name} --lang {lang}" + (f" --format {fmt}" if fmt != "table" else "")
        body = "\n".join(["", "```sparql", query, "```", "", "```console", command, output, "```", ""])
        return body.replace("\r\n", "\n").replace("\n", nl)


# --- commands -----------------------------------------------------------------------------------------------------


def stale_images(planner: Planner, plans: list[Plan]) -> list[Problem]:
    """Images that links and embeds point to (or will, after a fix) that are missing or out of date."""
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
    """What ``fix`` did (or, in a dry run, would do).

    ``unmapped``: broken images no view maps to; ``notes``: what fix changed besides targets and alt texts (the
    indentation it removed so an image displays); ``left``: images shown as code that fix left, each saying why.
    """

    plans: list[Plan]
    rendered: list[Path]
    unmapped: list[Problem]
    notes: list[Problem] = field(default_factory=list)
    left: list[Problem] = field(default_factory=list)


def whitespace_words(whitespace: str) -> str:
    """How a message names a run of indentation.

    >>> whitespace_words("      "), whitespace_words("\\t"), whitespace_words(" \\t\\t")
    ('6 spaces', '1 tab', '2 tabs and 1 space')
    """
    tabs, spaces = whitespace.count("\t"), whitespace.count(" ")
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((tabs, "tab"), (spaces, "space")) if n]
    return " and ".join(parts)


def _write(path: Path, data: bytes, keep_mode: bool = False) -> None:
    """Write ``path`` whole or not at all (see ``render.write_atomic``); any OS error is :class:`WriteFailed`."""
    try:
        write_atomic(path, data, keep_mode=keep_mode)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def fix(paths: Iterable[str], planner: Planner, dry_run: bool = False) -> FixResult:
    """Plan every document first, then render the images they need and rewrite what changed (atomically).

    Planning checks every path that will be written (see :func:`inside_tree`), so refused input stops the
    command before anything is written; documents are written last, so a failed image leaves them as they were.
    """
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
            _write(target, render_bytes(drawing.graph, drawing.dot, render.fmt))
    if not dry_run:
        for plan in plans:
            if plan.changed:
                _write(plan.target or plan.path, plan.new_text.encode("utf-8"), keep_mode=True)
    unmapped = [p for plan in plans for p in plan.problems if p.kind == "unmapped"]
    verb = "would remove" if dry_run else "removed"
    notes = [
        Problem(plan.path, line, "unindent", f"{verb} {whitespace_words(cut)} of indentation so the image displays")
        for plan in plans
        for line, cut in plan.unindented
    ]
    return FixResult(plans, rendered, unmapped, notes, [p for plan in plans for p in plan.left])
