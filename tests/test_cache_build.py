"""`virtgraph/cache.py` building a store entry: large N-Triples without blank nodes is bulk-loaded in pieces of whole
lines by two threads, and the cached store holds exactly what `--no-cache` loads; a piece that does not parse makes
the cached load fall back and report the error as `--no-cache` does; blank nodes keep the file whole.

The pieces are made small here (:data:`~virtgraph.cache.PIECE_BYTES`), so a file of a few hundred kilobytes is cut
into dozens of them. No test measures time: two threads loading at once is seen by a barrier both must reach.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from virtgraph import cache
from virtgraph.errors import OntologyError
from virtgraph.graph import load

PIECE = 16 * 1024
EX = "http://example.org/"
LOAD_PIECES = cache._load_pieces  # the real one: the fixture below wraps it


def write_nt(path: Path, lines: int = 3000, *, blank: bool = False, bad_line: int | None = None) -> Path:
    """An N-Triples file of about ``lines`` lines: IRIs, escaped and non-ASCII literals, typed literals, comments,
    repeated triples, some CRLF line ends and no line end after the last triple. ``blank``: every third line's
    subject is one of 50 blank nodes, named again all through the file. ``bad_line``: that line's subject is an
    IRI only a validating parser refuses (``{``)."""
    rows = []
    for n in range(lines):
        subject = f"_:b{n % 50}" if blank and n % 3 == 0 else f"<{EX}thing/{n % 997}>"
        if n == bad_line:
            subject = f"<{EX}thing/{{{n}}}>"
        kind = n % 5
        if kind == 0:
            rows.append(f'{subject} <http://www.w3.org/2000/01/rdf-schema#label> "thing {n} \\"quoted\\""@en .')
        elif kind == 1:
            rows.append(f'{subject} <http://www.w3.org/2004/02/skos/core#prefLabel> "虚拟化 {n % 400}"@zh .')
        elif kind == 2:
            rows.append(f"{subject} <{EX}p/next> <{EX}thing/{n * 7 % 997}> .")
        elif kind == 3:
            rows.append(f'{subject} <{EX}p/year> "{1990 + n % 30}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
        else:
            rows.append(f'{subject} <{EX}p/index> "{n}" .  # comment {n}')
    text = "".join(row + ("\r\n" if i % 11 == 0 else "\n") for i, row in enumerate(rows)).rstrip("\r\n")
    path.write_bytes(text.encode("utf-8"))
    return path


def dump(store: ox.Store) -> list[str]:
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return sorted(data.decode("utf-8").splitlines())


class Spy:
    """A store that records which thread loads each piece and forwards it to the real store. Each thread's first
    piece waits at ``barrier`` (when given) until the other thread reaches it too: both are loading at once."""

    def __init__(self, store: ox.Store, barrier: threading.Barrier | None = None) -> None:
        self.store, self.barrier = store, barrier
        self.threads: list[int] = []
        self.lock = threading.Lock()

    def bulk_load(self, data: bytes, *, format: ox.RdfFormat, base_iri: str) -> None:
        with self.lock:
            first = threading.get_ident() not in self.threads
            self.threads.append(threading.get_ident())
        if first and self.barrier is not None:
            self.barrier.wait()
        self.store.bulk_load(data, format=format, base_iri=base_iri)


@pytest.fixture
def small_pieces(tmp_path, monkeypatch) -> dict[str, list[object]]:
    """Pieces of :data:`PIECE` bytes, a cache folder of this test's own, two loading threads that must both load
    at once; returns what was seen: the pieces read, the threads that loaded them (one list per file loaded in
    pieces) and the files scanned for blank nodes. No spy outlives its load: a store must be closed (its last
    reference gone) before its files are described in the marker."""
    monkeypatch.setenv("VIRTGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VIRTGRAPH_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "PIECE_BYTES", PIECE)
    monkeypatch.setattr(cache, "load_threads", lambda: 2)
    seen: dict[str, list[object]] = {"pieces": [], "threads": [], "scans": []}
    read_piece, read_nt = cache._read_piece, cache._read_nt

    def counted_read_piece(handle):
        piece = read_piece(handle)
        if piece is not None:
            seen["pieces"].append(piece)
        return piece

    def spied_load_pieces(store, file, base):
        spy = Spy(store, threading.Barrier(cache.load_threads(), timeout=60))
        seen["threads"].append(spy.threads)
        LOAD_PIECES(spy, file, base)

    def counted_read_nt(path, digest=None):
        seen["scans"].append(path)
        return read_nt(path, digest)

    monkeypatch.setattr(cache, "_read_piece", counted_read_piece)
    monkeypatch.setattr(cache, "_load_pieces", spied_load_pieces)
    monkeypatch.setattr(cache, "_read_nt", counted_read_nt)
    return seen


def leftovers(tmp_path: Path) -> list[str]:
    """What the store cache holds besides lock files: entries, and folders being built."""
    stores = tmp_path / "cache" / "stores"
    return sorted(p.name for p in stores.iterdir() if not p.name.endswith(".lock")) if stores.is_dir() else []


def test_pieces_give_exactly_the_triples_no_cache_gives(tmp_path, small_pieces):
    path = write_nt(tmp_path / "graph.nt")
    cached, fresh = load(path, cache=True), load(path, cache=False)
    assert cached.cache is not None and fresh.cache is None
    pieces = small_pieces["pieces"]
    assert len(pieces) > 10  # cut into many pieces ...
    assert b"".join(pieces) == path.read_bytes()  # ... of whole lines, every byte once
    assert all(piece.endswith(b"\n") for piece in pieces[:-1])
    assert dump(cached.backend.store) == dump(fresh.backend.store)
    assert cached.cache.triples == len(fresh) == len(cached)
    assert leftovers(tmp_path) == [cached.cache.key]
    assert small_pieces["scans"] == [path]  # hashed and scanned for blank nodes in one read, not read again
    # the same answers to a query, through the cache and without it
    query = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY ?s"
    assert cached.values(query) == fresh.values(query)


def test_two_threads_load_pieces_at_once(tmp_path, small_pieces):
    path = write_nt(tmp_path / "graph.nt")
    assert load(path, cache=True).cache is not None  # a broken barrier (one thread only) would have failed the build
    (threads,) = small_pieces["threads"]
    assert isinstance(threads, list)
    assert len(set(threads)) == 2
    assert len(threads) == len(small_pieces["pieces"])  # one bulk_load per piece


def test_blank_nodes_are_remembered_with_the_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("VIRTGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    files = [write_nt(tmp_path / "plain.nt", 4000), write_nt(tmp_path / "blank.nt", 4000, blank=True)]
    monkeypatch.setattr(cache, "RACY_SECONDS", -1.0)  # as if long settled: the hash is remembered in hashes.json
    first = cache.file_digests(files)
    monkeypatch.setattr(cache, "_BLANK_NODES", {})  # as in a new process
    monkeypatch.setattr(cache, "_read_nt", lambda *args: pytest.fail("read again"))
    assert cache.file_digests(files) == first
    assert [cache._has_blank_nodes(file) for file in files] == [False, True]


def test_a_blank_node_across_the_file_stays_one_node(tmp_path, small_pieces):
    path = write_nt(tmp_path / "blank.nt", blank=True)
    cached, fresh = load(path, cache=True), load(path, cache=False)
    assert cached.cache is not None
    assert small_pieces["pieces"] == [] and small_pieces["threads"] == []  # loaded whole
    query = "SELECT (COUNT(DISTINCT ?b) AS ?n) (COUNT(*) AS ?t) WHERE { ?b ?p ?o FILTER(isBlank(?b)) }"
    assert cached.values(query) == fresh.values(query)
    assert cached.values(query)[0][0] == "50"  # each label one node all through the file
    assert cached.cache.triples == len(fresh)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_bad_piece_stops_the_build_and_the_error_is_the_no_cache_one(tmp_path, small_pieces, monkeypatch, threads):
    monkeypatch.setattr(cache, "load_threads", lambda: threads)
    path = write_nt(tmp_path / "graph.nt", bad_line=2900)  # in one of the last pieces
    with pytest.raises(OntologyError) as fresh:
        load(path, cache=False)
    with pytest.raises(OntologyError) as cached:
        load(path, cache=True)
    assert str(cached.value) == str(fresh.value)
    assert ":2901: malformed Turtle:" in str(fresh.value) and "'{'" in str(fresh.value)
    assert leftovers(tmp_path) == []  # nothing half-built is left
    assert [t for t in threading.enumerate() if t.name.startswith("virtgraph-load")] == []
    pieces = small_pieces["pieces"]
    assert len(pieces) > 10  # the pieces before the bad one were loaded, then thrown away
    if threads == 1:
        assert b"{2900}" in pieces[-1]  # and none after it was read


def test_an_error_stops_the_other_thread_taking_pieces(tmp_path, small_pieces):
    """The bad line in the second piece: the thread that meets it stops, and so does the other one, long before
    the end of the file (it finishes the piece it is loading; loading releases the GIL, so the failing thread
    records its error in the meantime)."""
    path = write_nt(tmp_path / "graph.nt", 8000, bad_line=100)
    spy = Spy(ox.Store(str(tmp_path / "store")))
    with pytest.raises(SyntaxError):
        LOAD_PIECES(spy, path, path.as_uri())
    pieces = small_pieces["pieces"]
    assert b"{100}" in b"".join(pieces[:2])
    assert len(pieces) < path.stat().st_size // PIECE // 2
    assert [t for t in threading.enumerate() if t.name.startswith("virtgraph-load")] == []


def test_the_command_line_reports_a_bad_piece_as_no_cache_does(tmp_path, small_pieces, run):
    path = write_nt(tmp_path / "graph.nt", bad_line=2900)
    fresh = run("--ontology", str(path), "--no-cache", "query", "ASK { ?s ?p ?o }")
    cached = run("--ontology", str(path), "query", "ASK { ?s ?p ?o }")
    assert (cached.exit_code, cached.stdout, cached.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr)
    assert fresh.exit_code == 2 and fresh.stderr.startswith(f"Error: {path}:2901: malformed Turtle:")
    assert len(small_pieces["pieces"]) > 10
    assert leftovers(tmp_path) == []


def test_read_piece_cuts_after_line_ends_only(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "PIECE_BYTES", 10)
    path = tmp_path / "lines.nt"
    data = b"a\r\nbb\n" + b"x" * 25 + b"\nshort\ncc\r\n" + b"tail without end"
    path.write_bytes(data)
    with path.open("rb") as handle:
        pieces = list(iter(lambda: cache._read_piece(handle), None))
    assert b"".join(pieces) == data
    # a line longer than a piece is whole; the end without a line end as it is
    assert pieces == [b"a\r\nbb\n", b"x" * 25 + b"\n", b"short\ncc\r\n", b"tail without end"]


def test_load_threads_is_bounded(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cache.load_threads() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert cache.load_threads() == cache.LOAD_THREADS == 2
