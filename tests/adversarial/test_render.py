"""Hostile output targets for ``render -o`` and ``write_atomic``: devices, FIFOs, symlinks, full disks, bad names.

Tests run as root in CI: they never write to the real ``/dev/null``; a null device is made with ``os.mknod`` in
``tmp_path`` instead. Each failure must be one line, the right exit code, no traceback, nothing half-written and no
temporary file left behind.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from virtgraph.errors import UsageError, WriteFailed
from virtgraph.files import TEMP_PATTERN, temp_leftovers, write_atomic

OLD = b"what the user had\n"


def render_dot(run, target: str):
    """``virtgraph render --view eras --format dot -o target`` (no ``dot`` run, fast)."""
    return run("render", "--view", "eras", "--lang", "en", "--format", "dot", "-o", target)


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if TEMP_PATTERN.fullmatch(p.name)]


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# --- devices and FIFOs are written into, never replaced ---------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_character_device_stays_a_device(run, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = render_dot(run, str(null))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.lstat().st_mode)  # the old code renamed a regular file over it
    assert os.major(null.stat().st_rdev) == 1 and os.minor(null.stat().st_rdev) == 3
    assert no_temp_files(tmp_path)


def test_fifo_with_a_reader_receives_the_render(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        result = render_dot(run, str(fifo))
    finally:
        if reader.is_alive():  # unblock the reader if the write never opened the FIFO
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b"digraph eras {")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert no_temp_files(tmp_path)


def test_fifo_without_a_reader_fails_at_once(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    line = one_error_line(render_dot(run, str(fifo)), 1)
    assert line == f"Error: cannot write {fifo}: no process is reading this FIFO"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert no_temp_files(tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_full_device_is_one_line(run, tmp_path):
    full = tmp_path / "full"  # like /dev/full; never the real one (the old code renamed a file over it)
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    line = one_error_line(render_dot(run, str(full)), 1)
    assert line == f"Error: cannot write {full}: No space left on device"
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert no_temp_files(tmp_path)


# --- symlinks named outside the tree: the target is written, the link stays ------------------------------------


def test_symlink_target_is_written_and_link_kept(run, tmp_path):
    real = tmp_path / "real.dot"
    real.write_bytes(OLD)
    link = tmp_path / "link.dot"
    link.symlink_to("real.dot")
    result = render_dot(run, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.dot"
    assert real.read_bytes().startswith(b"digraph eras {")
    assert no_temp_files(tmp_path)


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.dot"
    link.symlink_to("made.dot")
    write_atomic(link, b"new")
    assert link.is_symlink() and (tmp_path / "made.dot").read_bytes() == b"new"


def test_symlink_loop_is_one_line(run, tmp_path):
    loop = tmp_path / "loop.dot"
    loop.symlink_to("loop.dot")
    line = one_error_line(render_dot(run, str(loop)), 1)
    assert line.startswith(f"Error: cannot write {loop}: ")


# --- symlinks inside the working tree must not lead out of it ------------------------------------------------------


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A working tree ``work/`` (the current folder) beside a ``decoy/`` folder that must never change."""
    work, decoy = tmp_path / "work", tmp_path / "decoy"
    work.mkdir()
    decoy.mkdir()
    (decoy / "eras.en.dot").write_bytes(OLD)
    monkeypatch.chdir(work)
    return work, decoy


def test_output_link_leading_out_of_the_tree_is_refused(run, tree):
    work, decoy = tree
    (work / "link.dot").symlink_to(decoy / "eras.en.dot")
    line = one_error_line(render_dot(run, "link.dot"), 2)
    assert line == f"Error: link.dot leads out of {work} through a symlink (to {decoy / 'eras.en.dot'}); refused"
    assert (decoy / "eras.en.dot").read_bytes() == OLD


@pytest.mark.parametrize("mode", [("--view", "eras", "--format", "dot"), ("--all",)])
def test_output_folder_linked_out_of_the_tree_is_refused_before_writing(run, tree, mode):
    work, decoy = tree
    (work / "out").symlink_to(decoy)
    result = run("render", *mode, "--lang", "en", "--output-dir", "out")
    line = one_error_line(result, 2)
    assert line.startswith("Error: out/") and "leads out of" in line
    assert sorted(p.name for p in decoy.iterdir()) == ["eras.en.dot"]
    assert (decoy / "eras.en.dot").read_bytes() == OLD


def test_link_into_git_is_refused(run, tree):
    work, _ = tree
    (work / ".git" / "hooks").mkdir(parents=True)
    (work / "hook.dot").symlink_to(work / ".git" / "hooks" / "pre-commit")
    line = one_error_line(render_dot(run, "hook.dot"), 2)
    assert line == "Error: hook.dot leads into a .git folder through a symlink; refused"
    assert not (work / ".git" / "hooks" / "pre-commit").exists()


def test_link_that_stays_inside_the_tree_is_followed(run, tree):
    work, _ = tree
    (work / "real").mkdir()
    (work / "link.dot").symlink_to("real/eras.dot")
    assert render_dot(run, "link.dot").exit_code == 0
    assert (work / "link.dot").is_symlink()
    assert (work / "real" / "eras.dot").read_bytes().startswith(b"digraph eras {")


@pytest.mark.parametrize("mode", ["--all", "--check"])
def test_output_folder_with_a_name_too_long_is_one_line(run, tree, mode):
    line = one_error_line(run("render", mode, "--output-dir", "x" * 300), 2)
    assert line == f"Error: cannot use {'x' * 300} as the output folder: File name too long"


