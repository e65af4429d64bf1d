"""The standing hostile-input campaign: try every command as a hostile user would and count what is handled well.

Run it from the repository root (it is a measuring tool, not a test: pytest only imports it)::

    .venv/bin/python -m tests.adversarial.campaign [--area AREA] [--json] [-v] [--min-percent 99]

The inputs are generated from lists of hostile values crossed with commands and options, in seven areas:
``query``, ``lookup``, ``render``, ``docs``, ``validate``, ``endpoint`` and ``ontology``.

How an input is judged
----------------------
Each input runs ``python -m virtgraph ...`` in a subprocess whose working directory and ``HOME`` are a fresh
sandbox folder (holding a copy of what the input needs), with an environment without proxies or ``VIRTGRAPH_*``
settings, a memory limit, and a timeout (15 s; 10 s where a hang is the expected failure; 60 s for the few slow
inputs). Beside the sandbox lies a decoy folder: it is what ``../..`` and absolute escapes aim at. An input is
**handled well** when ALL of these hold:

1. no ``Traceback`` on stderr;
2. the exit code is one of the documented ones: 0 (success), 1 (failed), 2 (bad usage or input);
3. a non-zero exit prints exactly one non-empty line on stderr, starting with ``Error:`` (lines starting with
   ``warning:``, the CLI's documented warning prefix, are ignored);
4. it ends before the timeout (a hang is not handled well);
5. no file outside the sandbox was created, modified or removed (hashes and mtimes of the decoy folder and of
   the sandbox's parent, before and after);
6. no connection reached the trap listener (a loopback socket that counts accepts) unless the input named it as
   the endpoint; a SERVICE, FROM, shapes file, redirect or lookup term naming the trap does not count as naming;
7. device nodes and FIFOs given as paths are still device nodes and FIFOs afterwards;
8. an input that must be refused (SPARQL Update, SERVICE/FROM without ``--allow-network``, writes out of the
   document's tree, an invalid endpoint/graph IRI, an oversized answer, a write to a full device) exits
   non-zero; an input that must succeed (hostile labels in a valid ontology are just data) exits 0;
9. the input's own check passes, where it has one: SVG and GraphML are well-formed XML, distinct concepts stay
   distinct nodes, Graphviz escapes such as ``\\N`` are not expanded, text output has no terminal escape codes,
   TSV/CSV keep one record per row, credentials never appear in output, ``docs fix`` leaves comments, fences,
   CRLF, BOMs and symlinks as they were.

The table printed at the end gives, per area: tried | handled well | %. With ``-v`` every input that was not
handled well is listed with its reason, one line each. The exit status is 0 unless ``--min-percent`` is given and
the overall share is below it (or the campaign itself crashes).

Every loopback server binds 127.0.0.1 only, on a port the system picks, and stops itself after the input (and in
any case after its lifetime). Device nodes are created with ``os.mknod`` inside the sandbox; the real ``/dev``
nodes are never written to.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AREAS = ("query", "lookup", "render", "docs", "validate", "endpoint", "ontology")
DEFAULT_TIMEOUT = 15.0
HANG_TIMEOUT = 10.0
SLOW_TIMEOUT = 60.0
MEMORY_LIMIT_KB = 3_000_000
USER, PASSWORD = "campaign", "S3cr3t-pw-42"
SECRETS = ("hunter2", PASSWORD, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
STORES = ("oxigraph", "memory")
VIEWS = (
    "taxonomy",
    "eras",
    "hardware",
    "products",
    "scenarios",
    "benefits",
    "hypervisors",
    "hypervisor-type1",
    "hypervisor-type2",
    "concept",
)
DECOY_FILES = {"victim.svg": b"<svg>decoy</svg>\n", "victim.md": b"# decoy\n", "victim.rq": b"ASK {}\n"}
ESCAPE = re.compile(r"\x1b|[\x00-\x08\x0b-\x1f\x7f]")

# --- the input model --------------------------------------------------------------------------------------------


@dataclass
class Context:
    """Where one input runs: its sandbox, the decoy beside it, the trap listener and the input's own server."""

    sandbox: Path
    decoy: Path
    trap_url: str
    server_url: str = ""
    server: LoopbackServer | None = None
    guarded: list[tuple[Path, str]] = field(default_factory=list)
    originals: dict[str, bytes] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        """Replace the placeholders @SB@, @DECOY@, @TRAP@, @TRAPPORT@ and @SERVER@ in ``text``."""
        port = urllib.parse.urlsplit(self.trap_url).port
        for token, value in (
            ("@SB@", str(self.sandbox)),
            ("@DECOY@", str(self.decoy)),
            ("@TRAPPORT@", str(port)),
            ("@TRAP@", self.trap_url),
            ("@SERVER@", self.server_url),
        ):
            text = text.replace(token, value)
        return text


@dataclass
class Run:
    """What one subprocess did."""

    returncode: int | None
    stdout: bytes
    stderr: str
    seconds: float

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


Step = Callable[[Context], None]
Check = Callable[[Context, Run], str | None]


@dataclass
class Case:
    """One hostile input: the virtgraph arguments and what the sandbox holds before it runs."""

    area: str
    name: str
    args: list[str]
    setup: tuple[Step, ...] = ()
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)
    refuse: bool = False
    succeed: bool = False
    trap_named: bool = False
    server: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    close_stdout: bool = False
    fifo_reader: str | None = None
    checks: tuple[Check, ...] = ()


