"""The numbers the analysis modules work on: a package reduced to weights, fractions and gate caps."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guaranteekit.formats.models import (
    Answer,
    CriteriaSet,
    Criterion,
    Profile,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring import format2

_ROUND = scoring.ROUND
_INF = math.inf


_Entry = scoring.Applicable
"""One applicable criterion of one package, as `scoring.applicable` reduces it."""


def _entries(
    criteria: CriteriaSet, answers: Iterable[Answer], profile: Profile | None = None
) -> list[_Entry]:
    """The applicable criteria in the set's order, as `scoring` counts them.

    For a format-2 set these are the credibility criteria, each at the level the headline counts
    (an open one at its silence level), so every entry is `answered` in the sense of counted; its
    `status` still says whether it was answered. Price criteria enter only through `_fixed_cap`.
    """
    by_id = {answer.criterion: answer for answer in answers}
    weights = scoring.effective_weights(criteria, profile)
    if criteria.is_format2:
        return [
            _Entry(item.crit.criterion, item.weight, item.status, item.index, item.confidence)
            for item in format2.items(criteria, weights, by_id)
            if not item.crit.price
        ]
    return scoring.applicable(criteria, weights, by_id)


def _cap_of(
    criteria: CriteriaSet,
    criterion: Criterion,
    index: int,
    table: dict[str, tuple[format2.GateIndexes, ...]] | None = None,
) -> int:
    """The band a criterion at level `index` caps the verdict at; the band count when none.

    For a format-2 set the gates are `table`'s (the set's own, after a profile) or the set's."""
    if criteria.is_format2:
        gates = (table if table is not None else format2.gate_table(criteria)).get(criterion.id, ())
        return min((g.cap for g in gates if index in g.fires), default=len(criteria.bands))
    gate = criterion.gate
    if gate is not None and index < criterion.level_index(gate.level):
        return criteria.band_index(gate.cap)
    return len(criteria.bands)


def _fixed_cap(
    criteria: CriteriaSet, answers: Iterable[Answer], profile: Profile | None = None
) -> int:
    """The cap the price criteria's gates put on the verdict (format 2); the band count when none.

    No weight moves it: price criteria never enter the credibility score."""
    if not criteria.is_format2:
        return len(criteria.bands)
    table = format2.gate_table(criteria, profile)
    weights = scoring.effective_weights(criteria, profile)
    by_id = {answer.criterion: answer for answer in answers}
    caps = [
        _cap_of(criteria, item.crit.criterion, item.index, table)
        for item in format2.items(criteria, weights, by_id)
        if item.crit.price
    ]
    return min(caps, default=len(criteria.bands))


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


def _flip_score(min_score: float) -> float:
    """The exact score (0-100) from which the rounded score reaches a band's `min_score`."""
    lowest_rounded = math.ceil(round(min_score * 10**_ROUND, 6)) / 10**_ROUND
    return float(lowest_rounded - 0.5 / 10**_ROUND)


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
    def of(
        cls,
        criteria: CriteriaSet,
        answers: list[Answer],
        profile: Profile | None,
        results: Results | None = None,
    ) -> _Standing:
        """`results`: the package's results as scored already, if the caller has them."""
        entries = [e for e in _entries(criteria, answers, profile) if e.answered]
        if results is None:
            results = scoring.compute(criteria, answers, profile, asks=False)
        table = format2.gate_table(criteria, profile) if criteria.is_format2 else None
        caps = [_cap_of(criteria, e.criterion, e.index, table) for e in entries]
        return cls(
            total=sum(e.weight * e.fraction for e in entries),
            weight=sum(e.weight for e in entries),
            per={e.criterion.id: (e.weight, e.fraction) for e in entries},
            cap=min([*caps, _fixed_cap(criteria, answers, profile)]),
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
