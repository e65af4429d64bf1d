"""The read-only, offline guard: what a user's query may not do, judged on the text the engine will run.

A query from the command line, a document or a SHACL shape is untrusted. :func:`normalize_query` makes it read
the same to both engines (rdflib and pyoxigraph); :func:`check_query` then refuses SPARQL Update, and unless
the user allows the network, ``SERVICE`` and ``FROM``. Two independent checks must both pass: rdflib's own
parser and a scan of the text's tokens as pyoxigraph reads them (:func:`service_words`).

>>> check_query(normalize_query("ASK { ?s ?p ?o }"))
>>> is_update("DROP ALL"), is_update("ASK {}")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefused, QuerySyntaxError


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
    if isinstance(node, CompValue):
        yield node.name
        for key, value in node.items():
            if value not in (None, [], ""):
                yield key
            yield from _component_names(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for item in node:
            yield from _component_names(item)


def is_update(text: str) -> bool:
    """Whether ``text`` parses as SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``...)."""
    try:
        parseUpdate(text)
    except (ParseException, ValueError, RecursionError):
        return False
    return True
