"""A confidence is unset until the analyst chooses one: verify warns, the score and the Monte Carlo
run take such a level as exact (and the run says so), and reports written before, which say
`high` or leave the key out, still verify."""

from __future__ import annotations

import shutil
from pathlib import Path

from guaranteekit.formats.assessment import finalize, load_report, save_report
from guaranteekit.formats.catalog import find_criteria, resource_dir
from guaranteekit.formats.models import AnswerStatus, Confidence
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring import montecarlo as analysis
from guaranteekit.verify.checks import verify_file

EXAMPLE = "nato-article-5.toml"


def test_a_report_that_left_out_a_high_confidence_still_verifies(tmp_path: Path) -> None:
    # Before confidence could be unset, an absent key meant `high`, and the digest was computed so.
    path = Path(shutil.copy(resource_dir("examples") / EXAMPLE, tmp_path))
    text = path.read_text(encoding="utf-8")
    assert 'confidence = "high"\n' in text
    path.write_text(text.replace('confidence = "high"\n', ""), encoding="utf-8")
    result = verify_file(path)
    assert result.ok, [(p.code, p.where) for p in result.problems if p.severity.value == "error"]
    assert {p.code for p in result.problems} >= {"confidence-unset"}


def test_an_unset_confidence_scores_as_high_and_the_run_says_so(tmp_path: Path) -> None:
    report = load_report(resource_dir("examples") / EXAMPLE)
    criteria = find_criteria(report.criteria.id, report.criteria.version)
    at_level = [a for a in report.answers if a.status is AnswerStatus.LEVEL]
    high = [a.model_copy(update={"confidence": Confidence.HIGH}) for a in at_level]
    unset = [a.model_copy(update={"confidence": None}) for a in at_level]
    assert scoring.compute(criteria, unset) == scoring.compute(criteria, high)
    run = analysis.monte_carlo(criteria, unset, draws=200, seed=1)
    exact = analysis.monte_carlo(criteria, high, draws=200, seed=1)
    assert run.probabilities == exact.probabilities
    assert f"{len(unset)} answer(s) with no confidence chosen stay at their level" in run.method
    assert "no confidence chosen" not in exact.method


def test_verify_warns_on_an_answer_at_a_level_without_a_confidence(tmp_path: Path) -> None:
    report = load_report(resource_dir("examples") / EXAMPLE)
    criteria = find_criteria(report.criteria.id, report.criteria.version)
    first = report.answers[0]
    answers = [first.model_copy(update={"confidence": None}), *report.answers[1:]]
    path = tmp_path / "r.toml"
    save_report(path, finalize(report.model_copy(update={"answers": answers}), criteria))
    result = verify_file(path)
    warned = [p for p in result.problems if p.code == "confidence-unset"]
    assert result.ok and [p.where for p in warned] == [f"answers[0] ({first.criterion}).confidence"]
    assert warned[0].severity.value == "warning"
