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
import stat
from collections.abc import Iterator
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
MAX_QUERY_BYTES = 4 * 1024 * 1024


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
        return f'"{escaped}"'

    return _PARAMETER.sub(literal, text)


def _iri(name: str, value: str) -> str:
    if not value or any(ch in _NOT_IN_IRI or ord(ch) <= 0x20 for ch in value):
        raise UsageError(f"not a valid IRI for parameter {name}: {value!r}")
    return f"<{value}>"


def normalize_query(text: str) -> str:
    r"""``text`` as both engines must see it, so that the guard judges what will run.

    rdflib expands every ``\uXXXX`` escape before parsing (as SPARQL 1.1 section 19.2 says), pyoxigraph only
    inside strings and IRIs; rdflib ends a comment at a line feed, pyoxigraph also at a carriage return. So the
    escapes are expanded here once, a text that still holds one after that (``\u005Cu0022``) is refused, and
    line ends become ``\n``: the result reads the same to both engines. A leading byte-order mark is dropped.

    >>> normalize_query('ASK { FILTER("caf\\u00E9" = "café") }\r# comment')
    'ASK { FILTER("café" = "café") }\n# comment'
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\\" in text:
        text = _CODEPOINT_ESCAPE.sub(_expand_escape, text)
        if _ANY_U_ESCAPE.search(text):
            raise QueryRefused(r"a \u escape left after expanding escapes is refused: write the character itself")
    if not _COMMENT.sub("", text).strip():
        raise QuerySyntaxError("the query is empty (only whitespace or comments)")
    return text


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ANY_U_ESCAPE = re.compile(r"\\[uU]")
_COMMENT = re.compile(r"#[^\n]*")


def _expand_escape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QuerySyntaxError(f"SPARQL syntax error: {match.group(0)} is not a Unicode character")
    return chr(code)


UPDATE_REFUSED = "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused: virtgraph queries are read-only"
SERVICE_REFUSED = "SERVICE is refused: queries run offline (pass --allow-network to permit it)"
FROM_REFUSED = (
    "FROM / FROM NAMED is refused: it would fetch graphs over the network (pass --allow-network to permit it)"
)


def check_query(text: str, allow_network: bool = False, first_line: int = 1) -> None:
    """Refuse what a read-only, offline query must not do; raise on a syntax error (with its position).

    ``text`` is what the engine will run, after :func:`normalize_query`. Refused: SPARQL Update (including
    ``LOAD``), and unless ``allow_network`` is set, ``SERVICE`` and ``FROM``/``FROM NAMED`` (which make rdflib
    fetch the named IRIs). Two independent checks must both pass: rdflib's own parser (the engine of the memory
    store, run on the very text it will execute), and a scan of the text's tokens, written from the SPARQL
    grammar's terminals as pyoxigraph reads them, for the word ``SERVICE`` anywhere outside strings, IRIs,
    comments and names. Syntax error lines count from ``first_line`` (the line the user's text starts on).

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("ASK { SERVICE <http://127.0.0.1/sparql> {} }")
    Traceback (most recent call last):
    virtgraph.errors.QueryRefused: SERVICE is refused: queries run offline (pass --allow-network to permit it)
    """
    parsed = _parse(text, first_line)
    if allow_network:
        return
    names = set(_component_names(parsed))
    if "ServiceGraphPattern" in names or service_words(text):
        raise QueryRefused(SERVICE_REFUSED)
    if names & {"DatasetClause", "datasetClause"}:
        raise QueryRefused(FROM_REFUSED)


def _parse(text: str, first_line: int) -> object:
    """rdflib's parse tree of query ``text``; Update text, syntax errors and overlong nesting are refused."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        try:
            return parseQuery(text)
        except ParseException as query_error:
            try:
                parseUpdate(text)
            except ParseException:
                line = query_error.lineno - first_line + 1
                raise QuerySyntaxError(
                    f"SPARQL syntax error at line {line}, column {query_error.col}: {query_error.msg}"
                ) from None
            raise QueryRefused(UPDATE_REFUSED) from None
    except RecursionError:
        raise QuerySyntaxError("the query is too long or nested too deeply to check") from None
    except ValueError as exc:  # rdflib: a bad term (e.g. an invalid escape) while building the tree
        raise QuerySyntaxError(f"SPARQL syntax error: {_one_line(str(exc))}") from None


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "unknown error"


_NAME_CHARS = r"\w\u00B7\u0300-\u036F\u203F-\u2040"
_ECHAR_RE = r"""\\[tbnrf\\"']"""
_TOKENS = re.compile(
    rf"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:'{{0,2}}(?:[^'\\]|{_ECHAR_RE}))*'''|\"\"\"(?:"{{0,2}}(?:[^"\\]|{_ECHAR_RE}))*\"\"\"
        |'(?:[^'\\\n]|{_ECHAR_RE})*'|"(?:[^"\\\n]|{_ECHAR_RE})*")
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][{_NAME_CHARS}]+)
    | (?P<local>(?<=:)[{_NAME_CHARS}\-:%]+)
    | (?P<code>\\.|[^\#'"<?$:\\]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SERVICE = re.compile("service", re.IGNORECASE)


def service_words(text: str) -> list[str]:
    """Where ``text`` may say ``SERVICE`` to the engine: the word outside strings, IRIs, comments, variables
    and the local part of prefixed names, even glued to other words (``trueSERVICE<x>``).

    The tokens are the SPARQL grammar's terminals (as pyoxigraph, the default engine, reads them); where the
    scan is unsure it reads code rather than text, so a doubt makes a refusal, never a pass.

    >>> service_words('SELECT ?service WHERE { ?s <http://e/service> "service", vg:service # service')
    []
    >>> service_words("SELECT * WHERE { ?s ?p ?o.SeRvIcE <http://e/> {} }")
    ['SeRvIcE']
    """
    found = []
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "code":
            found += _SERVICE.findall(token.group())
    return found


def _component_names(node: object) -> Iterator[str]:
    """Names of the parse-tree components (and non-empty clause keys) under ``node``."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for key, value in node.items():
            if value not in (None, [], ""):
                yield key
            yield from _component_names(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for item in node:
            yield from _component_names(item)
