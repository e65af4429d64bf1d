"""Rendering drawings to bytes and files: one view on demand, every view for ``render --all``/``--check``.

The pipeline's pure part ends at :mod:`virtgraph.drawing` (a view's DiGraph and DOT). Here the formats meet:
DOT and the exports are written as they are, SVG/PNG/PDF go through ``dot`` (:mod:`virtgraph.graphviz_run`)
and are finished (:mod:`virtgraph.finish`), and files are written whole and inside the working tree
(:mod:`virtgraph.files`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import export
from .drawing import Drawing, all_targets, check_format, draw
from .errors import UsageError
from .files import check_output_dir, contained, remove_leftovers, temp_leftovers, write_atomic, write_stdout
from .finish import PNG_KEY, dot_hash, finish_svg, recorded_hash, tag_png
from .graph import KnowledgeGraph
from .graphviz_run import run_dot

__all__ = [
    "RenderAllReport",
    "Rendered",
    "render_all",
    "render_bytes",
    "render_view",
    "stale_outputs",
]


@dataclass
class Rendered:
    """One output of a render: its path, format, whether it was (re)written, and a warning about it, if any."""

    path: Path
    fmt: str
    written: bool
    warning: str = ""


#: Widest an SVG may be, in points, for its smallest text (10 pt) to stay at 11 px or more when documentation
#: shows it in a column 880 px wide: 10 * 880 / 11 = 800 pt (1,067 px). Diagrams are never scaled down.
READABLE_WIDTH_PT = 800.0


def width_warning(svg: bytes, name: str) -> str:
    """A warning when the SVG ``svg`` is too wide to read in a documentation column, else ``""``."""
    found = re.search(rb'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    if found is None or float(found.group(1)) <= READABLE_WIDTH_PT:
        return ""
    px = float(found.group(1)) * 4 / 3
    smallest = 10 * 880 / float(found.group(1))
    return (
        f"{name} is {px:,.0f} px wide: shown in an 880 px documentation column its smallest text is "
        f"{smallest:.1f} px; link it (readers can open it at full size) or draw less (--max-nodes, --depth)"
    )


def render_bytes(graph: nx.DiGraph[str], dot_source: str, fmt: str) -> bytes:
    """The bytes of ``graph`` in ``fmt`` (DOT already built from it)."""
    check_format(fmt)
    if fmt == "dot":
        return dot_source.encode("utf-8")
    if fmt == "json":
        return export.node_link_json(graph).encode("utf-8")
    if fmt == "graphml":
        return export.graphml(graph).encode("utf-8")
    if fmt == "mermaid":
        return export.mermaid(graph).encode("utf-8")
    if fmt == "svg":
        return finish_svg(run_dot(dot_source, "svg"), graph, dot_source)
    if fmt == "png":
        return tag_png(run_dot(dot_source, "png"), PNG_KEY, dot_hash(dot_source))
    return run_dot(dot_source, "pdf")


def render_view(
    kg: KnowledgeGraph,
    view: str,
    lang: str,
    fmt: str = "svg",
    output: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = "output",
    concept: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    warn: Callable[[str], None] | None = None,
) -> Path | None:
    """Draw ``view`` and write it: to ``output`` (``"-"`` = standard output), else ``<out_dir>/<stem>.<lang>.<ext>``.

    Returns the path written, or None for standard output. ``concept``, ``depth`` and ``max_nodes`` are those
    of :func:`~virtgraph.drawing.draw`. A path inside the working tree may not lead out of it (see
    :func:`~virtgraph.files.contained`); the file is written whole or not at all.
    """
    check_format(fmt)
    if output is not None and not str(output):
        raise UsageError("-o/--output needs a file name, or - for standard output")
    named = None if output is None or str(output) == "-" else contained(Path(output))
    drawing = draw(kg, view, lang, concept=concept, depth=depth, max_nodes=max_nodes)
    path = named or (None if output == "-" else contained(Path(out_dir) / drawing.file_name(fmt)))
    data = render_bytes(drawing.graph, drawing.dot, fmt)
    if fmt == "svg" and warn is not None and (warning := width_warning(data, str(path or drawing.file_name(fmt)))):
        warn(warning)
    if path is None:
        write_stdout(data)
    else:
        write_atomic(path, data)
    return path


def _targets(kg: KnowledgeGraph, out_dir: str | os.PathLike[str]) -> list[tuple[Path, str, Drawing]]:
    """``(path, format, drawing)`` of every file ``render --all`` keeps; each view is drawn once per language."""
    targets = all_targets()
    drawings = {(view, lang): draw(kg, view, lang) for view, lang in dict.fromkeys((v, g) for v, g, _ in targets)}
    return [(Path(out_dir) / drawings[(v, lang)].file_name(fmt), fmt, drawings[(v, lang)]) for v, lang, fmt in targets]


@dataclass
class RenderAllReport:
    """What ``render --all`` did: every file it keeps (written or unchanged), and the temporary files of
    interrupted runs it removed first."""

    files: list[Rendered]
    removed: list[Path]

    @property
    def written(self) -> list[Rendered]:
        return [item for item in self.files if item.written]


def render_all(kg: KnowledgeGraph, out_dir: str | os.PathLike[str], force: bool = False) -> RenderAllReport:
    """Render every view in both languages into ``out_dir``, skipping files whose recorded DOT matches.

    The output folder is checked and the leftovers of interrupted runs removed first. The DOT of every view is
    built next (cheap); ``dot`` then runs for the stale files only, in parallel (one process per core), and
    each file is written atomically as soon as it is ready.
    """
    removed = remove_leftovers(check_output_dir(out_dir))
    return RenderAllReport(_render_targets(kg, out_dir, force), removed)


def _render_targets(kg: KnowledgeGraph, out_dir: str | os.PathLike[str], force: bool) -> list[Rendered]:

    def write(path: Path, fmt: str, drawing: Drawing) -> Rendered:
        data = render_bytes(drawing.graph, drawing.dot, fmt)
        write_atomic(path, data)
        return Rendered(path, fmt, written=True, warning=width_warning(data, str(path)) if fmt == "svg" else "")

    targets = [(contained(path), fmt, drawing) for path, fmt, drawing in _targets(kg, check_output_dir(out_dir))]
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        results = [
            Rendered(path, fmt, written=False)
            if not force and recorded_hash(path) == dot_hash(drawing.dot)
            else pool.submit(write, path, fmt, drawing)
            for path, fmt, drawing in targets
        ]
        return [r if isinstance(r, Rendered) else r.result() for r in results]


def stale_outputs(kg: KnowledgeGraph, out_dir: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """Files of ``render --all`` that are missing or no longer match the ontology, with the reason."""
    problems = []
    for path, _, drawing in _targets(kg, check_output_dir(out_dir)):
        recorded = recorded_hash(path)
        if not path.exists():
            problems.append((path, "missing"))
        elif recorded is None:
            problems.append((path, "carries no virtgraph fingerprint"))
        elif recorded != dot_hash(drawing.dot):
            problems.append((path, "out of date"))
    for path in temp_leftovers(out_dir):
        problems.append((path, "temporary file left by an interrupted run (render --all removes it)"))
    return problems
