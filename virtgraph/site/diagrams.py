"""Diagrams for HTML pages: drawn views laid out by ``dot`` (batched and cached), finished, then inlined with
every concept a link (:func:`virtgraph.linking.inline_svg`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..drawing import Drawing
from ..finish import finished_tree
from ..linking import inline_svg, link_targets
from .layouts import Layouts

_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def scope_of(drawing: Drawing) -> str:
    """The id prefix of a diagram on a page: ``d-<stem>-<lang>``, in characters an id may hold.

    >>> from types import SimpleNamespace
    >>> scope_of(SimpleNamespace(stem="concept-kvm", lang="zh"))
    'd-concept-kvm-zh'
    """
    return "d-" + _NOT_ID.sub("_", f"{drawing.stem}-{drawing.lang}")


class Diagrams:
    """Inline, linked SVG of drawings. ``href(iri, lang)`` is the link a concept's node gets (None: no link)."""

    def __init__(self, layouts: Layouts, href: Callable[[str, str], str | None]) -> None:
        self.layouts = layouts
        self.href = href

    def lay_out(self, drawings: list[Drawing]) -> list[str]:
        """The markup of each drawing, in order: one batch of ``dot`` runs for the layouts not cached."""
        svgs = self.layouts.svgs([d.dot for d in drawings])
        return [self.markup(d, svg) for d, svg in zip(drawings, svgs, strict=True)]

    def markup(self, drawing: Drawing, svg: bytes) -> str:
        """The inline SVG of ``drawing`` from ``dot``'s ``svg``."""
        finished = finished_tree(svg, drawing.graph, drawing.dot)
        lang = drawing.lang
        targets = link_targets(drawing.graph, lambda iri: self.href(iri, lang))
        return inline_svg(finished, targets, scope_of(drawing))
