"""The ``virtgraph`` command line: a thin layer over the Python API.

Each command opens the knowledge graph through ``ctx.obj`` (a :class:`Session`), calls one library function
and prints its result. Errors are printed as one ``Error: ...`` line by :func:`main`, the only place that
catches them; heavy libraries (rdflib, networkx) are imported by the commands that need them, never here.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .choices import CARD_FORMATS, DEFAULT_STORE, QUERY_FORMATS, RENDER_FORMATS, STORES
from .errors import RenderFailed, UsageError, VirtgraphError
from .labels import LANGUAGES


def _quiet_rdflib() -> None:
    """rdflib logs what it makes of odd data (an IRI with a space, "abc"^^xsd:integer) with tracebacks on stderr;
    the data still loads, and virtgraph's own errors are the one line the user gets. (Here, not at import:
    commands that never load the graph do not pay for the logging module.)"""
    import logging

    logging.getLogger("rdflib").addHandler(logging.NullHandler())
    logging.getLogger("rdflib").propagate = False


@dataclass
class Session:
    """What every command shares: where the graph comes from and, once opened, the graph itself."""

    ontology: str | None = None
    store: str = DEFAULT_STORE
    endpoint: str | None = None
    graph: str | None = None
    timeout: float = 5.0
    query_timeout: float = 30.0
    cache: bool | None = None  # False: --no-cache; None: unless $VIRTGRAPH_NO_CACHE
    _kg: Any = field(default=None, repr=False)

    def open_endpoint(self, update_url: str | None = None, store_url: str | None = None) -> Any:
        _quiet_rdflib()
        from .endpoint import Endpoint

        if not self.endpoint:
            raise UsageError("no endpoint: pass --endpoint URL or set VIRTGRAPH_ENDPOINT")
        return Endpoint(self.endpoint, self.graph, update_url, store_url, self.timeout)

    def kg(self) -> Any:
        """The knowledge graph, opened on first use: ``--endpoint`` if given, else the local files."""
        if self._kg is None:
            _quiet_rdflib()
            if self.endpoint:
                from .endpoint import connect

                self._kg = connect(self.endpoint, self.graph, timeout=self.timeout)
            else:
                from .graph import load

                self._kg = load(self.ontology, store=self.store, cache=self.cache)
        return self._kg

    def fresh_kg(self) -> Any:
        """The knowledge graph opened again (the files may have changed since the last time)."""
        self._kg = None
        return self.kg()

    def fingerprint(self) -> object:
        """What changes when the local ontology files change (sizes, times); constant for an endpoint."""
        if self.endpoint:
            return self.endpoint
        from .ontology import ontology_files

        return [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in ontology_files(self.ontology)]

    def cache_entry(self) -> Any:
        """The store cache entry of the local files, if the cache holds a whole one (nothing loaded, no lock)."""
        from .cache import find_entry, use_cache

        if self.endpoint or self.store != "oxigraph" or not use_cache(self.cache):
            return None
        from .ontology import ontology_files

        return find_entry(ontology_files(self.ontology))


class VirtgraphGroup(click.Group):
    """A click group whose errors are one line on stderr: ``Error: ...``, exit 1 (failed) or 2 (bad usage)."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.pop("standalone_mode", None)
        try:
            super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except VirtgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(1)
        sys.exit(0)


def _finite(param: click.Parameter, value: float | None) -> float | None:
    """``value`` unless it is NaN (which passes every range check)."""
    if value is not None and value != value:
        raise click.BadParameter("nan is not a number of seconds", param=param)
    return value


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=lambda: os.environ.get("VIRTGRAPH_LANG", "zh"),
    show_default="zh, or $VIRTGRAPH_LANG",
    help="Language of labels and definitions.",
)


