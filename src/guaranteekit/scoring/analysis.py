"""Decision support on top of the scores: planned asks, weight sensitivity, Monte Carlo, reference points.

`scoring` says what a package scores; this module says what would change that. Everything here is
computed from the same reduced numbers as `scoring` (effective weights, level fractions, gate caps)
and every verdict it states is the one `scoring.compute` would give, so the figures can be checked
against the core. Pure standard library: no NumPy, no textual.

- **Planned asks** (`plan_asks`): the smallest set of level changes that lifts the verdict to the next
  band (or the top band). "Smallest" is lexicographic: fewest criteria changed, then fewest level
  steps, then the highest resulting score. A gate that caps the verdict below the target must be
  lifted, so those changes are forced; the rest is found exactly (see `plan_asks`).
- **Weight thresholds** (`weight_thresholds`, `ranking_thresholds`): the score is a weighted mean,
  so with one weight `x` moving and the others fixed it is `(S + x f) / (W + x)`, monotone in `x`; the
  weight at which it meets a band boundary (or another package's score) is solved in closed form.
- **Monte Carlo** (`monte_carlo`, `monte_carlo_ranking`): every weight multiplied by its own
  uniform draw in `[1 - spread, 1 + spread]`, and (optionally) every answer moved within its
  confidence, seeded with `random.Random(seed)` so the same seed gives the same figures.
- **Reference points** (`reference_points`): between which worked examples a score falls.

Scores are rounded to two decimals before bands are looked up (as in `scoring`), so a verdict changes
once the exact score comes within 0.005 of a band's lower bound; the thresholds here account for that.
"""

from __future__ import annotations

import functools
import math
import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import mul
from pathlib import Path
from typing import Any, Literal, Protocol

from guaranteekit.batch import fork_map
from guaranteekit.errors import GuaranteekitError, LoadError
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Criterion,
    Profile,
    Report,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.textsafe import clean, one_line

FRAGILE_PROBABILITY = 0.8
"""A verdict (or ranking) that holds in fewer Monte Carlo draws than this is flagged fragile."""
DEFAULT_SPREAD = 0.25
"""Weights are multiplied by a uniform draw in [1 - spread, 1 + spread]."""
MAX_DRAWS = 1_000_000
"""More draws than this would only make `score` slow; refused with a message."""
_ROUND = scoring.ROUND
_INF = math.inf
_NEGLIGIBLE = 1e-9  # multipliers below this (or above its inverse) are taken as 0 (or infinity)

Target = Literal["next", "top"]


# --------------------------------------------------------------------------------------------------
# The numbers scoring works on
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """One applicable criterion of one package: its effective weight and how it was answered."""

    criterion: Criterion
    weight: float
    status: str  # "level", "unknown" or "unanswered"
    index: int  # chosen level index, -1 when not answered
    confidence: Confidence

    @property
    def answered(self) -> bool:
        return self.index >= 0

    @property
    def fraction(self) -> float:
        return self.criterion.levels[self.index].score if self.index >= 0 else 0.0


def _entries(
    criteria: CriteriaSet, answers: Iterable[Answer], profile: Profile | None = None
) -> list[_Entry]:
    """The applicable criteria in the set's order, as `scoring` counts them."""
    by_id = {answer.criterion: answer for answer in answers}
    weights = scoring.effective_weights(criteria, profile)
    out: list[_Entry] = []
    for criterion in criteria.criteria:
        weight = weights.get(criterion.id)
        if weight is None:
            continue
        answer = by_id.get(criterion.id)
        if answer is None:
            out.append(_Entry(criterion, weight, "unanswered", -1, Confidence.HIGH))
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            continue
        elif answer.status is AnswerStatus.LEVEL and answer.level is not None:
            index = criterion.level_index(answer.level)
            out.append(
                _Entry(criterion, weight, "level", index, answer.confidence or Confidence.HIGH)
            )
        else:
            out.append(_Entry(criterion, weight, "unknown", -1, Confidence.HIGH))
    return out


def _cap_of(criteria: CriteriaSet, criterion: Criterion, index: int) -> int:
    """The band a criterion at level `index` caps the verdict at; the band count when none."""
    gate = criterion.gate
    if gate is not None and index < criterion.level_index(gate.level):
        return criteria.band_index(gate.cap)
    return len(criteria.bands)


def _flip_score(min_score: float) -> float:
    """The exact score (0-100) from which the rounded score reaches a band's `min_score`."""
    lowest_rounded = math.ceil(round(min_score * 10**_ROUND, 6)) / 10**_ROUND
    return lowest_rounded - 0.5 / 10**_ROUND


def _rounded(total: float, weight: float) -> float:
    """The score as `scoring` rounds it."""
    return round(100.0 * total / weight, _ROUND)


def _band_mins(criteria: CriteriaSet) -> list[float]:
    return [band.min_score for band in criteria.bands]


def _fmt_weight(value: float) -> str:
    return "any" if math.isinf(value) else f"{value:.3g}"


def _times(multiplier: float) -> str:
    """A weight multiplier for people: two decimals, more when two would read as x1.00."""
    text = f"{multiplier:.2f}"
    if text == "1.00" and multiplier != 1:
        text = f"{multiplier:.6g}"
    return f"x{text}"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


# --------------------------------------------------------------------------------------------------
# Planned asks
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a plan: raise (or answer) a criterion at a named level."""

    criterion: str
    title: str
    from_level: str
    """Current level id, or `unknown` / `unanswered`."""
    to_level: str
    text: str
    """The rubric text of `to_level`: what to demand."""
    steps: int
    """Levels climbed; an unknown or unanswered criterion counts from its lowest level."""
    lifts_gate: bool
    """The criterion's gate fires now and this change lifts it."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "text": self.text,
            "steps": self.steps,
            "lifts_gate": self.lifts_gate,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The smallest set of changes that lifts the verdict to a target band."""

    target: str
    """`next` or `top`."""
    band: str
    """The target band's id."""
    reachable: bool
    reason: str
    """Why no change is needed, or why the target cannot be reached; empty otherwise."""
    changes: tuple[Change, ...] = ()
    steps: int = 0
    verdict_before: str = ""
    verdict_after: str = ""
    score_before: float | None = None
    score_after: float | None = None
    open_gates: tuple[str, ...] = ()
    """Gated criteria left unknown or unanswered by the plan whose gate would cap below the target."""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "target": self.target,
            "band": self.band,
            "reachable": self.reachable,
            "reason": self.reason,
            "changes": [change.as_dict() for change in self.changes],
            "steps": self.steps,
            "verdict_before": self.verdict_before,
            "verdict_after": self.verdict_after,
            "open_gates": list(self.open_gates),
        }
        if self.score_before is not None:
            data["score_before"] = self.score_before
        if self.score_after is not None:
            data["score_after"] = self.score_after
        return data


@dataclass(frozen=True, slots=True)
class _Candidate:
    entry: _Entry
    position: int
    forced: bool
    # (steps, added to the weighted total, added to the total weight, level index), by steps
    options: tuple[tuple[int, float, float, int], ...]


