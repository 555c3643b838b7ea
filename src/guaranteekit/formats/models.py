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

import itertools
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
CRITERIA_FORMAT_2 = 2
"""Criteria-set format 2: silence and applicability rules, the price axis, multi-level gates,
scenarios a criterion operates in, demands and lenses (`docs/scoring.md`)."""
SILENCE_UNKNOWN = "unknown"
"""`when_silent` value for a criterion whose silence cannot be read either way."""
PROFILE_FORMAT = 1
REPORT_FORMAT: Literal[1] = 1

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

    # Numbers are finite: TOML can write inf and nan, and one of them makes every score NaN.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


MAX_WEIGHT = 1e6
"""The largest weight a criterion, scenario or profile may give: far above any real set's, and
small enough that sums of weights stay finite."""

Weight = Annotated[float, Field(le=MAX_WEIGHT)]


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
    """Fraction of the criterion's weight this level earns, from 0 to 1, rising with the level.
    For a price criterion: the share of the criterion's full cost, 0 for no cost."""
    demand: NonEmpty | None = None
    """Format 2: what a negotiator tables to reach this level, e.g. `A treaty ratified by the US
    Senate (Art. II §2, 67 votes)`. Asks print it instead of the rubric description."""
    ask: bool | None = None
    """Format 2: `false` when this level is never proposed as an ask target (a reading of silence,
    an unstated term); absent means it may be."""
    operates_in: list[Slug] | None = None
    """Format 2: the scenarios in which a criterion answered at this level operates; absent means
    all of them."""

    @property
    def askable(self) -> bool:
        """Whether an ask may propose this level."""
        return self.ask is not False


class Gate(Strict):
    """Format 1's gate: below `level`, the verdict cannot rise above `cap`."""

    level: Slug
    """Lowest level that passes the gate; any level below it fires the gate."""
    cap: Slug
    """The verdict band the verdict is capped at when the gate fires."""
    reason: str = ""
    """Why the papers treat this as indispensable."""


class LevelGate(Strict):
    """Format 2's gate: when the criterion's level is one of `fires_on`, the verdict is capped."""

    fires_on: list[Slug] = Field(min_length=1)
    """The levels that fire the gate (any levels, not only the lowest ones)."""
    cap: Slug
    """The verdict band the verdict is capped at when the gate fires."""
    acceptable: Slug
    """The lowest level an ask that lifts the gate may request; not one of `fires_on`."""
    reason: str = ""
    """Why the papers treat this as indispensable."""


class LensGate(Strict):
    """A gate a lens or a profile adds: a `LevelGate` that names its criterion."""

    criterion: Slug
    """The criterion the gate is on."""
    fires_on: list[Slug] = Field(min_length=1)
    """The levels that fire the gate."""
    cap: Slug
    """The verdict band the verdict is capped at when the gate fires."""
    acceptable: Slug
    """The lowest level an ask that lifts the gate may request; not one of `fires_on`."""
    reason: str = ""
    """Why the lens treats this as indispensable."""

    def as_level_gate(self) -> LevelGate:
        """The gate without its criterion, as criteria carry theirs."""
        return LevelGate(
            fires_on=self.fires_on, cap=self.cap, acceptable=self.acceptable, reason=self.reason
        )


class Axis(StrEnum):
    """What a criterion measures: credibility (more is better) or price (more is worse)."""

    CREDIBILITY = "credibility"
    PRICE = "price"


