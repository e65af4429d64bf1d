"""`virtgraph/cache.py`: the on-disk store cache is reused, rebuilt when damaged, shared by two processes, and
never gives a different answer than no cache (`--no-cache`); an unusable cache folder costs one warning line.

Every test here has its own cache folder and its own copy of the ontology, and turns the cache on explicitly (the
suite may run with VIRTGRAPH_NO_CACHE=1). No test measures time: what a fast path skips is seen in what it
imports (``python -X importtime``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from virtgraph.cache import cache_info, check_entry, evict, read_checked, write_checked
from virtgraph.card import card_from_dict
from virtgraph.concepts import CONCEPT, concept_card
from virtgraph.graph import load

from .test_cli import import_chains

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
ANSWERS = [
    ["lookup", "kvm"],
    ["lookup", "准虚拟化", "--lang", "en", "--format", "json"],
    ["query", "products-by-hypervisor-type", "--lang", "en", "--format", "json"],
    ["render", "--view", "taxonomy", "--format", "dot", "-o", "-"],
]


@pytest.fixture
def ontology(tmp_path) -> Path:
    """A copy of the shipped ontology (its own cache key)."""
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, copy)
    return copy


def virtgraph(
    cache: Path, *args: str, importtime: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a new process with the cache at ``cache`` (turned on unless ``env`` says not)."""
    env = env or {}
    environment = {**os.environ, "VIRTGRAPH_CACHE_DIR": str(cache), **env}
    if "VIRTGRAPH_NO_CACHE" not in env:
        environment.pop("VIRTGRAPH_NO_CACHE", None)
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "virtgraph", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)


def entries(cache: Path) -> list[Path]:
    stores = cache / "stores"
    return sorted(p for p in stores.iterdir() if p.is_dir()) if stores.is_dir() else []


def answers(cache: Path, ontology: Path, *extra: str, only: int = len(ANSWERS), **env: str) -> list[str]:
    """What the first ``only`` commands of ANSWERS print, each in its own process."""
    found = []
    for args in ANSWERS[:only]:
        done = virtgraph(cache, "--ontology", str(ontology), *extra, *args, env=env)
        assert done.returncode == 0, done.stderr
        found.append(done.stdout)
    return found


@dataclass(frozen=True)
class Built:
    """One copy of the ontology, its answers without the cache, and a cache holding its entry, made once for the
    module: a test that reads or damages the cache works on its own copy of ``cache`` (:meth:`copy`)."""

    ontology: Path
    cache: Path
    uncached: list[str]  # with --no-cache, which neither read nor wrote ``cache`` (``entries_after_no_cache``)
    entries_after_no_cache: list[Path]
    first: list[str]  # the first answers with the cache on: these built the entry

    def copy(self, folder: Path) -> Path:
        shutil.copytree(self.cache, folder)
        return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    base = tmp_path_factory.mktemp("cache-built")
    ontology = base / "ontology"
    shutil.copytree(ONTOLOGY, ontology)
    cache = base / "cache"
    uncached = answers(cache, ontology, "--no-cache")
    before = entries(cache)
    first = answers(cache, ontology)
    return Built(ontology, cache, uncached, before, first)


def test_the_cache_gives_the_answers_no_cache_gives(tmp_path, built):
    assert built.entries_after_no_cache == []  # --no-cache neither reads nor writes it
    cache = built.copy(tmp_path / "cache")
    (entry,) = entries(cache)
    assert answers(cache, built.ontology, VIRTGRAPH_NO_CACHE="1") == built.uncached
    assert built.first == built.uncached  # building the entry
    assert answers(cache, built.ontology) == built.uncached  # reading it
    assert entries(cache) == [entry]
    derived = {p.name for p in entry.glob("derived-*/*")}
    assert {"labels.marshal", "lookup-keys", "cards"} <= derived