def _best_ratio(
    base_total: float, base_weight: float, tops: Sequence[tuple[float, float]], k: int
) -> tuple[float, list[int]] | None:
    """Highest score ratio reachable by raising `k` of the candidates to their top level.

    Dinkelbach's method: for a trial ratio r, the best k-set maximises sum(a - r*d), which is the k
    largest values of `a - r*d`; the set's own ratio is the next trial. Each step raises r strictly
    until it is optimal, and there are finitely many sets, so it ends at the exact maximum.
    """
    ratio = base_total / base_weight if base_weight > 0 else 0.0
    best: tuple[float, list[int]] | None = None
    for _ in range(64):
        order = sorted(range(len(tops)), key=lambda i: (-(tops[i][0] - ratio * tops[i][1]), i))
        chosen = order[:k]
        total = base_total + sum(tops[i][0] for i in chosen)
        weight = base_weight + sum(tops[i][1] for i in chosen)
        if weight <= 0:
            return None
        new = total / weight
        if best is not None and new <= best[0]:
            break
        best = (new, chosen)
        ratio = new
    return best


def _pareto(front: list[tuple[float, float, Any]]) -> list[tuple[float, float, Any]]:
    """Keep the entries no other beats on both counts (more points added, less weight added)."""
    front.sort(key=lambda e: (e[1], -e[0]))
    kept: list[tuple[float, float, Any]] = []
    best_total = -_INF
    for entry in front:
        if entry[0] > best_total:
            kept.append(entry)
            best_total = entry[0]
    return kept


def plan_asks(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    profile: Profile | None = None,
    target: Target = "next",
) -> Plan:
    """The smallest set of level changes that lifts the verdict to the next band, or the top band.

    Smallest means: fewest criteria changed, then fewest level steps, then the highest score. Only
    raising is considered; an unknown or unanswered criterion may be answered (which adds its weight
    to the score, so it helps only at levels above the target's score).

    Method. A gate that fires and caps the verdict below the target must be lifted: those criteria
    are in every plan (forced) and must reach at least their gate level; an unknown criterion whose
    gate would cap below the target may only be answered at or above its gate level. With the target
    band starting at score m, a set of changes reaches it when its score ratio reaches m. For a
    fixed number k of further criteria, the best ratio is reached with each at its top level, and
    the best k-set is found exactly by Dinkelbach's method (`_best_ratio`); since adding a criterion
    at its top level never lowers the ratio, the smallest k is the first that reaches m. Then a
    dynamic programme over (criteria changed, level steps) keeps, per state, the points and weight
    added that no other choice beats on both counts, and picks the fewest steps and then the highest
    score among the plans of that size. The plan is checked with `scoring.compute` before it is
    returned. Tests compare it against brute force over every subset and level.
    """
    if target not in ("next", "top"):
        raise ValueError(f"target must be 'next' or 'top', not {target!r}")
    answers = list(answers)
    results = scoring.compute(criteria, answers, profile)
    current = criteria.band_index(results.verdict)
    top_band = len(criteria.bands) - 1
    goal = top_band if target == "top" else min(current + 1, top_band)
    band = criteria.bands[goal]
    common = {
        "target": target,
        "band": band.id,
        "verdict_before": results.verdict,
        "score_before": results.score,
    }
    if current >= goal:
        return Plan(
            reachable=True,
            reason=f"already in the top band ({band.label})",
            verdict_after=results.verdict,
            score_after=results.score,
            **common,
        )
    entries = _entries(criteria, answers, profile)
    if not entries:
        return Plan(reachable=False, reason="no criterion applies", **common)

    base_total = sum(e.weight * e.fraction for e in entries if e.answered)
    base_weight = sum(e.weight for e in entries if e.answered)

    def reaches(total: float, weight: float) -> bool:
        return weight > 0 and _rounded(total, weight) >= band.min_score

    candidates: list[_Candidate] = []
    for position, entry in enumerate(entries):
        criterion = entry.criterion
        levels = criterion.levels
        last = len(levels) - 1
        gate = criterion.gate
        gate_index = (
            criterion.level_index(gate.level)
            if gate is not None and criteria.band_index(gate.cap) < goal
            else 0
        )
        if entry.answered:
            if entry.index >= last:
                continue
            forced = entry.index < gate_index
            start = max(entry.index + 1, gate_index)
            options = tuple(
                (
                    lvl - entry.index,
                    entry.weight * (levels[lvl].score - entry.fraction),
                    0.0,
                    lvl,
                )
                for lvl in range(start, last + 1)
            )
        else:
            # Answering at the lowest level only adds weight at score 0: never part of a best plan.
            forced = False
            start = max(1, gate_index)
            options = tuple(
                (lvl, entry.weight * levels[lvl].score, entry.weight, lvl)
                for lvl in range(start, last + 1)
            )
        candidates.append(_Candidate(entry, position, forced, options))

    forced = [c for c in candidates if c.forced]
    optional = [c for c in candidates if not c.forced]
    forced_total = base_total + sum(c.options[-1][1] for c in forced)
    forced_weight = base_weight + sum(c.options[-1][2] for c in forced)
    tops = [(c.options[-1][1], c.options[-1][2]) for c in optional]

    for extra in range(len(optional) + 1):
        best = _best_ratio(forced_total, forced_weight, tops, extra)
        if best is None or not reaches(best[0], 1.0):
            continue
        plan = _cheapest_plan(
            criteria,
            answers,
            profile,
            goal,
            forced,
            optional,
            extra,
            base_total,
            base_weight,
            reaches,
        )
        if plan is not None:
            changes, after = plan
            return Plan(
                reachable=True,
                reason="",
                changes=changes,
                steps=sum(c.steps for c in changes),
                verdict_after=after.verdict,
                score_after=after.score,
                open_gates=_open_gates(criteria, entries, changes, goal),
                **common,
            )
    return Plan(
        reachable=False,
        reason=f"even every applicable criterion at its top level does not reach {band.label}",
        **common,
    )


def _cheapest_plan(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    goal: int,
    forced: list[_Candidate],
    optional: list[_Candidate],
    extra: int,
    base_total: float,
    base_weight: float,
    reaches: Any,
) -> tuple[tuple[Change, ...], Results] | None:
    """Fewest steps, then highest score, among plans changing the forced criteria plus `extra`."""
    size = len(forced) + extra
    order = forced + optional
    # Upper bound on steps: every forced and the `extra` optional criteria with the most steps to
    # top (any plan of this size has no more steps than that).
    top_steps = sorted((c.options[-1][0] for c in optional), reverse=True)
    max_steps = sum(c.options[-1][0] for c in forced) + sum(top_steps[:extra])
    # state (changed, steps) -> Pareto front of (points added, weight added, back-pointer)
    states: dict[tuple[int, int], list[tuple[float, float, Any]]] = {(0, 0): [(0.0, 0.0, None)]}
    for position, candidate in enumerate(order):
        left = len(order) - position - 1
        grown: dict[tuple[int, int], list[tuple[float, float, Any]]] = {}
        for (changed, steps), front in states.items():
            if not candidate.forced and changed + left >= size:
                grown.setdefault((changed, steps), []).extend(front)
            if changed + 1 > size or changed + 1 + left < size:
                continue
            for step, added_total, added_weight, level in candidate.options:
                if steps + step > max_steps:
                    break
                bucket = grown.setdefault((changed + 1, steps + step), [])
                for total, weight, back in front:
                    bucket.append(
                        (total + added_total, weight + added_weight, (back, position, level))
                    )
        states = {key: _pareto(front) for key, front in grown.items()}

    finals = sorted(
        (
            (steps, -(base_total + total) / (base_weight + weight), i, back)
            for (changed, steps), front in states.items()
            if changed == size
            for i, (total, weight, back) in enumerate(front)
            if reaches(base_total + total, base_weight + weight)
        ),
        key=lambda f: (f[0], f[1], f[2]),
    )
    for _, _, _, back in finals:
        chosen: list[tuple[_Candidate, int]] = []
        while back is not None:
            back, position, level = back
            chosen.append((order[position], level))
        changes, after = _verify(criteria, answers, profile, chosen)
        if criteria.band_index(after.verdict) >= goal:
            return changes, after
    return None


