"""`scripts/agreement.py` as the lead runs it: two folders of analysts' answer files in, Krippendorff's
alpha, same verdicts and score gaps out; bad input named by file and place, never a traceback."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.formats.models import AnswerStatus

ROOT = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("agreement", ROOT / "scripts" / "agreement.py")
assert SPEC and SPEC.loader
agreement = importlib.util.module_from_spec(SPEC)
# Registered first: dataclasses look their module up in sys.modules while the script loads.
sys.modules["agreement"] = agreement
SPEC.loader.exec_module(agreement)

CASES = ["seato-1954", "cyprus-guarantee-1960", "us-28-point-plan-2025-11"]


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_analyst(folder: Path, changes: dict[tuple[str, str], str] | None = None) -> Path:
    """An analyst's folder holding the examples' own answers, with some levels changed."""
    folder.mkdir()
    for case in CASES:
        report = load_report(resource_dir("examples") / f"{case}.toml")
        lines = [f"case = {_toml(case)}"]
        for answer in report.answers:
            lines += ["", f"[answers.{answer.criterion}]", f"status = {_toml(answer.status.value)}"]
            level = (changes or {}).get((case, answer.criterion), answer.level)
            if answer.status is AnswerStatus.LEVEL:
                lines.append(f"level = {_toml(level)}")
            lines.append(f"rationale = {_toml(answer.rationale)}")
        (folder / f"{case}.toml").write_text("\n".join(lines) + "\n")
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = agreement.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_two_analysts_who_answer_alike_agree_fully(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = write_analyst(tmp_path / "a"), write_analyst(tmp_path / "b")
    code, out, err = run([str(a), str(b), "--json"], capsys)
    assert code == 0, err
    document = json.loads(out)
    assert document["alpha"] == 1.0
    assert document["same_verdict"] == document["cases_compared"] == len(CASES)
    assert document["largest_gap"] == 0.0
    assert all(case["units"] == 35 for case in document["cases"])


def test_a_disagreement_lowers_alpha_and_shows_the_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_analyst(tmp_path / "a")
    # B reads SEATO's commitment as Article 5 and its trigger as wide: a higher score, same band?
    b = write_analyst(
        tmp_path / "b",
        {
            ("seato-1954", "article5-commitment"): "article5",
            ("seato-1954", "trigger-scope"): "wide",
            ("cyprus-guarantee-1960", "guarantor-reliability"): "committed",
        },
    )
    code, out, _ = run([str(a), str(b), "--json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["alpha"] < 1.0
    by_case = {case["case"]: case for case in document["cases"]}
    assert by_case["us-28-point-plan-2025-11"]["alpha"] == 1.0
    assert by_case["seato-1954"]["alpha"] < 1.0 and by_case["seato-1954"]["gap"] > 0
    assert document["largest_gap"] == max(case["gap"] for case in document["cases"])

    code, out, _ = run([str(a), str(b)], capsys)
    assert code == 0
    assert "overall: Krippendorff's alpha (ordinal, status counted)" in out
    assert "largest score gap:" in out and "same verdict:" in out


def test_a_status_disagreement_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_analyst(tmp_path / "a")
    b = write_analyst(tmp_path / "b")
    path = b / "seato-1954.toml"
    text = path.read_text().replace(
        '[answers.trigger-scope]\nstatus = "level"\nlevel = "narrow"',
        '[answers.trigger-scope]\nstatus = "unknown"',
    )
    assert text != path.read_text()
    path.write_text(text)
    code, out, _ = run([str(a), str(b), "--json"], capsys)
    assert code == 0
    seato = {c["case"]: c for c in json.loads(out)["cases"]}["seato-1954"]
    assert seato["units"] == 35 and seato["alpha"] < 1.0


def test_bad_input_is_named_by_file_and_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_analyst(tmp_path / "a")
    b = write_analyst(tmp_path / "b", {("seato-1954", "named-guarantors"): "nonsense"})
    (b / "broken.toml").write_text("case = [\n")
    extra = (
        b / "cyprus-guarantee-1960.toml"
    ).read_text() + '\n[answers.no-such]\nstatus = "level"\n'
    (b / "cyprus-guarantee-1960.toml").write_text(extra)
    code, out, err = run([str(a), str(b)], capsys)
    assert code == 1 and not out
    assert "Traceback" not in err
    assert "broken.toml" in err
    assert "answers.no-such: no such criterion" in err
    assert "seato-1954.toml: answers.named-guarantors.level: 'nonsense' is not a level" in err
    code, _, err = run([str(a), str(tmp_path / "missing")], capsys)
    assert code == 1 and "missing: not a folder" in err
