"""`virtgraph/checked.py`: `docs check` replays a clean result when nothing it read changed (seen in what it
imports, never in a time), and checks in full after any change to what the answer was made from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli import import_chains

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "networkx", "markdown_it", "click")


@pytest.fixture
def tree(tmp_path) -> Path:
    """A documentation tree: a config, a document with an image that exists, an ontology copy, a cache."""
    root = tmp_path / "docs"
    (root / "images").mkdir(parents=True)
    (root / "virtgraph.toml").write_text("[docs]\nimages_dir = 'images'\n", encoding="utf-8")
    (root / "images" / "photo.png").write_bytes(b"\x89PNG not really")
    (root / "guide.md").write_text("# Guide\n\n![a photo](images/photo.png)\n", encoding="utf-8")
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    return root


def check(tree: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    environment = {**os.environ, "VIRTGRAPH_CACHE_DIR": str(tree.parent / "cache")}
    environment.pop("VIRTGRAPH_NO_CACHE", None)
    ontology = str(tree.parent / "ontology")
    command = [sys.executable, "-X", "importtime", "-m", "virtgraph", "--ontology", ontology, *extra]
    command += ["docs", "check", str(tree)]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=tree.parent, check=False)
    return done, import_chains(done.stderr, HEAVY)


def test_a_clean_check_is_replayed_until_something_changes(tree):
    first, chains = check(tree)
    assert first.returncode == 0 and first.stdout == "no broken images or stale embeds\n"
    assert chains  # checked in full
    again, chains = check(tree)
    assert again.stdout == first.stdout and again.returncode == 0
    assert not chains, "the replay imported " + "; ".join(chains)
    full, chains = check(tree, "--no-cache")
    assert full.stdout == first.stdout and chains  # --no-cache: always in full


def changes(tree: Path) -> dict[str, object]:
    return {
        "a document edited": lambda: (tree / "guide.md").write_text("# Guide\n\n![a photo](images/gone.png)\n"),
        "a new document": lambda: (tree / "more.md").write_text("![x](images/nothing.svg)\n"),
        "an image deleted": lambda: (tree / "images" / "photo.png").unlink(),
        "the config edited": lambda: (tree / "virtgraph.toml").write_text("[docs]\nimages_dir = 'pictures'\n"),
        "the ontology edited": lambda: (tree.parent / "ontology" / "extra.ttl").write_text(
            "<https://example.org/a> <https://example.org/b> 1 .\n"
        ),
    }


@pytest.mark.parametrize("change", list(changes(Path("."))))
def test_any_change_checks_in_full(tree, change):
    assert check(tree)[0].returncode == 0
    assert not check(tree)[1]  # replayed
    changes(tree)[change]()
    done, chains = check(tree)
    assert chains, f"{change}: replayed"
    if change in ("a document edited", "a new document", "an image deleted"):
        assert done.returncode == 1 and "broken image" in done.stdout


def test_a_failing_check_is_never_replayed(tree):
    (tree / "guide.md").write_text("![missing](images/missing.png)\n", encoding="utf-8")
    for _ in range(2):
        done, chains = check(tree)
        assert done.returncode == 1 and chains


@pytest.mark.dot
def test_an_embedded_image_edited_checks_in_full(tree):
    (tree / "guide.md").write_text("<!-- virtgraph:view eras lang=en -->\n<!-- /virtgraph -->\n", encoding="utf-8")
    environment = {**os.environ, "VIRTGRAPH_CACHE_DIR": str(tree.parent / "cache")}
    fix = [sys.executable, "-m", "virtgraph", "--ontology", str(tree.parent / "ontology"), "docs", "fix", str(tree)]
    assert subprocess.run(fix, env=environment, cwd=tree.parent, capture_output=True, check=False).returncode == 0
    assert check(tree)[0].returncode == 0
    assert not check(tree)[1]
    svg = tree / "images" / "eras.en.svg"
    svg.write_bytes(svg.read_bytes().replace(b"dot-sha256=", b"dot-sha255="))
    done, chains = check(tree)
    assert chains and done.returncode == 1 and f"image {svg} is out of date" in done.stdout
