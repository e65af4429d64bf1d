"""The entry point of the ``virtgraph`` command, and its fast lane: answers that need neither click nor the graph.

Three commands often run in save hooks, pre-commit and CI answer from what is kept on disk when nothing changed:
``render --all`` / ``render --check`` from the render manifest (:mod:`virtgraph.manifest`) and ``lookup`` from
a card kept in the store cache (:mod:`virtgraph.card`), and ``docs check`` from the record of a clean check
(:mod:`virtgraph.checked`). Here they are recognised in their plain forms, before click (a third of a cold
start) is imported: ``[--ontology PATH] [--store NAME] render --all|--check [--output-dir DIR]``,
``[--ontology PATH] lookup TERM [--lang L] [--format text|json]`` and ``[...] docs check PATHS [--strict]``.

Anything else, and any doubt (another option, an environment variable the full command line would check, a
manifest that does not agree, a card not kept), goes to the full command line (:mod:`virtgraph.cli`), which
decides exactly as it always did; the fast lane prints only answers the full path gives too
(``tests/test_fastlane.py`` compares them).
"""

from __future__ import annotations

import os
import sys

__all__ = ["fast_answer", "main"]

_GLOBAL_VALUES = {"--ontology", "--store"}
_COMMAND_OPTIONS = {
    "render": ({"--all", "--check"}, {"--output-dir"}),
    "lookup": (set(), {"--lang", "--format"}),
    "docs check": ({"--strict"}, set()),
}
_FALSE = {"0", "false", "no", "off", "n", "f"}


def _options(args: list[str], flags: set[str], values: set[str]) -> tuple[dict[str, str], list[str]] | None:
    """``{option: value}`` (flags: ``""``) and the positional arguments, or None for anything unusual."""
    found: dict[str, str] = {}
    positional: list[str] = []
    items = iter(args)
    for arg in items:
        name, equals, value = arg.partition("=")
        if arg in flags and arg not in found:
            found[arg] = ""
        elif name in values and name not in found:
            if not equals:
                value = next(items, "")
            if not value or value.startswith("-"):
                return None
            found[name] = value
        elif arg.startswith("-") or arg == "":
            return None  # another option, --help, --: the full command line
        else:
            positional.append(arg)
    return found, positional


def _parse(args: list[str]) -> tuple[dict[str, str], str, dict[str, str], list[str]] | None:
    """Global options, command, its options and arguments; None unless it is a form of the fast lane."""
    head: list[str] = []
    rest = list(args)
    while rest and rest[0] in _GLOBAL_VALUES and len(rest) > 1:
        head += rest[:2]
        rest = rest[2:]
    words = 2 if rest[:2] == ["docs", "check"] else 1
    name, rest = " ".join(rest[:words]), rest[words:]
    if name not in _COMMAND_OPTIONS:
        return None
    general = _options(head, set(), _GLOBAL_VALUES)
    command = _options(rest, *_COMMAND_OPTIONS[name])
    if general is None or command is None:
        return None
    return general[0], name, command[0], command[1]


def _environment_allows(general: dict[str, str], command: str, options: dict[str, str]) -> bool:
    """Whether nothing in the environment asks for what only the full command line does (or checks)."""
    env = os.environ
    if env.get("VIRTGRAPH_ENDPOINT") or env.get("VIRTGRAPH_TIMEOUT") is not None:
        return False
    no_cache = env.get("VIRTGRAPH_NO_CACHE", "").strip().lower()
    if no_cache and no_cache not in _FALSE:
        return False  # the cache is off (or a value click would refuse)
    store = general.get("--store") or env.get("VIRTGRAPH_STORE") or "oxigraph"
    if store != "oxigraph" and not (command != "lookup" and store == "memory"):
        return False
    if command == "lookup":
        lang = options.get("--lang") or env.get("VIRTGRAPH_LANG") or "zh"
        return lang in ("zh", "en") and options.get("--format", "text") in ("text", "json")
    return command == "docs check" or len(options.keys() & {"--all", "--check"}) == 1


def fast_answer(args: list[str]) -> str | None:
    """What the full command line would print for ``args``, when the fast lane can tell without it; else None."""
    parsed = _parse(args)
    if parsed is None or not _environment_allows(parsed[0], parsed[1], parsed[2]):
        return None
    general, command, options, positional = parsed
    ontology = general.get("--ontology") or os.environ.get("VIRTGRAPH_ONTOLOGY") or None
    store = general.get("--store") or os.environ.get("VIRTGRAPH_STORE") or "oxigraph"
    from .errors import VirtgraphError

    try:
        if command == "render" and not positional:
            return _render(ontology, store, options)
        if command == "lookup" and len(positional) == 1:
            return _lookup(ontology, positional[0], options)
        if command == "docs check" and positional:
            return _docs_check(ontology, store, positional, "--strict" in options)
    except (VirtgraphError, OSError, ValueError):
        return None  # the full command line reports it properly
    return None


def _render(ontology: str | None, store: str, options: dict[str, str]) -> str | None:
    from .manifest import Inputs, current_outputs

    out_dir = options.get("--output-dir", "output")
    count = current_outputs(out_dir, Inputs(ontology, store).digests())
    if count is None:
        return None
    return f"{count} files in {out_dir}/ are current" if "--check" in options else f"0 written, {count} unchanged"


def _lookup(ontology: str | None, term: str, options: dict[str, str]) -> str | None:
    from .cache import find_entry, kept_output
    from .ontology import ontology_files

    entry = find_entry(ontology_files(ontology))
    lang = options.get("--lang") or os.environ.get("VIRTGRAPH_LANG") or "zh"
    return kept_output(entry, term, lang, options.get("--format", "text")) if entry is not None else None


def _docs_check(ontology: str | None, store: str, paths: list[str], strict: bool) -> str | None:
    from .checked import check_inputs, replay_check

    recorded = replay_check(paths, strict, check_inputs(ontology, store))
    return recorded.removesuffix("\n") if recorded else None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``virtgraph`` console script and of ``python -m virtgraph``."""
    args = sys.argv[1:] if argv is None else list(argv)
    answer = fast_answer(args)
    if answer is None:
        from .cli import main as full

        full(args)
        return
    try:
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(0)
