"""The filesystem side of ``virtgraph docs``: which Markdown files, which tree a document belongs to, where an
image target points. Light on purpose (no graph, no Markdown parser): ``docs check`` replays a clean result
from these facts when nothing changed (:mod:`virtgraph.checked`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .errors import UsageError

MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
CONFIG_NAME = "virtgraph.toml"
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def stat_or_none(path: Path, where: str = "") -> os.stat_result | None:
    """``os.stat`` of ``path`` (following symlinks), or None when nothing is there; bad names are usage errors."""
    prefix = f"{where}: " if where else ""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except ValueError:
        raise UsageError(f"{prefix}not a valid path: {str(path)!r}") from None
    except OSError as exc:
        raise UsageError(f"{prefix}cannot use {path}: {exc.strerror}") from None


def markdown_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The Markdown files named by ``paths``, in a stable order.

    Folders are searched recursively without following symlinked folders (so a walk never leaves the folder
    or loops); only regular files count, so a FIFO or device named ``*.md`` in a folder is skipped, and one
    named on the command line is refused.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        info = stat_or_none(path) if str(raw) else None
        if info is None:
            raise UsageError(f"no such file or folder: {path if str(raw) else repr('')}")
        if stat.S_ISDIR(info.st_mode):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found += [
                    Path(root) / f
                    for f in sorted(files)
                    if f.lower().endswith(MARKDOWN_SUFFIXES) and (Path(root) / f).is_file()
                ]
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
        else:
            raise UsageError(f"{path}: not a regular file")
    return list(dict.fromkeys(found))


def document_tree(document: Path) -> Path:
    """The folder ``docs fix`` may write in for ``document`` (symlinks resolved).

    It is the folder holding the nearest ``virtgraph.toml`` at or above the document, up to the git work tree;
    else the git work tree holding the document; else the document's own folder.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     (root / "docs").mkdir()
    ...     _ = (root / CONFIG_NAME).write_text("")
    ...     document_tree(root / "docs" / "a.md") == root
    True
    """
    folder = document.absolute().parent.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file() or (candidate / ".git").exists():
            return candidate
    return folder


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
    try:
        return Resolution("ok", path) if path.exists() else Resolution("broken", path)
    except OSError as exc:
        return Resolution("broken", path, note=exc.strerror or "cannot be read")


def file_name(target: str) -> str:
    r"""The file name a target ends in, whatever its slashes, encoding, query or fragment (to match the mapping).

    >>> file_name(r"..\Image\a%20b.png?raw=true#top"), file_name("pics/x.svg#layer")
    ('a b.png', 'x.svg')
    """
    raw = target.strip()
    if not _DRIVE.match(raw):
        raw = raw.split("#", 1)[0].split("?", 1)[0]
    return PurePosixPath(unquote(raw).replace("\\", "/")).name
