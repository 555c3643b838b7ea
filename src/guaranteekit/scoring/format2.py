"""Scoring of format-2 criteria sets: silence, two axes, multi-level gates, scenarios, lenses, asks.

`docs/scoring.md` ("Format 2") is the specification; `core.compute` hands format-2 sets here and
keeps format 1's rules for format-1 sets, so reports scored before format 2 verify unchanged. In short:

- Every applicable criterion counts at a level: the chosen one, or for an unknown or unanswered
  criterion its **counted level**: its `when_silent` level, else its lowest level (for a price
  criterion: its costliest). An unknown never makes the headline look better than silence would.
- Credibility criteria give the score and verdict; price criteria give the price (cost 0-100) and
  reach the verdict only through their gates.
- A gate fires when the counted level is one of its `fires_on` levels. At the ends of the range a
  gate fires at the low end when any level the answer could be at fires it, and at the high end when
  every one does (for format-1 gates, which fire on every level below one, that is format 1's rule).
- In a scenario a criterion scores its lowest level (0) where it does not operate: outside its own
  `operates_in`, at a level whose `operates_in` leaves the scenario out, or when the criterion it
  `follows` does not operate there at its counted level.
- A lens (or a profile's `gates` / `drop_gates`) changes weights and gates, and gives its own verdict.

Everything is reduced once to `_Crit` records per set (cached by identity, like `core._set_info`),
then to `_Item`s per score, so that `verify` and `compare` stay fast.
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
    Lens,
    LensGate,
    LensResult,
    LevelGate,
    PillarResult,
    PriceResult,
    Profile,
    Results,
    ScenarioResult,
)

ROUND = 2


# --------------------------------------------------------------------------------------------------
# A criteria set, reduced once
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GateIndexes:
    """A gate reduced to level indexes and a band index."""

    fires: frozenset[int]
    cap: int
    acceptable: int


@dataclass(frozen=True, slots=True)
class Crit:
    """What scoring needs of one criterion."""

    criterion: Criterion
    position: int
    price: bool
    fractions: tuple[float, ...]
    ids: tuple[str, ...]
    indexes: dict[str, int]
    counted: int
    """The level an open criterion counts at (its silence level, else its worst)."""
    askable: tuple[bool, ...]
    operates: frozenset[str] | None
    level_operates: tuple[frozenset[str] | None, ...]
    follows: str | None
    gates: tuple[GateIndexes, ...]

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def top(self) -> int:
        return len(self.fractions) - 1

    @property
    def best(self) -> int:
        """The best level's index: the strongest, or for price the cheapest."""
        return 0 if self.price else self.top

    @property
    def direction(self) -> int:
        """+1 when better levels have higher indexes (credibility), -1 for price."""
        return -1 if self.price else 1


@dataclass(frozen=True, slots=True)
class SetFacts:
    crits: tuple[Crit, ...]
    by_id: dict[str, Crit]
    thresholds: list[float]
    price_thresholds: list[float]


def _gate(
    gate: LevelGate | LensGate, crit_indexes: dict[str, int], bands: list[str]
) -> GateIndexes:
    return GateIndexes(
        fires=frozenset(crit_indexes[level] for level in gate.fires_on),
        cap=bands.index(gate.cap),
        acceptable=crit_indexes[gate.acceptable],
    )


_INFO: dict[int, tuple[CriteriaSet, SetFacts]] = {}


def set_info(criteria: CriteriaSet) -> SetFacts:
    """The reduced set (worked out once per set object; sets are never mutated)."""
    hit = _INFO.get(id(criteria))
    if hit is not None and hit[0] is criteria:
        return hit[1]
    bands = [b.id for b in criteria.bands]
    crits: list[Crit] = []
    for position, criterion in enumerate(criteria.criteria):
        indexes = {level.id: i for i, level in enumerate(criterion.levels)}
        price = criterion.is_price
        silence = criterion.silence_level()
        worst = len(criterion.levels) - 1 if price else 0
        crits.append(
            Crit(
                criterion=criterion,
                position=position,
                price=price,
                fractions=tuple(level.score for level in criterion.levels),
                ids=tuple(indexes),
                indexes=indexes,
                counted=indexes[silence] if silence is not None else worst,
                askable=tuple(level.askable for level in criterion.levels),
                operates=None
                if criterion.operates_in is None
                else frozenset(criterion.operates_in),
                level_operates=tuple(
                    None if level.operates_in is None else frozenset(level.operates_in)
                    for level in criterion.levels
                ),
                follows=criterion.follows,
                gates=tuple(_gate(g, indexes, bands) for g in criterion.level_gates()),
            )
        )
    info = SetFacts(
        crits=tuple(crits),
        by_id={c.id: c for c in crits},
        thresholds=[b.min_score for b in criteria.bands],
        price_thresholds=[b.min_score for b in criteria.price_bands or []],
    )
    if len(_INFO) > 64:
        _INFO.clear()
    _INFO[id(criteria)] = (criteria, info)
    return info


