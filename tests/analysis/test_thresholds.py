"""Weight thresholds for verdicts and rankings, worked out by hand on `data/plan.toml`.

plan.toml: a (w3, 0/.5/1, gate below mid caps weak), b (w2, 0/1), c (w1, 0/.25/.75/1),
d (w4, 0/.5/1, gate below mid caps fair). Bands weak 0, fair 50, strong 80.

Scores are rounded to two decimals before banding, so the verdict turns fair once the exact score
reaches 49.995 and strong at 79.995: each hand-worked threshold is given both at the round boundary
(a clean number) and at the boundary the tool uses.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, Profile
from guaranteekit.scoring.core import compute
from guaranteekit.scoring.thresholds import ranking_thresholds, weight_thresholds

PLAN = load_criteria(Path(__file__).parent / "data" / "plan.toml")


def lv(cid: str, level: str) -> Answer:
    return Answer(criterion=cid, level=level)


def verdict_with_weight(answers: list[Answer], cid: str, weight: float) -> str:
    profile = Profile(format_version=1, name="t", criteria="plan", weights={cid: weight})
    return compute(PLAN, answers, profile).verdict


def test_verdict_thresholds_by_hand() -> None:
    # a mid (.5), b yes (1), c c1 (.25), d mid (.5): (1.5 + 2 + .25 + 2)/10 = 57.5 -> fair,
    # which holds while the exact score is in [49.995, 79.995).
    answers = [lv("a", "mid"), lv("b", "yes"), lv("c", "c1"), lv("d", "mid")]
    by_id = {t.criterion: t for t in weight_thresholds(PLAN, answers)}
    # b (f = 1), others S = 3.75 over W = 8: score(x) = (3.75 + x)/(8 + x), rising from 46.875.
    #   = 50 at x = 0.5 and = 80 at x = 13.25; at the tool's boundaries:
    #   x = (.49995*8 - 3.75)/(1 - .49995) and x = (.79995*8 - 3.75)/(1 - .79995).
    b = by_id["b"]
    assert b.lower == pytest.approx((0.49995 * 8 - 3.75) / 0.50005, rel=1e-12)
    assert b.upper == pytest.approx((0.79995 * 8 - 3.75) / 0.20005, rel=1e-12)
    assert (round(b.lower, 2), round(b.upper, 2)) == (0.5, 13.24)
    assert (b.below, b.above) == ("weak", "strong")
    # c (f = .25), others S = 5.5 over W = 9: (5.5 + .25x)/(9 + x) falls from 61.1 towards 25,
    #   = 50 at x = 4 (tool: (.49995*9 - 5.5)/(.25 - .49995)); nothing above 80, so lower = 0.
    c = by_id["c"]
    assert c.lower == 0 and c.upper == pytest.approx((0.49995 * 9 - 5.5) / (0.25 - 0.49995))
    assert round(c.upper, 3) == 4.003 and c.above == "weak"
    # a (f = .5 against 60.7) and d (f = .5 against 62.5) fall towards 50, never below 49.995.
    assert (by_id["a"].lower, by_id["a"].upper) == (0.0, math.inf)
    assert (by_id["d"].lower, by_id["d"].upper) == (0.0, math.inf)
    # Closest first: b needs x0.25 (margin .75), c needs x4 (margin 3), a and d never.
    assert [t.criterion for t in weight_thresholds(PLAN, answers)] == ["b", "c", "a", "d"]


def test_thresholds_agree_with_the_scores_either_side() -> None:
    answers = [lv("a", "mid"), lv("b", "yes"), lv("c", "c1"), lv("d", "mid")]
    for t in weight_thresholds(PLAN, answers):
        assert verdict_with_weight(answers, t.criterion, t.weight) == "fair"
        if t.lower > 0:
            assert verdict_with_weight(answers, t.criterion, t.lower * (1 + 1e-6)) == "fair"
            assert verdict_with_weight(answers, t.criterion, t.lower * (1 - 1e-6)) == t.below
        if not math.isinf(t.upper):
            assert verdict_with_weight(answers, t.criterion, t.upper * (1 - 1e-6)) == "fair"
            assert verdict_with_weight(answers, t.criterion, t.upper * (1 + 1e-6)) == t.above


def test_a_gate_cap_bounds_the_thresholds() -> None:
    # a low fires (cap weak): (0 + 2 + 1 + 4)/10 = 70, band fair, capped weak. No weight lifts a
    # cap, and nothing lower than weak exists: no threshold at all.
    capped = [lv("a", "low"), lv("b", "yes"), lv("c", "c3"), lv("d", "top")]
    assert all(math.isinf(t.margin) for t in weight_thresholds(PLAN, capped))
    # d low fires (cap fair): (3 + 2 + 1 + 0)/10 = 60 -> fair = the cap. Raising the score cannot
    # lift the verdict; it drops to weak below 49.995:
    #   a (f 1): (3 + x)/(7 + x) = .5 at x = 1; d (f 0): 6/(6 + x) = .5 at x = 6.
    at_cap = [lv("a", "top"), lv("b", "yes"), lv("c", "c3"), lv("d", "low")]
    by_id = {t.criterion: t for t in weight_thresholds(PLAN, at_cap)}
    assert by_id["a"].lower == pytest.approx((0.49995 * 7 - 3) / 0.50005)
    assert round(by_id["a"].lower, 3) == 0.999 and by_id["a"].upper == math.inf
    assert by_id["d"].upper == pytest.approx((0.49995 * 6 - 6) / -0.49995)
    assert round(by_id["d"].upper, 3) == 6.001 and by_id["d"].above == "weak"
    assert verdict_with_weight(at_cap, "d", 6.002) == "weak"
    assert verdict_with_weight(at_cap, "d", 6.0) == "fair"


def test_unanswered_criteria_have_no_threshold() -> None:
    answers = [lv("a", "mid"), lv("d", "mid")]
    assert {t.criterion for t in weight_thresholds(PLAN, answers)} == {"a", "d"}
    assert weight_thresholds(PLAN, []) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["low", "mid", "top"]), min_size=2, max_size=2),
    st.sampled_from(["no", "yes"]),
    st.sampled_from(["c0", "c1", "c2", "c3"]),
    st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.0]), min_size=4, max_size=4),
)
def test_every_threshold_is_where_the_verdict_changes(
    ad: list[str], b: str, c: str, weights: list[float]
) -> None:
    answers = [lv("a", ad[0]), lv("b", b), lv("c", c), lv("d", ad[1])]
    base = dict(zip("abcd", weights, strict=True))

    def verdict(cid: str, weight: float) -> str:
        profile = Profile(
            format_version=1, name="t", criteria="plan", weights={**base, cid: weight}
        )
        return compute(PLAN, answers, profile).verdict

    profile = Profile(format_version=1, name="t", criteria="plan", weights=base)
    now = compute(PLAN, answers, profile).verdict
    for t in weight_thresholds(PLAN, answers, profile):
        assert t.lower < t.weight < t.upper
        if t.lower > 0:
            assert verdict(t.criterion, t.lower * (1 + 1e-7)) == now
            assert verdict(t.criterion, t.lower * (1 - 1e-7)) == t.below != now
        else:
            assert verdict(t.criterion, t.weight / 1000) == now
        if math.isinf(t.upper):
            assert verdict(t.criterion, t.weight * 1000) == now
        else:
            assert verdict(t.criterion, t.upper * (1 - 1e-7)) == now
            assert verdict(t.criterion, t.upper * (1 + 1e-7)) == t.above != now


# --------------------------------------------------------------------------------------------------
# Ranking thresholds
# --------------------------------------------------------------------------------------------------

# P: a top, b yes, c c0, d mid: (3 + 2 + 0 + 2)/10 = 70.  Q: a mid, b no, c c3, d top:
# (1.5 + 0 + 1 + 4)/10 = 65. P ranks first. Both answer everything with the same weights, so with
# criterion k's weight scaled by m both scores share the denominator and swap where the numerators
# meet:
#   a: P 4 + 3m, Q 5 + 1.5m  -> m = 2/3 (below it Q leads)
#   b: P 5 + 2m, Q 6.5       -> m = 0.75
#   c: P 7,      Q 5.5 + m   -> m = 1.5
#   d: P 5 + 2m, Q 2.5 + 4m  -> m = 1.25
P = [lv("a", "top"), lv("b", "yes"), lv("c", "c0"), lv("d", "mid")]
Q = [lv("a", "mid"), lv("b", "no"), lv("c", "c3"), lv("d", "top")]


def test_ranking_thresholds_by_hand() -> None:
    found = ranking_thresholds([(PLAN, P, None), (PLAN, Q, None)])
    by_id = {t.criterion: t for t in found}
    assert by_id["a"].lower == pytest.approx(2 / 3) and by_id["a"].upper == math.inf
    assert by_id["b"].lower == pytest.approx(0.75) and by_id["b"].upper == math.inf
    assert by_id["c"].lower == 0 and by_id["c"].upper == pytest.approx(1.5)
    assert by_id["d"].lower == 0 and by_id["d"].upper == pytest.approx(1.25)
    assert by_id["d"].upper_swap == (0, 1) and by_id["b"].lower_swap == (0, 1)
    # Closest first: b and d both at a 25 % move (b first in the set's order), a 1/3, c 1/2.
    assert [t.criterion for t in found] == ["b", "d", "a", "c"]


def test_ranking_threshold_with_different_denominators() -> None:
    # R: a top, b yes, c unknown, d low -> (3 + 2 + 0)/9 = 55.56 against Q's 65 (Q first).
    # Scaling d by m: Q (2.5 + 4m)/(6 + 4m), R 5/(5 + 4m). Equal where
    # (2.5 + 4m)(5 + 4m) = 5(6 + 4m)  <=>  16m^2 + 10m - 17.5 = 0  <=>  m = (-10 + sqrt(1220))/32.
    r = [lv("a", "top"), lv("b", "yes"), lv("d", "low")]
    found = {t.criterion: t for t in ranking_thresholds([(PLAN, Q, None), (PLAN, r, None)])}
    expected = (-10 + math.sqrt(1220)) / 32
    assert found["d"].lower == pytest.approx(expected, rel=1e-12)
    assert round(expected, 4) == 0.7790
    m = expected * 1.001
    assert (2.5 + 4 * m) / (6 + 4 * m) > 5 / (5 + 4 * m)
    m = expected * 0.999
    assert (2.5 + 4 * m) / (6 + 4 * m) < 5 / (5 + 4 * m)


def test_the_ranking_is_by_verdict_first() -> None:
    # W: a top, b yes, c c3, d mid -> 8/10 = 80.0 (strong).
    # Z, with d weighing .5: a top, b yes, c c3, d low -> 6/6.5 = 92.31, capped at fair by d's gate.
    # W leads on its verdict. Scaling c: W = (7 + m)/(9 + m) falls below 79.995 for
    # m < (.79995*9 - 7)/(1 - .79995) = 0.9975 (to fair, where Z's higher score leads); Z stays
    # capped whatever m is, and W only rises above m = 1: no upper threshold.
    w = [lv("a", "top"), lv("b", "yes"), lv("c", "c3"), lv("d", "mid")]
    z = [lv("a", "top"), lv("b", "yes"), lv("c", "c3"), lv("d", "low")]
    light = Profile(format_version=1, name="light", criteria="plan", weights={"d": 0.5})
    assert compute(PLAN, z, light).score == 92.31
    found = {t.criterion: t for t in ranking_thresholds([(PLAN, z, light), (PLAN, w, None)])}
    c = found["c"]
    assert c.lower == pytest.approx((0.79995 * 9 - 7) / 0.20005, rel=1e-12)
    assert round(c.lower, 4) == 0.9975 and c.upper == math.inf
    assert c.lower_swap == (1, 0)  # W (index 1, first now) falls below Z (index 0)


def _order_by_compute(packages: list[list[Answer]], weights: dict[str, float]) -> list[int] | None:
    """Ranking by the core's verdict, then the exact weighted mean; None when two scores tie."""
    profile = Profile(format_version=1, name="t", criteria="plan", weights=weights)
    keys = []
    for answers in packages:
        verdict = compute(PLAN, answers, profile).verdict
        pairs = [
            (weights[a.criterion], PLAN.criterion(a.criterion).level(a.level).score)
            for a in answers
        ]
        exact = sum(w * f for w, f in pairs) / sum(w for w, _ in pairs)
        keys.append((PLAN.band_index(verdict), exact))
    if len({k[1] for k in keys}) < len(keys):
        return None
    return sorted(range(len(keys)), key=lambda i: (-keys[i][0], -keys[i][1], i))


