"""One headless Chromium per pytest process (each pytest-xdist worker starts its own, with its own profile)."""

from __future__ import annotations

import pytest

from ..support import unavailable
from ..support.browser import Browser, missing_tools


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
def screenshots(tmp_path_factory):
    """Where the tests leave screenshots of what they measured (named in their failure messages)."""
    return tmp_path_factory.mktemp("diagram-check")
