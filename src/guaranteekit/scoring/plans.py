"""Planned asks: the smallest set of level changes that lifts a package's verdict to a target band.

`plan_asks` gives the changes to the next band (or the top band). "Smallest" is lexicographic:
fewest criteria changed, then fewest level steps, then the highest resulting score. A gate that
caps the verdict below the target must be lifted, so those changes are forced; the rest is found
exactly (see `plan_asks`). The verdict a plan states is the one `scoring.compute` gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from guaranteekit.formats.models import (
    Answer,
    CriteriaSet,
    Profile,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring._shared import (
    _INF,
    _entries,
    _Entry,
    _rounded,
)

Target = Literal["next", "top"]


@dataclass(frozen=True, slots=True)
class PlanStep:
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
class AskPlan:
    """The smallest set of changes that lifts the verdict to a target band."""

    target: str
    """`next` or `top`."""
    band: str
    """The target band's id."""
    reachable: bool
    reason: str
    """Why no change is needed, or why the target cannot be reached; empty otherwise."""
    changes: tuple[PlanStep, ...] = ()
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
) -> AskPlan:
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
        return AskPlan(
            reachable=True,
            reason=f"already in the top band ({band.label})",
            verdict_after=results.verdict,
            score_after=results.score,
            **common,
        )
    entries = _entries(criteria, answers, profile)
    if not entries:
        return AskPlan(reachable=False, reason="no criterion applies", **common)

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
            return AskPlan(
                reachable=True,
                reason="",
                changes=changes,
                steps=sum(c.steps for c in changes),
                verdict_after=after.verdict,
                score_after=after.score,
                open_gates=_open_gates(criteria, entries, changes, goal),
                **common,
            )
    return AskPlan(
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
) -> tuple[tuple[PlanStep, ...], Results] | None:
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
) -> tuple[tuple[PlanStep, ...], Results]:
    """The plan's changes, in the order to present them, and the results they would give."""
    changed = {c.entry.criterion.id for c, _ in chosen}
    planned = [a for a in answers if a.criterion not in changed]
    keyed: list[tuple[tuple[int, float, int], PlanStep]] = []
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
        change = PlanStep(
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
    criteria: CriteriaSet, entries: list[_Entry], changes: tuple[PlanStep, ...], goal: int
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


__all__ = [
    "AskPlan",
    "PlanStep",
    "Target",
    "plan_asks",
]