def gate_table(
    criteria: CriteriaSet, profile: Profile | None = None, lens: Lens | None = None
) -> dict[str, tuple[GateIndexes, ...]]:
    """Each criterion's gates after the profile's and then the lens's drops and additions."""
    info = set_info(criteria)
    bands = [b.id for b in criteria.bands]
    table = {c.id: c.gates for c in info.crits}
    for changes in (profile, lens):
        if changes is None:
            continue
        for cid in changes.drop_gates or []:
            if cid in table:
                table[cid] = tuple(g for g in table[cid] if g not in info.by_id[cid].gates)
        for extra in changes.gates or []:
            crit = info.by_id.get(extra.criterion)
            if crit is not None:
                table[extra.criterion] = (
                    *table[extra.criterion],
                    _gate(extra, crit.indexes, bands),
                )
    return table


def lens_weights(weights: Mapping[str, float], lens: Lens | None) -> dict[str, float]:
    """The profile's effective weights with a lens's overrides (a switched-off criterion stays off)."""
    out = dict(weights)
    if lens is not None:
        for cid, weight in lens.weights.items():
            if cid in out:
                out[cid] = weight
    return out


# --------------------------------------------------------------------------------------------------
# Answers, reduced per score
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One applicable criterion of one package: the level it counts at and how sure that is."""

    crit: Crit
    weight: float
    status: str
    """`level`, `unknown` or `unanswered`."""
    index: int
    """The counted level: the chosen one, or for an open criterion its `Crit.counted`."""
    confidence: Confidence
    low: float = 0.0
    """The fraction at the low end of the headline's range (set by `items`)."""
    high: float = 0.0
    """The fraction at the high end of the headline's range (set by `items`)."""

    @property
    def answered(self) -> bool:
        return self.status == "level"

    def window(self) -> tuple[int, int]:
        """The levels the answer could be at: every level when open, one either way when unsure."""
        if not self.answered:
            return 0, self.crit.top
        if self.confidence is Confidence.LOW:
            return max(self.index - 1, 0), min(self.index + 1, self.crit.top)
        return self.index, self.index


def items(
    criteria: CriteriaSet, weights: Mapping[str, float], answers: Mapping[str, Answer]
) -> list[Item]:
    """The applicable criteria in the set's order (switched off and not applicable left out)."""
    out: list[Item] = []
    for crit in set_info(criteria).crits:
        weight = weights.get(crit.id)
        if weight is None:
            continue
        answer = answers.get(crit.id)
        if answer is None:
            item = Item(crit, weight, "unanswered", crit.counted, Confidence.HIGH)
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            continue
        elif answer.status is AnswerStatus.LEVEL and answer.level is not None:
            confidence = answer.confidence or Confidence.HIGH  # unset counts as exact
            item = Item(crit, weight, "level", crit.indexes[answer.level], confidence)
        else:
            item = Item(crit, weight, "unknown", crit.counted, Confidence.HIGH)
        item.low, item.high = _range(item, crit.fractions)
        out.append(item)
    return out


def operating_levels(items_: list[Item], scenario: str | None) -> list[tuple[bool, ...] | None]:
    """Per item, which of its levels operate in the scenario (None: all of them, as in the headline).

    A criterion operates at level j when the scenario is in its own `operates_in` and in level j's,
    and the criterion it follows operates there at its counted level (a followed criterion that is
    not applicable or switched off limits nothing).
    """
    if scenario is None:
        return [None] * len(items_)
    by_id = {item.crit.id: item for item in items_}
    memo: dict[str, bool] = {}

    def counted_operates(cid: str, seen: tuple[str, ...] = ()) -> bool:
        if cid in memo:
            return memo[cid]
        item = by_id.get(cid)
        if item is None or cid in seen:
            return True
        crit = item.crit
        ok = (crit.operates is None or scenario in crit.operates) and (
            crit.level_operates[item.index] is None or scenario in crit.level_operates[item.index]  # type: ignore[operator]
        )
        if ok and crit.follows is not None:
            ok = counted_operates(crit.follows, (*seen, cid))
        memo[cid] = ok
        return ok

    out: list[tuple[bool, ...] | None] = []
    for item in items_:
        crit = item.crit
        restricted = crit.operates is not None or crit.follows is not None
        restricted = restricted or any(lo is not None for lo in crit.level_operates)
        if not restricted:
            out.append(None)
            continue
        whole = (crit.operates is None or scenario in crit.operates) and (
            crit.follows is None or counted_operates(crit.follows, (crit.id,))
        )
        out.append(tuple(whole and (lo is None or scenario in lo) for lo in crit.level_operates))
    return out


