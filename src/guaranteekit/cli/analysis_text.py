"""Decision support as `score` prints it and as the comparison documents carry it.

`score_extras` gives the text lines and `--json` data of planned asks, weight thresholds, Monte
Carlo and reference points for one report; `compare_extras` gives the sensitivity data (no text)
the comparison documents carry for several. The figures come from `guaranteekit.scoring`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict

from guaranteekit.documents.decision import (
    DecisionSupport,
    PackageSupport,
    RankingSupport,
    ReorderingWeight,
    RunSettings,
)
from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import (
    Answer,
    CriteriaSet,
    Profile,
    Report,
    Results,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.scoring._shared import (
    _pct,
    _times,
)
from guaranteekit.scoring.montecarlo import (
    DEFAULT_SPREAD,
    FRAGILE_PROBABILITY,
    MCResult,
    RankMCResult,
    monte_carlo,
    monte_carlo_ranking,
)
from guaranteekit.scoring.plans import AskPlan, plan_asks
from guaranteekit.scoring.positions import WithinPositions
from guaranteekit.scoring.references import ReferencePoints, reference_points
from guaranteekit.scoring.thresholds import (
    Threshold,
    WeightLimits,
    ranking_thresholds,
    weight_thresholds,
)
from guaranteekit.textsafe import clean, one_line

if TYPE_CHECKING:
    from guaranteekit.documents.model import Reference


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


def _plan_lines(criteria: CriteriaSet, plans: list[AskPlan]) -> list[str]:
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
            demand = (
                f"Demand: {change.demand}"
                if change.demand
                else f"Demand (rubric wording): {change.text}"
            )
            lines += _wrap(demand, "        ")
        for cid in plan.open_gates:
            criterion = criteria.criterion(cid)
            if criterion.gate is not None:
                where = f"below {criterion.gate.level!r}"
                cap = criterion.gate.cap
            else:
                gate = min(criterion.level_gates(), key=lambda g: criteria.band_index(g.cap))
                where = f"at {', '.join(repr(level) for level in gate.fires_on)}"
                cap = gate.cap
            lines.append(
                f"    Gate still open: {one_line(criterion.title)} is not answered; {where} it"
                f" caps the verdict at {clean(criteria.band(cap).label)}."
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


class Analysis(BaseModel):
    """The `analysis` part of `score --json`, written as `model_dump(mode="json", exclude_none=True)`."""

    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)

    plans: list[AskPlan]
    """To the next band, then (below it) to the top band."""
    weight_thresholds: list[WeightLimits]
    """Closest to changing the verdict first."""
    monte_carlo: MCResult | None = None
    """Absent with `--draws 0`."""
    reference_points: ReferencePoints | None = None
    """Absent when no worked example of the same criteria scores."""


@dataclass(frozen=True, slots=True)
class ScoreExtras:
    """What `score` adds to the results: the lines to print and the data for `--json`."""

    text: list[str]
    analysis: Analysis
    positions: WithinPositions | None = None
    """The verdict reachable within the parties' positions (`--positions`)."""


def score_extras(
    scored: _Scored,
    results: Results,
    draws: int = 2000,
    seed: int = 1,
    *,
    spread: float = DEFAULT_SPREAD,
    examples_dir: Path | None = None,
) -> ScoreExtras:
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
    plans = [plan_asks(criteria, answers, profile, "next", results=results)]
    if plans[0].band != criteria.bands[-1].id:
        plans.append(plan_asks(criteria, answers, profile, "top", results=results))
    thresholds, mc = _own_run((criteria, answers, profile), results, draws, spread, seed)
    text = _plan_lines(criteria, plans)
    text += ["", *_threshold_lines(criteria, thresholds, results.verdict)]
    if mc is not None:
        text += ["", *_mc_lines(criteria, mc)]
    refs = reference_points(
        criteria, results.score, profile, examples_dir, exclude=getattr(scored, "path", None)
    )
    if refs.examples:
        text += ["", "Reference points (worked examples, same criteria):"]
        text.append(f"  {refs.sentence()}" if refs.sentence() else "  none scored")
    analysis = Analysis(
        plans=plans,
        weight_thresholds=[t.limits() for t in thresholds],
        monte_carlo=mc,
        reference_points=refs if refs.examples else None,
    )
    return ScoreExtras(text, analysis)


