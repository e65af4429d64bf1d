"""The ``virtgraph`` command line: a thin layer over the Python API.

Each command opens the knowledge graph through ``ctx.obj`` (a :class:`Session`), calls one library function
and prints its result. Errors are printed as one ``Error: ...`` line by :func:`main`, the only place that
catches them; heavy libraries (rdflib, networkx) are imported by the commands that need them, never here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from .errors import UsageError, VirtgraphError

LANGS = ("zh", "en")
STORES = ("oxigraph", "memory")


@dataclass
class Session:
    """What every command shares: where the graph comes from and, once opened, the graph itself."""

    ontology: str | None = None
    store: str = "oxigraph"
    _kg: Any = field(default=None, repr=False)

    def kg(self) -> Any:
        if self._kg is None:
            from .graph import load

            self._kg = load(self.ontology, store=self.store)
        return self._kg


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


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
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
    default="oxigraph",
    envvar="VIRTGRAPH_STORE",
    show_default=True,
    help="Embedded store: oxigraph (compiled, fast) or memory (rdflib, pure Python).",
)
@click.version_option(package_name="virtgraph")
@click.pass_context
def cli(ctx: click.Context, ontology: str | None, store: str) -> None:
    """virtgraph: a bilingual (中文/English) knowledge graph of virtualization.

    \b
    Look a concept up, ask the graph SPARQL questions, check the ontology:
      virtgraph lookup 准虚拟化
      virtgraph lookup "Type 1" --lang en --format json
      virtgraph query products-by-hypervisor-type --lang en
      virtgraph query 'SELECT ?p WHERE { ?p vg:vendor vgc:org-vmware }'
      virtgraph validate
    """
    ctx.obj = Session(ontology=ontology, store=store)


@cli.command()
@click.argument("query", required=False)
@lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "csv", "tsv")),
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
    parameter ?_lang is replaced by --lang. Queries are read-only: SPARQL Update is refused.

    \b
      virtgraph query --list
      virtgraph query features-by-vendor --lang en
      virtgraph query 'SELECT ?kind WHERE { ?kind a vg:VirtualizationKind }' --format csv
    """
    from .sparql import check_query, named_queries, resolve_query

    if list_queries:
        queries = named_queries()
        width = max(len(name) for name in queries)
        for name, item in queries.items():
            click.echo(f"{name.ljust(width)}  {item.description}")
        return
    if not query:
        raise UsageError("missing QUERY (SPARQL text, a .rq file, - for stdin, or a name from --list)")
    shipped = query in named_queries()
    text = sys.stdin.read() if query == "-" else resolve_query(query)
    kg = session.kg()
    if not shipped:
        from .sparql import bind_parameters

        check_query(bind_parameters(text, {"lang": lang}), allow_network=allow_network)
    from .formats import format_result

    result = kg.query(text, lang=lang)
    output = format_result(result, fmt)
    click.echo(output, nl=not output.endswith("\n"))


@cli.command()
@click.argument("term")
@lang_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output.")
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
    from .concepts import card_text
    from .concepts import lookup as find

    card = find(session.kg(), term, lang)
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
    from .shacl import validate as check

    violations = check(session.ontology, shapes)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        raise ValidationFailed(f"{len(violations)} SHACL violation(s)")
    kg = session.kg()
    concepts = kg.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a/rdfs:subClassOf* vg:Concept }")
    click.echo(f"valid: {int(concepts[0]['n'])} concepts, {len(kg)} triples, 0 violations")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``virtgraph`` console script and of ``python -m virtgraph``."""
    cli.main(args=argv, prog_name="virtgraph")
