"""Weight thresholds: how far one criterion's weight can move before a verdict or a ranking changes.

The score is a weighted mean, so with one weight `x` moving and the others fixed it is
`(S + x f) / (W + x)`, monotone in `x`; the weight at which it meets a band boundary (or another
package's score) is solved in closed form (`weight_thresholds`, `ranking_thresholds`).

Scores are rounded to two decimals before bands are looked up (as in `scoring`), so a verdict changes
once the exact score comes within 0.005 of a band's lower bound; the thresholds here account for that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from guaranteekit.formats.models import (
    Answer,
    CriteriaSet,
    Profile,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring import format2
from guaranteekit.scoring._shared import (
    _INF,
    _cap_of,
    _entries,
    _fixed_cap,
    _flip_score,
    _order,
    _Standing,
)

_NEGLIGIBLE = 1e-9  # multipliers below this (or above its inverse) are taken as 0 (or infinity)


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

    def limits(self) -> WeightLimits:
        """The range as `score --json` and the documents give it, in weights and in multiples of
        the weight now; an end that does not exist is left out."""
        finite = not math.isinf(self.upper)
        return WeightLimits(
            criterion=self.criterion,
            weight=self.weight,
            lower=self.lower,
            lower_factor=self.lower / self.weight,
            below=self.below or None,
            upper=self.upper if finite else None,
            upper_factor=self.upper / self.weight if finite else None,
            above=self.above if finite else None,
        )


class WeightLimits(BaseModel):
    """A `Threshold` as data: the weights between which the verdict holds."""

    model_config = ConfigDict(extra="forbid")

    criterion: str
    weight: float
    lower: float
    lower_factor: float
    """`lower` as a multiple of `weight`."""
    below: str | None = None
    """The verdict below `lower` (absent when `lower` is 0)."""
    upper: float | None = None
    """Absent when the verdict holds for any larger weight."""
    upper_factor: float | None = None
    above: str | None = None
    """The verdict above `upper`."""


def _weight_for(score: float, rest_total: float, rest_weight: float, fraction: float) -> float:
    """The weight x at which (rest_total + x f) / (rest_weight + x) equals score/100."""
    ratio = score / 100.0
    return (ratio * rest_weight - rest_total) / (fraction - ratio)


def weight_thresholds(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    profile: Profile | None = None,
    *,
    results: Results | None = None,
) -> list[Threshold]:
    """For each answered criterion, the weights between which the verdict stays what it is.

    With the criterion's weight x and the others fixed, the score is `(S + x f) / (W + x)`: it moves
    monotonically from the others' mean S/W (x -> 0) towards the criterion's own fraction f
    (x -> inf). The verdict is the score's band capped by the gates that fire (which no weight
    changes), so it holds while the score stays in one interval of scores; the interval's ends are
    band boundaries, each met at `x = (b W - S) / (f - b)`. Boundaries are taken where the rounded
    score reaches the band (see the module docstring). Not-applicable criteria (and, in a format-1
    set, unanswered and unknown ones) do not enter the score, so their weights have no threshold
    and are left out; a format-2 set counts open criteria at their silence level, and price criteria
    never enter the score.
    """
    answers = list(answers)
    entries = _entries(criteria, answers, profile)
    if results is None:
        verdict_id, _ = scoring.verdict_and_score(criteria, answers, profile)
    else:
        verdict_id = results.verdict
    verdict = criteria.band_index(verdict_id)
    answered = [e for e in entries if e.answered]
    if not answered:
        return []
    total = sum(e.weight * e.fraction for e in answered)
    weight = sum(e.weight for e in answered)
    table = format2.gate_table(criteria, profile) if criteria.is_format2 else None
    cap = min(
        [
            *(_cap_of(criteria, e.criterion, e.index, table) for e in answered),
            _fixed_cap(criteria, answers, profile),
        ]
    )
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
    order = {e.criterion.id: position for position, e in enumerate(answered)}
    out.sort(key=lambda t: (t.margin, order[t.criterion]))
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
    results: Sequence[Results] | None = None,
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
    to changing the ranking first. `results`: each package's results as scored already.
    """
    given = list(results) if results is not None else [None] * len(items)
    standings = [_Standing.of(c, list(a), p, r) for (c, a, p), r in zip(items, given, strict=True)]
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


__all__ = [
    "RankThreshold",
    "Threshold",
    "WeightLimits",
    "ranking_thresholds",
    "weight_thresholds",
]
