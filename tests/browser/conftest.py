"""One headless Chromium per pytest process (each pytest-xdist worker starts its own, with its own profile)."""

from __future__ import annotations

import pytest

from ..support import unavailable
from ..support.browser import REPO, Browser, missing_tools


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A headless Chromium driven by chromedriver; the tests skip (fail in CI) when either is missing."""
    problem = missing_tools()
    if problem:
        unavailable(problem)
    started = Browser(tmp_path_factory.mktemp("chromium"))
    yield started
    started.quit()


@pytest.fixture(scope="session")
def screenshots():
    """Where the tests leave screenshots of what they measured, for a person to look at: ``build/diagram-check/``
    (ignored by git), one PNG per diagram and font at 880 px, and one per rendered document."""
    folder = REPO / "build" / "diagram-check"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