# --------------------------------------------------------------------------------------------------
# Evaluation: score, range, price and gates of one view (headline, scenario or lens)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class View:
    score: float | None
    low: float
    high: float
    verdict: int
    verdict_low: int
    verdict_high: int
    uncapped: int
    fired: list[str]
    price: float | None
    price_low: float
    price_high: float
    fractions: list[float]
    """Per item, the counted level's fraction in this view (0 where it does not operate)."""


def mean_of(total: float, weight: float) -> float | None:
    return round(100.0 * total / weight, ROUND) if weight > 0 else None


def band_at(thresholds: list[float], score: float, cap: int = -1) -> int:
    """The band a (rounded) score falls in, no higher than `cap` (-1: no cap)."""
    band = 0
    for index, minimum in enumerate(thresholds):
        if score >= minimum:
            band = index
    return band if cap < 0 or cap >= band else cap


def _range(item: Item, eff: tuple[float, ...]) -> tuple[float, float]:
    """Low and high fractions of an item (format 1's confidence widening, over `eff`)."""
    i = item.index
    here = eff[i]
    if not item.answered:
        return min(eff), max(eff)
    if item.confidence is Confidence.HIGH:
        return here, here
    below = eff[max(i - 1, 0)]
    above = eff[min(i + 1, item.crit.top)]
    if item.confidence is Confidence.MEDIUM:
        return min(here, (here + below) / 2), max(here, (here + above) / 2)
    return min(here, below, above), max(here, below, above)


def evaluate(
    criteria: CriteriaSet,
    items_: list[Item],
    gates: Mapping[str, tuple[GateIndexes, ...]],
    *,
    weights: list[float] | None = None,
    scenario: str | None = None,
) -> View:
    """Score, range, price and verdicts of the items (weighted by `weights` when given)."""
    info = set_info(criteria)
    operating = operating_levels(items_, scenario)
    cw = ct = clo = chi = 0.0  # credibility: weight, total, low total, high total
    pw = pt = plo = phi = 0.0  # price likewise
    cap_now = cap_low = cap_high = -1
    fired: list[str] = []
    fractions: list[float] = []
    for position, item in enumerate(items_):
        w = item.weight if weights is None else weights[position]
        crit = item.crit
        ops = operating[position]
        if ops is None:
            here, low, high = crit.fractions[item.index], item.low, item.high
            index_of = None
        else:
            eff = tuple(f if ok else 0.0 for f, ok in zip(crit.fractions, ops, strict=True))
            index_of = [j if ok else 0 for j, ok in enumerate(ops)]
            here = eff[item.index]
            low, high = _range(item, eff)
        fractions.append(here)
        if crit.price:
            pw += w
            pt += w * here
            plo += w * low
            phi += w * high
        else:
            cw += w
            ct += w * here
            clo += w * low
            chi += w * high
        own = gates.get(crit.id, ())
        if not own:
            continue
        first, last = item.window()
        window = range(first, last + 1)
        now_index = item.index if index_of is None else index_of[item.index]
        levels = list(window) if index_of is None else [index_of[j] for j in window]
        fires_now = False
        for gate in own:
            if now_index in gate.fires:
                fires_now = True
                cap_now = gate.cap if cap_now < 0 else min(cap_now, gate.cap)
            if any(j in gate.fires for j in levels):
                cap_low = gate.cap if cap_low < 0 else min(cap_low, gate.cap)
            if all(j in gate.fires for j in levels):
                cap_high = gate.cap if cap_high < 0 else min(cap_high, gate.cap)
        if fires_now:
            fired.append(crit.id)
    thresholds = info.thresholds
    score = mean_of(ct, cw)
    low = mean_of(clo, cw) or 0.0
    high = mean_of(chi, cw) or 0.0
    verdict_low = band_at(thresholds, low, cap_low)
    verdict_high = band_at(thresholds, high, cap_high)
    if score is None:
        uncapped = band_at(thresholds, low)
        verdict = verdict_low
    else:
        uncapped = band_at(thresholds, score)
        verdict = band_at(thresholds, score, cap_now)
    return View(
        score=score,
        low=low,
        high=high,
        verdict=verdict,
        verdict_low=verdict_low,
        verdict_high=verdict_high,
        uncapped=uncapped,
        fired=fired,
        price=mean_of(pt, pw),
        price_low=mean_of(plo, pw) or 0.0,
        price_high=mean_of(phi, pw) or 0.0,
        fractions=fractions,
    )