def _verify(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    chosen: list[tuple[_Candidate, int]],
) -> tuple[tuple[Change, ...], Results]:
    """The plan's changes, in the order to present them, and the results they would give."""
    changed = {c.entry.criterion.id for c, _ in chosen}
    planned = [a for a in answers if a.criterion not in changed]
    keyed: list[tuple[tuple[int, float, int], Change]] = []
    for candidate, level in chosen:
        entry = candidate.entry
        criterion = entry.criterion
        planned.append(Answer(criterion=criterion.id, level=criterion.levels[level].id))
        gate = criterion.gate
        lifts = (
            entry.answered
            and gate is not None
            and entry.index < criterion.level_index(gate.level) <= level
        )
        gain = entry.weight * (criterion.levels[level].score - entry.fraction)
        change = Change(
            criterion=criterion.id,
            title=criterion.title,
            from_level=criterion.levels[entry.index].id if entry.answered else entry.status,
            to_level=criterion.levels[level].id,
            text=criterion.levels[level].description,
            steps=(level - entry.index) if entry.answered else level,
            lifts_gate=bool(lifts),
        )
        keyed.append(((0 if lifts else 1, -gain, candidate.position), change))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(change for _, change in keyed), scoring.compute(criteria, planned, profile)


def _open_gates(
    criteria: CriteriaSet, entries: list[_Entry], changes: tuple[Change, ...], goal: int
) -> tuple[str, ...]:
    changed = {c.criterion for c in changes}
    return tuple(
        e.criterion.id
        for e in entries
        if not e.answered
        and e.criterion.id not in changed
        and e.criterion.gate is not None
        and criteria.band_index(e.criterion.gate.cap) < goal
    )


# --------------------------------------------------------------------------------------------------
# Weight thresholds
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    """How far one criterion's weight can move, the others fixed, before the verdict changes."""

    criterion: str
    title: str
    weight: float
    """The effective weight now."""
    lower: float
    """The verdict holds for weights above this; 0 when it holds for any smaller positive weight."""
    upper: float
    """The verdict holds for weights below this; `inf` when it holds for any larger weight."""
    below: str = ""
    """The verdict once the weight falls below `lower` (empty when `lower` is 0)."""
    above: str = ""
    """The verdict once the weight rises above `upper` (empty when `upper` is inf)."""

    @property
    def margin(self) -> float:
        """Smallest relative move of the weight that changes the verdict (0.1 = 10 %); inf if none."""
        down = (self.weight - self.lower) / self.weight if self.lower > 0 else _INF
        up = (self.upper - self.weight) / self.weight if not math.isinf(self.upper) else _INF
        return min(down, up)

    def within(self, spread: float) -> bool:
        """Whether a multiplier in [1 - spread, 1 + spread] of this weight changes the verdict."""
        return self.lower >= self.weight * (1 - spread) or self.upper <= self.weight * (1 + spread)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "criterion": self.criterion,
            "weight": self.weight,
            "lower": self.lower,
            "lower_factor": self.lower / self.weight,
        }
        if self.below:
            data["below"] = self.below
        if not math.isinf(self.upper):
            data["upper"] = self.upper
            data["upper_factor"] = self.upper / self.weight
            data["above"] = self.above
        return data


def _weight_for(score: float, rest_total: float, rest_weight: float, fraction: float) -> float:
    """The weight x at which (rest_total + x f) / (rest_weight + x) equals score/100."""
    ratio = score / 100.0
    return (ratio * rest_weight - rest_total) / (fraction - ratio)


def weight_thresholds(
    criteria: CriteriaSet, answers: Iterable[Answer], profile: Profile | None = None
) -> list[Threshold]:
    """For each answered criterion, the weights between which the verdict stays what it is.

    With the criterion's weight x and the others fixed, the score is `(S + x f) / (W + x)`: it moves
    monotonically from the others' mean S/W (x -> 0) towards the criterion's own fraction f
    (x -> inf). The verdict is the score's band capped by the gates that fire (which no weight
    changes), so it holds while the score stays in one interval of scores; the interval's ends are
    band boundaries, each met at `x = (b W - S) / (f - b)`. Boundaries are taken where the rounded
    score reaches the band (see the module docstring). Unanswered, unknown and not-applicable
    criteria do not enter the score, so their weights have no threshold and are left out.
    """
    answers = list(answers)
    entries = _entries(criteria, answers, profile)
    results = scoring.compute(criteria, answers, profile)
    verdict = criteria.band_index(results.verdict)
    answered = [e for e in entries if e.answered]
    if not answered:
        return []
    total = sum(e.weight * e.fraction for e in answered)
    weight = sum(e.weight for e in answered)
    cap = min(_cap_of(criteria, e.criterion, e.index) for e in answered)
    bands = criteria.bands
    # Scores (exact, before rounding) for which the capped verdict stays `verdict`:
    # [low_score, high_score). `low_band` is the band whose lower bound low_score is.
    low_band = verdict if verdict < cap else cap
    low_score = _flip_score(bands[low_band].min_score) if low_band > 0 else -_INF
    high_score = (
        _flip_score(bands[verdict + 1].min_score)
        if verdict < cap and verdict + 1 < len(bands)
        else _INF
    )
    out: list[Threshold] = []
    for entry in answered:
        rest_total = total - entry.weight * entry.fraction
        rest_weight = weight - entry.weight
        lower, upper, below, above = 0.0, _INF, "", ""
        fraction = 100.0 * entry.fraction
        if rest_weight > 0:
            rest = 100.0 * rest_total / rest_weight
            if fraction > rest:  # rising with the weight
                if fraction > high_score:
                    upper = _weight_for(high_score, rest_total, rest_weight, entry.fraction)
                    above = bands[verdict + 1].id
                if rest < low_score:
                    lower = _weight_for(low_score, rest_total, rest_weight, entry.fraction)
                    below = bands[low_band - 1].id
            elif fraction < rest:  # falling with the weight
                if fraction < low_score:
                    upper = _weight_for(low_score, rest_total, rest_weight, entry.fraction)
                    above = bands[low_band - 1].id
                if rest >= high_score:
                    lower = _weight_for(high_score, rest_total, rest_weight, entry.fraction)
                    below = bands[verdict + 1].id
        out.append(
            Threshold(
                criterion=entry.criterion.id,
                title=entry.criterion.title,
                weight=entry.weight,
                lower=max(lower, 0.0),
                upper=upper,
                below=below,
                above=above,
            )
        )
    out.sort(key=lambda t: (t.margin, [e.criterion.id for e in answered].index(t.criterion)))
    return out


