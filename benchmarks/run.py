"""Benchmarks of virtgraph: cold commands beside the bare interpreter, stores at scale with and without the store
cache, the peers on the same job, servers.

Benchmarks are not tests: nothing here gates CI on a time. Run it on a quiet machine and read the table:

    python benchmarks/run.py                      # everything (about fifteen minutes on 2 cores)
    python benchmarks/run.py --quick              # skip the 1M-triple graphs, the peers and the servers
    python benchmarks/run.py --before /tmp/old    # also time an older checkout (git archive) side by side
    python benchmarks/run.py --write docs/benchmarks.md

Every figure is a whole-process median (``--repeat`` runs) unless it says otherwise, measured in the same run
as ``python -c pass`` (ratios are steadier than times on a shared machine); peak memory is that process's
maximum resident set size. Children run with a fresh cache folder of their own and may write bytecode, as an
installed package has it.
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
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "VIRTGRAPH_NO_CACHE")}


def measured(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float]:
    """Wall time and peak memory (MB) of one run, peak memory read from the child itself."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "t = time.perf_counter() - t\n"
        "if done.returncode: sys.exit(done.stderr.decode(errors='replace')[-500:])\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    done = subprocess.run([PYTHON, "-c", wrapper, *command], cwd=cwd, env=env or ENV, capture_output=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    seconds, peak = done.stdout.decode().split()
    return float(seconds), float(peak)


