"""Print, as one JSON object, every view in every language and store, in each format virtgraph writes itself.

Run as ``python -m tests.support.every_export`` by the determinism test, once per ``PYTHONHASHSEED``. SVG, PNG
and PDF are left out: their bytes come from the installed Graphviz, and each records the hash of its DOT.
"""

from __future__ import annotations

import json
import sys

from virtgraph.choices import STORES
from virtgraph.drawing import draw
from virtgraph.graph import load
from virtgraph.labels import LANGUAGES
from virtgraph.render import render_bytes
from virtgraph.viewspec import view_specs

#: The formats whose bytes come from virtgraph alone.
TEXT_FORMATS = ("dot", "json", "graphml", "mermaid")
CONCEPT = "kvm"


def every_export() -> dict[str, str]:
    """``{"<store> <view>.<lang>.<format>": text}`` for every combination."""
    outputs = {}
    for store in STORES:
        kg = load(store=store)
        for name, spec in sorted(view_specs().items()):
            for lang in LANGUAGES:
                drawing = draw(kg, name, lang, concept=CONCEPT if spec.needs_concept else None)
                for fmt in TEXT_FORMATS:
                    data = render_bytes(drawing.graph, drawing.dot, fmt)
                    outputs[f"{store} {name}.{lang}.{fmt}"] = data.decode("utf-8")
    return outputs


if __name__ == "__main__":
    json.dump(every_export(), sys.stdout, ensure_ascii=False, indent=0, sort_keys=True)
