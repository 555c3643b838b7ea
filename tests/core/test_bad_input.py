"""Every bad input in tests/data/bad gets a clear error: non-zero exit, the expected words, no
traceback, and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

BAD = Path(__file__).parent.parent / "data" / "bad"
CASES = tomllib.loads((BAD / "cases.toml").read_text())


def _argv(command: str, path: Path) -> list[str]:
    if command == "criteria-check":
        return ["criteria", "check", str(path)]
    return [command, str(path)]


def test_every_fixture_has_a_case() -> None:
    fixtures = {p.stem for p in BAD.glob("*.toml") if p.name != "cases.toml"}
    assert fixtures == set(CASES), "each bad fixture needs its expected words in cases.toml"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_a_clear_error(
    name: str, fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    path = BAD / f"{name}.toml"
    before = sorted(os.listdir(BAD))
    code = main(_argv(case["command"], path))
    err = capsys.readouterr().err
    assert code != 0
    for word in case["words"]:
        assert word in err, f"{word!r} missing from: {err}"
    assert "Traceback" not in err
    assert sorted(os.listdir(BAD)) == before


@pytest.mark.parametrize("name", ["report-not-toml", "report-binary", "report-wrong-type"])
def test_verify_reports_bad_input_without_traceback(name: str, fixture_sets: Path) -> None:
    # Through a real process: what a user sees on the terminal.
    result = subprocess.run(
        [sys.executable, "-m", "guaranteekit", "verify", str(BAD / f"{name}.toml")],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for word in CASES[name]["words"][1:]:
        assert word in result.stdout


def test_each_line_names_file_and_place(
    fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["score", str(BAD / "report-not-toml.toml")])
    line = capsys.readouterr().err.strip()
    # file:line:col: message
    assert line.split(": ", 1)[1].startswith(str(BAD / "report-not-toml.toml") + ":2:9:")
