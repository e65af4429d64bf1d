"""The input manifest of ``render --all`` and ``render --check``: "nothing changed" decided without the graph.

``render --all`` records, in ``<output folder>/.virtgraph-manifest.json``, the sha256 of everything the DOT of
its files depends on (the ontology files, virtgraph's view specs, queries, palette, font widths and code, the
versions of the libraries that shape the text, the store) and of every file it keeps. The next ``render --all``
or ``render --check`` hashes the same inputs and the files on disk: when all agree, nothing can have changed,
and it answers at once, without loading the graph or importing rdflib or networkx. Anything else (an input
changed, an output missing or edited, a temporary file left by an interrupted run, no manifest) takes the full
path, which decides as it always did.

The manifest is deterministic (sorted, no timestamps) so it can be committed with the renders.

>>> digests = Inputs(None, "oxigraph").digests()
>>> [name in digests for name in ("ontology/products.ttl", "virtgraph/finish.py", "library/jieba", "store")]
[True, True, True, True]
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from . import __version__
from .files import check_output_dir, contained, temp_leftovers, write_atomic
from .ontology import ontology_files

__all__ = ["MANIFEST_NAME", "Inputs", "current_outputs", "write_manifest"]

MANIFEST_NAME = ".virtgraph-manifest.json"
FORMAT = 1
#: Parts of the package that cannot change a render's DOT (the command line, documents, servers, the cache,
#: the site): a change to them does not make renders stale. Everything else in the package counts.
NOT_RENDER_INPUTS = {
    "__main__.py",
    "cache.py",
    "checked.py",
    "cli.py",
    "doctree.py",
    "documents.py",
    "endpoint.py",
    "fastlane.py",
    "formats.py",
    "guard.py",
    "manifest.py",
    "markdown.py",
    "sandbox.py",
    "shacl.py",
    "transport.py",
    "site",
    "mkdocs_plugin.py",
}
DATA_SUFFIXES = (".py", ".rq", ".toml", ".json", ".txt")
#: Libraries whose version can change the text of a DOT (segmentation, widths, ordering, terms).
LIBRARIES = ("jieba", "wcwidth", "networkx", "rdflib", "pyoxigraph", "opencc")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_files() -> list[Path]:
    """The files of the virtgraph package a render depends on (see :data:`NOT_RENDER_INPUTS`), sorted."""
    root = Path(__file__).resolve().parent
    found = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (here == root and d in NOT_RENDER_INPUTS))
        for name in names:
            if name.endswith(DATA_SUFFIXES) and not (here == root and name in NOT_RENDER_INPUTS):
                found.append(here / name)
    return sorted(found)


def library_versions(libraries: tuple[str, ...] = LIBRARIES) -> dict[str, str]:
    """``{library: version}`` from the installed distributions' folder names (nothing imported)."""
    wanted = {name.lower(): name for name in libraries}
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                project, version = name[: -len(".dist-info")].split("-", 1)
                key = project.lower().replace("_", "-")
                if key in wanted and wanted[key] not in versions:
                    versions[wanted[key]] = version
    return {name: versions.get(name, "absent") for name in libraries}


class Inputs:
    """What the renders of one ontology in one store depend on."""

    def __init__(self, ontology: str | os.PathLike[str] | None, store: str) -> None:
        self.ontology = ontology
        self.store = store

    def digests(self) -> dict[str, str]:
        """``{input name: sha256 or version}``: ``ontology/<file>``, ``virtgraph/<file>``, ``library/<name>``."""
        found = {f"ontology/{file.name}": _sha256(file) for file in ontology_files(self.ontology)}
        root = Path(__file__).resolve().parent
        for file in package_files():
            found[f"virtgraph/{file.relative_to(root).as_posix()}"] = _sha256(file)
        for name, version in library_versions().items():
            found[f"library/{name}"] = version
        found["store"] = self.store
        found["virtgraph"] = __version__
        return found


def manifest_path(out_dir: str | os.PathLike[str]) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def _read(out_dir: str | os.PathLike[str]) -> dict[str, dict[str, str]] | None:
    try:
        data = json.loads(manifest_path(out_dir).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    inputs, outputs = data.get("inputs"), data.get("outputs")
    if not isinstance(inputs, dict) or not isinstance(outputs, dict) or not outputs:
        return None
    return {"inputs": inputs, "outputs": outputs}


def current_outputs(out_dir: str | os.PathLike[str], inputs: dict[str, str]) -> int | None:
    """How many files ``render --all`` keeps in ``out_dir`` if the manifest shows nothing changed, else None.

    ``inputs`` are :meth:`Inputs.digests` now. Nothing changed when every input hashes as recorded, every
    recorded output file is there with the bytes recorded, and no interrupted run left a temporary file. None
    sends the caller down the full path.
    """
    recorded = _read(out_dir)
    if recorded is None or temp_leftovers(check_output_dir(out_dir)):
        return None
    try:
        if inputs != recorded["inputs"]:
            return None
        for name, digest in recorded["outputs"].items():
            path = Path(out_dir) / name
            if Path(name).name != name or path.is_symlink() or _sha256(path) != digest:
                return None
    except OSError:
        return None
    return len(recorded["outputs"])


def write_manifest(out_dir: str | os.PathLike[str], inputs: dict[str, str], files: list[Path]) -> Path | None:
    """Record ``inputs`` (taken before the graph was loaded) and the current bytes of ``files`` in ``out_dir``.

    Returns the manifest's path when it was written, None when it already said the same.
    """
    outputs = {path.name: _sha256(path) for path in sorted(files)}
    record = {"format": FORMAT, "generator": "virtgraph render --all", "inputs": inputs, "outputs": outputs}
    data = (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    path = contained(manifest_path(check_output_dir(out_dir)))
    try:
        if path.read_bytes() == data:
            return None
    except OSError:
        pass
    write_atomic(path, data)
    return path