@click.group(cls=VirtgraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--ontology",
    metavar="PATH",
    envvar="VIRTGRAPH_ONTOLOGY",
    help="Turtle file or folder to load instead of the shipped ontology.",
)
@click.option(
    "--store",
    type=click.Choice(STORES),
    default=DEFAULT_STORE,
    envvar="VIRTGRAPH_STORE",
    show_default=True,
    help="Embedded store: oxigraph (compiled, fast) or memory (rdflib, pure Python).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    envvar="VIRTGRAPH_ENDPOINT",
    help="Read the graph from this SPARQL 1.1 query endpoint instead of local files.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    envvar="VIRTGRAPH_GRAPH",
    help="Named graph that holds the ontology on the endpoint [default: https://w3id.org/virtgraph/graph].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=86400),
    callback=lambda ctx, param, value: _finite(param, value),
    envvar="VIRTGRAPH_TIMEOUT",
    help="Deadline in seconds for each whole request to the endpoint [default: 5], or for a local `query` "
    "[default: 30].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="VIRTGRAPH_NO_CACHE",
    help="Parse the ontology afresh: neither read nor write the on-disk store cache (see `virtgraph cache`).",
)
@click.version_option(package_name="virtgraph")
@click.pass_context
def cli(
    ctx: click.Context,
    ontology: str | None,
    store: str,
    endpoint: str | None,
    graph_iri: str | None,
    timeout: float | None,
    no_cache: bool,
) -> None:
    """virtgraph: a bilingual (中文/English) knowledge graph of virtualization.

    \b
    Look a concept up, ask the graph SPARQL questions, check the ontology:
      virtgraph lookup 准虚拟化
      virtgraph lookup "Type 1" --lang en --format json
      virtgraph query products-by-hypervisor-type --lang en
      virtgraph query 'SELECT ?p WHERE { ?p vg:vendor vgc:org-vmware }'
      virtgraph validate
      virtgraph --endpoint http://127.0.0.1:7878/query lookup kvm
    """
    ctx.obj = Session(
        ontology=ontology, store=store, endpoint=endpoint, graph=graph_iri, cache=False if no_cache else None
    )
    warnings.showwarning = _show_warning  # a library warning (an unusable cache) is one line on stderr
    if timeout is not None:
        ctx.obj.timeout = ctx.obj.query_timeout = timeout


@cli.command()
@click.argument("query", required=False)
@lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="Output of SELECT/ASK (json = SPARQL 1.1 Query Results JSON). CONSTRUCT/DESCRIBE print Turtle.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the shipped queries and exit.")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Permit SERVICE and FROM, which fetch data over the network (refused by default).",
)
@click.pass_obj
def query(session: Session, query: str | None, lang: str, fmt: str, list_queries: bool, allow_network: bool) -> None:
    """Run a SPARQL query: SPARQL text, a .rq file, - for stdin, or a shipped query's name.

    Common prefixes (rdf rdfs owl xsd skos dct prov foaf sh vg vgc vgs) are pre-bound, and the
    parameter ?_lang is replaced by --lang. Queries are read-only: SPARQL Update is refused. A local
    query stops after --timeout seconds (default 30), at 1,000,000 rows or 2 GiB of memory, and at once
    on Ctrl-C (exit 1).

    \b
      virtgraph query --list
      virtgraph query features-by-vendor --lang en
      virtgraph query 'SELECT ?kind WHERE { ?kind a vg:VirtualizationKind }' --format csv
    """
    if list_queries:
        from .sparql import named_queries

        queries = named_queries()
        width = max(len(name) for name in queries)
        for name, item in queries.items():
            click.echo(f"{name.ljust(width)}  {item.description}")
        return
    from .formats import format_result
    from .graph import run_user_query
    from .sandbox import Limits

    limits = Limits(timeout=session.query_timeout)
    result = run_user_query(session.kg, query or "", lang=lang, allow_network=allow_network, limits=limits)
    output = format_result(result, fmt)
    click.echo(output, nl=not output.endswith("\n"))


