"""Loopback HTTP servers that misbehave on purpose, for the endpoint tests.

:func:`serving` listens on 127.0.0.1 (a free port, declared to the network canary with ``allow_port``), reads
each request and hands the connection to a *behaviour*: a function ``(conn, request, stop)`` that writes
whatever it likes. The behaviours below hang, drip, cut the body short, reset, send too much, break
chunking, the status line or the headers, answer bad SPARQL JSON, redirect, or echo the Authorization
header. Every server stops when its ``with`` block ends, and by itself after ``lifetime`` seconds; a
behaviour that waits or drips waits on ``stop``, so it ends with the server.

>>> with serving(answer(200, b"ok", "text/plain")) as server:
...     import urllib.request
...     urllib.request.urlopen(server.url + "x", timeout=5).read(), server.requests[0].path
(b'ok', '/x')
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.netguard import allow_port


@dataclass
class Request:
    """What a client sent: method, path, headers (names in lower case) and body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[[socket.socket, Request, threading.Event], None]


@dataclass
class Server:
    """A running misbehaving server: its base URL (``http://127.0.0.1:PORT/``) and the requests it received."""

    url: str
    port: int
    requests: list[Request] = field(default_factory=list)


@contextlib.contextmanager
def serving(behaviour: Behaviour, lifetime: float = 30.0) -> Iterator[Server]:
    """Run a server that answers every request with ``behaviour``, until the block ends or ``lifetime`` passes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = allow_port(listener.getsockname()[1])
    server = Server(f"http://127.0.0.1:{port}/", port)
    stop = threading.Event()
    workers: list[threading.Thread] = []
    connections: list[socket.socket] = []

    def serve() -> None:
        ends = time.monotonic() + lifetime
        while not stop.is_set() and time.monotonic() < ends:
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            connections.append(conn)
            worker = threading.Thread(target=_handle, args=(conn, behaviour, stop, server.requests), daemon=True)
            worker.start()
            workers.append(worker)
        stop.set()

    acceptor = threading.Thread(target=serve, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stop.set()
        acceptor.join(5)
        for worker in workers:
            worker.join(5)
        for conn in connections:
            conn.close()
        listener.close()


def _handle(conn: socket.socket, behaviour: Behaviour, stop: threading.Event, requests: list[Request]) -> None:
    conn.settimeout(5)
    with contextlib.suppress(OSError):
        request = _read_request(conn)
        requests.append(request)
        behaviour(conn, request, stop)
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


def _read_request(conn: socket.socket) -> Request:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            raise ConnectionError("client went away")
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return Request(method, path, headers, body)


def response(status: int, body: bytes, content_type: str, headers: tuple[str, ...] = ()) -> bytes:
    """An HTTP/1.1 response with ``Content-Length`` and ``Connection: close``."""
    lines = [f"HTTP/1.1 {status} Status", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    lines += [*headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


# --- behaviours -----------------------------------------------------------------------------------------------------


def raw(data: bytes) -> Behaviour:
    """Send ``data`` as it is (a broken status line, bad chunks, a body shorter than announced...), then close."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        conn.sendall(data)

    return behave


def answer(status: int, body: bytes, content_type: str, headers: tuple[str, ...] = ()) -> Behaviour:
    """A well-formed response."""
    return raw(response(status, body, content_type, headers))


def sparql_json(results: Any) -> Behaviour:
    """SPARQL JSON results: ``results`` as JSON, or bytes sent as they are."""
    body = results if isinstance(results, bytes) else json.dumps(results).encode("utf-8")
    return answer(200, body, "application/sparql-results+json")


def hang() -> Behaviour:
    """Read the request and never answer."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        stop.wait()

    return behave


def drip(data: bytes, interval: float = 0.5, after: int = 0) -> Behaviour:
    """Send the first ``after`` bytes of ``data`` at once, then one byte every ``interval`` seconds."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        conn.sendall(data[:after])
        for index in range(after, len(data)):
            if stop.wait(interval):
                return
            conn.sendall(data[index : index + 1])

    return behave


def endless(head: bytes, piece: bytes = b" " * 65536) -> Behaviour:
    """Send ``head``, then ``piece`` again and again until the client stops reading (an oversized answer)."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        conn.sendall(head)
        while not stop.is_set():
            conn.sendall(piece)

    return behave


def reset(data: bytes) -> Behaviour:
    """Send ``data``, then reset the connection (RST instead of an orderly close)."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        conn.sendall(data)
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    """Answer every request with a redirect to ``location``."""
    return answer(status, b"", "text/plain", (f"Location: {location}",))


def echo_authorization() -> Behaviour:
    """Ask for Basic credentials, then refuse them with an error page that repeats the Authorization header."""

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        sent = request.headers.get("authorization")
        if sent is None:
            conn.sendall(answer_bytes(401, b"login first\n", ('WWW-Authenticate: Basic realm="kg"',)))
        else:
            conn.sendall(answer_bytes(403, f"Authorization: {sent} is not allowed here\n".encode("latin-1")))

    return behave


def answer_bytes(status: int, body: bytes, headers: tuple[str, ...] = ()) -> bytes:
    return response(status, body, "text/plain", headers)


Meddle = Callable[[Request, int], "Request | bytes"]


def forward(upstream: str, meddle: Meddle | None = None) -> Behaviour:
    """A proxy to ``upstream`` (``http://127.0.0.1:PORT``) that may change a request or answer in its place.

    ``meddle(request, n)`` sees the ``n``-th request (from 0) and returns the request to forward (changed or
    not) or the bytes of an answer to send instead.
    """
    import urllib.error
    import urllib.request

    count = iter(range(1_000_000))
    lock = threading.Lock()

    def behave(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        with lock:
            number = next(count)
        changed = meddle(request, number) if meddle else request
        if isinstance(changed, bytes):
            conn.sendall(changed)
            return
        headers = {k: v for k, v in changed.headers.items() if k in ("content-type", "accept", "authorization")}
        outgoing = urllib.request.Request(
            upstream + changed.path, data=changed.body or None, method=changed.method, headers=headers
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=30) as reply:
                status, kind, body = reply.status, reply.headers.get("Content-Type", ""), reply.read()
        except urllib.error.HTTPError as exc:
            status, kind, body = exc.code, exc.headers.get("Content-Type", ""), exc.read()
        conn.sendall(response(status, body, kind or "text/plain"))

    return behave