@dataclass
class Outcome:
    """The verdict on one case: handled well or the reasons it was not."""

    area: str
    name: str
    reasons: list[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.reasons


# --- sandbox set-up steps ---------------------------------------------------------------------------------------


def write(rel: str, data: bytes | str, fill: bool = True) -> Step:
    """Write a file (placeholders filled in text) at ``rel`` inside the sandbox."""

    def step(ctx: Context) -> None:
        path = ctx.sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = data.encode() if isinstance(data, str) else data
        if fill:
            payload = ctx.fill(payload.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        path.write_bytes(payload)

    return step


def copy(source: Path, rel: str) -> Step:
    """Copy a file of the repository into the sandbox."""

    def step(ctx: Context) -> None:
        (ctx.sandbox / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, ctx.sandbox / rel)

    return step


def mkdir(rel: str) -> Step:
    return lambda ctx: (ctx.sandbox / rel).mkdir(parents=True, exist_ok=True)


def fifo(rel: str) -> Step:
    """A FIFO at ``rel``, guarded: it must still be a FIFO afterwards."""

    def step(ctx: Context) -> None:
        path = ctx.sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        ctx.guarded.append((path, "fifo"))

    return step


def device(rel: str, minor: int) -> Step:
    """A character device node (1, minor) at ``rel``: 3 is a null device, 5 a zero device, 7 a full device."""

    def step(ctx: Context) -> None:
        path = ctx.sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        ctx.guarded.append((path, "chr"))

    return step


def symlink(rel: str, target: str) -> Step:
    """A symbolic link at ``rel`` to ``target`` (placeholders filled)."""

    def step(ctx: Context) -> None:
        path = ctx.sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(ctx.fill(target))

    return step


# --- loopback servers -------------------------------------------------------------------------------------------

Behaviour = Callable[[socket.socket, bytes, "LoopbackServer"], None]


class LoopbackServer:
    """A TCP server on 127.0.0.1 that answers each connection with ``behaviour`` and counts accepts.

    Without a behaviour it is a trap: it closes every connection at once. It stops itself when asked or after
    ``lifetime`` seconds, whichever comes first.
    """

    def __init__(self, behaviour: Behaviour | None = None, lifetime: float = 90.0, redirect: str = ""):
        self.behaviour = behaviour
        self.redirect = redirect
        self.accepts = 0
        self.requests: list[bytes] = []
        self.stopping = threading.Event()
        self.deadline = time.monotonic() + lifetime
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def alive(self) -> bool:
        return not self.stopping.is_set() and time.monotonic() < self.deadline

    def stop(self) -> None:
        self.stopping.set()

    def _serve(self) -> None:
        with self.sock:
            while self.alive():
                try:
                    conn, _ = self.sock.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                self.accepts += 1
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            if self.behaviour is None:
                return
            try:
                conn.settimeout(10)
                request = read_request(conn)
                self.requests.append(request)
                self.behaviour(conn, request, self)
            except OSError:
                pass


def read_request(conn: socket.socket, limit: int = 64 << 20) -> bytes:
    """Read one HTTP request: the head, then a Content-Length body (up to ``limit`` bytes)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 1 << 16:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    wanted = min(int(match.group(1)), limit) if match else 0
    while len(body) < wanted:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def response(
    status: str, body: bytes, headers: tuple[str, ...] = (), ctype: str = "application/sparql-results+json"
) -> bytes:
    """A complete HTTP/1.1 response with Content-Length."""
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join([*lines, *headers]) + "\r\n\r\n").encode() + body


EMPTY_RESULTS = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'


def hang(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    server.stopping.wait(30)


def drip(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 4000\r\n\r\n")
    body = EMPTY_RESULTS.ljust(4000)
    for byte in body[:120]:
        if not server.alive():
            return
        conn.sendall(bytes([byte]))
        time.sleep(0.5)


def reset(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 5000\r\n\r\n")
    conn.sendall(b'{"head":{"vars":["s"]},"results":{"bind')
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def huge(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    """A valid 200 MB SELECT answer, streamed lazily in 64 KB pieces."""
    row = b'{"s":{"type":"literal","value":"' + b"a" * 200 + b'"}},'
    piece = row * (65536 // len(row))
    head, tail = b'{"head":{"vars":["s"]},"results":{"bindings":[', b'{"s":{"type":"literal","value":"z"}}]}}'
    count = (200 << 20) // len(piece)
    total = len(head) + count * len(piece) + len(tail)
    conn.sendall(
        f"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {total}\r\n\r\n".encode()
    )
    conn.sendall(head)
    for _ in range(count):
        if not server.alive():
            return
        conn.sendall(piece)
    conn.sendall(tail)


def bad_chunking(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'zz\r\n{"head"\r\n0\r\n\r\n'
    )


def junk_status(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(b"HTTP/1.1 abc Bogus\r\nContent-Length: 2\r\n\r\n{}")


def not_http(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(b"SSH-2.0-OpenSSH_9.0\r\n\x00\xff\xfe garbage\r\n\r\n")


def many_headers(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(response("200 OK", EMPTY_RESULTS, tuple(f"X-Header-{i}: {i}" for i in range(200))))


def bad_json(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(response("200 OK", b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": '))


def undeclared(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    body = b'{"head":{"vars":["a"]},"boolean":"yes","results":{"bindings":[{"zzz":{"type":"literal","value":"x"}},{}]}}'
    conn.sendall(response("200 OK", body))


def wrong_types(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(response("200 OK", b'{"head":{"vars":"s"},"results":{"bindings":{"s":1}}}'))


def redirect(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    conn.sendall(response("302 Found", b"", (f"Location: {server.redirect}",), ctype="text/plain"))


def echo_auth(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    sent = b"\n".join(line for line in request.split(b"\r\n") if line.lower().startswith(b"authorization"))
    headers = ('WWW-Authenticate: Basic realm="campaign"',)
    conn.sendall(response("401 Unauthorized", b"you sent " + sent, headers, ctype="text/plain"))


def recorder(conn: socket.socket, request: bytes, server: LoopbackServer) -> None:
    """An endpoint that refuses Graph Store PUTs (so push falls back to Update) and answers the rest emptily."""
    if request.startswith(b"PUT"):
        conn.sendall(response("405 Method Not Allowed", b"", ctype="text/plain"))
    elif b"update=" in request or b"sparql-update" in request:
        conn.sendall(response("204 No Content", b"", ctype="text/plain"))
    else:
        conn.sendall(response("200 OK", EMPTY_RESULTS))


BEHAVIOURS: dict[str, Behaviour] = {
    "hang": hang,
    "drip": drip,
    "reset": reset,
    "huge": huge,
    "bad-chunking": bad_chunking,
    "junk-status": junk_status,
    "not-http": not_http,
    "200-headers": many_headers,
    "bad-json": bad_json,
    "undeclared-vars": undeclared,
    "wrong-json-types": wrong_types,
    "redirect": redirect,
    "401-echo": echo_auth,
    "recorder": recorder,
}


# --- output checks ----------------------------------------------------------------------------------------------


def well_formed_xml(ctx: Context, run: Run) -> str | None:
    """SVG/GraphML output (stdout) parses as XML."""
    if run.returncode != 0:
        return None
    try:
        ET.fromstring(run.stdout)
    except ET.ParseError as exc:
        return f"output is not well-formed XML: {exc}"
    return None


def no_terminal_escapes(ctx: Context, run: Run) -> str | None:
    """Text output carries no ESC or other C0 control characters (tab and newline excepted)."""
    found = ESCAPE.search(run.text) or ESCAPE.search(run.stderr)
    return f"raw control character {found.group()!r} printed" if found else None


def no_secrets(ctx: Context, run: Run) -> str | None:
    """No password (or its Basic encoding) appears in stdout or stderr."""
    output = run.text + run.stderr
    leaked = [secret for secret in SECRETS if secret in output]
    return f"credential leaked in output: {leaked[0]!r}" if leaked else None


def valid_json(ctx: Context, run: Run) -> str | None:
    if run.returncode != 0:
        return None
    try:
        json.loads(run.stdout)
    except ValueError as exc:
        return f"--format json output is not JSON: {exc}"
    return None


def one_tsv_row(ctx: Context, run: Run) -> str | None:
    """A one-row TSV answer is two lines with the same number of fields."""
    if run.returncode != 0:
        return None
    lines = run.text.rstrip("\n").split("\n")
    if len(lines) != 2 or len({line.count("\t") for line in lines}) != 1:
        return f"TSV of one row printed {len(lines)} lines"
    return None


def one_csv_row(ctx: Context, run: Run) -> str | None:
    if run.returncode != 0:
        return None
    rows = list(csv.reader(io.StringIO(run.text)))
    return None if len(rows) == 2 else f"CSV of one row parsed as {len(rows)} records"


def graphviz_escapes_kept(ctx: Context, run: Run) -> str | None:
    """Labels holding ``\\N``, ``\\G``, ``\\L`` keep them literally in the SVG (Graphviz must not expand them)."""
    if run.returncode != 0:
        return None
    for letter, escape in (("Ж", "\\N"), ("Щ", "\\G"), ("Ю", "\\L")):
        for inner in re.findall(f"{letter}(.*?){letter}", run.text):
            if inner != escape:
                return f"Graphviz escape {escape} expanded to {inner[:30]!r}"
    return None


def mermaid_sane(ctx: Context, run: Run) -> str | None:
    """The Mermaid title is valid YAML front matter and every line's double quotes balance."""
    if run.returncode != 0:
        return None
    for line in run.text.splitlines():
        if line.startswith("title:"):
            value = line[len("title:") :].strip()
            if value and value[0] not in "\"'" and (": " in value or " #" in value or value[0] in "&*!|>%@`[{"):
                return f"Mermaid title breaks the YAML front matter: {line[:60]!r}"
        elif line.count('"') % 2:
            return f"Mermaid line with unbalanced quotes: {line[:60]!r}"
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", run.text):
        return "Mermaid output holds control characters"
    return None


def node_ids(fmt: str, text: str) -> set[str]:
    """The distinct node ids of a rendered graph in ``fmt``."""
    if fmt == "json":
        return {str(node["id"]) for node in json.loads(text)["nodes"]}
    if fmt == "graphml":
        return {el.get("id", "") for el in ET.fromstring(text).iter() if el.tag.endswith("}node") or el.tag == "node"}
    if fmt == "svg":
        return set(re.findall(r'<g id="([^"]*)" class="node"', text))
    if fmt == "mermaid":
        return {m for m in re.findall(r"^\s+([^\s\[\(\{>|-][^\s\[\(\{]*)[\[\(\{]", text, re.M)}
    pattern = r'^\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*\['
    return {m for m in re.findall(pattern, text, re.M) if m not in ("graph", "node", "edge")}


def distinct_nodes(fmt: str, wanted: int) -> Check:
    """At least ``wanted`` distinct nodes: distinct concepts must not merge into one node id."""

    def check(ctx: Context, run: Run) -> str | None:
        if run.returncode != 0:
            return None
        try:
            found = len(node_ids(fmt, run.text))
        except (ValueError, ET.ParseError, KeyError) as exc:
            return f"{fmt} output unreadable: {exc}"
        return None if found >= wanted else f"distinct concepts merged: {found} node ids for {wanted} concepts"

    return check


def unchanged(rel: str) -> Check:
    """The file at ``rel`` (a document fix must not touch) is byte-for-byte as it was written."""

    def check(ctx: Context, run: Run) -> str | None:
        path = ctx.sandbox / rel
        before = ctx.originals.get(rel)
        if before is not None and path.read_bytes() != before:
            return f"{rel} changed where it should not"
        return None

    return check


def still_symlink(rel: str) -> Check:
    def check(ctx: Context, run: Run) -> str | None:
        return None if (ctx.sandbox / rel).is_symlink() else f"symlinked {rel} replaced by a regular file"

    return check


def no_new_files(rel: str) -> Check:
    def check(ctx: Context, run: Run) -> str | None:
        folder = ctx.sandbox / rel
        found = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return f"created {rel}/{found[0]}" if found else None

    return check


def fixed_link(rel: str, old: str) -> Check:
    """After a successful fix the broken link ``old`` is gone from the document."""

    def check(ctx: Context, run: Run) -> str | None:
        if run.returncode != 0:
            return None
        return f"link {old!r} not matched by fix" if old in (ctx.sandbox / rel).read_text("utf-8", "replace") else None

    return check


def fixed_as(rel: str, expected: str | bytes) -> Check:
    """After a successful fix the document at ``rel`` is exactly ``expected`` (placeholders filled)."""

    def check(ctx: Context, run: Run) -> str | None:
        if run.returncode != 0:
            return None
        want = ctx.fill(expected).encode() if isinstance(expected, str) else expected
        if (ctx.sandbox / rel).read_bytes() != want:
            return f"{rel} is not as fixed: {(ctx.sandbox / rel).read_bytes()[:200]!r}"
        return None

    return check


def line_endings_kept(rel: str) -> Check:
    def check(ctx: Context, run: Run) -> str | None:
        data = (ctx.sandbox / rel).read_bytes()
        if data.count(b"\n") != data.count(b"\r\n"):
            return f"fix mixed LF into the CRLF document {rel}"
        return None

    return check


def bom_kept(rel: str) -> Check:
    def check(ctx: Context, run: Run) -> str | None:
        return None if (ctx.sandbox / rel).read_bytes().startswith(b"\xef\xbb\xbf") else f"fix dropped the BOM of {rel}"

    return check


def no_injection(ctx: Context, run: Run) -> str | None:
    """The recording server saw no injected Update beyond the graph IRI."""
    for request in ctx.server.requests if ctx.server else []:
        text = urllib.parse.unquote_plus(request.decode("utf-8", "replace")).upper()
        if "DROP ALL" in text or "CLEAR ALL" in text:
            return "--graph text injected into SPARQL Update (DROP ALL reached the server)"
    return None


# --- running and judging ----------------------------------------------------------------------------------------


def clean_env(sandbox: Path, extra: dict[str, str]) -> dict[str, str]:
    """The child's environment: no proxies, no VIRTGRAPH_* settings, HOME in the sandbox."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    keep.setdefault("LANG", "C.UTF-8")
    env = {**keep, "HOME": str(sandbox), "TMPDIR": str(sandbox), "PYTHONDONTWRITEBYTECODE": "1"}
    env["NO_PROXY"] = env["no_proxy"] = "*"
    return {**env, **extra}


def snapshot(folder: Path, skip: Path) -> dict[str, tuple]:
    """Kind, size, mtime and content hash of everything under ``folder`` except ``skip``."""
    found: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if Path(dirpath, d) != skip]
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            digest = ""
            if stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return found


def outside_changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    changed = [p for p in after if before.get(p) != after[p] and not (before.get(p) and stat.S_ISDIR(after[p][0]))]
    removed = [p for p in before if p not in after]
    return [f"wrote outside the sandbox: {p}" for p in sorted(changed)] + [
        f"removed outside the sandbox: {p}" for p in sorted(removed)
    ]


def make_decoy(decoy: Path) -> None:
    (decoy / ".git" / "hooks").mkdir(parents=True)
    for name, data in DECOY_FILES.items():
        (decoy / name).write_bytes(data)


def drain_fifo(path: Path, stop: threading.Event) -> None:
    """Read a FIFO until the writer closes it (the reader side of 'a FIFO with a reader')."""
    try:
        with open(path, "rb") as handle:
            while handle.read(65536) and not stop.is_set():
                pass
    except OSError:
        pass


def release_fifo(path: Path) -> None:
    """Unblock a reader still waiting in open() by opening the FIFO for writing once."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def command(case: Case, ctx: Context) -> list[str]:
    """The child command: a memory limit, optionally a closed stdout, then ``python -m virtgraph ARGS``."""
    shell = f'ulimit -v {MEMORY_LIMIT_KB}; exec "$@"' + (" >&-" if case.close_stdout else "")
    return ["/bin/sh", "-c", shell, "sh", sys.executable, "-m", "virtgraph", *(ctx.fill(a) for a in case.args)]


def execute(case: Case, ctx: Context, io_dir: Path) -> Run:
    """Run the case's command with its timeout; a timeout kills the child's process group."""
    out_path, err_path = io_dir / "stdout", io_dir / "stderr"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            command(case, ctx),
            cwd=ctx.sandbox,
            env=clean_env(ctx.sandbox, {k: ctx.fill(v) for k, v in case.env.items()}),
            stdin=subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        returncode: int | None
        try:
            process.communicate(case.stdin, timeout=case.timeout)
            returncode = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            returncode = None
    with out_path.open("rb") as handle:
        stdout = handle.read(4 << 20)
    stderr = err_path.read_bytes()[: 1 << 20].decode("utf-8", "replace")
    return Run(returncode, stdout, stderr, time.monotonic() - started)


def exception_line(lines: list[str]) -> str:
    """The line of a traceback that names the exception (the last one, ignoring notes)."""
    named = [line for line in lines if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line)]
    return (named or lines)[-1]


def stderr_verdict(run: Run) -> list[str]:
    """Reasons from the exit code and stderr alone.

    >>> stderr_verdict(Run(2, b"", "Error: no such view\\n", 0.1))
    []
    >>> for reason in stderr_verdict(Run(1, b"", "Traceback (most recent call last):\\nKeyError: 'x'\\n", 0.1)):
    ...     print(reason)
    traceback: KeyError: 'x'
    exit 1 without one Error: line (2 lines, first 'Traceback (most recent call last):')
    """
    if run.returncode is None:
        return [f"hang: no exit within {run.seconds:.0f} s"]
    reasons = []
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    if "Traceback" in run.stderr:
        reasons.append(f"traceback: {exception_line(lines)[:160]}")
    if run.returncode not in (0, 1, 2):
        reasons.append(f"exit code {run.returncode}")
    elif run.returncode != 0:
        errors = [line for line in lines if not line.startswith("warning:")]
        if len(errors) != 1 or not errors[0].startswith("Error:"):
            first = errors[0][:100] if errors else ""
            reasons.append(f"exit {run.returncode} without one Error: line ({len(errors)} lines, first {first!r})")
    return reasons


def judge(case: Case, ctx: Context, run: Run, trap: LoopbackServer, outside: list[str]) -> list[str]:
    """Every reason the input was not handled well (empty when it was)."""
    reasons = stderr_verdict(run) + outside
    if trap.accepts and not case.trap_named:
        reasons.append(f"network: {trap.accepts} connection(s) reached the trap listener")
    for path, kind in ctx.guarded:
        mode = path.lstat().st_mode if path.exists() or path.is_symlink() else 0
        if not (stat.S_ISCHR(mode) if kind == "chr" else stat.S_ISFIFO(mode)):
            reasons.append(f"{kind} node {path.name} replaced or removed")
    if run.returncode is not None:
        if case.refuse and run.returncode == 0:
            reasons.append("not refused: exit 0")
        if case.succeed and run.returncode != 0:
            reasons.append(f"failed on valid input: {(run.stderr.strip().splitlines() or [''])[-1][:120]}")
        for check in case.checks:
            problem = check(ctx, run)
            if problem:
                reasons.append(problem)
    return reasons


def run_case(case: Case, root: Path, index: int) -> Outcome:
    """Build the sandbox, run the input, judge it and remove the sandbox."""
    case_dir = root / f"{index:05d}"
    sandbox, decoy, io_dir = case_dir / "sandbox", case_dir / "decoy", root / "io" / f"{index:05d}"
    sandbox.mkdir(parents=True)
    io_dir.mkdir(parents=True)
    make_decoy(decoy)
    trap = LoopbackServer(None)
    server = LoopbackServer(BEHAVIOURS[case.server], redirect=trap.url) if case.server else None
    ctx = Context(sandbox, decoy, trap.url, server.url if server else "", server)
    stop_reader = threading.Event()
    try:
        for step in case.setup:
            step(ctx)
        ctx.originals = {str(p.relative_to(sandbox)): p.read_bytes() for p in sandbox.rglob("*.md") if p.is_file()}
        if case.fifo_reader:
            reader = threading.Thread(target=drain_fifo, args=(sandbox / case.fifo_reader, stop_reader), daemon=True)
            reader.start()
        before = snapshot(case_dir, sandbox)
        run = execute(case, ctx, io_dir)
        outside = outside_changes(before, snapshot(case_dir, sandbox))
        reasons = judge(case, ctx, run, trap, outside)
        return Outcome(case.area, case.name, reasons, run.seconds)
    finally:
        stop_reader.set()
        if case.fifo_reader:
            release_fifo(sandbox / case.fifo_reader)
        trap.stop()
        if server:
            server.stop()
        shutil.rmtree(case_dir, ignore_errors=True)
        shutil.rmtree(io_dir, ignore_errors=True)


# --- the inputs: query ------------------------------------------------------------------------------------------

SELECT_ONE = "SELECT ?s WHERE { ?s a vg:HypervisorProduct } LIMIT 1"
UPDATES = (
    'INSERT DATA { <urn:a> <urn:b> "c" }',
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "DROP SILENT GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "LOAD <@TRAP@>",
    "LOAD SILENT <@TRAP@> INTO GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "drop all",
    "# a comment\nDROP ALL",
    "PREFIX x: <urn:x> DROP ALL",
    "\\u0044ROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    'INSERT DATA { <urn:a> <urn:b> "x\\u0022 }" }',
)
SERVICES = (
    "SELECT * WHERE { SERVICE <@TRAP@> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <@TRAP@> { ?s ?p ?o } }",
    "select * where { service <@TRAP@> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <@TRAP@> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("x\\u0022 #" AS ?q) SERVICE <@TRAP@> { ?s ?p ?o } }',
    "SELECT * WHERE { BIND('x\\u0027 #' AS ?q) SERVICE <@TRAP@> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("\\u0022" AS ?q) SERVICE <@TRAP@> { ?s ?p ?o } }',
    "SELECT * WHERE { BIND(<urn:\\u003e> AS ?q) SERVICE <@TRAP@> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <@TRAP@> { ?s ?p ?x } } } LIMIT 1",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <@TRAP@> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <@TRAP@> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <@TRAP@> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <@TRAP@> { ?s ?p ?o } } } }",
    "ASK { SERVICE <@TRAP@> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <@TRAP@> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <@TRAP@> { ?s ?p ?o } }",
    "PREFIX t: <@TRAP@> SELECT * WHERE { SERVICE t: { ?s ?p ?o } }",
    "BASE <@TRAP@> SELECT * WHERE { SERVICE <> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1\\u003a@TRAPPORT@/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <@TRAP@> { ?s ?p ?o } }",
    "SELECT * WHERE { # }\nSERVICE <@TRAP@> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("""x\\u0022\\u0022\\u0022 #""" AS ?q) SERVICE <@TRAP@> { ?s ?p ?o } }',
    "SELECT * FROM <@TRAP@> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <@TRAP@> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM <@TRAP@> { }",
)
BROKEN_QUERIES = (
    "",
    "   ",
    "\n\t\n",
    "# only a comment",
    "#",
    "\ufeff" + SELECT_ONE,
    "SELECT",
    "SELECT * WHERE {",
    "}}}}",
    "SELECT * WHERE { ?s nope:x ?o }",
    'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "(")) }',
    'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "[z-a]")) }',
    'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "x", "zq")) }',
    'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(langMatches(lang(?l), "@@")) }',
    'SELECT * WHERE { BIND("x"@-bad AS ?x) }',
    'SELECT * WHERE { BIND("x"@abcdefghijklmnopq AS ?x) }',
    'SELECT * WHERE { BIND(STRLANG("x", "not a tag!") AS ?x) }',
    "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999999",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999999 LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
    "SELECT (1/0 AS ?x) WHERE {}",
    'SELECT (xsd:integer("abc") AS ?x) WHERE {}',
    "SELECT * WHERE { BIND(<not an iri> AS ?x) }",
    'SELECT ?x WHERE { BIND(IRI("\\u0000") AS ?x) }',
    "SELECT ?x ?x WHERE { ?x ?p ?o } LIMIT 1",
    "SELECT * WHERE { " + "{ " * 1000 + "?s ?p ?o " + "} " * 1000 + "} LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 3000 + "true" + ")" * 3000 + ") } LIMIT 1",
    "ASK { " + " UNION ".join(f"{{ ?s{i} a vg:NoClass{i} }}" for i in range(2000)) + " }",
    "SELECT * WHERE { " + " . ".join(f"?s a vg:NoClass{i}" for i in range(2000)) + " }",
    SELECT_ONE + " # " + "x" * 300,
    SELECT_ONE + " # " + "虚" * 2000,
    "SELECT ?s WHERE { ?s ?p " + '"' + "a" * 5000 + '" }',
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 " + "\n" * 300,
    "SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(20000)) + " } } LIMIT 1",
)
SLOW_QUERIES = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    'SELECT ?x WHERE { BIND(CONCAT("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "!") AS ?x) FILTER(REGEX(?x, "^(a+)+$")) }',
    'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(STR(?c), "(x+x+)+y")) }',
)
HOSTILE_OUTPUT = 'SELECT ?x ?y WHERE { BIND("a\\tb\\nc\\r\\u001b[31md,\\"e" AS ?x) BIND("\\u202e\\u0007" AS ?y) }'


