"""Two analysts' assessments of one package: copies of a worked example that differ in three answers.

Ann's copy is the Paris Declaration example as published. Bob's differs on a gated criterion (legal
basis, one level down, so its gate fires for him and not for Ann), on unknown against a level (who
determines a violation, which comes before legal basis in the criteria set, so "gated first" is
seen), and on a level one step up with low confidence (duration and withdrawal). Both copies are saved through
the core, so they verify.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import finalize, load_scored, save_report, with_answer
from guaranteekit.formats.models import AnswerStatus, Confidence, Report

# The example as scored with criteria 1.0.0 (kept under tests/data/reports/v1): the figures these
# tests pin were worked out on that version, which stays installed.
EXAMPLE = (
    Path(__file__).parent.parent / "data" / "reports" / "v1" / "paris-declaration-2026-01-06.toml"
)
ANN, BOB = "Ann Analyst", "Bob Analyst"
DIFFERENT = ["legal-basis", "violation-determination", "duration-withdrawal"]
"""The three criteria Bob answers differently, gated first, then in the criteria set's order."""
BOB_RATIONALE = {
    "legal-basis": "Only [b]political[/b] | the binding instruments are still to be concluded.",
    "violation-determination": "The Special Commission's powers are left to later talks: unknown.",
    "duration-withdrawal": "A term of years is implied: the commitments run for the long term.",
}


@dataclass(frozen=True)
class Pair:
    ann: Path
    bob: Path


def _as(report: Report, assessor: str) -> Report:
    provenance = report.provenance.model_copy(update={"assessor": assessor})
    return report.model_copy(update={"provenance": provenance})


def _changed(report: Report, criterion: str, **update: object) -> Report:
    answer = report.answer(criterion)
    assert answer is not None
    rationale = BOB_RATIONALE[criterion]
    return with_answer(report, answer.model_copy(update={"rationale": rationale, **update}))


def bob_of(report: Report) -> Report:
    """Bob's reading: the example with the three answers changed."""
    bob = _as(report, BOB)
    bob = _changed(bob, "legal-basis", level="political")
    bob = _changed(bob, "violation-determination", status=AnswerStatus.UNKNOWN, level=None)
    return _changed(bob, "duration-withdrawal", level="short-term", confidence=Confidence.LOW)


def write_pair(folder: Path) -> Pair:
    scored = load_scored(EXAMPLE)
    ann, bob = folder / "ann.toml", folder / "bob.toml"
    save_report(ann, finalize(_as(scored.report, ANN), scored.criteria), overwrite=False)
    save_report(bob, finalize(bob_of(scored.report), scored.criteria), overwrite=False)
    return Pair(ann, bob)


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    return write_pair(tmp_path)
