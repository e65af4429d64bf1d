"""The MkDocs example (``examples/mkdocs``) as the tests build it: copied, built with ``mkdocs build --strict``,
and, for the builds several test modules read, built once per test run (:func:`shared_example`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .once import once_per_run

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "mkdocs"

#: The builds of the example: the default theme, mkdocs-material, and the default theme with plain .html URLs
#: (name: its configuration file and the settings added to it).
BUILDS: dict[str, tuple[str, dict[str, object]]] = {
    "mkdocs": ("mkdocs.yml", {}),
    "material": ("mkdocs-material.yml", {}),
    "html-urls": ("mkdocs.yml", {"use_directory_urls": False}),  # (JSON is YAML: the settings are added as JSON)
}


def mkdocs_build(project: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``project`` into ``project/site`` (stdout and stderr together)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / config), "-d", "site"]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, check=False,
    )  # fmt: skip


def copy_example(folder: Path) -> Path:
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("site"))
    return folder


@dataclass(frozen=True)
class Built:
    """One build of the example: its project folder (the site in ``project/site``) and what mkdocs said."""

    project: Path
    returncode: int
    output: str


def build_example(folder: Path, kind: str) -> Built:
    """Copy the example into ``folder`` and build it as ``BUILDS[kind]`` says."""
    config, changes = BUILDS[kind]
    project = copy_example(folder)
    with (project / config).open("a", encoding="utf-8") as settings:
        settings.writelines(f"{key}: {json.dumps(value)}\n" for key, value in changes.items())
    result = mkdocs_build(project, config)
    return Built(project, result.returncode, result.stdout)


def shared_example(base: Path, kind: str) -> Built:
    """The example built as ``kind``, once per test run for every module and xdist worker that asks
    (``base`` is pytest's ``getbasetemp()``); the build's exit code and output are kept beside it."""

    def make(folder: Path) -> None:
        built = build_example(folder / "example", kind)
        (folder / "result.json").write_text(json.dumps([built.returncode, built.output]), encoding="utf-8")

    folder = once_per_run(base, f"mkdocs-example-{kind}", make)
    returncode, output = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    return Built(folder / "example", returncode, output)
