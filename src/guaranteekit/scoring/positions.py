"""Planning within the parties' positions: the strongest verdict their red lines leave, and who must
move for more.

Only red lines constrain (`Firmness.RED_LINE`); preferences and inferred positions are reported
beside every ask that crosses them. Given a report's answers and the positions, `plan_within`
gives (a) the strongest band reachable without crossing a red line, (b) the fewest changes to get
there (`plans.plan_asks` with each criterion's target levels restricted to what the red lines
leave), (c) for each higher band, the smallest sets of red lines that would have to move, found by
exact search over subsets of the constraining positions, smallest first, and (d) each ask annotated
with the parties whose positions it crosses. When the red lines leave some criterion no level,
no package satisfies all positions (e).

Cost of (c): one plan per subset tried. With n red lines that exclude something, a band whose
smallest blocking set has k members costs at most sum of C(n, i) for i <= k plans, 2^n in the worst
case; subsets that leave the same allowed levels share one plan, and a band needing more than
`MAX_SUBSET` moves is reported as needing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field, computed_field

from guaranteekit.formats.models import Answer, CriteriaSet, Profile
from guaranteekit.formats.positions import Firmness, LoadedPositions, Position, allowed_levels
from guaranteekit.scoring.plans import AskPlan, PlanStep, plan_asks

MAX_SUBSET = 6
"""The largest set of positions searched for a band: beyond it the answer is "more than 6"."""


class _Data(BaseModel):
    """The results here are frozen models; `score --json` writes `WithinPositions.model_dump()`."""

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)


class Stance(_Data):
    """One position of one party, with where it was read and the level indices it leaves."""

    party: str
    file: str
    index: int
    position: Position = Field(exclude=True)
    allowed: frozenset[int] = Field(exclude=True)

    @property
    def place(self) -> str:
        return f"{self.file}: positions[{self.index}]"

    @property
    def red_line(self) -> bool:
        return self.position.firmness is Firmness.RED_LINE

    @computed_field  # type: ignore[prop-decorator]
    @property
    def criterion(self) -> str:
        return self.position.criterion

    @computed_field  # type: ignore[prop-decorator]
    @property
    def firmness(self) -> str:
        return str(self.position.firmness)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source(self) -> str:
        return self.position.source

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rules_out(self) -> list[str] | None:
        return list(self.position.rules_out or ()) or None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def insists_on(self) -> list[str] | None:
        return list(self.position.insists_on or ()) or None


class PositionAsk(PlanStep):
    """A planned change with the positions it crosses."""

    model_config = ConfigDict(serialize_by_alias=True)

    crosses: tuple[Stance, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.party for s in self.crosses))


class Blocked(_Data):
    """A band above the reachable one, and the smallest sets of red lines standing in its way."""

    band: str
    label: str
    reachable_without_positions: bool
    blocking: tuple[tuple[Stance, ...], ...] = ()
    """Every smallest set of red lines whose moving makes the band reachable (empty if none)."""
    asks: tuple[PositionAsk, ...] = ()
    """The fewest changes once the first smallest set has moved, annotated."""
    more_than: int | None = None
    """Set when no set of up to `MAX_SUBSET` red lines suffices although the band is reachable."""


class WithinPositions(_Data):
    """What the positions leave obtainable for one package."""

    parties: tuple[str, ...] = ()
    satisfiable: bool
    reason: str
    """Why no package satisfies all positions; empty otherwise."""
    verdict_as_drafted: str
    band: str = Field(default="", serialization_alias="reachable_band")
    """The strongest band reachable within the red lines."""
    label: str = Field(default="", serialization_alias="reachable_label")
    asks: tuple[PositionAsk, ...] = Field(default=(), serialization_alias="changes")
    drafted_crosses: tuple[Stance, ...] = ()
    """Positions the package as drafted already crosses."""
    higher: tuple[Blocked, ...] = Field(default=(), serialization_alias="higher_bands")
    plans_run: int = 0
    """Plans computed to answer (the cost of the exact search)."""
    plan: AskPlan | None = Field(default=None, exclude=True)
    stances: tuple[Stance, ...] = Field(default=(), exclude=True, repr=False)
    drafted_label: str = Field(default="", exclude=True)
    unconstrained: AskPlan | None = Field(default=None, exclude=True)
    """The fewest changes to the same band with no position at all, for comparison."""
    unconstrained_asks: tuple[PositionAsk, ...] = Field(default=(), exclude=True)
    """Its changes, annotated with the positions (red lines too) each crosses."""

    @property
    def plan_changes(self) -> tuple[PlanStep, ...]:
        return self.plan.changes if self.plan is not None else ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score_after(self) -> float | None:
        return self.plan.score_after if self.plan is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def steps(self) -> int | None:
        return self.plan.steps if self.plan is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changes_without_positions(self) -> tuple[PositionAsk, ...] | None:
        return self.unconstrained_asks if self.unconstrained is not None else None


def stances(criteria: CriteriaSet, loaded: Iterable[LoadedPositions]) -> list[Stance]:
    """Every position of the files, with the level indices each leaves (files already checked)."""
    out: list[Stance] = []
    for item in loaded:
        for index, position in enumerate(item.data.positions):
            criterion = criteria.criterion(position.criterion)
            ids = [level.id for level in criterion.levels]
            left = allowed_levels(position, ids)
            out.append(
                Stance(
                    party=item.data.party,
                    file=item.name,
                    index=index,
                    position=position,
                    allowed=frozenset(i for i, lid in enumerate(ids) if lid in left),
                )
            )
    return out


def allowed_map(stances_: Iterable[Stance]) -> dict[str, frozenset[int]]:
    """By criterion, the level indices every given stance leaves."""
    out: dict[str, frozenset[int]] = {}
    for stance in stances_:
        cid = stance.position.criterion
        out[cid] = out[cid] & stance.allowed if cid in out else stance.allowed
    return out


def crossing(
    stances_: Iterable[Stance], criteria: CriteriaSet, cid: str, level: str
) -> list[Stance]:
    """The stances (any firmness) a criterion at `level` crosses."""
    index = criteria.criterion(cid).level_index(level)
    return [s for s in stances_ if s.position.criterion == cid and index not in s.allowed]


def _annotate(
    plan: AskPlan, all_stances: list[Stance], criteria: CriteriaSet
) -> tuple[PositionAsk, ...]:
    return tuple(
        PositionAsk(
            **dict(step),
            crosses=tuple(crossing(all_stances, criteria, step.criterion, step.to_level)),
        )
        for step in plan.changes
    )


class _Planner:
    """Plans for one package, memoised by band and allowed levels."""

    def __init__(
        self, criteria: CriteriaSet, answers: list[Answer], profile: Profile | None
    ) -> None:
        self.criteria = criteria
        self.answers = answers
        self.profile = profile
        self.memo: dict[tuple[int, frozenset[tuple[str, frozenset[int]]]], AskPlan] = {}
        self.runs = 0

    def plan(self, band: int, allowed: dict[str, frozenset[int]]) -> AskPlan:
        key = (band, frozenset(allowed.items()))
        hit = self.memo.get(key)
        if hit is None:
            self.runs += 1
            hit = plan_asks(
                self.criteria,
                self.answers,
                self.profile,
                band_index=band,
                allowed=allowed or None,
            )
            self.memo[key] = hit
        return hit


def plan_within(
    criteria: CriteriaSet,
    answers: Iterable[Answer],
    loaded: Iterable[LoadedPositions],
    profile: Profile | None = None,
) -> WithinPositions:
    """The strongest verdict within the red lines, the fewest changes to it, and per higher band
    the smallest sets of red lines that would have to move (module docstring)."""
    if not criteria.is_format2:
        raise ValueError("planning within positions needs a format-2 criteria set")
    answers = list(answers)
    loaded = list(loaded)
    all_stances = stances(criteria, loaded)
    parties = tuple(dict.fromkeys(item.data.party for item in loaded))
    given = {a.criterion: a for a in answers}
    planner = _Planner(criteria, answers, profile)
    top = len(criteria.bands) - 1
    unconstrained_now = planner.plan(0, {})
    drafted = unconstrained_now.verdict_before
    drafted_crosses = tuple(
        s
        for s in all_stances
        if (a := given.get(s.position.criterion)) is not None
        and a.level is not None
        and criteria.criterion(a.criterion).level_index(a.level) not in s.allowed
    )
    red = [s for s in all_stances if s.red_line]
    constraining = [
        s for s in red if len(s.allowed) < len(criteria.criterion(s.position.criterion).levels)
    ]
    allowed = allowed_map(constraining)
    empty = sorted(cid for cid, levels in allowed.items() if not levels)
    drafted_label = criteria.bands[criteria.band_index(drafted)].label

    def unsatisfiable(reason: str) -> WithinPositions:
        return WithinPositions(
            parties=parties,
            satisfiable=False,
            reason="no package satisfies all positions: " + reason,
            verdict_as_drafted=drafted,
            drafted_crosses=drafted_crosses,
            plans_run=planner.runs,
            stances=tuple(all_stances),
            drafted_label=drafted_label,
        )

    if empty:
        return unsatisfiable(f"the red lines leave {', '.join(empty)} no level")
    best: tuple[int, AskPlan] | None = None
    for band in range(top, -1, -1):
        plan = planner.plan(band, allowed)
        if plan.reachable:
            best = (band, plan)
            break
    if best is None:
        return unsatisfiable("no level the red lines leave scores")
    reached, plan = best
    higher: list[Blocked] = []
    start = 1
    for band in range(reached + 1, top + 1):
        info = criteria.bands[band]
        if not planner.plan(band, {}).reachable:
            higher.append(
                Blocked(band=info.id, label=info.label, reachable_without_positions=False)
            )
            continue
        groups, start = _blocking(planner, band, constraining, start)
        if not groups:
            higher.append(
                Blocked(
                    band=info.id,
                    label=info.label,
                    reachable_without_positions=True,
                    more_than=MAX_SUBSET,
                )
            )
            start = MAX_SUBSET + 1
            continue
        rest = [s for s in constraining if all(s is not g for g in groups[0])]
        moved = planner.plan(band, allowed_map(rest))
        higher.append(
            Blocked(
                band=info.id,
                label=info.label,
                reachable_without_positions=True,
                blocking=tuple(groups),
                asks=_annotate(moved, all_stances, criteria),
            )
        )
    free = planner.plan(reached, {})
    return WithinPositions(
        parties=parties,
        satisfiable=True,
        reason="",
        verdict_as_drafted=drafted,
        drafted_crosses=drafted_crosses,
        stances=tuple(all_stances),
        drafted_label=drafted_label,
        unconstrained=free,
        unconstrained_asks=_annotate(free, all_stances, criteria),
        band=criteria.bands[reached].id,
        label=criteria.bands[reached].label,
        plan=plan,
        asks=_annotate(plan, all_stances, criteria),
        higher=tuple(higher),
        plans_run=planner.runs,
    )


def _blocking(
    planner: _Planner, band: int, constraining: list[Stance], start: int
) -> tuple[list[tuple[Stance, ...]], int]:
    """Every smallest set of red lines (of size `start` or more: a lower band needed as many) whose
    removal lets a plan reach `band`, and that size."""
    count = len(constraining)
    for size in range(start, min(count, MAX_SUBSET) + 1):
        found = [
            tuple(constraining[i] for i in group)
            for group in combinations(range(count), size)
            if planner.plan(
                band, allowed_map(constraining[i] for i in range(count) if i not in group)
            ).reachable
        ]
        if found:
            return found, size
    return [], start


__all__ = [
    "MAX_SUBSET",
    "Blocked",
    "PositionAsk",
    "Stance",
    "WithinPositions",
    "allowed_map",
    "crossing",
    "plan_within",
    "stances",
]
