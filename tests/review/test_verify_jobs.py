"""`verify --jobs N`: checking files in several processes gives the same findings, in the same
order, with the same exit code, as in one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from guaranteekit import verify
from guaranteekit.batch import MIN_CHUNK
from guaranteekit.catalog import resource_dir
from guaranteekit.cli import main

EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Enough copies of the worked examples for two processes, one of them hand-edited."""
    folder = tmp_path_factory.mktemp("many")
    copies = -(-2 * MIN_CHUNK // len(EXAMPLES))
    files = [
        Path(shutil.copy(example, folder / f"{n:02d}-{example.name}"))
        for n in range(copies)
        for example in EXAMPLES
    ]
    edited = files[len(files) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('\nname = "', '\nname = "Edited: ', 1), encoding="utf-8")
    return files


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def jobs_asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The jobs verify asks batch.fork_map for (the call goes through)."""
    asked: list[int] = []
    real = verify.fork_map

    def spy(function: Any, items: Any, jobs: int = 0, **kwargs: Any) -> Any:
        asked.append(jobs)
        return real(function, items, jobs, **kwargs)

    monkeypatch.setattr(verify, "fork_map", spy)
    return asked


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_findings_are_the_same_in_one_process_or_two(
    many: list[Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    jobs_asked: list[int],
    fmt: str,
) -> None:
    files = [str(p) for p in many] + [str(tmp_path / "missing.toml")]
    one = run(capsys, "verify", *files, "--format", fmt, "--jobs", "1")
    two = run(capsys, "verify", *files, "--format", fmt, "--jobs", "2")
    assert two == one
    assert one[0] == 2  # the missing file could not be checked
    caught = {"text": "the report digest no longer matches", "json": '"code": "digest-mismatch"'}
    assert caught[fmt] in one[1]  # the edited copy
    assert one[1].count("missing.toml") >= 1
    assert jobs_asked == [1, 2]  # the option reaches the checking (which forks: test_batch.py)


def test_a_negative_jobs_is_refused(many: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verify", str(many[0]), "--jobs", "-1")
    assert code != 0
    assert out == ""
    assert err.strip() == "guaranteekit: --jobs: must be 0 (one per core) or more, not -1"
