"""The comparison document: the pydantic models that every output format renders.

Every format (Markdown, HTML, TOML, JSON) renders the one `Document`, so the numbers agree across
formats; `guaranteekit.documents.build` makes it from loaded reports. A document read back from TOML
or JSON is checked against these models (unknown keys are errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from guaranteekit import __version__
from guaranteekit.documents.agreement import PackageAgreement
from guaranteekit.documents.decision import DecisionSupport

DOCUMENT_FORMAT = 2
"""Version of the comparison document's shape (TOML/JSON output); bump it when the shape changes."""

TOOL = f"guaranteekit {__version__}"

Kind = Literal["compare", "rounds", "diff", "report"]
"""What a document shows: packages side by side, successive rounds, two rounds, or one report."""

CellStatus = Literal["level", "unknown", "not_applicable", "unanswered", "disabled", "absent"]
"""How a criterion stands in one report: a level chosen, `unknown`, `not_applicable`, no answer,
switched off by the profile (`disabled`), or not in the report's criteria set (`absent`)."""
GateStatus = Literal["fires", "passes", "open"]

METHOD = (
    "A criterion's contribution is its share of the score, 100 x weight x level score / total weight"
    " of the answered criteria. Contributions are rounded to hundredths by the largest-remainder"
    " method so that they add up exactly to the score. A change between rounds is the change of the"
    " criterion's exact share, rounded by the same method so that the changes add up exactly to the"
    " change of the score; points after are points before plus the change, and a criterion whose"
    " answer and share did not change is not listed. When an answer moves into or out of the"
    " answered set (unknown, not applicable, unanswered), the total weight changes and the shares"
    " of the other criteria move with it: those rows are marked re-weighted."
)


class Model(BaseModel):
    """Base of the document models: unknown keys are errors, so a document read back is checked."""

    model_config = ConfigDict(extra="forbid")


PART = ConfigDict(extra="forbid")
"""The parts a document holds by the thousand (cells, shortfalls, pillar and scenario scores, gate
notes) are dataclasses with slots: lighter than models and quick to make. Pydantic validates them
(unknown keys refused too, by this config) when a document is read back and serializes them as the
models; made in code, they are checked by the type checker instead."""


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


@dataclass(slots=True)
class PillarScore:
    """One pillar's score in one report."""

    __pydantic_config__: ClassVar[ConfigDict] = PART

    pillar: str
    title: str
    score: float | None = None
    low: float | None = None
    high: float | None = None
    in_set: bool = True
    """False when the report's criteria set has no such pillar (mixed comparisons only)."""


@dataclass(slots=True)
class ScenarioScore:
    """Score and verdict of one report under one ceasefire scenario."""

    __pydantic_config__: ClassVar[ConfigDict] = PART

    scenario: str
    label: str
    score: float | None = None
    low: float | None = None
    high: float | None = None
    verdict: str = ""
    verdict_label: str = ""
    in_set: bool = True
    price: float | None = None
    """Format-2 sets: the price score under the scenario."""


@dataclass(slots=True)
class Cell:
    """How one criterion stands in one report: a cell of the criteria-by-package table."""

    __pydantic_config__: ClassVar[ConfigDict] = PART

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
    evidence: list[str] = field(default_factory=list)


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


@dataclass(slots=True)
class GateNote:
    """A gate that fires, or is open, in one report."""

    __pydantic_config__: ClassVar[ConfigDict] = PART

    criterion: str
    title: str
    state: GateStatus
    level: str
    """The gate's level: below it the gate fires."""
    level_label: str
    cap: str
    cap_label: str
    reason: str = ""


@dataclass(slots=True)
class Shortfall:
    """A criterion on which a package is below the package it is compared with."""

    __pydantic_config__: ClassVar[ConfigDict] = PART

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
    from_label: str = ""
    """The current level's label, or `unknown` / `unanswered`: what a reader sees, not an id."""
    to_level: str
    to_label: str
    text: str
    gain: float
    lifts_gate: bool = False
    verdict_after: str
    verdict_after_label: str
    demand: str | None = None
    """Format-2 sets: what a negotiator tables (the target level's `demand`)."""
    price_drop: float | None = None
    """Format-2 sets, price criteria: points the price score would fall by."""


class PlanChange(Model):
    """One change of a planned ask: a criterion raised (or answered) at a named level."""

    criterion: str
    title: str
    from_label: str
    """The current level's label, or `unknown` / `unanswered`."""
    to_label: str
    text: str
    """What to demand: the rubric text of the level asked for."""
    lifts_gate: bool = False


class Plan(Model):
    """The fewest changes that lift a package's verdict to a target band (`scoring.plans`)."""

    target: Literal["next", "top"]
    band: str
    band_label: str
    reachable: bool
    reason: str = ""
    """Why no change is needed, or why the band cannot be reached; empty otherwise."""
    changes: list[PlanChange] = Field(default_factory=list)
    score_after: float | None = None
    verdict_after_label: str = ""