@dataclass(frozen=True, slots=True)
class RankThreshold:
    """How far one criterion's weight can be scaled (in every package) before the ranking changes."""

    criterion: str
    title: str
    lower: float
    """The ranking holds for multipliers above this; 0 when it holds down to any positive one."""
    upper: float
    """The ranking holds for multipliers below this; `inf` when it holds for any larger one."""
    lower_swap: tuple[int, int] = (-1, -1)
    """The packages (indices, the one ranked higher now first) that swap below `lower`."""
    upper_swap: tuple[int, int] = (-1, -1)
    """The packages (indices, the one ranked higher now first) that swap above `upper`."""

    @property
    def margin(self) -> float:
        down = 1 - self.lower if self.lower > 0 else _INF
        up = self.upper - 1 if not math.isinf(self.upper) else _INF
        return min(down, up)

    def within(self, spread: float) -> bool:
        return self.lower >= 1 - spread or self.upper <= 1 + spread


@dataclass(frozen=True, slots=True)
class _Standing:
    """One package reduced for ranking: its answered criteria and what caps its verdict."""

    total: float
    weight: float
    per: dict[str, tuple[float, float]]  # answered criterion id -> (weight, fraction)
    cap: int
    flips: list[float]  # scores (0-100) from which each band starts, rounding allowed for
    mins: list[float]
    key: tuple[int, float]  # (verdict index, exact score or -1) as computed now

    @classmethod
    def of(cls, criteria: CriteriaSet, answers: list[Answer], profile: Profile | None) -> _Standing:
        entries = [e for e in _entries(criteria, answers, profile) if e.answered]
        results = scoring.compute(criteria, answers, profile)
        caps = [_cap_of(criteria, e.criterion, e.index) for e in entries]
        return cls(
            total=sum(e.weight * e.fraction for e in entries),
            weight=sum(e.weight for e in entries),
            per={e.criterion.id: (e.weight, e.fraction) for e in entries},
            cap=min(caps, default=len(criteria.bands)),
            flips=[_flip_score(band.min_score) for band in criteria.bands[1:]],
            mins=_band_mins(criteria),
            key=(
                criteria.band_index(results.verdict),
                -1.0 if results.score is None else _exact(entries),
            ),
        )

    def split(self, cid: str) -> tuple[float, float, float, float]:
        """(rest total, rest weight, criterion weight, criterion fraction) for criterion `cid`.

        The rest is summed afresh rather than subtracted from the totals, so that packages with
        the same other answers get bit-identical rest figures and no spurious crossing near 0."""
        rest_total = 0.0
        rest_weight = 0.0
        for other, (w, f) in self.per.items():
            if other != cid:
                rest_total += w * f
                rest_weight += w
        w, f = self.per.get(cid, (0.0, 0.0))
        return rest_total, rest_weight, w, f

    def key_at(self, cid: str, multiplier: float) -> tuple[int, float]:
        """(verdict index, exact score) with criterion `cid`'s weight scaled by `multiplier`."""
        if self.weight <= 0:
            return self.key
        rest_total, rest_weight, w, f = self.split(cid)
        total, weight = rest_total + multiplier * w * f, rest_weight + multiplier * w
        band = bisect_right(self.mins, _rounded(total, weight)) - 1
        return (band if band < self.cap else self.cap, 100.0 * total / weight)


def _exact(entries: Sequence[_Entry]) -> float:
    """The score before rounding, summed in the criteria set's order as `scoring` sums it."""
    total = 0.0
    weight = 0.0
    for entry in entries:
        total += entry.weight * entry.fraction
        weight += entry.weight
    return 100.0 * total / weight


def _order(keys: Sequence[tuple[int, float]]) -> list[int]:
    """Package indices best first, as the comparison ranks them: verdict, then score, then input
    order (a package with nothing answered counts as score -1).

    Scores are compared before rounding: two packages whose rounded scores tie are still in a
    definite order, and a ranking does not "change" where only the rounding makes them equal."""
    return sorted(range(len(keys)), key=lambda i: (-keys[i][0], -keys[i][1], i))


