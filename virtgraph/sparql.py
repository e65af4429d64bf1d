"""SPARQL text: the shipped queries, prefixes and parameters (the read-only guard is :mod:`virtgraph.guard`).

This module imports nothing heavy: ``virtgraph query --list`` reads it without loading rdflib.

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
import stat
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import UnknownName, UsageError
from .namespaces import PREFIXES

QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_PARAMETER = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)\b")
_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})
_NOT_IN_IRI = set('<>"{}|^`\\')
_U_AFTER_BACKSLASH = re.compile(r"(?<=\\\\)([uU][0-9A-Fa-f]*)")
MAX_QUERY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with virtgraph: ``name``, a one-line ``description`` and its SPARQL ``text``."""

    name: str
    description: str
    text: str


@cache
def shipped_query_files() -> dict[str, str]:
    """The text of every ``.rq`` file shipped in the package, keyed by its path in the package, read once.

    This is virtgraph's one process-wide cache of package data (the knowledge graphs have theirs:
    :func:`virtgraph.graph.load` and :meth:`~virtgraph.graph.KnowledgeGraph.memo`).

    >>> shipped_query_files()["queries/internal/label-index.rq"].lstrip()[:1]
    '#'
    """
    found: dict[str, str] = {}
    for package in ("queries", "views"):
        root = resources.files(f"virtgraph.{package}")
        for folder, prefix in ((root, package), (root.joinpath("internal"), f"{package}/internal")):
            if folder.is_dir():
                for entry in folder.iterdir():
                    if entry.name.endswith(".rq"):
                        found[f"{prefix}/{entry.name}"] = entry.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries in ``virtgraph/queries/*.rq``, by name; the first comment line is the description."""
    found: dict[str, NamedQuery] = {}
    for path, text in shipped_query_files().items():
        folder, _, file = path.rpartition("/")
        if folder == "queries":
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            description = first.lstrip("#").strip() if first.startswith("#") else ""
            name = file[: -len(".rq")]
            found[name] = NamedQuery(name, description, text)
    return found


def internal_query(name: str) -> str:
    """A query virtgraph itself needs (``virtgraph/queries/internal/<name>.rq``)."""
    return shipped_query_files()[f"queries/internal/{name}.rq"]


def is_shipped(text: str) -> bool:
    """Whether ``text`` is (up to surrounding space) the text of a query shipped in the package, or one marked
    with :func:`trusted_query`: such a query is virtgraph's own and skips the guard.

    >>> is_shipped(internal_query("label-index") + "\\n"), is_shipped("ASK {}")
    (True, False)
    """
    stripped = text.strip()
    return stripped in _TRUSTED or stripped in _shipped_texts()


@cache
def _shipped_texts() -> frozenset[str]:
    return frozenset(text.strip() for text in shipped_query_files().values())


_TRUSTED: set[str] = set()  # a registry, filled at import time by the modules that write queries in code


def trusted_query(text: str) -> str:
    """Mark ``text``, a query written in virtgraph's own code, as trusted (it skips the guard); returns it."""
    _TRUSTED.add(text.strip())
    return text


def resolve_query(argument: str) -> str:
    """The SPARQL text meant by ``argument``: a shipped query's name, a ``.rq`` file, or SPARQL itself.

    >>> resolve_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    queries = named_queries()
    if argument in queries:
        return queries[argument].text
    if argument.endswith(".rq") or _is_file(argument):
        return read_query_file(Path(argument))
    if QUERY_NAME.match(argument):
        raise UnknownName(f"unknown query name {argument!r}; shipped queries: {', '.join(queries)}")
    return argument


def _is_file(argument: str) -> bool:
    """Whether ``argument`` names an existing regular file (a long line of SPARQL is no file name)."""
    if len(argument) >= 4096 or "\n" in argument or "\x00" in argument:
        return False
    try:
        return Path(argument).is_file()
    except (OSError, ValueError):  # name too long, and the like: not a file
        return False


def read_query_file(path: Path) -> str:
    """The SPARQL text of the file at ``path`` (UTF-8, a leading byte-order mark dropped)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise UsageError(f"query file is not a regular file: {path}")
        with path.open("rb") as stream:
            data = stream.read(MAX_QUERY_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"query file not found: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read query file {path}: {exc.strerror or exc}") from None
    return decode_query(data, f"query file {path}")


def decode_query(data: bytes, source: str = "query") -> str:
    """``data`` as query text: UTF-8, a leading byte-order mark dropped, at most :data:`MAX_QUERY_BYTES`.

    >>> decode_query(b"\\xef\\xbb\\xbfASK {}")
    'ASK {}'
    """
    if len(data) > MAX_QUERY_BYTES:
        raise UsageError(f"{source} is larger than {MAX_QUERY_BYTES // 1024 // 1024} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not UTF-8 text (byte {exc.start})") from None
    return text.removeprefix("\ufeff")


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
        # engines expand \u and \U escapes before they parse, even after an escaped backslash: a u right after
        # one, and the hex digits after it, are written as escapes themselves, which that pass turns back into
        # the same characters (each escape is followed by a backslash or a non-digit: none reads as a \U escape)
        escaped = _U_AFTER_BACKSLASH.sub(lambda m: "".join(f"\\u{ord(c):04X}" for c in m.group(1)), escaped)
        return f'"{escaped}"'

    return _PARAMETER.sub(literal, text)


def _iri(name: str, value: str) -> str:
    if not value or any(ch in _NOT_IN_IRI or ord(ch) <= 0x20 for ch in value):
        raise UsageError(f"not a valid IRI for parameter {name}: {value!r}")
    return f"<{value}>"
