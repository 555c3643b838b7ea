"""Scoring: pure functions from a criteria set, an optional profile and answers to `Results`.

`docs/scoring.md` is the specification; this module implements it. In short:

- A criterion's effective weight is the profile's weight for it (else its own, or its scenario
  weight); criteria switched off by the profile or answered "not applicable" drop out entirely.
- The score is the weighted mean of the chosen levels' fractions over the answered criteria, x 100.
- Unanswered and "unknown" criteria make the result provisional. The range puts them all at their
  lowest level (low end) and all at their highest (high end), and widens answered criteria by their
  confidence: low, one level either way; medium, half-way to the neighbouring level; high, none.
- The verdict is the band the score falls in, capped by every gate that fires. A gate fires when an
  answered level is below the gate's level; on an unknown or unanswered criterion it is "open".
- Asks: for every applicable criterion below its top level, the smallest step worth demanding (the
  gate's level when its gate fires, otherwise the next level up), ranked by the verdict it would
  reach, then by whether it lifts a gate, then by points gained.

Everything here is arithmetic over plain lists, so `verify` can recompute thousands of reports a
second. All scores are rounded to two decimals before bands are looked up, so that a stored score and
a recomputed one always agree on the band.

Format-2 sets (silence rules, the price axis, multi-level gates, scenarios, lenses) are scored by
`guaranteekit.scoring.format2`; everything else here is format 1's rules, kept exactly so that reports
scored with a format-1 set verify unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Ask,
    Confidence,
    CriteriaSet,
    Criterion,
    CriterionResult,
    PillarResult,
    Profile,
    Results,
    ScenarioResult,
)
from guaranteekit.scoring import format2

ROUND = 2


@dataclass(frozen=True, slots=True)
class Applicable:
    """One applicable criterion of one package: its effective weight and how it was answered."""

    criterion: Criterion
    weight: float
    status: str
    """`level`, `unknown` or `unanswered`."""
    index: int
    """The chosen level's index; -1 when not answered."""
    confidence: Confidence

    @property
    def answered(self) -> bool:
        return self.index >= 0

    @property
    def fraction(self) -> float:
        return self.criterion.levels[self.index].score if self.index >= 0 else 0.0


def applicable(
    criteria: CriteriaSet, weights: Mapping[str, float], answers: Mapping[str, Answer]
) -> list[Applicable]:
    """The reduction of answers to weights and fractions: the criteria that count (in `weights`,
    not answered "not applicable"), in the set's order, at their chosen levels.

    Format 1's scoring counts these; a comparison's contributions and gains are shares of them
    (for every set); format 2 counts open criteria at a level of their own (`format2.items`).
    """
    indexes = _set_info(criteria).indexes
    out: list[Applicable] = []
    for criterion in criteria.criteria:
        weight = weights.get(criterion.id)
        if weight is None:
            continue
        answer = answers.get(criterion.id)
        if answer is None:
            out.append(Applicable(criterion, weight, "unanswered", -1, Confidence.HIGH))
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            continue
        elif answer.status is AnswerStatus.LEVEL and answer.level is not None:
            index = indexes[criterion.id][answer.level]
            confidence = answer.confidence or Confidence.HIGH  # unset counts as exact
            out.append(Applicable(criterion, weight, "level", index, confidence))
        else:
            out.append(Applicable(criterion, weight, "unknown", -1, Confidence.HIGH))
    return out


def score_with(
    total: float, weight: float, item_weight: float, old: float | None, new: float
) -> float:
    """The rounded score when one criterion (of weight `item_weight`) moves from fraction `old`
    (None: not answered, so not counted yet) to `new`, from the answered criteria's totals."""
    if old is None:
        total, weight = total + item_weight * new, weight + item_weight
    else:
        total = total - item_weight * old + item_weight * new
    return round(100.0 * total / weight, ROUND)


@dataclass(slots=True)
class _Item:
    """One applicable criterion, reduced to the numbers scoring needs."""

    criterion: Criterion
    weight: float
    answered: bool  # a level was chosen
    index: int  # chosen level index (answered only)
    fraction: float  # chosen level's fraction (answered only)
    low: float  # fraction at the low end of the range
    high: float  # fraction at the high end
    low_index: int  # level index at the low end (for gates)
    high_index: int  # level index at the high end
    gate_index: int | None  # the gate's level index, when the criterion has a gate
    gate_cap: int  # the band index a fired gate caps the verdict at


def effective_weights(
    criteria: CriteriaSet, profile: Profile | None = None, scenario: str | None = None
) -> dict[str, float]:
    """Weight of each criterion after the profile and scenario; switched-off criteria are absent."""
    if profile is None:
        # Without a profile the weights are the set's own: worked out once per set and scenario
        # (each score asks for them once per scenario, and a comparison scores 1,000 reports).
        known = _set_info(criteria).plain_weights.get(scenario)
        if known is not None:
            return dict(known)
    return _weights(criteria, profile, scenario)


