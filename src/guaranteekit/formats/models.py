"""The file formats: criteria sets, profiles and assessment reports, as pydantic models.

These models are the only declaration of the formats. The JSON Schemas in `schemas/` are generated
from them (`guaranteekit schema`), the TOML reader validates against them and the writer dumps them.
Every model forbids unknown keys, so a typo in a hand-written file is an error rather than a silently
ignored value. Field types stay TOML-native (str, int, float, bool, datetime, StrEnum, lists, nested
models) and optional fields are omitted rather than written as null, since TOML has no null.

Cross-field rules that only need one file (levels in ascending order, unique ids, a gate naming a real
level and band) are checked here; rules that need two files (an answer naming a criterion of the set
it was scored against) are checked in `guaranteekit.formats.assessment` and `guaranteekit.verify.checks`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

CRITERIA_FORMAT = 1
PROFILE_FORMAT = 1
REPORT_FORMAT = 1

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=64),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class Strict(BaseModel):
    """Base for every format model: unknown keys are errors.

    Field docstrings are the documentation of the formats. They become JSON Schema descriptions in
    `guaranteekit.formats.schemas`, not here: pydantic's `use_attribute_docstrings` reads and parses this
    file's source at import, which would cost every command ~100 ms of start-up.
    """

    model_config = ConfigDict(extra="forbid")


def _duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dups: list[str] = []
    for value in values:
        if value in seen and value not in dups:
            dups.append(value)
        seen.add(value)
    return dups


# --------------------------------------------------------------------------------------------------
# Criteria sets
# --------------------------------------------------------------------------------------------------


class Source(Strict):
    """A paper the criteria cite."""

    id: Slug
    """Short name used in citations, e.g. `systemic-chaos`."""
    title: NonEmpty
    """Full title of the paper."""
    author: str = ""
    """Author or publishing institution."""
    year: int | None = None
    """Year of publication."""
    note: str = ""
    """What the paper covers, in a sentence or two."""


class Citation(Strict):
    """A passage of a source that a criterion rests on."""

    source: Slug
    """The `id` of a source of the criteria set."""
    section: NonEmpty
    """Section of the paper, e.g. `§5`."""
    point: str = ""
    """What the passage says, in our words (the papers are not ours to copy)."""

    def short(self) -> str:
        """`systemic-chaos §5`."""
        return f"{self.source} {self.section}"


class Pillar(Strict):
    """A group of criteria scored together (e.g. commitment, forces, legal form)."""

    id: Slug
    """Identifier used by criteria and in reports."""
    title: NonEmpty
    """Name shown to people."""
    description: str = ""
    """What the pillar measures."""


class VerdictBand(Strict):
    """A named band of the overall score: the verdict."""

    id: Slug
    """Identifier used by gates and in reports."""
    label: NonEmpty
    """Name a negotiator would use, e.g. `Declaratory`."""
    meaning: NonEmpty
    """One line: what a package in this band amounts to."""
    min_score: float = Field(ge=0.0, le=100.0)
    """Lowest overall score (0-100) in this band. Bands are listed from the lowest up."""


class Level(Strict):
    """One rubric level of a criterion, listed from the weakest up."""

    id: Slug
    """Identifier written in answers, e.g. `treaty`."""
    label: NonEmpty
    """Short name of the level."""
    description: NonEmpty
    """What the draft must say, concretely enough that two analysts pick the same level."""
    score: Fraction
    """Fraction of the criterion's weight this level earns, from 0 to 1, rising with the level."""


class Gate(Strict):
    """An indispensable condition: below `level`, the verdict cannot rise above `cap`."""

    level: Slug
    """Lowest level that passes the gate; any level below it fires the gate."""
    cap: Slug
    """The verdict band the verdict is capped at when the gate fires."""
    reason: str = ""
    """Why the papers treat this as indispensable."""


