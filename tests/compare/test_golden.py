"""Golden files: the Markdown and HTML documents for a small fixed set of reports, byte for byte.

A change to a template, to the document data or to the number formatting shows up here as a diff a
reviewer can read. When the change is intended, regenerate the files and review them:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/compare/test_golden.py

Decision support (`--draws 0`) is left out: it has its own hand-worked tests in tests/analysis, and
its figures would otherwise tie these files to the Monte Carlo implementation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

GOLDEN = Path(__file__).parents[1] / "golden"
GENERATED = "1796083200"
"""2026-12-01: the documents print the day they were made, fixed here by SOURCE_DATE_EPOCH."""

CASES: dict[str, list[str]] = {
    "compare": ["compare", "plan-a.toml", "plan-b.toml", "plan-c.toml", "--draws", "0"],
    "rounds": ["compare", "--rounds", "round1.toml", "round2.toml", "round3.toml"],
    "diff": ["diff", "round2.toml", "round3.toml"],
    "report": ["report", "plan-a.toml", "--draws", "0"],
}


def render(capsys: pytest.CaptureFixture[str], argv: list[str], fmt: str) -> str:
    code = main([*argv, "--format", fmt])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_document_matches_its_golden_file(
    capsys: pytest.CaptureFixture[str],
    in_reports: Path,
    case: str,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GENERATED)
    text = render(capsys, CASES[case], fmt)
    golden = GOLDEN / f"{case}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; run with UPDATE_GOLDEN=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, (
        f"{case} --format {fmt} differs from {golden.name}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff"
    )


def test_rendering_twice_gives_the_same_bytes(
    capsys: pytest.CaptureFixture[str], in_reports: Path
) -> None:
    first = render(capsys, CASES["compare"], "html")
    assert render(capsys, CASES["compare"], "html") == first
