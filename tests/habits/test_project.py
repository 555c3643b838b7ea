"""The project's own habits: a LICENSE matching `license = "MIT"`, project addresses, and a `make
run` that installs only what running needs."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_license_file_is_the_one_pyproject_names() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_pyproject_gives_the_projects_addresses() -> None:
    urls = _pyproject()["project"]["urls"]
    assert {"Homepage", "Issues", "Source"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())


def _make_dry_run(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -B: every step as on a fresh clone; -n: print them, run none.
    done = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_make_run_installs_only_what_running_needs() -> None:
    steps = _make_dry_run("run")
    assert "pip install --quiet -e .\n" in steps
    assert "[dev]" not in steps


def test_make_test_and_lint_install_the_development_tools() -> None:
    assert "pip install --quiet -e '.[dev]'" in _make_dry_run("test")
    assert "pip install --quiet -e '.[dev]'" in _make_dry_run("lint")