def _crossings(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> list[float]:
    """Positive multipliers m at which two packages' scores are equal.

    Each tuple is (rest total, rest weight, criterion weight, criterion fraction) with the
    criterion's weight scaled by m: score(m) = (S + m w f) / (W + m w). The difference of two
    scores has the sign of a quadratic A m^2 + B m + C (both denominators are positive).
    """
    s1, w1, c1, f1 = a
    s2, w2, c2, f2 = b
    quad = c1 * c2 * (f1 - f2)
    lin = s1 * c2 + c1 * f1 * w2 - s2 * c1 - c2 * f2 * w1
    const = s1 * w2 - s2 * w1
    roots: list[float] = []
    if quad == 0:
        if lin != 0:
            roots.append(-const / lin)
    else:
        disc = lin * lin - 4 * quad * const
        if disc >= 0:
            q = -0.5 * (lin + math.copysign(math.sqrt(disc), lin))
            roots.append(q / quad)
            if q != 0:
                roots.append(const / q)
    return [r for r in roots if r > 0]


def _band_crossings(part: tuple[float, float, float, float], flips: list[float]) -> list[float]:
    """Positive multipliers at which one package's score meets a band boundary."""
    rest_total, rest_weight, w, f = part
    out = []
    for flip in flips:
        ratio = flip / 100.0
        denominator = w * (f - ratio)
        if denominator != 0:
            m = (ratio * rest_weight - rest_total) / denominator
            if m > 0:
                out.append(m)
    return out


def _first_swap(before: list[int], after: list[int]) -> tuple[int, int]:
    """The first pair (ranked higher before, the package that passes it) whose order changed."""
    for old, new in zip(before, after, strict=True):
        if old != new:
            return old, new
    return (-1, -1)


def ranking_thresholds(
    items: Sequence[tuple[CriteriaSet, Iterable[Answer], Profile | None]],
) -> list[RankThreshold]:
    """For each criterion, the multipliers of its weight (in every package at once) that keep the
    ranking, and the pair of packages that swaps first beyond each end.

    The ranking is the comparison's: by verdict, then score. With one criterion's weight scaled by
    m, each package's score is linear-fractional in m, so the ranking can change only where two
    scores meet (a quadratic in m, `_crossings`) or where one score meets a band boundary
    (`_band_crossings`), all solved in closed form. Between two consecutive such points the order
    is constant, so it is evaluated once per interval, outwards from m = 1; the first interval with
    another order gives the threshold. Scores are compared before rounding (`_order`): the
    comparison document compares rounded scores and lets equal ones share a rank, so within 0.005
    points of a crossing it shows a tie where this already counts the swap. Criteria are matched by
    id, so packages scored against different sets share the criteria they have in common. Closest
    to changing the ranking first.
    """
    standings = [_Standing.of(c, list(a), p) for c, a, p in items]
    current = _order([s.key for s in standings])
    scored = [i for i in current if standings[i].weight > 0]
    titles: dict[str, str] = {}
    order_ids: list[str] = []
    for criteria, _, _ in items:
        for criterion in criteria.criteria:
            if criterion.id not in titles:
                titles[criterion.id] = criterion.title
                order_ids.append(criterion.id)
    out: list[RankThreshold] = []
    for cid in order_ids:
        if not any(cid in standings[i].per for i in scored):
            continue
        parts = {i: standings[i].split(cid) for i in scored}
        points: set[float] = set()
        for x, i in enumerate(scored):
            points.update(_band_crossings(parts[i], standings[i].flips))
            for j in scored[x + 1 :]:
                points.update(_crossings(parts[i], parts[j]))
        # Roots this close to 0 or this far out are rounding noise of a root at 0 or at infinity
        # (and a weight scaled that far means nothing); the search treats them as absent.
        points = {p for p in points if _NEGLIGIBLE < p < 1 / _NEGLIGIBLE}

        def order_at(m: float, cid: str = cid) -> list[int]:
            return _order([s.key_at(cid, m) for s in standings])

        upper, upper_swap = _INF, (-1, -1)
        ups = sorted(p for p in points if p > 1)
        for left, right in zip([1.0, *ups], [*ups, _INF], strict=True):
            probe = order_at(left * 2 if math.isinf(right) else (left + right) / 2)
            if probe != current:
                upper, upper_swap = left, _first_swap(current, probe)
                break
        lower, lower_swap = 0.0, (-1, -1)
        downs = sorted((p for p in points if p < 1), reverse=True)
        for right, left in zip([1.0, *downs], [*downs, 0.0], strict=True):
            probe = order_at((left + right) / 2)
            if probe != current:
                lower, lower_swap = right, _first_swap(current, probe)
                break
        out.append(RankThreshold(cid, titles[cid], lower, upper, lower_swap, upper_swap))
    out.sort(key=lambda t: (t.margin, order_ids.index(t.criterion)))
    return out


# --------------------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------------------


def _check_run(draws: int, spread: float) -> None:
    problems = []
    if not 1 <= draws <= MAX_DRAWS:
        problems.append(f"--draws: must be between 1 and {MAX_DRAWS:,}, not {draws}")
    if not 0 <= spread < 1:
        problems.append(f"spread: must be at least 0 and below 1, not {spread}")
    if problems:
        raise GuaranteekitError(problems)


def _level_options(
    criteria: CriteriaSet, entry: _Entry, confidence: bool
) -> tuple[tuple[float, int], ...]:
    """The (fraction, gate cap) an answer may take in one draw, each equally likely.

    high: the level itself. medium: half-way down to the level below, the level, half-way up to
    the level above. low: the level below, the level, the level above. At the ends of the rubric
    the missing neighbour is the level itself (so it counts twice). A medium answer keeps its
    level for the gate, as in `scoring`; a low one may fall below a gate and fire it.
    """
    criterion = entry.criterion
    levels = criterion.levels
    index = entry.index
    last = len(levels) - 1
    down, up = max(index - 1, 0), min(index + 1, last)
    here = levels[index].score
    cap = _cap_of(criteria, criterion, index)
    if not confidence or entry.confidence is Confidence.HIGH:
        return ((here, cap),)
    if entry.confidence is Confidence.MEDIUM:
        return (
            ((here + levels[down].score) / 2, cap),
            (here, cap),
            ((here + levels[up].score) / 2, cap),
        )
    return (
        (levels[down].score, _cap_of(criteria, criterion, down)),
        (here, cap),
        (levels[up].score, _cap_of(criteria, criterion, up)),
    )


@dataclass(slots=True)
class _Sampler:
    """One package reduced to lists of floats, so that a draw is a few list operations."""

    ids: list[str]
    weights: list[float]
    fractions: list[float]
    varied: list[tuple[int, tuple[tuple[float, int], ...]]]
    fixed_cap: int
    mins: list[float]

    @classmethod
    def build(
        cls,
        criteria: CriteriaSet,
        answers: Iterable[Answer],
        profile: Profile | None,
        confidence: bool,
    ) -> _Sampler:
        entries = [e for e in _entries(criteria, answers, profile) if e.answered]
        varied = []
        fixed_cap = len(criteria.bands)
        for position, entry in enumerate(entries):
            options = _level_options(criteria, entry, confidence)
            if len(options) > 1:
                varied.append((position, options))
            else:
                fixed_cap = min(fixed_cap, options[0][1])
        return cls(
            ids=[e.criterion.id for e in entries],
            weights=[e.weight for e in entries],
            fractions=[e.fraction for e in entries],
            varied=varied,
            fixed_cap=fixed_cap,
            mins=_band_mins(criteria),
        )

    def draw(self, multipliers: list[float], rnd: Any) -> tuple[float, int]:
        """Exact score (before rounding) and verdict index for one draw, with the weights'
        multipliers given."""
        weights = list(map(mul, self.weights, multipliers))
        cap = self.fixed_cap
        if self.varied:
            fractions = self.fractions.copy()
            for position, options in self.varied:
                fraction, level_cap = options[int(rnd() * len(options))]
                fractions[position] = fraction
                if level_cap < cap:
                    cap = level_cap
        else:
            fractions = self.fractions
        total, weight = sum(map(mul, weights, fractions)), sum(weights)
        band = bisect_right(self.mins, _rounded(total, weight)) - 1
        return 100.0 * total / weight, band if band < cap else cap


@dataclass(frozen=True, slots=True)
class MCResult:
    """Verdict probabilities over perturbed weights (and answers)."""

    draws: int
    seed: int
    spread: float
    confidence: bool
    verdict: str
    """The verdict as computed, without perturbation."""
    probabilities: dict[str, float]
    """Share of draws in each band, every band listed, lowest first."""
    probability: float
    """Share of draws giving `verdict`."""
    score_mean: float
    score_low: float
    """5th percentile of the drawn scores."""
    score_high: float
    """95th percentile of the drawn scores."""
    fragile: bool
    reasons: tuple[str, ...] = ()
    """Why the verdict is fragile (empty when it is not)."""
    unset: int = 0
    """Answers at a level with no confidence chosen: taken as exact, as high ones are."""

    @property
    def method(self) -> str:
        how = f"each weight x uniform({1 - self.spread:g}, {1 + self.spread:g})"
        if self.confidence:
            how += "; low-confidence answers one level either way, medium half a level"
            if self.unset:
                how += (
                    f"; {self.unset} answer(s) with no confidence chosen stay at their level,"
                    " as high ones do"
                )
        return how

    def as_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "spread": self.spread,
            "confidence": self.confidence,
            "method": self.method,
            "fragile_below": FRAGILE_PROBABILITY,
            "verdict": self.verdict,
            "probability": self.probability,
            "probabilities": dict(self.probabilities),
            "score_mean": self.score_mean,
            "score_p05": self.score_low,
            "score_p95": self.score_high,
            "fragile": self.fragile,
            "reasons": list(self.reasons),
        }


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def monte_carlo(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    profile: Profile | None = None,
    draws: int = 10_000,
    spread: float = DEFAULT_SPREAD,
    seed: int = 1,
    confidence: bool = True,
    thresholds: Sequence[Threshold] | None = None,
) -> MCResult:
    """Probability of each verdict when the weights (and, with `confidence`, the answers) vary.

    Each draw multiplies every answered criterion's weight by its own uniform draw in
    [1 - spread, 1 + spread] and, with `confidence`, moves each answer as `_level_options` says.
    Unknown and unanswered criteria stay out of the score, as in `scoring` (the provisional range
    covers them). The verdict is fragile when it holds in fewer than FRAGILE_PROBABILITY of the
    draws, or when one weight alone, moved within the same range, changes it (`weight_thresholds`,
    or `thresholds` when the caller has them already). Same arguments, same figures: the draws come from `random.Random(seed)` in a fixed order.
    """
    _check_run(draws, spread)
    answers = list(answers)
    results = scoring.compute(criteria, answers, profile)
    sampler = _Sampler.build(criteria, answers, profile, confidence)
    band_ids = [band.id for band in criteria.bands]
    verdict = criteria.band_index(results.verdict)
    counts = [0] * len(band_ids)
    scores: list[float] = []
    if sampler.weights:
        rng = random.Random(seed)
        rnd = rng.random
        low, width = 1.0 - spread, 2.0 * spread
        count = len(sampler.weights)
        draw = sampler.draw
        append = scores.append
        for _ in range(draws):
            score, band = draw([low + width * rnd() for _ in range(count)], rnd)
            counts[band] += 1
            append(round(score, _ROUND))
    else:
        counts[verdict] = draws  # nothing answered: no weight enters the score
    probabilities = {bid: n / draws for bid, n in zip(band_ids, counts, strict=True)}
    probability = probabilities[band_ids[verdict]]
    reasons: list[str] = []
    if probability < FRAGILE_PROBABILITY:
        reasons.append(
            f"the verdict holds in {_pct(probability)} of draws (below {_pct(FRAGILE_PROBABILITY)})"
        )
    if thresholds is None:
        thresholds = weight_thresholds(criteria, answers, profile)
    for threshold in thresholds:
        if threshold.within(spread):
            reasons.append(_threshold_reason(criteria, threshold))
    scores.sort()
    return MCResult(
        draws=draws,
        seed=seed,
        spread=spread,
        confidence=confidence,
        verdict=band_ids[verdict],
        probabilities=probabilities,
        probability=probability,
        score_mean=round(sum(scores) / len(scores), _ROUND) if scores else 0.0,
        score_low=_percentile(scores, 0.05),
        score_high=_percentile(scores, 0.95),
        fragile=bool(reasons),
        reasons=tuple(reasons),
        unset=sum(1 for a in answers if a.status is AnswerStatus.LEVEL and a.confidence is None),
    )