def query_cases() -> Iterator[Case]:
    """SPARQL text, stdin and file variants on both stores."""
    for store in STORES:
        base = ["--store", store]
        for text in UPDATES if store == "oxigraph" else UPDATES[:3]:
            yield Case("query", f"{store}: update {text[:50]!r}", [*base, "query", text], refuse=True)
        for text in SERVICES:
            yield Case("query", f"{store}: network {text[:60]!r}", [*base, "query", text], refuse=True)
        yield Case(
            "query",
            f"{store}: SERVICE with --allow-network",
            [*base, "query", "--allow-network", SERVICES[0]],
            trap_named=True,
        )
        for text in BROKEN_QUERIES:
            # a query that is slow but legitimate may take up to the default deadline (30 s), not longer
            label = f"{store}: text {text[:50]!r} ({len(text.encode())} bytes)"
            yield Case("query", label, [*base, "query", text], timeout=40)
        for text in SLOW_QUERIES:
            yield Case(
                "query",
                f"{store}: slow {text[:50]!r} --timeout 2",
                [*base, "--timeout", "2", "query", text],
                timeout=20,
            )
        yield from query_input_channels(store)
        yield from query_options(store)


def query_input_channels(store: str) -> Iterator[Case]:
    """Bytes through stdin and .rq files: non-UTF-8, BOM, UTF-16, empty, FIFO, device, directory."""
    base = ["--store", store, "query"]
    payloads = {
        "latin-1": 'SELECT ?s WHERE { ?s rdfs:label "caf\xe9" }'.encode("latin-1"),
        "invalid UTF-8": b'SELECT ?s WHERE { ?s ?p "\xff\xfe\x80" } LIMIT 1',
        "BOM": b"\xef\xbb\xbf" + SELECT_ONE.encode(),
        "UTF-16": SELECT_ONE.encode("utf-16"),
        "empty": b"",
        "NUL": b"SELECT ?s WHERE { ?s ?p ?o }\x00 LIMIT 1",
        "update": b"DROP ALL",
        "escaped SERVICE": SERVICES[4].encode(),
    }
    for label, data in payloads.items():
        refuse = label in ("update", "escaped SERVICE")
        yield Case("query", f"{store}: stdin {label}", [*base, "-"], stdin=data, refuse=refuse)
        yield Case(
            "query", f"{store}: file {label}", [*base, "q.rq"], setup=(write("q.rq", data, fill=refuse),), refuse=refuse
        )
    for label, step in (
        ("FIFO q.rq without writer", fifo("q.rq")),
        ("directory q.rq", mkdir("q.rq")),
        ("zero device q.rq", device("q.rq", 5)),
        ("dangling symlink q.rq", symlink("q.rq", "@SB@/missing.rq")),
    ):
        yield Case("query", f"{store}: {label}", [*base, "q.rq"], setup=(step,), timeout=HANG_TIMEOUT)
    yield Case("query", f"{store}: 300-char name .rq", [*base, "q" * 300 + ".rq"])
    yield Case("query", f"{store}: shipped name ../../decoy/victim", [*base, "../../decoy/victim"])


