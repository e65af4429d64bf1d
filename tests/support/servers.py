"""Real SPARQL servers for the integration tests, started on 127.0.0.1 with private data folders.

Each server runs on free ports, is waited for until it answers, and is stopped by its PID at the end of the
session. When a server cannot start, the tests fail in CI (VIRTGRAPH_REQUIRE_TOOLS=1) and skip elsewhere.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..netguard import allow_port
from . import unavailable

if TYPE_CHECKING:
    from virtgraph.graph import KnowledgeGraph


def free_port() -> int:
    """A free port on 127.0.0.1, declared to the network canary as one of the tests' own servers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return allow_port(s.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    folder: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until_ready(url: str, process: subprocess.Popen, log: Path, seconds: float) -> float:
    """Poll an ASK query until the server answers; return how long it took."""
    started = time.monotonic()
    probe = url + "?" + "query=ASK%7B%7D"
    while time.monotonic() - started < seconds:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer within {seconds} s: {log.read_text(errors='replace')[-2000:]}")


def oxigraph_executable() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path) -> Server:
    executable = oxigraph_executable()
    if executable is None:
        unavailable("the Oxigraph server is not installed (PyPI package oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen(
        [executable, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_ready(url, process, log, 30)
    except RuntimeError as exc:
        process.kill()
        unavailable(f"Oxigraph did not start: {exc}")
    return Server("oxigraph", url, process, folder)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
ThreadsPerQuery = 2
MaxClientConnections = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 5
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(folder: Path) -> Server:
    executable, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if executable is None or isql is None:
        unavailable("Virtuoso is not installed (Debian package virtuoso-opensource-7-bin)")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = folder / "stdout.log"
    process = subprocess.Popen(
        [executable, "+configfile", str(ini), "+foreground"],
        cwd=folder,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_until_ready(url, process, log, 120)
        grant = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if grant.returncode != 0:
            raise RuntimeError(grant.stdout.decode(errors="replace") + grant.stderr.decode(errors="replace"))
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        process.kill()
        unavailable(f"Virtuoso did not start: {exc}")
    return Server("virtuoso", url, process, folder)


def remote(server: Server) -> KnowledgeGraph:
    """The knowledge graph a started server holds, queried over the SPARQL protocol."""
    from virtgraph.endpoint import Endpoint, EndpointBackend
    from virtgraph.graph import KnowledgeGraph

    return KnowledgeGraph(EndpointBackend(Endpoint(server.url)), server.url)