class NotApplicableRule(Strict):
    """Format 2: whether, and when, a criterion may be answered `not_applicable`."""

    allowed: bool
    """Whether `not_applicable` is ever a valid answer."""
    when: str = ""
    """When it is (required when `allowed`), e.g. `only when the package has no ceasefire in scope`."""

    @model_validator(mode="after")
    def _check(self) -> NotApplicableRule:
        if self.allowed and not self.when.strip():
            raise ValueError("not_applicable: `when` must say when it is allowed")
        return self


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
    weight: float = Field(gt=0.0, le=MAX_WEIGHT)
    """Relative weight in the overall and pillar scores (positive, at most a million)."""
    scenario_weights: dict[Slug, Weight] = Field(default_factory=dict)
    """Weight under each ceasefire scenario, by scenario id; missing scenarios use `weight`."""
    levels: list[Level] = Field(min_length=2)
    """Rubric levels, weakest first, with strictly rising scores."""
    gate: Gate | None = None
    """Format 1 only: an optional gate, below a given level it caps the verdict."""
    axis: Axis | None = None
    """Format 2: `credibility` (absent means credibility) or `price`: a term that takes from the
    protected state. Price criteria never add to the credibility score; they form the price result."""
    when_silent: Slug | None = None
    """Format 2 (required): what the draft's silence on this criterion means, a level id or
    `unknown` where silence truly cannot be read either way."""
    not_applicable: NotApplicableRule | None = None
    """Format 2 (required): whether and when the criterion may be answered `not_applicable`."""
    operates_in: list[Slug] | None = None
    """Format 2: the scenarios in which the criterion operates at all; absent means every one."""
    follows: Slug | None = None
    """Format 2: a criterion whose chosen level's scenarios also limit this one's."""
    look_for: list[NonEmpty] | None = None
    """Words and phrases an analyst looks for in the draft (e.g. `Article 5`, `ratif`, `veto`),
    matched without regard to case; the draft pane lists the passages holding them first."""
    gates: list[LevelGate] | None = None
    """Format 2: gates, each firing on one or more levels; replaces format 1's `gate`."""

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
        if self.when_silent not in (None, SILENCE_UNKNOWN, *ids):
            raise ValueError(
                f"when_silent {self.when_silent!r} is neither a level of this criterion nor"
                f" {SILENCE_UNKNOWN!r}"
            )
        for index, gate in enumerate(self.gates or []):
            problems = check_gate(gate, ids)
            if problems:
                raise ValueError(f"gates[{index}]: {'; '.join(problems)}")
            if not self.level(gate.acceptable).askable:
                raise ValueError(
                    f"gates[{index}]: acceptable level {gate.acceptable!r} has ask = false"
                )
        return self

    @property
    def is_price(self) -> bool:
        """Whether the criterion is on the price axis."""
        return self.axis is Axis.PRICE

    def silence_level(self) -> str | None:
        """The level silence means (format 2), or None where it is `unknown` or not stated."""
        if self.when_silent is None or self.when_silent == SILENCE_UNKNOWN:
            return None
        return self.when_silent

    def level_gates(self) -> list[LevelGate]:
        """The criterion's gates in format 2's shape (format 1's single gate converted)."""
        if self.gates is not None:
            return self.gates
        if self.gate is None:
            return []
        passes = self.level_index(self.gate.level)
        return [
            LevelGate.model_construct(
                fires_on=[level.id for level in self.levels[:passes]],
                cap=self.gate.cap,
                acceptable=self.gate.level,
                reason=self.gate.reason,
            )
        ]

    def level_index(self, level_id: str) -> int:
        """Position of a level, 0 for the weakest; raises KeyError for an unknown id."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)

    def level(self, level_id: str) -> Level:
        """The level with this id; raises KeyError for an unknown id."""
        return self.levels[self.level_index(level_id)]


def check_gate(gate: LevelGate | LensGate, level_ids: list[str]) -> list[str]:
    """Problems of a format-2 gate against its criterion's level ids."""
    problems: list[str] = []
    for level_id in gate.fires_on:
        if level_id not in level_ids:
            problems.append(f"fires_on: {level_id!r} is not a level of the criterion")
    if dups := _duplicates(gate.fires_on):
        problems.append(f"fires_on names {', '.join(dups)} twice")
    if gate.acceptable not in level_ids:
        problems.append(f"acceptable: {gate.acceptable!r} is not a level of the criterion")
    elif gate.acceptable in gate.fires_on:
        problems.append(f"acceptable: {gate.acceptable!r} is one of the levels that fire the gate")
    return problems


