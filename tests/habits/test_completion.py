"""`guaranteekit completion SHELL` prints a script the shell accepts, and the bash one completes
commands, options, choices and file names as a person pressing Tab would see them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from guaranteekit.cli.completion import script
from guaranteekit.cli.parser import build_parser, main

COMMANDS = ["compare", "diff", "report", "schema", "verify", "criteria", "completion"]


def _script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("shell", "check"),
    [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])],
)
def test_the_shell_accepts_the_script(
    shell: str, check: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _script(shell, capsys)
    for command in COMMANDS:
        assert command in text
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed")
    path = tmp_path / f"completion.{shell}"
    path.write_text(text)
    done = subprocess.run([*check, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


CASES = {
    "guaranteekit co": "compare completion",
    "guaranteekit compare --fo": "--format --force",
    "guaranteekit compare --format ": "md html pdf toml json",
    "guaranteekit compare a.toml --format md -o ": "a.toml b.toml",
    "guaranteekit criteria ": "list show check",
    "guaranteekit criteria show --format ": "text md",
    "guaranteekit criteria list ": "",
    "guaranteekit completion ": "bash zsh fish",
    "guaranteekit report ": "a.toml b.toml",
    "guaranteekit verify --format json ": "a.toml b.toml",
}


def test_bash_completes_commands_options_choices_and_files(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.toml").touch()
    (folder / "b.toml").touch()
    completion = tmp_path / "completion.bash"
    completion.write_text(script("bash", build_parser()))
    calls = [f"source {completion}"]
    for line in CASES:
        words = line.split(" ")
        quoted = " ".join(f"'{w}'" for w in words)
        calls.append(
            f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _guaranteekit;"
            ' echo "${COMPREPLY[*]}"'
        )
    done = subprocess.run(
        ["bash", "-c", "\n".join(calls)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    got = dict(zip(CASES, done.stdout.splitlines(), strict=True))
    assert {line: " ".join(sorted(v.split())) for line, v in got.items()} == {
        line: " ".join(sorted(v.split())) for line, v in CASES.items()
    }
