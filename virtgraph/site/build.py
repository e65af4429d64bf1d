"""``virtgraph site``: the whole graph as a static, bilingual site, built offline (see :func:`build_site`).

The build draws every view and every concept's neighbourhood (one batch of ``dot`` runs, and none for
layouts the cache already holds), builds every concept card, and writes the pages. Files are written only when
their bytes change, and a file of the previous build that this one no longer makes is removed; virtgraph
touches only files it listed in the folder's ``.virtgraph-site.json``, and refuses a non-empty folder that
has none (it is someone else's).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..concepts import finder
from ..drawing import Drawing, draw, prepare
from ..errors import RenderFailed, UsageError, VirtgraphError
from ..graph import KnowledgeGraph
from ..labels import LANGUAGES
from ..viewspec import view_specs
from .content import Site, concept_pages, cookbook_page, data_files, home_pages, root_files
from .diagrams import Diagrams
from .layouts import Layouts, default_cache_dir
from .output import MANIFEST, check_folder, sync_folder
from .pages import concept_slug


@dataclass
class SiteReport:
    """What a build did: pages and files written, left alone (unchanged) and removed; graphs ``dot`` drew."""

    folder: Path
    pages: int = 0
    files: int = 0
    size: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    drawn: int = 0
    reused: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"site in {self.folder}: {self.pages} pages, {self.files} files, {self.size / 1e6:.1f} MB; "
            f"{len(self.written)} written, {self.files - len(self.written)} unchanged, {len(self.removed)} removed; "
            f"{self.drawn} diagrams laid out by dot, {self.reused} from the cache; {self.seconds:.1f} s"
        )


def site_concepts(kg: KnowledgeGraph) -> list[str]:
    """The IRIs that get a page: every concept and organisation ``lookup`` can find, sorted."""
    return sorted({iri for _, iri, _ in finder(kg).names})


def build_site(
    kg: KnowledgeGraph,
    folder: str | Path,
    *,
    langs: tuple[str, ...] = LANGUAGES,
    cache: bool = True,
    serve: bool = False,
    warn: Callable[[str], None] | None = None,
    inputs: dict[str, str] | None = None,
) -> SiteReport:
    """Build the site of ``kg`` into ``folder`` (made if missing; see the module docstring for what is kept).

    ``cache`` keeps Graphviz layouts between builds (:mod:`virtgraph.site.layouts`); ``serve`` adds the script
    that reloads a page when a rebuild changed it (``virtgraph site --serve``). ``inputs``
    (:func:`virtgraph.site.output.site_inputs`, hashed before the graph was loaded) is recorded so that the next
    build of unchanged inputs can stop at once (:func:`virtgraph.site.output.current_site`).
    """
    started = time.perf_counter()
    out = Path(folder)
    check_folder(out, MANIFEST)  # someone else's folder is refused before any work
    for lang in langs:
        if lang not in LANGUAGES:
            raise UsageError(f"unknown language {lang!r}; choose from: {', '.join(LANGUAGES)}")
    iris = site_concepts(kg)
    site = Site(kg, {iri: concept_slug(iri) for iri in iris}, serve)
    job = _Job(site, tuple(n for n, spec in view_specs().items() if not spec.needs_concept), cache, warn)
    prepare(kg)  # once, before the languages part ways
    files: dict[str, bytes] = {}
    drawn = reused = 0
    for part, part_drawn, part_reused in _per_language(job, langs, lambda: files.update(_shared_files(site, langs))):
        files.update(part)
        drawn, reused = drawn + part_drawn, reused + part_reused

    report = SiteReport(out, drawn=drawn, reused=reused)
    report.written, report.removed = sync_folder(out, files, MANIFEST, __version__, inputs)
    report.files = len(files)
    report.pages = sum(1 for name in files if name.endswith(".html"))
    report.size = sum(len(data) for data in files.values())
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Job:
    """One build: the site, its views, and how layouts are cached."""

    site: Site
    views: tuple[str, ...]
    cache: bool
    warn: Callable[[str], None] | None

    def language(self, lang: str) -> tuple[dict[str, bytes], int, int]:
        """Every page of ``lang`` and the counts of layouts drawn and reused."""
        kg, pages_of = self.site.kg, self.site.pages_of
        layouts = Layouts(default_cache_dir() if self.cache else None, self.warn)
        # view and concept pages both sit two folders down (<lang>/view/, <lang>/concept/): one link serves both
        diagrams = Diagrams(layouts, lambda iri, _: f"../concept/{pages_of[iri]}.html" if iri in pages_of else None)
        with ThreadPoolExecutor(max_workers=1) as background:
            # the large views go to dot first; the neighbourhoods are drawn meanwhile
            drawings = [draw(kg, view, lang) for view in self.views]
            laid_out = background.submit(diagrams.lay_out, drawings)
            neighbourhoods = _neighbourhoods(kg, list(pages_of), lang)
            view_markup = laid_out.result()
            concept_markup = dict(zip(neighbourhoods, diagrams.lay_out(list(neighbourhoods.values())), strict=True))
        files = home_pages(self.site, lang, drawings, view_markup)
        files.update(concept_pages(self.site, lang, concept_markup))
        files.update(cookbook_page(self.site, lang))
        return files, layouts.drawn, layouts.reused


_JOB: list[_Job] = []  # the job a forked worker inherits


def _language_in_worker(lang: str) -> tuple[dict[str, bytes], int, int]:
    return _JOB[0].language(lang)


def _per_language(
    job: _Job, langs: tuple[str, ...], meanwhile: Callable[[], None]
) -> list[tuple[dict[str, bytes], int, int]]:
    """``job.language`` for each language: in forked processes side by side where the platform can fork (the
    graph is shared, not loaded again), else one after the other; ``meanwhile`` runs in this process."""
    if len(langs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        meanwhile()
        return [job.language(lang) for lang in langs]
    _JOB[:] = [job]
    try:
        with ProcessPoolExecutor(len(langs), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_language_in_worker, lang) for lang in langs]
            meanwhile()
            return [future.result() for future in futures]
    except BrokenProcessPool:
        raise RenderFailed("a worker building the site stopped unexpectedly") from None
    finally:
        _JOB.clear()


def _shared_files(site: Site, langs: tuple[str, ...]) -> dict[str, bytes]:
    files = data_files(site)
    files.update(root_files(site, langs))
    return files


def _neighbourhoods(kg: KnowledgeGraph, iris: list[str], lang: str) -> dict[tuple[str, str], Drawing]:
    """Each concept's neighbourhood (the ``concept`` view, one link away) in ``lang``, by ``(iri, lang)``; a
    concept the view cannot draw, or with nothing linked to it, has none."""
    out: dict[tuple[str, str], Drawing] = {}
    for iri in iris:
        try:
            drawing = draw(kg, "concept", lang, concept=iri)
        except VirtgraphError:
            continue
        if drawing.graph.number_of_nodes() > 1:
            out[(iri, lang)] = drawing
    return out