class Lens(Strict):
    """Format 2: one paper's view where the papers disagree: weights and gates over the set's."""

    id: Slug
    """Identifier used in results."""
    label: NonEmpty
    """Name shown to people."""
    description: str = ""
    """What the lens assumes."""
    citations: list[Citation] = Field(default_factory=list)
    """The passages the lens rests on."""
    weights: dict[Slug, float] = Field(default_factory=dict)
    """Weight overrides by criterion id (positive), as in a profile."""
    drop_gates: list[Slug] = Field(default_factory=list)
    """Criteria whose set gates the lens removes."""
    gates: list[LensGate] = Field(default_factory=list)
    """Gates the lens adds."""


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

    format_version: Literal[1, 2]
    """Version of this file format: 1, or 2 for the rules of `docs/scoring.md` "Format 2"."""
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
    price_bands: list[VerdictBand] | None = None
    """Format 2: bands of the price axis, cheapest first; the first must start at 0."""
    lenses: list[Lens] | None = None
    """Format 2: the papers' views where they disagree, each giving a verdict beside the headline."""

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
        if self.format_version == CRITERIA_FORMAT_2:
            problems += _format2_problems(self)
        else:
            problems += _format1_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def is_format2(self) -> bool:
        """Whether the set follows format 2's rules."""
        return self.format_version == CRITERIA_FORMAT_2

    def lens(self, lens_id: str) -> Lens:
        """The lens with this id; raises KeyError for an unknown id."""
        for lens in self.lenses or []:
            if lens.id == lens_id:
                return lens
        raise KeyError(lens_id)

    def price_band(self, band_id: str) -> VerdictBand:
        """The price band with this id; raises KeyError for an unknown id."""
        for band in self.price_bands or []:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

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


_FORMAT2_CRITERION_FIELDS = (
    "axis",
    "when_silent",
    "not_applicable",
    "operates_in",
    "follows",
    "gates",
)
"""Criterion fields only format 2 has. `look_for` is not one: it only guides the reading of the
draft, and a set of either format may carry it."""


def _format1_problems(criteria: CriteriaSet) -> list[str]:
    """Format 2's fields in a format-1 set are mistakes: they would be silently ignored."""
    problems: list[str] = []
    for what in ("price_bands", "lenses"):
        if getattr(criteria, what) is not None:
            problems.append(f"{what} needs format_version = 2")
    for criterion in criteria.criteria:
        for name in _FORMAT2_CRITERION_FIELDS:
            if getattr(criterion, name) is not None:
                problems.append(f"criterion {criterion.id!r}: {name} needs format_version = 2")
        for level in criterion.levels:
            for name in ("demand", "ask", "operates_in"):
                if getattr(level, name) is not None:
                    problems.append(
                        f"criterion {criterion.id!r}: level {level.id!r}: {name} needs"
                        " format_version = 2"
                    )
    return problems


def _bands_problems(what: str, bands: list[VerdictBand]) -> list[str]:
    problems: list[str] = []
    if dups := _duplicates([b.id for b in bands]):
        problems.append(f"duplicate {what} ids: {', '.join(dups)}")
    if bands and bands[0].min_score != 0:
        problems.append(f"the first of {what} must start at min_score = 0")
    for lower, upper in itertools.pairwise(bands):
        if upper.min_score <= lower.min_score:
            problems.append(f"{what} out of order: {upper.id!r} must start above {lower.id!r}")
    return problems


