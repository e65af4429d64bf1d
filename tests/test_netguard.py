"""The network canary itself: it refuses and records what a test must not reach, here and in subprocesses."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest

from . import netguard
from .support.servers import free_port


@pytest.fixture
def listener():
    """A loopback listener on a port no test declared."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_an_undeclared_loopback_port_is_refused_and_recorded(listener):
    with pytest.raises(netguard.NetworkCanaryError), socket.socket() as client:
        client.connect(("127.0.0.1", listener))
    assert netguard.take_violations() == [f"connect to 127.0.0.1:{listener}"]


def test_a_declared_port_is_allowed():
    port = free_port()
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    assert netguard.take_violations() == []


def test_a_name_lookup_of_another_host_is_refused_before_it_is_sent():
    with pytest.raises(netguard.NetworkCanaryError):
        socket.getaddrinfo("example.invalid", 80)
    assert netguard.take_violations() == ["name lookup of 'example.invalid'"]


def test_python_subprocesses_are_guarded_too(listener):
    code = f"import socket; socket.create_connection(('127.0.0.1', {listener}), timeout=5)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "NetworkCanaryError" in done.stderr
    recorded = netguard.take_violations()
    assert len(recorded) == 1 and recorded[0].startswith(f"connect to 127.0.0.1:{listener} (pid ")


def test_an_error_swallowed_by_the_code_under_test_is_still_reported(listener):
    with contextlib.suppress(OSError):  # what careless code would do
        socket.create_connection(("127.0.0.1", listener), timeout=5)
    assert netguard.take_violations() == [f"connect to 127.0.0.1:{listener}"]