def _weights(
    criteria: CriteriaSet, profile: Profile | None, scenario: str | None
) -> dict[str, float]:
    disabled = {d.criterion for d in profile.disabled} if profile else set()
    overrides = profile.weights if profile else {}
    weights: dict[str, float] = {}
    for criterion in criteria.criteria:
        if criterion.id in disabled:
            continue
        weight = overrides.get(criterion.id, criterion.weight)
        if scenario is not None and scenario in criterion.scenario_weights:
            # A scenario weight scales with the profile's override, keeping the profile's intent.
            weight = criterion.scenario_weights[scenario] * (weight / criterion.weight)
        if weight > 0:
            weights[criterion.id] = weight
    return weights


@dataclass(frozen=True, slots=True)
class _SetInfo:
    """What scoring looks up in a criteria set, computed once per set (sets are never mutated)."""

    indexes: dict[str, dict[str, int]]
    gate_index: dict[str, int | None]
    gate_cap: dict[str, int]
    thresholds: list[float]
    plain_weights: dict[str | None, dict[str, float]]
    """`effective_weights` without a profile, by scenario (None: no scenario)."""


_SET_INFO: dict[int, tuple[CriteriaSet, _SetInfo]] = {}


def _set_info(criteria: CriteriaSet) -> _SetInfo:
    # Keyed by identity; keeping the set in the cache stops its id from being reused by another.
    hit = _SET_INFO.get(id(criteria))
    if hit is not None and hit[0] is criteria:
        return hit[1]
    indexes = {c.id: {level.id: i for i, level in enumerate(c.levels)} for c in criteria.criteria}
    bands = [b.id for b in criteria.bands]
    info = _SetInfo(
        indexes=indexes,
        gate_index={
            c.id: None if c.gate is None else indexes[c.id][c.gate.level] for c in criteria.criteria
        },
        gate_cap={
            c.id: -1 if c.gate is None else bands.index(c.gate.cap) for c in criteria.criteria
        },
        thresholds=[b.min_score for b in criteria.bands],
        plain_weights={
            scenario: _weights(criteria, None, scenario)
            for scenario in (None, *(s.id for s in criteria.scenarios))
        },
    )
    if len(_SET_INFO) > 64:
        _SET_INFO.clear()
    _SET_INFO[id(criteria)] = (criteria, info)
    return info


def level_indexes(criteria: CriteriaSet) -> dict[str, dict[str, int]]:
    """Each criterion's level ids and their positions (0 for the weakest), looked up once per set.

    The mapping is shared: callers must not change it.
    """
    return _set_info(criteria).indexes


def _widen(
    criterion: Criterion, index: int, confidence: Confidence
) -> tuple[float, float, int, int]:
    levels = criterion.levels
    top = len(levels) - 1
    here = levels[index].score
    below = levels[max(index - 1, 0)].score
    above = levels[min(index + 1, top)].score
    if confidence is Confidence.LOW:
        return below, above, max(index - 1, 0), min(index + 1, top)
    if confidence is Confidence.MEDIUM:
        return (here + below) / 2, (here + above) / 2, index, index
    return here, here, index, index


def _items(
    criteria: CriteriaSet,
    weights: Mapping[str, float],
    answers: Mapping[str, Answer],
    info: _SetInfo,
) -> list[_Item]:
    items: list[_Item] = []
    for counted in applicable(criteria, weights, answers):
        criterion = counted.criterion
        gate_index = info.gate_index[criterion.id]
        gate_cap = info.gate_cap[criterion.id]
        if counted.answered:
            index = counted.index
            low, high, low_index, high_index = _widen(criterion, index, counted.confidence)
            items.append(
                _Item(
                    criterion,
                    counted.weight,
                    True,
                    index,
                    criterion.levels[index].score,
                    low,
                    high,
                    low_index,
                    high_index,
                    gate_index,
                    gate_cap,
                )
            )
        else:
            top = len(criterion.levels) - 1
            items.append(
                _Item(
                    criterion,
                    counted.weight,
                    False,
                    -1,
                    0.0,
                    0.0,
                    1.0,
                    0,
                    top,
                    gate_index,
                    gate_cap,
                )
            )
    return items


def _pillar(pillar: str, members: list[_Item]) -> PillarResult:
    """A pillar's score and range: `_mean` of its members three ways, summed in one pass."""
    answered_w = answered_t = all_w = low_t = high_t = 0.0
    for item in members:
        w = item.weight
        if item.answered:
            answered_w += w
            answered_t += w * item.fraction
        all_w += w
        low_t += w * item.low
        high_t += w * item.high
    return PillarResult(
        pillar=pillar,
        score=_mean_of(answered_t, answered_w),
        low=_mean_of(low_t, all_w),
        high=_mean_of(high_t, all_w),
    )


