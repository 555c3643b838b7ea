"""The wheel carries the built-in criteria, templates, schemas and examples inside the package, so a
plain `pip install .` (not editable) finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (path,) = out.glob("guaranteekit-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.parametrize("folder", ["criteria", "templates", "schemas", "examples"])
def test_wheel_carries_the_resources(wheel: zipfile.ZipFile, folder: str) -> None:
    names = set(wheel.namelist())
    on_disk = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
    if not on_disk:
        pytest.skip(f"{folder}/ is empty")
    for path in on_disk:
        assert f"guaranteekit/{path.relative_to(ROOT).as_posix()}" in names


def test_wheel_has_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "guaranteekit = guaranteekit.cli.parser:entry" in wheel.read(entry_points).decode()
