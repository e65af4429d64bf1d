"""Benchmarks of virtgraph: cold commands against their floor, the rdf2dot baseline, stores at scale, servers.

Benchmarks are not tests: nothing here gates CI on a time. Run it on a quiet machine and read the table:

    python benchmarks/run.py                      # everything (about ten minutes on 2 cores)
    python benchmarks/run.py --quick              # skip the 1M-triple graphs and the servers
    python benchmarks/run.py --write docs/benchmarks.md

Every figure is a whole-process median (``--repeat`` runs) unless it says otherwise; peak memory is the
child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VIRTGRAPH = [PYTHON, "-m", "virtgraph"]
sys.path.insert(0, str(ROOT))


def timed(command: list[str], repeat: int, cwd: Path = ROOT, env: dict | None = None, stdin: bytes | None = None):
    """Median wall time of ``command`` over ``repeat`` runs (it must succeed)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=env, input=stdin, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return statistics.median(times)


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def verdict(value: float | None, target: float | None) -> str:
    if value is None or target is None:
        return ""
    return "✓" if value <= target else "✗"


# --- A. cold commands and their floor ----------------------------------------------------------------------------


def command_rows(repeat: int) -> list[list[str]]:
    from virtgraph.drawing import all_targets, draw
    from virtgraph.graph import load
    from virtgraph.graphviz_run import dot_command

    work = Path(tempfile.mkdtemp(prefix="vg-bench-"))
    out = work / "output"
    shutil.copytree(ROOT / "output", out)
    kg = load()
    dot_files = {}
    for view, lang, fmt in all_targets():
        dot = draw(kg, view, lang).dot
        path = work / f"{view}.{lang}.dot"
        path.write_text(dot, encoding="utf-8")
        dot_files[(view, lang, fmt)] = path

    def dot_alone(targets) -> float:
        total = 0.0
        for view, lang, fmt in targets:
            command = [*dot_command("dot", fmt), str(dot_files[(view, lang, fmt)])]
            total += timed([*command, "-o", os.devnull], repeat)
        return total

    bare = timed([PYTHON, "-c", "pass"], repeat)
    dot_taxonomy = dot_alone([("taxonomy", "zh", "svg")])
    dot_all = dot_alone(all_targets())
    rows = []

    def row(name, seconds, floor=None, target=None, target_text=""):
        ratio = f"{seconds / floor:.2f}×" if floor else ""
        rows.append([name, fmt_s(seconds), fmt_s(floor) if floor else "", ratio, target_text, verdict(seconds, target)])

    row("`python -c pass` (bare interpreter)", bare)
    row("`dot` alone: taxonomy.zh.svg", dot_taxonomy)
    row(f"`dot` alone: the {len(all_targets())} files of `render --all`, one after another", dot_all)
    row("`virtgraph --help`", timed([*VIRTGRAPH, "--help"], repeat), bare, 0.15, "≤ 0.15 s")
    row("`virtgraph lookup kvm`", timed([*VIRTGRAPH, "lookup", "kvm"], repeat), bare, 0.5, "≤ 0.5 s")
    row(
        "`virtgraph render --view taxonomy`",
        timed([*VIRTGRAPH, "render", "--view", "taxonomy", "-o", str(work / "t.svg")], repeat),
        bare + dot_taxonomy,
    )
    unchanged = timed([*VIRTGRAPH, "render", "--all", "--output-dir", str(out)], repeat)
    row("`virtgraph render --all`, nothing changed", unchanged, bare, 0.5, "≤ 0.5 s")
    changed = timed([*VIRTGRAPH, "render", "--all", "--force", "--output-dir", str(out)], repeat)
    floor = bare + dot_all
    row("`virtgraph render --all`, everything changed", changed, floor, 1.5 * floor, "≤ 1.5 × floor")
    rows.append(rdf2dot_row())
    shutil.rmtree(work, ignore_errors=True)
    return rows