answer_lists = st.lists(
    st.tuples(
        st.sampled_from(["low", "mid", "top"]),
        st.sampled_from(["no", "yes"]),
        st.sampled_from(["c0", "c1", "c2", "c3"]),
        st.sampled_from(["low", "mid", "top"]),
    ).map(lambda t: [lv("a", t[0]), lv("b", t[1]), lv("c", t[2]), lv("d", t[3])]),
    min_size=2,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(answer_lists, st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.0]), min_size=4, max_size=4))
def test_every_ranking_threshold_is_where_the_core_ranking_changes(
    packages: list[list[Answer]], weights: list[float]
) -> None:
    base = dict(zip("abcd", weights, strict=True))
    profile = Profile(format_version=1, name="t", criteria="plan", weights=base)
    now = _order_by_compute(packages, base)
    if now is None:
        return
    for t in ranking_thresholds([(PLAN, p, profile) for p in packages]):
        for bound, inside, outside in (
            (t.lower, 1 + 1e-5, 1 - 1e-5),
            (t.upper, 1 - 1e-5, 1 + 1e-5),
        ):
            if bound == 0 or math.isinf(bound) or bound == 1:
                continue
            held = _order_by_compute(
                packages, {**base, t.criterion: base[t.criterion] * bound * inside}
            )
            moved = _order_by_compute(
                packages, {**base, t.criterion: base[t.criterion] * bound * outside}
            )
            if held is not None:
                assert held == now
            if moved is not None:
                assert moved != now


