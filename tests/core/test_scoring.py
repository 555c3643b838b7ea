"""Scoring on the mini set, every figure worked out by hand.

mini: guarantor (pillar who, weight 2, levels none 0 / named .5 / bound 1, gate: below `named` caps at
`low`), force (what, weight 1, none 0 / some .5 / many 1), aid (what, weight 1, none 0 / yes 1).
Bands: low from 0, mid from 40, high from 75.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, DisabledCriterion, Profile
from guaranteekit.scoring.core import compute, effective_weights

MINI = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "mini.toml")


def level(cid: str, lvl: str, confidence: str = "high") -> Answer:
    return Answer(criterion=cid, level=lvl, rationale="r", confidence=Confidence(confidence))


def test_weighted_mean_of_answered_criteria() -> None:
    # (2*0.5 + 1*1.0 + 1*0) / 4 = 0.5
    r = compute(MINI, [level("guarantor", "named"), level("force", "many"), level("aid", "none")])
    assert r.score == 50.0 and r.low == 50.0 and r.high == 50.0
    assert not r.provisional and r.verdict == "mid"
    assert [p.score for p in r.pillars] == [50.0, 50.0]
    assert sum(c.contribution for c in r.criteria) == pytest.approx(50.0)


def test_not_applicable_removes_the_weight() -> None:
    # (2*0.5 + 1*1.0) / 3 = 66.67
    na = Answer(criterion="aid", status=AnswerStatus.NOT_APPLICABLE, reason="separate treaty")
    r = compute(MINI, [level("guarantor", "named"), level("force", "many"), na])
    assert r.score == 66.67
    assert not r.provisional
    assert [c.weight for c in r.criteria] == [2.0, 1.0, 0.0]


def test_unknown_and_unanswered_give_a_provisional_range() -> None:
    # answered: guarantor bound (2*1); unknown: force; unanswered: aid. score = 100 over answered.
    # low = (2 + 0 + 0) / 4 = 50; high = (2 + 1 + 1) / 4 = 100
    unknown = Answer(criterion="force", status=AnswerStatus.UNKNOWN, rationale="silent")
    r = compute(MINI, [level("guarantor", "bound"), unknown])
    assert (r.score, r.low, r.high) == (100.0, 50.0, 100.0)
    assert r.provisional and r.unknown == ["force"] and r.unanswered == ["aid"]
    assert (r.verdict_low, r.verdict, r.verdict_high) == ("mid", "high", "high")


def test_confidence_widens_the_range() -> None:
    # force `some` low confidence: one level either way -> 0 .. 1.
    # aid `yes` medium: half-way to the neighbour below -> 0.5 .. 1 (no level above).
    # guarantor `bound` high: 1 .. 1.
    # low = (2 + 0 + 0.5) / 4 = 62.5; high = (2 + 1 + 1) / 4 = 100; score = (2 + .5 + 1)/4 = 87.5
    r = compute(
        MINI,
        [level("guarantor", "bound"), level("force", "some", "low"), level("aid", "yes", "medium")],
    )
    assert (r.score, r.low, r.high) == (87.5, 62.5, 100.0)
    assert not r.provisional


def test_a_gate_caps_the_verdict_and_says_so() -> None:
    # (2*0 + 1 + 1) / 4 = 50 -> mid, but guarantor below `named` caps at low.
    r = compute(MINI, [level("guarantor", "none"), level("force", "many"), level("aid", "yes")])
    assert r.score == 50.0
    assert r.uncapped_verdict == "mid" and r.verdict == "low"
    assert r.gates_fired == ["guarantor"]


def test_low_confidence_can_fire_a_gate_at_the_low_end() -> None:
    r = compute(
        MINI, [level("guarantor", "named", "low"), level("force", "many"), level("aid", "yes")]
    )
    assert r.gates_fired == []
    assert r.verdict_low == "low"  # one level down is `none`, below the gate


def test_asks_lift_the_gate_first_and_quote_the_rubric() -> None:
    r = compute(MINI, [level("guarantor", "none"), level("force", "many"), level("aid", "none")])
    first = r.asks[0]
    assert first.criterion == "guarantor" and first.to_level == "named" and first.lifts_gate
    assert first.text == MINI.criterion("guarantor").level("named").description
    # guarantor -> named: (1 + 1 + 0)/4 = 50, gain 25 from 25; verdict mid.
    assert first.gain == 25.0 and first.verdict_after == "mid"
    # aid -> yes: (0 + 1 + 1)/4 = 50 but the gate still caps at low.
    aid = next(a for a in r.asks if a.criterion == "aid")
    assert aid.gain == 25.0 and aid.verdict_after == "low"


def test_profile_changes_weights_and_switches_criteria_off() -> None:
    profile = Profile(
        format_version=1,
        name="no aid",
        criteria="mini",
        weights={"force": 2},
        disabled=[DisabledCriterion(criterion="aid", reason="covered elsewhere")],
    )
    # (2*0.5 + 2*1) / 4 = 75 -> high
    r = compute(MINI, [level("guarantor", "named"), level("force", "many")], profile)
    assert r.score == 75.0 and r.verdict == "high" and not r.provisional
    assert r.unanswered == []


def test_scenario_weights() -> None:
    # none: guarantor weight 1; full: guarantor weight 3.
    answers = [level("guarantor", "bound"), level("force", "none"), level("aid", "none")]
    r = compute(MINI, answers)
    by = {s.scenario: s.score for s in r.scenarios}
    assert by == {"none": round(100 / 3, 2), "full": 60.0}


def test_weights_are_the_callers_own() -> None:
    """The set's weights are worked out once; a caller changing its copy changes nothing else."""
    answers = [level("guarantor", "bound"), level("force", "none"), level("aid", "none")]
    before = compute(MINI, answers)
    for scenario in (None, "none", "full"):
        weights = effective_weights(MINI, scenario=scenario)
        assert weights == {
            "guarantor": {None: 2.0, "none": 1.0, "full": 3.0}[scenario],
            "force": 1.0,
            "aid": 1.0,
        }
        weights.clear()
    assert compute(MINI, answers) == before


def test_nothing_answered() -> None:
    r = compute(MINI, [])
    assert r.score is None and (r.low, r.high) == (0.0, 100.0)
    assert r.provisional and r.verdict == "low" and r.gates_open == ["guarantor"]