@cli.command()
@click.argument("term")
@lang_option
@click.option("--format", "fmt", type=click.Choice(CARD_FORMATS), default="text", show_default=True, help="Output.")
@click.pass_obj
def lookup(session: Session, term: str, lang: str, fmt: str) -> None:
    """Show the concept card of TERM: any label, synonym or abbreviation, in Chinese or English.

    Matching ignores case, full-width forms, spaces and hyphens.

    \b
      virtgraph lookup kvm
      virtgraph lookup 准虚拟化
      virtgraph lookup "Type 1" --lang en
      virtgraph lookup VT-x --format json
    """
    from .cache import kept_output

    entry = session.cache_entry()
    kept = kept_output(entry, term, lang, fmt) if entry is not None else None
    if kept is not None:  # looked up before with this graph and code: printed as it was
        click.echo(kept)
        return
    from .card import card_text
    from .concepts import lookup as find

    card = find(session.kg(), term, lang)  # (keeps the card, its text and its JSON in the cache)
    click.echo(card.to_json() if fmt == "json" else card_text(card))


@cli.command()
@click.option(
    "--shapes", metavar="PATH", help="SHACL shapes to check against (default: *shapes.ttl beside the ontology)."
)
@click.pass_obj
def validate(session: Session, shapes: str | None) -> None:
    """Check the ontology against its SHACL shapes; print each violation on one line.

    Exit status 0 when the ontology is valid, 1 when a rule is broken.
    """
    from .errors import ValidationFailed
    from .shacl import check_ontology

    report = check_ontology(session.kg(), shapes, ontology=session.ontology)
    for violation in report.violations:
        click.echo(str(violation))
    if report.violations:
        raise ValidationFailed(f"{len(report.violations)} SHACL violation(s)")
    click.echo(report.summary)


@cli.command()
@lang_option
@click.pass_obj
def views(session: Session, lang: str) -> None:
    """List the diagram views with a one-line description each."""
    from .viewspec import view_specs

    specs = view_specs()
    width = max(len(name) for name in specs)
    for name, spec in specs.items():
        click.echo(f"{name.ljust(width)}  {spec.summary[lang]}")


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _render_inputs(session: Session) -> dict[str, str] | None:
    """What the renders depend on, hashed now (before the graph is loaded), for the manifest; None for an endpoint
    or with --no-cache (then the full path always runs)."""
    from .cache import use_cache

    if session.endpoint or not use_cache(session.cache):
        return None
    from .manifest import Inputs

    return Inputs(session.ontology, session.store).digests()


def _unchanged(output_dir: str, inputs: dict[str, str], check: bool) -> bool:
    """Say so and return True when the manifest shows nothing changed (no graph loaded); else False."""
    from .manifest import current_outputs

    count = current_outputs(output_dir, inputs)
    if count is None:
        return False
    click.echo(f"{count} files in {output_dir}/ are current" if check else f"0 written, {count} unchanged")
    return True


def _show_warning(message: Warning | str, *args: Any, **kwargs: Any) -> None:
    _warn(str(message))


