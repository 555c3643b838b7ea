"""Comparison data: packages side by side, successive rounds of one draft, and what changed.

Every output format (Markdown, HTML, TOML, JSON) renders the one `Document` built here, so the numbers
agree across formats. Scores are recomputed with `scoring.compute_data` from each report's answers
(stored results are not trusted), so they equal what `guaranteekit score` prints.

A document is built in two steps. `guaranteekit.documents.columns.column` turns one loaded report into plain
data (its entry, its cells, the numbers for ranking and shortfalls), independently of the others, so
`load_columns` can make the columns in several processes. `assemble` lines the columns up, ranks, finds shortfalls and
steps, and validates the whole `Document` once. `build` is both steps over loaded reports.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from guaranteekit import __version__
from guaranteekit.documents.columns import (
    Column,
    Kind,
    column,
    hundredths,
    load_many,
    mixed_problems,
    package_key,
)
from guaranteekit.errors import LoadError
from guaranteekit.formats.assessment import Scored
from guaranteekit.formats.models import CriteriaSet
from guaranteekit.scoring import core as scoring

DOCUMENT_FORMAT = 1
"""Version of the comparison document's shape (TOML/JSON output); bump it when the shape changes."""

TOOL = f"guaranteekit {__version__}"

CellStatus = Literal["level", "unknown", "not_applicable", "unanswered", "disabled", "absent"]
"""How a criterion stands in one report: a level chosen, `unknown`, `not_applicable`, no answer,
switched off by the profile (`disabled`), or not in the report's criteria set (`absent`)."""
GateStatus = Literal["fires", "passes", "open"]

METHOD = (
    "A criterion's contribution is its share of the score, 100 x weight x level score / total weight"
    " of the answered criteria. Contributions are rounded to hundredths by the largest-remainder"
    " method so that they add up exactly to the score; a change between rounds is the difference of"
    " the two contributions, so the changes add up exactly to the change of the score. When an answer"
    " moves into or out of the answered set (unknown, not applicable, unanswered), the total weight"
    " changes and the shares of the other criteria move with it: those rows are marked re-weighted."
)


class Model(BaseModel):
    """Base of the document models: unknown keys are errors, so a document read back is checked."""

    model_config = ConfigDict(extra="forbid")


part = pydantic_dataclass(slots=True, config=ConfigDict(extra="forbid"))
"""The parts a document holds by the thousand (cells, shortfalls, pillar and scenario scores, gate
notes) are pydantic dataclasses with slots: validated and serialized as the models are, unknown
keys refused too, in a third of the memory (a comparison of 1,000 reports: 98 MB rather than 160 MB
at its peak, 0.05-0.1 s less to build)."""


class SetInfo(Model):
    """A criteria set the reports were scored against."""

    id: str
    version: str
    digest: str
    title: str = ""


class BandInfo(Model):
    """A verdict band (of the first criteria set)."""

    id: str
    label: str
    meaning: str
    min_score: float


class PillarInfo(Model):
    """A pillar of the criteria."""

    id: str
    title: str


class ScenarioInfo(Model):
    """A ceasefire scenario of the criteria."""

    id: str
    label: str


@part
class PillarScore:
    """One pillar's score in one report."""

    pillar: str
    title: str
    score: float | None = None
    low: float | None = None
    high: float | None = None
    in_set: bool = True
    """False when the report's criteria set has no such pillar (mixed comparisons only)."""


@part
class ScenarioScore:
    """Score and verdict of one report under one ceasefire scenario."""

    scenario: str
    label: str
    score: float | None = None
    low: float | None = None
    high: float | None = None
    verdict: str = ""
    verdict_label: str = ""
    in_set: bool = True


@part
class Cell:
    """How one criterion stands in one report: a cell of the criteria-by-package table."""

    package: str
    """Key of the entry (`p1`, `p2`, ...)."""
    status: CellStatus
    level: str | None = None
    label: str | None = None
    position: int | None = None
    """1-based position of the level in the rubric (weakest is 1)."""
    levels: int | None = None
    """Number of levels in the rubric."""
    fraction: float | None = None
    weight: float = 0.0
    contribution: float = 0.0
    """Points this criterion adds to the score (largest-remainder rounded; they add up)."""
    confidence: str | None = None
    gate: GateStatus | None = None
    best: bool = False
    """The highest level score on this row, when the packages differ on it."""
    rationale: str = ""
    reason: str = ""
    evidence: list[str] = Field(default_factory=list)