class WithinPositions(Model):
    """The verdict reachable within the parties' red lines (`scoring.positions`), beside the drafted one."""

    parties: list[str]
    satisfiable: bool
    reason: str = ""
    """Why no package satisfies all positions; empty otherwise."""
    band_label: str = ""
    """The strongest verdict reachable without crossing a red line."""
    changes: int = 0
    """The fewest changes to get there."""
    blocked: list[str] = Field(default_factory=list)
    """Per higher band, one line: the band and the smallest set of red lines standing in its way."""


class Robustness(Model):
    """How a verdict holds when the weights and the answers' confidence vary (Monte Carlo), in words
    and in figures."""

    words: str
    """`holds in 7 of 10 plausible weightings; otherwise Thin`."""
    probability: float
    """Share of the draws that give the verdict."""
    otherwise: str = ""
    """The label of the verdict the other draws most often give."""
    fragile: bool = False
    reasons: list[str] = Field(default_factory=list)


class Price(Model):
    """What a package costs the protected state (`results.price`, 0 cheapest to 100), when the
    criteria set scores a price."""

    score: float
    low: float
    high: float
    band: str = ""
    band_label: str = ""


class Unverified(Model):
    """A report that fails `guaranteekit verify`, used anyway (`--allow-unverified`)."""

    file: str
    name: str
    problems: list[str] = Field(default_factory=list)
    """verify's errors, one line each."""


class Reference(Model):
    """A worked example scored with the same criteria: a point to read a score against."""

    name: str
    score: float
    verdict_label: str


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
    verified: bool = True
    """False for a report that fails `verify`, used with `--allow-unverified`."""
    price: Price | None = None
    robustness: Robustness | None = None
    """Absent when decision support did not run (`--draws 0`)."""
    plans: list[Plan] = Field(default_factory=list)
    """Planned asks: to the next band, and (report) to the top band."""
    references: list[Reference] = Field(default_factory=list)
    """The worked examples just below and just above the score (report only)."""
    within: WithinPositions | None = None
    """The verdict reachable within the parties' positions (`--positions`); absent without them."""


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
    """old_contribution + delta (the new report's own rounded share may differ by 0.01)."""
    delta: float
    """The change of the exact share, apportioned: the deltas of a step add up to its score change."""
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


class QuoteChange(Model):
    """One quote of the old round, found again (or not) in the new round's draft (`diff`)."""

    criterion: str
    title: str
    """The criterion's title."""
    status: Literal["exact", "moved", "changed", "missing"]
    state: str
    """The status in words, with the units: `moved (Point 6 → Point 5)`."""
    before: str
    """The wording quoted in the old round."""
    after: str
    """The wording in the new round; empty when it is unchanged or gone."""
    unit: str = ""
    previous_unit: str = ""
    similarity: float | None = None
    """For `changed`: how alike the old and new wording are (0-1)."""


class QuoteChanges(Model):
    """Every quote of the old round followed into the new round's draft (`diff`)."""

    old_file: str
    new_file: str
    draft_file: str
    rows: list[QuoteChange]


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
    generated: str = ""
    """The day the document was made (`SOURCE_DATE_EPOCH` when set, for reproducible output)."""
    marking: str = ""
    """A protective marking printed on every page (`--marking "OFFICIAL-SENSITIVE"`)."""
    unverified: list[Unverified] = Field(default_factory=list)
    """Reports that fail `verify`, used with `--allow-unverified`; marked on every page."""
    incomplete: list[Unverified] = Field(default_factory=list)
    """Drafts that fail `verify` only for criteria not yet answered or explained: used, and said."""
    rests_on: str = ""
    """What the numbers rest on, in one sentence: criteria version, lens, verification."""
    uncertainty: str = ""
    """What the robustness figures include and leave out, in plain words."""
    notes: list[str] = Field(default_factory=list)
    decision_support: DecisionSupport = Field(default_factory=DecisionSupport)
    """Fragility flags and probabilities (`cli.analysis_text.compare_extras`); empty without a run."""
    agreement: PackageAgreement | None = None
    """Several assessments of one package grouped, with their analysts' agreement
    (`compare --group-by package`); absent otherwise."""
    quotes: QuoteChanges | None = None
    """`diff` of two rounds whose reports quote their drafts: each quote's old and new wording;
    absent otherwise."""

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


STATUS_TEXT = {
    "unknown": "unknown",
    "not_applicable": "not applicable",
    "unanswered": "unanswered",
    "disabled": "switched off",
    "absent": "not in set",
}
"""What a cell whose status is not `level` shows in place of a level label."""


def level_text(cell: Cell | AnswerState) -> str:
    """What a cell (or one side of a changed answer) shows for its level: the label, or
    `unknown`, `not applicable`, ... Used by shortfalls, the TUI table and the templates."""
    if cell.status == "level":
        return cell.label or ""
    return STATUS_TEXT[cell.status]
