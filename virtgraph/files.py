"""Writing files at the edge of the pipeline: whole or not at all, and never out of the working tree.

:func:`write_atomic` writes a temporary file next to the target and renames it into place (a failed render
leaves the old file untouched); :func:`contained` refuses a path that leads out of the working tree through a
symlink; :func:`check_output_dir`, :func:`temp_leftovers` and :func:`remove_leftovers` look after the output
folder of ``render --all``. Every failure is one :class:`~virtgraph.errors.UsageError` (exit 2) or
:class:`~virtgraph.errors.WriteFailed` (exit 1) line, never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import time
from pathlib import Path

from .errors import UsageError, WriteFailed

#: The temporary files of :func:`write_atomic`: ``.<name>.<8 random characters>.tmp`` next to the target.
TEMP_PATTERN = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_TEMP_NAME_BYTES = 200  # room left in a 255-byte file name for the dot, the random part and ".tmp"


def write_atomic(path: Path, data: bytes, keep_mode: bool = False) -> None:
    """Write ``data`` to ``path``: whole or not at all, whatever ``path`` is.

    * a regular file (or a new name) is written to a temporary file in the same folder and renamed into place,
      so a failure leaves the old file untouched and no temporary file behind; ``keep_mode`` keeps the
      permissions of the file being replaced (documents), new files get 0644;
    * a symlink is followed: its target is written that way and the link stays a link;
    * a character device (``/dev/null``, ``/dev/stdout``) or a FIFO is written into, never replaced; a FIFO no
      process is reading is refused at once instead of blocking;
    * a directory, block device or socket is refused (:class:`UsageError`, exit 2).

    Every other failure (read-only file system, permission, no space, name too long) is :class:`WriteFailed`.
    """
    target = Path(os.path.realpath(path)) if str(path) else Path(path)
    try:
        kind = target.stat().st_mode
    except FileNotFoundError:
        kind = 0
    except OSError as exc:
        raise _write_failed(path, exc) from None
    _refuse_unwritable(path, kind)
    if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
        _write_into(path, target, data, fifo=stat.S_ISFIFO(kind))
    else:
        _replace(path, target, data, stat.S_IMODE(kind) if keep_mode and kind else 0o644)


def contained(path: Path, tree: Path | None = None) -> Path:
    """``path``, checked not to lead out of the working tree ``tree`` (default: the current folder).

    A path named inside the tree must stay there once symlinks are followed, and must not reach into a
    ``.git`` folder it did not name: a link planted in a repository's ``output/`` cannot make a render write
    elsewhere. A path named outside the tree (``-o /tmp/a.svg``, ``-o /dev/null``) is the user's own choice.
    Refusals are :class:`UsageError` (exit 2), raised before anything is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     (root / "out").symlink_to("/etc")
    ...     contained(root / "a.svg", root) == root / "a.svg", contained(Path("/tmp/b.svg"), root)
    (True, PosixPath('/tmp/b.svg'))
    """
    root = (tree or Path.cwd()).resolve()
    named = Path(os.path.normpath(Path(path).absolute()))
    if not named.is_relative_to(root):
        return path
    try:
        resolved = named.resolve()
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"cannot resolve {_shown(path)}: {getattr(exc, 'strerror', None) or exc}") from None
    if not resolved.is_relative_to(root):
        raise UsageError(f"{_shown(path)} leads out of {root} through a symlink (to {_shown(resolved)}); refused")
    if ".git" in resolved.relative_to(root).parts and ".git" not in named.relative_to(root).parts:
        raise UsageError(f"{_shown(path)} leads into a .git folder through a symlink; refused")
    return path


def check_output_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The output folder of ``render --all``/``--check``, if it is a folder or does not exist yet (else exit 2)."""
    folder = Path(out_dir)
    try:
        kind = folder.stat().st_mode
    except FileNotFoundError:
        return folder
    except OSError as exc:
        raise UsageError(f"cannot use {_shown(folder)} as the output folder: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(kind):
        raise UsageError(f"{_shown(folder)} is not a folder; --output-dir names the folder of --all and --check")
    return folder


def _refuse_unwritable(path: Path, kind: int) -> None:
    """Refuse targets that are no file to write (bad usage, exit 2)."""
    if not str(path):
        raise UsageError("the output file name is empty")
    if stat.S_ISDIR(kind):
        raise UsageError(f"{_shown(path)} is a directory; name a file to write")
    if stat.S_ISBLK(kind) or stat.S_ISSOCK(kind):
        what = "block device" if stat.S_ISBLK(kind) else "socket"
        raise UsageError(f"{_shown(path)} is a {what}; virtgraph writes only files, character devices and FIFOs")


def _write_into(path: Path, target: Path, data: bytes, fifo: bool) -> None:
    """Write ``data`` into an existing character device or FIFO (no temporary file, no rename)."""
    flags = os.O_WRONLY | os.O_NOCTTY | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise WriteFailed(f"cannot write {_shown(path)}: no process is reading this FIFO") from None
        raise _write_failed(path, exc) from None
    try:
        if fifo:
            os.set_blocking(fd, True)  # a reader is there: wait for it like any writer would
        _write_all(fd, data)
    except OSError as exc:
        raise _write_failed(path, exc) from None
    finally:
        os.close(fd)


def _replace(path: Path, target: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temporary file next to ``target`` and rename it over ``target``."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stem = target.name.encode("utf-8", "surrogateescape")[:_TEMP_NAME_BYTES].decode("utf-8", "ignore")
        import tempfile  # here, not at the top: render --all with nothing changed imports this module, writes nothing

        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=target.parent)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _write_failed(path, exc) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the open file descriptor ``fd`` (``os.write`` may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_failed(path: Path, exc: OSError) -> WriteFailed:
    """A one-line :class:`WriteFailed` from an ``OSError`` (its reason, not its traceback).

    >>> str(_write_failed(Path("out/a.svg"), OSError(28, "No space left on device")))
    'cannot write out/a.svg: No space left on device'
    """
    return WriteFailed(f"cannot write {_shown(path)}: {exc.strerror or exc}")


def _shown(path: Path | str) -> str:
    """``path`` for a one-line message: control characters (newlines, terminal escapes) shown escaped.

    >>> _shown("a.svg"), _shown("a\\nb\\x1b[31m.svg")
    ('a.svg', "'a\\\\nb\\\\x1b[31m.svg'")
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; a closed or failing stdout is :class:`WriteFailed`, not a traceback."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise WriteFailed("cannot write to standard output: it is closed")
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteFailed(f"cannot write to standard output: {reason}") from None


def temp_leftovers(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Temporary files :func:`write_atomic` left in ``out_dir`` when a run was killed, sorted."""
    folder = Path(out_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if TEMP_PATTERN.fullmatch(p.name) and not p.is_dir())


def remove_leftovers(out_dir: str | os.PathLike[str], min_age: float = 60.0) -> list[Path]:
    """Delete the temporary files interrupted runs left in ``out_dir`` (see :func:`temp_leftovers`).

    Only files untouched for ``min_age`` seconds go: a younger one may belong to a render running right now.
    An ``out_dir`` that cannot be the output folder is refused first (see :func:`check_output_dir`).
    """
    removed = []
    for path in temp_leftovers(check_output_dir(out_dir)):
        try:
            if time.time() - path.lstat().st_mtime < min_age:
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # gone meanwhile
        except OSError as exc:
            raise _write_failed(path, exc) from None
        removed.append(path)
    return removed
