"""The network canary: the test suite fails if a test opens a socket to anywhere but the test's own servers.

virtgraph promises never to open a connection the user did not name. The suite holds it to that: an audit
hook (:pep:`578`) sees every ``socket.connect`` and every name lookup made by Python code in the test process,
and in every ``python`` subprocess the tests start (through ``sitecustomize`` in ``netguard_site/``, put on
``PYTHONPATH`` by :func:`install`). A connection is allowed only to a loopback address on a port that a test
declared with :func:`allow_port` (the SPARQL servers and the misbehaving servers do so when they start), and
a name lookup only of ``localhost``. Anything else is refused before a packet leaves (the hook raises
:class:`NetworkCanaryError`) and recorded, and :func:`take_violations` hands the records to the fixture in
``tests/conftest.py`` that fails the test, even when the code under test swallowed the error.

Connections made by compiled code (pyoxigraph's own HTTP client, for ``SERVICE``) bypass Python's audit
hooks; the tests of the query guard catch those with a trap listener that counts what reaches it.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tempfile
from pathlib import Path

SITE_DIR = Path(__file__).parent / "netguard_site"
PORTS_ENV = "VIRTGRAPH_NETGUARD_PORTS"  # file listing the allowed ports, one per line (shared with subprocesses)
LOG_ENV = "VIRTGRAPH_NETGUARD_LOG"  # file where subprocesses record what they tried


class NetworkCanaryError(ConnectionRefusedError):
    """A test tried to reach an address that is not one of the test's own servers."""


def is_loopback(host: object) -> bool:
    """Whether ``host`` (an address or ``localhost``) stays on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("192.0.2.1")
    (True, True, True, False)
    """
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def allowed_ports() -> set[int]:
    path = os.environ.get(PORTS_ENV)
    if not path:
        return set()
    try:
        return {int(line) for line in Path(path).read_text().split() if line.isdigit()}
    except OSError:
        return set()


def allow_port(port: int) -> int:
    """Declare ``port`` on 127.0.0.1 as one of the test's own servers; returns ``port``."""
    path = os.environ.get(PORTS_ENV)
    if path:
        with open(path, "a", encoding="ascii") as handle:
            handle.write(f"{int(port)}\n")
    return port


def verdict(event: str, args: tuple) -> str | None:
    """Why the audited ``event`` must not happen, or None when it may."""
    if event == "socket.connect":
        sock, address = args
        if getattr(sock, "family", None) not in (2, 10):  # AF_INET, AF_INET6; AF_UNIX and others stay local
            return None
        host, port = address[0], address[1]
        if is_loopback(host) and port in allowed_ports():
            return None
        return f"connect to {host}:{port}"
    if event == "socket.getaddrinfo":
        host = args[0]
        if host is None or is_loopback(host if isinstance(host, str) else host.decode("ascii", "replace")):
            return None
        return f"name lookup of {host!r}"
    return None


_EVENTS = frozenset(("socket.connect", "socket.getaddrinfo"))
_violations: list[str] = []
_installed = _hooked = False


def _hook(event: str, args: tuple) -> None:
    if event not in _EVENTS:
        return
    reason = verdict(event, args)
    if reason is None:
        return
    _violations.append(reason)
    log = os.environ.get(LOG_ENV)
    if log and os.getpid() != int(os.environ.get("VIRTGRAPH_NETGUARD_PARENT", "0")):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{reason} (pid {os.getpid()})\n")
    raise NetworkCanaryError(f"network canary: {reason} is not one of the test's own servers")


def add_hook() -> None:
    """Guard this process (once): what it tries is refused, and recorded where the environment says."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True


def install() -> None:
    """Start guarding this test process and (through the environment) every Python subprocess it starts.

    Each pytest process (the main one, or each pytest-xdist worker) keeps its own records; a subprocess that a
    test starts writes what it tried to the log of the test process that started it.
    """
    global _installed
    if _installed:
        return
    folder = Path(tempfile.mkdtemp(prefix="virtgraph-netguard-"))
    os.environ[PORTS_ENV] = str(folder / "ports")
    os.environ[LOG_ENV] = str(folder / "log")
    os.environ["VIRTGRAPH_NETGUARD_PARENT"] = str(os.getpid())
    Path(os.environ[PORTS_ENV]).touch()
    if str(SITE_DIR) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(SITE_DIR), os.environ.get("PYTHONPATH")) if p)
    add_hook()
    _installed = True


def take_violations() -> list[str]:
    """What was refused since the last call, here and in subprocesses (and forget it)."""
    found = list(_violations)
    _violations.clear()
    log = os.environ.get(LOG_ENV)
    if log and os.path.exists(log):
        found += Path(log).read_text(encoding="utf-8").splitlines()
        Path(log).write_text("", encoding="utf-8")
    return found