def _threshold_reason(criteria: CriteriaSet, t: Threshold) -> str:
    parts = []
    if t.lower > 0:
        parts.append(
            f"{_times(t.lower / t.weight)} makes it {one_line(criteria.band(t.below).label)}"
        )
    if not math.isinf(t.upper):
        parts.append(
            f"{_times(t.upper / t.weight)} makes it {one_line(criteria.band(t.above).label)}"
        )
    return f"one weight alone: {one_line(t.title)} " + " and ".join(parts)


@dataclass(frozen=True, slots=True)
class RankMCResult:
    """Rank probabilities over perturbed weights (and answers), for several packages."""

    draws: int
    seed: int
    spread: float
    confidence: bool
    order: tuple[int, ...]
    """Package indices, best first, as scored without perturbation."""
    ranks: tuple[tuple[float, ...], ...]
    """`ranks[i][r]`: share of draws in which package i ranks r-th (0 is first)."""
    probability: float
    """Share of draws giving exactly the order `order`."""
    fragile: bool
    reasons: tuple[str, ...] = ()


def monte_carlo_ranking(
    items: Sequence[tuple[CriteriaSet, Iterable[Answer], Profile | None]],
    draws: int = 10_000,
    spread: float = DEFAULT_SPREAD,
    seed: int = 1,
    confidence: bool = True,
    names: Sequence[str] | None = None,
    thresholds: Sequence[RankThreshold] | None = None,
) -> RankMCResult:
    """Probability of each rank per package, when the weights (and answers) vary.

    A criterion's multiplier is shared by every package in a draw (the doubt is about the weighting,
    which is common), while answers vary independently per package. Ranks are the comparison's: by
    verdict, then score, ties in input order; a package with nothing answered keeps its verdict and
    counts as score -1. The ranking is fragile when the exact current order holds in fewer than
    FRAGILE_PROBABILITY of the draws, or when one weight alone within the range reorders it
    (`ranking_thresholds`, or `thresholds` when the caller has them already). `names` label the
    packages in the reasons.
    """
    _check_run(draws, spread)
    items = [(c, list(a), p) for c, a, p in items]
    labels = list(names) if names is not None else [f"package {i + 1}" for i in range(len(items))]
    fixed = [_Standing.of(c, a, p).key for c, a, p in items]
    order = _order(fixed)
    samplers = [_Sampler.build(c, a, p, confidence) for c, a, p in items]
    ids: list[str] = []
    for sampler in samplers:
        ids.extend(cid for cid in sampler.ids if cid not in ids)
    slots = [[ids.index(cid) for cid in s.ids] for s in samplers]
    count = len(items)
    tallies = [[0] * count for _ in range(count)]
    same = 0
    rng = random.Random(seed)
    rnd = rng.random
    low, width = 1.0 - spread, 2.0 * spread
    for _ in range(draws):
        shared = [low + width * rnd() for _ in ids]
        keys: list[tuple[int, float]] = []
        for index, (sampler, slot) in enumerate(zip(samplers, slots, strict=True)):
            if sampler.weights:
                score, band = sampler.draw([shared[k] for k in slot], rnd)
                keys.append((band, score))
            else:
                keys.append(fixed[index])
        ranked = _order(keys)
        for rank, index in enumerate(ranked):
            tallies[index][rank] += 1
        if ranked == order:
            same += 1
    probability = same / draws
    reasons: list[str] = []
    if count > 1 and probability < FRAGILE_PROBABILITY:
        reasons.append(
            f"the ranking holds in {_pct(probability)} of draws (below {_pct(FRAGILE_PROBABILITY)})"
        )
    if count > 1:
        for t in ranking_thresholds(items) if thresholds is None else thresholds:
            if t.lower >= 1 - spread:
                first, second = t.lower_swap
                reasons.append(
                    f"one weight alone: {one_line(t.title)} {_times(t.lower)} puts"
                    f" {one_line(labels[second])} above {one_line(labels[first])}"
                )
            if t.upper <= 1 + spread:
                first, second = t.upper_swap
                reasons.append(
                    f"one weight alone: {one_line(t.title)} {_times(t.upper)} puts"
                    f" {one_line(labels[second])} above {one_line(labels[first])}"
                )
    return RankMCResult(
        draws=draws,
        seed=seed,
        spread=spread,
        confidence=confidence,
        order=tuple(order),
        ranks=tuple(tuple(n / draws for n in row) for row in tallies),
        probability=probability,
        fragile=bool(reasons),
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------------------------------
# Reference points
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    """A worked example scored with the same criteria (and profile)."""

    name: str
    score: float
    verdict: str
    path: str


@dataclass(frozen=True, slots=True)
class ReferencePoints:
    """Where a score falls among the worked examples."""

    examples: tuple[Reference, ...] = ()
    """Every usable example, lowest score first."""
    below: tuple[Reference, ...] = ()
    """The example(s) just below the score (highest score under it)."""
    above: tuple[Reference, ...] = ()
    """The example(s) just above the score."""
    level: tuple[Reference, ...] = ()
    """Examples with the same score."""

    def sentence(self) -> str:
        """E.g. `above Budapest Memorandum (12.0), below Paris Declaration (55.3)`."""

        def names(refs: tuple[Reference, ...]) -> str:
            return " and ".join(f"{one_line(r.name)} ({r.score:.1f})" for r in refs)

        parts = []
        if self.level:
            parts.append(f"level with {names(self.level)}")
        if self.below:
            parts.append(f"above {names(self.below)}")
        if self.above:
            parts.append(f"below {names(self.above)}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        def listed(refs: tuple[Reference, ...]) -> list[dict[str, Any]]:
            return [
                {"name": r.name, "score": r.score, "verdict": r.verdict, "path": r.path}
                for r in refs
            ]

        return {
            "examples": listed(self.examples),
            "below": listed(self.below),
            "above": listed(self.above),
            "level": listed(self.level),
            "summary": self.sentence(),
        }


def _load_example(path: Path) -> Report | None:
    from guaranteekit.formats.assessment import load_report

    try:
        return load_report(path)
    except LoadError:
        return None


def reference_points(
    criteria: CriteriaSet,
    score: float | None,
    profile: Profile | None = None,
    examples_dir: Path | None = None,
    exclude: Path | None = None,
) -> ReferencePoints:
    """Between which worked examples a score falls.

    The examples are the `*.toml` reports in `examples_dir` (default: the built-in examples) scored
    against a criteria set with the same id; they are rescored here with `criteria` and `profile`,
    so the comparison is like for like. Files that do not load, or whose answers do not fit the
    criteria, are skipped; `exclude` (the report being scored) is left out.
    """
    from guaranteekit.formats.assessment import check_answers
    from guaranteekit.formats.catalog import resource_dir

    folder = Path(examples_dir) if examples_dir is not None else resource_dir("examples")
    if score is None or not folder.is_dir():
        return ReferencePoints()
    skip = Path(exclude).resolve() if exclude is not None else None
    found: list[Reference] = []
    for path in sorted(folder.glob("*.toml")):
        if skip is not None and path.resolve() == skip:
            continue
        report = _load_example(path)
        if report is None or report.criteria.id != criteria.id:
            continue
        if check_answers(report, criteria, str(path)):
            continue
        results = scoring.compute(criteria, report.answers, profile)
        if results.score is None:
            continue
        found.append(Reference(report.package.name, results.score, results.verdict, str(path)))
    found.sort(key=lambda r: (r.score, r.name))
    under = [r for r in found if r.score < score]
    over = [r for r in found if r.score > score]
    best_under = tuple(r for r in under if under and r.score == under[-1].score)
    best_over = tuple(r for r in over if over and r.score == over[0].score)
    return ReferencePoints(
        examples=tuple(found),
        below=best_under,
        above=best_over,
        level=tuple(r for r in found if r.score == score),
    )


# --------------------------------------------------------------------------------------------------
# What `score` and the comparison documents show
# --------------------------------------------------------------------------------------------------


class _Scored(Protocol):
    path: Path
    report: Report
    criteria: CriteriaSet
    profile: Profile | None


def _wrap(text: str, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        one_line(text), width=100, initial_indent=indent, subsequent_indent=indent
    ) or [indent.rstrip()]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _plan_lines(criteria: CriteriaSet, plans: list[Plan]) -> list[str]:
    lines = ["Planned asks (fewest changes, gates first):"]
    for plan in plans:
        label = clean(criteria.band(plan.band).label)
        which = {"next": "next band", "top": "top band"}[plan.target]
        if plan.target == "next" and plan.band == criteria.bands[-1].id:
            which = "next and top band"
        if not plan.changes:
            lines.append(f"  To reach {label} ({which}): {plan.reason}")
            continue
        if plan is not plans[0] and plan.changes == plans[0].changes:
            lines.append(f"  To reach {label} ({which}): the same changes")
            continue
        after = "n/a" if plan.score_after is None else f"{plan.score_after:.1f}"
        lines.append(
            f"  To reach {label} ({which}): {_plural(len(plan.changes), 'change')},"
            f" {_plural(plan.steps, 'level step')} -> score {after},"
            f" verdict {clean(criteria.band(plan.verdict_after).label)}"
        )
        for number, change in enumerate(plan.changes, 1):
            flag = "  [lifts gate]" if change.lifts_gate else ""
            lines.append(
                f"    {number:>2}. {one_line(change.title)}: {change.from_level} ->"
                f" {change.to_level}{flag}"
            )
            lines += _wrap(f"Demand: {change.text}", "        ")
        for cid in plan.open_gates:
            criterion = criteria.criterion(cid)
            assert criterion.gate is not None
            lines.append(
                f"    Gate still open: {one_line(criterion.title)} is not answered; below"
                f" {criterion.gate.level!r} it caps the verdict at"
                f" {clean(criteria.band(criterion.gate.cap).label)}."
            )
    return lines


def _threshold_lines(criteria: CriteriaSet, thresholds: list[Threshold], verdict: str) -> list[str]:
    lines = [
        "Weight sensitivity (one weight moved, the others fixed; closest to changing the verdict"
        " first):"
    ]
    shown = [t for t in thresholds if not math.isinf(t.margin)][:5]
    if not shown:
        lines.append(
            f"  no single weight changes the verdict ({clean(criteria.band(verdict).label)})"
        )
        return lines
    for t in shown:
        low = (
            f"{t.lower:.3g} ({_times(t.lower / t.weight)}, then {clean(criteria.band(t.below).label)})"
            if t.lower > 0
            else "any lower weight"
        )
        high = (
            f"{t.upper:.3g} ({_times(t.upper / t.weight)}, then {clean(criteria.band(t.above).label)})"
            if not math.isinf(t.upper)
            else "any higher weight"
        )
        lines.append(
            f"  {one_line(t.title)} (weight {t.weight:g}): verdict holds from {low} to {high}"
        )
    rest = len(thresholds) - len(shown)
    if rest:
        lines.append(
            f"  ... {_plural(rest, 'other weight')} further from a change (--json lists all)"
        )
    return lines


def _mc_lines(criteria: CriteriaSet, mc: MCResult) -> list[str]:
    lines = [f"Monte Carlo ({mc.draws:,} draws, seed {mc.seed}):", *_wrap(mc.method, "  ")]
    ranked = sorted(
        ((p, criteria.band_index(bid), bid) for bid, p in mc.probabilities.items() if p > 0),
        key=lambda x: (-x[0], x[1]),
    )
    lines.append(
        "  " + ", ".join(f"{clean(criteria.band(bid).label)} {_pct(p)}" for p, _, bid in ranked)
    )
    lines.append(
        f"  score 90% interval {mc.score_low:.1f} .. {mc.score_high:.1f} (mean {mc.score_mean:.1f})"
    )
    label = clean(criteria.band(mc.verdict).label)
    if mc.fragile:
        lines.append(f"  Verdict FRAGILE ({label}):")
        lines += [f"    - {reason}" for reason in mc.reasons]
    else:
        lines.append(
            f"  Verdict robust ({label}): holds in {_pct(mc.probability)} of draws, and no single"
            f" weight within ±{100 * mc.spread:g}% changes it"
        )
    return lines


def score_extras(
    scored: _Scored,
    results: Results,
    draws: int = 2000,
    seed: int = 1,
    *,
    spread: float = DEFAULT_SPREAD,
    examples_dir: Path | None = None,
) -> dict[str, Any]:
    """Decision support for `guaranteekit score`: text lines to print and data for `--json`.

    Planned asks to the next band and to the top band, the weights closest to changing the
    verdict, Monte Carlo verdict probabilities with the fragile flag, and the worked examples the
    score falls between. Per-scenario scores are in `results` already (and printed by `render`).
    `draws` 0 leaves the Monte Carlo run out.
    """
    criteria, profile = scored.criteria, scored.profile
    answers = list(scored.report.answers)
    if draws < 0:
        raise GuaranteekitError(f"--draws: must be 0 or more, not {draws}")
    plans = [plan_asks(criteria, answers, profile, "next")]
    if plans[0].band != criteria.bands[-1].id:
        plans.append(plan_asks(criteria, answers, profile, "top"))
    thresholds = weight_thresholds(criteria, answers, profile)
    text = _plan_lines(criteria, plans)
    text += ["", *_threshold_lines(criteria, thresholds, results.verdict)]
    data: dict[str, Any] = {
        "plans": [plan.as_dict() for plan in plans],
        "weight_thresholds": [t.as_dict() for t in thresholds],
    }
    if draws > 0:
        mc = monte_carlo(criteria, answers, profile, draws=draws, spread=spread, seed=seed)
        text += ["", *_mc_lines(criteria, mc)]
        data["monte_carlo"] = mc.as_dict()
    refs = reference_points(
        criteria, results.score, profile, examples_dir, exclude=getattr(scored, "path", None)
    )
    if refs.examples:
        text += ["", "Reference points (worked examples, same criteria):"]
        text.append(f"  {refs.sentence()}" if refs.sentence() else "  none scored")
        data["reference_points"] = refs.as_dict()
    return {"text": text, "json": {"analysis": data}}


_Item = tuple[CriteriaSet, list[Answer], Profile | None]
_Own = tuple[str, float | None, MCResult, dict[str, Any] | None]


def _package_runs(chunk: list[_Item], *, draws: int, spread: float, seed: int) -> list[_Own]:
    """Each package's verdict and score, its own Monte Carlo run, and the weight closest to
    changing its verdict (as a dict, or None when no weight can)."""
    out: list[_Own] = []
    for criteria, answers, profile in chunk:
        thresholds = weight_thresholds(criteria, answers, profile)
        mc = monte_carlo(
            criteria, answers, profile, draws=draws, spread=spread, seed=seed, thresholds=thresholds
        )
        score = scoring.compute(criteria, answers, profile).score
        closest = [t for t in thresholds if not math.isinf(t.margin)]
        out.append((mc.verdict, score, mc, closest[0].as_dict() if closest else None))
    return out


def compare_extras(
    scored_list: Sequence[_Scored],
    draws: int = 2000,
    seed: int = 1,
    *,
    spread: float = DEFAULT_SPREAD,
    limit: int = 5,
    jobs: int = 1,
) -> dict[str, Any]:
    """Sensitivity for the comparison documents, as plain data (no None; it is dumped to TOML).

    With `jobs` other than 1 (0: one per core), each package's own run is made in other processes
    while this one runs the ranking (`batch.fork_map`); the figures are the same.

    - `settings`: draws, seed, spread, the method in words, the fragile threshold.
    - `packages` (in input order): name, index, verdict, score (absent when nothing is answered),
      verdict probabilities (band id -> share), fragile flag and reasons, rank (1 is first), the
      share of draws at each rank, and the weight closest to changing its verdict.
    - `ranking`: the order (package names), the share of draws giving exactly that order, fragile
      flag and reasons.
    - `rank_thresholds`: up to `limit` criteria whose weight, scaled in every package, reorders them
      soonest: the multipliers and the packages that swap.
    """
    if draws < 1:
        raise GuaranteekitError(f"--draws: must be 1 or more, not {draws}")
    items = [(s.criteria, list(s.report.answers), s.profile) for s in scored_list]
    names = [s.report.package.name for s in scored_list]
    thresholds = ranking_thresholds(items) if len(items) > 1 else []
    rankings: list[RankMCResult] = []

    def rank() -> None:
        rankings.append(
            monte_carlo_ranking(
                items, draws=draws, spread=spread, seed=seed, names=names, thresholds=thresholds
            )
        )

    # Each package's own run in the other processes while this one runs the ranking (a package's
    # figures depend on nothing else, so they are the same in any process).
    runs = functools.partial(_package_runs, draws=draws, spread=spread, seed=seed)
    own = fork_map(runs, items, jobs, min_chunk=1, meanwhile=rank)
    ranking = rankings[0]
    packages: list[dict[str, Any]] = []
    for index, ((criteria, _, _), (verdict, score, mc, closest)) in enumerate(
        zip(items, own, strict=True)
    ):
        entry: dict[str, Any] = {
            "name": names[index],
            "index": index,
            "verdict": verdict,
            "verdict_label": criteria.band(verdict).label,
            "verdict_probability": mc.probability,
            "verdict_probabilities": dict(mc.probabilities),
            "fragile": mc.fragile,
            "fragile_reasons": list(mc.reasons),
            "rank": ranking.order.index(index) + 1,
            "rank_probabilities": list(ranking.ranks[index]),
        }
        if score is not None:
            entry["score"] = score
        if closest is not None:
            entry["closest_weight"] = closest
        packages.append(entry)
    rank_thresholds: list[dict[str, Any]] = []
    for t in thresholds:
        if math.isinf(t.margin) or len(rank_thresholds) >= limit:
            continue
        row: dict[str, Any] = {"criterion": t.criterion, "title": t.title, "lower": t.lower}
        if t.lower > 0:
            row["lower_swap"] = [names[t.lower_swap[0]], names[t.lower_swap[1]]]
        if not math.isinf(t.upper):
            row["upper"] = t.upper
            row["upper_swap"] = [names[t.upper_swap[0]], names[t.upper_swap[1]]]
        row["within_range"] = t.within(spread)
        rank_thresholds.append(row)
    method = (
        f"each weight x uniform({1 - spread:g}, {1 + spread:g}), shared by every package;"
        " low-confidence answers one level either way, medium half a level"
    )
    return {
        "settings": {
            "draws": draws,
            "seed": seed,
            "spread": spread,
            "method": method,
            "fragile_below": FRAGILE_PROBABILITY,
        },
        "packages": packages,
        "ranking": {
            "order": [names[i] for i in ranking.order],
            "probability": ranking.probability,
            "fragile": ranking.fragile,
            "reasons": list(ranking.reasons),
        },
        "rank_thresholds": rank_thresholds,
    }


__all__ = [
    "DEFAULT_SPREAD",
    "FRAGILE_PROBABILITY",
    "Change",
    "MCResult",
    "Plan",
    "RankMCResult",
    "RankThreshold",
    "Reference",
    "ReferencePoints",
    "Threshold",
    "compare_extras",
    "monte_carlo",
    "monte_carlo_ranking",
    "plan_asks",
    "ranking_thresholds",
    "reference_points",
    "score_extras",
    "weight_thresholds",
]
