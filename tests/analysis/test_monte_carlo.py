"""Monte Carlo over weights and answer confidence, on `data/plan.toml`, with hand-worked odds.

plan.toml: a (w3, 0/.5/1, gate below mid caps weak), b (w2, 0/1), c (w1, 0/.25/.75/1),
d (w4, 0/.5/1, gate below mid caps fair). Bands weak 0, fair 50, strong 80.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, Profile
from guaranteekit.scoring.core import compute
from guaranteekit.scoring.montecarlo import FRAGILE_PROBABILITY, monte_carlo, monte_carlo_ranking

PLAN = load_criteria(Path(__file__).parent / "data" / "plan.toml")
BASE = [
    Answer(criterion="a", level="mid"),
    Answer(criterion="b", level="yes"),
    Answer(criterion="c", level="c1"),
    Answer(criterion="d", level="mid"),
]  # (1.5 + 2 + .25 + 2)/10 = 57.5 -> fair


def with_confidence(cid: str, confidence: str, answers: list[Answer] = BASE) -> list[Answer]:
    return [
        a.model_copy(update={"confidence": Confidence(confidence)}) if a.criterion == cid else a
        for a in answers
    ]


def test_same_seed_same_figures_and_another_seed_other_figures() -> None:
    answers = with_confidence("b", "low")
    first = monte_carlo(PLAN, answers, draws=3000, seed=7)
    again = monte_carlo(PLAN, answers, draws=3000, seed=7)
    other = monte_carlo(PLAN, answers, draws=3000, seed=8)
    assert first == again
    assert (first.probabilities, first.score_mean) != (other.probabilities, other.score_mean)


def test_no_spread_and_no_confidence_is_the_score_itself() -> None:
    mc = monte_carlo(PLAN, BASE, draws=500, spread=0.0, confidence=False)
    assert mc.probabilities == {"weak": 0.0, "fair": 1.0, "strong": 0.0}
    assert mc.score_low == mc.score_high == mc.score_mean == 57.5
    assert not mc.fragile and mc.reasons == ()


def test_a_low_confidence_answer_is_one_level_either_way_with_equal_odds() -> None:
    # b yes at low confidence: no/yes/yes (yes is the top level, so it counts twice) ->
    # b no gives (1.5 + 0 + .25 + 2)/10 = 37.5 (weak) one time in three, else 57.5 (fair).
    mc = monte_carlo(PLAN, with_confidence("b", "low"), draws=30_000, spread=0.0)
    assert mc.probabilities["weak"] == pytest.approx(1 / 3, abs=0.01)
    assert mc.probabilities["fair"] == pytest.approx(2 / 3, abs=0.01)
    assert (mc.score_low, mc.score_high) == (37.5, 57.5)
    assert mc.fragile and "holds in" in mc.reasons[0]  # 2/3 < 80 %
    results = compute(PLAN, with_confidence("b", "low"))
    assert (results.low, results.high) == (37.5, 57.5)  # the core's range, drawn from


def test_a_medium_confidence_answer_is_half_a_level_either_way() -> None:
    # d mid at medium: .25 / .5 / .75 -> 47.5 (weak), 57.5, 67.5 (fair), a third each.
    mc = monte_carlo(PLAN, with_confidence("d", "medium"), draws=30_000, spread=0.0)
    assert mc.probabilities["weak"] == pytest.approx(1 / 3, abs=0.01)
    assert (mc.score_low, mc.score_high) == (47.5, 67.5)


def test_a_low_confidence_answer_can_fire_a_gate() -> None:
    # a mid low, b yes, c c3, d top: a low -> 70 but the gate caps at weak; a mid -> 85, a top -> 100
    # (strong). No draw is fair.
    answers = with_confidence(
        "a",
        "low",
        [
            Answer(criterion="a", level="mid"),
            Answer(criterion="b", level="yes"),
            Answer(criterion="c", level="c3"),
            Answer(criterion="d", level="top"),
        ],
    )
    mc = monte_carlo(PLAN, answers, draws=30_000, spread=0.0)
    assert mc.probabilities["fair"] == 0.0
    assert mc.probabilities["weak"] == pytest.approx(1 / 3, abs=0.01)
    assert mc.probabilities["strong"] == pytest.approx(2 / 3, abs=0.01)
    without = monte_carlo(PLAN, answers, draws=1000, spread=0.0, confidence=False)
    assert without.probabilities["strong"] == 1.0


def test_weights_alone_with_two_criteria_split_evenly() -> None:
    # Profile: b and c weigh 1, a and d are switched off by being not applicable. b yes (1), c c0 (0):
    # score = u_b / (u_b + u_c) with u uniform in [.75, 1.25]: fair (>= 49.995) when u_b >= u_c
    # (nearly), which by symmetry is half the draws.
    profile = Profile(format_version=1, name="even", criteria="plan", weights={"b": 1, "c": 1})
    answers = [
        Answer(criterion="a", status=AnswerStatus.NOT_APPLICABLE, reason="n/a"),
        Answer(criterion="b", level="yes"),
        Answer(criterion="c", level="c0"),
        Answer(criterion="d", status=AnswerStatus.NOT_APPLICABLE, reason="n/a"),
    ]
    mc = monte_carlo(PLAN, answers, profile, draws=40_000, spread=0.25)
    assert mc.verdict == "fair"
    assert mc.probabilities["fair"] == pytest.approx(0.5, abs=0.01)
    assert mc.fragile
    # One weight alone, the other fixed at 1: b below x0.9998 (b/(b+1) < .49995) or c above
    # x1.0002 (1/(1+c) < .49995) turns it weak; both are within the range.
    assert any("Criterion C" in reason for reason in mc.reasons)


def test_fragile_when_one_weight_within_the_range_flips_the_verdict() -> None:
    # BASE: b's weight may fall to x0.2496 (0.4992 of 2) before the verdict turns weak, so a
    # spread of .25 leaves it robust and a spread of .8 (down to x0.2) makes it fragile.
    robust = monte_carlo(PLAN, BASE, draws=2000, spread=0.25, confidence=False)
    assert robust.probability >= FRAGILE_PROBABILITY and not robust.fragile
    wide = monte_carlo(PLAN, BASE, draws=2000, spread=0.8, confidence=False)
    assert wide.fragile
    assert any("Criterion B" in reason and "x0.25" in reason for reason in wide.reasons)


def test_bad_runs_are_refused_with_a_message() -> None:
    with pytest.raises(GuaranteekitError, match="--draws"):
        monte_carlo(PLAN, BASE, draws=0)
    with pytest.raises(GuaranteekitError, match="spread"):
        monte_carlo(PLAN, BASE, spread=1.0)


def test_nothing_answered_is_certain_and_not_fragile() -> None:
    mc = monte_carlo(PLAN, [], draws=100)
    assert mc.probabilities[mc.verdict] == 1.0 and not mc.fragile


# --------------------------------------------------------------------------------------------------
# Ranks
# --------------------------------------------------------------------------------------------------

P = [
    Answer(criterion="a", level="top"),
    Answer(criterion="b", level="yes"),
    Answer(criterion="c", level="c0"),
    Answer(criterion="d", level="mid"),
]  # 70
Q = [
    Answer(criterion="a", level="mid"),
    Answer(criterion="b", level="no"),
    Answer(criterion="c", level="c3"),
    Answer(criterion="d", level="top"),
]  # 65


def test_rank_probabilities_are_reproducible_and_sum_to_one() -> None:
    items = [(PLAN, Q, None), (PLAN, P, None)]
    first = monte_carlo_ranking(items, draws=3000, seed=3)
    assert first == monte_carlo_ranking(items, draws=3000, seed=3)
    assert first.order == (1, 0)  # P (index 1) leads, 70 against 65
    for row in first.ranks:
        assert sum(row) == pytest.approx(1.0)
    for rank in range(2):
        assert sum(row[rank] for row in first.ranks) == pytest.approx(1.0)


def test_a_ranking_with_no_spread_is_certain_and_a_swap_in_range_is_fragile() -> None:
    items = [(PLAN, P, None), (PLAN, Q, None)]
    fixed = monte_carlo_ranking(items, draws=500, spread=0.0, confidence=False)
    assert fixed.ranks == ((1.0, 0.0), (0.0, 1.0)) and fixed.probability == 1.0
    assert not fixed.fragile
    # b at x0.75 and d at x1.25 swap P and Q (test_thresholds): a spread of .25 reaches both.
    spread = monte_carlo_ranking(items, draws=2000, spread=0.25, confidence=False)
    assert spread.fragile
    assert any("Criterion B" in reason for reason in spread.reasons)
    narrow = monte_carlo_ranking(items, draws=2000, spread=0.1, confidence=False)
    assert not any("one weight alone" in reason for reason in narrow.reasons)


def test_ranks_go_by_verdict_before_score() -> None:
    # W: a top, b yes, c c3, d mid -> (3 + 2 + 1 + 2)/10 = 80.0, strong.
    # Z, d weighing .5: a top, b yes, c c3, d low -> 6/6.5 = 92.31, but d's gate caps it at fair.
    # By score Z would lead; the comparison ranks W first on its verdict. With no spread and no
    # answer doubt every draw keeps that order.
    w = [
        Answer(criterion=c, level=lv)
        for c, lv in zip("abcd", ["top", "yes", "c3", "mid"], strict=True)
    ]
    z = [
        Answer(criterion=c, level=lv)
        for c, lv in zip("abcd", ["top", "yes", "c3", "low"], strict=True)
    ]
    light = Profile(format_version=1, name="light", criteria="plan", weights={"d": 0.5})
    assert compute(PLAN, z, light).verdict == "fair" and compute(PLAN, w).verdict == "strong"
    fixed = monte_carlo_ranking(
        [(PLAN, z, light), (PLAN, w, None)], draws=200, spread=0.0, confidence=False
    )
    assert fixed.order == (1, 0) and fixed.ranks == ((0.0, 1.0), (1.0, 0.0))
    # c's weight at x0.9975 drops W to fair, below Z (test_thresholds): a spread of .25 reaches it,
    # and the reason names the packages.
    wide = monte_carlo_ranking(
        [(PLAN, z, light), (PLAN, w, None)],
        draws=2000,
        confidence=False,
        names=["Zed", "Double-u"],
    )
    assert wide.fragile
    assert "one weight alone: Criterion C x0.997501 puts Zed above Double-u" in wide.reasons
