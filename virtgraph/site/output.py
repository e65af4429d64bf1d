"""Writing a built site into its folder: changed files only, stale ones removed, nothing outside the folder.

The folder's manifest (``.virtgraph-site.json``) lists every file the last build wrote with its sha256. Only
those files are ever removed; a non-empty folder without a manifest is refused, so ``virtgraph site -o .`` in a
project cannot overwrite the project's own ``index.html``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import UsageError, WriteFailed
from ..files import contained, write_atomic
from ..manifest import Inputs

_PACKAGE = Path(__file__).resolve().parent.parent
#: The folder's own record of what the build wrote (and from what).
MANIFEST = ".virtgraph-site.json"


def site_inputs(ontology: str | None, store: str, langs: tuple[str, ...], serve: bool) -> dict[str, str]:
    """What a site built from the local files depends on, hashed without loading the graph: the render inputs
    (:class:`virtgraph.manifest.Inputs`: ontology, views, queries, palette, code, library versions), every file
    of the site package and of the package's top level, the languages and the build mode."""
    found = Inputs(ontology, store).digests()
    for path in sorted([*_PACKAGE.glob("*.py"), *(_PACKAGE / "site").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            found[f"virtgraph/{path.relative_to(_PACKAGE).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    found["site/langs"] = " ".join(langs)
    found["site/serve"] = str(serve)
    return found


def current_site(folder: Path, manifest: str, inputs: dict[str, str]) -> int | None:
    """How many files the site in ``folder`` has if its manifest shows nothing changed (same inputs, every
    file there with the bytes recorded), else None: the caller builds."""
    try:
        data = json.loads((folder / manifest).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("inputs") != inputs:
            return None
        files = data.get("files")
        if not isinstance(files, dict) or not files:
            return None
        for name, digest in files.items():
            path = contained(folder / name, folder)
            if path.is_symlink() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return None
    except (OSError, ValueError, UsageError):
        return None
    return len(files)


def _manifest(folder: Path, name: str) -> dict[str, str] | None:
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def check_folder(folder: Path, manifest: str) -> dict[str, str]:
    """The files the previous build of ``folder`` wrote (name → sha256; {} for a new or empty folder), or
    :class:`UsageError` when ``folder`` is not one virtgraph may write: a file, or a non-empty folder without
    its manifest. :func:`virtgraph.site.build_site` asks before it starts, so a refusal costs no build."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    old = _manifest(folder, manifest)
    if old is None and folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty and holds no virtgraph site ({manifest}); name an empty or new folder")
    return old or {}


def sync_folder(
    folder: Path, files: dict[str, bytes], manifest: str, version: str, inputs: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """Make ``folder`` hold ``files`` (site-relative POSIX paths → bytes): write what differs, remove what the
    previous build wrote and this one does not, and record ``inputs`` (:func:`site_inputs`, None for a graph
    on an endpoint) for the next build. Returns the paths written and removed, sorted. Every path is checked
    before anything is written: a symlink in the folder that leads out of it refuses the whole build."""
    old = check_folder(folder, manifest)
    removed = sorted(set(old) - set(files))
    paths = {name: contained(folder / name, folder) for name in [*sorted(files), *removed]}
    written: list[str] = []
    for name, data in sorted(files.items()):
        path = paths[name]
        if old.get(name) == hashlib.sha256(data).hexdigest() and _same(path, data):
            continue
        write_atomic(path, data)
        written.append(name)
    for name in removed:
        path = paths[name]
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise WriteFailed(f"cannot remove {path}: {exc.strerror or exc}") from None
    record = {
        "generator": f"virtgraph {version}",
        "inputs": inputs,
        "files": {n: hashlib.sha256(d).hexdigest() for n, d in sorted(files.items())},
    }
    write_atomic(folder / manifest, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return written, removed


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
