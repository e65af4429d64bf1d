"""What the tests and the benchmarks share: test data, the real SPARQL servers, the competency questions.

- ``tests.support.servers``: Oxigraph and Virtuoso started on 127.0.0.1 (declared to the network canary);
- ``tests.support.questions``: the competency questions with their exact answers;
- ``tests.support.once``: something expensive made once per test run and shared by the xdist workers;
- ``tests.support.site`` and ``tests.support.mkdocs_example``: the site and the MkDocs example as the tests build,
  serve and crawl them;
- :data:`DATA`: the test data folder (deliberately broken Turtle and friends); :data:`SHAPES`: the shipped shapes;
- :func:`unavailable`: what a test does when a tool it needs is missing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

DATA = Path(__file__).parent.parent / "data"
SHAPES = Path(__file__).parent.parent.parent / "ontology" / "shapes.ttl"


def unavailable(message: str) -> NoReturn:
    """A tool or server the test needs is missing: fail in CI (``VIRTGRAPH_REQUIRE_TOOLS=1``), skip elsewhere."""
    if os.environ.get("VIRTGRAPH_REQUIRE_TOOLS"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