class Criterion(Strict):
    """One thing a guarantee package is judged on."""

    id: Slug
    """Identifier used in answers and profiles."""
    pillar: Slug
    """The `id` of the pillar it belongs to."""
    title: NonEmpty
    """Name shown to people, e.g. `Senate ratification`."""
    question: NonEmpty
    """The question an analyst answers from the draft."""
    why: NonEmpty
    """Why it matters, with reference to the cited passages."""
    citations: list[Citation] = Field(min_length=1)
    """Seed passages this criterion rests on."""
    guidance: str = ""
    """What evidence to look for in the draft, and the traps the papers point out."""
    weight: float = Field(gt=0.0)
    """Relative weight in the overall and pillar scores (positive)."""
    scenario_weights: dict[Slug, float] = Field(default_factory=dict)
    """Weight under each ceasefire scenario, by scenario id; missing scenarios use `weight`."""
    levels: list[Level] = Field(min_length=2)
    """Rubric levels, weakest first, with strictly rising scores."""
    gate: Gate | None = None
    """Optional gate: below a given level it caps the verdict."""

    @model_validator(mode="after")
    def _check_levels(self) -> Criterion:
        ids = [level.id for level in self.levels]
        if dups := _duplicates(ids):
            raise ValueError(f"duplicate level ids: {', '.join(dups)}")
        for lower, upper in zip(self.levels, self.levels[1:], strict=False):
            if upper.score <= lower.score:
                raise ValueError(
                    f"levels out of order: {upper.id!r} (score {upper.score}) must score higher than"
                    f" {lower.id!r} (score {lower.score}); list levels weakest first"
                )
        if self.levels[0].score != 0.0 or self.levels[-1].score != 1.0:
            raise ValueError(
                "the weakest level must score 0 and the strongest 1 (the scale is anchored so that"
                " scores from different criteria mean the same thing)"
            )
        if self.gate is not None and self.gate.level not in ids:
            raise ValueError(f"gate level {self.gate.level!r} is not a level of this criterion")
        if self.gate is not None and self.gate.level == ids[0]:
            raise ValueError("gate level is the lowest level, so the gate could never fire")
        for scenario, weight in self.scenario_weights.items():
            if weight < 0:
                raise ValueError(f"scenario weight for {scenario!r} must not be negative")
        return self

    def level_index(self, level_id: str) -> int:
        """Position of a level, 0 for the weakest; raises KeyError for an unknown id."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)

    def level(self, level_id: str) -> Level:
        """The level with this id; raises KeyError for an unknown id."""
        return self.levels[self.level_index(level_id)]


class Scenario(Strict):
    """A ceasefire scenario the package must hold up under (zhovtenko §1)."""

    id: Slug
    """Identifier used in `scenario_weights`."""
    label: NonEmpty
    """Name shown to people."""
    description: str = ""
    """What the scenario assumes."""


class CriteriaSet(Strict):
    """A versioned set of criteria with rubrics, pillars and verdict bands."""

    format_version: Literal[1]
    """Version of this file format; must be 1."""
    id: Slug
    """Identifier reports use to refer to the set."""
    version: NonEmpty
    """Version of the set's content; change it whenever a rubric or weight changes."""
    title: NonEmpty
    """Name shown to people."""
    description: str = ""
    """What the set is for."""
    weighting: str = ""
    """The reasoning behind the weights, written once for the whole set."""
    sources: list[Source] = Field(min_length=1)
    """The papers the criteria cite."""
    pillars: list[Pillar] = Field(min_length=1)
    """Groups of criteria."""
    bands: list[VerdictBand] = Field(min_length=1)
    """Verdict bands, lowest first; the first must start at 0."""
    scenarios: list[Scenario] = Field(default_factory=list)
    """Ceasefire scenarios for per-scenario scores."""
    criteria: list[Criterion] = Field(min_length=1)
    """The criteria, in the order an analyst walks them."""

    @model_validator(mode="after")
    def _check_references(self) -> CriteriaSet:
        problems: list[str] = []
        for what, ids in (
            ("criterion", [c.id for c in self.criteria]),
            ("pillar", [p.id for p in self.pillars]),
            ("band", [b.id for b in self.bands]),
            ("source", [s.id for s in self.sources]),
            ("scenario", [s.id for s in self.scenarios]),
        ):
            if dups := _duplicates(ids):
                problems.append(f"duplicate {what} ids: {', '.join(dups)}")
        if self.bands and self.bands[0].min_score != 0:
            problems.append("the first verdict band must start at min_score = 0")
        for lower, upper in zip(self.bands, self.bands[1:], strict=False):
            if upper.min_score <= lower.min_score:
                problems.append(
                    f"bands out of order: {upper.id!r} must start above {lower.id!r}; list bands"
                    " lowest first"
                )
        pillars = {p.id for p in self.pillars}
        bands = {b.id for b in self.bands}
        sources = {s.id for s in self.sources}
        scenarios = {s.id for s in self.scenarios}
        for criterion in self.criteria:
            if criterion.pillar not in pillars:
                problems.append(f"criterion {criterion.id!r}: unknown pillar {criterion.pillar!r}")
            if criterion.gate is not None and criterion.gate.cap not in bands:
                problems.append(f"criterion {criterion.id!r}: gate caps at unknown band")
            for citation in criterion.citations:
                if citation.source not in sources:
                    problems.append(
                        f"criterion {criterion.id!r}: cites unknown source {citation.source!r}"
                    )
            for scenario in criterion.scenario_weights:
                if scenario not in scenarios:
                    problems.append(
                        f"criterion {criterion.id!r}: weight for unknown scenario {scenario!r}"
                    )
        for pillar in self.pillars:
            if not any(c.pillar == pillar.id for c in self.criteria):
                problems.append(f"pillar {pillar.id!r} has no criteria")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; raises KeyError for an unknown id."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def band(self, band_id: str) -> VerdictBand:
        """The band with this id; raises KeyError for an unknown id."""
        for band in self.bands:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

    def band_index(self, band_id: str) -> int:
        """Position of a band, 0 for the lowest."""
        return [b.id for b in self.bands].index(band_id)

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar with this id; raises KeyError for an unknown id."""
        for pillar in self.pillars:
            if pillar.id == pillar_id:
                return pillar
        raise KeyError(pillar_id)


# --------------------------------------------------------------------------------------------------
# Profiles: tailoring a criteria set without editing it
# --------------------------------------------------------------------------------------------------


class DisabledCriterion(Strict):
    """A criterion a profile switches off."""

    criterion: Slug
    """The criterion's id."""
    reason: NonEmpty
    """Why it does not apply to this use of the set."""


