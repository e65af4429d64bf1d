"""The on-disk store cache: the ontology parsed once per change of its files, not once per process.

The ``oxigraph`` store of a set of ontology files is kept on disk as a pyoxigraph (RocksDB) store, with what is
derived from it (the label index, the lookup keys, concept cards). A command that finds it opens it read-only
in milliseconds instead of parsing the Turtle again. The ``memory`` (rdflib) store is never cached: it has no
on-disk form. Remote endpoints are never cached either.

Layout, under :func:`cache_dir` (``$VIRTGRAPH_CACHE_DIR``, else the platform's cache folder from
`platformdirs <https://platformdirs.readthedocs.io>`_, ``$XDG_CACHE_HOME/virtgraph`` on Linux)::

    stores/<key>/store/         the RocksDB store, opened read-only
    stores/<key>/marker.json    written last: format, key, triple count, the size of every store file
    stores/<key>/derived-<code>/  labels, lookup keys and cards, each file carrying its own sha256
    stores/<key>.lock           fcntl lock: exclusive while building or evicting, shared while in use
    hashes.json                 content hashes of large files by (size, mtime, ctime, inode): not reread
    jieba/                      the word segmenter's dictionary cache (:mod:`virtgraph.words`)

``<key>`` hashes the store format, virtgraph's and pyoxigraph's versions and every ontology file's path and
contents; ``<code>`` hashes the source files derived data comes from (:data:`DERIVED_FROM`, by size and times),
so derived data never outlives the code that made it. An entry is built in a temporary folder beside it and
renamed into place, its marker written last; an entry whose marker is missing, unreadable or disagrees with the
files is rebuilt, never trusted. A store is filled by pyoxigraph's bulk loader: large N-Triples without blank
nodes in pieces of whole lines by two threads at once (:func:`_load_pieces`), anything else file by file, whole;
whatever does not parse leaves no entry, and the caller loads it in memory, which reports the error in full. Two
processes at once: one builds under the exclusive lock, the other waits for it, then reads. Past
:data:`MAX_BYTES` (``$VIRTGRAPH_CACHE_MAX_MB``) the least recently used entries go. A cache folder that cannot be
written costs one warning (:class:`CacheWarning`) and the command carries on without it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

from . import __version__

TYPE_CHECKING = False  # not typing's: a cold lookup that answers from the cache imports neither typing nor dataclasses
if TYPE_CHECKING:
    from typing import IO

    import pyoxigraph as ox

__all__ = [
    "CacheWarning",
    "Entry",
    "cache_dir",
    "cache_info",
    "clear_cache",
    "code_digest",
    "file_digests",
    "find_entry",
    "kept_iri",
    "kept_output",
    "open_store",
    "use_cache",
]

#: Version of the on-disk layout; a change makes every older entry a miss.
STORE_FORMAT = 1
#: Most bytes the store entries may take together (the newest entry is always kept).
MAX_BYTES = 2 * 1024**3
#: Files at least this large have their hash remembered (smaller ones are cheaper to read again).
MEMO_MIN_BYTES = 256 * 1024
#: A file changed this recently may change again within its timestamp's resolution: never remembered.
RACY_SECONDS = 2.0
#: Store files up to this size are hashed in the marker (all of them for small graphs); larger ones by size,
#: RocksDB checksums the blocks it reads.
HASHED_FILE_BYTES = 4 * 1024 * 1024
#: How long to wait for another process's build of the same entry, and for the readers of a damaged entry to go.
WAIT_FOR_BUILD = 600.0
WAIT_FOR_READERS = 10.0
#: Entries up to this many triples are also counted when opened.
COUNTED_TRIPLES = 200_000
#: N-Triples larger than this, with no blank node, is bulk-loaded in pieces of whole lines of about this many bytes
#: (see :func:`_load_pieces`): each N-Triples line stands alone, so the pieces hold exactly the file's triples.
#: Larger pieces cost memory for no speed (1M triples: 16 MiB pieces peak at about 260 MB, 32 MiB at 410-490 MB).
PIECE_BYTES = 16 * 1024 * 1024
#: At most this many threads load pieces at once, and never more than the processors this process may use:
#: pyoxigraph's bulk_load releases the GIL, so two really run in parallel (1M triples on two cores: 3.9-4.7 s, one
#: thread 5.5-7.0 s); each holds a piece and its loader's buffers, and a third was no faster (400 MB at its peak).
LOAD_THREADS = 2
_TRUE = {"1", "true", "yes", "on"}


class CacheWarning(UserWarning):
    """The cache could not be used (unwritable folder, full disk); the command carried on without it."""


class CacheUnavailable(Exception):
    """Internal: the cache folder cannot be used; callers warn once and carry on without it."""


def cache_dir() -> Path:
    """virtgraph's cache folder: ``$VIRTGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/virtgraph`` (platformdirs)."""
    chosen = os.environ.get("VIRTGRAPH_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs  # only when needed: 10-30 ms to import

    return Path(platformdirs.user_cache_dir("virtgraph", appauthor=False))


def use_cache(cache: bool | None = None) -> bool:
    """Whether to use the store cache: ``cache`` when given, else unless ``$VIRTGRAPH_NO_CACHE`` is set.

    >>> use_cache(False), use_cache(True)
    (False, True)
    """
    if cache is not None:
        return cache
    return os.environ.get("VIRTGRAPH_NO_CACHE", "").strip().lower() not in _TRUE


def warn_unavailable(reason: str) -> None:
    """The one warning of a cache that cannot be used (shown once per process by the warnings filter)."""
    warnings.warn(f"store cache unavailable ({reason}); carrying on without it", CacheWarning, stacklevel=3)


# --- keys ---------------------------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _read_nt(path: Path, digest: hashlib._Hash | None = None) -> bool:
    """Whether the N-Triples ``path`` may name a blank node (``_:`` anywhere, even in a literal), read once; its
    bytes also go to ``digest`` when one is given (:func:`file_digests` hashes and looks in the same read)."""
    import re

    blank = re.compile(rb"_:")  # faster than ``in`` for two bytes; only blocks holding a ``_`` are searched
    found, last = False, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            if digest is not None:
                digest.update(block)
            elif found:
                break
            found = found or (last == b"_" and block[:1] == b":") or (b"_" in block and bool(blank.search(block)))
            last = block[-1:]
    return found


#: Whether an N-Triples file may name a blank node, noted by :func:`file_digests` as it reads (or recalls) the file,
#: by ``(resolved path, size, mtime, ctime, inode)``: the build that follows need not read it again to know.
_BLANK_NODES: dict[tuple[str, int, int, int, int], bool] = {}


def _stamp(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _noted(path: str, info: os.stat_result) -> tuple[str, int, int, int, int]:
    """The key of ``path`` in :data:`_BLANK_NODES`: the path and its :func:`_stamp`."""
    size, mtime, ctime, inode = _stamp(info)
    return path, size, mtime, ctime, inode


def file_digests(files: Iterable[Path]) -> list[tuple[str, str]]:
    """``(resolved path, sha256)`` of each file; large unchanged files from ``hashes.json`` (see module doc).

    For N-Triples, whether the file may name a blank node is noted in the same read (and in ``hashes.json``)."""
    memo_path = cache_dir() / "hashes.json"
    memo = _read_json(memo_path) or {}
    found, changed = [], False
    for file in files:
        path = str(file.resolve())
        info = file.stat()
        stamp = _stamp(info)
        known = memo.get(path)
        if isinstance(known, list) and known[:4] == stamp and isinstance(known[4], str):
            found.append((path, known[4]))
            if len(known) > 5 and isinstance(known[5], bool):
                _BLANK_NODES[_noted(path, info)] = known[5]
            continue
        blank: bool | None = None
        if file.suffix == ".nt":
            hashed = hashlib.sha256()
            blank = _BLANK_NODES[_noted(path, info)] = _read_nt(file, hashed)
            digest = hashed.hexdigest()
        else:
            digest = _sha256_file(file)
        found.append((path, digest))
        settled = time.time() - max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 > RACY_SECONDS
        if info.st_size >= MEMO_MIN_BYTES and settled:
            memo[path] = [*stamp, digest, blank]
            changed = True
    if changed:
        with contextlib.suppress(OSError, CacheUnavailable):
            _write_bytes(memo_path, json.dumps(dict(list(memo.items())[-200:]), sort_keys=True).encode())
    return found


def store_key(files: Iterable[Path]) -> str:
    """The cache key of the store of ``files``: format, versions, and each file's path and contents."""
    digest = hashlib.sha256(f"virtgraph-store {STORE_FORMAT} {__version__} {_pyoxigraph_build()}\n".encode())
    for path, content in file_digests(files):
        digest.update(f"{path}\0{content}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


#: The modules derived data (label index, lookup keys, concept cards and their text) comes from, and the queries
#: folder: a change to any of them (by size or times) makes the derived data a miss. A module cards come to depend
#: on joins here.
DERIVED_FROM = (
    "cache.py",
    "card.py",
    "concepts.py",
    "display.py",
    "graph.py",
    "labels.py",
    "messages.py",
    "namespaces.py",
    "sparql.py",
    "store.py",
    "variants.py",
    "queries",
)


def _pyoxigraph_build() -> str:
    """Which pyoxigraph is installed (its compiled module's path, size and time), without importing it."""
    from importlib.util import find_spec

    spec = find_spec("pyoxigraph")
    origin = spec.origin if spec is not None else None
    if not origin:
        return "none"
    info = os.stat(origin)
    return f"{origin} {info.st_size} {info.st_mtime_ns}"


def code_digest() -> str:
    """What identifies virtgraph's code for derived data: its version and the size and times of the files of
    :data:`DERIVED_FROM`."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in DERIVED_FROM:
        path = root / name
        found = sorted(path.rglob("*.rq")) if path.is_dir() else [path]
        for file in found:
            info = file.stat()
            digest.update(f"{file} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}\n".encode())
    return digest.hexdigest()[:16]


# --- small files that check themselves ------------------------------------------------------------------------------


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` whole: a temporary file beside ``path``, renamed over it (a symlink there is replaced)."""
    folder = _own_folder(path.parent)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _own_folder(folder: Path) -> Path:
    """``folder``, made if missing; refused (:class:`CacheUnavailable`) if it is a symlink or no folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise CacheUnavailable(f"cannot create {folder}: {exc.strerror or exc}") from None
    if folder != cache_dir() and not _is_dir(info.st_mode):
        raise CacheUnavailable(f"{folder} is not a folder (a symlink is not followed)")
    return folder


def _is_dir(mode: int) -> bool:
    import stat

    return stat.S_ISDIR(mode)


def write_checked(path: Path, payload: bytes) -> None:
    """Write ``payload`` preceded by its sha256, so a reader can tell a whole file from a damaged one."""
    _write_bytes(path, hashlib.sha256(payload).digest() + payload)


def read_checked(path: Path) -> bytes | None:
    """The payload :func:`write_checked` wrote, or None when the file is missing or damaged (then removed)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) >= 32 and hashlib.sha256(data[32:]).digest() == data[:32]:
        return data[32:]
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


# --- entries --------------------------------------------------------------------------------------------------------


class Entry:
    """One cached store: its folder, key and (once checked) its marker."""

    def __init__(self, folder: Path, key: str, marker: dict[str, object]) -> None:
        self.folder = folder
        self.key = key
        self.marker = marker
        self.lock: IO[bytes] | None = None  # the shared lock held while the store is in use
        self.code = ""  # code_digest(), taken once per entry

    @property
    def store_dir(self) -> Path:
        return self.folder / "store"

    @property
    def triples(self) -> int:
        triples = self.marker.get("triples")
        return triples if isinstance(triples, int) else 0

    def derived(self, name: str, code: str | None = None) -> Path:
        """The path of derived file ``name`` for this code (see :func:`code_digest`)."""
        if not self.code:
            self.code = code_digest()
        return self.folder / f"derived-{code or self.code}" / name

    def touch(self) -> None:
        """Mark the entry as just used (eviction takes the least recently used first)."""
        with contextlib.suppress(OSError):
            os.utime(self.folder / "marker.json")


#: The lookup keys are kept in this many files, by the first two hex digits of each key's sha256: a lookup reads
#: one small file whatever the size of the graph.
KEY_SHARDS = 256


def key_shard(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:2]


def kept_iri(entry: Entry, term: str) -> str | None:
    """The IRI ``term`` names as written, decided as :meth:`~virtgraph.concepts.ConceptFinder.find` decides it,
    from the lookup keys kept with ``entry``; None when they cannot tell (then the finder decides)."""
    import marshal

    from .labels import normalize

    if ":" in term or term.strip().startswith("<"):
        return None  # IRIs and prefixed names take the full path
    key = normalize(term)
    data = read_checked(entry.derived(f"lookup-keys/{key_shard(key)}.marshal"))
    if data is None:
        return None
    found = marshal.loads(data).get(key)
    if not isinstance(found, dict) or not found:
        return None
    if len(found) == 1:
        return str(next(iter(found)))
    preferred = [iri for iri, pref in found.items() if pref]
    return str(preferred[0]) if len(preferred) == 1 else None


def card_file(entry: Entry, iri: str, lang: str, kind: str) -> Path:
    """Where the card of ``iri`` in ``lang`` is kept: ``json`` (the card's JSON) or ``txt`` (its text)."""
    name = hashlib.sha256(f"{iri}\0{lang}".encode()).hexdigest()[:32]
    return entry.derived(f"cards/{name}.{kind}")


def kept_output(entry: Entry, term: str, lang: str, fmt: str) -> str | None:
    """What ``lookup TERM --lang LANG --format FMT`` prints, if the cache keeps it (nothing else loaded)."""
    iri = kept_iri(entry, term)
    if iri is None:
        return None
    data = read_checked(card_file(entry, iri, lang, "json" if fmt == "json" else "txt"))
    return None if data is None else data.decode("utf-8")


def stores_dir() -> Path:
    return cache_dir() / "stores"


def _store_files(store: Path) -> dict[str, int]:
    """The data files of a RocksDB store and their sizes (not its lock or its information log)."""
    return {
        p.name: p.stat().st_size
        for p in sorted(store.iterdir())
        if p.is_file() and p.name != "LOCK" and not p.name.startswith("LOG")
    }


def _marker_for(store: Path, key: str, triples: int) -> dict[str, object]:
    sizes = _store_files(store)
    hashes = {name: _sha256_file(store / name) for name, size in sizes.items() if size <= HASHED_FILE_BYTES}
    return {"format": STORE_FORMAT, "key": key, "triples": triples, "sizes": sizes, "sha256": hashes}


def check_entry(folder: Path, key: str) -> Entry | None:
    """The entry in ``folder`` if its marker is whole and agrees with its store files, else None."""
    marker = _read_json(folder / "marker.json")
    if marker is None or marker.get("format") != STORE_FORMAT or marker.get("key") != key:
        return None
    store = folder / "store"
    try:
        if folder.is_symlink() or store.is_symlink() or _store_files(store) != marker.get("sizes"):
            return None
        hashes = marker.get("sha256")
        if not isinstance(hashes, dict) or any(_sha256_file(store / n) != h for n, h in hashes.items()):
            return None
    except OSError:
        return None
    return Entry(folder, key, marker)


def find_entry(files: list[Path]) -> Entry | None:
    """The valid entry of ``files`` if there is one (no lock, no store opened: for the lookup fast path)."""
    try:
        key = store_key(files)
        return check_entry(stores_dir() / key, key)
    except OSError:
        return None


def open_store(files: list[Path]) -> tuple[ox.Store, Entry] | None:
    """The cached store of ``files`` (read-only), built first when missing or damaged.

    Returns None when the cache cannot be used (after one :class:`CacheWarning`) or when the files do not load
    (the caller loads them in memory, which reports the error in full).
    """
    handle: IO[bytes] | None = None
    try:
        key = store_key(files)
    except OSError:
        return None  # an ontology file that cannot be read: loading it says so, in full
    try:
        folder = _own_folder(stores_dir())
        handle = (folder / f"{key}.lock").open("ab")
        _lock(handle, fcntl.LOCK_SH, WAIT_FOR_BUILD)  # a build in progress: wait for it
        entry = check_entry(folder / key, key)
        if entry is None:
            _lock(handle, fcntl.LOCK_EX, WAIT_FOR_READERS)  # one process builds; the others wait, then find it built
            entry = check_entry(folder / key, key) or _build(files, folder, key)
            fcntl.flock(handle, fcntl.LOCK_SH)
            if entry is None:
                handle.close()
                return None
            evict(keep=key)
        store = _open_read_only(entry)
        entry.lock, handle = handle, None  # held (shared) while the store is in use: eviction skips it
        entry.touch()
        return store, entry
    except (OSError, CacheUnavailable) as exc:
        warn_unavailable(str(exc) if isinstance(exc, CacheUnavailable) else (exc.strerror or str(exc)))
        return None
    finally:
        if handle is not None:
            handle.close()


def _lock(handle: IO[bytes], mode: int, seconds: float) -> None:
    """Take the ``mode`` lock on ``handle`` within ``seconds``, else :class:`CacheUnavailable` (never stuck)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                what = "being built" if mode == fcntl.LOCK_SH else "in use"
                raise CacheUnavailable(f"the cache entry is {what} by another process") from None
            time.sleep(0.02)


def _open_read_only(entry: Entry) -> ox.Store:
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(str(entry.store_dir))
        if entry.triples <= COUNTED_TRIPLES and len(store) != entry.triples:
            raise OSError("the cached store lost triples")
        return store
    except OSError:
        _remove(entry.folder)  # damaged in a way the marker cannot see: rebuilt next time
        raise CacheUnavailable(f"the cached store in {entry.folder} is damaged; removed") from None


def _build(files: list[Path], folder: Path, key: str) -> Entry | None:
    """Build the entry of ``files`` in a temporary folder beside ``folder/key``, then rename it into place."""
    _remove(folder / key)
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:16]}.", suffix=".building", dir=folder))
    try:
        triples = _fill_store(files, tmp / "store")
        if triples is None:
            return None
        marker = _marker_for(tmp / "store", key, triples)
        (tmp / "marker.json").write_text(json.dumps(marker, sort_keys=True), encoding="utf-8")
        os.rename(tmp, folder / key)
    finally:
        if tmp.exists():
            _remove(tmp)
    return Entry(folder / key, key, marker)


def _fill_store(files: list[Path], where: Path) -> int | None:
    """Load ``files`` into a new on-disk store at ``where``; None when one does not parse."""
    import pyoxigraph as ox

    store = ox.Store(str(where))
    try:
        for file in files:
            _bulk_load(store, file)
        store.flush()  # no optimize(): bulk loading writes sorted tables already; compacting costs ~20 % more
        count = len(store)
    except (SyntaxError, ValueError, MemoryError):
        return None
    finally:
        del store
    return count


def _bulk_load(store: ox.Store, file: Path) -> None:
    """Load one file: N-Triples larger than a piece with no blank node in pieces (:func:`_load_pieces`), the
    rest whole (a blank node must be parsed in one piece to stay one node; Turtle cannot be cut)."""
    import pyoxigraph as ox

    base = file.resolve().as_uri()
    if file.suffix == ".nt" and file.stat().st_size > PIECE_BYTES and not _has_blank_nodes(file):
        _load_pieces(store, file, base)
        return
    fmt = ox.RdfFormat.N_TRIPLES if file.suffix == ".nt" else ox.RdfFormat.TURTLE
    store.bulk_load(path=str(file), format=fmt, base_iri=base)


def _has_blank_nodes(file: Path) -> bool:
    """Whether ``file`` may name a blank node: as :func:`file_digests` noted it, else read."""
    noted = _BLANK_NODES.get(_noted(str(file.resolve()), file.stat()))
    return _read_nt(file) if noted is None else noted


def load_threads() -> int:
    """How many threads load pieces: :data:`LOAD_THREADS`, at most the processors this process may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        cpus = os.cpu_count() or 1
    return max(1, min(LOAD_THREADS, cpus))


def _load_pieces(store: ox.Store, file: Path, base: str) -> None:
    """Bulk-load the N-Triples ``file`` (no blank node in it) in pieces of whole lines (:func:`_read_piece`), taken
    from one reader by :func:`load_threads` threads, this one among them.

    Every N-Triples line stands alone (no prefixes, no base, no statement over two lines, and no blank node here),
    so the pieces together give exactly the triples of the whole file, and a piece that does not parse means the
    file does not. The first error (``SyntaxError`` and the rest) stops every thread from taking another piece
    (each finishes the one it is loading) and is raised here once all have stopped; the store is then partial, and
    the caller throws it away. A Ctrl-C does the same.
    """
    import threading

    import pyoxigraph as ox

    lock = threading.Lock()
    failed: list[BaseException] = []
    with file.open("rb") as handle:

        def next_piece() -> bytes | None:
            with lock:
                return None if failed else _read_piece(handle)

        def work() -> None:
            try:
                while (piece := next_piece()) is not None:
                    store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, base_iri=base)
            except BaseException as exc:  # raised in the calling thread, below
                failed.append(exc)

        helpers = [
            threading.Thread(target=work, name=f"virtgraph-load-{n}", daemon=True) for n in range(load_threads() - 1)
        ]
        for helper in helpers:
            helper.start()
        try:
            work()
        finally:
            for helper in helpers:
                while helper.is_alive():
                    try:
                        helper.join()
                    except BaseException as exc:  # Ctrl-C while waiting: no more pieces; still wait for each
                        failed.append(exc)
    error = next((exc for exc in failed if not isinstance(exc, Exception)), failed[0]) if failed else None
    failed.clear()  # no reference cycle (error, this frame, failed) keeps the store open once the caller drops it
    if error is not None:
        try:
            raise error  # a Ctrl-C before any other
        finally:
            error = None


def _read_piece(handle: IO[bytes]) -> bytes | None:
    """The next piece of whole lines from ``handle``: :data:`PIECE_BYTES` cut after its last line end (the rest is
    read again with the next piece), a line longer than a piece whole, the end of a file without a final line end
    as it is; None at the end. A piece only ever ends after a ``\\n``, never inside a line or a ``\\r\\n``."""
    piece = handle.read(PIECE_BYTES)
    if not piece or piece.endswith(b"\n"):
        return piece or None
    cut = piece.rfind(b"\n") + 1
    if cut == 0:
        return piece + handle.readline()
    handle.seek(cut - len(piece), os.SEEK_CUR)
    return piece[:cut]


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.unlink()  # a symlink or a file where an entry should be


# --- size, info, clear ----------------------------------------------------------------------------------------------


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total


def max_bytes() -> int:
    """:data:`MAX_BYTES`, or ``$VIRTGRAPH_CACHE_MAX_MB`` megabytes."""
    chosen = os.environ.get("VIRTGRAPH_CACHE_MAX_MB", "")
    return int(chosen) * 1024 * 1024 if chosen.isdigit() else MAX_BYTES


def _entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]


