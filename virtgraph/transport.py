"""HTTP for talking to SPARQL servers: one request at a time, bounded in time and size, its failures one line.

What a server can do to a request is bounded, and every failure is one :class:`~virtgraph.errors.EndpointError`:

* ``timeout`` is a total deadline for one request (connect, headers and body): a timer shuts the socket
  down when it passes, so a server that drips one byte at a time cannot hold a request open;
* an answer larger than ``max_bytes`` (default :data:`MAX_ANSWER_BYTES`, 64 MiB) is refused as soon as it
  is declared or read;
* broken HTTP (bad status line, too many or too long headers, bad chunking, a body cut short) is an error,
  never a traceback;
* redirects are not followed: every request is a POST or PUT, which urllib would turn into a body-less GET
  (301/302/303) or refuse (307/308), and a redirect to another host would carry the query away; the
  message names the target so that the user can pass it instead;
* text a server sends back (reason phrase, first line of an error body, redirect target) is shown only
  when it is printable and holds neither the password, nor the Basic credentials, nor ``Authorization``.

Credentials come from ``VIRTGRAPH_ENDPOINT_USER``/``VIRTGRAPH_ENDPOINT_PASSWORD`` or a netrc file, never from
the command line; no URL in an error message carries them. URLs are checked before any connection (http or
https, a host, a port in 1-65535, no credentials, no spaces, control or non-ASCII characters).

>>> client = HttpClient("http://127.0.0.1:7878/query", timeout=2)
>>> client.timeout, client.max_bytes == MAX_ANSWER_BYTES
(2, True)
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import netrc
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from .errors import EndpointError, UsageError

MAX_ANSWER_BYTES = 64 * 1024 * 1024
USER_ENV, PASSWORD_ENV = "VIRTGRAPH_ENDPOINT_USER", "VIRTGRAPH_ENDPOINT_PASSWORD"
_READ_SIZE = 64 * 1024
_ERROR_BODY_BYTES = 2000
_URL_FORBIDDEN = re.compile(r"[^\x21-\x7e]")  # spaces, control and non-ASCII characters


# --- names: URLs and credentials ------------------------------------------------------------------------------------


def public_url(url: str) -> str:
    """``url`` without any user name or password, for messages.

    >>> public_url("http://u:p@host:8890/sparql"), public_url("u:p@host:99999/x")
    ('http://host:8890/sparql', 'host:99999/x')
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None and "@" in parts.netloc:
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if parts is None or (not parts.netloc and "@" in url):  # no authority part: whatever precedes an @
        return url.rpartition("@")[2]
    return url


