"""Words of virtgraph's own layout (card headings, legend titles), by language. Not facts: those live in
``ontology/``.

>>> say("legend", "zh"), say("legend", "en")
('图例', 'Legend')
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "kind": "类别",
        "also": "别名",
        "definition": "定义",
        "stack": "层次栈（自下而上）",
        "disputed": "有争议",
        "claims": "来源之间的分歧",
        "reason": "理由",
        "sources": "来源",
        "equivalent": "等价",
        "repeated": "多实例并排",
        "legend": "图例",
        "examples": "例：",
        "disputed_note": "（有争议）",
        "more": "另有 {n} 项",
        "omitted": "未画出 {n} 个节点（上限 {max}）",
        "list_sep": "、",
        "values": "数据",
        "ownership": "归属（按时间）",
        "open_source": "开源",
        "not_open_source": "非开源",
        "document_usage": "源文档用法",
        "since": "起",
        "owned_by": "现属",
    },
    "en": {
        "kind": "Kind",
        "also": "Also known as",
        "definition": "Definition",
        "stack": "Layer stack (bottom up)",
        "disputed": "disputed",
        "claims": "Where sources disagree",
        "reason": "reason",
        "sources": "Sources",
        "equivalent": "equivalent",
        "repeated": "several side by side",
        "legend": "Legend",
        "values": "Data",
        "ownership": "Ownership over time",
        "open_source": "open source",
        "not_open_source": "not open source",
        "document_usage": "source document's usage",
        "since": "since",
        "owned_by": "owned by",
        "examples": "e.g. ",
        "disputed_note": " (disputed)",
        "more": "+{n} more",
        "omitted": "{n} nodes not drawn (limit {max})",
        "list_sep": ", ",
    },
}


def say(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return TEXT[lang][key].format(**values)
