"""A report's column of a comparison document: read, checked, scored.

`column` turns one loaded report into what any document needs of it (its `Entry`, its `Cell`s, the
numbers for ranking and shortfalls), independently of the other reports;
`guaranteekit.documents.build` assembles the columns into a `Document`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from guaranteekit.documents.model import (
    AskItem,
    Cell,
    CellStatus,
    Entry,
    GateNote,
    GateStatus,
    Kind,
    PillarScore,
    Price,
    ReviewItem,
    ScenarioScore,
    SetInfo,
)
from guaranteekit.errors import GuaranteekitError, LoadError, NotFoundError
from guaranteekit.formats.assessment import Scored, load_scored
from guaranteekit.formats.catalog import criteria_digest, profile_digest
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Ask,
    CriteriaSet,
    Criterion,
    PriceResult,
    Results,
)
from guaranteekit.scoring import core as scoring

__all__ = [
    "Column",
    "Identity",
    "Kind",
    "apportion",
    "column",
    "hundredths",
    "identity",
    "level_label",
    "load_columns",
    "load_many",
    "mixed_problems",
    "package_key",
]

# --------------------------------------------------------------------------------------------------
# Loading and checking
# --------------------------------------------------------------------------------------------------


def load_many(
    paths: Sequence[Path],
    progress: Callable[[], object] | None = None,
    *,
    profile_path: Path | None = None,
) -> tuple[list[Scored], list[str]]:
    """Load and resolve every report, collecting the problems of all files before raising.

    Returns the scored reports and the non-fatal notes. Raises `NotFoundError` when a file is
    missing (the command cannot run) and `LoadError` otherwise, with one line per problem.
    `progress` is called after each report (the command's progress bar); `profile_path`
    (`--profile`) scores every report with that profile.
    """
    found = []
    for path in paths:
        found.append(_try_load(Path(path), _as_loaded, profile_path=profile_path))
        if progress is not None:
            progress()
    return _gather(found)


def load_columns(
    paths: Sequence[Path], kind: Kind = "compare", *, profile_path: Path | None = None
) -> tuple[list[Column], list[str]]:
    """`load_many` then `column` for each report, in the order of `paths`; the problems of every
    file are collected before raising. `profile_path` (`--profile`) scores every report with it."""
    return _gather(
        [
            _try_load(
                Path(p),
                partial(column, kind=kind, key=package_key(index)),
                profile_path=profile_path,
            )
            for index, p in enumerate(paths)
        ]
    )


_T = TypeVar("_T")

_Loaded = tuple[_T | None, list[str], list[str], bool]
"""What loading one report gave: the result (or None), notes, problems, and whether it is missing."""


def _as_loaded(item: Scored) -> Scored:
    return item


def _try_load(
    path: Path, make: Callable[[Scored], _T], *, profile_path: Path | None = None
) -> _Loaded[_T]:
    try:
        item = load_scored(path, profile_path=profile_path)
    except NotFoundError as exc:
        return None, [], exc.problems, True
    except GuaranteekitError as exc:
        return None, [], exc.problems, False
    return make(item), item.notes, [], False


def _gather(found: Sequence[_Loaded[_T]]) -> tuple[list[_T], list[str]]:
    loaded: list[_T] = []
    notes: list[str] = []
    problems: list[str] = []
    missing = False
    for item, item_notes, item_problems, item_missing in found:
        missing = missing or item_missing
        problems += item_problems
        notes += item_notes
        if item is not None:
            loaded.append(item)
    if problems:
        raise (NotFoundError if missing else LoadError)(problems)
    return loaded, notes


@dataclass(frozen=True, slots=True)
class Identity:
    """What a report was scored against: reports are comparable when these agree."""

    path: str
    criteria: CriteriaSet
    set_label: str
    """The criteria set's id and version, as the report names them."""
    digest: str
    """Content digest of the criteria set used."""
    profile: str | None
    profile_digest: str | None


def identity(scored: Scored) -> Identity:
    """The criteria set and profile a loaded report is scored with."""
    ref = scored.report.criteria
    profile = scored.profile
    return Identity(
        path=str(scored.path),
        criteria=scored.criteria,
        set_label=f"{ref.id} {ref.version}",
        digest=criteria_digest(scored.criteria),
        profile=profile.name if profile is not None else None,
        profile_digest=profile_digest(profile) if profile is not None else None,
    )


def _profile_label(item: Identity) -> str:
    return f"profile {item.profile!r}" if item.profile is not None else "no profile"


def _groups(
    items: Sequence[Identity],
    key: Callable[[Identity], object],
    label: Callable[[Identity], str],
) -> list[tuple[str, list[str]]]:
    groups: dict[object, tuple[str, list[str]]] = {}
    for item in items:
        groups.setdefault(key(item), (label(item), []))[1].append(item.path)
    return list(groups.values())


def mixed_problems(reports: Sequence[Scored] | Sequence[Column]) -> list[str]:
    """One line per kind of difference (criteria set, profile) between the reports, naming files."""
    items = [r.identity if isinstance(r, Column) else identity(r) for r in reports]
    problems: list[str] = []
    sets = _groups(items, lambda i: (i.set_label, i.digest), lambda i: i.set_label)
    if len(sets) > 1:
        labels = [label for label, _ in sets]
        if len(set(labels)) < len(labels):
            # Same id and version, different content: say so, or the message reads as a contradiction.
            digests = {i.path: i.digest for i in items}
            sets = [
                (f"{label} (content {digests[files[0]][7:19]})", files) for label, files in sets
            ]
        parts = "; ".join(f"{', '.join(files)}: {label}" for label, files in sets)
        problems.append(
            f"reports were scored against different criteria sets ({parts}); scores are not"
            " comparable (pass --allow-mixed to compare them anyway)"
        )
    profiles = _groups(
        items,
        lambda i: None if i.profile is None else (i.profile, i.profile_digest),
        _profile_label,
    )
    if len(profiles) > 1:
        parts = "; ".join(f"{', '.join(files)}: {label}" for label, files in profiles)
        problems.append(
            f"reports were scored with different profiles ({parts}); scores are not comparable"
            " (pass --allow-mixed to compare them anyway)"
        )
    return problems


# --------------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------------


def apportion(values: Sequence[float], total: int) -> list[int]:
    """Integers, each within one of its value, that add up exactly to `total` (largest remainder).

    Used in hundredths of a point: `values` are exact shares of a score and `total` the rounded score.
    Ties go to the earlier value, so the result is deterministic.
    """
    if not values:
        return []
    floors = [math.floor(v) for v in values]
    remainders = [v - f for v, f in zip(values, floors, strict=True)]
    missing = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-remainders[i], i))
    result = list(floors)
    if missing >= 0:
        for step in range(missing):
            result[order[step % len(order)]] += 1
    else:
        for step in range(-missing):
            result[order[-1 - step % len(order)]] -= 1
    return result


