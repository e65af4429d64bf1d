"""Running a user's query on the embedded store in a child process that the parent can always stop.

pyoxigraph evaluates in Rust and does not return to Python until it is done, so neither a deadline nor
Ctrl-C can stop it in-process. :func:`run_isolated` forks: the child shares the loaded store copy-on-write,
runs the query under an address-space limit and, unless the network is allowed, with no file descriptor to
spare (``RLIMIT_NOFILE`` = 0: no socket can be opened, whatever the query says), and sends the result back
pickled through a pipe. The parent waits for at most ``timeout`` seconds and kills the child on the deadline,
on Ctrl-C, or when the answer grows past its size cap.

>>> from virtgraph.graph import load
>>> run_isolated(load().backend, "ASK { ?s ?p ?o }", Limits(timeout=10)).boolean
True
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import QueryFailed, VirtgraphError
from .store import Backend, QueryResult

MiB = 1024 * 1024
Text = str | Callable[[], str]  # a query's text, or a function that prepares it (run in the child)


@dataclass(frozen=True)
class Limits:
    """How far one query may go: seconds, result rows, pickled answer bytes, extra memory, network."""

    timeout: float = 30.0
    max_rows: int = 1_000_000
    max_bytes: int = 512 * MiB
    max_memory: int = 2048 * MiB
    allow_network: bool = False


def can_isolate() -> bool:
    """Whether this platform can fork (POSIX); elsewhere queries run in-process without a deadline."""
    return hasattr(os, "fork")


def run_isolated(backend: Backend, text: Text, limits: Limits) -> QueryResult:
    """``backend.query(text)`` in a forked child, within ``limits``; raises what the child raised.

    ``text`` may be a function that returns the text: it then runs in the child too, so preparing the query
    (the guard parses it, which takes seconds for a query of 100 KB) is under the same deadline and Ctrl-C.
    Errors are one line: :class:`QueryFailed` (exit 1) on the deadline, on Ctrl-C, past a size limit, or
    when the child dies; the child's own :class:`VirtgraphError` (e.g. a syntax error) as it was.
    """
    _warm_up(backend)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit, coverage cannot see it
        os.close(reader)
        _child(backend, text, limits, writer)
    os.close(writer)
    try:
        data = _collect(reader, pid, limits)
    except KeyboardInterrupt:
        raise QueryFailed("the query was interrupted (Ctrl-C)") from None
    finally:
        os.close(reader)
        _reap(pid)
    return _answer(data, limits)


def _warm_up(backend: Backend) -> None:
    """Import in the parent what the child's engine imports lazily (the child may open no file)."""
    importlib.import_module("rdflib")  # results are rdflib terms, whatever the store
    importlib.import_module("rdflib.plugins.sparql.parser")  # the guard's parser
    if backend.name == "memory":
        for module in ("aggregates", "evaluate", "operators", "processor"):
            importlib.import_module(f"rdflib.plugins.sparql.{module}")


def _child(backend: Backend, text: Text, limits: Limits, writer: int) -> None:  # pragma: no cover - in the child
    """Run the query and write ``(ok, payload)`` pickled to ``writer``; never returns."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C in a terminal reaches the child too: just stop
    code = 0
    try:
        _limit_child(limits)
        final = text() if callable(text) else text
        payload: tuple[bool, Any] = (True, backend.query(final, max_rows=limits.max_rows))
    except VirtgraphError as exc:
        payload = (False, exc)
    except MemoryError:
        payload = (False, QueryFailed(f"the query needs more than {limits.max_memory // MiB} MiB of memory"))
    except BaseException as exc:  # anything else becomes one line in the parent
        payload = (False, QueryFailed(f"the query failed: {type(exc).__name__}: {exc}".splitlines()[0]))
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view[: 1 << 20]) :]
    except BaseException:  # the parent reports a child that sent nothing
        code = 1
    os._exit(code)


def _limit_child(limits: Limits) -> None:  # pragma: no cover - in the child
    """Cap the child's address space, and take away its sockets unless the network is allowed."""
    used = _address_space()
    if used:
        _set_soft(resource.RLIMIT_AS, used + limits.max_memory)
    if not limits.allow_network:
        _set_soft(resource.RLIMIT_NOFILE, 0)  # no new descriptor: no socket, no file, whatever the engine tries


def _set_soft(kind: int, value: int) -> None:  # pragma: no cover - in the child
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard))


def _address_space() -> int:
    """Bytes of address space this process uses now (Linux ``/proc``; 0 where unknown)."""
    try:
        with open("/proc/self/statm", "rb") as stream:
            return int(stream.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _collect(reader: int, pid: int, limits: Limits) -> bytes:
    """The child's bytes, read until it closes the pipe, the deadline passes or the cap is crossed."""
    deadline = time.monotonic() + limits.timeout
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryFailed(f"the query took longer than {limits.timeout:g} s (--timeout); add LIMIT or narrow it")
        ready, _, _ = select.select([reader], [], [], left)
        if not ready:
            continue
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise QueryFailed(f"the result is larger than {limits.max_bytes // MiB} MiB; add LIMIT or narrow the query")
        chunks.append(chunk)


def _reap(pid: int) -> None:
    """Kill the child if it still runs, and collect it (no zombie)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _answer(data: bytes, limits: Limits) -> QueryResult:
    """The result the child sent, or the error it raised; a child that died is a one-line failure."""
    if not data:
        raise QueryFailed(
            f"the query engine stopped without an answer (out of its {limits.max_memory // MiB} MiB, "
            "or the query is nested too deeply)"
        )
    ok, payload = pickle.loads(data)  # our own child wrote it, through our own pipe
    if not ok:
        raise payload
    if not isinstance(payload, QueryResult):
        raise QueryFailed(f"the query engine answered with {type(payload).__name__}, not a result")
    return payload