def _format2_problems(criteria: CriteriaSet) -> list[str]:
    """Format 2's rules that need the whole set: required fields, references, axes, lenses."""
    problems: list[str] = []
    bands = {b.id for b in criteria.bands}
    scenarios = {s.id for s in criteria.scenarios}
    by_id = {c.id: c for c in criteria.criteria}
    pillar_axes: dict[str, set[Axis]] = {}
    for criterion in criteria.criteria:
        name = f"criterion {criterion.id!r}"
        pillar_axes.setdefault(criterion.pillar, set()).add(criterion.axis or Axis.CREDIBILITY)
        if criterion.gate is not None:
            problems.append(f"{name}: format 2 takes [[criteria.gates]], not gate")
        if criterion.when_silent is None:
            problems.append(
                f"{name}: when_silent is required in format 2 (a level id or 'unknown')"
            )
        if criterion.not_applicable is None:
            problems.append(
                f"{name}: not_applicable is required in format 2 ({{ allowed = false }} or"
                ' { allowed = true, when = "..." })'
            )
        if SILENCE_UNKNOWN in {level.id for level in criterion.levels}:
            problems.append(f"{name}: a level may not be called {SILENCE_UNKNOWN!r} in format 2")
        for gate in criterion.gates or []:
            if gate.cap not in bands:
                problems.append(f"{name}: gate caps at unknown band {gate.cap!r}")
        places = [("operates_in", criterion.operates_in)] + [
            (f"level {level.id!r} operates_in", level.operates_in) for level in criterion.levels
        ]
        for where, listed in places:
            if listed is None:
                continue
            if not listed:
                problems.append(f"{name}: {where} is empty (leave it out to mean every scenario)")
            for scenario in listed:
                if scenario not in scenarios:
                    problems.append(f"{name}: {where} names unknown scenario {scenario!r}")
        if criterion.follows is not None:
            if criterion.follows not in by_id:
                problems.append(f"{name}: follows unknown criterion {criterion.follows!r}")
            else:
                seen = [criterion.id]
                step: str | None = criterion.follows
                while step is not None and step in by_id:
                    if step in seen:
                        problems.append(
                            f"{name}: follows goes round in a circle: {' -> '.join([*seen, step])}"
                        )
                        break
                    seen.append(step)
                    step = by_id[step].follows
    for pillar, axes in pillar_axes.items():
        if len(axes) > 1:
            problems.append(f"pillar {pillar!r} mixes credibility and price criteria")
    has_price = any(c.is_price for c in criteria.criteria)
    if has_price and not criteria.price_bands:
        problems.append("price criteria need [[price_bands]]")
    problems += _bands_problems("price_bands", criteria.price_bands or [])
    lenses = criteria.lenses or []
    if dups := _duplicates([lens.id for lens in lenses]):
        problems.append(f"duplicate lens ids: {', '.join(dups)}")
    sources = {s.id for s in criteria.sources}
    for lens in lenses:
        name = f"lens {lens.id!r}"
        for citation in lens.citations:
            if citation.source not in sources:
                problems.append(f"{name}: cites unknown source {citation.source!r}")
        problems += [
            f"{name}: {p}"
            for p in gate_changes_problems(criteria, lens.weights, lens.drop_gates, lens.gates)
        ]
    return problems


def gate_changes_problems(
    criteria: CriteriaSet,
    weights: dict[str, float],
    drop_gates: list[str],
    gates: list[LensGate],
) -> list[str]:
    """Problems of a lens's (or a profile's) weights and gates against the set."""
    problems: list[str] = []
    by_id = {c.id: c for c in criteria.criteria}
    bands = {b.id for b in criteria.bands}
    for cid, weight in weights.items():
        if cid not in by_id:
            problems.append(f"weights.{cid}: unknown criterion {cid!r}")
        elif not (0 < weight < float("inf")):
            problems.append(f"weights.{cid}: must be a positive, finite number")
    for index, cid in enumerate(drop_gates):
        if cid not in by_id:
            problems.append(f"drop_gates[{index}]: unknown criterion {cid!r}")
        elif not by_id[cid].level_gates():
            problems.append(f"drop_gates[{index}]: criterion {cid!r} has no gate to drop")
    for index, gate in enumerate(gates):
        criterion = by_id.get(gate.criterion)
        if criterion is None:
            problems.append(f"gates[{index}].criterion: unknown criterion {gate.criterion!r}")
            continue
        for problem in check_gate(gate, [level.id for level in criterion.levels]):
            problems.append(f"gates[{index}] ({gate.criterion}): {problem}")
        if gate.cap not in bands:
            problems.append(f"gates[{index}] ({gate.criterion}): cap: unknown band {gate.cap!r}")
    return problems


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
    weights: dict[Slug, Weight] = Field(default_factory=dict)
    """New weights by criterion id (positive, at most a million)."""
    disabled: list[DisabledCriterion] = Field(default_factory=list)
    """Criteria switched off, each with a reason."""
    gates: list[LensGate] | None = None
    """Gates the profile adds (format-2 sets only): a user's own lens on the headline."""
    drop_gates: list[Slug] | None = None
    """Criteria whose set gates the profile removes (format-2 sets only)."""

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


