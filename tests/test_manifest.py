"""`virtgraph/manifest.py`: `render --all` and `render --check` answer from the manifest when nothing changed,
without loading the graph (seen in what they import, never in a time), and take the full path for any change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from virtgraph.drawing import all_targets
from virtgraph.manifest import MANIFEST_NAME, Inputs, current_outputs, package_files, write_manifest

from .test_cli import import_chains

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "networkx", "pyoxigraph", "jieba")


def virtgraph(*args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run the command line in a new process; also return the heavy libraries it imported."""
    environment = {**os.environ, **env}
    if "VIRTGRAPH_NO_CACHE" not in env:
        environment.pop("VIRTGRAPH_NO_CACHE", None)
    command = [sys.executable, "-X", "importtime", "-m", "virtgraph", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    return done, import_chains(done.stderr, HEAVY)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path]:
    """An ontology copy and its renders with their manifest, made once by the full path."""
    folder = tmp_path_factory.mktemp("manifest")
    ontology, out = folder / "ontology", folder / "out"
    shutil.copytree(ROOT / "ontology", ontology)
    done, _ = virtgraph("--ontology", str(ontology), "render", "--all", "--output-dir", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (out / MANIFEST_NAME).is_file()
    return ontology, out


@pytest.fixture
def work(rendered, tmp_path) -> tuple[Path, Path]:
    """A fresh copy of :func:`rendered` for a test to change."""
    ontology, out = tmp_path / "ontology", tmp_path / "out"
    shutil.copytree(rendered[0], ontology)
    shutil.copytree(rendered[1], out)
    return ontology, out


def full_path_taken(chains: list[str]) -> bool:
    return any(chain.startswith(("rdflib", "networkx")) for chain in chains)


@pytest.mark.dot
@pytest.mark.parametrize("mode", ["--all", "--check"])
def test_nothing_changed_answers_without_loading_the_graph(work, mode):
    ontology, out = work
    done, chains = virtgraph("--ontology", str(ontology), "render", mode, "--output-dir", str(out))
    assert done.returncode == 0, done.stderr
    count = len(all_targets())
    assert done.stdout == (
        f"0 written, {count} unchanged\n" if mode == "--all" else f"{count} files in {out}/ are current\n"
    )
    assert not chains, "the fast path imported " + "; ".join(chains)
    slow, slow_chains = virtgraph("--no-cache", "--ontology", str(ontology), "render", mode, "--output-dir", str(out))
    assert slow.stdout == done.stdout and full_path_taken(slow_chains)  # --no-cache: the full path, same answer


@pytest.mark.dot
def test_a_changed_ontology_takes_the_full_path(work):
    ontology, out = work
    products = ontology / "products.ttl"
    products.write_text(
        products.read_text(encoding="utf-8").replace('"VMware Workstation"@en', '"VMware Workstation Pro"@en'), "utf-8"
    )
    done, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert done.returncode == 1 and full_path_taken(chains)
    assert f"{out / 'taxonomy.en.svg'}: out of date" in done.stdout.splitlines()
    fixed, _ = virtgraph("--ontology", str(ontology), "render", "--all", "--output-dir", str(out))
    assert fixed.returncode == 0 and f"wrote {out / 'taxonomy.en.svg'}" in fixed.stdout.splitlines()
    again, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert again.returncode == 0 and not chains  # the manifest was brought up to date by render --all


@pytest.mark.dot
def test_a_missing_output_takes_the_full_path(work):
    ontology, out = work
    (out / "eras.zh.svg").unlink()
    done, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert done.returncode == 1 and full_path_taken(chains)
    assert done.stdout.splitlines() == [f"{out / 'eras.zh.svg'}: missing"]


@pytest.mark.dot
def test_an_output_edited_by_hand_takes_the_full_path(work):
    ontology, out = work
    svg = out / "taxonomy.zh.svg"
    svg.write_bytes(svg.read_bytes() + b"<!-- edited -->\n")  # its fingerprint kept: the full path calls it current
    kept, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert kept.returncode == 0 and full_path_taken(chains)
    svg.write_bytes(svg.read_bytes().replace(b"dot-sha256=", b"dot-sha255="))  # its fingerprint gone: stale
    stale, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert stale.returncode == 1 and full_path_taken(chains)
    assert stale.stdout.splitlines() == [f"{svg}: carries no virtgraph fingerprint"]


@pytest.mark.dot
def test_a_leftover_temporary_file_takes_the_full_path(work):
    ontology, out = work
    leftover = out / ".taxonomy.zh.svg.abcd1234.tmp"
    leftover.write_bytes(b"half")
    done, chains = virtgraph("--ontology", str(ontology), "render", "--check", "--output-dir", str(out))
    assert done.returncode == 1 and full_path_taken(chains)
    assert f"{leftover}: temporary file left by an interrupted run" in done.stdout


def test_every_input_is_compared(tmp_path):
    """Each kind of input the renders depend on is in the digests, and changing any one sends to the full path."""
    digests = Inputs(None, "oxigraph").digests()
    for name in (
        "ontology/products.ttl",
        "virtgraph/views/taxonomy.toml",
        "virtgraph/views/taxonomy.rq",
        "virtgraph/queries/internal/label-index.rq",
        "virtgraph/style.toml",
        "virtgraph/fontwidths.json",
        "virtgraph/finish.py",
        "virtgraph/dot.py",
        "virtgraph/words.py",
        "library/jieba",
        "library/wcwidth",
        "virtgraph",
        "store",
    ):
        assert name in digests, name
    assert not any(name.startswith(("virtgraph/cli.py", "virtgraph/site/")) for name in digests)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.svg").write_bytes(b"<svg/>")
    write_manifest(out, digests, [out / "a.svg"])
    assert current_outputs(out, digests) == 1
    for name in digests:
        changed = {**digests, name: "changed"}
        assert current_outputs(out, changed) is None, name
    assert current_outputs(out, {**digests, "ontology/new.ttl": "x"}) is None
    assert current_outputs(out, Inputs(None, "memory").digests()) is None


def test_the_manifest_is_deterministic_and_rewritten_only_on_change(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.svg").write_bytes(b"b")
    (out / "a.png").write_bytes(b"a")
    digests = {"ontology/x.ttl": "1", "store": "oxigraph"}
    path = write_manifest(out, digests, [out / "b.svg", out / "a.png"])
    assert path == out / MANIFEST_NAME
    data = path.read_bytes()
    record = json.loads(data)
    assert set(record) == {"format", "generator", "inputs", "outputs"}  # no time, no host, no user
    assert list(record["outputs"]) == ["a.png", "b.svg"]
    assert write_manifest(out, dict(reversed(digests.items())), [out / "a.png", out / "b.svg"]) is None
    assert path.read_bytes() == data


def test_a_manifest_naming_a_file_outside_its_folder_is_not_trusted(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    digests = {"store": "oxigraph"}
    (tmp_path / "elsewhere.svg").write_bytes(b"x")
    record = {"format": 1, "inputs": digests, "outputs": {"../elsewhere.svg": "0" * 64}}
    (out / MANIFEST_NAME).write_text(json.dumps(record), encoding="utf-8")
    assert current_outputs(out, digests) is None


def test_package_inputs_leave_out_what_cannot_change_a_render():
    names = {path.name for path in package_files()}
    assert "finish.py" in names and "style.toml" in names and "fontwidths.json" in names
    assert "cli.py" not in names and "documents.py" not in names