def hundredths(value: float | None) -> int:
    """A score in hundredths of a point (an absent score counts as 0)."""
    return 0 if value is None else round(value * 100)


# --------------------------------------------------------------------------------------------------
# One report's column: made per report, independently of the others
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Column:
    """What one report brings to a document: its entry and its cells, and the numbers behind them,
    for ranking, shortfalls and steps."""

    identity: Identity
    entry: Entry
    """The report's entry, with `pillars` and `scenarios` left empty: they are lined up with the
    document's when the columns are assembled (from `pillars` and `scenarios` here)."""
    pillars: dict[str, PillarScore]
    scenarios: dict[str, ScenarioScore]
    cells: dict[str, Cell]
    """By criterion id, for the criteria of the report's own set (`package` is the entry's key
    when the column was made for its place in the document)."""
    band: int
    """Index of the verdict's band."""
    score: float | None
    weights: dict[str, float]
    fractions: dict[str, float]
    """Level scores of the answered applicable criteria (`scoring.applicable`)."""
    total: float
    """Sum of weight x level score over the answered criteria."""
    weight: float
    """Sum of weights over the answered criteria."""


def package_key(index: int) -> str:
    """The key of the document's entry at `index` (0-based): `p1`, `p2`, ..."""
    return f"p{index + 1}"


_CELL_STATUS: dict[AnswerStatus, CellStatus] = {
    AnswerStatus.LEVEL: "level",
    AnswerStatus.UNKNOWN: "unknown",
    AnswerStatus.NOT_APPLICABLE: "not_applicable",
}