class Profile(Strict):
    """Tailors the weights of a criteria set, and switches criteria off, without editing the set."""

    format_version: Literal[1]
    """Version of this file format; must be 1."""
    name: NonEmpty
    """Name recorded in reports scored with this profile."""
    criteria: Slug
    """The `id` of the criteria set this profile tailors."""
    description: str = ""
    """What the profile is for."""
    weights: dict[Slug, float] = Field(default_factory=dict)
    """New weights by criterion id (positive)."""
    disabled: list[DisabledCriterion] = Field(default_factory=list)
    """Criteria switched off, each with a reason."""

    @model_validator(mode="after")
    def _check(self) -> Profile:
        bad = [cid for cid, weight in self.weights.items() if weight <= 0]
        if bad:
            raise ValueError(
                f"weights must be positive (switch a criterion off with [[disabled]]): "
                f"{', '.join(bad)}"
            )
        if dups := _duplicates([d.criterion for d in self.disabled]):
            raise ValueError(f"criteria disabled twice: {', '.join(dups)}")
        return self


# --------------------------------------------------------------------------------------------------
# Assessment reports
# --------------------------------------------------------------------------------------------------


class AnswerStatus(StrEnum):
    """How a criterion was answered."""

    LEVEL = "level"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Confidence(StrEnum):
    """How sure the analyst is of the level chosen."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Package(Strict):
    """The guarantee package being assessed."""

    name: NonEmpty
    """Name of the package or draft, e.g. `US 28-point plan`."""
    date: str = ""
    """Date of the draft (ISO 8601, e.g. `2025-11-20`, or a month `2025-11`)."""
    round: str = ""
    """Negotiation round or draft label, for comparisons across rounds."""
    parties: list[str] = Field(default_factory=list)
    """Parties to the package."""
    guarantors: list[str] = Field(default_factory=list)
    """Guarantors named in the text (empty when none is named)."""
    source: str = ""
    """Where the text comes from (a reference or address)."""
    summary: str = ""
    """What the package offers, in a few sentences."""


class CriteriaRef(Strict):
    """Exactly which criteria set the report was scored against."""

    id: Slug
    """The criteria set's id."""
    version: NonEmpty
    """The criteria set's version."""
    digest: Digest | None = None
    """Content digest of the criteria set (`sha256:` of its canonical JSON form); filled in when
    the report is saved or `score --write` is run, so a hand-written report may leave it out."""


class ProfileRef(Strict):
    """The profile the report was scored with."""

    name: NonEmpty
    """The profile's name."""
    digest: Digest
    """Content digest of the profile."""
    path: str = ""
    """Where the profile file was, relative to the report when possible (a hint for `verify`)."""


