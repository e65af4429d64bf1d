"""Which files make up the ontology: the Turtle (and N-Triples) files of a file or folder, SHACL shapes apart.

Light on purpose (no rdflib, no pyoxigraph): the store cache and the render manifest hash these files without
loading them (see :mod:`virtgraph.cache` and :mod:`virtgraph.manifest`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import OntologyError

__all__ = ["RDF_SUFFIXES", "SHAPES_SUFFIX", "default_ontology_dir", "ontology_files", "regular_file", "shapes_file"]

SHAPES_SUFFIX = "shapes.ttl"
RDF_SUFFIXES = (".ttl", ".nt")  # Turtle, and N-Triples (a subset of Turtle, loaded the same way)


def default_ontology_dir() -> Path:
    """The shipped ontology: ``ontology/`` of a source checkout, else the copy inside the installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "ontology", here / "ontology"):
        if candidate.is_dir():
            return candidate
    raise OntologyError("the shipped ontology is missing; reinstall virtgraph or pass --ontology PATH")


def ontology_files(path: str | os.PathLike[str] | None = None) -> list[Path]:
    """The Turtle files that make up the graph at ``path`` (a file or a directory), sorted.

    SHACL shapes (``*shapes.ttl``) are not part of the graph and are left out. Only regular files are read: a
    device or FIFO (``/dev/zero``, a pipe named ``x.ttl``) would never end, and is refused.
    """
    root = Path(path) if path is not None else default_ontology_dir()
    try:
        if not root.exists():
            raise OntologyError(f"ontology path does not exist: {root}")
        if not root.is_dir():
            return [regular_file(root)]
        entries = sorted(root.iterdir())
    except OSError as exc:
        raise OntologyError(f"cannot read ontology path {root}: {exc.strerror or exc}") from None
    files = [regular_file(p) for p in entries if p.suffix in RDF_SUFFIXES and not p.name.endswith(SHAPES_SUFFIX)]
    if not files:
        raise OntologyError(f"no Turtle (.ttl) files in {root}")
    return files


def regular_file(file: Path, what: str = "an ontology file") -> Path:
    """``file`` if it is a regular file (symlinks followed); anything else is refused in one line.

    >>> regular_file(Path("/dev/null"))
    Traceback (most recent call last):
    virtgraph.errors.OntologyError: /dev/null: not a regular file (a device, FIFO or socket cannot be an ontology file)
    """
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise OntologyError(f"{file}: no such file") from None
    except OSError as exc:  # a name too long, a loop of symlinks, a folder we may not enter
        raise OntologyError(f"{file}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISREG(mode):
        return file
    if stat.S_ISDIR(mode):
        raise OntologyError(f"{file}: is a folder, not {what}")
    raise OntologyError(f"{file}: not a regular file (a device, FIFO or socket cannot be {what})")


def shapes_file(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The SHACL shapes beside the ontology at ``path``, if there are any."""
    root = Path(path) if path is not None else default_ontology_dir()
    folder = root if root.is_dir() else root.parent
    found = sorted(folder.glob(f"*{SHAPES_SUFFIX}"))
    return found[0] if found else None