def query_options(store: str) -> Iterator[Case]:
    """Bad --format and --lang values, and hostile result text in every format."""
    base = ["--store", store]
    for fmt in ("xml", "", "JSON", "table\n", "-"):
        yield Case("query", f"{store}: --format {fmt!r}", [*base, "query", SELECT_ONE, "--format", fmt])
    for lang in ("fr", "", "zh-Hans", "zh\n", "en;DROP", "\x1b[31m"):
        yield Case("query", f"{store}: --lang {lang!r}", [*base, "query", SELECT_ONE, "--lang", lang])
        yield Case(
            "query", f"{store}: VIRTGRAPH_LANG={lang!r}", [*base, "query", SELECT_ONE], env={"VIRTGRAPH_LANG": lang}
        )
    checks: dict[str, tuple[Check, ...]] = {
        "table": (no_terminal_escapes,),
        "json": (valid_json,),
        "csv": (one_csv_row,),
        "tsv": (one_tsv_row,),
    }
    for fmt, fmt_checks in checks.items():
        yield Case(
            "query",
            f"{store}: tab/newline/ESC/RTL in results --format {fmt}",
            [*base, "query", HOSTILE_OUTPUT, "--format", fmt],
            succeed=True,
            checks=fmt_checks,
        )


# --- the inputs: lookup -----------------------------------------------------------------------------------------

TERMS = (
    "",
    " ",
    "\t",
    "\n",
    "\r",
    "\x1b[31mkvm",
    "\x1b]0;pwned\x07",
    "kvm\x1b[2J",
    "\u202ekvm",
    "\u200bkvm",
    "k\u0301vm",
    "ｋｖｍ",
    "ＫＶＭ　",
    "Type\u00a01",
    "\u2028",
    "\u0085",
    "\x7f",
    "x" * 100_000,
    "准" * 30_000,
    "🙂" * 1000,
    "' } ; DROP ALL ; #",
    '" . } SERVICE <@TRAP@> { ?s ?p ?o } #',
    "\\u0022 } SERVICE <@TRAP@> { ?s ?p ?o } #",
    "?s",
    "*",
    ".*",
    "(",
    "\\",
    "%s%n%x",
    "{0}",
    "vgc:",
    "vgc:kvm",
    "vgc:../../etc/passwd",
    "<https://w3id.org/virtgraph/concept/kvm>",
    "https://w3id.org/virtgraph/concept/kvm",
    "@TRAP@",
    "file:///etc/passwd",
    "-",
    "--help",
    "kvm\n--format json",
)


def lookup_cases() -> Iterator[Case]:
    """Hostile terms in text and JSON (oxigraph), and in text on the memory store."""
    for term in TERMS:
        shown = f"{term[:30]!r}" + (f" ({len(term)} chars)" if len(term) > 30 else "")
        for store, fmt in (("oxigraph", "text"), ("oxigraph", "json"), ("memory", "text")):
            checks: tuple[Check, ...] = (valid_json,) if fmt == "json" else (no_terminal_escapes,)
            args = ["--store", store, "lookup", "--format", fmt, "--", term]
            yield Case("lookup", f"{store} {fmt}: term {shown}", args, checks=checks)


# --- the inputs: render -----------------------------------------------------------------------------------------

OUTPUT_TARGETS: tuple[tuple[str, str, tuple[Step, ...], dict], ...] = (
    ("null device node", "null", (device("null", 3),), {}),
    ("full device node", "full", (device("full", 7),), {"refuse": True}),
    ("FIFO without reader", "pipe", (fifo("pipe"),), {"timeout": HANG_TIMEOUT}),
    ("FIFO with reader", "pipe", (fifo("pipe"),), {"fifo_reader": "pipe", "timeout": HANG_TIMEOUT}),
    ("directory", "adir", (mkdir("adir"),), {}),
    ("empty name", "", (), {}),
    ("300-char name", "n" * 300 + ".svg", (), {}),
    ("path under a file (ENOTDIR)", "file.txt/x.svg", (write("file.txt", "x"),), {}),
    ("symlink out to the decoy", "link.svg", (symlink("link.svg", "@DECOY@/victim.svg"),), {}),
    ("trailing slash", "newdir/", (), {}),
    ("stdout closed", "-", (), {"close_stdout": True}),
)


def render_args(view: str) -> list[str]:
    return ["render", "--view", view] + (["--concept", "kvm"] if view == "concept" else [])


def render_cases() -> Iterator[Case]:
    """Every view × hostile -o targets, formats × targets, hostile options, hostile-label ontologies."""
    for view in VIEWS:
        targets = OUTPUT_TARGETS if view in VIEWS[:5] else (OUTPUT_TARGETS[0], OUTPUT_TARGETS[4], OUTPUT_TARGETS[8])
        for label, target, steps, extra in targets:
            yield Case("render", f"{view} svg -o {label}", [*render_args(view), "-o", target], setup=steps, **extra)
    for fmt in ("dot", "json", "graphml", "mermaid", "png", "pdf"):
        for label, target, steps, extra in OUTPUT_TARGETS:
            args = [*render_args("taxonomy"), "--format", fmt, "-o", target]
            yield Case("render", f"taxonomy {fmt} -o {label}", args, setup=steps, **extra)
    yield from render_option_cases()
    yield from hostile_label_cases()


