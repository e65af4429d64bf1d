"""``virtgraph site --serve``: build, serve the folder on loopback, rebuild when the ontology changes.

The server listens on 127.0.0.1 only and serves nothing but the site's folder. Pages built for it load
``assets/reload.js``, which asks ``/__virtgraph/build`` once a second and reloads when the number changed. The
ontology files are watched by their sizes and modification times (no extra dependency; a second is fine for a
person editing Turtle). A rebuild that fails keeps the last good site and prints its one-line error.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError, VirtgraphError
from ..graph import KnowledgeGraph
from .build import build_site

BUILD_PATH = "/__virtgraph/build"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site's folder, and the build number at :data:`BUILD_PATH`; no request is logged."""

    build: list[int]

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == BUILD_PATH:
            body = str(self.build[0]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def start_server(folder: Path, port: int, build: list[int]) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1:``port`` (0: any free port), running in a daemon thread."""
    handler = functools.partial(type("Handler", (_Handler,), {"build": build}), directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_site(
    open_graph: Callable[[], KnowledgeGraph],
    fingerprint: Callable[[], object],
    folder: str | Path,
    *,
    langs: tuple[str, ...],
    port: int,
    cache: bool,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Build the site, serve it and rebuild whenever ``fingerprint()`` changes, until ``stop`` is set (or
    Ctrl-C). ``open_graph`` opens the graph afresh for each build."""
    out = Path(folder)
    report = build_site(open_graph(), out, langs=langs, cache=cache, serve=True, warn=warn)
    echo(report.summary())
    build = [1]
    server = start_server(out, port, build)
    echo(f"serving {out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    seen = fingerprint()
    stop = stop or threading.Event()
    try:
        while not stop.wait(1.0):
            now = fingerprint()
            if now == seen:
                continue
            seen = now
            try:
                echo(build_site(open_graph(), out, langs=langs, cache=cache, serve=True, warn=warn).summary())
                build[0] += 1
            except VirtgraphError as exc:
                warn(f"rebuild failed, the last good site stays: {exc}")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
