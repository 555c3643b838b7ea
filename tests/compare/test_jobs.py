"""`compare --jobs N`: reading and scoring in several processes gives the same documents and the
same errors as in one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from guaranteekit import compare
from guaranteekit.batch import MIN_CHUNK
from guaranteekit.catalog import resource_dir
from guaranteekit.cli import main

EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Enough copies of the worked examples for two processes to get a chunk each."""
    folder = tmp_path_factory.mktemp("many")
    copies = -(-2 * MIN_CHUNK // len(EXAMPLES))
    return [
        Path(shutil.copy(example, folder / f"{n:02d}-{example.name}"))
        for n in range(copies)
        for example in EXAMPLES
    ]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def jobs_asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The jobs the command asks batch.fork_map for, to read the reports (the call goes through)."""
    asked: list[int] = []
    real = compare.fork_map

    def spy(function: Any, items: Any, jobs: int = 0, **kwargs: Any) -> Any:
        asked.append(jobs)
        return real(function, items, jobs, **kwargs)

    monkeypatch.setattr(compare, "fork_map", spy)
    return asked


@pytest.mark.parametrize("fmt", ["md", "html", "toml", "json"])
def test_the_document_is_the_same_in_one_process_or_two(
    many: list[Path], capsys: pytest.CaptureFixture[str], jobs_asked: list[int], fmt: str
) -> None:
    files = [str(p) for p in many]
    one = run(capsys, "compare", *files, "--format", fmt, "--draws", "0", "--jobs", "1")
    two = run(capsys, "compare", *files, "--format", fmt, "--draws", "0", "--jobs", "2")
    assert one[0] == 0, one[2]
    assert two == one
    assert one[1].count("Budapest") >= len(many) // len(EXAMPLES)
    assert jobs_asked == [1, 2]  # the option reaches the reading (which forks: test_batch.py)


def test_rounds_are_the_same_in_one_process_or_two(
    many: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(p) for p in many]
    one = run(capsys, "compare", "--rounds", *files, "--format", "json", "--jobs", "1")
    assert one[0] == 0, one[2]
    assert run(capsys, "compare", "--rounds", *files, "--format", "json", "--jobs", "2") == one


def test_every_problem_is_reported_in_file_order_from_any_process(
    many: list[Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = [tmp_path / "first.toml", tmp_path / "last.toml"]
    broken[0].write_text('format_version = 1\npackage = "not a table"\n')
    broken[1].write_text("this is = = not TOML\n")
    files = [str(broken[0]), *(str(p) for p in many), str(broken[1])]
    one = run(capsys, "compare", *files, "--format", "json", "--draws", "0", "--jobs", "1")
    two = run(capsys, "compare", *files, "--format", "json", "--draws", "0", "--jobs", "2")
    assert one[0] != 0
    assert two == one
    lines = one[2].splitlines()
    assert lines[0].startswith(f"guaranteekit: {broken[0]}")
    assert lines[-1].startswith(f"guaranteekit: {broken[1]}:1:")
    assert one[1] == ""


def test_a_negative_jobs_is_refused(many: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", str(many[0]), "--jobs", "-1")
    assert code != 0
    assert out == ""
    assert err.strip() == "guaranteekit: --jobs: must be 0 (one per core) or more, not -1"
