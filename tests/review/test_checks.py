"""The reviewer's verify checks that are not about the trail: evidence, and outdated criteria."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import finalize, save_report, with_answer
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, CriteriaSet, Report

MINI_SET = Path(__file__).parent.parent / "data" / "sets" / "mini.toml"


def codes(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, str]]:
    found = json.loads(capsys.readouterr().out)["files"][0]
    return [(p["severity"], p["code"], p["where"]) for p in found["problems"]]


def test_an_answer_above_the_lowest_level_needs_evidence(
    report: Report,
    mini: CriteriaSet,
    saved: Callable[[Report, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = with_answer(
        report,
        Answer(
            criterion="force",
            level="some",
            rationale="A contingent.",
            evidence=[" "],
            confidence="high",
        ),
    )
    # The lowest level needs no quote: the draft's silence is the evidence.
    report = with_answer(
        report,
        Answer(criterion="guarantor", level="none", rationale="Nobody.", confidence="high"),
    )
    path = saved(finalize(report, mini), "report.toml")
    assert main(["verify", "--format", "json", str(path)]) == 0
    assert codes(capsys) == [("warning", "no-evidence", "answers[1] (force).evidence")]
    assert main(["verify", "--strict", str(path)]) == 1
    assert "error: answers[1] (force).evidence: level 'some' is above" in capsys.readouterr().out


def _install(folder: Path, version: str) -> CriteriaSet:
    folder.mkdir(exist_ok=True)
    text = MINI_SET.read_text().replace('version = "1"', f'version = "{version}"', 1)
    target = folder / f"mini-{version}.toml"
    target.write_text(text)
    return load_criteria(target)


def test_criteria_older_than_the_installed_version(
    report: Report,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sets = tmp_path / "sets"
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(sets))
    old = _install(sets, "1.9")
    path = tmp_path / "report.toml"
    save_report(path, finalize(report, old))
    assert main(["verify", "--format", "json", str(path)]) == 0
    assert codes(capsys) == []

    _install(sets, "1.10")
    _install(sets, "1.2")
    assert main(["verify", "--format", "json", str(path)]) == 0
    assert codes(capsys) == [("warning", "criteria-outdated", "criteria.version")]
    assert main(["verify", str(path)]) == 0
    assert "scored against mini 1.9, but version 1.10 is installed" in capsys.readouterr().out
    assert main(["verify", "--strict", str(path)]) == 1
    capsys.readouterr()


def test_the_same_version_written_differently_is_not_newer(
    report: Report,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sets = tmp_path / "sets"
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(sets))
    path = tmp_path / "report.toml"
    save_report(path, finalize(report, _install(sets, "1.0")))
    _install(sets, "1")
    assert main(["verify", "--format", "json", str(path)]) == 0
    assert codes(capsys) == []