class Row(Model):
    """A criterion: a row of the criteria-by-package table."""

    criterion: str
    title: str
    pillar: str
    pillar_title: str
    gate_level: str | None = None
    gate_cap: str | None = None
    gate_cap_label: str | None = None
    cells: list[Cell]
    """One cell per entry, in the order of `Document.entries`."""


@part
class GateNote:
    """A gate that fires, or is open, in one report."""

    criterion: str
    title: str
    state: GateStatus
    level: str
    """The gate's level: below it the gate fires."""
    level_label: str
    cap: str
    cap_label: str
    reason: str = ""


@part
class Shortfall:
    """A criterion on which a package is below the package it is compared with."""

    criterion: str
    title: str
    has: str
    """What this package has: the level's label, or `unknown` / `unanswered`."""
    than: str
    """Key of the package it falls short of."""
    than_name: str
    than_has: str
    gain: float
    """Points this package's score would rise by, matching the other's level on this criterion."""
    lifts_gate: bool = False


class AskItem(Model):
    """A change to demand (from `scoring.compute`), with labels for people."""

    criterion: str
    title: str
    from_level: str
    to_level: str
    to_label: str
    text: str
    gain: float
    lifts_gate: bool = False
    verdict_after: str
    verdict_after_label: str


class ReviewItem(Model):
    """One entry of a report's review trail."""

    kind: str
    author: str
    at: str
    criterion: str | None = None
    text: str = ""
    decision: str | None = None


class Entry(Model):
    """One report in the document: package, scores, verdict, gates, and where it falls short."""

    key: str
    file: str
    label: str
    """Short name for column heads: the package name, or in rounds the round (else date, name)."""
    name: str
    date: str = ""
    round: str = ""
    parties: list[str] = Field(default_factory=list)
    guarantors: list[str] = Field(default_factory=list)
    source: str = ""
    summary: str = ""
    criteria: SetInfo
    profile: str | None = None
    score: float | None = None
    low: float
    high: float
    provisional: bool
    verdict: str
    verdict_label: str
    verdict_meaning: str = ""
    verdict_low: str
    verdict_low_label: str
    verdict_high: str
    verdict_high_label: str
    uncapped_verdict: str
    uncapped_verdict_label: str
    capped: bool
    """True when a gate lowers the verdict below the band of the score."""
    gates: list[GateNote] = Field(default_factory=list)
    """Gates that fire, then gates that are open."""
    gates_fired: list[str] = Field(default_factory=list)
    gates_open: list[str] = Field(default_factory=list)
    unanswered: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    pillars: list[PillarScore] = Field(default_factory=list)
    """In the order of `Document.pillars`."""
    scenarios: list[ScenarioScore] = Field(default_factory=list)
    """In the order of `Document.scenarios`."""
    rank: int | None = None
    shortfalls: list[Shortfall] = Field(default_factory=list)
    asks: list[AskItem] = Field(default_factory=list)
    assessor: str = ""
    organisation: str = ""
    created: str = ""
    modified: str = ""
    notes: str = ""
    digest: str | None = None
    review: list[ReviewItem] = Field(default_factory=list)


class RankItem(Model):
    """A place in the ranking."""

    rank: int
    package: str
    name: str
    score: float | None = None
    verdict: str
    verdict_label: str


class AnswerState(Model):
    """One side of a changed answer."""

    status: CellStatus
    level: str | None = None
    label: str | None = None
    confidence: str | None = None
    rationale: str = ""
    reason: str = ""
    evidence: list[str] = Field(default_factory=list)


