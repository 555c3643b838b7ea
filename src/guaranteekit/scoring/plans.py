"""Planned asks: the smallest set of level changes that lifts a package's verdict to a target band.

`plan_asks` gives the changes to the next band (or the top band). "Smallest" is lexicographic:
fewest criteria changed, then fewest level steps, then the highest resulting score. A gate that
caps the verdict below the target must be lifted, so those changes are forced; the rest is found
exactly (see `plan_asks`). The verdict a plan states is the one `scoring.compute` gives.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from guaranteekit.formats.models import (
    Answer,
    CriteriaSet,
    Criterion,
    Profile,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring import format2
from guaranteekit.scoring._shared import (
    _INF,
    _entries,
    _Entry,
    _flip_score,
    _rounded,
)

Target = Literal["next", "top"]


class PlanStep(BaseModel):
    """One change of a plan: raise (or answer) a criterion at a named level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: str
    title: str = Field(exclude=True)
    """For people; the data (`score --json`) names the criterion by id only."""
    from_level: str
    """Current level id, or `unknown` / `unanswered`."""
    to_level: str
    text: str
    """The rubric text of `to_level`: what to demand."""
    steps: int
    """Levels moved; an open criterion counts from its lowest level (format 1) or from its
    silence level (format 2)."""
    lifts_gate: bool
    """The criterion's gate fires now and this change lifts it."""
    demand: str | None = None
    """Format 2: the target level's `demand`, what a negotiator tables (None where the set has none)."""


