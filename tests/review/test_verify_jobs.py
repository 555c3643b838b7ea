"""`verify --jobs N`: checking files in several processes gives the same findings, in the same
order, with the same exit code, as in one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guaranteekit.cli.parser import main


@pytest.fixture(scope="module")
def many(example_copies: list[Path]) -> list[Path]:
    """The copies of the worked examples, one of them hand-edited."""
    edited = example_copies[len(example_copies) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('\nname = "', '\nname = "Edited: ', 1), encoding="utf-8")
    return example_copies


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of worker processes of every pool verify starts (each still runs)."""
    from concurrent import futures

    started: list[int] = []
    real = futures.ProcessPoolExecutor

    def pool(max_workers: int | None = None, **kwargs: Any) -> futures.ProcessPoolExecutor:
        started.append(max_workers or 0)
        return real(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", pool)
    return started


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_findings_are_the_same_in_one_process_or_two(
    many: list[Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pools: list[int],
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
    # One process for --jobs 1, a pool of two for --jobs 2.
    assert pools == [2]


def test_a_negative_jobs_is_refused(many: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(many[0]), "--jobs", "-1"])
    captured = capsys.readouterr()
    assert exited.value.code == 2  # a usage error: the command could not run
    assert captured.out == ""
    assert captured.err.strip() == (
        "guaranteekit verify: error: argument --jobs: must be 0 (one per core) or more, not -1"
        " (see guaranteekit verify --help)"
    )