_Package = tuple[CriteriaSet, list[Answer], Profile | None]
_Own = tuple[str, float | None, MCResult, WeightLimits | None]


def _own_run(
    package: _Package, results: Results, draws: int, spread: float, seed: int
) -> tuple[list[Threshold], MCResult | None]:
    """A package's weight thresholds and its own Monte Carlo run (None with no draws), from its
    results as scored."""
    criteria, answers, profile = package
    thresholds = weight_thresholds(criteria, answers, profile, results=results)
    if draws <= 0:
        return thresholds, None
    mc = monte_carlo(
        criteria,
        answers,
        profile,
        draws=draws,
        spread=spread,
        seed=seed,
        thresholds=thresholds,
        results=results,
    )
    return thresholds, mc


def _package_runs(
    packages: list[_Package],
    results: Sequence[Results],
    *,
    draws: int,
    spread: float,
    seed: int,
    progress: Callable[[], object] | None = None,
) -> list[_Own]:
    """Each package's verdict and score, its own Monte Carlo run, and the weight closest to
    changing its verdict (None when no weight can), from its results as scored."""
    out: list[_Own] = []
    for package, scored in zip(packages, results, strict=True):
        if progress is not None:
            progress()
        thresholds, mc = _own_run(package, scored, draws, spread, seed)
        assert mc is not None  # compare_extras refuses fewer than one draw
        score = scored.score
        closest = [t for t in thresholds if not math.isinf(t.margin)]
        out.append((mc.verdict, score, mc, closest[0].limits() if closest else None))
    return out


def _unknowns_drawn(packages: list[PackageSupport], ranking: RankMCResult) -> bool:
    """Whether every run behind a comparison drew the unknown answers: each package's own run,
    and the ranking's when it says (a run that does not say is taken not to)."""
    own = bool(packages) and all(p.unknowns_drawn for p in packages)
    return own and bool(getattr(ranking, "open_drawn", own))