class Change(Model):
    """One criterion between two rounds: what changed in the answer and in the score."""

    criterion: str
    title: str
    pillar_title: str
    old: AnswerState
    new: AnswerState
    changed: list[str] = Field(default_factory=list)
    """Which parts of the answer changed: status, level, confidence, rationale, reason, evidence."""
    direction: Literal["up", "down", "same"] = "same"
    """Whether the level score rose or fell."""
    evidence_added: list[str] = Field(default_factory=list)
    evidence_removed: list[str] = Field(default_factory=list)
    old_contribution: float
    new_contribution: float
    delta: float
    """new_contribution - old_contribution; the deltas of a step add up to its score change."""
    reweighted: bool = False
    """The answer did not change, but its share moved because the total weight did."""


class GateChange(Model):
    """A gate whose state changed between two rounds."""

    criterion: str
    title: str
    old: str
    """`fires`, `passes`, `open`, or `n/a` (not applicable, switched off or not in the set)."""
    new: str
    effect: str
    """`now fires`, `lifted`, `passes`, `undecided` or `no longer applies`."""
    cap_label: str = ""


class PillarDelta(Model):
    """One pillar's score in two rounds."""

    pillar: str
    title: str
    old: float | None = None
    new: float | None = None
    delta: float | None = None


class Step(Model):
    """What changed from one report (round) to the next."""

    old: str
    new: str
    old_label: str
    new_label: str
    old_score: float | None = None
    new_score: float | None = None
    delta: float
    """Change of the score (an absent score counts as 0); equals the sum of the changes' deltas."""
    old_verdict: str
    old_verdict_label: str
    new_verdict: str
    new_verdict_label: str
    verdict_change: Literal["up", "down", "same"]
    changes: list[Change] = Field(default_factory=list)
    """Every criterion whose answer or contribution changed, in the criteria order."""
    unchanged: int = 0
    """Criteria with the same answer and the same contribution."""
    gates: list[GateChange] = Field(default_factory=list)
    pillars: list[PillarDelta] = Field(default_factory=list)