def test_a_remembered_card_is_printed_without_rdflib_networkx_or_the_store(tmp_path, ontology):
    cache = tmp_path / "cache"
    first = virtgraph(cache, "--ontology", str(ontology), "lookup", "VT-x", importtime=True)
    assert first.returncode == 0
    assert import_chains(first.stderr, ("rdflib",))  # the first time, the card is made from the graph
    again = virtgraph(cache, "--ontology", str(ontology), "lookup", "VT-x", importtime=True)
    assert again.stdout == first.stdout
    chains = import_chains(again.stderr, ("rdflib", "networkx", "pyoxigraph", "jieba"))
    assert not chains, "; ".join(chains)


def test_a_changed_ontology_is_a_new_entry_with_the_new_answer(tmp_path, ontology):
    cache = tmp_path / "cache"
    before = virtgraph(cache, "--ontology", str(ontology), "lookup", "kvm", "--lang", "en")
    products = ontology / "products.ttl"
    text = products.read_text(encoding="utf-8")
    assert '"Kernel-based Virtual Machine"@en' in text
    products.write_text(text.replace('"Kernel-based Virtual Machine"@en', '"Kernel Virtual Machine"@en'), "utf-8")
    after = virtgraph(cache, "--ontology", str(ontology), "lookup", "kvm", "--lang", "en")
    assert "Kernel Virtual Machine" in after.stdout and "Kernel-based" not in after.stdout
    assert "Kernel-based Virtual Machine" in before.stdout
    assert len(entries(cache)) == 2


def _truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(max(0, path.stat().st_size // 2))


@pytest.mark.parametrize("victim", ["sst", "manifest", "marker", "labels", "card", "card-text", "keys"])
def test_truncated_cache_files_are_rebuilt_never_trusted(tmp_path, built, victim):
    cache = built.copy(tmp_path / "cache")
    (entry,) = entries(cache)
    store = entry / "store"
    targets = {
        "sst": max(store.glob("*.sst"), key=lambda p: p.stat().st_size),
        "manifest": next(store.glob("MANIFEST-*")),
        "marker": entry / "marker.json",
        "labels": next(entry.glob("derived-*/labels.marshal")),
        "card": next(entry.glob("derived-*/cards/*.json")),
        "card-text": next(entry.glob("derived-*/cards/*.txt")),
        "keys": max(entry.glob("derived-*/lookup-keys/*.marshal"), key=lambda p: p.stat().st_size),
    }
    _truncate(targets[victim])
    if victim in ("sst", "manifest", "marker"):
        assert check_entry(entry, entry.name) is None  # the marker no longer agrees: never opened
    assert answers(cache, built.ontology) == built.uncached
    (rebuilt,) = entries(cache)
    assert check_entry(rebuilt, rebuilt.name) is not None
    # what was made again is read back: the store (every answer reads it) and the lookup's files and cards
    assert answers(cache, built.ontology, only=2) == built.uncached[:2]


def test_a_damaged_checked_file_reads_as_missing(tmp_path):
    path = tmp_path / "x.bin"
    write_checked(path, b"payload")
    assert read_checked(path) == b"payload"
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    assert read_checked(path) is None and not path.exists()


def test_two_processes_building_at_once_share_one_entry(tmp_path, ontology):
    cache = tmp_path / "cache"
    environment = {**os.environ, "VIRTGRAPH_CACHE_DIR": str(cache)}
    environment.pop("VIRTGRAPH_NO_CACHE", None)
    command = [sys.executable, "-m", "virtgraph", "--ontology", str(ontology), "lookup", "xen", "--format", "json"]
    started = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=ROOT)
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in started]
    assert all(process.returncode == 0 for process in started), [err for _, err in results]
    assert len({out for out, _ in results}) == 1
    assert all(err == b"" for _, err in results)
    (entry,) = entries(cache)
    assert check_entry(entry, entry.name) is not None
    assert not [p for p in (cache / "stores").iterdir() if p.name.endswith(".building")]  # no half-built folder
    expected = virtgraph(cache, "--no-cache", "--ontology", str(ontology), "lookup", "xen", "--format", "json")
    assert results[0][0].decode() == expected.stdout