def render_option_cases() -> Iterator[Case]:
    """Hostile --view, --concept, --depth, --max-nodes and --output-dir values."""
    for view in ("", "../../decoy/victim", "taxonomy\n", "TAXONOMY", "nope", "concept", "-", "\x1b[31m"):
        yield Case("render", f"--view {view!r}", ["render", "--view", view, "-o", "x.svg"])
    for term in (*TERMS[:24:2], "vgc:kvm", "", "@TRAP@"):
        yield Case(
            "render",
            f"concept --concept {term[:30]!r}",
            ["render", "--view", "concept", "--concept", term, "--format", "dot", "-o", "-"],
        )
    for value in ("0", "-1", "6", "99999999999999999999", "abc", "", "1.5", "nan"):
        yield Case("render", f"--depth {value!r}", [*render_args("concept"), "--depth", value, "-o", "x.svg"])
    for value in ("0", "4", "10001", "-5", "abc", "1e9", "", "99999999999999999999"):
        yield Case("render", f"--max-nodes {value!r}", [*render_args("taxonomy"), "--max-nodes", value, "-o", "x.svg"])
    dirs: tuple[tuple[str, str, tuple[Step, ...]], ...] = (
        ("empty", "", ()),
        ("null device", "null", (device("null", 3),)),
        ("a file", "file.txt", (write("file.txt", "x"),)),
        ("under a file", "file.txt/sub", (write("file.txt", "x"),)),
        ("symlink out", "out", (symlink("out", "@DECOY@"),)),
        ("FIFO", "pipe", (fifo("pipe"),)),
        ("300-char name", "d" * 300, ()),
    )
    for label, value, steps in dirs:
        for mode in (["--all"], ["--check"], ["--view", "taxonomy"]):
            yield Case(
                "render",
                f"{' '.join(mode)} --output-dir {label}",
                ["render", *mode, "--output-dir", value],
                setup=steps,
                timeout=SLOW_TIMEOUT if mode == ["--all"] else HANG_TIMEOUT,
            )
    yield Case(
        "render",
        "--check beside a stale .tmp",
        ["render", "--check", "--output-dir", "out"],
        setup=(write("out/.taxonomy.zh.svg.abc.tmp", "<svg"),),
        refuse=True,
    )
    yield Case("render", "--all --check together", ["render", "--all", "--check", "--output-dir", "out"])
    yield Case("render", "no --view", ["render", "-o", "x.svg"])


def turtle_string(text: str) -> str:
    """``text`` as a Turtle string literal, control characters as \\u escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def label_ontology(label: str) -> str:
    """A tiny ontology: vgc:center labelled ``label`` (both languages, title and definition), linked to two more."""
    lit = turtle_string(label)
    return f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vg: <https://w3id.org/virtgraph/schema#> .
@prefix vgc: <https://w3id.org/virtgraph/concept/> .
vgc:center a vg:Mechanism ; skos:prefLabel {lit}@zh, {lit}@en ; skos:definition {lit}@zh, {lit}@en ;
    skos:related vgc:n1, vgc:n2 .
vgc:n1 a vg:Mechanism ; skos:prefLabel {turtle_string("N1 " + label)}@zh, {turtle_string("N1 " + label)}@en .
vgc:n2 a vg:Mechanism ; skos:prefLabel "plain two"@zh, "plain two"@en .
"""


COLLIDING = ("虚拟化", "容器", "内核", "a-b", "a_b", "a.b")


def colliding_ontology() -> str:
    """Concepts whose local names a lossy slug merges: Chinese names, and a-b / a_b / a.b."""
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix vg: <https://w3id.org/virtgraph/schema#> .",
        "@prefix vgc: <https://w3id.org/virtgraph/concept/> .",
        'vgc:center a vg:Mechanism ; skos:prefLabel "Center"@zh, "Center"@en ;',
        "    skos:related " + ", ".join(f"<https://w3id.org/virtgraph/concept/{n}>" for n in COLLIDING) + " .",
    ]
    for i, name in enumerate(COLLIDING):
        lines.append(
            f'<https://w3id.org/virtgraph/concept/{name}> a vg:Mechanism ; skos:prefLabel "Mark{i}"@zh, "Mark{i}"@en .'
        )
    return "\n".join(lines) + "\n"


HOSTILE_LABELS = (
    ("control characters", "ctl\x01\x08\x0b\x0c\x1f\x7fend"),
    ("ESC sequence", "esc\x1b[31mred\x1b[0m"),
    ("Graphviz escapes", "Ж\\NЖ Щ\\GЩ Ю\\LЮ \\E \\T \\H \\l \\r"),
    ("quotes", "say \"hi\" 'there' `x`"),
    ("markup", "<b>&amp; <script>alert(1)</script> ]]> <!-- x"),
    ("colons", "Title: with: colons # hash"),
    ("arrows", "a --> b -.-> c ==> d |x| ;"),
    ("mermaid syntax", '["x"] (y) {z} end click n1 call f() %%{init: {}}%%'),
    ("newlines", "line one\nline two\r\nthree"),
    ("very long", "long " * 2000),
    ("RTL and zero-width", "\u202eevil\u202c\u200b\ufeff"),
    ("braces and pipes", "{a|b} <port> \\{ \\| record"),
    ("YAML", "---\ntitle: x\n---"),
    ("Chinese", "虚拟化：类型一（KVM）——“引号”"),
)
LABEL_FORMATS: dict[str, tuple[Check, ...]] = {
    "svg": (well_formed_xml, graphviz_escapes_kept),
    "dot": (),
    "graphml": (well_formed_xml,),
    "mermaid": (mermaid_sane,),
    "json": (valid_json,),
}


def ontology_folder(text: str) -> tuple[Step, ...]:
    return (copy(REPO / "ontology" / "schema.ttl", "onto/schema.ttl"), write("onto/hostile.ttl", text, fill=False))


def hostile_label_cases() -> Iterator[Case]:
    """Hostile labels are data: every format renders them, validly."""
    concept = ["--ontology", "onto", "render", "--view", "concept", "--concept", "vgc:center", "-o", "-"]
    for label_name, label in HOSTILE_LABELS:
        for fmt, checks in LABEL_FORMATS.items():
            yield Case(
                "render",
                f"ontology label {label_name} --format {fmt}",
                [*concept, "--format", fmt],
                setup=ontology_folder(label_ontology(label)),
                succeed=True,
                checks=checks,
            )
    for fmt, checks in LABEL_FORMATS.items():
        yield Case(
            "render",
            f"colliding local names --format {fmt}",
            [*concept, "--format", fmt],
            setup=ontology_folder(colliding_ontology()),
            succeed=True,
            checks=(*checks, distinct_nodes(fmt, len(COLLIDING) + 1)),
        )
    yield Case(
        "render",
        "ontology label NUL --format graphml",
        [*concept, "--format", "graphml"],
        setup=ontology_folder(label_ontology("nul\x00end")),
        checks=(well_formed_xml,),
    )


# --- the inputs: docs -------------------------------------------------------------------------------------------

BROKEN = "![x](images/container_evolution.svg)"
VIEW_MARKER = "<!-- virtgraph:view {view} lang=en{options} -->\n<!-- /virtgraph -->\n"


def doc(body: str) -> str:
    return f"# Title\n\nSome text.\n\n{body}\n\nMore text.\n"


def marker(options: str, view: str = "taxonomy") -> str:
    return VIEW_MARKER.format(view=view, options=options)


@dataclass(frozen=True)
class DocInput:
    """A document tree for `docs`: its files, and how `docs fix` must treat it."""

    name: str
    steps: tuple[Step, ...]
    target: str = "docs/x.md"
    refuse_fix: bool = False
    fix_checks: tuple[Check, ...] = ()


def doc_tree(body: str | bytes, toml: str | None = None, name: str = "docs/x.md") -> tuple[Step, ...]:
    """A sandbox with a .git folder, an optional virtgraph.toml at its top, and one document."""
    steps: list[Step] = [mkdir(".git/hooks"), write(name, doc(body) if isinstance(body, str) else body)]
    if toml is not None:
        steps.append(write("virtgraph.toml", toml))
    return tuple(steps)


def escaping_inputs() -> Iterator[DocInput]:
    """Paths that lead out of the document's tree: every one must be refused by `docs fix`."""
    for label, src in (
        ("absolute src", "@DECOY@/victim.svg"),
        ("../.. src", "../../decoy/victim.svg"),
        ("../../.. src", "../../../escaped.svg"),
        ("src into .git/hooks", "../.git/hooks/pre-commit"),
        ("src through symlinked dir", "linked/x.svg"),
    ):
        steps = (*doc_tree(marker(f" src={src}")), symlink("docs/linked", "@DECOY@"))
        yield DocInput(f"marker {label}", steps, refuse_fix=True, fix_checks=(no_new_files(".git/hooks"),))
    for label, value in (
        ("images_dir ../decoy", "../decoy"),
        ("images_dir absolute decoy", "@DECOY@"),
        ("images_dir .git/hooks", ".git/hooks"),
        ("images_dir /", "/"),
        ("images_dir symlinked out", "linked"),
    ):
        steps = (*doc_tree(BROKEN, f'[docs]\nimages_dir = "{value}"\n'), symlink("linked", "@DECOY@"))
        yield DocInput(label, steps, refuse_fix=True, fix_checks=(no_new_files(".git/hooks"),))
    yield DocInput("symlinked document out of the tree", (mkdir(".git"), symlink("docs/x.md", "@DECOY@/victim.md")))


