"""Graphviz layouts for the site, kept between builds: a rebuild of an unchanged graph runs no ``dot`` at all.

A layout is the SVG ``dot`` draws for one DOT text. It is stored under virtgraph's cache folder by the sha256
of the DOT text and of the ``dot`` executable (its path, size and modification time: another Graphviz draws
differently). Each file is written and read with the store cache's self-checking files
(:func:`virtgraph.cache.write_checked`, :func:`~virtgraph.cache.read_checked`: atomic, with its own sha256), so
a layout cut short by a crash or a full disk is drawn again, never used; a cache folder that cannot be written is
skipped with one warning.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..cache import CacheUnavailable, cache_dir, read_checked, write_checked
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
        return None if path is None else read_checked(path)

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            write_checked(path, data)
        except (OSError, CacheUnavailable) as exc:
            if self.warn is not None:
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                self.warn(f"warning: layout cache {self.folder} is not writable ({reason}); drawing without it")
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
