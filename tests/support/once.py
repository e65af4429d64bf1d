"""Something expensive made once per test run and shared by the pytest-xdist workers.

Under pytest-xdist each worker has its own ``getbasetemp()``, inside one folder of the run that they share: the
first worker that asks makes the thing there under a lock, the others wait for it and read it. Without xdist it
is made in the run's own base folder. What is made this way is read, never changed, by the tests.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def once_per_run(base: Path, name: str, make: Callable[[Path], object]) -> Path:
    """``base/../name`` (or ``base/name`` without xdist), made by ``make(folder)`` if no worker made it yet.

    ``base`` is pytest's ``tmp_path_factory.getbasetemp()``. A ``make`` that raises leaves nothing marked made:
    the next worker to ask tries again (and fails the same way, in its own tests).
    """
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / name
    with locked(shared / f"{name}.lock"):
        done = shared / f"{name}.made"
        if not done.exists():
            make(folder)
            done.write_text("made\n", encoding="utf-8")
    return folder


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing) while the block runs."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
