"""The review workflow end to end through the API and the CLI, as the TUI's review mode drives it:
dispute one answer, accept the rest, request changes, save, verify; then the assessor answers and
the reviewer approves; and an answer changed after an approval makes verify fail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import (
    finalize,
    load_report,
    load_scored,
    save_report,
    with_answer,
)
from guaranteekit.formats.models import CriteriaSet, Report, ReviewKind, SignoffDecision
from guaranteekit.review import trail as review

REVIEWER = "Rita Reviewer"
ASSESSOR = "Ann Assessor"


def verify_json(path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, dict]:
    code = main(["verify", "--format", "json", str(path), *more])
    return code, json.loads(capsys.readouterr().out)["files"][0]


def problems(found: dict) -> list[tuple[str, str, str]]:
    return [(p["severity"], p["code"], p["where"]) for p in found["problems"]]


def test_review_with_a_dispute_then_changes_requested(
    report: Report,
    saved: Callable[[Report, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved(report, "report.toml")

    # The reviewer walks the answers: disputes one, accepts the rest, requests changes.
    scored = load_scored(path)
    trail = scored.report
    for answer in trail.answers:
        if answer.criterion == "force":
            trail = review.dispute(trail, REVIEWER, "force", "5,000 troops is not 'small'.")
        else:
            trail = review.accept(trail, REVIEWER, answer.criterion)
    trail = review.sign_off(trail, REVIEWER, "changes_requested", "One answer to revisit.")
    save_report(path, trail)

    # The saved report carries the trail, exactly as written.
    reread = load_report(path)
    assert reread == trail
    assert [(e.kind, e.criterion) for e in reread.review.entries] == [
        (ReviewKind.ACCEPT, "guarantor"),
        (ReviewKind.DISPUTE, "force"),
        (ReviewKind.ACCEPT, "aid"),
        (ReviewKind.SIGNOFF, None),
    ]
    assert reread.review.entries[-1].decision is SignoffDecision.CHANGES_REQUESTED
    assert {e.author for e in reread.review.entries} == {REVIEWER}

    # verify passes, with the open dispute and the request for changes reported as warnings.
    code, found = verify_json(path, capsys)
    assert code == 0 and found["ok"] and found["errors"] == 0
    assert problems(found) == [
        ("warning", "changes-requested", "review.entries[3]"),
        ("warning", "dispute-open", "review.entries[1] (force)"),
    ]
    assert "5,000 troops is not 'small'." in found["problems"][1]["message"]
    assert found["summary"]["review"]["states"] == {
        "unreviewed": 0,
        "accepted": 2,
        "disputed": 1,
        "resolved": 0,
    }

    # In text: the same, one line each, and a pass.
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: review.entries[1] (force): disputed by Rita Reviewer" in out
    assert "ok with 2 warning(s)" in out
    # --strict turns the warnings into errors.
    assert main(["verify", "--strict", str(path)]) == 1
    capsys.readouterr()


def test_the_assessor_answers_and_the_reviewer_approves(
    report: Report,
    mini: CriteriaSet,
    saved: Callable[[Report, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = review.accept(report, REVIEWER, "guarantor")
    report = review.dispute(report, REVIEWER, "force", "5,000 troops is not 'small'.")
    report = review.accept(report, REVIEWER, "aid")
    report = review.sign_off(report, REVIEWER, "changes_requested")
    path = saved(report, "report.toml")

    # The assessor opens the report, sees the dispute, replies and changes the answer.
    opened = load_report(path)
    [(index, disputed)] = review.open_disputes(opened)
    assert (index, disputed.criterion) == (1, "force")
    answer = opened.answer("force")
    assert answer is not None
    opened = review.reply(opened, ASSESSOR, "force", "Agreed: 5,000 is a brigade; raised.")
    opened = finalize(with_answer(opened, answer.model_copy(update={"level": "many"})), mini)
    save_report(path, opened)
    code, found = verify_json(path, capsys)
    assert code == 0
    assert ("warning", "dispute-open", "review.entries[1] (force)") in problems(found)
    assert any("awaits a new review" in p["message"] for p in found["problems"])

    # The reviewer sees the change, resolves the dispute, looks again and approves.
    again = load_report(path)
    assert review.review_state(again)["force"].stale
    again = review.resolve(again, REVIEWER, "force", "Resolved by the new level.")
    for cid in ("guarantor", "aid"):
        again = review.accept(again, REVIEWER, cid)
    again = review.sign_off(again, REVIEWER, "approved")
    save_report(path, again)
    code, found = verify_json(path, capsys)
    assert (code, found["problems"]) == (0, [])
    assert found["summary"]["review"]["signoff"]["decision"] == "approved"
    # The whole thread stays in the trail.
    assert [e.kind for e in review.threads(load_report(path))["force"]] == [
        ReviewKind.DISPUTE,
        ReviewKind.REPLY,
        ReviewKind.RESOLVE,
    ]


def test_an_answer_changed_after_approval_makes_the_signoff_stale(
    report: Report,
    mini: CriteriaSet,
    saved: Callable[[Report, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for cid in ("guarantor", "force", "aid"):
        report = review.accept(report, REVIEWER, cid)
    report = review.sign_off(report, REVIEWER, "approved", "All justified.")
    path = saved(report, "report.toml")
    code, found = verify_json(path, capsys)
    assert (code, found["problems"]) == (0, [])

    # The assessor changes one answer afterwards and saves properly (results and digest updated).
    answer = report.answer("guarantor")
    assert answer is not None
    changed = finalize(with_answer(report, answer.model_copy(update={"level": "bound"})), mini)
    save_report(path, changed)

    code, found = verify_json(path, capsys)
    assert code == 1
    assert problems(found) == [("error", "signoff-stale", "review.entries[3]")]
    assert "approved by Rita Reviewer" in found["problems"][0]["message"]
    assert found["summary"]["review"]["signoff"]["stale"] is True
