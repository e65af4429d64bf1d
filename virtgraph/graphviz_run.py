"""The one place that runs Graphviz ``dot``: DOT text in, SVG/PNG/PDF bytes out.

A missing executable is :class:`~virtgraph.errors.ToolMissing`, a failing one
:class:`~virtgraph.errors.RenderFailed` with dot's last error line; nothing else in virtgraph starts a process
for drawing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

from .errors import RenderFailed, ToolMissing

_CLUSTER = re.compile(r'subgraph\s+"?cluster')
_PAGE_ID = re.compile(rb'(id="(?:a_)?)page\d+,\d+_')
#: The formats ``dot`` produces for virtgraph (the others are written without it).
LAYOUT_FORMATS = ("svg", "png", "pdf")
#: Resolution of PNG renders: 96 dpi, so a PNG's natural width in pixels equals its SVG's width (Graphviz writes
#: SVG sizes in points, 72 to the inch, which browsers show at 96 px to the inch). An embedded PNG then shows at
#: the same size as the SVG of the same view; browsers ignore a PNG's own resolution (pHYs), so a denser PNG
#: would simply show larger.
PNG_DPI = 96


def dot_command(executable: str, fmt: str) -> list[str]:
    """The command line that renders ``fmt``: PNG and PDF through cairo (CJK text), PNG at :data:`PNG_DPI`.

    >>> dot_command("dot", "png"), dot_command("dot", "svg")
    (['dot', '-Tpng:cairo', '-Gdpi=96'], ['dot', '-Tsvg'])
    """
    command = [executable, f"-T{fmt}:cairo" if fmt in ("png", "pdf") else f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={PNG_DPI}")
    return command


def run_dot(dot_source: str, fmt: str) -> bytes:
    """Run Graphviz ``dot`` on ``dot_source`` and return its ``fmt`` output (svg, png or pdf)."""
    executable = shutil.which("dot")
    if executable is None:
        raise ToolMissing(
            "Graphviz 'dot' is not installed; install the Debian package 'graphviz' (apt-get install graphviz)"
        )
    done = subprocess.run(
        dot_command(executable, fmt), input=dot_source.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderFailed(f"dot failed: {detail[-1] if detail else f'exit status {done.returncode}'}")
    return done.stdout


def run_dot_many(sources: list[str], processes: int = 2) -> list[bytes]:
    """The SVG of each DOT text in ``sources``, in order, from few ``dot`` runs, ``processes`` at a time.

    ``dot`` lays out every graph of its input in turn, so one process draws a batch of graphs without paying its
    start-up for each. Graphs with clusters are the exception: in a batch, the order ``dot`` writes their
    clusters in can change from run to run, so each of those gets a process of its own (as ``render`` gives
    every graph), and the same DOT always gives the same SVG.
    """
    if not sources:
        return []
    alone = [i for i, text in enumerate(sources) if _CLUSTER.search(text)]
    batched = [i for i, text in enumerate(sources) if not _CLUSTER.search(text)]
    chunks = [[sources[i] for i in batched[k::processes]] for k in range(min(processes, len(batched)))]
    jobs: list[list[str]] = [[sources[i]] for i in alone] + chunks
    with ThreadPoolExecutor(max_workers=processes) as pool:
        results = list(pool.map(_run_batch, jobs))
    out: list[bytes] = [b""] * len(sources)
    for i, result in zip(alone, results, strict=False):
        out[i] = result[0]
    for k, result in enumerate(results[len(alone) :]):
        for i, svg in zip(batched[k::processes], result, strict=True):
            out[i] = svg
    return out


def _run_batch(sources: list[str]) -> list[bytes]:
    """The SVGs of one ``dot`` run over ``sources``. ``dot`` numbers the graphs after the first of a run as pages
    and writes that into their ids (``page0,1_``); taken out, each SVG is the bytes ``dot`` gives the graph alone,
    so a layout does not depend on what it was batched with (no id of virtgraph's holds a comma)."""
    data = run_dot("\n".join(sources), "svg")
    parts = [_PAGE_ID.sub(rb"\1", b"<?xml" + part) for part in data.split(b"<?xml")[1:]]
    if len(parts) != len(sources):
        raise RenderFailed(f"dot drew {len(parts)} of {len(sources)} graphs")
    return parts