def check_url(url: str, what: str = "endpoint URL") -> str:
    """``url`` if it is an http(s) URL virtgraph may send a request to, else a one-line :class:`UsageError`.

    >>> check_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    >>> check_url("http://127.0.0.1:70000/query", "update URL")
    Traceback (most recent call last):
    virtgraph.errors.UsageError: update URL has a port outside 1-65535: 'http://127.0.0.1:70000/query'
    """
    shown = public_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = urllib.parse.urlsplit(""), -1
    if "@" in parts.netloc or (not parts.netloc and "@" in url):
        raise UsageError(
            f"credentials in the {what} are not accepted; set {USER_ENV}/{PASSWORD_ENV} or use a netrc file"
        )
    if _URL_FORBIDDEN.search(url):
        raise UsageError(
            f"{what} must not hold spaces, control or non-ASCII characters (percent-encode them): {shown!r}"
        )
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"{what} has a port outside 1-65535: {shown!r}")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http(s) URL with a host, like http://127.0.0.1:7878/query, not {shown!r}")
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """User and password for ``url``: the environment first, then the netrc file (``$NETRC`` or ``~/.netrc``)."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user:
        return user, password or ""
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"cannot read the netrc file {path}: {getattr(exc, 'msg', exc)}") from None
    return (entry[0], entry[2] or "") if entry else None


def printable(text: str, limit: int = 200) -> str:
    """Server text fit for a one-line message: non-printable characters as spaces, at most ``limit`` long.

    >>> printable("bad\\x1b[31m line\\u2028two")
    'bad [31m line two'
    """
    return "".join(c if c.isprintable() else " " for c in text).strip()[:limit]


# --- HTTP with a deadline -------------------------------------------------------------------------------------------


class _Deadline:
    """A wall-clock limit for one request: when it passes, the request's sockets are shut down."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        """Seconds left; :class:`TimeoutError` once there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return left

    def guard(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline, which wakes a read blocked on it (it then sees the end)."""
        timer = threading.Timer(max(self.end - time.monotonic(), 0.0), self._expire, (sock,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain-socket method, also for TLS sockets

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


class _DeadlineConnection:
    """Mixin for ``http.client`` connections: connect within the deadline, then put the socket under guard."""

    deadline: _Deadline
    timeout: float | None
    sock: socket.socket

    def connect(self) -> None:
        self.timeout = self.deadline.remaining()
        super().connect()  # type: ignore[misc]
        self.deadline.guard(self.sock)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


def _connection_factory(
    cls: type[_HTTPConnection | _HTTPSConnection], deadline: _Deadline
) -> Callable[..., http.client.HTTPConnection]:
    def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:  # http.client's own arguments, passed on
        connection = cls(*args, **kwargs)
        connection.deadline = deadline
        return connection

    return make


class _Request(urllib.request.Request):
    """A request that carries its own deadline to the connection."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline


def _deadline(req: urllib.request.Request) -> _Deadline:
    if not isinstance(req, _Request):  # pragma: no cover - every request of HttpClient is one
        raise TypeError("a virtgraph HTTP request carries a deadline")
    return req.deadline


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_factory(_HTTPConnection, _deadline(req)), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        context = getattr(self, "_context", None)  # the handler's own TLS context (a private attribute)
        return self.do_open(_connection_factory(_HTTPSConnection, _deadline(req)), req, context=context)


class _RedirectRefused(Exception):
    def __init__(self, code: int, target: str) -> None:
        super().__init__(code, target)
        self.code, self.target = code, target


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, never followed (see the module docstring)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Message, newurl: str
    ) -> None:
        fp.close()
        raise _RedirectRefused(code, newurl)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or (443 if parts.scheme == "https" else 80)


def _read_body(response: http.client.HTTPResponse, deadline: _Deadline, limit: int) -> bytes:
    """The whole body, read in pieces under ``deadline``; :class:`_TooLarge` past ``limit`` bytes."""
    if response.length is not None and response.length > limit:
        raise _TooLarge
    body = bytearray()
    while chunk := response.read1(_READ_SIZE):
        body += chunk
        if len(body) > limit:
            raise _TooLarge
        deadline.remaining()
    if response.length:  # the server closed the connection before the end it announced
        raise http.client.IncompleteRead(bytes(body), response.length)
    return bytes(body)


class _TooLarge(Exception):
    pass


_BROKEN_HTTP = {
    http.client.RemoteDisconnected: "closed the connection without answering",
    http.client.IncompleteRead: "the body ended early or its chunks are broken",
    http.client.LineTooLong: "a line of the answer is too long",
    http.client.BadStatusLine: "the status line is not HTTP",
}