@cli.command()
@click.option("--view", "view", metavar="NAME", help="The view to draw (see `virtgraph views`).")
@lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RENDER_FORMATS),
    default="svg",
    show_default=True,
    help="Output format (json = networkx node-link, mermaid = a GitHub-rendered flowchart).",
)
@click.option("-o", "--output", metavar="PATH", help="Output file, - for stdout [default: output/<view>.<lang>.<ext>].")
@click.option("--concept", metavar="TERM", help="For --view concept: the concept, by any label (like lookup).")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="For --view concept.")
@click.option(
    "--max-nodes",
    type=click.IntRange(5, 10000),
    metavar="N",
    help="Node budget: beyond it leaves fold into '+N more' nodes [default: the view's, 80].",
)
@click.option("--all", "render_all", is_flag=True, help="Render every view in both languages into the output folder.")
@click.option("--check", is_flag=True, help="Exit 1 listing every file in the output folder that is missing or stale.")
@click.option("--force", is_flag=True, help="With --all: rewrite files even when they are current.")
@click.option(
    "--output-dir", default="output", show_default=True, metavar="DIR", help="Folder of --all, --check and defaults."
)
@click.pass_obj
def render(
    session: Session,
    view: str | None,
    lang: str,
    fmt: str,
    output: str | None,
    concept: str | None,
    depth: int,
    max_nodes: int | None,
    render_all: bool,
    check: bool,
    force: bool,
    output_dir: str,
) -> None:
    """Draw a diagram of the knowledge graph (Graphviz via networkx).

    \b
      virtgraph render --view taxonomy                 # output/taxonomy.zh.svg
      virtgraph render --view eras --lang en --format png
      virtgraph render --view concept --concept kvm -o kvm.svg
      virtgraph render --view hardware --format mermaid -o -
      virtgraph render --all                           # every view, both languages, into output/
      virtgraph render --check                         # exit 1 if output/ is stale
    """
    if sum(bool(x) for x in (view, render_all, check)) != 1:
        raise UsageError("give exactly one of --view NAME, --all or --check")
    inputs = _render_inputs(session) if check or render_all else None
    if inputs is not None and not force and _unchanged(output_dir, inputs, check):
        return
    from . import render as r

    if check:
        problems = r.stale_outputs(session.kg(), output_dir)
        for path, reason in problems:
            click.echo(f"{path}: {reason}")
        if problems:
            raise RenderFailed(
                f"{len(problems)} file(s) in {output_dir}/ are missing or stale; run: virtgraph render --all"
            )
        from .drawing import all_targets

        click.echo(f"{len(all_targets())} files in {output_dir}/ are current")
    elif render_all:
        report = r.render_all(session.kg(), output_dir, force=force)
        for leftover in report.removed:
            click.echo(f"removed {leftover} (left by an interrupted run)")
        for item in report.written:
            click.echo(f"wrote {item.path}")
            if item.warning:
                _warn(item.warning)
        click.echo(f"{len(report.written)} written, {len(report.files) - len(report.written)} unchanged")
        if inputs is not None:
            from .manifest import write_manifest

            write_manifest(output_dir, inputs, [item.path for item in report.files])
    else:
        assert view is not None
        written = r.render_view(
            session.kg(), view, lang, fmt, output, output_dir, concept, depth, max_nodes, warn=_warn
        )
        if written is not None:
            click.echo(f"wrote {written}")


@cli.group()
def docs() -> None:
    """Check and fix the images of Markdown documents, and keep embedded diagrams current.

    \b
    Embed any view (docs fix writes what lies between the markers, docs check reports it when stale):
      <!-- virtgraph:view taxonomy lang=zh -->
      <!-- /virtgraph -->
    Options of a view marker: lang=zh|en, format=svg|png|mermaid, concept=TERM, depth=1-5, max_nodes=N,
    alt=TEXT, src=PATH. Every file docs fix writes stays inside the document's tree: the folder of the nearest
    virtgraph.toml, else the git work tree, else the document's folder (symlinks leading out count as out).
    A query marker embeds a shipped query with its real output:
      <!-- virtgraph:query products-by-hypervisor-type lang=en -->
      <!-- /virtgraph -->
    """


def _planner(session: Session, images_dir: str | None = None, lang: str | None = None) -> Any:
    from .documents import Planner

    return Planner(session.kg, images_dir=images_dir, lang=lang)