def content_inputs() -> Iterator[DocInput]:
    """Markdown a fix must read carefully, and bytes it must survive."""
    keep = (unchanged("docs/x.md"),)
    for label, body in (
        ("image in an HTML comment", f"<!-- {BROKEN} -->"),
        ("image in a multi-line HTML comment", f"<!--\n{BROKEN}\n-->"),
        ("image in a fence in a blockquote", f"> ```\n> {BROKEN}\n> ```"),
        ("image in a ~~~ fence", f"~~~\n{BROKEN}\n~~~"),
        ("image in inline code", f"`{BROKEN}`"),
        ("image in a 4-backtick fence holding ```", f"````\n```\n{BROKEN}\n```\n````"),
        ("image in an indented code sample", f"    $ ls\n    {BROKEN}"),
        ("image in a fence never closed", f"```\n{BROKEN}"),
        ("image in an HTML block", f"<div>\n{BROKEN}\n</div>"),
    ):
        yield DocInput(label, doc_tree(body), fix_checks=keep)
    # an image that is code only because it is indented (issue 11): fix removes the indentation and redraws it
    shown = BROKEN.replace("images/container_evolution.svg", "images/eras.en.svg")
    for label, indent in (("4-space", "    "), ("6-space", "      "), ("tab", "\t")):
        yield DocInput(
            f"image in a {label} indented code block",
            doc_tree(f"{indent}{BROKEN}"),
            fix_checks=(fixed_as("docs/x.md", doc(shown)),),
        )
    yield DocInput(
        "image indented in a list item",
        doc_tree(f"- item\n\n        {BROKEN}"),
        fix_checks=(fixed_as("docs/x.md", doc(f"- item\n\n  {shown}")),),
    )
    yield DocInput(
        "image indented, CRLF document",
        doc_tree(doc(f"      {BROKEN}").replace("\n", "\r\n").encode()),
        fix_checks=(fixed_as("docs/x.md", doc(shown).replace("\n", "\r\n").encode()),),
    )
    for label, link in (
        ("?raw=true", "images/container_evolution.svg?raw=true"),
        ("#fragment", "images/container_evolution.svg#frag"),
    ):
        yield DocInput(f"link with {label}", doc_tree(f"![x]({link})"), fix_checks=(fixed_link("docs/x.md", link),))
    crlf = doc(BROKEN + "\n" + marker("")).replace("\n", "\r\n").encode()
    yield DocInput("CRLF document", doc_tree(crlf), fix_checks=(line_endings_kept("docs/x.md"),))
    yield DocInput(
        "BOM document", doc_tree(b"\xef\xbb\xbf" + doc(BROKEN).encode()), fix_checks=(bom_kept("docs/x.md"),)
    )
    yield DocInput("NUL in document", doc_tree(doc(BROKEN + "\x00").encode()))
    yield DocInput("latin-1 document", doc_tree(doc(BROKEN + " café").encode("latin-1")))
    yield DocInput("UTF-16 document", doc_tree(doc(BROKEN).encode("utf-16")))
    yield DocInput(
        "symlinked document inside the tree",
        (mkdir(".git"), write("real/r.md", doc(BROKEN)), symlink("docs/x.md", "@SB@/real/r.md")),
        fix_checks=(still_symlink("docs/x.md"),),
    )
    yield DocInput("conflict markers", doc_tree("<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n" + BROKEN))
    yield DocInput("10 000 images", doc_tree("\n".join([BROKEN] * 10000)))
    yield DocInput("deeply nested brackets", doc_tree("[" * 5000 + BROKEN + "]" * 5000))


def option_inputs() -> Iterator[DocInput]:
    """Bad virtgraph.toml files and marker options."""
    for label, toml in (
        ("images_dir = 5", "[docs]\nimages_dir = 5\n"),
        ("images_dir = list", '[docs]\nimages_dir = ["a"]\n'),
        ("images entry not a table", '[images]\n"container_evolution.svg" = 3\n'),
        ("images entry unknown view", '[images."container_evolution.svg"]\nview = "nope"\n'),
        ("images entry view = 7", '[images."container_evolution.svg"]\nview = 7\n'),
        ("images = string", 'images = "x"\n'),
        ("docs = list", "docs = [1]\n"),
        ("toml syntax error", "[[[docs\n"),
        ("toml BOM", '\ufeff[docs]\nimages_dir = "img"\n'),
        ("toml latin-1", '[docs]\nimages_dir = "caf\xe9"\n'),
        ("toml 1 MB key", "[docs]\n" + "k" * 1_000_000 + " = 1\n"),
    ):
        steps = doc_tree(BROKEN)
        if label == "toml latin-1":
            steps = (*steps, write("virtgraph.toml", toml.encode("latin-1"), fill=False))
        else:
            steps = (*steps, write("virtgraph.toml", toml, fill=False))
        yield DocInput(f"virtgraph.toml {label}", steps)
    yield DocInput("virtgraph.toml is a directory", (*doc_tree(BROKEN), mkdir("virtgraph.toml")))
    yield DocInput("virtgraph.toml is a FIFO", (*doc_tree(BROKEN), fifo("virtgraph.toml")))
    for options in (
        " depth=abc",
        " depth=99",
        " depth=-1",
        " lang=fr",
        " format=exe",
        " concept=",
        " concept=nope",
        ' alt="a --> b"',
        " alt=\x1b[31m",
        " src=",
        " src=/",
        " format=mermaid src=x.svg",
        " =value",
        " lang=en lang=zh",
        " unknown=1",
    ):
        view = "concept" if "concept" in options or "depth" in options else "taxonomy"
        yield DocInput(f"marker option{options!r}", doc_tree(marker(options, view)))
    for label, text in (
        ("unknown view", marker("", "nope")),
        ("view ../../decoy/victim", marker("", "../../decoy/victim")),
        ("marker without end", "<!-- virtgraph:view taxonomy -->\ntext"),
        ("nested markers", marker("").replace("-->\n", "-->\n" + marker(""), 1)),
        ("end without start", "<!-- /virtgraph -->"),
        ("unknown query", "<!-- virtgraph:query nope -->\n<!-- /virtgraph -->"),
        ("query ../../decoy/victim", "<!-- virtgraph:query ../../decoy/victim -->\n<!-- /virtgraph -->"),
    ):
        yield DocInput(f"marker {label}", doc_tree(text))


def special_inputs() -> Iterator[DocInput]:
    """Special files given as documents."""
    yield DocInput("FIFO named x.md", (mkdir(".git"), fifo("docs/x.md")))
    yield DocInput("directory named x.md", (mkdir(".git"), mkdir("docs/x.md")))
    yield DocInput("zero device named z.md", (mkdir(".git"), device("docs/z.md", 5)), target="docs/z.md")
    yield DocInput("missing document", (mkdir(".git"),), target="docs/missing.md")
    yield DocInput(
        "folder with a dangling symlink", (mkdir(".git"), symlink("docs/d.md", "@SB@/nowhere.md")), target="docs"
    )
    yield DocInput("empty path", (mkdir(".git"),), target="")


def docs_cases() -> Iterator[Case]:
    """Every document input × docs check, docs fix --dry-run and docs fix."""
    inputs = [*escaping_inputs(), *content_inputs(), *option_inputs(), *special_inputs()]
    for item in inputs:
        for mode in (["check"], ["fix", "--dry-run"], ["fix"]):
            fixing = mode == ["fix"]
            yield Case(
                "docs",
                f"docs {' '.join(mode)}: {item.name}",
                ["docs", *mode, item.target],
                setup=item.steps,
                refuse=item.refuse_fix and fixing,
                checks=item.fix_checks if fixing else (),
                timeout=HANG_TIMEOUT if "FIFO" in item.name else 30,
            )
    for label, value in (("absolute decoy", "@DECOY@"), ("../..", "../../decoy"), (".git/hooks", ".git/hooks")):
        yield Case(
            "docs",
            f"docs fix --images-dir {label}",
            ["docs", "fix", "--images-dir", value, "docs/x.md"],
            setup=doc_tree(BROKEN),
            refuse=True,
            checks=(no_new_files(".git/hooks"),),
        )


# --- the inputs: validate ---------------------------------------------------------------------------------------

