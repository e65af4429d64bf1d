"""The command line as a whole: listing imports neither rdflib nor networkx, `views`, the global --ontology, --store."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .support import DATA

HEAVY = ("rdflib", "networkx")


IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)$")


def import_chains(importtime: str, heavy: tuple[str, ...]) -> list[str]:
    """From ``python -X importtime`` output, each heavy package imported, with the modules that pulled it in.

    The output lists a module after everything it imported, one level of indentation deeper per level of nesting,
    so a module's importer is the next line indented less.

    >>> out = '''import time: self [us] | cumulative | imported package
    ... import time:         1 |          1 |     rdflib.term
    ... import time:         1 |          2 |   rdflib
    ... import time:         1 |          3 | virtgraph.build'''
    >>> import_chains(out, ("rdflib",))
    ['rdflib <- virtgraph.build']
    """
    lines = [(len(m[1]), m[2]) for m in map(IMPORT_LINE.match, importtime.splitlines()) if m]
    chains = []
    for index, (depth, name) in enumerate(lines):
        if name in heavy:
            chain, level = [name], depth
            for outer_depth, outer in lines[index + 1 :]:
                if outer_depth < level:
                    chain.append(outer)
                    level = outer_depth
            chains.append(" <- ".join(chain))
    return chains


@pytest.mark.parametrize(
    "args", [["--help"], ["views"], ["query", "--list"], ["cache", "--help"], ["cache", "info"]], ids=" ".join
)
def test_listing_imports_neither_rdflib_nor_networkx(args):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "virtgraph", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
    chains = import_chains(done.stderr, HEAVY)
    assert not chains, f"virtgraph {' '.join(args)} imports " + "; ".join(chains)


@pytest.mark.parametrize("args", [["lookup", "kvm"], ["lookup", "准虚拟化", "--format", "json"]], ids=" ".join)
def test_lookup_never_imports_networkx(args):
    """A lookup draws nothing: networkx stays out, whether the card comes from the graph or from the store cache
    (run twice: the second run may answer from the cache; see tests/test_cache.py for what that imports)."""
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "virtgraph", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        chains = import_chains(done.stderr, ("networkx",))
        assert not chains, f"virtgraph {' '.join(args)} imports " + "; ".join(chains)


def test_views_lists_every_view(run):
    result = run("views", "--lang", "en")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "benefits",
        "concept",
        "containers",
        "cpu-virtualization",
        "eras",
        "hardware",
        "history",
        "hypervisor-type1",
        "hypervisor-type2",
        "hypervisors",
        "io-virtualization",
        "products",
        "scenarios",
        "taxonomy",
    ]
    assert lines[-1] == "taxonomy            Both classifications: kinds (with synonyms, examples) and Type 1/Type 2."


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_cli_malformed_turtle_exits_2_without_traceback(run, store):
    result = run("--store", store, "--ontology", str(DATA / "malformed.ttl"), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {DATA / 'malformed.ttl'}:3: malformed Turtle")
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1


def test_missing_ontology_path(run, tmp_path):
    result = run("--ontology", str(tmp_path / "nowhere"), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr == f"Error: ontology path does not exist: {tmp_path / 'nowhere'}\n"


def test_folder_without_turtle(run, tmp_path):
    result = run("--ontology", str(tmp_path), "lookup", "kvm")
    assert result.exit_code == 2
    assert result.stderr == f"Error: no Turtle (.ttl) files in {tmp_path}\n"


def test_other_ontology_replaces_the_shipped_one(run, tmp_path):
    (tmp_path / "tiny.ttl").write_text(
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix vg: <https://w3id.org/virtgraph/ontology#> .
        <https://example.org/gizmo> a vg:Concept ; skos:prefLabel "Gizmo"@en , "小玩意"@zh ;
            skos:definition "A test concept."@en , "测试用的概念。"@zh .
        """,
        encoding="utf-8",
    )
    result = run("--ontology", str(tmp_path), "lookup", "gizmo", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("Gizmo  (<https://example.org/gizmo>)\n")
    assert run("--ontology", str(tmp_path), "lookup", "kvm").exit_code == 1