class QuoteStatus(StrEnum):
    """Where a quote stands in the draft the report is attached to."""

    EXACT = "exact"
    MOVED = "moved"
    CHANGED = "changed"
    MISSING = "missing"


class Quote(Strict):
    """A passage of the attached draft quoted as evidence, anchored to its place in the text."""

    unit: NonEmpty
    """Label of the draft's unit the quote starts in, as the draft numbers it (`Point 5`, `Art. 3`,
    `§2`, `1.`, `¶4`); for a missing quote, the unit it was in."""
    start: int | None = Field(default=None, ge=0)
    """Offset of the quote's first character in the draft's extracted text; absent when missing."""
    end: int | None = Field(default=None, ge=0)
    """Offset just past the quote's last character; absent when missing."""
    text: NonEmpty
    """The quoted text, exactly as it stands in the extracted text between `start` and `end` (for
    a missing quote, the wording it had)."""
    digest: Digest
    """`sha256:` of the quoted text (UTF-8), so a quote edited by hand shows."""
    status: QuoteStatus = QuoteStatus.EXACT
    """`exact` (where it was quoted), `moved` (unchanged, in another unit), `changed` (found with
    new wording) or `missing` (not found in this round's draft)."""
    similarity: float | None = Field(default=None, ge=0.0, le=1.0)
    """How close the new wording is to the previous one, 0-1 (only with status `changed`)."""
    previous_unit: str | None = None
    """The unit it was in, in the previous round (with status `moved` or `changed`)."""
    previous_text: str | None = None
    """Its wording in the previous round (only with status `changed`)."""

    @model_validator(mode="after")
    def _check_span(self) -> Quote:
        anchored = self.start is not None and self.end is not None
        if self.status is QuoteStatus.MISSING:
            if self.start is not None or self.end is not None:
                raise ValueError("a missing quote has no start or end")
        elif not anchored:
            raise ValueError(f"a quote with status {self.status.value!r} needs a start and an end")
        elif self.end <= self.start:  # type: ignore[operator]
            raise ValueError("a quote's end must come after its start")
        if self.status is QuoteStatus.CHANGED and self.similarity is None:
            raise ValueError("a changed quote needs its similarity")
        return self


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
    silent: bool | None = None
    """`true` when the analyst applied the criterion's silence rule (format 2): the draft says
    nothing on it, so the answer is its `when_silent` level (or `unknown`)."""
    quotes: list[Quote] | None = None
    """Passages of the attached draft quoted as evidence, each anchored to its unit and span
    (`evidence` holds typed quotes, which are not anchored)."""
    recheck: str | None = None
    """Why the answer must be read again against this round's draft (a quote changed or vanished
    when the answers were carried over); absent once the assessor confirms or changes it."""

    @model_validator(mode="after")
    def _check_status(self) -> Answer:
        if self.silent and self.status is AnswerStatus.NOT_APPLICABLE:
            raise ValueError("a silent answer is a level or unknown, not 'not_applicable'")
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
    """Score fraction of the chosen level; absent when unanswered, unknown or not applicable
    (format 2: the counted level's, so present for unknown and unanswered criteria too)."""
    contribution: float
    """Points this criterion adds to the overall score (weight share times fraction, 0-100); for
    a price criterion, to the price score."""
    counted_level: Slug | None = None
    """Format 2: the level the headline counts (for an unknown or unanswered criterion, its
    silence level; its lowest, for price its costliest, where silence is `unknown`)."""


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
    demand: str | None = None
    """Format 2: the target level's `demand`, what a negotiator tables (absent when the set gives
    none; `text` is then the rubric description)."""
    price_drop: float | None = None
    """Format 2, price criteria: points the price score would fall by."""


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
    price: float | None = None
    """Format 2: the price score under the scenario (terms that do not operate there cost nothing)."""