def column(
    scored: Scored,
    kind: Kind = "compare",
    key: str | None = None,
    results: Results | None = None,
) -> Column:
    """A loaded report's column of the document for `kind`, with its score recomputed.

    `key`: the entry's key when its place is known (`package_key`); `assemble` then takes its cells
    as they are, rather than copy each to set the key. `results`: the report's results as just
    recomputed from its answers (by verify, before use), so that it is not scored twice.
    """
    criteria = scored.criteria
    answers = {a.criterion: a for a in scored.report.answers}
    if results is None:
        results = scoring.compute(
            criteria, scored.report.answers, scored.profile, asks=kind == "report"
        )
    weights = scoring.effective_weights(criteria, scored.profile)
    indexes = scoring.level_indexes(criteria)
    fractions = {
        counted.criterion.id: counted.fraction
        for counted in scoring.applicable(criteria, weights, answers)
        if counted.answered
    }
    total = sum(weights[cid] * f for cid, f in fractions.items())
    weight = sum(weights[cid] for cid in fractions)
    ids = list(fractions)
    # Exact shares in hundredths of a point: 100 x (100 w f / W).
    exact = [10000.0 * weights[c] * fractions[c] / weight for c in ids] if weight else []
    units = dict(zip(ids, apportion(exact, hundredths(results.score)), strict=True))
    gates: dict[str, GateStatus] = {cid: "fires" for cid in results.gates_fired}
    gates.update({cid: "open" for cid in results.gates_open})
    gates.update({cid: "passes" for cid in fractions if cid not in gates})
    package = key or ""
    cells = {
        c.id: _cell(package, c, answers.get(c.id), weights, units, indexes[c.id], gates)
        for c in criteria.criteria
    }
    pillar_titles = {p.id: p.title for p in criteria.pillars}
    scenario_labels = {s.id: s.label for s in criteria.scenarios}
    return Column(
        identity=identity(scored),
        entry=_entry(scored, results, kind, package),
        pillars={
            p.pillar: PillarScore(
                pillar=p.pillar,
                title=pillar_titles[p.pillar],
                score=p.score,
                low=p.low,
                high=p.high,
            )
            for p in results.pillars
        },
        scenarios={
            s.scenario: ScenarioScore(
                scenario=s.scenario,
                label=scenario_labels[s.scenario],
                score=s.score,
                low=s.low,
                high=s.high,
                verdict=s.verdict,
                verdict_label=_label_of(criteria, s.verdict),
                price=s.price,
            )
            for s in results.scenarios
        },
        cells=cells,
        band=criteria.band_index(results.verdict),
        score=results.score,
        weights=weights,
        fractions=fractions,
        total=total,
        weight=weight,
    )


def _cell(
    package: str,
    criterion: Criterion,
    answer: Answer | None,
    weights: dict[str, float],
    units: dict[str, int],
    levels: dict[str, int],
    gates: dict[str, GateStatus],
) -> Cell:
    """How one criterion stands in one report."""
    cid = criterion.id
    status: CellStatus
    if cid not in weights:
        status = "disabled"
    elif answer is None:
        status = "unanswered"
    else:
        status = _CELL_STATUS[answer.status]
    cell = Cell(
        package=package,
        status=status,
        weight=round(weights.get(cid, 0.0), 6),
        contribution=units.get(cid, 0) / 100,
        gate=gates.get(cid) if criterion.level_gates() else None,
    )
    if answer is not None:
        cell.rationale = answer.rationale
        cell.reason = answer.reason
        cell.evidence = list(answer.evidence)
        if status == "level":
            index = levels[answer.level or ""]
            level = criterion.levels[index]
            cell.level = level.id
            cell.label = level.label
            cell.position = index + 1
            cell.levels = len(criterion.levels)
            cell.fraction = level.score
            cell.confidence = answer.confidence.value if answer.confidence else "unset"
    return cell


def _label_of(criteria: CriteriaSet, band: str) -> str:
    return criteria.band(band).label