SHAPES_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix vg: <https://w3id.org/virtgraph/schema#> .
@prefix ex: <urn:campaign:> .
"""


def sparql_shape(kind: str, query: str) -> str:
    """A shapes file with one SHACL-SPARQL construct of ``kind`` running ``query``."""
    body = {
        "target": f'ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select """{query}""" ] ;'
        " sh:property [ sh:path vg:vendor ; sh:minCount 0 ] .",
        "rule": f"ex:S a sh:NodeShape ; sh:targetClass vg:HypervisorProduct ; sh:rule [ a sh:SPARQLRule ;"
        f' sh:construct """{query}""" ] .',
        "constraint": f"ex:S a sh:NodeShape ; sh:targetClass vg:HypervisorProduct ; sh:sparql [ a sh:SPARQLConstraint ;"
        f' sh:select """{query}""" ] .',
        "ask": f'ex:V a sh:SPARQLAskValidator ; sh:ask """{query}""" .\nex:C a sh:ConstraintComponent ;'
        " sh:parameter [ sh:path ex:p ] ; sh:validator ex:V .\n"
        "ex:S a sh:NodeShape ; sh:targetClass vg:HypervisorProduct ; ex:p 1 .",
    }[kind]
    return SHAPES_PREFIXES + body + "\n"


SHAPE_QUERIES = {
    "target": ("SELECT ?this WHERE { SERVICE <@TRAP@> { ?this ?p ?o } }",),
    "rule": ("CONSTRUCT { $this <urn:x> ?o } WHERE { SERVICE <@TRAP@> { $this ?p ?o } }",),
    "constraint": (
        "SELECT $this WHERE { SERVICE <@TRAP@> { $this ?p ?o } }",
        'SELECT $this WHERE { BIND("x\\u0022 #" AS ?q) SERVICE <@TRAP@> { $this ?p ?o } }',
        "SELECT $this WHERE { $this ?p ?o FILTER(1/0) }",
        "SELECT $this (1/0 AS ?value) WHERE { $this ?p ?o }",
        "SELECT $this WHERE { $this a vg:HypervisorProduct }",
        "SELECT $this WHERE { this is not sparql",
        "DROP ALL",
        'SELECT $this WHERE { $this ?p ?o FILTER(REGEX(STR(?o), "(")) }',
    ),
    "ask": ("ASK { SERVICE <@TRAP@> { $this ?p ?o } }",),
}


def validate_cases() -> Iterator[Case]:
    """SHACL-SPARQL shapes that reach for the network or fail, bad shapes files and special paths."""
    for kind, queries in SHAPE_QUERIES.items():
        for query in queries:
            yield Case(
                "validate",
                f"sh:{kind} {query[:50]!r}",
                ["validate", "--shapes", "shapes.ttl"],
                setup=(write("shapes.ttl", sparql_shape(kind, query)),),
                timeout=30,
            )
    for label, text in (
        ("malformed Turtle", "@prefix sh: <http://www.w3.org/ns/shacl#> .\nex:S a sh:NodeShape"),
        ("empty file", ""),
        ("not SHACL", "<urn:a> <urn:b> <urn:c> ."),
        (
            "bad sh:pattern regex",
            SHAPES_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass vg:Concept ;"
            ' sh:property [ sh:path vg:vendor ; sh:pattern "(" ] .',
        ),
        (
            "sh:path a literal",
            SHAPES_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass vg:Concept ;"
            ' sh:property [ sh:path "x" ; sh:minCount 1 ] .',
        ),
        ("recursive sh:node", SHAPES_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass vg:Concept ; sh:node ex:S ."),
        ("owl:imports the trap", SHAPES_PREFIXES + "<urn:s> <http://www.w3.org/2002/07/owl#imports> <@TRAP@> ."),
        (
            "sh:JSConstraint",
            SHAPES_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass vg:Concept ; sh:js [ a "
            'sh:JSConstraint ; sh:jsFunctionName "f" ; sh:jsLibrary [ sh:jsLibraryURL "@TRAP@" ] ] .',
        ),
        ("invalid UTF-8", b'@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:a> <urn:b> "\xff\xfe" .'),
    ):
        data = text if isinstance(text, bytes) else text.encode()
        yield Case(
            "validate",
            f"shapes {label}",
            ["validate", "--shapes", "shapes.ttl"],
            setup=(write("shapes.ttl", data),),
            timeout=30,
        )
    for label, steps, value in (
        ("FIFO", (fifo("shapes.ttl"),), "shapes.ttl"),
        ("directory", (mkdir("shapes.ttl"),), "shapes.ttl"),
        ("missing file", (), "missing.ttl"),
        ("zero device", (device("zero", 5),), "zero"),
        ("empty path", (), ""),
        ("300-char name", (), "s" * 300 + ".ttl"),
    ):
        yield Case("validate", f"--shapes {label}", ["validate", "--shapes", value], setup=steps, timeout=HANG_TIMEOUT)
    shapes = copy(REPO / "ontology" / "shapes.ttl", "onto/shapes.ttl")
    for label_name, label in HOSTILE_LABELS[:6]:
        yield Case(
            "validate",
            f"ontology with {label_name} labels",
            ["--ontology", "onto", "validate"],
            setup=(*ontology_folder(label_ontology(label)), shapes),
            timeout=30,
        )


# --- the inputs: endpoint ---------------------------------------------------------------------------------------

ENDPOINT_COMMANDS = (
    ("lookup", ["lookup", "kvm"]),
    ("query", ["query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"]),
    ("push", ["push"]),
)
BAD_ENDPOINTS = (
    ("ftp scheme", "ftp://127.0.0.1:@TRAPPORT@/x", True),
    ("file scheme", "file:///etc/passwd", True),
    ("javascript scheme", "javascript:alert(1)", True),
    ("gopher scheme", "gopher://127.0.0.1:@TRAPPORT@/", True),
    ("no host", "http://", True),
    ("port 0", "http://127.0.0.1:0/sparql", True),
    ("port 65536", "http://127.0.0.1:65536/sparql", True),
    ("port 99999", "http://127.0.0.1:99999/sparql", True),
    ("port -1", "http://127.0.0.1:-1/sparql", True),
    ("port abc", "http://127.0.0.1:abc/sparql", True),
    ("scheme-less user:pass@host", "campaign:hunter2@127.0.0.1:@TRAPPORT@/sparql", True),
    ("scheme-less host", "127.0.0.1:@TRAPPORT@/sparql", True),
    ("empty (means: not set)", "", False),
    ("relative path", "sparql", True),
    ("unclosed IPv6", "http://[::1/sparql", True),
    ("space in path", "http://127.0.0.1:@TRAPPORT@/spa rql", False),
    ("leading space", " http://127.0.0.1:@TRAPPORT@/sparql", False),
    ("newline", "http://127.0.0.1:@TRAPPORT@/sparql\nX-Injected: 1", True),
    ("ESC in URL", "http://127.0.0.1:@TRAPPORT@/\x1b[31m", False),
    ("credentials in URL", "http://campaign:hunter2@127.0.0.1:@TRAPPORT@/sparql", False),
    ("upper-case scheme", "HTTP://127.0.0.1:@TRAPPORT@/sparql", False),
)
BAD_GRAPHS = (
    ("empty (means: the default)", "", False),
    ("space", "http://x/ g", True),
    ("not an IRI", "not an iri", True),
    ("injection", "http://x/g> } ; DROP ALL ; INSERT DATA { GRAPH <http://x/g", True),
    ("injection 2", "http://x/g> ; DROP ALL ; #", True),
    ("angle brackets", "<http://x/g>", True),
    ("newline", "http://x/g\nDROP ALL", True),
    ("braces", "http://x/g?a={b}", True),
    ("relative", "g", True),
    ("URN", "urn:x:y", False),
    ("RTL", "http://x/g#\u202e", False),
)
BAD_URLS = (
    ("ftp", "ftp://127.0.0.1/x", True),
    ("port 99999", "http://127.0.0.1:99999/", True),
    ("empty (means: derived)", "", False),
    ("scheme-less credentials", "campaign:hunter2@127.0.0.1:@TRAPPORT@/", True),
    ("file", "file://@DECOY@/victim.svg", True),
    ("trap", "@TRAP@", False),
)


def endpoint_cases() -> Iterator[Case]:
    """Hostile endpoint options, and loopback servers misbehaving on purpose, for lookup, query and push."""
    for label, url, invalid in BAD_ENDPOINTS:
        for cmd, args in ENDPOINT_COMMANDS:
            yield Case(
                "endpoint",
                f"{cmd} --endpoint {label}",
                ["--endpoint", url, "--timeout", "1", *args],
                refuse=invalid,
                trap_named=True,
                checks=(no_secrets, no_terminal_escapes),
                timeout=HANG_TIMEOUT,
            )
    for label, graph, invalid in BAD_GRAPHS:
        for cmd, args in ENDPOINT_COMMANDS:
            yield Case(
                "endpoint",
                f"{cmd} --graph {label}",
                ["--endpoint", "@SERVER@", "--graph", graph, "--timeout", "1", *args],
                server="recorder",
                refuse=invalid,
                checks=(no_injection,),
                timeout=HANG_TIMEOUT,
            )
    for option in ("--update-url", "--store-url"):
        for label, url, invalid in BAD_URLS:
            yield Case(
                "endpoint",
                f"push {option} {label}",
                ["--endpoint", "@SERVER@", "--timeout", "1", "push", option, url],
                server="recorder",
                refuse=invalid,
                trap_named=url == "@TRAP@",
                checks=(no_secrets,),
                timeout=HANG_TIMEOUT,
            )
    for value in ("0", "-1", "nan", "inf", "1e308", "abc", ""):
        yield Case(
            "endpoint",
            f"--timeout {value!r}",
            ["--endpoint", "@SERVER@", "--timeout", value, "lookup", "kvm"],
            server="hang",
            timeout=HANG_TIMEOUT,
        )
    yield from misbehaving_server_cases()


# Answers no command can succeed with; push reads no answer body, so only failures of the exchange count there.
PUSH_REFUSALS = ("hang", "drip", "junk-status", "not-http", "401-echo")
ANSWER_REFUSALS = (*PUSH_REFUSALS, "huge", "bad-json")


def misbehaving_server_cases() -> Iterator[Case]:
    """Every misbehaving server × lookup, query, push and render, with --timeout 1 and credentials set."""
    commands = (
        *ENDPOINT_COMMANDS,
        ("query ASK json", ["query", "ASK { ?s ?p ?o }", "--format", "json"]),
        ("render", ["render", "--view", "taxonomy", "--format", "dot", "-o", "-"]),
    )
    auth = {"VIRTGRAPH_ENDPOINT_USER": USER, "VIRTGRAPH_ENDPOINT_PASSWORD": PASSWORD}
    for behaviour in BEHAVIOURS:
        if behaviour == "recorder":
            continue
        for cmd, args in commands:
            yield Case(
                "endpoint",
                f"{cmd} against a server: {behaviour}",
                ["--endpoint", "@SERVER@", "--timeout", "1", *args],
                server=behaviour,
                env=auth,
                refuse=behaviour in (PUSH_REFUSALS if cmd == "push" else ANSWER_REFUSALS),
                checks=(no_secrets, no_terminal_escapes),
                timeout=HANG_TIMEOUT,
            )


# --- the inputs: ontology ---------------------------------------------------------------------------------------

ONTOLOGY_COMMANDS = (
    ("lookup", ["lookup", "kvm"]),
    ("query", ["query", "ASK { ?s ?p ?o }"]),
    ("render", ["render", "--view", "taxonomy", "--format", "dot", "-o", "-"]),
)
PREFIX = (
    "@prefix vgc: <https://w3id.org/virtgraph/concept/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
)
BAD_TURTLE: tuple[tuple[str, bytes], ...] = (
    ("unterminated string", (PREFIX + 'vgc:a skos:prefLabel "oops .\n').encode()),
    ("bad IRI", b"<http://x y> <urn:b> <urn:c> .\n"),
    ("undefined prefix", b"nope:a nope:b nope:c .\n"),
    ("missing dot", (PREFIX + "vgc:a skos:related vgc:b").encode()),
    ("bad lang tag", (PREFIX + 'vgc:a skos:prefLabel "x"@-bad .\n').encode()),
    ("bad integer", (PREFIX + 'vgc:a vgc:n "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n').encode()),
    ("deep collection", (PREFIX + "vgc:a vgc:p " + "(" * 20000 + ")" * 20000 + " .\n").encode()),
    ("deep blank nodes", (PREFIX + "vgc:a vgc:p " + "[ vgc:p " * 5000 + "1" + " ]" * 5000 + " .\n").encode()),
    ("100k-char IRI", f"<urn:{'x' * 100_000}> <urn:b> <urn:c> .\n".encode()),
    ("non-UTF-8", (PREFIX + 'vgc:a skos:prefLabel "caf').encode() + b'\xe9" .\n'),
    ("UTF-16", (PREFIX + 'vgc:a skos:prefLabel "x" .\n').encode("utf-16")),
    ("BOM", b"\xef\xbb\xbf" + (PREFIX + 'vgc:a skos:prefLabel "x"@en .\n').encode()),
    ("NUL byte", (PREFIX + 'vgc:a skos:prefLabel "x').encode() + b'\x00" .\n'),
    ("empty", b""),
    ("@base trap and owl:imports trap", b"@base <@TRAP@> .\n<a> <http://www.w3.org/2002/07/owl#imports> <@TRAP@> .\n"),
    ("prefix-only", PREFIX.encode()),
    (
        "RDF/XML with external entity",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">'
        b"<rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>\n",
    ),
)


def ontology_cases() -> Iterator[Case]:
    """Special files, malformed and oversized Turtle as --ontology, for lookup, query and render on both stores."""
    special: tuple[tuple[str, str, tuple[Step, ...], float], ...] = (
        ("/dev/zero", "/dev/zero", (), DEFAULT_TIMEOUT),
        ("FIFO x.ttl", "x.ttl", (fifo("x.ttl"),), HANG_TIMEOUT),
        ("folder holding a FIFO", "onto", (fifo("onto/x.ttl"),), HANG_TIMEOUT),
        (
            "folder of dangling symlinks and a dir",
            "onto",
            (symlink("onto/a.ttl", "@SB@/gone.ttl"), mkdir("onto/b.ttl")),
            DEFAULT_TIMEOUT,
        ),
        ("zero device x.ttl", "x.ttl", (device("x.ttl", 5),), DEFAULT_TIMEOUT),
        ("empty folder", "onto", (mkdir("onto"),), DEFAULT_TIMEOUT),
        ("missing path", "missing.ttl", (), DEFAULT_TIMEOUT),
        ("empty path", "", (), DEFAULT_TIMEOUT),
        ("300-char name", "o" * 300 + ".ttl", (), DEFAULT_TIMEOUT),
        ("symlink to the decoy", "link.ttl", (symlink("link.ttl", "@DECOY@/victim.md"),), DEFAULT_TIMEOUT),
        (
            "17 MiB literal",
            "big.ttl",
            (write("big.ttl", PREFIX + 'vgc:a skos:definition "' + "x" * (17 << 20) + '"@en .\n', fill=False),),
            SLOW_TIMEOUT,
        ),
    )
    for store in STORES:
        for label, path, steps, timeout in special:
            for cmd, args in ONTOLOGY_COMMANDS[:1] if timeout == SLOW_TIMEOUT else ONTOLOGY_COMMANDS:
                yield Case(
                    "ontology",
                    f"{store} {cmd}: --ontology {label}",
                    ["--store", store, "--ontology", path, *args],
                    setup=steps,
                    timeout=timeout,
                )
        for label, data in BAD_TURTLE:
            for suffix in (".ttl", ".rdf") if "RDF/XML" in label else (".ttl",):
                for cmd, args in ONTOLOGY_COMMANDS:
                    yield Case(
                        "ontology",
                        f"{store} {cmd}: {label} {suffix}",
                        ["--store", store, "--ontology", "bad" + suffix, *args],
                        setup=(write("bad" + suffix, data),),
                        checks=(no_secrets_in_xml,),
                    )


def no_secrets_in_xml(ctx: Context, run: Run) -> str | None:
    """An XML external entity must not pull /etc/passwd into the graph (its first line names root)."""
    return "external entity expanded: /etc/passwd content in output" if "root:x:0:0" in run.text + run.stderr else None


# --- the campaign -----------------------------------------------------------------------------------------------

GENERATORS: dict[str, Callable[[], Iterator[Case]]] = {
    "query": query_cases,
    "lookup": lookup_cases,
    "render": render_cases,
    "docs": docs_cases,
    "validate": validate_cases,
    "endpoint": endpoint_cases,
    "ontology": ontology_cases,
}


def all_cases(areas: tuple[str, ...] = AREAS) -> list[Case]:
    """Every input of the chosen areas, slowest-looking first so the pool stays busy to the end."""
    cases = [case for area in areas for case in GENERATORS[area]()]
    return sorted(cases, key=lambda case: -case.timeout)


def run_campaign(cases: list[Case], workers: int, progress: bool) -> list[Outcome]:
    """Run every case in a pool of ``workers`` threads inside one temporary root folder."""
    root = Path(tempfile.mkdtemp(prefix="virtgraph-campaign-"))
    done = 0
    lock = threading.Lock()

    def one(indexed: tuple[int, Case]) -> Outcome:
        nonlocal done
        index, case = indexed
        try:
            outcome = run_case(case, root, index)
        except Exception as exc:  # a failure of the campaign's own set-up, reported rather than hidden
            outcome = Outcome(case.area, case.name, [f"campaign error: {type(exc).__name__}: {exc}"], 0.0)
        with lock:
            done += 1
            if progress and done % 50 == 0:
                print(f"  {done}/{len(cases)} inputs", file=sys.stderr, flush=True)
        return outcome

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(one, enumerate(cases)))
        stray = sorted(p.name for p in root.iterdir() if p.name != "io")
        if stray:
            outcomes.append(Outcome("campaign", "campaign root", [f"stray files in the campaign root: {stray}"], 0.0))
        return outcomes
    finally:
        shutil.rmtree(root, ignore_errors=True)


def summarize(outcomes: list[Outcome]) -> dict:
    """Counts by area and overall, and every failure with its reasons."""
    areas = {}
    for area in dict.fromkeys(o.area for o in outcomes):
        mine = [o for o in outcomes if o.area == area]
        good = sum(o.ok for o in mine)
        areas[area] = {"tried": len(mine), "handled": good, "percent": round(100 * good / len(mine), 1)}
    good = sum(o.ok for o in outcomes)
    total = {"tried": len(outcomes), "handled": good, "percent": round(100 * good / max(len(outcomes), 1), 1)}
    failures = [{"area": o.area, "input": o.name, "reasons": o.reasons} for o in outcomes if not o.ok]
    return {"areas": areas, "total": total, "failures": failures}


def print_table(summary: dict, verbose: bool) -> None:
    rows = [(area, c["tried"], c["handled"], c["percent"]) for area, c in summary["areas"].items()]
    rows.append(("total", summary["total"]["tried"], summary["total"]["handled"], summary["total"]["percent"]))
    print(f"{'area':<10} | {'tried':>6} | {'handled well':>12} | {'%':>6}")
    print(f"{'-' * 10}-+-{'-' * 6}-+-{'-' * 12}-+-{'-' * 6}")
    for area, tried, handled, percent in rows:
        print(f"{area:<10} | {tried:>6} | {handled:>12} | {percent:>6.1f}")
    if verbose:
        for failure in summary["failures"]:
            shown = failure["input"].encode("unicode_escape").decode()[:110]
            print(f"NOT HANDLED [{failure['area']}] {shown}: {'; '.join(failure['reasons'])[:300]}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.adversarial.campaign", description=__doc__.splitlines()[0])
    parser.add_argument("--area", choices=AREAS, action="append", help="only this area (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every input not handled well")
    parser.add_argument("--min-percent", type=float, help="exit 1 when fewer inputs than this are handled well")
    parser.add_argument("--workers", type=int, default=3, help="inputs run at once [3]")
    parser.add_argument("--list", action="store_true", help="list the inputs without running them")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cases = all_cases(tuple(args.area or AREAS))
    if args.list:
        for case in cases:
            print(f"[{case.area}] {case.name.encode('unicode_escape').decode()[:150]}")
        return 0
    started = time.monotonic()
    summary = summarize(run_campaign(cases, args.workers, progress=not args.json))
    summary["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_table(summary, args.verbose)
        print(f"({summary['seconds']} s)")
    if args.min_percent is not None and summary["total"]["percent"] < args.min_percent:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