def test_packages_that_meet_only_at_zero_weight_never_swap() -> None:
    # The same answers (a low, b no, c c0, d mid) under two weightings that differ only in c:
    # a 1, b 1.188, d 1 and c 1.25 (P) or 2.188 (Q). Total .5 (d mid) over 4.438 -> 11.27 for P,
    # over 5.376 -> 9.3 for Q. Scaling c by m: P = .5/(3.188 + 1.25m) > Q = .5/(3.188 + 2.188m)
    # for every m > 0 (they meet only at m = 0), and both stay weak (a's gate caps them).
    # Subtracting c from the totals would leave 3.188 and 3.1880000000000006, a "crossing" near
    # m = 5e-16; the ranking must hold for every positive multiplier.
    answers = [lv("a", "low"), lv("b", "no"), lv("c", "c0"), lv("d", "mid")]
    base = {"a": 1.0, "b": 1.188, "d": 1.0}
    p = Profile(format_version=1, name="p", criteria="plan", weights={**base, "c": 1.25})
    q = Profile(format_version=1, name="q", criteria="plan", weights={**base, "c": 2.188})
    assert (compute(PLAN, answers, p).score, compute(PLAN, answers, q).score) == (11.27, 9.3)
    found = ranking_thresholds([(PLAN, answers, p), (PLAN, answers, q)])
    assert {t.criterion: (t.lower, t.upper) for t in found} == {
        cid: (0.0, math.inf) for cid in "abcd"
    }