# --------------------------------------------------------------------------------------------------
# Asks
# --------------------------------------------------------------------------------------------------


def ask_target(item: Item, gates: tuple[GateIndexes, ...]) -> int | None:
    """The level to ask for, or None: the nearest better, askable level that fires none of the
    criterion's gates, and, when a gate fires now, at or beyond every firing gate's `acceptable`."""
    crit = item.crit
    step = crit.direction
    firing = [g for g in gates if item.index in g.fires]
    floor = max((g.acceptable * step for g in firing), default=None)
    j = item.index + step
    while 0 <= j <= crit.top:
        if (
            crit.askable[j]
            and not any(j in g.fires for g in gates)
            and (floor is None or j * step >= floor)
        ):
            return j
        j += step
    return None


def asks(
    criteria: CriteriaSet,
    items_: list[Item],
    gates: Mapping[str, tuple[GateIndexes, ...]],
    view: View,
) -> list[Ask]:
    """Single changes worth demanding, best first (see `docs/scoring.md`, "Asks")."""
    info = set_info(criteria)
    cw = ct = pw = pt = 0.0
    for item, fraction in zip(items_, view.fractions, strict=True):
        if item.crit.price:
            pw += item.weight
            pt += item.weight * fraction
        else:
            cw += item.weight
            ct += item.weight * fraction
    caps: dict[str, int] = {}
    for item in items_:
        firing = [g.cap for g in gates.get(item.crit.id, ()) if item.index in g.fires]
        if firing:
            caps[item.crit.id] = min(firing)
    # The lowest cap other than a criterion's own: the lowest, or the second lowest for the
    # criterion that holds the lowest (one pass, not one per ask).
    ranked = sorted(caps.items(), key=lambda pair: pair[1])[:2]
    keyed: list[tuple[tuple[float, ...], Ask]] = []
    for position, item in enumerate(items_):
        crit = item.crit
        if item.index == crit.best:
            continue
        target = ask_target(item, gates.get(crit.id, ()))
        if target is None:
            continue
        old, new = crit.fractions[item.index], crit.fractions[target]
        lifts = crit.id in caps
        others = [c for cid, c in ranked if cid != crit.id]
        other_cap = others[0] if others else -1
        score = view.score
        price_drop: float | None = None
        if crit.price:
            new_price = round(100.0 * (pt - item.weight * (old - new)) / pw, ROUND)
            price_drop = round((view.price or 0.0) - new_price, ROUND)
            new_score = score
        else:
            new_score = round(100.0 * (ct + item.weight * (new - old)) / cw, ROUND)
        gain = round((new_score or 0.0) - (score or 0.0), ROUND)
        basis = new_score if new_score is not None else view.low
        verdict_after = band_at(info.thresholds, basis, other_cap)
        if gain <= 0 and not lifts and verdict_after <= view.verdict and not (price_drop or 0) > 0:
            continue
        level = crit.criterion.levels[target]
        ask = Ask(
            criterion=crit.id,
            from_level=crit.ids[item.index] if item.answered else item.status,
            to_level=level.id,
            text=level.description,
            gain=gain,
            lifts_gate=lifts,
            verdict_after=criteria.bands[verdict_after].id,
            demand=level.demand,
            price_drop=price_drop,
        )
        keyed.append(((-verdict_after, -int(lifts), -gain, -(price_drop or 0.0), position), ask))
    keyed.sort(key=lambda pair: pair[0])
    return [ask for _, ask in keyed]


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