def unusable_cache_dirs(tmp_path: Path) -> list[Path]:
    """Cache folders that cannot be written: below a regular file and, unless we are root (who writes anywhere),
    a read-only folder."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    found = [blocker / "cache"]
    if os.geteuid() != 0:
        read_only = tmp_path / "read-only"
        read_only.mkdir(mode=0o500)
        found.append(read_only / "cache")
    return found


def test_an_unwritable_cache_folder_warns_once_and_answers(tmp_path, built):
    for cache in unusable_cache_dirs(tmp_path):
        for args, want in zip(ANSWERS, built.uncached, strict=True):
            done = virtgraph(cache, "--ontology", str(built.ontology), *args)
            assert done.returncode == 0 and done.stdout == want
            (line,) = done.stderr.splitlines()
            assert line.startswith("warning: store cache unavailable (") and "carrying on without it" in line


def test_the_memory_store_and_endpoints_are_never_cached(tmp_path, ontology):
    cache = tmp_path / "cache"
    done = virtgraph(cache, "--store", "memory", "--ontology", str(ontology), "lookup", "kvm")
    assert done.returncode == 0 and entries(cache) == []


def test_eviction_keeps_the_newest_entry_within_the_limit(tmp_path, ontology, monkeypatch):
    cache = tmp_path / "cache"
    other = tmp_path / "other"
    shutil.copytree(ontology, other)
    (other / "extra.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    assert virtgraph(cache, "--ontology", str(ontology), "lookup", "kvm").returncode == 0
    (first,) = entries(cache)
    done = virtgraph(cache, "--ontology", str(other), "lookup", "kvm", env={"VIRTGRAPH_CACHE_MAX_MB": "1"})
    assert done.returncode == 0
    (kept,) = entries(cache)  # both do not fit in 1 MB: the older went
    assert kept != first
    monkeypatch.setenv("VIRTGRAPH_CACHE_DIR", str(cache))
    monkeypatch.setenv("VIRTGRAPH_CACHE_MAX_MB", "0")
    assert evict(keep=kept.name) == []  # the entry just built stays


def test_cache_info_and_clear(tmp_path, ontology):
    cache = tmp_path / "cache"
    virtgraph(cache, "--ontology", str(ontology), "lookup", "kvm")
    info = virtgraph(cache, "cache", "info")
    lines = info.stdout.splitlines()
    assert lines[0] == f"cache folder: {cache}"
    assert lines[1].startswith("store entries: 1, ")
    (entry,) = entries(cache)
    assert lines[2].startswith(f"  {entry.name[:16]}  ") and " triples  " in lines[2]
    cleared = virtgraph(cache, "cache", "clear")
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed ") and cleared.stdout.endswith(f"{cache}\n")
    assert entries(cache) == []
    assert virtgraph(cache, "cache", "info").stdout.splitlines()[1] == "store entries: 0, 0.0 MB (limit 2048.0 MB)"


def test_library_load_takes_cache_keyword(tmp_path, ontology, monkeypatch):
    monkeypatch.setenv("VIRTGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    cached = load(ontology, cache=True)
    plain = load(ontology, cache=False)
    assert cached is not plain and cached.cache is not None and plain.cache is None
    assert len(cached) == len(plain)
    assert cached.labels.labels == plain.labels.labels and cached.labels.type_sets == plain.labels.type_sets
    assert cache_info().entries[0][1] == len(plain)
    assert load(ontology, store="memory", cache=True).cache is None


def test_every_card_survives_its_json(kg_fast):
    """The cards the cache keeps are read back equal (every concept, both languages)."""
    concepts = [iri for iri in kg_fast.labels.type_sets if kg_fast.labels.is_a(iri, CONCEPT)]
    assert len(concepts) > 100
    for iri in concepts:
        for lang in ("zh", "en"):
            card = concept_card(kg_fast, iri, lang)
            assert card_from_dict(json.loads(card.to_json())) == card