def timed(command: list[str], repeat: int, cwd: Path = ROOT, env: dict | None = None, stdin: bytes | None = None):
    """Median wall time of ``command`` over ``repeat`` runs (it must succeed)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=env or ENV, input=stdin, check=False)
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


def fmt_mb(mb: float | None) -> str:
    return "—" if mb is None else f"{mb:.0f} MB"


def verdict(value: float | None, target: float | None) -> str:
    if value is None or target is None:
        return ""
    return "✓" if value <= target else "✗"


#: What the goals of issue 14 are judged on, filled in as the sections run (see :func:`goal_rows`).
SEEN: dict[str, float] = {}


def with_cache(folder: Path, **extra: str) -> dict:
    return {**ENV, "VIRTGRAPH_CACHE_DIR": str(folder), **extra}


# --- A. cold commands beside the bare interpreter ---------------------------------------------------------------


def command_rows(repeat: int, before: Path | None) -> list[list[str]]:
    """Each command on the shipped graph: now, and (with ``before``) in an older checkout, in the same run."""
    from virtgraph.drawing import all_targets, draw
    from virtgraph.graph import load
    from virtgraph.graphviz_run import dot_command

    work = Path(tempfile.mkdtemp(prefix="vg-bench-"))
    kg = load(cache=False)
    dot_files = {}
    for view, lang, fmt in all_targets():
        path = work / f"{view}.{lang}.dot"
        path.write_text(draw(kg, view, lang).dot, encoding="utf-8")
        dot_files[(view, lang, fmt)] = path

    def dot_alone(targets) -> float:
        return sum(
            timed([*dot_command("dot", fmt), str(dot_files[(v, lang, fmt)]), "-o", os.devnull], repeat)
            for v, lang, fmt in targets
        )

    bare = timed([PYTHON, "-c", "pass"], repeat)
    dot_taxonomy = dot_alone([("taxonomy", "zh", "svg")])
    dot_all = dot_alone(all_targets())
    trees = {"now": ROOT, **({"before": before} if before else {})}
    results: dict[str, dict[str, float | None]] = {}
    for name, tree in trees.items():
        results[name] = commands_in(tree, work / name, repeat)
    SEEN.update(bare=bare, **{f"now {k}": v for k, v in results["now"].items() if v is not None})
    rows = [
        ["`python -c pass` (bare interpreter)", fmt_s(bare), "", "", "", "", ""],
        ["`dot` alone: taxonomy.zh.svg", fmt_s(dot_taxonomy), "", "", "", "", ""],
        [f"`dot` alone: the {len(all_targets())} files of `render --all`, one after another", fmt_s(dot_all)]
        + [""] * 5,
    ]
    goals = {
        "--help": (0.15, "≤ 0.15 s"),
        "lookup, cached": (6 * bare, "≤ 6 × bare"),
        "render --all, nothing changed": (5 * bare, "≤ 5 × bare"),
        "render --check, nothing changed": (5 * bare, "≤ 5 × bare"),
        "render --all, everything changed": (1.5 * (bare + dot_all), "≤ 1.5 × floor"),
    }
    floors = {"render --view taxonomy": bare + dot_taxonomy, "render --all, everything changed": bare + dot_all}
    for key, label in COMMANDS_SHOWN:
        now = results["now"].get(key)
        old = results.get("before", {}).get(key)
        floor = floors.get(key, bare)
        goal, goal_text = goals.get(key, (None, ""))
        rows.append(
            [
                label,
                fmt_s(now),
                f"{now / floor:.1f}×" if now else "",
                fmt_s(old) if before else "",
                f"{old / floor:.1f}×" if old and before else "",
                goal_text,
                verdict(now, goal),
            ]
        )
    shutil.rmtree(work, ignore_errors=True)
    return rows


COMMANDS_SHOWN = [
    ("--help", "`virtgraph --help`"),
    ("views", "`virtgraph views`"),
    ("query --list", "`virtgraph query --list`"),
    ("lookup, no cache", "`virtgraph lookup kvm`, no cache (`--no-cache`)"),
    ("lookup, first", "`virtgraph lookup kvm`, first run (builds the cache)"),
    ("lookup, cached", "`virtgraph lookup kvm`, cached (second run on)"),
    ("render --view taxonomy", "`virtgraph render --view taxonomy` (floor: bare + `dot`)"),
    ("render --all, nothing changed", "`virtgraph render --all`, nothing changed"),
    ("render --check, nothing changed", "`virtgraph render --check`, nothing changed"),
    ("render --all, nothing changed, full path", "`render --all`, nothing changed, full path (`--no-cache`)"),
    ("render --all, everything changed", "`virtgraph render --all`, everything changed (floor: bare + `dot`s)"),
]


def commands_in(tree: Path, work: Path, repeat: int) -> dict[str, float | None]:
    """The commands of :data:`COMMANDS_SHOWN`, run in the checkout ``tree`` (``python -m virtgraph`` there)."""
    work.mkdir(parents=True)
    out = work / "output"
    shutil.copytree(tree / "output", out)
    cache = work / "cache"
    env = with_cache(cache)
    new = (tree / "virtgraph" / "cache.py").exists()
    figures: dict[str, float | None] = {}

    def t(key: str, *args: str, times: int = repeat, environment: dict | None = None) -> None:
        figures[key] = timed([*VIRTGRAPH, *args], times, cwd=tree, env=environment or env)

    t("--help", "--help")
    t("views", "views")
    t("query --list", "query", "--list")
    if new:
        t("lookup, no cache", "--no-cache", "lookup", "kvm")
        figures["lookup, first"] = timed([*VIRTGRAPH, "lookup", "kvm"], 1, cwd=tree, env=env)
    else:
        t("lookup, no cache", "lookup", "kvm")  # before the cache: every run is like this one
    t("lookup, cached", "lookup", "kvm")
    t("render --view taxonomy", "render", "--view", "taxonomy", "-o", str(work / "t.svg"))
    timed([*VIRTGRAPH, "render", "--all", "--output-dir", str(out)], 1, cwd=tree, env=env)  # writes the manifest
    t("render --all, nothing changed", "render", "--all", "--output-dir", str(out))
    t("render --check, nothing changed", "render", "--check", "--output-dir", str(out))
    if new:
        full = ["--no-cache", "render", "--all", "--output-dir", str(out)]
        figures["render --all, nothing changed, full path"] = timed([*VIRTGRAPH, *full], repeat, cwd=tree, env=env)
    t("render --all, everything changed", "render", "--all", "--force", "--output-dir", str(out))
    return figures


# --- B. stores at scale, with and without the store cache ----------------------------------------------------------


def worker(path: str, store: str, cache: str) -> None:
    """Child process: load (cache on or off), build the label index, look up, draw taxonomy; print JSON figures."""
    from virtgraph.concepts import lookup
    from virtgraph.drawing import draw

    figures = {}
    started = time.perf_counter()
    from virtgraph.graph import load

    kg = load(path, store=store, cache=cache == "on")
    figures["load"] = time.perf_counter() - started
    figures["load_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    kg.labels  # noqa: B018 - built (or read from the cache) once per process, on first use
    lookup(kg, "kvm", "en")
    figures["first_lookup"] = time.perf_counter() - started
    warm = []
    for term in ["xen", "VT-x", "准虚拟化", "Type 1", "EPT", "docker", "kvm", "1型", "QEMU", "SR-IOV"]:
        started = time.perf_counter()
        lookup(kg, term, "en")
        warm.append(time.perf_counter() - started)
    figures["warm_lookup"] = statistics.median(warm)
    started = time.perf_counter()
    drawing = draw(kg, "scenarios", "en")
    figures["scenarios"] = time.perf_counter() - started
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
    del drawing


def scenarios_worker() -> None:
    """Child process: the shipped ontology in the memory store; the ``scenarios`` view drawn once the process is
    warm (another view drawn first: the word segmenter's dictionary and the label index are loaded once per
    process); print JSON figures."""
    from virtgraph.drawing import draw
    from virtgraph.graph import load

    started = time.perf_counter()
    kg = load(store="memory")
    figures = {"load": time.perf_counter() - started}
    for lang in ("zh", "en"):
        draw(kg, "taxonomy", lang)  # warm: per process and language, the segmenter, label index, fonts
    for lang in ("zh", "en"):
        started = time.perf_counter()
        draw(kg, "scenarios", lang)
        figures[lang] = time.perf_counter() - started
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def scenarios_row() -> list[str]:
    done = subprocess.run([PYTHON, __file__, "--scenarios-worker"], capture_output=True, check=True, cwd=ROOT, env=ENV)
    f = json.loads(done.stdout.decode().strip().splitlines()[-1])
    worst = max(f["zh"], f["en"])
    SEEN["scenarios"] = worst
    return [
        "shipped",
        "memory",
        f"{fmt_s(f['load'])}, {fmt_mb(f['peak_mb'])}",
        "",
        "",
        f"{fmt_s(f['zh'])} zh, {fmt_s(f['en'])} en (warm process) {verdict(worst, 0.5)}",
    ]


def scale_rows(sizes: list[int], limit: float) -> tuple[list[list[str]], list[list[str]]]:
    """Per graph size: loading with and without the cache, and ``lookup kvm`` as whole processes."""
    from benchmarks.generate import generate

    folder = Path(tempfile.mkdtemp(prefix="vg-graphs-"))
    rows, memory_rows = [], []
    for size in sizes:
        label = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        path = folder / f"kg-{size}.nt"
        generate(size, 1, path, ROOT / "ontology")
        cache = folder / f"cache-{size}"
        env = with_cache(cache)
        big = size >= 1_000_000
        load_script = "import sys; from virtgraph.graph import load; load(sys.argv[1], cache=sys.argv[2] == 'on')"
        plain = measured([PYTHON, "-c", load_script, str(path), "off"])
        built = measured([PYTHON, "-c", load_script, str(path), "on"], env=env)
        reopened = measured([PYTHON, "-c", load_script, str(path), "on"], env=env)
        lookup = [*VIRTGRAPH, "--ontology", str(path), "lookup", "kvm"]
        uncached = measured([*VIRTGRAPH, "--no-cache", "--ontology", str(path), "lookup", "kvm"], env=env)
        first = measured(lookup, env=env)  # the store is cached; the label index, keys and card are made
        again = measured(lookup, env=env)
        if big:
            SEEN.update(build_s=built[0], build_mb=built[1], plain_s=plain[0], plain_mb=plain[1])
            SEEN.update(again_s=again[0], again_mb=again[1], uncached_s=uncached[0], uncached_mb=uncached[1])
        other = measured([*VIRTGRAPH, "--ontology", str(path), "lookup", "xen"], env=env)
        rows.append(
            [
                label,
                f"{fmt_s(plain[0])}, {fmt_mb(plain[1])}",
                f"{fmt_s(built[0])}, {fmt_mb(built[1])}"
                + (f" {verdict(built[0], 3)}{verdict(built[1], 500)}" if big else ""),
                f"{fmt_s(reopened[0])}, {fmt_mb(reopened[1])}",
                f"{fmt_s(uncached[0])}, {fmt_mb(uncached[1])}",
                f"{fmt_s(first[0])}, {fmt_mb(first[1])}",
                f"{fmt_s(again[0])}, {fmt_mb(again[1])}"
                + (f" {verdict(again[0], 0.5)}{verdict(again[1], 300)}" if big else ""),
                f"{fmt_s(other[0])}, {fmt_mb(other[1])}",
            ]
        )
        for store, cache_flag in (("oxigraph", "on"), ("memory", "off")):
            if store == "memory" and big:
                memory_rows.append([label, store, "not re-measured (45 s load, 2.2 GB in the previous run)"] + [""] * 3)
                continue
            memory_rows.append(worker_row(label, path, store, cache_flag, env, limit))
    shutil.rmtree(folder, ignore_errors=True)
    return rows, memory_rows


def worker_row(label: str, path: Path, store: str, cache: str, env: dict, limit: float) -> list[str]:
    try:
        done = subprocess.run(
            [PYTHON, __file__, "--worker", str(path), store, cache],
            capture_output=True,
            timeout=limit,
            check=True,
            cwd=ROOT,
            env=env,
        )
        f = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return [label, store, f"> {limit:.0f} s (stopped)", "", "", ""]
    except subprocess.CalledProcessError as exc:
        failure = exc.stderr.decode(errors="replace").strip().splitlines()[-1:]
        return [label, store, "failed: " + " ".join(failure)[:120], "", "", ""]
    return [
        label,
        f"{store}" + (" (cached)" if cache == "on" else ""),
        f"{fmt_s(f['load'])}, {fmt_mb(f['load_peak_mb'])}",
        fmt_s(f["first_lookup"]),
        f"{f['warm_lookup'] * 1000:.1f} ms",
        fmt_s(f["scenarios"]),
    ]


# --- C. the peers, on the shipped ontology ---------------------------------------------------------------------------


def merged_ontology(folder: Path) -> Path:
    """The shipped ontology as one Turtle file (what pyLODE and Ontospy read; made before any timing)."""
    import rdflib

    graph = rdflib.Graph()
    for file in sorted((ROOT / "ontology").glob("*.ttl")):
        if not file.name.endswith("shapes.ttl"):
            graph.parse(file)
    path = folder / "virtgraph.ttl"
    graph.serialize(path, format="turtle")
    return path


def peer_rows(limit: float = 600) -> list[list[str]]:
    """Each tool on the same job, the documentation of the shipped ontology; one cold run each."""
    folder = Path(tempfile.mkdtemp(prefix="vg-peers-"))
    merged = merged_ontology(folder)
    env = with_cache(folder / "cache", HOME=str(folder / "home"))
    (folder / "home").mkdir()
    rows = [rdf2dot_row(limit)]
    bin_dir = Path(PYTHON).parent
    peers = [
        ("pyLODE (`pylode virtgraph.ttl -o doc.html`, one HTML page)", [str(bin_dir / "pylode"), str(merged), "-o",
         str(folder / "pylode.html")]),
        ("Ontospy (`ontospy gendocs --type 2 -i`, a multi-page HTML site)", [str(bin_dir / "ontospy"), "gendocs",
         str(merged), "-o", str(folder / "ontospy"), "--type", "2", "-i"]),
    ]  # fmt: skip
    (folder / "ontospy").mkdir()
    for name, command in peers:
        if not Path(command[0]).exists():
            rows.append([name, "not installed (pip install -e '.[bench]')", "", ""])
            continue
        try:
            seconds, peak = measured(command, cwd=folder, env=env)
            rows.append([name, fmt_s(seconds), fmt_mb(peak), _count_files(folder, name)])
        except RuntimeError as exc:
            rows.append([name, f"does not run here: {str(exc).splitlines()[-1][:100]}", "", ""])
    out = folder / "output"
    cold = measured([*VIRTGRAPH, "render", "--all", "--output-dir", str(out)], env=env)
    rows.append(["virtgraph `render --all`, cold (empty output folder, no cache)", fmt_s(cold[0]), fmt_mb(cold[1]),
                 f"{sum(1 for p in out.iterdir() if not p.name.startswith('.'))} diagrams"])  # fmt: skip
    same = measured([*VIRTGRAPH, "render", "--all", "--output-dir", str(out)], env=env)
    rows.append(["virtgraph `render --all`, unchanged", fmt_s(same[0]), fmt_mb(same[1]), ""])
    rows += site_rows(folder, env)
    shutil.rmtree(folder, ignore_errors=True)
    return rows


def _count_files(folder: Path, name: str) -> str:
    if name.startswith("Ontospy"):
        return f"{sum(1 for p in (folder / 'ontospy').rglob('*') if p.is_file())} files"
    return "1 file"


def site_rows(folder: Path, env: dict) -> list[list[str]]:
    """``virtgraph site -o DIR`` (issue 13), cold and unchanged, when the command exists in this tree."""
    probe = subprocess.run([*VIRTGRAPH, "site", "--help"], capture_output=True, cwd=ROOT, env=env, check=False)
    if probe.returncode != 0:
        return [["virtgraph `site -o DIR`, cold / unchanged", "to fill: the command is not in this tree yet", "", ""]]
    site = folder / "site"
    try:
        cold = measured([*VIRTGRAPH, "site", "-o", str(site)], env=env)
        same = measured([*VIRTGRAPH, "site", "-o", str(site)], env=env)
    except RuntimeError as exc:
        return [["virtgraph `site -o DIR`", f"failed: {str(exc).splitlines()[-1][:100]}", "", ""]]
    pages = sum(1 for p in site.rglob("*.html"))
    return [
        ["virtgraph `site -o DIR`, cold", fmt_s(cold[0]), fmt_mb(cold[1]), f"{pages} pages"],
        ["virtgraph `site -o DIR`, unchanged", fmt_s(same[0]), fmt_mb(same[1]), ""],
    ]


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
    name = "rdflib `rdf2dot` piped to `dot` (one SVG of every triple, no layout choices)"
    started = time.perf_counter()
    try:
        produce = subprocess.run([PYTHON, "-c", script], capture_output=True, timeout=limit, check=True)
        subprocess.run(["dot", "-Tsvg", "-o", os.devnull], input=produce.stdout, timeout=limit, check=True)
        return [name, fmt_s(time.perf_counter() - started), "", "1 diagram"]
    except subprocess.TimeoutExpired:
        return [name, f"> {limit:.0f} s (stopped)", "", ""]


# --- goals ------------------------------------------------------------------------------------------------------


def goal_rows() -> list[list[str]]:
    """Issue 14's goals: its figure before, this run's, and whether the goal holds (— when not measured)."""
    bare = SEEN.get("bare")

    def ratio(key: str) -> tuple[str, float | None]:
        value = SEEN.get(key)
        return (f"{fmt_s(value)} = {value / bare:.1f}× bare", value / bare) if value and bare else ("—", None)

    render, render_ratio = ratio("now render --all, nothing changed")
    lookup, lookup_ratio = ratio("now lookup, cached")
    rows = [
        ["`render --all`, nothing changed", "0.44–0.54 s, 28–35×", render, "≤ 5×", verdict(render_ratio, 5)],
        ["`lookup kvm` (shipped graph)", "0.19–0.27 s, 12–16×", lookup, "≤ 6×", verdict(lookup_ratio, 6)],
    ]
    if "again_s" in SEEN:
        again = f"{fmt_s(SEEN['again_s'])}, {fmt_mb(SEEN['again_mb'])} (no cache: {fmt_s(SEEN['uncached_s'])}, "
        again += f"{fmt_mb(SEEN['uncached_mb'])})"
        both = verdict(SEEN["again_s"], 0.5) + verdict(SEEN["again_mb"], 300)
        rows.append(["`lookup kvm`, 1M triples, second run on", "6.9 s, 723 MB", again, "≤ 0.5 s, ≤ 300 MB", both])
        first = f"{fmt_s(SEEN['build_s'])}, {fmt_mb(SEEN['build_mb'])} building the cache (no cache: "
        first += f"{fmt_s(SEEN['plain_s'])}, {fmt_mb(SEEN['plain_mb'])})"
        both = verdict(SEEN["build_s"], 3) + verdict(SEEN["build_mb"], 500)
        rows.append(["load 1M triples, first time", "2.4 s, 807 MB", first, "≤ 3 s, ≤ 500 MB", both])
    scenarios = SEEN.get("scenarios")
    rows.append(["`scenarios` view, `memory` store", "5.8 s", fmt_s(scenarios), "≤ 0.5 s", verdict(scenarios, 0.5)])
    return rows


# --- D. SPARQL servers --------------------------------------------------------------------------------------------


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


INTRO = """# Benchmarks

