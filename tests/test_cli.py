"""The command line starts fast: listing commands and views imports neither rdflib nor networkx (DESIGN.md §8)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("args", [["--help"], ["views"], ["query", "--list"]], ids=" ".join)
def test_listing_imports_neither_rdflib_nor_networkx(args):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "virtgraph", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
    chains = import_chains(done.stderr, HEAVY)
    assert not chains, f"virtgraph {' '.join(args)} imports " + "; ".join(chains)