class Document(Model):
    """Everything a comparison, diff or report document shows; every format renders this."""

    format_version: int = DOCUMENT_FORMAT
    kind: Kind
    title: str
    tool: str = TOOL
    mixed: bool = False
    """True when the reports were scored against different criteria or profiles (--allow-mixed)."""
    mixed_notes: list[str] = Field(default_factory=list)
    criteria_sets: list[SetInfo] = Field(default_factory=list)
    profiles: list[str] = Field(default_factory=list)
    bands: list[BandInfo] = Field(default_factory=list)
    pillars: list[PillarInfo] = Field(default_factory=list)
    scenarios: list[ScenarioInfo] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    ranking: list[RankItem] = Field(default_factory=list)
    """Best first (compare only): verdict, then score; equal verdict and score share a rank."""
    steps: list[Step] = Field(default_factory=list)
    """Round to round (rounds and diff)."""
    overall: Step | None = None
    """First round to last, when there are more than two rounds."""
    method: str = METHOD
    notes: list[str] = Field(default_factory=list)
    decision_support: dict[str, Any] = Field(default_factory=dict)
    """Fragility flags and probabilities from `cli.analysis_text.compare_extras`."""

    def entry(self, key: str) -> Entry:
        """The entry with this key (`p1`, ...); raises KeyError for an unknown key."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise KeyError(key)

    def ranked_entries(self) -> list[Entry]:
        """The entries best first when ranked, else in the order given."""
        if not self.ranking:
            return list(self.entries)
        by_key = {entry.key: entry for entry in self.entries}
        return [by_key[item.package] for item in self.ranking]


def _gain(col: Column, criterion_id: str, fraction: float) -> float:
    """Points the score would rise by with this criterion at `fraction` (as scoring's asks count)."""
    w = col.weights[criterion_id]
    if criterion_id in col.fractions:
        total = col.total - w * col.fractions[criterion_id] + w * fraction
        weight = col.weight
    else:
        total = col.total + w * fraction
        weight = col.weight + w
    new = round(100.0 * total / weight, scoring.ROUND)
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


# --------------------------------------------------------------------------------------------------
# Assembling the document from the columns
# --------------------------------------------------------------------------------------------------


def _union(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in items:
        found.setdefault(key, value)
    return found


_STATUS_TEXT = {
    "unknown": "unknown",
    "not_applicable": "not applicable",
    "unanswered": "unanswered",
    "disabled": "switched off",
    "absent": "not in set",
}


def level_text(cell: Cell | AnswerState) -> str:
    """What a cell (or one side of a changed answer) shows for its level: the label, or
    `unknown`, `not applicable`, ... Used by shortfalls, the TUI table and the templates."""
    if cell.status == "level":
        return cell.label or ""
    return _STATUS_TEXT[cell.status]


def _cell_text(cell: dict[str, Any]) -> str:
    """`level_text` of a cell still in plain data."""
    if cell["status"] == "level":
        return cell.get("label") or ""
    return _STATUS_TEXT[cell["status"]]


_SCORED = ("level", "unknown", "unanswered")
"""Cell statuses that count in the score: a package can fall short only on these."""


def _mark_best(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        cells = row["cells"]
        fractions = [c["fraction"] for c in cells if c.get("fraction") is not None]
        if len(cells) < 2 or not fractions:
            continue
        top = max(fractions)
        scored_cells = [c for c in cells if c["status"] in _SCORED]
        if all(c.get("fraction") == top for c in scored_cells):
            continue
        for index, cell in enumerate(cells):
            if cell.get("fraction") == top:
                cells[index] = dict(cell, best=True)  # a copy: the cell may be a column's own


def _rank(entries: list[dict[str, Any]], columns: list[Column]) -> list[dict[str, Any]]:
    def key(index: int) -> tuple[int, float]:
        col = columns[index]
        return (col.band, col.score if col.score is not None else -1.0)

    order = sorted(range(len(entries)), key=lambda i: (-key(i)[0], -key(i)[1], i))
    ranking: list[dict[str, Any]] = []
    for place, index in enumerate(order):
        rank = place + 1
        if place and key(order[place - 1]) == key(index):
            rank = ranking[-1]["rank"]
        entry = entries[index]
        entry["rank"] = rank
        ranking.append(
            {
                "rank": rank,
                "package": entry["key"],
                "name": entry["name"],
                "score": entry["score"],
                "verdict": entry["verdict"],
                "verdict_label": entry["verdict_label"],
            }
        )
    return ranking


def _shortfalls(
    entries: list[dict[str, Any]], columns: list[Column], rows: list[dict[str, Any]], best: int
) -> None:
    """For each package, the criteria where it is below the best-ranked one (for the best package:
    below the best of the others on that criterion)."""
    others = [j for j in range(len(entries)) if j != best]
    # Every package but the best is held to the best one's level: what it has, row by row.
    marks = [_mark(row["cells"], [best]) for row in rows]
    gate_scores: dict[int, dict[str, float]] = {}
    for index, entry in enumerate(entries):
        col = columns[index]
        criteria = col.identity.criteria
        gate_score = gate_scores.get(id(criteria))
        if gate_score is None:
            gate_score = gate_scores[id(criteria)] = {
                c.id: c.level(c.gate.level).score for c in criteria.criteria if c.gate is not None
            }
        found: list[dict[str, Any]] = []
        for row, mark in zip(rows, marks, strict=True):
            cells = row["cells"]
            mine = cells[index]
            if mine["status"] not in _SCORED:
                continue
            if index == best:
                mark = _mark(cells, others)
            if mark is None:
                continue
            fraction, than = mark
            own = mine.get("fraction")
            if own is not None and own >= fraction:
                continue
            cid = row["criterion"]
            lifts = mine["gate"] == "fires" and cid in gate_score and fraction >= gate_score[cid]
            found.append(
                {
                    "criterion": cid,
                    "title": row["title"],
                    "has": _cell_text(mine),
                    "than": entries[than]["key"],
                    "than_name": entries[than]["label"],
                    "than_has": _cell_text(cells[than]),
                    "gain": _gain(col, cid, fraction),
                    "lifts_gate": lifts,
                }
            )
        found.sort(key=lambda s: (-int(s["lifts_gate"]), -s["gain"]))
        entry["shortfalls"] = found


def _mark(cells: list[dict[str, Any]], among: list[int]) -> tuple[float, int] | None:
    """The highest level score on a row among these packages, and whose it is (the first of equals);
    None when none of them has a level."""
    top: tuple[float, int] | None = None
    for j in among:
        fraction = cells[j].get("fraction")
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


def _step(document: Document, columns: list[Column], a: int, b: int) -> Step:
    old, new = document.entries[a], document.entries[b]
    changes: list[Change] = []
    gates: list[GateChange] = []
    unchanged = 0
    for row in document.rows:
        was, now = row.cells[a], row.cells[b]
        changed: list[str] = []
        for part in ("status", "level", "confidence", "rationale", "reason"):
            if part == "confidence" and not (was.status == now.status == "level"):
                continue  # a confidence only means something next to a chosen level
            before, after = getattr(was, part), getattr(now, part)
            if isinstance(before, str) and isinstance(after, str):
                before, after = before.strip(), after.strip()
            if before != after:
                changed.append(part)
        added = [e for e in now.evidence if e not in was.evidence]
        removed = [e for e in was.evidence if e not in now.evidence]
        if added or removed or was.evidence != now.evidence:
            changed.append("evidence")
        delta_units = round(now.contribution * 100) - round(was.contribution * 100)
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
                    new_contribution=now.contribution,
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
    total_units = hundredths(new.score) - hundredths(old.score)
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


def _title(kind: Kind, entries: list[dict[str, Any]]) -> str:
    if kind == "report":
        return f"Assessment: {entries[0]['name']}"
    if kind == "diff":
        return f"What changed: {entries[0]['label']} to {entries[1]['label']}"
    if kind == "rounds":
        return f"Negotiation rounds: {len(entries)} drafts"
    return f"Comparison of {len(entries)} guarantee packages"


def build(
    scored: Sequence[Scored],
    kind: Kind = "compare",
    *,
    allow_mixed: bool = False,
    decision_support: Mapping[str, Any] | None = None,
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
        decision_support=decision_support,
    )


def assemble(
    columns: Sequence[Column],
    kind: Kind = "compare",
    *,
    allow_mixed: bool = False,
    decision_support: Mapping[str, Any] | None = None,
) -> Document:
    """The document for `kind` from the reports' columns (made with `column` for the same kind).

    Everything is put together as plain data and validated once, as a whole (one pass in
    pydantic's core rather than a model constructor per cell).
    """
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
    entries: list[dict[str, Any]] = []
    for index, col in enumerate(columns):
        entry = dict(col.entry, key=package_key(index))
        own_pillars, own_scenarios = entry["pillars"], entry["scenarios"]
        entry["pillars"] = [
            own_pillars.get(pid) or {"pillar": pid, "title": title, "in_set": False}
            for pid, title in pillars.items()
        ]
        entry["scenarios"] = [
            dict(own_scenarios[sid], label=label)
            if sid in own_scenarios
            else {"scenario": sid, "label": label, "in_set": False}
            for sid, label in scenarios.items()
        ]
        entries.append(entry)
    _distinct_labels(entries)
    rows: list[dict[str, Any]] = []
    for cid, (criterion, owner) in all_criteria.items():
        gate = criterion.gate
        cells = []
        for col, entry in zip(columns, entries, strict=True):
            own = col.cells.get(cid)
            key = entry["key"]
            if own is None:
                cells.append({"status": "absent", "package": key})
            elif own.get("package") == key:
                cells.append(own)  # made for this place; never changed here (see _mark_best)
            else:
                cells.append(dict(own, package=key))
        rows.append(
            {
                "criterion": cid,
                "title": criterion.title,
                "pillar": criterion.pillar,
                "pillar_title": pillars.get(criterion.pillar, criterion.pillar),
                "gate_level": gate.level if gate else None,
                "gate_cap": gate.cap if gate else None,
                "gate_cap_label": owner.band(gate.cap).label if gate else None,
                "cells": cells,
            }
        )
    _mark_best(rows)
    ranking: list[dict[str, Any]] = []
    if kind == "compare":
        ranking = _rank(entries, columns)
        if len(entries) > 1:
            best = next(i for i, e in enumerate(entries) if e["key"] == ranking[0]["package"])
            _shortfalls(entries, columns, rows, best)
    first = next(iter(sets.values()))
    document = Document.model_validate(
        {
            "kind": kind,
            "title": _title(kind, entries),
            "mixed": bool(mixed),
            "mixed_notes": mixed,
            "criteria_sets": [
                {"id": s.id, "version": s.version, "digest": digest, "title": s.title}
                for digest, s in sets.items()
            ],
            "profiles": list(
                _union((col.identity.profile, None) for col in columns if col.identity.profile)
            ),
            "bands": [
                {"id": b.id, "label": b.label, "meaning": b.meaning, "min_score": b.min_score}
                for b in first.bands
            ],
            "pillars": [{"id": pid, "title": title} for pid, title in pillars.items()],
            "scenarios": [{"id": sid, "label": label} for sid, label in scenarios.items()],
            "entries": entries,
            "rows": rows,
            "ranking": ranking,
            "decision_support": clean_data(dict(decision_support or {})),
        }
    )
    if kind in ("rounds", "diff"):
        document.steps = [_step(document, columns, i, i + 1) for i in range(len(columns) - 1)]
        if len(columns) > 2:
            document.overall = _step(document, columns, 0, len(columns) - 1)
    return document


def _distinct_labels(entries: list[dict[str, Any]]) -> None:
    """Make column labels unique: two drafts named alike get their round, date or file added."""
    for attempt in ("round", "date", "file", "key"):
        counts: dict[str, int] = {}
        for entry in entries:
            counts[entry["label"]] = counts.get(entry["label"], 0) + 1
        clashing = [e for e in entries if counts[e["label"]] > 1]
        if not clashing:
            return
        for entry in clashing:
            extra = entry[attempt]
            if attempt == "file":
                extra = Path(extra).name
            if extra and extra not in entry["label"]:
                entry["label"] = f"{entry['label']} ({extra})"


def clean_data(value: Any) -> Any:
    """Plain data TOML can hold: None dropped (from dicts and lists), tuples as lists, keys as str."""
    if isinstance(value, Mapping):
        return {str(k): clean_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_data(v) for v in value if v is not None]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, BaseModel):
        return clean_data(value.model_dump(mode="json", exclude_none=True))
    return str(value)


# --------------------------------------------------------------------------------------------------
# For the TUI's compare view
# --------------------------------------------------------------------------------------------------


def cell_text(cell: Cell) -> str:
    """A cell as one short line: `Named 2/3 · 33.33`, `unknown`, `not applicable`, ..."""
    if cell.status == "level":
        return f"{cell.label} {cell.position}/{cell.levels} · {cell.contribution:.2f}"
    return level_text(cell)


@dataclass(frozen=True, slots=True)
class Table:
    """The criteria-by-package table as plain text (not markup): header, rows, then summary rows."""

    header: list[str]
    rows: list[list[str]]
    summary: list[list[str]]


def table(document: Document) -> Table:
    """Plain-text cells for a table widget: one row per criterion, one column per package.

    Cells hold text from files; a UI must show them as data (`rich.text.Text(cell)`), never markup.
    """
    header = ["Criterion", *(e.label for e in document.entries)]
    rows = []
    for row in document.rows:
        title = row.title + (" (gate)" if row.gate_level else "")
        cells = []
        for cell in row.cells:
            text = cell_text(cell)
            if cell.gate == "fires":
                text += " · gate fires"
            if cell.best:
                text += " · best"
            cells.append(text)
        rows.append([title, *cells])
    summary = [
        ["Score", *("n/a" if e.score is None else f"{e.score:.2f}" for e in document.entries)],
        ["Verdict", *(e.verdict_label for e in document.entries)],
    ]
    for index, pillar in enumerate(document.pillars):
        summary.append(
            [
                pillar.title,
                *(
                    "n/a" if e.pillars[index].score is None else f"{e.pillars[index].score:.2f}"
                    for e in document.entries
                ),
            ]
        )
    if document.ranking:
        summary.append(["Rank", *(str(e.rank) for e in document.entries)])
    return Table(header=header, rows=rows, summary=summary)


def compare_files(
    paths: Sequence[Path], kind: Kind = "compare", *, allow_mixed: bool = False
) -> tuple[Document, list[str]]:
    """Load reports and build their document in one call (for the TUI); returns it and the notes."""
    scored, notes = load_many(paths)
    return build(scored, kind, allow_mixed=allow_mixed), notes