def band_of(criteria: CriteriaSet, score: float) -> int:
    """Index of the verdict band a score falls in."""
    return _capped(_set_info(criteria).thresholds, score, -1)


def _gate_cap(criteria: CriteriaSet, item: _Item, level_index: int) -> int | None:
    if item.gate_index is not None and level_index < item.gate_index:
        return item.gate_cap
    return None


@dataclass(frozen=True, slots=True)
class _Core:
    score: float | None
    low: float
    high: float
    verdict: int
    verdict_low: int
    verdict_high: int
    uncapped: int
    fired: list[str]


def _mean_of(total: float, weight: float) -> float | None:
    return round(100.0 * total / weight, ROUND) if weight > 0 else None


def _capped(thresholds: list[float], score: float, cap: int) -> int:
    """The band a score falls in (as `band_of`), no higher than `cap` (-1: no cap)."""
    band = 0
    for index, minimum in enumerate(thresholds):
        if score >= minimum:
            band = index
    return band if cap < 0 or cap >= band else cap


def _core(criteria: CriteriaSet, items: list[_Item], weights: list[float] | None = None) -> _Core:
    """Score, range and verdicts of the items (weighted by `weights`, parallel to them, if given).

    One pass over the items; the means are the same sums `_mean` takes, in the same order.
    """
    thresholds = _set_info(criteria).thresholds
    answered_w = answered_t = all_w = low_t = high_t = 0.0
    cap_now = cap_low = cap_high = -1  # lowest cap that fires (-1: none); `_capped` takes the min
    fired: list[str] = []
    for position, item in enumerate(items):
        w = item.weight if weights is None else weights[position]
        all_w += w
        low_t += w * item.low
        high_t += w * item.high
        gate = item.gate_index
        if item.answered:
            answered_w += w
            answered_t += w * item.fraction
            if gate is not None and item.index < gate:
                fired.append(item.criterion.id)
                cap_now = item.gate_cap if cap_now < 0 else min(cap_now, item.gate_cap)
            if gate is not None and item.high_index < gate:
                cap_high = item.gate_cap if cap_high < 0 else min(cap_high, item.gate_cap)
        if gate is not None and item.low_index < gate:
            cap_low = item.gate_cap if cap_low < 0 else min(cap_low, item.gate_cap)
    score = _mean_of(answered_t, answered_w)
    low = _mean_of(low_t, all_w) or 0.0
    high = _mean_of(high_t, all_w) or 0.0
    verdict_low = _capped(thresholds, low, cap_low)
    verdict_high = _capped(thresholds, high, cap_high)
    if score is None:
        uncapped = _capped(thresholds, low, -1)
        verdict = verdict_low
    else:
        uncapped = _capped(thresholds, score, -1)
        verdict = _capped(thresholds, score, cap_now)
    return _Core(score, low, high, verdict, verdict_low, verdict_high, uncapped, fired)


def _asks(criteria: CriteriaSet, items: list[_Item], core: _Core) -> list[Ask]:
    answered = [i for i in items if i.answered]
    base_weight = sum(i.weight for i in answered)
    base_total = sum(i.weight * i.fraction for i in answered)
    caps = {i.criterion.id: _gate_cap(criteria, i, i.index) for i in answered}
    fired = {cid: cap for cid, cap in caps.items() if cap is not None}
    thresholds = _set_info(criteria).thresholds
    asks: list[tuple[tuple[int, int, float, int], Ask]] = []
    for position, item in enumerate(items):
        criterion = item.criterion
        top = len(criterion.levels) - 1
        if item.answered and item.index >= top:
            continue
        gate_index = item.gate_index
        lifts = item.answered and caps.get(criterion.id) is not None
        if lifts and gate_index is not None:
            target = gate_index
        elif item.answered:
            target = item.index + 1
        else:
            # Unknown or unanswered: demand at least what the gate needs, else the top level.
            target = gate_index if gate_index is not None else top
        new_score = score_with(
            base_total,
            base_weight,
            item.weight,
            item.fraction if item.answered else None,
            criterion.levels[target].score,
        )
        gain = round(new_score - (core.score if core.score is not None else 0.0), ROUND)
        new_cap = min((cap for cid, cap in fired.items() if cid != criterion.id), default=-1)
        verdict_after = _capped(thresholds, new_score, new_cap)
        if gain <= 0 and verdict_after <= core.verdict and not lifts:
            continue
        from_level = criterion.levels[item.index].id if item.answered else "unknown"
        ask = Ask(
            criterion=criterion.id,
            from_level=from_level,
            to_level=criterion.levels[target].id,
            text=criterion.levels[target].description,
            gain=gain,
            lifts_gate=bool(lifts),
            verdict_after=criteria.bands[verdict_after].id,
        )
        asks.append(((-verdict_after, -int(bool(lifts)), -gain, position), ask))
    asks.sort(key=lambda pair: pair[0])
    return [ask for _, ask in asks]