def _failure(exc: BaseException, shown: str) -> str:
    """The one-line message for an exception raised while talking HTTP to ``shown``."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _failure(exc.reason, shown)
    broken = next((words for kind, words in _BROKEN_HTTP.items() if isinstance(exc, kind)), None)
    if broken is None and isinstance(exc, http.client.HTTPException):
        broken = printable(str(exc)) or type(exc).__name__
    if broken is None and isinstance(exc, ValueError):  # http.client reading a chunk size
        broken = "bad chunked encoding"
    if broken is not None:
        return f"{shown} sent a broken HTTP answer: {broken}"
    if isinstance(exc, urllib.error.URLError):
        cause = printable(str(exc.reason))
    elif isinstance(exc, OSError):
        cause = exc.strerror or printable(str(exc)) or type(exc).__name__
    else:
        cause = printable(str(exc)) or type(exc).__name__
    return f"cannot reach {shown}: {cause}"


def _size(count: int) -> str:
    """A byte count for messages.

    >>> _size(64 * 1024 * 1024), _size(1500)
    ('64 MiB', '1500 bytes')
    """
    return f"{count // 2**20} MiB" if count % 2**20 == 0 else f"{count} bytes"


@dataclass
class Answer:
    """A server's successful answer: status, ``Content-Type`` and the whole body."""

    status: int
    content_type: str
    body: bytes


class HTTPStatusError(EndpointError):
    """The server answered with an HTTP error status (kept in ``status``)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HttpClient:
    """Requests within ``timeout`` seconds each, answers of at most ``max_bytes``; the credentials found for
    ``url`` (see :func:`credentials`) are offered to ``url`` and the ``also`` URLs, and to no other."""

    def __init__(
        self, url: str, also: Iterable[str] = (), *, timeout: float, max_bytes: int = MAX_ANSWER_BYTES
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        found = credentials(url)
        self._secrets = _secrets(found)
        handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(), _HTTPSHandler(), _NoRedirects()]
        if found:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for each in {url, *also}:
                manager.add_password(None, each, *found)
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*handlers)

    def request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """One HTTP request within ``timeout`` seconds in all; every failure is one :class:`EndpointError` line."""
        shown = public_url(url.split("?", 1)[0])
        deadline = _Deadline(self.timeout)
        request = _Request(url, data=data, method=method, headers=headers or {}, deadline=deadline)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = _read_body(response, deadline, self.max_bytes)
                return Answer(response.status, response.headers.get("Content-Type", ""), body)
        except urllib.error.HTTPError as exc:
            raise self._status_error(exc, shown) from None
        except _RedirectRefused as exc:
            raise EndpointError(self._redirect_message(shown, url, exc)) from None
        except _TooLarge:
            raise EndpointError(f"{shown} sent an answer larger than {_size(self.max_bytes)}; refused") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired or isinstance(exc, TimeoutError) or time.monotonic() >= deadline.end:
                raise EndpointError(f"{shown} did not answer within {self.timeout:g} s (--timeout)") from None
            raise EndpointError(_failure(exc, shown)) from None
        finally:
            deadline.cancel()

    def _safe(self, text: str) -> str:
        """Server text for a message, or nothing when it is not printable or could reveal the credentials."""
        shown = printable(text)
        if "authoriz" in shown.lower() or any(secret in text for secret in self._secrets):
            return ""
        return shown

    def _status_error(self, exc: urllib.error.HTTPError, shown: str) -> HTTPStatusError:
        try:
            detail = exc.read(_ERROR_BODY_BYTES).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException, ValueError):
            detail = ""
        finally:
            exc.close()
        first = next((self._safe(line) for line in detail.split("\n") if line.strip()), "")
        reason = self._safe(str(exc.reason))
        message = f"{shown} answered HTTP {exc.code}" + (f" {reason}" if reason else "")
        return HTTPStatusError(message + (f": {first}" if first else ""), exc.code)

    def _redirect_message(self, shown: str, url: str, exc: _RedirectRefused) -> str:
        target = self._safe(public_url(exc.target)) or "an address not shown"
        if _origin(exc.target) != _origin(url):
            return f"{shown} answered HTTP {exc.code}, a redirect to another host ({target}); refused"
        return f"{shown} answered HTTP {exc.code}, a redirect to {target}; redirects are not followed, pass that URL"


def _secrets(found: tuple[str, str] | None) -> list[str]:
    """The strings an error message must never show: the password and the Basic credentials."""
    if not found:
        return []
    user, password = found
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return [secret for secret in (password, f"{user}:{password}", token) if secret]