def test_output_folder_that_is_a_file_is_one_line(run, tree):
    (tree[0] / "out").write_bytes(OLD)
    line = one_error_line(run("render", "--check", "--output-dir", "out"), 2)
    assert line == "Error: out is not a folder; --output-dir names the folder of --all and --check"


# --- bad targets: bad usage (2) ---------------------------------------------------------------------------------


def test_directory_as_target_is_bad_usage(run, tmp_path):
    line = one_error_line(render_dot(run, str(tmp_path)), 2)
    assert line == f"Error: {tmp_path} is a directory; name a file to write"
    assert no_temp_files(tmp_path)


def test_empty_output_name_is_bad_usage(run):
    line = one_error_line(render_dot(run, ""), 2)
    assert line == "Error: -o/--output needs a file name, or - for standard output"


def test_socket_as_target_is_refused(tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(UsageError, match="is a socket"):
            write_atomic(path, b"x")


# --- write errors: one line, exit 1, the old file intact, no temporary file ------------------------------------


def test_disk_full_keeps_the_old_file(run, tmp_path, monkeypatch):
    target = tmp_path / "out.dot"
    target.write_bytes(OLD)

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteFailed, match="No space left on device"):
        write_atomic(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_unwritable_folder_is_one_line(run, tmp_path, monkeypatch, code):
    target = tmp_path / "out.dot"
    target.write_bytes(OLD)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    line = one_error_line(render_dot(run, str(target)), 1)
    assert line == f"Error: cannot write {target}: {os.strerror(code)}"
    assert target.read_bytes() == OLD


def test_failed_rename_leaves_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "out.dot"
    target.write_bytes(OLD)

    def busy(src, dst):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))

    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(WriteFailed):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert no_temp_files(tmp_path)


def test_name_too_long_is_one_line(run, tmp_path):
    target = tmp_path / ("x" * 300 + ".dot")
    line = one_error_line(render_dot(run, str(target)), 1)
    assert line.endswith(": File name too long")
    assert no_temp_files(tmp_path)


def test_longest_allowed_name_is_written(tmp_path):
    # the temporary name is longer than the final one; a 255-byte name must still work
    target = tmp_path / ("长" * 83 + ".svg")  # 249 + 4 bytes
    write_atomic(target, b"ok")
    assert target.read_bytes() == b"ok"
    assert no_temp_files(tmp_path)


def test_parent_is_a_file_is_one_line(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(OLD)
    line = one_error_line(render_dot(run, str(blocker / "out.dot")), 1)
    assert line == f"Error: cannot write {blocker / 'out.dot'}: Not a directory"
    assert blocker.read_bytes() == OLD


def test_control_characters_in_a_name_stay_on_one_line(run, tmp_path):
    target = tmp_path / "a\nb\x1b[31m" / "out.dot"
    (tmp_path / "a\nb\x1b[31m").write_bytes(OLD)  # a file where a folder is needed
    line = one_error_line(render_dot(run, str(target)), 1)
    assert "\\n" in line and "\x1b" not in line


def test_mode_is_kept_for_documents(tmp_path):
    target = tmp_path / "doc.md"
    target.write_bytes(OLD)
    target.chmod(0o600)
    write_atomic(target, b"new", keep_mode=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b"new"


# --- standard output ------------------------------------------------------------------------------------------


def test_closed_stdout_is_one_line():
    script = "from virtgraph.cli import main; main(['render', '--view', 'eras', '--format', 'dot', '-o', '-'])"
    done = subprocess.run(
        ["bash", "-c", f'exec "$0" -c "{script}" >&-', sys.executable],
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == "Error: cannot write to standard output: it is closed\n"


def test_stdout_that_fails_is_one_line(monkeypatch):
    from virtgraph.files import write_stdout

    class Broken:
        class buffer:  # stands in for sys.stdout.buffer
            @staticmethod
            def write(data):
                raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(sys, "stdout", Broken())
    with pytest.raises(WriteFailed, match="cannot write to standard output: Input/output error"):
        write_stdout(b"x")


# --- temporary files a killed run left behind ------------------------------------------------------------------


@pytest.mark.dot
def test_check_reports_and_all_removes_leftover_temp_files(run, tmp_path):
    out = tmp_path / "out"
    assert run("render", "--all", "--output-dir", str(out)).exit_code == 0
    assert run("render", "--check", "--output-dir", str(out)).exit_code == 0
    leftover = out / ".eras.zh.svg.k3j_9xq2.tmp"  # the name mkstemp gives in write_atomic
    leftover.write_bytes(b"<svg half")
    assert TEMP_PATTERN.fullmatch(leftover.name) and temp_leftovers(out) == [leftover]
    check = run("render", "--check", "--output-dir", str(out))
    assert check.exit_code == 1
    assert f"{leftover}: temporary file left by an interrupted run" in check.stdout
    busy = run("render", "--all", "--output-dir", str(out))
    assert busy.exit_code == 0 and leftover.exists()  # a minute-young temp file may be another run's, in flight
    os.utime(leftover, (leftover.stat().st_atime - 120, leftover.stat().st_mtime - 120))
    again = run("render", "--all", "--output-dir", str(out))
    assert again.exit_code == 0
    assert f"removed {leftover} (left by an interrupted run)" in again.stdout
    assert not leftover.exists()
    assert run("render", "--check", "--output-dir", str(out)).exit_code == 0