class PriceResult(Strict):
    """Format 2: what the package costs the protected state, from the price criteria (0-100)."""

    score: float
    """Weighted mean cost over the applicable price criteria, unknowns at their silence level."""
    low: float
    """Cheapest it could be: open criteria at no cost, answers widened by confidence."""
    high: float
    """Costliest it could be: open criteria at full cost, answers widened by confidence."""
    band: Slug
    """Price band of the score."""
    band_low: Slug
    """Price band of `low`."""
    band_high: Slug
    """Price band of `high`."""


class LensResult(Strict):
    """Format 2: the headline computed under one lens of the set."""

    lens: Slug
    """The lens's id."""
    score: float | None = None
    """Credibility score under the lens's weights; absent when no credibility criterion applies."""
    low: float
    """Low end of the range under the lens."""
    high: float
    """High end of the range under the lens."""
    verdict: Slug
    """Verdict under the lens's weights and gates."""
    verdict_low: Slug
    """Verdict at the low end of the range under the lens."""
    verdict_high: Slug
    """Verdict at the high end of the range under the lens."""
    gates_fired: list[Slug] = Field(default_factory=list)
    """Criteria whose gate fires under the lens."""
    price: float | None = None
    """Price score under the lens's weights; absent when the set has no price criterion."""


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
    price: PriceResult | None = None
    """Format 2: the price result, when the set has price criteria that apply."""
    lenses: list[LensResult] | None = None
    """Format 2: the headline under each lens of the set, in the set's order."""


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


class PositionStatus(StrEnum):
    """How one assessor answered a disputed criterion: an answer's status, or no answer."""

    LEVEL = "level"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


class AssessorPosition(Strict):
    """One assessor's answer to a criterion the assessors disagree on (kept by `merge`)."""

    assessor: NonEmpty
    """Who gave this answer (the assessor's name, or the file it came from)."""
    status: PositionStatus
    """`level`, `unknown`, `not_applicable`, or `unanswered` when the assessor gave no answer."""
    level: Slug | None = None
    """The chosen rubric level's id (only with status `level`)."""
    reason: str = ""
    """Why the criterion does not apply (with status `not_applicable`)."""
    confidence: Confidence | None = None
    """How sure the assessor was of the level (only with status `level`)."""
    rationale: str = ""
    """The assessor's rationale, as written."""
    evidence: list[str] = Field(default_factory=list)
    """The passages the assessor quoted."""

    @model_validator(mode="after")
    def _check_status(self) -> AssessorPosition:
        if (self.status is PositionStatus.LEVEL) != (self.level is not None):
            raise ValueError("a position has a level exactly when its status is 'level'")
        return self


