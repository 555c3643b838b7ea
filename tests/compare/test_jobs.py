"""`compare --jobs N`: reading and scoring in several processes gives the same documents and the
same errors as in one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.documents import build as compare
from guaranteekit.documents import columns


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def many(example_copies: list[Path]) -> list[Path]:
    return example_copies


@pytest.fixture
def jobs_asked(spy_fork_map: Callable[[ModuleType], list[Any]]) -> list[Any]:
    """The jobs the command asks fork_map for, to read the reports."""
    return spy_fork_map(columns)


@pytest.mark.parametrize("fmt", ["md", "html", "toml", "json"])
def test_the_document_is_the_same_in_one_process_or_two(
    many: list[Path], capsys: pytest.CaptureFixture[str], jobs_asked: list[Any], fmt: str
) -> None:
    files = [str(p) for p in many]
    one = run(capsys, "compare", *files, "--format", fmt, "--draws", "0", "--jobs", "1")
    two = run(capsys, "compare", *files, "--format", fmt, "--draws", "0", "--jobs", "2")
    assert one[0] == 0, one[2]
    assert two == one
    assert all(path.name in one[1] for path in many)  # every copy is in the document
    # The option reaches the reading (which forks: test_batch.py).
    assert [call.jobs for call in jobs_asked] == [1, 2]


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
    with pytest.raises(SystemExit) as exited:
        main(["compare", str(many[0]), "--jobs", "-1"])
    captured = capsys.readouterr()
    assert exited.value.code == 2  # a usage error: the command could not run
    assert captured.out == ""
    assert captured.err.strip() == (
        "guaranteekit compare: error: argument --jobs: must be 0 (one per core) or more, not -1"
        " (see guaranteekit compare --help)"
    )


def test_columns_are_left_as_they_were(report_files: dict[str, Path]) -> None:
    """A document takes the cells of columns made for their places as they are, and changes none:
    the same columns in another order give the document built afresh in that order."""
    paths = [report_files[name] for name in ("plan-a", "plan-b", "plan-c")]
    made, _ = columns.load_columns(paths, "compare")
    before = copy.deepcopy([c.cells for c in made])
    first = compare.assemble(made, "compare")
    assert any(cell.best for row in first.rows for cell in row.cells)
    assert [c.cells for c in made] == before
    again = compare.assemble(made[::-1], "compare")
    assert [c.cells for c in made] == before
    fresh = compare.build(columns.load_many(paths[::-1])[0], "compare")
    assert again == fresh


def test_the_template_is_loaded_while_the_reports_are_read(
    many: list[Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """compare hands fork_map the loading of its built-in template (batch's tests show when that
    runs); a user's template is read, and its errors told, only when it is rendered."""
    from guaranteekit.documents import render as documents

    calls: list[tuple[str, str]] = []
    real = documents.prepare
    monkeypatch.setattr(documents, "prepare", lambda *args: (calls.append(args), real(*args)))
    files = [str(p) for p in many]
    for fmt in ("md", "json"):
        assert run(capsys, "compare", *files, "--draws", "0", "--format", fmt)[0] == 0
    assert calls == [("compare", "md"), ("compare", "json")]
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ doc.title }}\n", encoding="utf-8")
    calls.clear()
    code, out, _ = run(capsys, "compare", *files, "--draws", "0", "--template", str(template))
    assert (code, calls) == (0, [])
    assert out.startswith("Comparison of")
