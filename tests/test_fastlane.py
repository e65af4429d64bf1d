"""`virtgraph/fastlane.py`: the command's entry point answers `render --all|--check` and `lookup` without click
when the manifest or the store cache can tell, exactly as the full command line answers, and hands everything
else to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from virtgraph.fastlane import fast_answer

from .test_cli import import_chains

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cached(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own (turned on), and an ontology copy whose renders and cards it keeps."""
    monkeypatch.setenv("VIRTGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VIRTGRAPH_NO_CACHE", raising=False)
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    return ontology


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "kvm"],
        ["lookup", "准虚拟化", "--lang", "en"],
        ["lookup", "--format=json", "VT-x", "--lang=zh"],
    ],
    ids=" ".join,
)
def test_a_kept_card_is_the_card_the_full_path_prints(run, cached, args):
    full = run("--ontology", str(cached), *args)  # builds the cache entry and keeps the card
    assert full.exit_code == 0
    assert fast_answer(["--ontology", str(cached), *args]) + "\n" == full.stdout
    assert run("--ontology", str(cached), *args).stdout == full.stdout


@pytest.mark.dot
@pytest.mark.parametrize("mode", ["--all", "--check"])
def test_an_unchanged_output_folder_is_answered_as_the_full_path_does(run, cached, tmp_path, mode):
    out = tmp_path / "out"
    assert run("--ontology", str(cached), "render", "--all", "--output-dir", str(out)).exit_code == 0
    full = run("--no-cache", "--ontology", str(cached), "render", mode, "--output-dir", str(out))
    assert fast_answer(["--ontology", str(cached), "render", mode, "--output-dir", str(out)]) + "\n" == full.stdout
    assert fast_answer(["--ontology", str(cached), "render", f"--output-dir={out}", mode]) + "\n" == full.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["render", "--help"],
        ["render", "--all", "--check"],
        ["render", "--all", "--force"],
        ["render", "--view", "taxonomy"],
        ["render", "--all", "--output-dir"],
        ["lookup"],
        ["lookup", "kvm", "extra"],
        ["lookup", "--", "kvm"],
        ["lookup", "kvm", "--lang", "fr"],
        ["lookup", "kvm", "--format", "yaml"],
        ["--endpoint", "http://127.0.0.1:9/", "lookup", "kvm"],
        ["--no-cache", "lookup", "kvm"],
        ["--store", "memory", "lookup", "kvm"],
        ["lookup", "vgc:kvm"],
        ["query", "--list"],
    ],
    ids=" ".join,
)
def test_other_forms_go_to_the_full_command_line(run, cached, args):
    run("--ontology", str(cached), "lookup", "kvm")  # a kept card, so only the form can send it on
    assert fast_answer(["--ontology", str(cached), *args]) is None


@pytest.mark.parametrize(
    "variable, value",
    [
        ("VIRTGRAPH_ENDPOINT", "http://127.0.0.1:9/"),
        ("VIRTGRAPH_NO_CACHE", "1"),
        ("VIRTGRAPH_NO_CACHE", "maybe"),
        ("VIRTGRAPH_TIMEOUT", "nan"),
        ("VIRTGRAPH_STORE", "memory"),
        ("VIRTGRAPH_STORE", "nonsense"),
        ("VIRTGRAPH_LANG", "fr"),
    ],
)
def test_the_environment_the_full_command_line_checks_sends_it_on(run, cached, monkeypatch, variable, value):
    run("--ontology", str(cached), "lookup", "kvm")
    assert fast_answer(["--ontology", str(cached), "lookup", "kvm"]) is not None
    monkeypatch.setenv(variable, value)
    assert fast_answer(["--ontology", str(cached), "lookup", "kvm"]) is None


def test_the_fast_lane_imports_no_click(cached):
    environment = {**os.environ}
    command = [sys.executable, "-X", "importtime", "-m", "virtgraph", "--ontology", str(cached), "lookup", "kvm"]
    first = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    assert first.returncode == 0 and import_chains(first.stderr, ("click",))  # not kept yet: the full path
    again = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    assert again.returncode == 0 and again.stdout == first.stdout
    chains = import_chains(again.stderr, ("click", "rdflib", "networkx", "pyoxigraph"))
    assert not chains, "; ".join(chains)
