"""The command line's own process ends as soon as a batch command's output is out (`batch.leave`):
the output is whole, the exit code is the command's, and no clean-up runs after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

RUNNER = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('clean-up ran\\n'))\n"
    "from guaranteekit.cli.parser import entry\n"
    "sys.exit(entry())\n"
)
"""`guaranteekit` as the console script runs it, with a clean-up that says when it runs."""


def command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # Buffered output, as usual for a pipe (the test run's environment may ask for none).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )


def test_compare_output_is_whole(
    example_copies: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compare", "--draws", "0", "--format", "json", *map(str, example_copies)]
    assert main(args) == 0
    expected = capsys.readouterr().out
    done = command(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected  # nothing left in a buffer when the process ended
    assert len(json.loads(done.stdout)["entries"]) == len(example_copies)
    assert "clean-up ran" not in done.stderr


def test_compare_to_a_file(example_copies: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "comparison.md"
    done = command("compare", "--draws", "0", "-o", out, *example_copies)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"guaranteekit: wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith(f"# Comparison of {len(example_copies)}")


def test_verify_keeps_its_exit_code(example_copies: list[Path], tmp_path: Path) -> None:
    good = command("verify", *example_copies[:2])
    assert (good.returncode, good.stderr) == (0, "")
    edited = tmp_path / "edited.toml"
    text = example_copies[0].read_text(encoding="utf-8")
    edited.write_text(text.replace('confidence = "high"', 'confidence = "low"', 1), "utf-8")
    bad = command("verify", example_copies[1], edited)
    assert bad.returncode == 1
    assert "edited.toml" in bad.stdout and "FAIL" in bad.stdout.upper()
    assert "clean-up ran" not in bad.stderr


def test_a_failed_command_exits_as_usual(tmp_path: Path) -> None:
    """Errors return through `main` (one line, its exit code); only finished output leaves early."""
    done = command("compare", tmp_path / "missing.toml")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == f"guaranteekit: {tmp_path / 'missing.toml'}: no such file"
    assert "clean-up ran" in done.stderr