class Adjudication(Strict):
    """The answer an adjudicator settled a disagreement on (on the `resolve` entry)."""

    status: AnswerStatus
    """The answer's status: `level`, `unknown` or `not_applicable`."""
    level: Slug | None = None
    """The chosen rubric level's id (only with status `level`)."""
    reason: str = ""
    """Why the criterion does not apply (with status `not_applicable`)."""
    confidence: Confidence = Confidence.HIGH
    """The confidence the answer carries after the adjudication."""
    follows: list[NonEmpty] = Field(default_factory=list)
    """The assessors whose position this is; empty when the adjudicator chose another answer."""

    @model_validator(mode="after")
    def _check_status(self) -> Adjudication:
        if (self.status is AnswerStatus.LEVEL) != (self.level is not None):
            raise ValueError("an adjudication has a level exactly when its status is 'level'")
        return self


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
    positions: list[AssessorPosition] | None = None
    """On a dispute opened by `merge`: each assessor's answer, side by side (absent otherwise)."""
    adjudication: Adjudication | None = None
    """On the `resolve` of such a dispute: the answer the adjudicator chose (absent otherwise)."""
    answer_digest: Digest | None = None
    """Digest of the answer to `criterion` the entry was made on, so that only a change of that
    answer makes the entry stale (absent in trails written before it was recorded)."""

    @model_validator(mode="after")
    def _check(self) -> ReviewEntry:
        if self.kind is ReviewKind.SIGNOFF and self.decision is None:
            raise ValueError("a signoff needs a decision")
        if self.kind is not ReviewKind.SIGNOFF and self.decision is not None:
            raise ValueError(f"kind {self.kind.value!r} takes no decision")
        if self.positions is not None and self.kind is not ReviewKind.DISPUTE:
            raise ValueError(f"kind {self.kind.value!r} takes no positions (only a dispute does)")
        if self.adjudication is not None and self.kind is not ReviewKind.RESOLVE:
            raise ValueError(
                f"kind {self.kind.value!r} takes no adjudication (only a resolve does)"
            )
        return self


class Signature(Strict):
    """An SSH signature (as `ssh-keygen -Y sign` makes it) over the report's content digest and
    its review trail up to the signature (`trail_digest`)."""

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
    trail_digest: Digest | None = None
    """Digest of the provenance (but the tool) and of the first `entries` review entries, signed
    with the content digest, so that neither can change, nor a sign-off be slipped in among the
    entries, without the signature failing. Absent in signatures made before guaranteekit signed
    the trail: those cover the content only."""
    entries: int | None = Field(default=None, ge=0)
    """How many review entries, from the first, the signature covers (with `trail_digest`)."""


class Review(Strict):
    """The review trail."""

    entries: list[ReviewEntry] = Field(default_factory=list)
    """Comments, accepts, disputes, replies and sign-offs, oldest first."""
    signatures: list[Signature] = Field(default_factory=list)
    """SSH signatures over the content."""


class DraftFormat(StrEnum):
    """The kind of file a draft was read from."""

    TXT = "txt"
    MD = "md"
    PDF = "pdf"
    DOCX = "docx"


class DraftUnit(Strict):
    """One citable unit of the draft: a numbered point, article or paragraph."""

    label: NonEmpty
    """The unit as the draft numbers it: `Point 5`, `Art. 3`, `Art. 3(2)`, `§2`, `1.`, else `¶4`
    for the fourth paragraph; unique within the draft."""
    start: int = Field(ge=0)
    """Offset of its first character in the extracted text."""
    end: int = Field(ge=0)
    """Offset just past its last character."""
    page: int | None = Field(default=None, ge=1)
    """The page it starts on (PDF drafts only)."""


class Draft(Strict):
    """The draft the package was assessed from: the file, its citable units, and its text."""

    file: NonEmpty
    """The file's name when it was attached (the name only, not where it was)."""
    format: DraftFormat
    """`txt`, `md`, `pdf` or `docx`."""
    digest: Digest
    """`sha256:` of the file's bytes, to tell whether a file at hand is the one assessed."""
    text_digest: Digest
    """`sha256:` of the extracted text (UTF-8): the text quotes are anchored in."""
    pages: int | None = Field(default=None, ge=1)
    """Number of pages (PDF drafts only)."""
    units: list[DraftUnit] = Field(default_factory=list)
    """The citable units, in the order of the text."""
    text: str | None = None
    """The extracted text, kept in the report so that every quote can be read in its context."""
    text_file: str | None = None
    """Instead of `text`: a file beside the report holding the extracted text (path relative to
    the report)."""

    @model_validator(mode="after")
    def _check_text(self) -> Draft:
        if (self.text is None) == (self.text_file is None):
            raise ValueError("a draft keeps its text in one of `text` and `text_file`, not both")
        return self


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
    draft: Draft | None = None
    """The draft the answers quote from, when one is attached."""

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