class Answer(Strict):
    """The analyst's answer to one criterion."""

    criterion: Slug
    """The criterion's id."""
    status: AnswerStatus = AnswerStatus.LEVEL
    """`level`, `unknown` (the draft is silent or unclear) or `not_applicable`."""
    level: Slug | None = None
    """The chosen rubric level's id (only with status `level`)."""
    reason: str = ""
    """Why the criterion does not apply (required with status `not_applicable`)."""
    rationale: str = ""
    """Why this level: the analyst's reading of the draft."""
    evidence: list[str] = Field(default_factory=list)
    """Passages quoted from the draft that support the answer."""
    confidence: Confidence | None = None
    """How sure the analyst is; lower confidence widens the score range. Unset until the analyst
    chooses: an unset confidence counts as exact (as `high` does) in the score and the Monte Carlo
    run, and `verify` warns about it. Reports written before it could be unset say `high`."""

    @model_validator(mode="after")
    def _check_status(self) -> Answer:
        if self.status is AnswerStatus.LEVEL and self.level is None:
            raise ValueError("status 'level' needs a level")
        if self.status is not AnswerStatus.LEVEL and self.level is not None:
            raise ValueError(f"status {self.status.value!r} takes no level")
        if self.status is AnswerStatus.NOT_APPLICABLE and not self.reason.strip():
            raise ValueError("status 'not_applicable' needs a reason")
        return self

    @property
    def justified(self) -> bool:
        """Whether the answer says why: a rationale, or for not applicable its reason. The one rule
        `verify` and the terminal UI share, so what the UI saves `verify` accepts."""
        if self.rationale.strip():
            return True
        return self.status is AnswerStatus.NOT_APPLICABLE and bool(self.reason.strip())


class PillarResult(Strict):
    """Score of one pillar."""

    pillar: Slug
    """The pillar's id."""
    score: float | None = None
    """Weighted mean over the answered criteria of the pillar, 0-100; absent when none is."""
    low: float | None = None
    """Lowest score the pillar could have given unknowns and confidence; absent when no criterion
    of the pillar applies."""
    high: float | None = None
    """Highest score the pillar could have given unknowns and confidence; absent likewise."""


class CriterionResult(Strict):
    """How one criterion entered the score."""

    criterion: Slug
    """The criterion's id."""
    weight: float
    """Effective weight (after the profile); 0 when not applicable or switched off."""
    fraction: float | None = None
    """Score fraction of the chosen level; absent when unanswered, unknown or not applicable."""
    contribution: float
    """Points this criterion adds to the overall score (weight share times fraction, 0-100)."""


class Ask(Strict):
    """A change to demand: raise one criterion to a named level."""

    criterion: Slug
    """The criterion's id."""
    from_level: str
    """Current level id (or `unknown` / `unanswered`)."""
    to_level: Slug
    """Level to ask for."""
    text: NonEmpty
    """The rubric text of the level to ask for: what to demand."""
    gain: float
    """Points the overall score would rise by."""
    lifts_gate: bool = False
    """Whether this change lifts a gate that currently fires."""
    verdict_after: Slug
    """The verdict if this change alone were made."""


class ScenarioResult(Strict):
    """Score and verdict under one ceasefire scenario (criteria weighted for that scenario)."""

    scenario: Slug
    """The scenario's id."""
    score: float | None = None
    """Overall score under the scenario's weights; absent when nothing is answered."""
    low: float
    """Low end of the range under the scenario's weights."""
    high: float
    """High end of the range under the scenario's weights."""
    verdict: Slug
    """Verdict under the scenario's weights (gates apply as usual)."""


class Results(Strict):
    """Scores computed from the answers (recomputed and compared by `verify`)."""

    provisional: bool
    """True when any applicable criterion is unanswered or unknown."""
    score: float | None = None
    """Overall score 0-100 over the answered criteria; absent when none is answered."""
    low: float
    """Lowest possible score: unknowns at their lowest level, confidence widened down."""
    high: float
    """Highest possible score: unknowns at their highest level, confidence widened up."""
    verdict: Slug
    """Band of the score, lowered by any gate that fires."""
    verdict_low: Slug
    """Verdict at the low end of the range."""
    verdict_high: Slug
    """Verdict at the high end of the range."""
    uncapped_verdict: Slug
    """The band the score falls in before gates."""
    gates_fired: list[Slug] = Field(default_factory=list)
    """Criteria whose gate fires."""
    gates_open: list[Slug] = Field(default_factory=list)
    """Gated criteria not yet answered (or unknown) whose gate may fire."""
    unanswered: list[Slug] = Field(default_factory=list)
    """Applicable criteria with no answer."""
    unknown: list[Slug] = Field(default_factory=list)
    """Criteria answered `unknown`."""
    gaps: list[Slug] = Field(default_factory=list)
    """Answered criteria below their top level."""
    pillars: list[PillarResult] = Field(default_factory=list)
    """Per-pillar scores."""
    criteria: list[CriterionResult] = Field(default_factory=list)
    """Per-criterion contributions."""
    asks: list[Ask] = Field(default_factory=list)
    """Changes to demand, best first."""
    scenarios: list[ScenarioResult] = Field(default_factory=list)
    """Score and verdict per ceasefire scenario, when the criteria set defines scenarios."""


