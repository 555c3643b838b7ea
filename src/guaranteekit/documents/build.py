"""Building the comparison `Document`: packages side by side, successive rounds, and what changed.

Every output format renders the one `Document` built here, so the numbers agree across formats.
Scores are recomputed with `scoring.compute` from each report's answers (stored results are not
trusted), so they equal what `guaranteekit score` prints.

A document is built in two steps. `guaranteekit.documents.columns.column` turns one loaded report
into its column (its entry, its cells, the numbers for ranking and shortfalls), independently of
the others. `assemble` lines the columns up, ranks, finds shortfalls and steps. `build` is both
steps over loaded reports.

Contributions. A criterion's contribution is its share of the score, `100 w f / W`, where W is the
total weight of the answered criteria (`docs/scoring.md`). Shown contributions are rounded to
hundredths by the largest-remainder method, so that those of one report add up exactly to its shown
score. The change of a criterion between two rounds is the difference of its shown contributions,
so the changes add up exactly to the change of the score, with no rounding residue. When a criterion
moves into or out of the answered set, W changes and the shares of the other criteria move too:
those rows are marked as re-weighted rather than changed.

Ranking puts the verdict first (a gate that fires caps it, whatever the score), then the score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal, TypeVar

from guaranteekit.documents.columns import (
    Column,
    Kind,
    column,
    hundredths,
    load_many,
    mixed_problems,
    package_key,
)
from guaranteekit.documents.model import (
    AnswerState,
    BandInfo,
    Cell,
    Change,
    Document,
    Entry,
    GateChange,
    PillarDelta,
    PillarInfo,
    PillarScore,
    RankItem,
    Row,
    ScenarioInfo,
    ScenarioScore,
    SetInfo,
    Shortfall,
    Step,
    level_text,
)
from guaranteekit.errors import LoadError
from guaranteekit.formats.assessment import Scored
from guaranteekit.formats.models import CriteriaSet
from guaranteekit.scoring import core as scoring


def _gain(col: Column, criterion_id: str, fraction: float) -> float:
    """Points the score would rise by with this criterion at `fraction` (as scoring's asks count)."""
    new = scoring.score_with(
        col.total, col.weight, col.weights[criterion_id], col.fractions.get(criterion_id), fraction
    )
    base = col.score if col.score is not None else 0.0
    return round(new - base, scoring.ROUND)


def _answer_state(cell: Cell) -> AnswerState:
    return AnswerState(
        status=cell.status,
        level=cell.level,
        label=cell.label,
        confidence=cell.confidence,
        rationale=cell.rationale,
        reason=cell.reason,
        evidence=list(cell.evidence),
    )


_K = TypeVar("_K")
_V = TypeVar("_V")


def _union(items: Iterable[tuple[_K, _V]]) -> dict[_K, _V]:
    found: dict[_K, _V] = {}
    for key, value in items:
        found.setdefault(key, value)
    return found


_SCORED = ("level", "unknown", "unanswered")
"""Cell statuses that count in the score: a package can fall short only on these."""


def _mark_best(rows: list[Row]) -> None:
    for row in rows:
        cells = row.cells
        fractions = [c.fraction for c in cells if c.fraction is not None]
        if len(cells) < 2 or not fractions:
            continue
        top = max(fractions)
        scored_cells = [c for c in cells if c.status in _SCORED]
        if all(c.fraction == top for c in scored_cells):
            continue
        for index, cell in enumerate(cells):
            if cell.fraction == top:
                cells[index] = replace(cell, best=True)  # a copy: the cell may be a column's own


def _rank(entries: list[Entry], columns: list[Column]) -> list[RankItem]:
    def key(index: int) -> tuple[int, float]:
        col = columns[index]
        return (col.band, col.score if col.score is not None else -1.0)

    order = sorted(range(len(entries)), key=lambda i: (-key(i)[0], -key(i)[1], i))
    ranking: list[RankItem] = []
    for place, index in enumerate(order):
        rank = place + 1
        if place and key(order[place - 1]) == key(index):
            rank = ranking[-1].rank
        entry = entries[index]
        entry.rank = rank
        ranking.append(
            RankItem(
                rank=rank,
                package=entry.key,
                name=entry.name,
                score=entry.score,
                verdict=entry.verdict,
                verdict_label=entry.verdict_label,
            )
        )
    return ranking


def _shortfalls(entries: list[Entry], columns: list[Column], rows: list[Row], best: int) -> None:
    """For each package, the criteria where it is below the best-ranked one (for the best package:
    below the best of the others on that criterion)."""
    others = [j for j in range(len(entries)) if j != best]
    # Every package but the best is held to the best one's level: what it has, row by row.
    marks = [_mark(row.cells, [best]) for row in rows]
    gate_scores: dict[int, dict[str, float]] = {}
    for index, entry in enumerate(entries):
        col = columns[index]
        criteria = col.identity.criteria
        gate_score = gate_scores.get(id(criteria))
        if gate_score is None:
            gate_score = gate_scores[id(criteria)] = {
                c.id: c.level(c.gate.level).score for c in criteria.criteria if c.gate is not None
            }
        found: list[Shortfall] = []
        for row, mark in zip(rows, marks, strict=True):
            cells = row.cells
            mine = cells[index]
            if mine.status not in _SCORED:
                continue
            if index == best:
                mark = _mark(cells, others)
            if mark is None:
                continue
            fraction, than = mark
            own = mine.fraction
            if own is not None and own >= fraction:
                continue
            cid = row.criterion
            lifts = mine.gate == "fires" and cid in gate_score and fraction >= gate_score[cid]
            found.append(
                Shortfall(
                    criterion=cid,
                    title=row.title,
                    has=level_text(mine),
                    than=entries[than].key,
                    than_name=entries[than].label,
                    than_has=level_text(cells[than]),
                    gain=_gain(col, cid, fraction),
                    lifts_gate=lifts,
                )
            )
        found.sort(key=lambda s: (-int(s.lifts_gate), -s.gain))
        entry.shortfalls = found


def _mark(cells: list[Cell], among: list[int]) -> tuple[float, int] | None:
    """The highest level score on a row among these packages, and whose it is (the first of equals);
    None when none of them has a level."""
    top: tuple[float, int] | None = None
    for j in among:
        fraction = cells[j].fraction
        if fraction is not None and (top is None or fraction > top[0]):
            top = (fraction, j)
    return top


def _direction(old: float | None, new: float | None) -> Literal["up", "down", "same"]:
    if old is None or new is None or old == new:
        return "same"
    return "up" if new > old else "down"


_GATE_EFFECT = {
    "fires": "now fires",
    "passes": "passes",
    "open": "undecided",
    "n/a": "no longer applies",
}


def _exact_units(col: Column) -> dict[str, float]:
    """Each answered criterion's exact share of the score, in hundredths of a point (unrounded)."""
    if not col.weight:
        return {}
    return {
        cid: round(10000.0 * col.weights[cid] * fraction / col.weight, 6)
        for cid, fraction in col.fractions.items()
    }


def _spread(moves: list[float], total: int, prefer: list[bool]) -> list[int]:
    """Whole hundredths, each within one of its exact move, adding up to `total`; the rounding
    residue goes to the rows in `prefer` (the answers that changed) before any other, so that a
    criterion whose answer and share are the same in both rounds never shows a change."""
    if not moves:
        return []
    floors = [math.floor(m) for m in moves]
    remainders = [m - f for m, f in zip(moves, floors, strict=True)]
    missing = total - sum(floors)
    result = list(floors)
    if missing >= 0:
        order = sorted(range(len(moves)), key=lambda i: (-remainders[i], not prefer[i], i))
        for step in range(missing):
            result[order[step % len(order)]] += 1
    else:
        order = sorted(range(len(moves)), key=lambda i: (remainders[i], not prefer[i], i))
        for step in range(-missing):
            result[order[step % len(order)]] -= 1
    return result


def _step(document: Document, columns: list[Column], a: int, b: int) -> Step:
    old, new = document.entries[a], document.entries[b]
    changes: list[Change] = []
    gates: list[GateChange] = []
    unchanged = 0
    # The change of each criterion is the change of its exact share, apportioned to hundredths so
    # that the changes add up to the change of the score: not the difference of the two reports'
    # rounded shares, whose rounding residue can land on a criterion that did not change.
    exact_old, exact_new = _exact_units(columns[a]), _exact_units(columns[b])
    parts: list[list[str]] = [_changed_parts(row.cells[a], row.cells[b]) for row in document.rows]
    moves = [
        exact_new.get(row.criterion, 0.0) - exact_old.get(row.criterion, 0.0)
        for row in document.rows
    ]
    total_units = hundredths(new.score) - hundredths(old.score)
    spread = _spread(moves, total_units, [bool(p) for p in parts])
    for row, changed, delta_units in zip(document.rows, parts, spread, strict=True):
        was, now = row.cells[a], row.cells[b]
        added = [e for e in now.evidence if e not in was.evidence]
        removed = [e for e in was.evidence if e not in now.evidence]
        if changed or delta_units:
            changes.append(
                Change(
                    criterion=row.criterion,
                    title=row.title,
                    pillar_title=row.pillar_title,
                    old=_answer_state(was),
                    new=_answer_state(now),
                    changed=changed,
                    direction=_direction(was.fraction, now.fraction),
                    evidence_added=added,
                    evidence_removed=removed,
                    old_contribution=was.contribution,
                    new_contribution=round(was.contribution + delta_units / 100, 2),
                    delta=delta_units / 100,
                    reweighted=not changed,
                )
            )
        else:
            unchanged += 1
        if row.gate_level is not None:
            before_gate, after_gate = was.gate or "n/a", now.gate or "n/a"
            if before_gate != after_gate:
                effect = _GATE_EFFECT[after_gate]
                if before_gate == "fires" and after_gate != "fires":
                    effect = "lifted"
                gates.append(
                    GateChange(
                        criterion=row.criterion,
                        title=row.title,
                        old=before_gate,
                        new=after_gate,
                        effect=effect,
                        cap_label=row.gate_cap_label or "",
                    )
                )
    pillars = [
        PillarDelta(
            pillar=p_old.pillar,
            title=p_old.title,
            old=p_old.score,
            new=p_new.score,
            delta=(
                round(p_new.score - p_old.score, scoring.ROUND)
                if p_old.score is not None and p_new.score is not None
                else None
            ),
        )
        for p_old, p_new in zip(old.pillars, new.pillars, strict=True)
    ]
    old_band, new_band = columns[a].band, columns[b].band
    shown = sum(round(c.delta * 100) for c in changes)
    if shown != total_units:  # pragma: no cover - apportioning guarantees it; a bug if not
        raise AssertionError(f"contributions add up to {shown}, score change is {total_units}")
    return Step(
        old=old.key,
        new=new.key,
        old_label=old.label,
        new_label=new.label,
        old_score=old.score,
        new_score=new.score,
        delta=total_units / 100,
        old_verdict=old.verdict,
        old_verdict_label=old.verdict_label,
        new_verdict=new.verdict,
        new_verdict_label=new.verdict_label,
        verdict_change="same"
        if old_band == new_band
        else ("up" if new_band > old_band else "down"),
        changes=changes,
        unchanged=unchanged,
        gates=gates,
        pillars=pillars,
    )


def _changed_parts(was: Cell, now: Cell) -> list[str]:
    """Which parts of an answer differ between two rounds: status, level, confidence, rationale,
    reason, evidence."""
    changed: list[str] = []
    for part in ("status", "level", "confidence", "rationale", "reason"):
        if part == "confidence" and not (was.status == now.status == "level"):
            continue  # a confidence only means something next to a chosen level
        before, after = getattr(was, part), getattr(now, part)
        if isinstance(before, str) and isinstance(after, str):
            before, after = before.strip(), after.strip()
        if before != after:
            changed.append(part)
    if was.evidence != now.evidence:
        changed.append("evidence")
    return changed


def _title(kind: Kind, entries: list[Entry]) -> str:
    if kind == "report":
        return f"Assessment: {entries[0].name}"
    if kind == "diff":
        return f"What changed: {entries[0].label} to {entries[1].label}"
    if kind == "rounds":
        return f"Negotiation rounds: {len(entries)} drafts"
    return f"Comparison of {len(entries)} guarantee packages"


def build(
    scored: Sequence[Scored],
    kind: Kind = "compare",
    *,
    allow_mixed: bool = False,
) -> Document:
    """The document for `kind` over already loaded reports (`assemble` of their columns).

    `compare`: criteria by package, pillars, verdicts, gates, ranking, shortfalls. `rounds`: the same
    table in the given order, the trajectory and each step's changes. `diff`: two reports, one step.
    `report`: one report with its asks and review trail. Raises `LoadError` naming the files when
    the reports were scored against different criteria or profiles, unless `allow_mixed`.
    """
    return assemble(
        [column(item, kind, package_key(index)) for index, item in enumerate(scored)],
        kind,
        allow_mixed=allow_mixed,
    )


def assemble(
    columns: Sequence[Column],
    kind: Kind = "compare",
    *,
    allow_mixed: bool = False,
) -> Document:
    """The document for `kind` from the reports' columns (made with `column` for the same kind)."""
    if not columns:
        raise LoadError("no reports to compare")
    if kind == "diff" and len(columns) != 2:
        raise LoadError("diff takes exactly two reports")
    if kind == "report" and len(columns) != 1:
        raise LoadError("report takes exactly one report")
    columns = list(columns)
    mixed = mixed_problems(columns)
    if mixed and not allow_mixed:
        raise LoadError(mixed)
    sets: dict[str, CriteriaSet] = _union(
        (col.identity.digest, col.identity.criteria) for col in columns
    )
    all_criteria = _union((c.id, (c, s)) for s in sets.values() for c in s.criteria)
    pillars = _union((p.id, p.title) for s in sets.values() for p in s.pillars)
    scenarios = _union((s.id, s.label) for c in sets.values() for s in c.scenarios)
    entries = [
        col.entry.model_copy(
            update={
                "key": package_key(index),
                "pillars": [
                    col.pillars.get(pid) or PillarScore(pillar=pid, title=title, in_set=False)
                    for pid, title in pillars.items()
                ],
                "scenarios": [_scenario(col, sid, label) for sid, label in scenarios.items()],
            }
        )
        for index, col in enumerate(columns)
    ]
    _distinct_labels(entries)
    rows: list[Row] = []
    for cid, (criterion, owner) in all_criteria.items():
        gate = criterion.gate
        cells = []
        for col, entry in zip(columns, entries, strict=True):
            own = col.cells.get(cid)
            key = entry.key
            if own is None:
                cells.append(Cell(status="absent", package=key))
            elif own.package == key:
                cells.append(own)  # made for this place; never changed here (see _mark_best)
            else:
                cells.append(replace(own, package=key))
        rows.append(
            Row(
                criterion=cid,
                title=criterion.title,
                pillar=criterion.pillar,
                pillar_title=pillars.get(criterion.pillar, criterion.pillar),
                gate_level=gate.level if gate else None,
                gate_cap=gate.cap if gate else None,
                gate_cap_label=owner.band(gate.cap).label if gate else None,
                cells=cells,
            )
        )
    _mark_best(rows)
    ranking: list[RankItem] = []
    if kind == "compare":
        ranking = _rank(entries, columns)
        if len(entries) > 1:
            best = next(i for i, e in enumerate(entries) if e.key == ranking[0].package)
            _shortfalls(entries, columns, rows, best)
    first = next(iter(sets.values()))
    document = Document(
        kind=kind,
        title=_title(kind, entries),
        mixed=bool(mixed),
        mixed_notes=mixed,
        criteria_sets=[
            SetInfo(id=s.id, version=s.version, digest=digest, title=s.title)
            for digest, s in sets.items()
        ],
        profiles=list(
            _union((col.identity.profile, None) for col in columns if col.identity.profile)
        ),
        bands=[
            BandInfo(id=b.id, label=b.label, meaning=b.meaning, min_score=b.min_score)
            for b in first.bands
        ],
        pillars=[PillarInfo(id=pid, title=title) for pid, title in pillars.items()],
        scenarios=[ScenarioInfo(id=sid, label=label) for sid, label in scenarios.items()],
        entries=entries,
        rows=rows,
        ranking=ranking,
    )
    if kind in ("rounds", "diff"):
        document.steps = [_step(document, columns, i, i + 1) for i in range(len(columns) - 1)]
        if len(columns) > 2:
            document.overall = _step(document, columns, 0, len(columns) - 1)
    return document


def _scenario(col: Column, scenario: str, label: str) -> ScenarioScore:
    """The column's score under a scenario of the document, labelled as the document labels it."""
    own = col.scenarios.get(scenario)
    if own is None:
        return ScenarioScore(scenario=scenario, label=label, in_set=False)
    return own if own.label == label else replace(own, label=label)


_ALSO: tuple[Callable[[Entry], str], ...] = (
    lambda entry: entry.round,
    lambda entry: entry.date,
    lambda entry: Path(entry.file).name,
    lambda entry: entry.key,
)
"""What tells two entries of the same label apart, tried in this order."""


def _distinct_labels(entries: list[Entry]) -> None:
    """Make column labels unique: two drafts named alike get their round, date or file added."""
    for also in _ALSO:
        counts: dict[str, int] = {}
        for entry in entries:
            counts[entry.label] = counts.get(entry.label, 0) + 1
        clashing = [e for e in entries if counts[e.label] > 1]
        if not clashing:
            return
        for entry in clashing:
            extra = also(entry)
            if extra and extra not in entry.label:
                entry.label = f"{entry.label} ({extra})"


def compare_files(
    paths: Sequence[Path], kind: Kind = "compare", *, allow_mixed: bool = False
) -> tuple[Document, list[str]]:
    """Load reports and build their document in one call (for the TUI); returns it and the notes."""
    scored, notes = load_many(paths)
    return build(scored, kind, allow_mixed=allow_mixed), notes