@docs.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Also fail on merge-conflict markers (otherwise only reported).")
@click.pass_obj
def docs_check(session: Session, paths: tuple[str, ...], strict: bool) -> None:
    """List broken images, images shown as code, stale embeds and merge-conflict markers in PATHS.

    PATHS are files or folders. Remote http(s) images are listed as external and not fetched. An image a Markdown
    renderer shows as code (an indented or unclosed code block, Markdown inside an HTML block) is reported even
    when its file exists. Exit status 1 when an image is broken or shown as code or an embed stale (with --strict,
    also when a merge-conflict marker is left), 0 otherwise.

    \b
      virtgraph docs check docs/ README.md
    """
    inputs = _check_inputs(session)
    if inputs is not None:
        from .checked import replay_check

        recorded = replay_check(paths, strict, inputs)  # a clean check, nothing it read changed: its answer
        if recorded is not None:
            click.echo(recorded, nl=False)
            return
    from .documents import check

    planner = _planner(session)
    problems = check(paths, planner)
    warnings = {"external"} if strict else {"external", "conflict"}
    failures = [p for p in problems if p.kind not in warnings]
    lines = [("warning: " if problem.kind in warnings else "") + str(problem) for problem in problems]
    for line in lines:
        click.echo(line)
    if failures:
        raise RenderFailed(
            f"{len(failures)} problem(s) found; `virtgraph docs fix` repairs broken images and stale embeds"
        )
    click.echo("no broken images or stale embeds")
    if inputs is not None:
        from .checked import record_check

        record_check(paths, strict, inputs, planner, "\n".join([*lines, "no broken images or stale embeds"]) + "\n")


def _check_inputs(session: Session) -> dict[str, str] | None:
    """What a docs check depends on besides the documents, hashed before the check runs; None for an endpoint or
    with --no-cache (then the check always runs in full)."""
    from .cache import use_cache

    if session.endpoint or not use_cache(session.cache):
        return None
    from .checked import check_inputs

    return check_inputs(session.ontology, session.store)