def compute(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    profile: Profile | None = None,
    *,
    asks: bool = True,
    views: bool = True,
) -> Results:
    """Score a set of answers against a criteria set (and profile). Pure: same input, same output.

    `asks=False` leaves the asks out (empty): callers that read a few numbers from many scores
    (comparisons, decision support) need not pay for them. `views=False` leaves out the ceasefire
    scenarios and lenses (empty), each a scoring of its own, for callers that read only the
    headline verdict, score and range (`agree`).
    """
    if criteria.is_format2:
        weights = effective_weights(criteria, profile)
        return format2.compute(
            criteria,
            answers,
            profile,
            weights,
            {
                s.id: effective_weights(criteria, profile, s.id)
                for s in (criteria.scenarios if views else [])
            },
            with_asks=asks,
            with_views=views,
        )
    by_id = {answer.criterion: answer for answer in answers}
    weights = effective_weights(criteria, profile)
    info = _set_info(criteria)
    items = _items(criteria, weights, by_id, info)
    core = _core(criteria, items)
    applicable = {i.criterion.id for i in items}

    unanswered = [c.id for c in criteria.criteria if c.id in applicable and c.id not in by_id]
    unknown = [
        c.id
        for c in criteria.criteria
        if c.id in applicable and c.id in by_id and by_id[c.id].status is AnswerStatus.UNKNOWN
    ]
    gaps = [i.criterion.id for i in items if i.answered and i.index < len(i.criterion.levels) - 1]
    gates_open = [i.criterion.id for i in items if not i.answered and i.criterion.gate is not None]

    members: dict[str, list[_Item]] = {pillar.id: [] for pillar in criteria.pillars}
    for item in items:
        members[item.criterion.pillar].append(item)  # a set's pillars are checked when loaded
    pillars = [_pillar(pillar.id, members[pillar.id]) for pillar in criteria.pillars]

    answered_weight = sum(i.weight for i in items if i.answered)
    per_criterion: list[CriterionResult] = []
    by_item = {i.criterion.id: i for i in items}
    for criterion in criteria.criteria:
        found = by_item.get(criterion.id)
        if found is None:
            per_criterion.append(
                CriterionResult(criterion=criterion.id, weight=0.0, contribution=0.0)
            )
            continue
        item = found
        contribution = (
            round(100.0 * item.weight * item.fraction / answered_weight, ROUND)
            if item.answered and answered_weight > 0
            else 0.0
        )
        per_criterion.append(
            CriterionResult(
                criterion=criterion.id,
                weight=round(item.weight, 6),
                fraction=item.fraction if item.answered else None,
                contribution=contribution,
            )
        )

    scenarios: list[ScenarioResult] = []
    for scenario in criteria.scenarios if views else []:
        # Only the weights differ between scenarios: re-weight the items, don't rebuild them.
        scenario_weights = effective_weights(criteria, profile, scenario.id)
        scenario_items = [i for i in items if i.criterion.id in scenario_weights]
        scenario_core = _core(
            criteria, scenario_items, [scenario_weights[i.criterion.id] for i in scenario_items]
        )
        scenarios.append(
            ScenarioResult(
                scenario=scenario.id,
                score=scenario_core.score,
                low=scenario_core.low,
                high=scenario_core.high,
                verdict=criteria.bands[scenario_core.verdict].id,
            )
        )

    bands = criteria.bands
    return Results(
        provisional=bool(unanswered or unknown),
        score=core.score,
        low=core.low,
        high=core.high,
        verdict=bands[core.verdict].id,
        verdict_low=bands[core.verdict_low].id,
        verdict_high=bands[core.verdict_high].id,
        uncapped_verdict=bands[core.uncapped].id,
        gates_fired=core.fired,
        gates_open=gates_open,
        unanswered=unanswered,
        unknown=unknown,
        gaps=gaps,
        pillars=pillars,
        criteria=per_criterion,
        asks=_asks(criteria, items, core) if asks else [],
        scenarios=scenarios,
    )


def verdict_and_score(
    criteria: CriteriaSet, answers: Iterable[Answer], profile: Profile | None = None
) -> tuple[str, float | None]:
    """The verdict and score alone (for decision support, which asks for them many times)."""
    results = compute(criteria, answers, profile, asks=False)
    return results.verdict, results.score