def compute(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    profile: Profile | None,
    weights: dict[str, float],
    scenario_weights: Mapping[str, dict[str, float]],
    *,
    with_asks: bool = True,
    with_views: bool = True,
) -> Results:
    """The results of a format-2 set (see `core.compute`, which hands format-2 sets here);
    `with_views=False` leaves out the scenarios and lenses (empty lists)."""
    by_id = {answer.criterion: answer for answer in answers}
    items_ = items(criteria, weights, by_id)
    gates = gate_table(criteria, profile)
    view = evaluate(criteria, items_, gates)
    bands = criteria.bands

    unanswered = [i.crit.id for i in items_ if i.status == "unanswered"]
    unknown = [i.crit.id for i in items_ if i.status == "unknown"]
    gaps = [i.crit.id for i in items_ if i.answered and i.index != i.crit.best]
    gates_open = [i.crit.id for i in items_ if not i.answered and gates.get(i.crit.id)]

    members: dict[str, list[int]] = {pillar.id: [] for pillar in criteria.pillars}
    for position, item in enumerate(items_):
        members[item.crit.criterion.pillar].append(position)
    pillars: list[PillarResult] = []
    for pillar in criteria.pillars:
        w = t = lo = hi = 0.0
        for position in members[pillar.id]:
            item = items_[position]
            w += item.weight
            t += item.weight * view.fractions[position]
            lo += item.weight * item.low
            hi += item.weight * item.high
        pillars.append(
            PillarResult(
                pillar=pillar.id, score=mean_of(t, w), low=mean_of(lo, w), high=mean_of(hi, w)
            )
        )

    credibility_weight = sum(i.weight for i in items_ if not i.crit.price)
    price_weight = sum(i.weight for i in items_ if i.crit.price)
    by_item = {item.crit.id: position for position, item in enumerate(items_)}
    per_criterion: list[CriterionResult] = []
    for crit in set_info(criteria).crits:
        found = by_item.get(crit.id)
        if found is None:
            per_criterion.append(CriterionResult(criterion=crit.id, weight=0.0, contribution=0.0))
            continue
        position = found
        item = items_[position]
        fraction = view.fractions[position]
        total = price_weight if crit.price else credibility_weight
        per_criterion.append(
            CriterionResult(
                criterion=crit.id,
                weight=round(item.weight, 6),
                fraction=fraction,
                contribution=round(100.0 * item.weight * fraction / total, ROUND),
                counted_level=crit.ids[item.index],
            )
        )

    has_price = price_weight > 0
    scenarios: list[ScenarioResult] = []
    for scenario in criteria.scenarios if with_views else []:
        sw = scenario_weights[scenario.id]
        chosen = [i for i in items_ if i.crit.id in sw]
        seen = evaluate(
            criteria, chosen, gates, weights=[sw[i.crit.id] for i in chosen], scenario=scenario.id
        )
        scenarios.append(
            ScenarioResult(
                scenario=scenario.id,
                score=seen.score,
                low=seen.low,
                high=seen.high,
                verdict=bands[seen.verdict].id,
                price=seen.price if has_price else None,
            )
        )

    price: PriceResult | None = None
    if has_price and view.price is not None:
        price_bands = criteria.price_bands or []
        thresholds = set_info(criteria).price_thresholds
        price = PriceResult(
            score=view.price,
            low=view.price_low,
            high=view.price_high,
            band=price_bands[band_at(thresholds, view.price)].id,
            band_low=price_bands[band_at(thresholds, view.price_low)].id,
            band_high=price_bands[band_at(thresholds, view.price_high)].id,
        )
    lenses: list[LensResult] | None = None
    if criteria.lenses:
        lenses = []
        for lens in criteria.lenses if with_views else []:
            lw = lens_weights(weights, lens)
            seen = evaluate(
                criteria,
                items_,
                gate_table(criteria, profile, lens),
                weights=[lw[i.crit.id] for i in items_],
            )
            lenses.append(
                LensResult(
                    lens=lens.id,
                    score=seen.score,
                    low=seen.low,
                    high=seen.high,
                    verdict=bands[seen.verdict].id,
                    verdict_low=bands[seen.verdict_low].id,
                    verdict_high=bands[seen.verdict_high].id,
                    gates_fired=seen.fired,
                    price=seen.price if has_price else None,
                )
            )
    return Results(
        provisional=bool(unanswered or unknown),
        score=view.score,
        low=view.low,
        high=view.high,
        verdict=bands[view.verdict].id,
        verdict_low=bands[view.verdict_low].id,
        verdict_high=bands[view.verdict_high].id,
        uncapped_verdict=bands[view.uncapped].id,
        gates_fired=view.fired,
        gates_open=gates_open,
        unanswered=unanswered,
        unknown=unknown,
        gaps=gaps,
        pillars=pillars,
        criteria=per_criterion,
        asks=asks(criteria, items_, gates, view) if with_asks else [],
        scenarios=scenarios,
        price=price,
        lenses=lenses,
    )
