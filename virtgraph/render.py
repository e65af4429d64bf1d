"""The edge of the drawing pipeline: running Graphviz, finishing SVGs, writing files atomically, checking renders.

Everything before this module is pure (graph → view → DiGraph → DOT). Here ``dot`` runs (one
subprocess call, in :func:`run_dot`), the SVG gets a proper ``<title>``/``<desc>``, readable node titles and a
record of the DOT it came from, and files are written to a temporary name and renamed into place, so a
failed render never leaves a half-written file.

Every SVG (and PNG) records ``sha256(DOT)``: ``render --check`` and incremental ``render --all`` compare that
record with the DOT the ontology gives now, so they do not depend on the Graphviz version.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RenderFailed, ToolMissing, UnknownName, UsageError, WriteFailed
from .labels import LANGUAGES

FORMATS = ("svg", "png", "pdf", "dot", "json", "graphml", "mermaid")
EXTENSIONS = {
    "svg": "svg",
    "png": "png",
    "pdf": "pdf",
    "dot": "dot",
    "json": "json",
    "graphml": "graphml",
    "mermaid": "mmd",
}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
VG_NS = "https://w3id.org/virtgraph/ontology#"
PNG_KEY = "virtgraph:dot-sha256"
PNG_DPI = 144


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UnknownName(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt


def dot_hash(dot_source: str) -> str:
    """The fingerprint recorded in every render: sha256 of the DOT text."""
    return hashlib.sha256(dot_source.encode("utf-8")).hexdigest()


def run_dot(dot_source: str, fmt: str) -> bytes:
    """Run Graphviz ``dot`` on ``dot_source`` and return its ``fmt`` output (svg, png or pdf).

    The one place that runs the executable: a missing ``dot`` becomes :class:`ToolMissing`, a failing one
    :class:`RenderFailed` with dot's last error line.
    """
    import shutil
    import subprocess

    executable = shutil.which("dot")
    if executable is None:
        raise ToolMissing(
            "Graphviz 'dot' is not installed; install the Debian package 'graphviz' (apt-get install graphviz)"
        )
    command = [executable, f"-T{fmt}:cairo" if fmt in ("png", "pdf") else f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={PNG_DPI}")
    done = subprocess.run(command, input=dot_source.encode("utf-8"), capture_output=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderFailed(f"dot failed: {detail[-1] if detail else f'exit status {done.returncode}'}")
    return done.stdout


# --- SVG finishing ----------------------------------------------------------------------------------------------


def finish_svg(svg: bytes, graph: Any, dot_source: str) -> bytes:
    """Give Graphviz's SVG a title, description, readable node titles and the DOT fingerprint."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    ET.register_namespace("vg", VG_NS)
    root = ET.fromstring(svg)
    q = f"{{{SVG_NS}}}"
    titles = _titles(graph)

    # the diagram's own title and description come first, for screen readers and hover text
    from .quoting import clean

    title = ET.Element(f"{q}title")
    title.text = clean(graph.graph["title"])
    desc = ET.Element(f"{q}desc")
    desc.text = clean(graph.graph["description"])
    if graph.graph.get("omitted"):
        from .messages import say

        note = say("omitted", graph.graph["lang"], n=graph.graph["omitted"], max=graph.graph["max_nodes"])
        desc.text += f" ({note})"
    metadata = ET.Element(f"{q}metadata")
    ET.SubElement(
        metadata,
        f"{{{VG_NS}}}render",
        {
            "view": graph.graph["view"],
            "lang": graph.graph["lang"],
            "dot-sha256": dot_hash(dot_source),
        },
    )
    for i, element in enumerate((title, desc, metadata)):
        root.insert(i, element)
    title_id = f"title-{graph.graph['view']}-{graph.graph['lang']}"
    root.set("role", "img")
    root.set("aria-labelledby", title_id)
    title.set("id", title_id)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-Hans" if graph.graph["lang"] == "zh" else "en")

    for group in root.iter(f"{q}g"):
        gid = group.get("id", "")
        child = group.find(f"{q}title")
        if child is None:
            continue
        if group.get("class") == "graph":
            child.text = clean(graph.graph["title"])
        elif gid in titles:
            child.text = titles[gid]
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + body + "\n").encode("utf-8")