def compare_extras(
    scored_list: Sequence[_Scored],
    draws: int = 2000,
    seed: int = 1,
    *,
    spread: float = DEFAULT_SPREAD,
    limit: int = 5,
    progress: Callable[[], object] | None = None,
    results: Sequence[Results | None] | None = None,
) -> DecisionSupport:
    """Sensitivity for the comparison documents (`documents.decision`). `results`: each report's
    results as just scored (by verify, before use), so that none is scored again; a missing one
    is scored here.

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
    given = list(results) if results is not None else [None] * len(items)
    scores = [
        found if found is not None else scoring.compute(criteria, answers, profile)
        for (criteria, answers, profile), found in zip(items, given, strict=True)
    ]
    thresholds = ranking_thresholds(items, scores) if len(items) > 1 else []
    ranking = monte_carlo_ranking(
        items,
        draws=draws,
        spread=spread,
        seed=seed,
        names=names,
        thresholds=thresholds,
        results=scores,
    )
    own = _package_runs(items, scores, draws=draws, spread=spread, seed=seed, progress=progress)
    packages = [
        PackageSupport(
            name=names[index],
            index=index,
            verdict=verdict,
            verdict_label=criteria.band(verdict).label,
            verdict_probability=mc.probability,
            verdict_probabilities=dict(mc.probabilities),
            fragile=mc.fragile,
            fragile_reasons=list(mc.reasons),
            rank=ranking.order.index(index) + 1,
            rank_probabilities=list(ranking.ranks[index]),
            unknowns_drawn=mc.open_drawn,
            score=score,
            closest_weight=closest,
        )
        for index, ((criteria, _, _), (verdict, score, mc, closest)) in enumerate(
            zip(items, own, strict=True)
        )
    ]
    shown = [t for t in thresholds if not math.isinf(t.margin)][:limit]
    rank_thresholds = [
        ReorderingWeight(
            criterion=t.criterion,
            title=t.title,
            lower=t.lower,
            lower_swap=[names[t.lower_swap[0]], names[t.lower_swap[1]]] if t.lower > 0 else None,
            upper=None if math.isinf(t.upper) else t.upper,
            upper_swap=None
            if math.isinf(t.upper)
            else [names[t.upper_swap[0]], names[t.upper_swap[1]]],
            within_range=t.within(spread),
        )
        for t in shown
    ]
    method = (
        f"each weight x uniform({1 - spread:g}, {1 + spread:g}), shared by every package;"
        " low-confidence answers one level either way, medium half a level; unknown and"
        " unanswered criteria left out (format-1 sets) or drawn over their levels (format-2 sets)"
    )
    return DecisionSupport(
        settings=RunSettings(
            draws=draws,
            seed=seed,
            spread=spread,
            method=method,
            fragile_below=FRAGILE_PROBABILITY,
            unknowns_drawn=_unknowns_drawn(packages, ranking),
        ),
        packages=packages,
        ranking=RankingSupport(
            order=[names[i] for i in ranking.order],
            probability=ranking.probability,
            fragile=ranking.fragile,
            reasons=list(ranking.reasons),
        ),
        rank_thresholds=rank_thresholds,
    )


def report_extras(
    scored: _Scored, draws: int = 2000, seed: int = 1, *, spread: float = DEFAULT_SPREAD
) -> tuple[DecisionSupport, list[AskPlan], list[Reference]]:
    """Decision support for the one-assessment document: the Monte Carlo run as `compare_extras`
    words it (one package), the planned asks to the next and the top band, and the worked examples
    just below and above the score. `draws` 0 leaves the run out."""
    from guaranteekit.documents.model import Reference  # the document's, only for `report`

    criteria, profile = scored.criteria, scored.profile
    answers = list(scored.report.answers)
    plans = [plan_asks(criteria, answers, profile, "next")]
    if plans[0].band != criteria.bands[-1].id:
        plans.append(plan_asks(criteria, answers, profile, "top"))
    support = DecisionSupport()
    if draws > 0:
        mc = monte_carlo(criteria, answers, profile, draws=draws, spread=spread, seed=seed)
        support = DecisionSupport(
            settings=RunSettings(
                draws=draws,
                seed=seed,
                spread=spread,
                method=mc.method,
                fragile_below=FRAGILE_PROBABILITY,
                unknowns_drawn=mc.open_drawn,
            ),
            packages=[
                PackageSupport(
                    name=scored.report.package.name,
                    index=0,
                    verdict=mc.verdict,
                    verdict_label=criteria.band(mc.verdict).label,
                    verdict_probability=mc.probability,
                    verdict_probabilities=dict(mc.probabilities),
                    fragile=mc.fragile,
                    fragile_reasons=list(mc.reasons),
                    unknowns_drawn=mc.open_drawn,
                )
            ],
        )
    score = scoring.compute(criteria, answers, profile).score
    refs = reference_points(criteria, score, profile, exclude=getattr(scored, "path", None))
    references = [
        Reference(name=r.name, score=r.score, verdict_label=criteria.band(r.verdict).label)
        for r in (*refs.below, *refs.above)
    ]
    return support, plans, references


def next_band_plans(
    scored_list: Sequence[_Scored], progress: Callable[[], object] | None = None
) -> list[list[AskPlan]]:
    """Each package's planned asks to the next band (`scoring.plans`)."""
    plans = []
    for s in scored_list:
        plans.append([plan_asks(s.criteria, list(s.report.answers), s.profile, "next")])
        if progress is not None:
            progress()
    return plans


__all__ = [
    "Analysis",
    "ScoreExtras",
    "compare_extras",
    "next_band_plans",
    "report_extras",
    "score_extras",
]