def _entry(scored: Scored, results: Results, kind: Kind, key: str) -> Entry:
    report = scored.report
    criteria = scored.criteria
    package = report.package
    band = criteria.band(results.verdict)
    gates: list[GateNote] = []
    states: tuple[tuple[GateStatus, list[str]], ...] = (
        ("fires", results.gates_fired),
        ("open", results.gates_open),
    )
    for state, ids in states:
        for cid in ids:
            criterion = criteria.criterion(cid)
            # Format 1's gate, or a format-2 criterion's lowest-capping gate: its level is the one
            # an ask lifting it goes to (`acceptable`).
            gate = min(criterion.level_gates(), key=lambda g: criteria.band_index(g.cap))
            gates.append(
                GateNote(
                    criterion=cid,
                    title=criterion.title,
                    state=state,
                    level=gate.acceptable,
                    level_label=criterion.level(gate.acceptable).label,
                    cap=gate.cap,
                    cap_label=_label_of(criteria, gate.cap),
                    reason=gate.reason,
                )
            )
    # Rounds of one draft usually share a name; the round (or date) tells the columns apart.
    label = (
        (package.round or package.date or package.name)
        if kind in ("rounds", "diff")
        else package.name
    )
    provenance = report.provenance
    entry = Entry(
        key=key,
        file=str(scored.path),
        label=label,
        name=package.name,
        date=package.date,
        round=package.round,
        parties=list(package.parties),
        guarantors=list(package.guarantors),
        source=package.source,
        summary=package.summary,
        criteria=SetInfo(
            id=criteria.id,
            version=criteria.version,
            digest=criteria_digest(criteria),
            title=criteria.title,
        ),
        profile=scored.profile.name if scored.profile else None,
        score=results.score,
        low=results.low,
        high=results.high,
        provisional=results.provisional,
        verdict=results.verdict,
        verdict_label=band.label,
        verdict_meaning=band.meaning,
        verdict_low=results.verdict_low,
        verdict_low_label=_label_of(criteria, results.verdict_low),
        verdict_high=results.verdict_high,
        verdict_high_label=_label_of(criteria, results.verdict_high),
        uncapped_verdict=results.uncapped_verdict,
        uncapped_verdict_label=_label_of(criteria, results.uncapped_verdict),
        capped=results.verdict != results.uncapped_verdict,
        gates=gates,
        gates_fired=list(results.gates_fired),
        gates_open=list(results.gates_open),
        unanswered=list(results.unanswered),
        unknown=list(results.unknown),
        assessor=provenance.assessor,
        organisation=provenance.organisation,
        created=provenance.created.isoformat() if provenance.created else "",
        modified=provenance.modified.isoformat() if provenance.modified else "",
        notes=provenance.notes,
        digest=report.digest,
        price=_price(criteria, results.price) if results.price is not None else None,
    )
    if kind == "report":
        entry.asks = [_ask(criteria, ask) for ask in results.asks]
        entry.review = [
            ReviewItem(
                kind=item.kind.value,
                author=item.author,
                at=item.at.isoformat(),
                criterion=item.criterion,
                text=item.text,
                decision=item.decision.value if item.decision else None,
            )
            for item in report.review.entries
        ]
    return entry


def _ask(criteria: CriteriaSet, ask: Ask) -> AskItem:
    """An ask of the results, with labels for people."""
    criterion = criteria.criterion(ask.criterion)
    return AskItem(
        criterion=ask.criterion,
        title=criterion.title,
        from_level=ask.from_level,
        from_label=level_label(criteria, ask.criterion, ask.from_level),
        to_level=ask.to_level,
        to_label=criterion.level(ask.to_level).label,
        text=ask.text,
        gain=ask.gain,
        lifts_gate=ask.lifts_gate,
        verdict_after=ask.verdict_after,
        verdict_after_label=_label_of(criteria, ask.verdict_after),
        demand=ask.demand,
        price_drop=ask.price_drop,
    )


def level_label(criteria: CriteriaSet, criterion_id: str, level: str) -> str:
    """A level's label for people; `unknown`, `unanswered` and other non-level states as words."""
    try:
        return criteria.criterion(criterion_id).level(level).label
    except KeyError:
        return level.replace("_", " ")


def _price(criteria: CriteriaSet, price: PriceResult) -> Price:
    """The price result as the document's `Price`, with its band's label."""
    label = price.band
    with contextlib.suppress(AttributeError, KeyError):
        label = criteria.price_band(price.band).label
    return Price(
        score=price.score, low=price.low, high=price.high, band=price.band, band_label=label
    )
