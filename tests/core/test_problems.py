"""Errors carry `Problem`s (file, place, message, code) that verify reports without parsing text,
and `cli.parser.main` maps every error to its exit code: 2 for a usage error, 1 for problems found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.errors import Code, LoadError, Problem, UsageError
from guaranteekit.formats.storage import parse_toml, read_model
from guaranteekit.verify.checks import verify_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "nato-article-5.toml"


def test_a_syntax_error_carries_its_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        parse_toml(b"a = 1\nb = \n", "f.toml")
    (problem,) = caught.value.details
    assert (problem.file, problem.position, problem.code) == ("f.toml", (2, 5), Code.SCHEMA)
    assert problem.where == "line 2, column 5"
    assert caught.value.problems == [f"f.toml:2:5: {problem.message}"]


def test_a_validation_error_carries_its_key_path(tmp_path: Path) -> None:
    from guaranteekit.formats.models import Report

    text = EXAMPLE.read_text(encoding="utf-8").replace('\nname = "', '\nnmae = "', 1)
    edited = tmp_path / "r.toml"
    edited.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_model(edited, Report)
    where = {p.where for p in caught.value.details}
    assert "package.nmae" in where
    assert all(line.startswith(f"{edited}: ") for line in caught.value.problems)


def test_verify_reports_the_loaders_problems_as_they_are(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('format_version = 1\n[package\nname = "x"\n', encoding="utf-8")
    (problem,) = verify_file(broken).problems
    assert (problem.code, problem.where) == (Code.SCHEMA, "line 2, column 9")
    assert problem.message.startswith("not valid TOML: ")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (Problem("f", "", "m"), "f: m"),
        (Problem("f", "a.b", "m"), "f: a.b: m"),
        (Problem("", "", "m"), "m"),
        (Problem.at("f", 3, 7, "m"), "f:3:7: m"),
    ],
)
def test_a_problem_prints_as_one_line(text: Problem, shown: str) -> None:
    assert str(text) == shown


def test_text_given_to_an_error_is_kept_as_its_line() -> None:
    error = UsageError("--x: no")
    assert error.problems == ["--x: no"] and error.details[0].code is Code.USAGE


@pytest.mark.parametrize(
    "argv",
    [
        ["score", str(EXAMPLE), "--draws", "-5"],
        ["score", str(EXAMPLE), "--draws", "abc"],
        ["compare", str(EXAMPLE), "--draws", "-5"],
        ["compare", str(EXAMPLE), "--draws", "abc"],
        ["verify", str(EXAMPLE), "--jobs", "-1"],
        ["verify", str(EXAMPLE), "--jobs", "x"],
        ["compare", "-", "-"],
        ["new", "--from", str(EXAMPLE)],
        ["score", "no-such-report.toml"],
        ["frobnicate"],
    ],
)
def test_every_usage_error_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exited:  # argparse refuses a bad option value itself
        code = exited.code  # type: ignore[assignment]
    assert code == 2
    assert capsys.readouterr().err.strip()


def test_problems_found_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("not toml at all = = =\n", encoding="utf-8")
    assert main(["score", str(broken)]) == 1
    assert main(["verify", "--format", "json", str(broken)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == 1
