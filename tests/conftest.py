"""Shared fixtures: the shipped knowledge graph in each embedded store, a CLI runner, and the network canary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from virtgraph.cli import cli
from virtgraph.graph import load

from . import netguard

DATA = Path(__file__).parent / "data"
collect_ignore = ["netguard_site"]  # sitecustomize for subprocesses, not a test module


# CI runs the same examples every time (a failure there is reproducible); elsewhere hypothesis explores anew
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config):
    netguard.install()


@pytest.fixture(autouse=True)
def network_canary():
    """Fail any test that tried to reach an address other than its own servers (see tests/netguard.py)."""
    netguard.take_violations()
    yield
    tried = netguard.take_violations()
    if tried:
        pytest.fail("network canary: this test tried to reach " + "; ".join(dict.fromkeys(tried)), pytrace=False)


@pytest.fixture(scope="session", params=["oxigraph", "memory"])
def kg(request):
    """The shipped ontology, once per embedded store; tests using it run against both."""
    return load(store=request.param)


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
def dot_available():
    """Graphviz ``dot`` must be installed; CI (VIRTGRAPH_REQUIRE_TOOLS=1) fails instead of skipping."""
    import os
    import shutil

    if shutil.which("dot") is None:
        message = "Graphviz 'dot' is not installed (Debian package graphviz)"
        if os.environ.get("VIRTGRAPH_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    return True


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    from .servers import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    from .servers import start_virtuoso

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
