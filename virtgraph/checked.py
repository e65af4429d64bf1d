"""``docs check``'s record of a clean result, and its replay when nothing it depended on changed.

A check that finds nothing to fail is recorded in the cache folder (``docs-check/``, keyed by the current folder,
the paths and ``--strict``) with everything its answer was made from: the hashes of the graph's and virtgraph's
inputs (those of :class:`~virtgraph.manifest.Inputs`, and the documents code and Markdown parser too), the list of
documents, each document's bytes and where it resolves, each document's tree and its ``virtgraph.toml``, whether
each image target it resolved exists, where each generated image path resolves, and the bytes of each image whose
fingerprint it compared. The next check with the same arguments compares those facts, cheaply and without the
graph: when all agree it prints what the check printed; anything else runs the check in full.

Only clean checks are recorded (a failing one is answered in full each time), and never one whose embeds name
their own ``src=`` (its path is not kept).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .cache import CacheUnavailable, cache_dir, write_checked
from .doctree import CONFIG_NAME, document_tree, markdown_files
from .manifest import Inputs, library_versions

__all__ = ["check_inputs", "record_check", "replay_check"]

FORMAT = 1
#: Package files a check depends on that a render does not (see :data:`virtgraph.manifest.NOT_RENDER_INPUTS`).
CHECK_CODE = ("cli.py", "checked.py", "doctree.py", "documents.py", "formats.py", "markdown.py")


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def _exists(path: Path) -> str:
    try:
        return "exists" if path.exists() else "missing"
    except OSError as exc:
        return f"error: {exc.strerror}"


def check_inputs(ontology: str | os.PathLike[str] | None, store: str) -> dict[str, str]:
    """The render inputs, the code only a check runs, and the Markdown parser's version."""
    digests = Inputs(ontology, store).digests()
    root = Path(__file__).resolve().parent
    for name in CHECK_CODE:
        digests[f"virtgraph/{name}"] = _sha256(root / name)
    digests["library/markdown-it-py"] = library_versions(("markdown-it-py",))["markdown-it-py"]
    return digests


def record_file(paths: Sequence[str], strict: bool) -> Path:
    key = json.dumps([os.getcwd(), list(paths), strict], ensure_ascii=False)
    return cache_dir() / "docs-check" / f"{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()}.json"


def _facts(documents: Iterable[tuple[Path, Path | None]], targets: Iterable[Path], generated: dict[str, str],
           images: Iterable[Path]) -> dict[str, Any]:  # fmt: skip
    """The facts a check's answer is made from (see the module doc); recomputed the same way on replay."""
    docs = list(documents)
    trees = {str(path): str(document_tree(path)) for path, _ in docs}
    trees |= {str(target): str(document_tree(target)) for _, target in docs if target is not None}
    return {
        "documents": {str(path): _sha256(path) for path, _ in docs},
        "resolved": {str(path): str(path.resolve()) for path, _ in docs},
        "trees": trees,
        "configs": {tree: _sha256(Path(tree) / CONFIG_NAME) for tree in sorted(set(trees.values()))},
        "targets": {str(path): _exists(path) for path in sorted(set(targets))},
        "generated": {name: str(Path(name).resolve()) for name in sorted(generated)},
        "images": {str(path): _sha256(path) for path in sorted(set(images))},
    }


def record_check(paths: Sequence[str], strict: bool, inputs: dict[str, str], planner: Any, stdout: str) -> None:
    """Keep a clean check's answer with its facts (``planner`` is the :class:`~virtgraph.documents.Planner` that
    made it; ``inputs`` were taken before it ran). Quietly skipped when the cache cannot be written."""
    plans = planner.plans
    targets, generated = planner.consulted()
    renders = [render.path for plan in plans for render in plan.renders]
    if any(str(path) not in generated.values() for path in renders):
        return  # an embed with src=: its path is not kept, so nothing is recorded
    record = {
        "format": FORMAT,
        "inputs": inputs,
        "listing": [str(path) for path in markdown_files(paths)],
        "facts": _facts([(plan.path, plan.target) for plan in plans], targets, generated, renders),
        "stdout": stdout,
    }
    with contextlib.suppress(OSError, CacheUnavailable):
        write_checked(record_file(paths, strict), json.dumps(record, sort_keys=True).encode("utf-8"))


def replay_check(paths: Sequence[str], strict: bool, inputs: dict[str, str]) -> str | None:
    """What the recorded clean check printed, if every fact it was made from still holds (``inputs`` are
    :func:`check_inputs` now); else None."""
    from .cache import read_checked

    data = read_checked(record_file(paths, strict))
    if data is None:
        return None
    try:
        record = json.loads(data)
        facts = record["facts"]
        if record.get("format") != FORMAT or record["inputs"] != inputs:
            return None
        if [str(path) for path in markdown_files(paths)] != record["listing"]:
            return None
        documents = [(Path(path), Path(facts["resolved"][path])) for path in facts["documents"]]
        now = _facts(documents, map(Path, facts["targets"]), facts["generated"], map(Path, facts["images"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return str(record["stdout"]) if now == facts else None
