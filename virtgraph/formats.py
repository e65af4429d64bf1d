"""Writing query results: an aligned table, SPARQL 1.1 JSON, CSV, TSV, and Turtle for graph results.

>>> from rdflib import Literal, URIRef
>>> result = QueryResult("SELECT", ["type", "product"],
...     [(URIRef("https://w3id.org/virtgraph/concept/type-2-hypervisor"), Literal("KVM")),
...      (None, Literal("虚拟机"))])
>>> print(format_result(result, "table"))
type                  | product
----------------------+--------
vgc:type-2-hypervisor | KVM
                      | 虚拟机
>>> print(format_result(result, "tsv").replace(chr(9), " <TAB> "), end="")
?type <TAB> ?product
<https://w3id.org/virtgraph/concept/type-2-hypervisor> <TAB> "KVM"
 <TAB> "虚拟机"
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Literal, URIRef

from .choices import QUERY_FORMATS
from .display import visible
from .display import width as display_width
from .errors import UnknownName
from .namespaces import compact
from .store import QueryResult, Term, turtle


def cell(term: Term | None) -> str:
    """A term as a table cell: IRIs compacted, literals as their text, unbound as empty; never a control code."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return visible(compact(str(term)))
    if isinstance(term, BNode):
        return visible(f"_:{term}")
    return visible(" ".join(str(term).split()))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(result: QueryResult) -> str:
    """An aligned text table with a header row; wide characters are counted as two columns."""
    header = list(result.variables)
    body = [[cell(t) for t in row] for row in result.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [" | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for row in body:
        lines.append(" | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""
    if result.kind == "ASK":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _csv_value(term: Term | None) -> str:
    return "" if term is None else str(term)


def csv_text(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: plain values, full IRIs, a header of variable names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return out.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_value(term: Term | None) -> str:
    r"""A term in the N-Triples-like syntax of SPARQL 1.1 TSV: no raw tab or line break inside a value.

    >>> _tsv_value(Literal("a\tb\nc", lang="en"))
    '"a\\tb\\nc"@en'
    """
    if term is None:
        return ""
    if not isinstance(term, Literal):
        return term.n3()
    quoted = f'"{str(term).translate(_TSV_ESCAPES)}"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def tsv_text(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: terms in Turtle syntax, ``?var`` header."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """``result`` written in ``fmt``; graph results (CONSTRUCT, DESCRIBE) are always Turtle."""
    if fmt not in QUERY_FORMATS:
        raise UnknownName(f"unknown format {fmt!r}; choose one of: {', '.join(QUERY_FORMATS)}")
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return turtle(result.triples)
    if result.kind == "ASK":
        if fmt == "json":
            return sparql_json(result)
        return "true" if result.boolean else "false"
    return {"table": table, "json": sparql_json, "csv": csv_text, "tsv": tsv_text}[fmt](result)
