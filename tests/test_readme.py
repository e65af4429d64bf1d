"""The README's console examples are real: each `$ virtgraph ...` is run and its output compared.

A block that ends in `...` is compared up to that line. Commands that write files or need a server are
skipped (they are covered by their own tests), and so is `cache` (its output is this machine's folder and sizes).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
SKIP = ("--endpoint", " push", "render ", "site ", " cache ")  # cache: this machine's folder and sizes


def examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    found.append((command, output))
                command, output = line[2:], []
            else:
                output.append(line)
        if command:
            found.append((command, output))
    return [(c, o) for c, o in found if c.startswith("virtgraph ") and not any(s in c for s in SKIP)]


@pytest.mark.parametrize(("command", "expected"), examples(), ids=[c for c, _ in examples()])
def test_readme_example(run, command, expected):
    expected = list(expected)
    while expected and not expected[-1]:
        expected.pop()  # the blank line before the next command
    result = run(*shlex.split(command)[1:])
    actual = (result.stdout + result.stderr).splitlines()
    if expected and expected[-1] == "...":
        expected = expected[:-1]
        actual = actual[: len(expected)]
    assert actual == expected


def test_there_are_examples():
    assert len(examples()) >= 5
