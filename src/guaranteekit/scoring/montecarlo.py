"""Monte Carlo: how likely each verdict (or ranking) is when the weights and answers vary.

Every weight is multiplied by its own uniform draw in `[1 - spread, 1 + spread]`, and (optionally)
every answer moved within its confidence, seeded with `random.Random(seed)` so the same seed gives
the same figures (`monte_carlo`, `monte_carlo_ranking`).

The draws are computed with NumPy, a criterion at a time over a block of draws, and give exactly
the figures of a draw-by-draw loop over `random.Random(seed).random()`, which
tests/analysis/test_monte_carlo_reference.py keeps as the reference: NumPy's legacy generator is
the same Mersenne Twister with the same 53-bit doubles, started from the `random.Random` state, and
every sum is taken in the loop's order.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Profile,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring import format2
from guaranteekit.scoring._shared import (
    _ROUND,
    _band_mins,
    _cap_of,
    _entries,
    _Entry,
    _order,
    _pct,
    _Standing,
    _times,
)
from guaranteekit.scoring.thresholds import (
    RankThreshold,
    Threshold,
    ranking_thresholds,
    weight_thresholds,
)
from guaranteekit.textsafe import one_line

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

FRAGILE_PROBABILITY = 0.8
"""A verdict (or ranking) that holds in fewer Monte Carlo draws than this is flagged fragile."""
DEFAULT_SPREAD = 0.25
"""Weights are multiplied by a uniform draw in [1 - spread, 1 + spread]."""
MAX_DRAWS = 1_000_000
"""More draws than this would only make `score` slow; refused with a message."""
_BLOCK = 4096
"""Draws computed together, at most."""
_BLOCK_NUMBERS = 1 << 22
"""Uniform numbers drawn in one block, at most (32 MB): a ranking of many packages takes many
numbers a draw, and its blocks have fewer draws (each block costs a pass over every package's
criteria, so they are not made smaller than this)."""


def _check_run(draws: int, spread: float) -> None:
    problems = []
    if not 1 <= draws <= MAX_DRAWS:
        problems.append(f"--draws: must be between 1 and {MAX_DRAWS:,}, not {draws}")
    if not 0 <= spread < 1:
        problems.append(f"spread: must be at least 0 and below 1, not {spread}")
    if problems:
        raise GuaranteekitError(problems)


def _level_options(
    criteria: CriteriaSet,
    entry: _Entry,
    confidence: bool,
    table: dict[str, tuple[format2.GateIndexes, ...]] | None = None,
) -> tuple[tuple[float, int], ...]:
    """The (fraction, gate cap) an answer may take in one draw, each equally likely.

    high: the level itself. medium: half-way down to the level below, the level, half-way up to
    the level above. low: the level below, the level, the level above. At the ends of the rubric
    the missing neighbour is the level itself (so it counts twice). A medium answer keeps its
    level for the gate, as in `scoring`; a low one may fall below a gate and fire it. An open
    criterion of a format-2 set (counted at its silence level) may be at any of its levels.
    """
    criterion = entry.criterion
    levels = criterion.levels
    index = entry.index
    last = len(levels) - 1
    down, up = max(index - 1, 0), min(index + 1, last)
    here = levels[index].score
    cap = _cap_of(criteria, criterion, index, table)
    if confidence and criteria.is_format2 and entry.status != "level":
        return tuple(
            (level.score, _cap_of(criteria, criterion, j, table)) for j, level in enumerate(levels)
        )
    if not confidence or entry.confidence is Confidence.HIGH:
        return ((here, cap),)
    if entry.confidence is Confidence.MEDIUM:
        return (
            ((here + levels[down].score) / 2, cap),
            (here, cap),
            ((here + levels[up].score) / 2, cap),
        )
    return (
        (levels[down].score, _cap_of(criteria, criterion, down, table)),
        (here, cap),
        (levels[up].score, _cap_of(criteria, criterion, up, table)),
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
    caps_varied: list[tuple[int, ...]]
    """Format 2: the caps a price criterion's gates may put on the verdict in a draw."""

    @classmethod
    def build(
        cls,
        criteria: CriteriaSet,
        answers: Iterable[Answer],
        profile: Profile | None,
        confidence: bool,
    ) -> _Sampler:
        answers = list(answers)
        entries = [e for e in _entries(criteria, answers, profile) if e.answered]
        table = format2.gate_table(criteria, profile) if criteria.is_format2 else None
        varied = []
        fixed_cap = len(criteria.bands)
        for position, entry in enumerate(entries):
            options = _level_options(criteria, entry, confidence, table)
            if len(options) > 1:
                varied.append((position, options))
            else:
                fixed_cap = min(fixed_cap, options[0][1])
        caps_varied: list[tuple[int, ...]] = []
        for caps in _price_caps(criteria, answers, profile, confidence):
            if len(set(caps)) > 1:
                caps_varied.append(caps)
            else:
                fixed_cap = min(fixed_cap, caps[0])
        return cls(
            ids=[e.criterion.id for e in entries],
            weights=[e.weight for e in entries],
            fractions=[e.fraction for e in entries],
            varied=varied,
            fixed_cap=fixed_cap,
            mins=_band_mins(criteria),
            caps_varied=caps_varied,
        )

    @property
    def per_draw(self) -> int:
        """How many uniform numbers a draw takes beyond the weights' multipliers."""
        return len(self.varied) + len(self.caps_varied)

    def draw(
        self, multipliers: NDArray[np.float64], uniforms: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Exact scores (before rounding) and verdict indexes of a block of draws.

        `multipliers[d, k]`: draw d's multiplier of the k-th weight; `uniforms[d]`: the numbers
        draw d takes for the varied answers, then for the price caps, in their order. Sums run
        over the criteria in order, as `sum` over a draw's list does."""
        import numpy as np

        count = multipliers.shape[0]
        total = np.zeros(count)
        weight = np.zeros(count)
        cap = np.full(count, self.fixed_cap)
        varied = {position: j for j, (position, _) in enumerate(self.varied)}
        for k, base in enumerate(self.weights):
            w = base * multipliers[:, k]
            j = varied.get(k)
            if j is None:
                total += w * self.fractions[k]
            else:
                options = self.varied[j][1]
                chosen = (uniforms[:, j] * len(options)).astype(np.intp)
                total += w * np.array([fraction for fraction, _ in options])[chosen]
                cap = np.minimum(cap, np.array([c for _, c in options])[chosen])
            weight += w
        for j, caps in enumerate(self.caps_varied, start=len(self.varied)):
            chosen = (uniforms[:, j] * len(caps)).astype(np.intp)
            cap = np.minimum(cap, np.array(caps)[chosen])
        exact = 100.0 * total / weight
        # The band is the one of the score as `scoring` rounds it (Python's round). Rounding moves
        # a score by half a unit of the last place at most, so only a score within one unit of a
        # band's minimum can land on the other side: those are rounded one by one.
        mins = np.array(self.mins)
        band = np.searchsorted(mins, exact, side="right") - 1
        unit = 10.0**-_ROUND
        for i in np.flatnonzero(np.abs(exact[:, None] - mins).min(axis=1) < unit).tolist():
            band[i] = bisect_right(self.mins, round(float(exact[i]), _ROUND)) - 1
        return exact, np.minimum(band, cap)


def _blocks(rng: random.Random, draws: int, width: int) -> Iterator[NDArray[np.float64]]:
    """`draws` rows of `width` numbers in blocks of at most `_BLOCK` rows and `_BLOCK_NUMBERS`
    numbers: exactly what `rng.random()` returns called `draws * width` times, row by row (the
    legacy generator is the same Mersenne Twister, with the same 53-bit doubles, and starts from
    `rng`'s state)."""
    import numpy as np

    state = rng.getstate()[1]
    generator = np.random.RandomState()
    generator.set_state(("MT19937", np.array(state[:-1], dtype=np.uint32), state[-1], 0, 0.0))
    rows = max(1, min(_BLOCK, _BLOCK_NUMBERS // max(width, 1)))
    for start in range(0, draws, rows):
        yield generator.random_sample((min(rows, draws - start), width))


def _price_caps(
    criteria: CriteriaSet, answers: list[Answer], profile: Profile | None, confidence: bool
) -> list[tuple[int, ...]]:
    """Format 2: for each price criterion, the caps its gates may put on the verdict in a draw
    (its level's; with `confidence`, a low-confidence answer's neighbours' and an open one's every
    level's). Price criteria add nothing to the score, so only their gates are drawn."""
    if not criteria.is_format2:
        return []
    table = format2.gate_table(criteria, profile)
    weights = scoring.effective_weights(criteria, profile)
    out: list[tuple[int, ...]] = []
    for item in format2.items(criteria, weights, {a.criterion: a for a in answers}):
        crit = item.crit
        if not crit.price:
            continue
        if confidence and (not item.answered or item.confidence is Confidence.LOW):
            first, last = item.window()
            levels = range(first, last + 1)
        else:
            levels = range(item.index, item.index + 1)
        out.append(tuple(_cap_of(criteria, crit.criterion, j, table) for j in levels))
    return out


class MCResult(BaseModel):
    """Verdict probabilities over perturbed weights (and answers); `score --json` writes it as
    `model_dump()` (the internal counts left out, the percentiles named as such)."""

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)

    draws: int
    seed: int
    spread: float
    confidence: bool
    method: str
    """The method in words (`_method`)."""
    fragile_below: float = FRAGILE_PROBABILITY
    verdict: str
    """The verdict as computed, without perturbation."""
    probability: float
    """Share of draws giving `verdict`."""
    probabilities: dict[str, float]
    """Share of draws in each band, every band listed, lowest first."""
    score_mean: float
    score_low: float = Field(serialization_alias="score_p05")
    """5th percentile of the drawn scores."""
    score_high: float = Field(serialization_alias="score_p95")
    """95th percentile of the drawn scores."""
    fragile: bool
    reasons: tuple[str, ...] = ()
    """Why the verdict is fragile (empty when it is not)."""
    unset: int = Field(default=0, exclude=True)
    """Answers at a level with no confidence chosen: taken as exact, as high ones are."""
    open_drawn: bool = Field(default=False, exclude=True)
    """Whether unknown and unanswered criteria were drawn over their levels (format-2 sets, with
    `confidence`); otherwise they stay where the headline counts them."""
    format2: bool = Field(default=False, exclude=True)


def _method(spread: float, confidence: bool, unset: int, open_drawn: bool, format2: bool) -> str:
    """What a run varies, in words (`MCResult.method`)."""
    how = f"each weight x uniform({1 - spread:g}, {1 + spread:g})"
    if confidence:
        how += "; low-confidence answers one level either way, medium half a level"
        if unset:
            how += (
                f"; {unset} answer(s) with no confidence chosen stay at their level,"
                " as high ones do"
            )
    if open_drawn:
        how += "; unknown and unanswered criteria drawn over their levels, each equally likely"
    elif format2:
        how += "; unknown and unanswered criteria at their silence levels"
    else:
        how += "; unknown and unanswered criteria left out, as the score leaves them out"
    return how


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
    *,
    results: Results | None = None,
) -> MCResult:
    """Probability of each verdict when the weights (and, with `confidence`, the answers) vary.

    Each draw multiplies every answered criterion's weight by its own uniform draw in
    [1 - spread, 1 + spread] and, with `confidence`, moves each answer as `_level_options` says.
    Unknown and unanswered criteria: in a format-1 set they stay out of the score, as in `scoring`
    (the provisional range covers them); in a format-2 set, which counts them at their silence
    level, each draw (with `confidence`) puts them at one of their levels, each equally likely. The verdict is fragile when it holds in fewer than FRAGILE_PROBABILITY of the
    draws, or when one weight alone, moved within the same range, changes it (`weight_thresholds`,
    or `thresholds` when the caller has them already). Same arguments, same figures: the draws come from `random.Random(seed)` in a fixed order.
    """
    _check_run(draws, spread)
    answers = list(answers)
    if results is None:
        verdict_id, _ = scoring.verdict_and_score(criteria, answers, profile)
    else:
        verdict_id = results.verdict
    sampler = _Sampler.build(criteria, answers, profile, confidence)
    band_ids = [band.id for band in criteria.bands]
    verdict = criteria.band_index(verdict_id)
    counts = [0] * len(band_ids)
    scores: list[float] = []
    if sampler.weights:
        import numpy as np

        low, width = 1.0 - spread, 2.0 * spread
        count = len(sampler.weights)
        # A draw takes the weights' multipliers, then its answers' and price caps' numbers.
        for block in _blocks(random.Random(seed), draws, count + sampler.per_draw):
            exact, bands = sampler.draw(low + width * block[:, :count], block[:, count:])
            for band, n in enumerate(np.bincount(bands, minlength=len(counts)).tolist()):
                counts[band] += n
            scores.extend(round(score, _ROUND) for score in exact.tolist())
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
        thresholds = weight_thresholds(criteria, answers, profile, results=results)
    for threshold in thresholds:
        if threshold.within(spread):
            reasons.append(_threshold_reason(criteria, threshold))
    scores.sort()
    unset = sum(1 for a in answers if a.status is AnswerStatus.LEVEL and a.confidence is None)
    open_drawn = criteria.is_format2 and confidence
    return MCResult(
        draws=draws,
        seed=seed,
        spread=spread,
        confidence=confidence,
        method=_method(spread, confidence, unset, open_drawn, criteria.is_format2),
        verdict=band_ids[verdict],
        probabilities=probabilities,
        probability=probability,
        score_mean=round(sum(scores) / len(scores), _ROUND) if scores else 0.0,
        score_low=_percentile(scores, 0.05),
        score_high=_percentile(scores, 0.95),
        fragile=bool(reasons),
        reasons=tuple(reasons),
        unset=unset,
        open_drawn=open_drawn,
        format2=criteria.is_format2,
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
    results: Sequence[Results] | None = None,
) -> RankMCResult:
    """Probability of each rank per package, when the weights (and answers) vary.

    A criterion's multiplier is shared by every package in a draw (the doubt is about the weighting,
    which is common), while answers vary independently per package. Ranks are the comparison's: by
    verdict, then score, ties in input order; a package with nothing answered keeps its verdict and
    counts as score -1. The ranking is fragile when the exact current order holds in fewer than
    FRAGILE_PROBABILITY of the draws, or when one weight alone within the range reorders it
    (`ranking_thresholds`, or `thresholds` when the caller has them already). `names` label the
    packages in the reasons; `results`: each package's results as scored already.
    """
    _check_run(draws, spread)
    packages = [(c, list(a), p) for c, a, p in items]
    items = packages
    labels = list(names) if names is not None else [f"package {i + 1}" for i in range(len(items))]
    given = list(results) if results is not None else [None] * len(packages)
    fixed = [_Standing.of(c, a, p, r).key for (c, a, p), r in zip(packages, given, strict=True)]
    order = _order(fixed)
    samplers = [_Sampler.build(c, a, p, confidence) for c, a, p in items]
    ids: list[str] = []
    for sampler in samplers:
        ids.extend(cid for cid in sampler.ids if cid not in ids)
    slots = [[ids.index(cid) for cid in s.ids] for s in samplers]
    import numpy as np

    count = len(items)
    tallies = np.zeros((count, count), dtype=np.int64)
    same = 0
    low, width = 1.0 - spread, 2.0 * spread
    # A draw takes one multiplier per criterion (shared), then each package's answers' numbers.
    per_draw = len(ids) + sum(s.per_draw for s in samplers if s.weights)
    positions = np.arange(count)
    for block in _blocks(random.Random(seed), draws, per_draw):
        shared = low + width * block[:, : len(ids)]
        bands = np.empty((len(block), count), dtype=np.intp)
        scores = np.empty((len(block), count))
        offset = len(ids)
        for index, (sampler, slot) in enumerate(zip(samplers, slots, strict=True)):
            if sampler.weights:
                taken = block[:, offset : offset + sampler.per_draw]
                offset += sampler.per_draw
                scores[:, index], bands[:, index] = sampler.draw(shared[:, slot], taken)
            else:
                bands[:, index], scores[:, index] = fixed[index]
        # As `_order`: verdict, then exact score, best first, then input order.
        ranked = np.lexsort((np.broadcast_to(positions, bands.shape), -scores, -bands))
        for rank in range(count):
            tallies[:, rank] += np.bincount(ranked[:, rank], minlength=count)
        same += int((ranked == np.array(order)).all(axis=1).sum())
    probability = same / draws
    reasons: list[str] = []
    if count > 1 and probability < FRAGILE_PROBABILITY:
        reasons.append(
            f"the ranking holds in {_pct(probability)} of draws (below {_pct(FRAGILE_PROBABILITY)})"
        )
    if count > 1:
        for t in ranking_thresholds(items, results) if thresholds is None else thresholds:
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
        ranks=tuple(tuple(n / draws for n in row) for row in tallies.tolist()),
        probability=probability,
        fragile=bool(reasons),
        reasons=tuple(reasons),
    )


__all__ = [
    "DEFAULT_SPREAD",
    "FRAGILE_PROBABILITY",
    "MAX_DRAWS",
    "MCResult",
    "RankMCResult",
    "monte_carlo",
    "monte_carlo_ranking",
]
