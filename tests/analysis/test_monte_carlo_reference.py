"""The Monte Carlo runs, computed with NumPy a criterion at a time over blocks of draws, give exactly
the figures of the plain loop they replaced: one draw after another, each number from
`random.Random(seed).random()` in turn, each sum over a draw's list. That loop is kept here as the
reference and run on every example, over more draws than a block, and on any assessment of a
format-1 set with gates, a format-2 set with price gates and the built-in set (hypothesis), with and
without the answers' confidence, over seeds and spreads."""

from __future__ import annotations

import random
from bisect import bisect_right
from operator import mul
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.formats.assessment import Scored, load_scored
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria, load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, CriteriaSet, Report
from guaranteekit.scoring import montecarlo
from guaranteekit.scoring._shared import _ROUND, _order, _rounded, _Standing
from guaranteekit.scoring.montecarlo import _Sampler, monte_carlo, monte_carlo_ranking

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.toml"))
SCORED = [load_scored(path) for path in EXAMPLES]


def _draw(sampler: _Sampler, multipliers: list[float], rnd: object) -> tuple[float, int]:
    """One draw as the loop made it (the code before NumPy, unchanged)."""
    weights = list(map(mul, sampler.weights, multipliers))
    cap = sampler.fixed_cap
    fractions = sampler.fractions.copy()
    for position, options in sampler.varied:
        fraction, level_cap = options[int(rnd() * len(options))]  # type: ignore[operator]
        fractions[position] = fraction
        cap = min(cap, level_cap)
    for caps in sampler.caps_varied:
        cap = min(cap, caps[int(rnd() * len(caps))])  # type: ignore[operator]
    total, weight = sum(map(mul, weights, fractions)), sum(weights)
    band = bisect_right(sampler.mins, _rounded(total, weight)) - 1
    return 100.0 * total / weight, min(band, cap)


def _loop(scored: Scored, draws: int, spread: float, seed: int, confidence: bool) -> tuple:
    sampler = _Sampler.build(scored.criteria, scored.report.answers, scored.profile, confidence)
    counts = [0] * len(scored.criteria.bands)
    scores = []
    rnd = random.Random(seed).random
    for _ in range(draws):
        multipliers = [1.0 - spread + 2.0 * spread * rnd() for _ in sampler.weights]
        score, band = _draw(sampler, multipliers, rnd)
        counts[band] += 1
        scores.append(round(score, _ROUND))
    scores.sort()
    return [n / draws for n in counts], round(sum(scores) / draws, _ROUND), scores


@pytest.mark.parametrize("confidence", [True, False])
@pytest.mark.parametrize(("seed", "spread"), [(1, 0.25), (7, 0.6)])
def test_one_package_gives_the_loops_figures(seed: int, spread: float, confidence: bool) -> None:
    for scored in SCORED:
        ran = monte_carlo(
            scored.criteria,
            scored.report.answers,
            scored.profile,
            draws=4100,  # more than a block of draws
            spread=spread,
            seed=seed,
            confidence=confidence,
        )
        probabilities, mean, scores = _loop(scored, 4100, spread, seed, confidence)
        assert list(ran.probabilities.values()) == probabilities, scored.path
        assert ran.score_mean == mean, scored.path
        assert (ran.score_low, ran.score_high) == (
            montecarlo._percentile(scores, 0.05),
            montecarlo._percentile(scores, 0.95),
        ), scored.path


def _rank_loop(group: list[Scored], draws: int, spread: float, seed: int, confidence: bool):
    packages = [(s.criteria, list(s.report.answers), s.profile) for s in group]
    fixed = [_Standing.of(c, a, p).key for c, a, p in packages]
    samplers = [_Sampler.build(c, a, p, confidence) for c, a, p in packages]
    ids: list[str] = []
    for sampler in samplers:
        ids.extend(cid for cid in sampler.ids if cid not in ids)
    slots = [[ids.index(cid) for cid in s.ids] for s in samplers]
    tallies = [[0] * len(group) for _ in group]
    same = 0
    order = _order(fixed)
    rnd = random.Random(seed).random
    for _ in range(draws):
        shared = [1.0 - spread + 2.0 * spread * rnd() for _ in ids]
        keys = []
        for index, (sampler, slot) in enumerate(zip(samplers, slots, strict=True)):
            if sampler.weights:
                score, band = _draw(sampler, [shared[k] for k in slot], rnd)
                keys.append((band, score))
            else:
                keys.append(fixed[index])
        ranked = _order(keys)
        for rank, index in enumerate(ranked):
            tallies[index][rank] += 1
        same += ranked == order
    return tuple(tuple(n / draws for n in row) for row in tallies), same / draws