class AskPlan(BaseModel):
    """The smallest set of changes that lifts the verdict to a target band; `score --json` writes
    it as `model_dump(exclude_none=True)`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: Target
    band: str
    """The target band's id."""
    reachable: bool
    reason: str
    """Why no change is needed, or why the target cannot be reached; empty otherwise."""
    changes: tuple[PlanStep, ...] = ()
    steps: int = 0
    verdict_before: str = ""
    verdict_after: str = ""
    open_gates: tuple[str, ...] = ()
    """Gated criteria left unknown or unanswered by the plan whose gate would cap below the target."""
    score_before: float | None = None
    score_after: float | None = None


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A criterion a plan may change, with the levels it may be changed to."""

    criterion: Criterion
    weight: float
    position: int
    status: str  # "level", "unknown" or "unanswered"
    index: int  # the level it is at now (-1: open in a format-1 set, which counts nothing)
    forced: bool  # a gate that caps below the target fires now: every plan changes it
    # (steps, added to the weighted total, added to the total weight, level index), by steps
    options: tuple[tuple[int, float, float, int], ...]
    gates: tuple[format2.GateIndexes, ...] = ()  # format 2: the criterion's gates, for `lifts_gate`

    @property
    def answered(self) -> bool:
        return self.status == "level"


def _candidates_v1(
    criteria: CriteriaSet, entries: list[_Entry], goal: int
) -> tuple[list[_Candidate], float, float]:
    """Format 1: raise answered criteria, or answer open ones (adding their weight)."""
    base_total = sum(e.weight * e.fraction for e in entries if e.answered)
    base_weight = sum(e.weight for e in entries if e.answered)
    out: list[_Candidate] = []
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
                (lvl - entry.index, entry.weight * (levels[lvl].score - entry.fraction), 0.0, lvl)
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
        out.append(
            _Candidate(
                criterion, entry.weight, position, entry.status, entry.index, forced, options
            )
        )
    return out, base_total, base_weight


def _candidates_v2(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    goal: int,
    allowed: Mapping[str, Collection[int]] | None = None,
) -> tuple[list[_Candidate], float, float, list[format2.Item]]:
    """Format 2: every criterion counts at its level (open ones at their silence level), so a change
    only moves the total; levels an ask may not propose, or that fire a gate capping below the
    target, are never planned; a criterion whose level fires such a gate now must change, to its
    gates' acceptable level or beyond (price criteria too: toward lower cost). `allowed`: the only
    levels a criterion may end at (parties' red lines, `scoring.positions`); a criterion whose
    level is not allowed must change, to an allowed level in either direction."""
    weights = scoring.effective_weights(criteria, profile)
    items = format2.items(criteria, weights, {a.criterion: a for a in answers})
    table = format2.gate_table(criteria, profile)
    base_total = sum(i.weight * i.crit.fractions[i.index] for i in items if not i.crit.price)
    base_weight = sum(i.weight for i in items if not i.crit.price)
    out: list[_Candidate] = []
    for position, item in enumerate(items):
        crit = item.crit
        gates = table.get(crit.id, ())
        blocking = [g for g in gates if g.cap < goal]
        firing = [g for g in blocking if item.index in g.fires]
        ok = allowed.get(crit.id) if allowed is not None else None
        violating = ok is not None and item.index not in ok
        if crit.price and not firing and not violating:
            continue  # a cheaper term adds no credibility: only a gate makes it part of a plan
        step = crit.direction
        lifted = [g for g in gates if item.index in g.fires]
        options: list[tuple[int, float, float, int]] = []
        j = item.index + step
        while 0 <= j <= crit.top:
            # A change that lifts a gate goes at least to its acceptable level (`docs/scoring.md`).
            if (
                crit.askable[j]
                and (ok is None or j in ok)
                and not any(j in g.fires for g in blocking)
                and all(j in g.fires or j * step >= g.acceptable * step for g in lifted)
            ):
                gain = (
                    0.0
                    if crit.price
                    else item.weight * (crit.fractions[j] - crit.fractions[item.index])
                )
                options.append((abs(j - item.index), gain, 0.0, j))
            j += step
        if violating:
            # A red line the current level crosses: moving back to a level it allows is a change
            # the package must make whatever it costs in score (any level, askable or not).
            j = item.index - step
            while ok is not None and 0 <= j <= crit.top:
                if j in ok and not any(j in g.fires for g in blocking):
                    gain = (
                        0.0
                        if crit.price
                        else item.weight * (crit.fractions[j] - crit.fractions[item.index])
                    )
                    options.append((abs(j - item.index), gain, 0.0, j))
                j -= step
            options.sort()
        if not options:
            if firing or violating:
                return [], base_total, base_weight, items  # a gate no ask can lift: unreachable
            continue
        out.append(
            _Candidate(
                crit.criterion,
                item.weight,
                position,
                item.status,
                item.index,
                bool(firing) or violating,
                tuple(options),
                gates,
            )
        )
    return out, base_total, base_weight, items


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
    *,
    results: Results | None = None,
    band_index: int | None = None,
    allowed: Mapping[str, Collection[int]] | None = None,
) -> AskPlan:
    """The smallest set of level changes that lifts the verdict to the next band, or the top band.

    Smallest means: fewest criteria changed, then fewest level steps, then the highest score. Only
    changes toward better levels are considered (for format-1 sets, answering an unknown or
    unanswered criterion too, which adds its weight to the score).

    Method (`docs/scoring.md`, "Planned asks"). With the target band starting at score m, a plan
    reaches it when its total t and weight w have t - m w >= 0: each change adds a fixed value
    `a - m d` (points a, weight d), so reaching the band is a linear condition. A gate that caps the
    verdict below the target must be lifted: those criteria are in every plan (forced). The fewest
    further criteria k is found by sorting their best values (the k largest must make up what is
    missing). Then a dynamic programme over (criteria changed, level steps), the candidates taken
    in order of best value, keeps per state the points and weight added that no other choice beats
    (fewer steps, more points, less weight), and drops every state that can no longer reach the
    band with the best values left or that needs more steps than a known plan. The plan is checked
    with `scoring.compute` before it is returned. Tests compare it against brute force over every
    subset and level. `results`: the answers' results, when the caller has them already.
    `band_index`: plan for this band instead of `target`'s. `allowed` (format 2 only): by criterion
    id, the level indices the plan may leave it at; a criterion at a level outside them is changed
    (`scoring.positions` plans within parties' red lines this way).
    """
    if target not in ("next", "top"):
        raise ValueError(f"target must be 'next' or 'top', not {target!r}")
    answers = list(answers)
    if results is None:
        verdict, score = scoring.verdict_and_score(criteria, answers, profile)
    else:
        verdict, score = results.verdict, results.score
    current = criteria.band_index(verdict)
    top_band = len(criteria.bands) - 1
    goal = top_band if target == "top" else min(current + 1, top_band)
    if band_index is not None:
        goal = min(max(band_index, 0), top_band)
    if allowed is not None and not criteria.is_format2:
        raise ValueError("allowed levels need a format-2 criteria set")
    band = criteria.bands[goal]

    def plan(
        reason: str,
        changes: tuple[PlanStep, ...] | None = None,
        after: tuple[str, float | None] = ("", None),
        open_gates: tuple[str, ...] = (),
    ) -> AskPlan:
        """The plan to `band`: reachable with `changes` (none needed: an empty tuple), else not."""
        return AskPlan(
            target=target,
            band=band.id,
            reachable=changes is not None,
            reason=reason,
            changes=changes or (),
            steps=sum(c.steps for c in changes or ()),
            verdict_before=verdict,
            verdict_after=after[0],
            open_gates=open_gates,
            score_before=score,
            score_after=after[1],
        )

    if current >= goal and not _crosses(criteria, answers, profile, allowed):
        return plan(f"already in the top band ({band.label})", (), (verdict, score))
    if criteria.is_format2:
        candidates, base_total, base_weight, items = _candidates_v2(
            criteria, answers, profile, goal, allowed
        )
        if not items:
            return plan("no criterion applies")
        open_ids = [i.crit.id for i in items if not i.answered]
        table = format2.gate_table(criteria, profile)
    else:
        entries = _entries(criteria, answers, profile)
        if not entries:
            return plan("no criterion applies")
        candidates, base_total, base_weight = _candidates_v1(criteria, entries, goal)
        open_ids = [e.criterion.id for e in entries if not e.answered]
        table = None

    def reaches(total: float, weight: float) -> bool:
        return weight > 0 and _rounded(total, weight) >= band.min_score

    found = _search(
        criteria,
        answers,
        profile,
        goal,
        candidates,
        base_total,
        base_weight,
        band.min_score,
        reaches,
    )
    if found is None:
        return plan(
            f"even every applicable criterion at its best level does not reach {band.label}"
        )
    changes, after = found
    return plan("", changes, after, _open_gates(criteria, open_ids, changes, goal, table))


def _crosses(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    allowed: Mapping[str, Collection[int]] | None,
) -> bool:
    """Whether some criterion's current level (its silence level when open) is not allowed."""
    if not allowed:
        return False
    given = {a.criterion: a for a in answers}
    for item in format2.items(criteria, scoring.effective_weights(criteria, profile), given):
        ok = allowed.get(item.crit.id)
        if ok is not None and item.index not in ok:
            return True
    return False


def _search(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    goal: int,
    candidates: list[_Candidate],
    base_total: float,
    base_weight: float,
    band_min: float,
    reaches: Any,
) -> tuple[tuple[PlanStep, ...], tuple[str, float | None]] | None:
    """The best plan (fewest criteria, then steps, then highest score), or None."""
    ratio = _flip_score(band_min) / 100.0
    need = ratio * base_weight - base_total  # the value the changes must add
    slack = 1e-9 * max(1.0, abs(base_total), abs(base_weight))

    def best(candidate: _Candidate) -> float:
        return max(o[1] - ratio * o[2] for o in candidate.options)

    forced = [c for c in candidates if c.forced]
    # A change whose best value is not positive never helps: a plan without it has one change less.
    optional = sorted(
        (c for c in candidates if not c.forced and best(c) > slack),
        key=lambda c: (-best(c), c.position),
    )
    forced_value = sum(best(c) for c in forced)
    prefix = [0.0]
    for candidate in optional:
        prefix.append(prefix[-1] + best(candidate))
    for extra in range(len(optional) + 1):
        if forced_value + prefix[extra] < need - slack:
            continue
        plan = _cheapest(
            criteria,
            answers,
            profile,
            goal,
            forced,
            optional,
            extra,
            prefix,
            ratio,
            need - slack,
            base_total,
            base_weight,
            reaches,
        )
        if plan is not None:
            return plan
    return None


def _cheapest(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    goal: int,
    forced: list[_Candidate],
    optional: list[_Candidate],
    extra: int,
    prefix: list[float],
    ratio: float,
    need: float,
    base_total: float,
    base_weight: float,
    reaches: Any,
) -> tuple[tuple[PlanStep, ...], tuple[str, float | None]] | None:
    """Fewest steps, then highest score, among plans changing the forced criteria plus `extra`."""
    size = len(forced) + extra
    order = forced + optional
    count_forced = len(forced)
    forced_left = [0.0] * (count_forced + 1)  # best value of the forced criteria from p on
    for p in range(count_forced - 1, -1, -1):
        forced_left[p] = forced_left[p + 1] + max(o[1] - ratio * o[2] for o in forced[p].options)

    def bound(p: int, wanted: int) -> float:
        """Most value `wanted` more changes can add from the candidates at positions p on."""
        if p < count_forced:
            rest = wanted - (count_forced - p)
            if rest < 0 or rest > len(optional):
                return -_INF
            return forced_left[p] + prefix[rest]
        first = p - count_forced
        if first + wanted > len(optional):
            return -_INF
        return prefix[first + wanted] - prefix[first]

    # A known plan bounds the steps: every forced and the `extra` best optional criteria at their
    # best levels (it reaches the band when its rounded score does).
    greedy = forced + optional[:extra]
    greedy_total = base_total + sum(c.options[-1][1] for c in greedy)
    greedy_weight = base_weight + sum(c.options[-1][2] for c in greedy)
    max_steps = (
        sum(c.options[-1][0] for c in greedy) if reaches(greedy_total, greedy_weight) else 1 << 30
    )

    # state (changed, steps) -> front of (points added, weight added, back-pointer)
    states: dict[tuple[int, int], list[tuple[float, float, Any]]] = {(0, 0): [(0.0, 0.0, None)]}
    for position, candidate in enumerate(order):
        grown: dict[tuple[int, int], list[tuple[float, float, Any]]] = {}
        for (changed, steps), front in states.items():
            if not candidate.forced:
                grown.setdefault((changed, steps), []).extend(front)
            if changed >= size:
                continue
            least = size - changed - 1  # each later change takes at least one step
            for step, added_total, added_weight, level in candidate.options:
                if steps + step + least > max_steps:
                    break
                bucket = grown.setdefault((changed + 1, steps + step), [])
                for total, weight, back in front:
                    bucket.append(
                        (total + added_total, weight + added_weight, (back, position, level))
                    )
        states = _prune(
            grown, lambda changed, p=position + 1: bound(p, size - changed), ratio, need
        )

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
        if criteria.band_index(after[0]) >= goal:
            return changes, after
    return None


def _prune(
    grown: dict[tuple[int, int], list[tuple[float, float, Any]]],
    bound: Any,
    ratio: float,
    need: float,
) -> dict[tuple[int, int], list[tuple[float, float, Any]]]:
    """The states worth keeping: within each, the Pareto front; across them, an entry beaten by one
    with as many changes and fewer steps (more points, less weight) goes, and so does an entry that
    cannot reach the band even with the best values left."""
    kept: dict[tuple[int, int], list[tuple[float, float, Any]]] = {}
    by_changed: dict[int, list[int]] = {}
    for changed, steps in grown:
        by_changed.setdefault(changed, []).append(steps)
    for changed, steps_list in by_changed.items():
        room = bound(changed)
        if room == -_INF:
            continue
        floor = need - room  # the value this state must already have
        # The entries kept at fewer steps, as a Pareto front: weights rising, points rising. An
        # entry is beaten when the front's last entry of no more weight has at least its points.
        ys: list[float] = []
        xs: list[float] = []
        for steps in sorted(steps_list):
            front = grown[(changed, steps)]
            if len(front) > 1:
                front = _pareto(front)
            out = []
            for entry in front:
                x, y = entry[0], entry[1]
                if x - ratio * y < floor:
                    continue
                at = bisect_right(ys, y) - 1
                if at >= 0 and xs[at] >= x:
                    continue
                out.append(entry)
            if out:
                kept[(changed, steps)] = out
                for x, y, _ in out:
                    # Into the front: entries of as much weight or more and no more points go.
                    at = bisect_left(ys, y)
                    end = at
                    while end < len(xs) and xs[end] <= x:
                        end += 1
                    xs[at:end] = [x]
                    ys[at:end] = [y]
    return kept


def _verify(
    criteria: CriteriaSet,
    answers: list[Answer],
    profile: Profile | None,
    chosen: list[tuple[_Candidate, int]],
) -> tuple[tuple[PlanStep, ...], tuple[str, float | None]]:
    """The plan's changes, in the order to present them, and the verdict and score they would give."""
    changed = {c.criterion.id for c, _ in chosen}
    planned = [a for a in answers if a.criterion not in changed]
    keyed: list[tuple[tuple[int, float, int], PlanStep]] = []
    for candidate, level in chosen:
        criterion = candidate.criterion
        planned.append(Answer(criterion=criterion.id, level=criterion.levels[level].id))
        if candidate.gates:
            lifts = any(
                candidate.index in g.fires and level not in g.fires for g in candidate.gates
            )
        else:
            gate = criterion.gate
            lifts = (
                candidate.answered
                and gate is not None
                and candidate.index < criterion.level_index(gate.level) <= level
            )
        now = criterion.levels[candidate.index].score if candidate.index >= 0 else 0.0
        gain = candidate.weight * (criterion.levels[level].score - now)
        if criterion.is_price:
            gain = -gain
        change = PlanStep(
            criterion=criterion.id,
            title=criterion.title,
            from_level=criterion.levels[candidate.index].id
            if candidate.answered
            else candidate.status,
            to_level=criterion.levels[level].id,
            text=criterion.levels[level].description,
            steps=abs(level - candidate.index) if candidate.index >= 0 else level,
            lifts_gate=bool(lifts),
            demand=criterion.levels[level].demand,
        )
        keyed.append(((0 if lifts else 1, -gain, candidate.position), change))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(change for _, change in keyed), scoring.verdict_and_score(
        criteria, planned, profile
    )


def _open_gates(
    criteria: CriteriaSet,
    open_ids: list[str],
    changes: tuple[PlanStep, ...],
    goal: int,
    table: dict[str, tuple[format2.GateIndexes, ...]] | None,
) -> tuple[str, ...]:
    changed = {c.criterion for c in changes}
    out: list[str] = []
    for cid in open_ids:
        if cid in changed:
            continue
        if table is not None:
            if any(g.cap < goal for g in table.get(cid, ())):
                out.append(cid)
            continue
        gate = criteria.criterion(cid).gate
        if gate is not None and criteria.band_index(gate.cap) < goal:
            out.append(cid)
    return tuple(out)


__all__ = [
    "AskPlan",
    "PlanStep",
    "Target",
    "plan_asks",
]