@docs.command("fix")
@click.argument("paths", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Print a unified diff of what would change; write nothing.")
@click.option(
    "--images-dir",
    metavar="DIR",
    help="Where generated images go, inside the document's tree or the current folder "
    "[default: images/ beside each document, or [docs] images_dir of virtgraph.toml].",
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the diagrams [default: the document's].")
@click.pass_obj
def docs_fix(session: Session, paths: tuple[str, ...], dry_run: bool, images_dir: str | None, lang: str | None) -> None:
    """Replace broken images that map to a view, and rewrite every embed block, in PATHS.

    Which broken link becomes which view is data: file names in virtgraph.toml ([images] table) on top of the
    shipped defaults. Unmapped broken links are reported and left alone. Only image references and embed blocks
    change, and the indentation of an image that is a code block only because it is indented (fix says so);
    images in code samples are left and fix says why. Running fix twice changes nothing the second time.

    \b
      virtgraph docs fix notes/virtualization-zh.md --dry-run
      virtgraph docs fix docs/
    """
    from .documents import fix

    result = fix(paths, _planner(session, images_dir, lang), dry_run=dry_run)
    for plan in result.plans:
        if plan.changed and dry_run:
            click.echo(plan.diff(), nl=False)
    verb = "would render" if dry_run else "rendered"
    for path in result.rendered:
        click.echo(f"{verb} {path}", err=dry_run)
    changed = [plan.path for plan in result.plans if plan.changed]
    for path in changed:
        click.echo(f"{'would update' if dry_run else 'updated'} {path}", err=dry_run)
    for note in result.notes:
        click.echo(str(note), err=dry_run)
    for problem in result.unmapped:
        click.echo(f"{problem} (left unchanged)", err=True)
    for problem in result.left:
        click.echo(str(problem), err=True)
    summary = f"{len(changed)} document(s) {'would change' if dry_run else 'changed'}, {len(result.rendered)} image(s)"
    click.echo(summary, err=dry_run)


@cli.command()
@click.option("--update-url", metavar="URL", help="SPARQL Update endpoint [default: derived from --endpoint].")
@click.option("--store-url", metavar="URL", help="Graph Store Protocol endpoint [default: derived from --endpoint].")
@click.pass_obj
def push(session: Session, update_url: str | None, store_url: str | None) -> None:
    """Upload the ontology to --endpoint, replacing the named graph --graph (pushing twice gives the same store).

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (PUT), or SPARQL Update where the server has no graph
    store. Credentials: VIRTGRAPH_ENDPOINT_USER / VIRTGRAPH_ENDPOINT_PASSWORD, or a netrc file.

    \b
      virtgraph --endpoint http://127.0.0.1:7878/query push
      virtgraph --endpoint http://127.0.0.1:8890/sparql --graph https://example.org/kg push
    """
    from .endpoint import push as upload

    endpoint = session.open_endpoint(update_url, store_url)
    result = upload(endpoint, session.ontology)
    click.echo(f"pushed {result.triples} triples to <{endpoint.graph}> by {result.method} in {result.seconds:.2f} s")


@cli.command()
@click.option("-o", "--output", "folder", metavar="DIR", required=True, help="The site folder (new, empty or a site).")
@click.option("--lang", "langs", multiple=True, type=click.Choice(LANGUAGES), help="Language (repeat) [default: both].")
@click.option("--serve", is_flag=True, help="Then serve it on 127.0.0.1 and rebuild when the ontology changes.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="With --serve; 0: any.")
@click.option("--force", is_flag=True, help="Build even when nothing changed since the last build.")
@click.pass_obj
def site(session: Session, folder: str, langs: tuple[str, ...], serve: bool, port: int, force: bool) -> None:
    """Build the graph as a static, bilingual site: a page per concept and per view, search, the cookbook.

    \b
    It works from file:// and any static host; nothing is fetched at view time. A rebuild writes only the
    files that changed and lays out only the diagrams that changed.
      virtgraph site -o site                 # then open site/index.html
      virtgraph site -o site --serve         # preview at http://127.0.0.1:8000/, reloads on change
    """
    from .cache import use_cache

    chosen, cached = tuple(dict.fromkeys(langs)) or LANGUAGES, use_cache(session.cache)
    if not serve:
        from .site.output import MANIFEST, current_site, site_inputs

        inputs = None if session.endpoint else site_inputs(session.ontology, session.store, chosen, serve=False)
        count = None if force or not cached or inputs is None else current_site(Path(folder), MANIFEST, inputs)
        if count is not None:  # nothing changed: no graph loaded, nothing drawn or written
            click.echo(f"site in {folder} is current: {count} files")
            return
        from .site import build_site

        report = build_site(session.kg(), folder, langs=chosen, cache=cached, warn=_warn, inputs=inputs)
        click.echo(report.summary())
        return
    from .site.serve import serve_site

    serve_site(
        session.fresh_kg, session.fingerprint, folder, langs=chosen, port=port, cache=cached,
        echo=click.echo, warn=_warn,
    )  # fmt: skip


@cli.group()
def cache() -> None:
    """Show or clear the on-disk store cache (the parsed ontology, kept per change of its files).

    \b
    The oxigraph store is cached; the memory store and --endpoint never are. --no-cache (or
    VIRTGRAPH_NO_CACHE=1) bypasses it; VIRTGRAPH_CACHE_DIR moves it.
      virtgraph cache info
      virtgraph cache clear
    """


@cache.command("info")
def cache_info() -> None:
    """Where the cache is, its entries (newest first) and their sizes."""
    from .cache import cache_info as info

    found = info()
    click.echo(f"cache folder: {found.folder}{'' if found.enabled else ' (disabled by VIRTGRAPH_NO_CACHE)'}")
    total = sum(size for _, _, size, _ in found.entries)
    click.echo(f"store entries: {len(found.entries)}, {_megabytes(total)} (limit {_megabytes(found.limit)})")
    for key, triples, size, whole in found.entries:
        state = "" if whole else " (damaged or being built: rebuilt on next use)"
        click.echo(f"  {key[:16]}  {triples:,} triples  {_megabytes(size)}{state}")
    for name, size in found.other.items():
        click.echo(f"{name}: {_megabytes(size)}")


@cache.command("clear")
def cache_clear() -> None:
    """Remove everything virtgraph keeps in its cache folder."""
    from .cache import cache_dir, clear_cache

    freed = clear_cache()
    click.echo(f"removed {_megabytes(freed)} from {cache_dir()}")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``virtgraph`` console script and of ``python -m virtgraph``."""
    cli.main(args=argv, prog_name="virtgraph")