@pytest.mark.parametrize("confidence", [True, False])
@pytest.mark.parametrize(("seed", "spread"), [(5, 0.25)])
def test_a_ranking_gives_the_loops_figures(seed: int, spread: float, confidence: bool) -> None:
    by_set: dict[str, list[Scored]] = {}
    for scored in SCORED:
        by_set.setdefault(scored.criteria.id + scored.criteria.version, []).append(scored)
    for group in [*by_set.values(), SCORED]:
        ran = monte_carlo_ranking(
            [(s.criteria, s.report.answers, s.profile) for s in group],
            draws=4100,
            spread=spread,
            seed=seed,
            confidence=confidence,
        )
        assert (ran.ranks, ran.probability) == _rank_loop(group, 4100, spread, seed, confidence)


SETS = [
    load_criteria(Path(__file__).parent / "data" / "plan.toml"),  # format 1, gates
    load_criteria(Path(__file__).parents[1] / "data" / "sets" / "two-axis.toml"),  # price gates
    find_criteria(DEFAULT_CRITERIA),
]


@st.composite
def assessments(draw: st.DrawFn) -> tuple[CriteriaSet, list[Answer]]:
    criteria = draw(st.sampled_from(SETS))
    answers = []
    for criterion in criteria.criteria:
        kind = draw(st.sampled_from(["level", "level", "level", "unknown", "n/a", "none"]))
        if kind == "unknown":
            answers.append(Answer(criterion=criterion.id, status=AnswerStatus.UNKNOWN))
        elif kind == "n/a":
            answers.append(
                Answer(criterion=criterion.id, status=AnswerStatus.NOT_APPLICABLE, reason="r")
            )
        elif kind == "level":
            level = draw(st.sampled_from(criterion.levels))
            confidence = draw(st.sampled_from([None, *Confidence]))
            answers.append(Answer(criterion=criterion.id, level=level.id, confidence=confidence))
    return criteria, answers


def answers_of(scored: Scored) -> list[Answer]:
    return list(scored.report.answers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(assessments(), min_size=1, max_size=3),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.25, 0.99]),
    st.booleans(),
)
def test_any_assessment_gives_the_loops_figures(
    packages: list[tuple[CriteriaSet, list[Answer]]], seed: int, spread: float, confidence: bool
) -> None:
    group = [
        Scored(Path("x"), Report.model_construct(answers=answers), criteria, None, None, [])
        for criteria, answers in packages
    ]
    for scored in group:
        ran = monte_carlo(
            scored.criteria,
            scored.report.answers,
            draws=300,
            spread=spread,
            seed=seed,
            confidence=confidence,
        )
        if not _Sampler.build(scored.criteria, answers_of(scored), None, confidence).weights:
            continue  # no weight to draw: the run keeps the verdict (test_monte_carlo.py)
        probabilities, mean, _ = _loop(scored, 300, spread, seed, confidence)
        assert (list(ran.probabilities.values()), ran.score_mean) == (probabilities, mean)
    if len({scored.criteria.id for scored in group}) == 1:
        ranking = monte_carlo_ranking(
            [(s.criteria, s.report.answers, None) for s in group],
            draws=300,
            spread=spread,
            seed=seed,
            confidence=confidence,
        )
        assert (ranking.ranks, ranking.probability) == _rank_loop(
            group, 300, spread, seed, confidence
        )


def test_blocks_of_any_size_give_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A ranking of many packages draws many numbers at a time, in blocks of fewer draws.
    group = SCORED[:4]
    items = [(s.criteria, s.report.answers, s.profile) for s in group]
    whole = monte_carlo_ranking(items, draws=700, seed=9)
    monkeypatch.setattr(montecarlo, "_BLOCK_NUMBERS", 150)  # a draw or two a block
    assert monte_carlo_ranking(items, draws=700, seed=9) == whole
    assert (whole.ranks, whole.probability) == _rank_loop(group, 700, 0.25, 9, True)