def rdf2dot_row(limit: float = 600) -> list[str]:
    """The baseline a user would pick instead: rdflib's rdf2dot piped into dot, on the shipped ontology."""
    files = [str(p) for p in sorted((ROOT / "ontology").glob("*.ttl")) if not p.name.endswith("shapes.ttl")]
    script = (
        "import sys, rdflib\n"
        "from rdflib.tools.rdf2dot import rdf2dot\n"
        "g = rdflib.Graph()\n"
        f"for path in {files!r}:\n"
        "    g.parse(path)\n"
        "rdf2dot(g, sys.stdout)\n"
    )
    started = time.perf_counter()
    try:
        produce = subprocess.run([PYTHON, "-c", script], capture_output=True, timeout=limit, check=True)
        subprocess.run(["dot", "-Tsvg", "-o", os.devnull], input=produce.stdout, timeout=limit, check=True)
        seconds = time.perf_counter() - started
        return [
            "baseline: rdflib `rdf2dot` piped to `dot` on the shipped ontology (one SVG, no layout choices)",
            fmt_s(seconds),
            "",
            "",
            "",
            "",
        ]
    except subprocess.TimeoutExpired:
        return [
            "baseline: rdflib `rdf2dot` piped to `dot` on the shipped ontology",
            f"> {limit:.0f} s (stopped)",
            "",
            "",
            "",
            "",
        ]


# --- B. stores on synthetic graphs --------------------------------------------------------------------------------


def worker(path: str, store: str) -> None:
    """Child process: load, build the label index, look up, render taxonomy; print JSON figures."""
    from virtgraph.concepts import lookup
    from virtgraph.drawing import draw
    from virtgraph.graph import load
    from virtgraph.render import render_bytes

    figures = {}
    started = time.perf_counter()
    kg = load(path, store=store)
    figures["load"] = time.perf_counter() - started
    started = time.perf_counter()
    kg.labels  # noqa: B018 - built once per process, on first use
    lookup(kg, "kvm", "en")
    figures["first_lookup"] = time.perf_counter() - started
    warm = []
    for term in ["xen", "VT-x", "准虚拟化", "Type 1", "EPT", "docker", "kvm", "1型", "QEMU", "SR-IOV"]:
        started = time.perf_counter()
        lookup(kg, term, "en")
        warm.append(time.perf_counter() - started)
    figures["warm_lookup"] = statistics.median(warm)
    started = time.perf_counter()
    drawing = draw(kg, "taxonomy", "en")
    render_bytes(drawing.graph, drawing.dot, "svg")
    figures["render_taxonomy"] = time.perf_counter() - started
    figures["drawn_nodes"] = drawing.graph.number_of_nodes()
    figures["omitted"] = drawing.graph.graph.get("omitted", 0)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def store_rows(sizes: list[int], stores: list[str], limit: float) -> list[list[str]]:
    from benchmarks.generate import generate

    rows = []
    folder = Path(tempfile.mkdtemp(prefix="vg-graphs-"))
    for size in sizes:
        path = folder / f"kg-{size}.nt"
        generate(size, 1, path, ROOT / "ontology")
        for store in stores:
            label = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
            try:
                done = subprocess.run(
                    [PYTHON, __file__, "--worker", str(path), store],
                    capture_output=True,
                    timeout=limit,
                    check=True,
                    cwd=ROOT,
                )
                f = json.loads(done.stdout.decode().strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                rows.append([label, store, f"> {limit:.0f} s (stopped)", "", "", "", "", "", ""])
                continue
            except subprocess.CalledProcessError as exc:
                failure = exc.stderr.decode(errors="replace").strip().splitlines()[-1:]
                rows.append([label, store, "failed: " + " ".join(failure)[:120], "", "", "", "", "", ""])
                continue
            big = size >= 1_000_000
            cold = None
            if size <= 100_000 or store == "oxigraph":
                render = ["render", "--view", "taxonomy", "--format", "png", "-o", str(folder / "t.png")]
                cold = timed([*VIRTGRAPH, "--store", store, "--ontology", str(path), *render], 1)
            rows.append(
                [
                    label,
                    store,
                    fmt_s(f["load"]) + (" " + verdict(f["load"], 10) if big else ""),
                    f"{f['peak_mb']:.0f} MB" + (" " + verdict(f["peak_mb"], 1024) if big else ""),
                    fmt_s(f["first_lookup"]),
                    f"{f['warm_lookup'] * 1000:.1f} ms" + (" " + verdict(f["warm_lookup"], 0.05) if big else ""),
                    fmt_s(f["render_taxonomy"]),
                    fmt_s(cold) + (" " + verdict(cold, 10) if size == 100_000 else ""),
                    f"{f['drawn_nodes']} (+{f['omitted']} folded)",
                ]
            )
    shutil.rmtree(folder, ignore_errors=True)
    return rows


# --- C. SPARQL servers --------------------------------------------------------------------------------------------


def server_rows(repeat: int) -> list[list[str]]:
    from tests.support.servers import start_oxigraph, start_virtuoso
    from virtgraph.endpoint import Endpoint, EndpointBackend, push
    from virtgraph.graph import KnowledgeGraph, load

    def latency(kg) -> tuple[float, float]:
        from virtgraph.concepts import lookup

        kg.labels  # noqa: B018 - warm the label index like a long-running process would
        query, card = [], []
        for _ in range(max(5, repeat)):
            started = time.perf_counter()
            kg.run("products-by-hypervisor-type", lang="en")
            query.append(time.perf_counter() - started)
            started = time.perf_counter()
            lookup(kg, "kvm", "en")
            card.append(time.perf_counter() - started)
        return statistics.median(query), statistics.median(card)

    rows = []
    q, c = latency(load())
    rows.append(["local files (oxigraph store)", "—", fmt_s(q), fmt_s(c)])
    for start in (start_oxigraph, start_virtuoso):
        folder = Path(tempfile.mkdtemp(prefix="vg-server-"))
        server = start(folder)
        try:
            endpoint = Endpoint(server.url)
            started = time.perf_counter()
            result = push(endpoint)
            pushed = time.perf_counter() - started
            kg = KnowledgeGraph(EndpointBackend(endpoint), server.url)
            q, c = latency(kg)
            rows.append([f"{server.name} server ({result.method})", fmt_s(pushed), fmt_s(q), fmt_s(c)])
        finally:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)
    return rows