def _titles(graph: Any) -> dict[str, str]:
    """SVG ``<g id>`` → the text its ``<title>`` should carry (label — definition), from the DiGraph."""
    from .quoting import clean, edge_id, node_id

    out = {"legend": "", "stacks": graph.graph["title"]}
    for nid, attrs in graph.nodes(data=True):
        text = attrs.get("label", "")
        if attrs.get("definition"):
            text += " — " + attrs["definition"]
        out[node_id(nid)] = clean(text)
    for source, target, attrs in graph.edges(data=True):
        relation = attrs.get("relation_label", "")
        text = f"{graph.nodes[source].get('label', source)} → {graph.nodes[target].get('label', target)}"
        out[edge_id(source, target)] = clean(text + (f" ({relation})" if relation else ""))
    out["legend"] = "Legend" if graph.graph["lang"] == "en" else "图例"
    return out


def recorded_hash(path: Path) -> str | None:
    """The DOT fingerprint recorded in a rendered SVG or PNG, or None when there is none."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix == ".svg":
        match = re.search(rb'dot-sha256="([0-9a-f]{64})"', data)
        return match.group(1).decode() if match else None
    if path.suffix == ".png":
        return _png_text(data).get(PNG_KEY)
    if path.suffix == ".dot":
        return dot_hash(data.decode("utf-8", "replace"))
    return None


# --- PNG text chunks ---------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tag_png(png: bytes, key: str, value: str) -> bytes:
    """``png`` with a ``tEXt`` chunk ``key=value`` inserted after the header chunk."""
    signature, rest = png[:8], png[8:]
    ihdr_len = struct.unpack(">I", rest[:4])[0] + 12
    chunk = _png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    return signature + rest[:ihdr_len] + chunk + rest[ihdr_len:]


def _png_text(png: bytes) -> dict[str, str]:
    out, pos = {}, 8
    while pos + 8 <= len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        kind = png[pos + 4 : pos + 8]
        if kind == b"tEXt":
            key, _, value = png[pos + 8 : pos + 8 + length].partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        if kind == b"IDAT":
            break
        pos += length + 12
    return out


# --- writing ----------------------------------------------------------------------------------------------------


#: The temporary files of :func:`write_atomic`: ``.<name>.<8 random characters>.tmp`` next to the target.
TEMP_PATTERN = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_TEMP_NAME_BYTES = 200  # room left in a 255-byte file name for the dot, the random part and ".tmp"


def write_atomic(path: Path, data: bytes, keep_mode: bool = False) -> None:
    """Write ``data`` to ``path``: whole or not at all, whatever ``path`` is.

    * a regular file (or a new name) is written to a temporary file in the same folder and renamed into place,
      so a failure leaves the old file untouched and no temporary file behind; ``keep_mode`` keeps the
      permissions of the file being replaced (documents), new files get 0644;
    * a symlink is followed: its target is written that way and the link stays a link;
    * a character device (``/dev/null``, ``/dev/stdout``) or a FIFO is written into, never replaced; a FIFO no
      process is reading is refused at once instead of blocking;
    * a directory, block device or socket is refused (:class:`UsageError`, exit 2).

    Every other failure (read-only file system, permission, no space, name too long) is :class:`WriteFailed`.
    """
    target = Path(os.path.realpath(path)) if str(path) else Path(path)
    try:
        kind = target.stat().st_mode
    except FileNotFoundError:
        kind = 0
    except OSError as exc:
        raise _write_failed(path, exc) from None
    _refuse_unwritable(path, kind)
    if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
        _write_into(path, target, data, fifo=stat.S_ISFIFO(kind))
    else:
        _replace(path, target, data, stat.S_IMODE(kind) if keep_mode and kind else 0o644)


def contained(path: Path, tree: Path | None = None) -> Path:
    """``path``, checked not to lead out of the working tree ``tree`` (default: the current folder).

    A path named inside the tree must stay there once symlinks are followed, and must not reach into a
    ``.git`` folder it did not name: a link planted in a repository's ``output/`` cannot make a render write
    elsewhere. A path named outside the tree (``-o /tmp/a.svg``, ``-o /dev/null``) is the user's own choice.
    Refusals are :class:`UsageError` (exit 2), raised before anything is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     (root / "out").symlink_to("/etc")
    ...     contained(root / "a.svg", root) == root / "a.svg", contained(Path("/tmp/b.svg"), root)
    (True, PosixPath('/tmp/b.svg'))
    """
    root = (tree or Path.cwd()).resolve()
    named = Path(os.path.normpath(Path(path).absolute()))
    if not named.is_relative_to(root):
        return path
    try:
        resolved = named.resolve()
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"cannot resolve {_shown(path)}: {getattr(exc, 'strerror', None) or exc}") from None
    if not resolved.is_relative_to(root):
        raise UsageError(f"{_shown(path)} leads out of {root} through a symlink (to {_shown(resolved)}); refused")
    if ".git" in resolved.relative_to(root).parts and ".git" not in named.relative_to(root).parts:
        raise UsageError(f"{_shown(path)} leads into a .git folder through a symlink; refused")
    return path


def check_output_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The output folder of ``render --all``/``--check``, if it is a folder or does not exist yet (else exit 2)."""
    folder = Path(out_dir)
    try:
        kind = folder.stat().st_mode
    except FileNotFoundError:
        return folder
    except OSError as exc:
        raise UsageError(f"cannot use {_shown(folder)} as the output folder: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(kind):
        raise UsageError(f"{_shown(folder)} is not a folder; --output-dir names the folder of --all and --check")
    return folder


def _refuse_unwritable(path: Path, kind: int) -> None:
    """Refuse targets that are no file to write (bad usage, exit 2)."""
    if not str(path):
        raise UsageError("the output file name is empty")
    if stat.S_ISDIR(kind):
        raise UsageError(f"{_shown(path)} is a directory; name a file to write")
    if stat.S_ISBLK(kind) or stat.S_ISSOCK(kind):
        what = "block device" if stat.S_ISBLK(kind) else "socket"
        raise UsageError(f"{_shown(path)} is a {what}; virtgraph writes only files, character devices and FIFOs")


def _write_into(path: Path, target: Path, data: bytes, fifo: bool) -> None:
    """Write ``data`` into an existing character device or FIFO (no temporary file, no rename)."""
    flags = os.O_WRONLY | os.O_NOCTTY | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise WriteFailed(f"cannot write {_shown(path)}: no process is reading this FIFO") from None
        raise _write_failed(path, exc) from None
    try:
        if fifo:
            os.set_blocking(fd, True)  # a reader is there: wait for it like any writer would
        _write_all(fd, data)
    except OSError as exc:
        raise _write_failed(path, exc) from None
    finally:
        os.close(fd)


def _replace(path: Path, target: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temporary file next to ``target`` and rename it over ``target``."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stem = target.name.encode("utf-8", "surrogateescape")[:_TEMP_NAME_BYTES].decode("utf-8", "ignore")
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=target.parent)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _write_failed(path, exc) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the open file descriptor ``fd`` (``os.write`` may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_failed(path: Path, exc: OSError) -> WriteFailed:
    """A one-line :class:`WriteFailed` from an ``OSError`` (its reason, not its traceback).

    >>> str(_write_failed(Path("out/a.svg"), OSError(28, "No space left on device")))
    'cannot write out/a.svg: No space left on device'
    """
    return WriteFailed(f"cannot write {_shown(path)}: {exc.strerror or exc}")


def _shown(path: Path | str) -> str:
    """``path`` for a one-line message: control characters (newlines, terminal escapes) shown escaped.

    >>> _shown("a.svg"), _shown("a\\nb\\x1b[31m.svg")
    ('a.svg', "'a\\\\nb\\\\x1b[31m.svg'")
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; a closed or failing stdout is :class:`WriteFailed`, not a traceback."""
    import sys

    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise WriteFailed("cannot write to standard output: it is closed")
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteFailed(f"cannot write to standard output: {reason}") from None


def temp_leftovers(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Temporary files :func:`write_atomic` left in ``out_dir`` when a run was killed, sorted."""
    folder = Path(out_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if TEMP_PATTERN.fullmatch(p.name) and not p.is_dir())


@dataclass
class Rendered:
    """One output of a render: its path, format and whether it was (re)written."""

    path: Path
    fmt: str
    written: bool


def render_bytes(graph: Any, dot_source: str, fmt: str) -> bytes:
    """The bytes of ``graph`` in ``fmt`` (DOT already built from it)."""
    from . import export

    check_format(fmt)
    if fmt == "dot":
        return dot_source.encode("utf-8")
    if fmt == "json":
        return export.node_link_json(graph).encode("utf-8")
    if fmt == "graphml":
        return export.graphml(graph).encode("utf-8")
    if fmt == "mermaid":
        return export.mermaid(graph).encode("utf-8")
    if fmt == "svg":
        return finish_svg(run_dot(dot_source, "svg"), graph, dot_source)
    if fmt == "png":
        return tag_png(run_dot(dot_source, "png"), PNG_KEY, dot_hash(dot_source))
    return run_dot(dot_source, "pdf")


# --- the render commands ----------------------------------------------------------------------------------------


@dataclass
class Drawing:
    """A view built for one language: its DiGraph and its DOT source."""

    graph: Any
    dot: str


def draw(kg: Any, view: str, lang: str, **params: str) -> Drawing:
    """Build view ``view`` in ``lang``: query → DiGraph → DOT (no file written, no ``dot`` run)."""
    from .build import build_view, get_view
    from .dot import to_dot

    spec = get_view(view)
    graph = build_view(kg, spec, lang, **params)
    return Drawing(graph, to_dot(graph, spec))


def output_path(out_dir: str | os.PathLike[str], view: str, lang: str, fmt: str, stem: str | None = None) -> Path:
    """``<out_dir>/<view>.<lang>.<ext>`` (``stem`` replaces the view name, e.g. for one concept)."""
    return Path(out_dir) / f"{stem or view}.{lang}.{EXTENSIONS[fmt]}"


def all_targets() -> list[tuple[str, str, str]]:
    """``(view, lang, fmt)`` of every file ``render --all`` keeps in the output folder."""
    from .build import view_specs

    targets = []
    for name, spec in view_specs().items():
        if spec.parameters:
            continue
        for lang in LANGUAGES:
            for fmt in ("svg", *spec.extra_formats):
                targets.append((name, lang, fmt))
    return targets


def _targets(kg: Any, out_dir: str | os.PathLike[str]) -> list[tuple[Path, str, Drawing]]:
    """``(path, format, drawing)`` of every file ``render --all`` keeps; each view is drawn once per language."""
    drawings = {(view, lang): draw(kg, view, lang) for view, lang in dict.fromkeys((v, g) for v, g, _ in all_targets())}
    return [(output_path(out_dir, v, lang, fmt), fmt, drawings[(v, lang)]) for v, lang, fmt in all_targets()]


def render_all(kg: Any, out_dir: str | os.PathLike[str], force: bool = False) -> list[Rendered]:
    """Render every view in both languages into ``out_dir``, skipping files whose recorded DOT matches.

    The DOT of every view is built first (cheap); ``dot`` then runs for the stale files only, in parallel
    (one process per core), and each file is written atomically as soon as it is ready.
    """
    from concurrent.futures import ThreadPoolExecutor

    def write(path: Path, fmt: str, drawing: Drawing) -> Rendered:
        write_atomic(path, render_bytes(drawing.graph, drawing.dot, fmt))
        return Rendered(path, fmt, written=True)

    targets = [(contained(path), fmt, drawing) for path, fmt, drawing in _targets(kg, check_output_dir(out_dir))]
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        results = [
            Rendered(path, fmt, written=False)
            if not force and recorded_hash(path) == dot_hash(drawing.dot)
            else pool.submit(write, path, fmt, drawing)
            for path, fmt, drawing in targets
        ]
        return [r if isinstance(r, Rendered) else r.result() for r in results]


def stale_outputs(kg: Any, out_dir: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """Files of ``render --all`` that are missing or no longer match the ontology, with the reason."""
    problems = []
    for path, _, drawing in _targets(kg, check_output_dir(out_dir)):
        recorded = recorded_hash(path)
        if not path.exists():
            problems.append((path, "missing"))
        elif recorded is None:
            problems.append((path, "carries no virtgraph fingerprint"))
        elif recorded != dot_hash(drawing.dot):
            problems.append((path, "out of date"))
    for path in temp_leftovers(out_dir):
        problems.append((path, "temporary file left by an interrupted run (render --all removes it)"))
    return problems


def remove_leftovers(out_dir: str | os.PathLike[str], min_age: float = 60.0) -> list[Path]:
    """Delete the temporary files interrupted runs left in ``out_dir`` (see :func:`temp_leftovers`).

    Only files untouched for ``min_age`` seconds go: a younger one may belong to a render running right now.
    """
    import time

    removed = []
    for path in temp_leftovers(out_dir):
        try:
            if time.time() - path.lstat().st_mtime < min_age:
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # gone meanwhile
        except OSError as exc:
            raise _write_failed(path, exc) from None
        removed.append(path)
    return removed