class Provenance(Strict):
    """Who assessed the package, when, and with what."""

    assessor: str = ""
    """Name of the person who assessed the package."""
    organisation: str = ""
    """Their organisation."""
    created: datetime | None = None
    """When the assessment was started (UTC)."""
    modified: datetime | None = None
    """When the answers last changed (UTC)."""
    tool: str = ""
    """Tool and version that computed the results, e.g. `guaranteekit 0.1.0`."""
    notes: str = ""
    """Anything a reader should know about how the assessment was made."""


class ReviewKind(StrEnum):
    """What a review entry records."""

    COMMENT = "comment"
    ACCEPT = "accept"
    DISPUTE = "dispute"
    REPLY = "reply"
    RESOLVE = "resolve"
    SIGNOFF = "signoff"


class SignoffDecision(StrEnum):
    """The outcome of a review."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class ReviewEntry(Strict):
    """One step of the review trail."""

    kind: ReviewKind
    """`comment`, `accept`, `dispute`, `reply`, `resolve` or `signoff`."""
    author: NonEmpty
    """Who wrote it."""
    at: datetime
    """When (UTC)."""
    criterion: Slug | None = None
    """The criterion the entry is about (absent for a sign-off or a general comment)."""
    text: str = ""
    """What was said."""
    decision: SignoffDecision | None = None
    """The sign-off decision (only with kind `signoff`)."""
    content_digest: Digest
    """Digest of the assessed content (package, criteria, profile, answers) the entry was made on."""
    answer_digest: Digest | None = None
    """Digest of the answer to `criterion` the entry was made on, so that only a change of that
    answer makes the entry stale (absent in trails written before it was recorded)."""

    @model_validator(mode="after")
    def _check(self) -> ReviewEntry:
        if self.kind is ReviewKind.SIGNOFF and self.decision is None:
            raise ValueError("a signoff needs a decision")
        if self.kind is not ReviewKind.SIGNOFF and self.decision is not None:
            raise ValueError(f"kind {self.kind.value!r} takes no decision")
        return self


class Signature(Strict):
    """An SSH signature (as `ssh-keygen -Y sign` makes it) over the report's content digest."""

    signer: NonEmpty
    """Principal the signature claims, as written in an allowed-signers file."""
    namespace: NonEmpty = "guaranteekit"
    """SSH signature namespace."""
    content_digest: Digest
    """The content digest that was signed."""
    at: datetime
    """When it was signed (UTC)."""
    signature: NonEmpty
    """The armored SSH signature."""


class Review(Strict):
    """The review trail."""

    entries: list[ReviewEntry] = Field(default_factory=list)
    """Comments, accepts, disputes, replies and sign-offs, oldest first."""
    signatures: list[Signature] = Field(default_factory=list)
    """SSH signatures over the content."""


class Report(Strict):
    """A scored assessment of one guarantee package."""

    format_version: Literal[1]
    """Version of this file format; must be 1."""
    digest: Digest | None = None
    """Digest of every other field of the report; detects any later hand edit."""
    package: Package
    """The package assessed."""
    criteria: CriteriaRef
    """The criteria set it was scored against."""
    profile: ProfileRef | None = None
    """The profile it was scored with, if any."""
    answers: list[Answer] = Field(default_factory=list)
    """One answer per criterion, in the criteria set's order."""
    results: Results | None = None
    """Scores computed from the answers."""
    provenance: Provenance = Field(default_factory=Provenance)
    """Who assessed it and when."""
    review: Review = Field(default_factory=Review)
    """The review trail."""

    @model_validator(mode="after")
    def _check_answers(self) -> Report:
        if dups := _duplicates([a.criterion for a in self.answers]):
            raise ValueError(f"criterion answered twice: {', '.join(dups)}")
        return self

    def answer(self, criterion_id: str) -> Answer | None:
        """The answer to a criterion, or None."""
        for answer in self.answers:
            if answer.criterion == criterion_id:
                return answer
        return None
