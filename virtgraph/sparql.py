"""SPARQL text: the shipped named queries, prefixes, parameters and the read-only guard.

A query given on the command line may be SPARQL text, a ``.rq`` file or the name of a shipped query::

    >>> sorted(named_queries())[:3]
    ['classification-lists', 'concept-sources', 'concepts-by-class']

Parameters follow the convention of SPARQL query APIs such as grlc: a variable whose name starts with an
underscore is a parameter, replaced by a literal before the query runs::

    >>> bind_parameters('SELECT ?x WHERE { ?x rdfs:label ?l FILTER(lang(?l) = ?_lang) }', {"lang": "zh"})
    'SELECT ?x WHERE { ?x rdfs:label ?l FILTER(lang(?l) = "zh") }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import QueryRefused, QuerySyntaxError, UnknownName, UsageError
from .namespaces import PREFIXES

QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_PARAMETER = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)\b")
_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})
_NOT_IN_IRI = set('<>"{}|^`\\')


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with virtgraph: ``name``, a one-line ``description`` and its SPARQL ``text``."""

    name: str
    description: str
    text: str


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries in ``virtgraph/queries/*.rq``; the first comment line is the description."""
    found: dict[str, NamedQuery] = {}
    for entry in resources.files("virtgraph.queries").iterdir():
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            description = first.lstrip("#").strip() if first.startswith("#") else ""
            name = entry.name[: -len(".rq")]
            found[name] = NamedQuery(name, description, text)
    return dict(sorted(found.items()))


def resolve_query(argument: str) -> str:
    """The SPARQL text meant by ``argument``: a shipped query's name, a ``.rq`` file, or SPARQL itself."""
    queries = named_queries()
    if argument in queries:
        return queries[argument].text
    path = Path(argument)
    if argument.endswith(".rq") or (len(argument) < 4096 and "\n" not in argument and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"query file not found: {argument}") from None
        except UnicodeDecodeError:
            raise UsageError(f"query file is not UTF-8 text: {argument}") from None
        except OSError as exc:
            raise UsageError(f"cannot read query file {argument}: {exc.strerror}") from None
    if QUERY_NAME.match(argument):
        raise UnknownName(f"unknown query name {argument!r}; shipped queries: {', '.join(queries)}")
    return argument


def with_prefixes(text: str) -> str:
    """``text`` with a PREFIX line for every common prefix it does not declare itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, text])


def bind_parameters(text: str, values: dict[str, str]) -> str:
    """Replace each parameter variable ``?_name`` by the string literal ``values[name]``.

    A parameter whose name ends in ``_iri`` becomes an IRI instead, one ending in ``_iris`` a space-separated
    list of IRIs (for ``VALUES``). Parameters without a value stay
    variables (unbound), which SPARQL treats as "any".

    >>> bind_parameters("DESCRIBE ?_concept_iri", {"concept_iri": "https://w3id.org/virtgraph/concept/kvm"})
    'DESCRIBE <https://w3id.org/virtgraph/concept/kvm>'
    """

    def literal(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        if name.endswith("_iri"):
            return _iri(name, value)
        if name.endswith("_iris"):  # a space-separated list, for VALUES
            return " ".join(_iri(name, item) for item in value.split())
        escaped = value.translate(_ECHAR)  # every SPARQL escape, so no parser can alter the value (rdflib expands tabs)
        return f'"{escaped}"'

    return _PARAMETER.sub(literal, text)


def _iri(name: str, value: str) -> str:
    if not value or any(ch in _NOT_IN_IRI or ord(ch) <= 0x20 for ch in value):
        raise UsageError(f"not a valid IRI for parameter {name}: {value!r}")
    return f"<{value}>"


def check_query(text: str, allow_network: bool = False) -> None:
    """Refuse what a read-only, offline query must not do; raise on a syntax error (with its position).

    Refused: SPARQL Update (including ``LOAD``), and unless ``allow_network`` is set, ``SERVICE`` and
    ``FROM``/``FROM NAMED`` (which make rdflib fetch the named IRIs over the network).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            raise QuerySyntaxError(
                f"SPARQL syntax error at line {query_error.lineno}, column {query_error.col}: {query_error.msg}"
            ) from None
        raise QueryRefused(
            "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused: virtgraph queries are read-only"
        ) from None
    if allow_network:
        return
    names = set(_component_names(parsed))
    if "ServiceGraphPattern" in names:
        raise QueryRefused("SERVICE is refused: queries run offline (pass --allow-network to permit it)")
    if names & {"DatasetClause", "datasetClause"}:
        raise QueryRefused(
            "FROM / FROM NAMED is refused: it would fetch graphs over the network (pass --allow-network to permit it)"
        )


def _component_names(node: object):
    """Names of the parse-tree components (and non-empty clause keys) under ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for key, value in node.items():
            if value not in (None, [], ""):
                yield key
            yield from _component_names(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _component_names(item)