# --- output -------------------------------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    import graphviz
    import pyoxigraph
    import rdflib

    dot = subprocess.run(["dot", "-V"], capture_output=True, check=False).stderr.decode().strip()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}, graphviz (Python) "
        f"{graphviz.__version__}, {dot}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="virtgraph benchmarks (not tests)")
    parser.add_argument("--quick", action="store_true", help="skip the 1M-triple graphs and the servers")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--no-servers", action="store_true", help="skip the Oxigraph and Virtuoso servers")
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--worker", nargs=2, metavar=("GRAPH", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    started = time.perf_counter()
    sections = [
        "## Cold commands on the shipped graph\n\n"
        + table(["command", "median", "floor", "ratio to floor", "target", ""], command_rows(args.repeat)),
        "## Stores on synthetic graphs\n\n"
        + table(
            [
                "triples",
                "store",
                "load",
                "peak memory",
                "first lookup (builds the index)",
                "warm lookup",
                "taxonomy SVG, graph loaded",
                "cold `render --view taxonomy` (PNG)",
                "nodes drawn",
            ],
            store_rows(sizes, ["oxigraph", "memory"], limit=600),
        ),
    ]
    if not (args.quick or args.no_servers):
        sections.append(
            "## SPARQL servers (shipped graph)\n\n"
            + table(
                ["where", "push", "query products-by-hypervisor-type", "lookup kvm (warm)"], server_rows(args.repeat)
            )
        )
    report = "\n\n".join(sections)
    footer = (
        f"\n\nMachine: {machine()}.\nMeasured by `python benchmarks/run.py` in {time.perf_counter() - started:.0f} s "
        f"on {time.strftime('%Y-%m-%d')}."
    )
    print(report + footer)
    if args.write:
        intro = (
            "# Benchmarks\n\n"
            "The latest run of `python benchmarks/run.py --write docs/benchmarks.md` (from the repository root,\n"
            "after `bash scripts/dev setup`; `.venv/bin/python` if the virtual environment is not active).\n"
            "Benchmarks are not tests: CI never fails on a time.\n\n"
            "How to read it: the *floor* of a command is a bare interpreter plus Graphviz `dot` alone on the same\n"
            "DOT, so the ratio shows what virtgraph adds. `render --all` skips files whose recorded DOT hash is\n"
            "current, and runs `dot` for the others in parallel (one process per core), which is why it can\n"
            "match its sequential floor. The synthetic graphs come from `benchmarks/generate.py` (seed 1): the\n"
            "shipped ontology plus generated vendors, features and products with the same shape. Targets are\n"
            "marked ✓/✗ where the project sets one; the 1M-triple targets apply to the default `oxigraph` store,\n"
            "and the `memory` (rdflib) store is listed beside it for comparison. Above the node budget (80 by\n"
            "default, `--max-nodes`) a view folds leaves into “+N more” nodes and says so under its title.\n\n"
        )
        args.write.write_text(intro + report + footer + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
