"""Graphviz layouts for the site, kept between builds: a rebuild of an unchanged graph runs no ``dot`` at all.

A layout is the SVG ``dot`` draws for one DOT text. It is stored under virtgraph's cache folder by the sha256
of the DOT text and of the ``dot`` executable (its path, size and modification time: another Graphviz draws
differently). What the cache holds is checked before it is used: a file that does not end in ``</svg>`` (cut
short by a crash or a full disk) is drawn again. Writes are atomic (temporary file, then rename), so two builds
at once never read half a file; a cache folder that cannot be written is skipped with one warning.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..cache import cache_dir
from ..graphviz_run import run_dot_many

#: Layouts kept at most; the least recently written go first.
MAX_ENTRIES = 4000


def default_cache_dir() -> Path:
    """Where layouts are kept: ``layouts/`` in virtgraph's cache folder (:func:`virtgraph.cache.cache_dir`;
    ``virtgraph cache info`` shows its size, ``virtgraph cache clear`` empties it)."""
    return cache_dir() / "layouts"


def _dot_identity() -> str:
    executable = shutil.which("dot") or "dot"
    try:
        info = os.stat(executable)
    except OSError:
        return executable
    return f"{os.path.realpath(executable)}:{info.st_size}:{info.st_mtime_ns}"


class Layouts:
    """SVG layouts of DOT texts: from the cache when drawn before, else from one batch of ``dot`` runs.

    ``drawn`` counts the graphs ``dot`` laid out, ``reused`` those taken from the cache.
    """

    def __init__(self, folder: Path | None, warn: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.warn = warn
        self.drawn = 0
        self.reused = 0
        self._identity = _dot_identity()

    def svgs(self, sources: list[str]) -> list[bytes]:
        """The SVG of each DOT text in ``sources``, in order."""
        keys = [hashlib.sha256(f"{self._identity}\n{s}".encode()).hexdigest() for s in sources]
        out: list[bytes | None] = [self._read(k) for k in keys]
        missing = [i for i, svg in enumerate(out) if svg is None]
        for i, svg in zip(missing, run_dot_many([sources[i] for i in missing]), strict=True):
            out[i] = svg
            self._write(keys[i], svg)
        self.drawn += len(missing)
        self.reused += len(sources) - len(missing)
        if missing:
            self._prune()
        return [svg for svg in out if svg is not None]

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.svg"

    def _read(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>") else None

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".layout.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            if self.warn is not None:
                self.warn(f"warning: layout cache {self.folder} is not writable ({exc.strerror}); drawing without it")
            self.folder = None

    def _prune(self) -> None:
        if self.folder is None:
            return
        try:
            files = sorted(self.folder.glob("*/*.svg"), key=lambda p: p.stat().st_mtime_ns)
            for stale in files[: max(0, len(files) - MAX_ENTRIES)]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass  # another build pruned the same files first
