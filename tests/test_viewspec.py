"""View specs (viewspec.py): every view has a spec in both languages; an unknown view lists the views."""

from __future__ import annotations

import pytest

from virtgraph.errors import UnknownName
from virtgraph.viewspec import get_view, view_specs


def test_every_view_has_a_spec_in_both_languages():
    for name, spec in view_specs().items():
        assert set(spec.title) == set(spec.description) == set(spec.summary) == {"zh", "en"}, name
        assert spec.layout in ("tree", "stack", "graph")


def test_unknown_view_lists_the_views():
    with pytest.raises(UnknownName, match=r"unknown view 'nope'; choose one of: benefits, concept, containers"):
        get_view("nope")