def evict(keep: str | None = None) -> list[Path]:
    """Remove the least recently used entries while the store entries take more than :func:`max_bytes`.

    An entry another process is using (its shared lock is held) is left; so is ``keep``. Returns what went.
    """
    folder = stores_dir()
    entries = sorted(_entries(folder), key=lambda p: _last_used(p))
    sizes = {p: _size(p) for p in entries}
    total, removed = sum(sizes.values()), []
    for path in entries:
        if total <= max_bytes():
            break
        if path.name == keep:
            continue
        with (folder / f"{path.name}.lock").open("ab") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # in use
            _remove(path)
        (folder / f"{path.name}.lock").unlink(missing_ok=True)
        total -= sizes[path]
        removed.append(path)
    return removed


def _last_used(entry: Path) -> float:
    try:
        return (entry / "marker.json").stat().st_mtime
    except OSError:
        return 0.0


class CacheInfo:
    """What ``virtgraph cache info`` shows: the folder, each store entry (key, triples, bytes, whether its marker
    agrees), the other caches' sizes, and the size limit."""

    def __init__(
        self,
        folder: Path,
        enabled: bool,
        entries: list[tuple[str, int, int, bool]],
        other: dict[str, int],
        limit: int,
    ) -> None:
        self.folder, self.enabled, self.entries, self.other, self.limit = folder, enabled, entries, other, limit


