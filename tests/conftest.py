"""Shared fixtures: the shipped knowledge graph in each embedded store, a CLI runner, and the network canary.

Markers (declared in pyproject.toml): ``dot`` on a test that runs Graphviz ``dot`` (the marker itself checks that
``dot`` is installed, see :func:`pytest_runtest_setup`); ``server`` on a test that starts a real SPARQL server.
Helpers shared with the benchmarks live in ``tests/support/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from click.testing import CliRunner
from hypothesis import settings

from virtgraph.choices import STORES
from virtgraph.cli import cli
from virtgraph.graph import load

from . import netguard
from .support import unavailable

collect_ignore = ["netguard_site"]  # sitecustomize for subprocesses, not a test module

# The store cache (virtgraph/cache.py) and every other cache go to one temporary folder per run, shared by the
# xdist workers (they inherit it from the first process) and by the subprocesses tests start; the user's own
# cache is never touched. VIRTGRAPH_NO_CACHE=1 runs the whole suite without the store cache.
_TEST_CACHE = os.environ.get("_VIRTGRAPH_TEST_CACHE") or tempfile.mkdtemp(prefix="virtgraph-test-cache-")
os.environ["_VIRTGRAPH_TEST_CACHE"] = os.environ["VIRTGRAPH_CACHE_DIR"] = _TEST_CACHE
os.environ["XDG_CACHE_HOME"] = os.path.join(_TEST_CACHE, "xdg")


# CI runs the same examples every time (a failure there is reproducible); elsewhere hypothesis explores anew
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config):
    netguard.install()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):  # the first process (or the only one) made the test cache: remove it
        shutil.rmtree(_TEST_CACHE, ignore_errors=True)


def require_dot() -> None:
    if shutil.which("dot") is None:
        unavailable("Graphviz 'dot' is not installed (Debian package graphviz)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``dot`` runs Graphviz, so it needs ``dot`` installed."""
    if item.get_closest_marker("dot"):
        require_dot()


@pytest.fixture(autouse=True)
def network_canary():
    """Fail any test that tried to reach an address other than its own servers (see tests/netguard.py)."""
    netguard.take_violations()
    yield
    tried = netguard.take_violations()
    if tried:
        pytest.fail("network canary: this test tried to reach " + "; ".join(dict.fromkeys(tried)), pytrace=False)


@pytest.fixture(scope="session", params=STORES)
def store(request) -> str:
    """Each embedded store's name in turn: a test taking it runs once per store."""
    return request.param


@pytest.fixture(scope="session")
def kg(store):
    """The shipped ontology, once per embedded store; tests using it run against both.

    This is how the store contract is tested: the suite runs once, and only the tests that take ``kg`` or
    ``store`` (what can differ between stores) run on both.
    """
    return load(store=store)


@pytest.fixture(scope="session")
def kg_fast():
    """The shipped ontology in the default store (for tests that are about something else than the store)."""
    return load()


class Run:
    """Invoke the real ``virtgraph`` command line in-process and keep exit code, stdout and stderr."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture(scope="session")
def dot_available() -> bool:
    """Graphviz ``dot`` must be installed (prefer the ``dot`` marker, which implies this check)."""
    require_dot()
    return True


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    from .support.servers import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    from .support.servers import start_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def server(request):
    """Each real SPARQL server in turn, with the shipped ontology pushed into its default named graph."""
    from virtgraph.endpoint import Endpoint, push

    started = request.getfixturevalue(f"{request.param}_server")
    push(Endpoint(started.url))
    return started