The latest run of `python benchmarks/run.py --before <checkout> --write docs/benchmarks.md` (from the repository
root, after `bash scripts/dev setup` and `pip install -e '.[bench]'` for the peers). Benchmarks are not tests:
CI never fails on a time.

How to read it: every command is a whole process, timed beside a bare `python -c pass` in the same run; the
ratio to that floor (or, for a render, to the floor plus Graphviz `dot` alone on the same DOT) is what
virtgraph adds, and it is steadier than a time on a shared machine. *before* is the tree as it was before the
store cache and the manifest (issue 14), measured in the same run. The store cache lives in a fresh folder for
the run; "first run" builds it, "cached" is every run after. `render --all` and `--check` with nothing changed
answer from the manifest in the output folder without loading the graph; "full path" is the same command with
`--no-cache`, which always loads the graph and compares every file's DOT fingerprint (what every run did
before). The synthetic graphs come from `benchmarks/generate.py` (seed 1): the shipped ontology plus generated
vendors, features and products with the same shape. Goals are marked ✓/✗ where the project sets one.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="virtgraph benchmarks (not tests)")
    parser.add_argument("--quick", action="store_true", help="skip the 1M-triple graphs, the peers and the servers")
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (median)")
    parser.add_argument("--no-servers", action="store_true", help="skip the Oxigraph and Virtuoso servers")
    parser.add_argument("--before", type=Path, help="an older checkout (git archive) to time side by side")
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--worker", nargs=3, metavar=("GRAPH", "STORE", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--scenarios-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.scenarios_worker:
        scenarios_worker()
        return
    own_cache = tempfile.mkdtemp(prefix="vg-bench-cache-")  # this process never touches the user's cache either
    os.environ["VIRTGRAPH_CACHE_DIR"] = ENV["VIRTGRAPH_CACHE_DIR"] = own_cache
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    started = time.perf_counter()
    header = ["command", "now", "ratio", "before", "ratio before", "goal", ""]
    scale, stores = scale_rows(sizes, limit=900)
    sections = [
        "## Cold commands on the shipped graph\n\n" + table(header, command_rows(args.repeat, args.before)),
        "## Loading and `lookup kvm` at scale (whole processes: time, peak memory)\n\n"
        + table(
            [
                "triples",
                "load, no cache",
                "load, first run (builds the cache)",
                "load, cached",
                "`lookup kvm`, no cache (every run before)",
                "`lookup kvm`, first run on the cached store",
                "`lookup kvm`, next runs",
                "`lookup xen` after `kvm` (a new term, store cached)",
            ],
            scale,
        ),
        "## Inside one process: load, lookups and the `scenarios` view\n\n"
        + table(
            ["triples", "store", "load", "first lookup", "warm lookup", "`scenarios` view (DOT; first: +segmenter)"],
            [scenarios_row(), *stores],
        ),
    ]
    if not args.quick:
        sections.append(
            "## The peers on the same job (the shipped ontology's documentation, one cold run each)\n\n"
            + table(["tool", "time", "peak memory", "what it makes"], peer_rows())
        )
    if not (args.quick or args.no_servers):
        sections.append(
            "## SPARQL servers (shipped graph)\n\n"
            + table(
                ["where", "push", "query products-by-hypervisor-type", "lookup kvm (warm)"], server_rows(args.repeat)
            )
        )
    shutil.rmtree(own_cache, ignore_errors=True)
    goals = "## The goals of issue 14\n\n" + table(["goal", "issue 14 (before)", "now", "goal", ""], goal_rows())
    report = "\n\n".join([goals, *sections])
    footer = (
        f"\n\nMachine: {machine()}.\nMeasured by `python benchmarks/run.py` in {time.perf_counter() - started:.0f} s "
        f"on {time.strftime('%Y-%m-%d')}."
    )
    print(report + footer)
    if args.write:
        args.write.write_text(INTRO + "\n" + report + footer + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