def cache_info() -> CacheInfo:
    """The cache's folder and what it holds, newest entry first."""
    folder = stores_dir()
    entries = []
    for path in sorted(_entries(folder), key=_last_used, reverse=True):
        whole = check_entry(path, path.name)
        marker = _read_json(path / "marker.json") or {}
        triples = marker.get("triples", 0)
        entries.append((path.name, triples if isinstance(triples, int) else 0, _size(path), whole is not None))
    root = cache_dir()
    other = {p.name: _size(p) for p in sorted(root.iterdir()) if p.is_dir() and p.name != "stores"}
    return CacheInfo(root, use_cache(), entries, other if root.is_dir() else {}, max_bytes())


def clear_cache() -> int:
    """Remove everything in the cache folder that virtgraph put there; returns the bytes freed."""
    import shutil

    root = cache_dir()
    if not root.is_dir():
        return 0
    freed = 0
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.is_symlink():
            freed += _size(path)
            shutil.rmtree(path, ignore_errors=True)
        elif path.name == "hashes.json":
            freed += path.stat().st_size
            path.unlink(missing_ok=True)
    return freed


def write_derived(path: Path, payload: bytes) -> None:
    """:func:`write_checked` into an entry's derived folder; a cache that cannot be written is skipped quietly
    (the store itself already warned, or was written: derived data is only a saving)."""
    with contextlib.suppress(OSError, CacheUnavailable):
        _own_folder(path.parent)
        write_checked(path, payload)
