"""A loopback trap: the SERVICE target of the query guard's tests, counting every connection that reaches it.

Connections made by compiled code (pyoxigraph's own HTTP client) bypass the network canary's audit hook; the
trap sees them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from .. import netguard


class Trap:
    """A loopback TCP listener that counts the connections it accepts and closes each at once."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = netguard.allow_port(self.socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.count = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.count += 1
            connection.close()

    def connections_after(self, action: Callable[[], object]) -> int:
        """How many connections ``action()`` caused (waiting a moment for late ones)."""
        before = self.count
        try:
            action()
        finally:
            time.sleep(0.05)
        return self.count - before
