"""How far independent assessments of one package agree: Krippendorff's alpha and every difference.

`docs/agreement.md` is the specification; this module implements it. In short:

- The units are the criteria; the coders are the analysts. An analyst's value for a criterion is
  the answer as a whole: the chosen level's position on its rubric (0 for the weakest, 1 for the
  strongest, so the ends of every rubric coincide), or one of the statuses `not_applicable`,
  `unknown` and `unanswered`. A criterion missing from an analyst's criteria set, or switched off by
  their profile, is a missing value (only possible with `--allow-mixed`).
- The headline alpha uses one distance over those values: between two levels, Krippendorff's ordinal
  distance divided by the widest ordinal distance among the levels in the data; between a status and
  anything else, 1 (nominal). On levels alone it is therefore exactly ordinal alpha (alpha does not
  change when every distance is scaled), on statuses alone exactly nominal alpha, and a status
  disagreement (unknown against a level) counts as much as the widest level disagreement.
- Beside it: ordinal alpha over the levels alone (statuses as missing values) and nominal alpha over
  the kind of answer alone (level, not applicable, unknown, unanswered), so a reader sees which of
  the two the disagreement is about.
- Alpha per pillar takes the pillar's criteria as the units. Alpha per criterion needs several units
  of that one criterion (several packages), which one package does not give: per criterion this
  module gives the share of analyst pairs whose answers are identical and the gap in levels.

The arithmetic of alpha is the `krippendorff` package's (checked in the tests against Krippendorff's
own worked example); this module chooses the values and the distance and reads the reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.assessment import Scored
from guaranteekit.formats.catalog import criteria_digest
from guaranteekit.formats.models import Answer, AnswerStatus, Criterion
from guaranteekit.scoring import core as scoring
from guaranteekit.textsafe import one_line

if TYPE_CHECKING:
    import numpy as np

AGREEMENT_FORMAT = 1
"""Version of the JSON shape `Agreement.as_data` gives (`agree --format json`)."""

Metric = str
"""`nominal`, `ordinal`, `interval`, `ratio` (Krippendorff's), or `answers` (levels and statuses)."""


class AgreementError(GuaranteekitError):
    """Reports that cannot be compared for agreement (different packages, criteria or profiles)."""


class Kind(StrEnum):
    """The kind of an answer, with `unanswered` for a criterion an analyst left without one."""

    LEVEL = "level"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"
    UNANSWERED = "unanswered"


# Statuses are coded above every level position (0..1), so the level values come first in the
# value domain the library sorts, which is what the distance below relies on.
_STATUS_CODE = {Kind.NOT_APPLICABLE: 2.0, Kind.UNKNOWN: 3.0, Kind.UNANSWERED: 4.0}
_KIND_CODE = {Kind.LEVEL: 0.0, **_STATUS_CODE}


# --------------------------------------------------------------------------------------------------
# Alpha
# --------------------------------------------------------------------------------------------------


def _answer_distance(
    v1: np.ndarray,
    v2: np.ndarray,
    i1: np.ndarray,
    i2: np.ndarray,
    n_v: np.ndarray,
    dtype: Any = None,
) -> np.ndarray:
    """Krippendorff's ordinal distance between levels, scaled to 1 at its widest; 1 between a
    status and any other value (the `krippendorff` package's metric signature)."""
    import numpy as np

    dtype = np.float64 if dtype is None else dtype
    low, high = np.minimum(i1, i2), np.maximum(i1, i2)
    cumulative = np.concatenate(([0.0], np.cumsum(n_v, dtype=dtype)))
    between = cumulative[high + 1] - cumulative[low]
    ordinal = (between - (n_v[low] + n_v[high]) / 2) ** 2
    is_level = (v1 <= 1.0) & (v2 <= 1.0)
    levels = int(np.count_nonzero(np.ravel(v1) <= 1.0))
    if levels >= 2:
        # The widest ordinal distance is the one between the lowest and highest level in the data.
        span = cumulative[levels] - (n_v[0] + n_v[levels - 1]) / 2
        if span > 0:
            ordinal = ordinal / (span**2)
    nominal = (v1 != v2).astype(dtype)
    distances: np.ndarray = np.where(is_level, ordinal, nominal).astype(dtype)
    return distances


def alpha(data: Sequence[Sequence[float | None]], metric: Metric = "answers") -> float | None:
    """Krippendorff's alpha of `data` (one row per coder, one column per unit, None or NaN for a
    missing value); None when it is not defined (fewer than two units with two values, or no
    variation at all, where observed and expected disagreement are both 0).

    `metric` is one of Krippendorff's levels of measurement, or `answers` for values made by
    `answer_value` (see the module docstring).
    """
    rows = [[math.nan if v is None else float(v) for v in row] for row in data]
    if not rows or len({len(row) for row in rows}) != 1:
        return None
    units = [[v for v in unit if not math.isnan(v)] for unit in zip(*rows, strict=True)]
    pairable = [unit for unit in units if len(unit) >= 2]
    if len(pairable) < 2:
        return None  # one unit gives no expected disagreement worth the name
    if all(len(set(unit)) == 1 for unit in pairable):
        # No disagreement observed: alpha is 1 when the values vary between units and undefined
        # (0/0) when they do not, which is what the library's arithmetic gives, without its cost.
        return 1.0 if len({unit[0] for unit in pairable}) > 1 else None
    # Imported here: merging and adjudicating read the answers through this module and never
    # compute alpha, and numpy is most of what importing it would cost.
    import krippendorff
    import numpy as np

    matrix = np.array(rows, dtype=np.float64)
    level: Any = _answer_distance if metric == "answers" else metric
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
    except ValueError:
        return None  # a single value in the whole domain: nothing varies
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------------
# One analyst's reading of one criterion
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """One analyst's answer to one criterion, reduced to what agreement compares and shows."""

    analyst: int
    """Index of the assessment in the order given."""
    kind: Kind
    level: str = ""
    """The chosen level's id (kind `level` only)."""
    label: str = ""
    """The chosen level's label (kind `level` only)."""
    index: int | None = None
    """The chosen level's position, 0 for the weakest (kind `level` only)."""
    levels: int = 0
    """How many levels the rubric has."""
    confidence: str = ""
    """`low`, `medium` or `high` (kind `level` only; other kinds carry none that counts)."""
    rationale: str = ""
    reason: str = ""
    """Why the criterion does not apply (kind `not_applicable`)."""
    evidence: tuple[str, ...] = ()
    gate: str = ""
    """`fires`, `passes` or `open` when the criterion has a gate; `` otherwise or not applicable."""

    @property
    def value(self) -> float:
        """The value alpha sees: the level's position from 0 to 1, or a status code above 1."""
        if self.kind is Kind.LEVEL and self.index is not None:
            return self.index / (self.levels - 1)
        return _STATUS_CODE[self.kind]

    @property
    def key(self) -> tuple[str, str]:
        """What two identical answers share: the kind and the level."""
        return (self.kind.value, self.level)

    def words(self) -> str:
        """`Treaty (level 3 of 4)`, `unknown`, `not applicable`, `unanswered`."""
        if self.kind is Kind.LEVEL:
            return f"{self.label} (level {(self.index or 0) + 1} of {self.levels})"
        return self.kind.value.replace("_", " ")


def reading(analyst: int, criterion: Criterion, answer: Answer | None) -> Reading:
    """The reading of `answer` (None: unanswered) against `criterion`'s rubric."""
    gate_index = criterion.level_index(criterion.gate.level) if criterion.gate is not None else None
    if answer is None:
        gate = "" if gate_index is None else "open"
        return Reading(analyst, Kind.UNANSWERED, levels=len(criterion.levels), gate=gate)
    rationale, evidence, levels = answer.rationale, tuple(answer.evidence), len(criterion.levels)
    if answer.status is AnswerStatus.LEVEL and answer.level is not None:
        index = criterion.level_index(answer.level)
        gate = "" if gate_index is None else ("fires" if index < gate_index else "passes")
        return Reading(
            analyst,
            Kind.LEVEL,
            level=answer.level,
            label=criterion.levels[index].label,
            index=index,
            levels=levels,
            confidence=answer.confidence.value if answer.confidence else "unset",
            rationale=rationale,
            evidence=evidence,
            gate=gate,
        )
    if answer.status is AnswerStatus.NOT_APPLICABLE:
        return Reading(
            analyst,
            Kind.NOT_APPLICABLE,
            levels=levels,
            rationale=rationale,
            reason=answer.reason,
            evidence=evidence,
        )
    gate = "" if gate_index is None else "open"
    return Reading(
        analyst, Kind.UNKNOWN, levels=levels, rationale=rationale, evidence=evidence, gate=gate
    )


# --------------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """One of the assessments compared: who made it, and what it scores."""

    path: str
    analyst: str
    """The assessor's name (with the file name when blank or shared with another assessment)."""
    score: float | None
    low: float
    high: float
    verdict: str
    verdict_label: str
    provisional: bool
    gates_fired: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """How the analysts answered one criterion."""

    criterion: str
    title: str
    pillar: str
    gated: bool
    readings: tuple[Reading | None, ...]
    """One per assessment, in the order given; None where the criterion is not in that analyst's
    criteria set or is switched off by their profile."""

    @property
    def present(self) -> list[Reading]:
        """The readings that exist."""
        return [r for r in self.readings if r is not None]

    @property
    def compared(self) -> bool:
        """At least two analysts answered it (or could have)."""
        return len(self.present) >= 2

    @property
    def identical(self) -> bool:
        """Every analyst gave the same kind of answer and the same level."""
        return len({r.key for r in self.present}) <= 1

    @property
    def pairs_identical(self) -> float:
        """Share of analyst pairs whose answers are identical (1 or 0 with two analysts)."""
        pairs = list(combinations(self.present, 2))
        if not pairs:
            return 1.0
        return sum(a.key == b.key for a, b in pairs) / len(pairs)

    @property
    def level_gap(self) -> int | None:
        """How many levels apart the highest and lowest chosen levels are, when all chose one."""
        present = self.present
        if not present or any(r.index is None for r in present):
            return None
        indexes = [r.index for r in present if r.index is not None]
        return max(indexes) - min(indexes)

    @property
    def gate_split(self) -> bool:
        """The gate fires for some analysts and not for others."""
        gates = {r.gate for r in self.present if r.gate}
        return "fires" in gates and len(gates) > 1


@dataclass(frozen=True, slots=True)
class PillarAgreement:
    """Agreement over the criteria of one pillar."""

    pillar: str
    title: str
    alpha: float | None
    identical: float
    criteria: int


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement between two or more assessments of one package."""

    package: str
    criteria_ref: str
    assessments: tuple[Assessment, ...]
    criteria: tuple[CriterionAgreement, ...]
    """Every criterion compared, in the criteria set's order."""
    alpha: float | None
    """Krippendorff's alpha over levels and statuses (the headline figure)."""
    alpha_levels: float | None
    """Ordinal alpha over the levels alone (statuses as missing values)."""
    alpha_kinds: float | None
    """Nominal alpha over the kind of answer alone (level, not applicable, unknown, unanswered)."""
    pillars: tuple[PillarAgreement, ...]
    mixed: tuple[str, ...] = ()
    """How the assessments differ in package, criteria or profile (only with `allow_mixed`)."""
    left_out: tuple[str, ...] = ()
    """Criteria not compared, each with why (a rubric that differs between the sets)."""

    @property
    def compared(self) -> list[CriterionAgreement]:
        """The criteria that at least two analysts answered."""
        return [c for c in self.criteria if c.compared]

    @property
    def identical(self) -> float:
        """Share of the compared criteria on which every analyst gave the same answer."""
        compared = self.compared
        return sum(c.identical for c in compared) / len(compared) if compared else 1.0

    @property
    def pairs_identical(self) -> float:
        """Mean over the compared criteria of the share of analyst pairs that agree."""
        compared = self.compared
        return sum(c.pairs_identical for c in compared) / len(compared) if compared else 1.0

    @property
    def disagreements(self) -> list[CriterionAgreement]:
        """Every criterion the analysts answered differently: gated criteria first, then in the
        criteria set's order."""
        found = [c for c in self.compared if not c.identical]
        return [c for c in found if c.gated] + [c for c in found if not c.gated]

    @property
    def verdicts_agree(self) -> bool:
        """Every assessment reaches the same verdict."""
        return len({a.verdict for a in self.assessments}) == 1

    @property
    def score_gap(self) -> float | None:
        """Highest score minus lowest; None when an assessment has no score yet."""
        scores = [a.score for a in self.assessments]
        if any(s is None for s in scores):
            return None
        known = [s for s in scores if s is not None]
        return round(max(known) - min(known), scoring.ROUND)

    def passes(self, minimum: float) -> bool:
        """Alpha is at least `minimum`. An undefined alpha passes only when every answer is the
        same (then nothing varies and nothing disagrees)."""
        if self.alpha is None:
            return not self.disagreements
        return self.alpha >= minimum

    def as_data(self) -> AgreementData:
        """The data of `agree --format json` (versioned); write it with `model_dump(exclude_unset=True)`."""
        names = [a.analyst for a in self.assessments]
        return AgreementData(
            format_version=AGREEMENT_FORMAT,
            package=self.package,
            criteria=self.criteria_ref,
            assessments=[
                AssessmentData(
                    path=a.path,
                    analyst=a.analyst,
                    score=a.score,
                    low=a.low,
                    high=a.high,
                    verdict=a.verdict,
                    provisional=a.provisional,
                    gates_fired=list(a.gates_fired),
                )
                for a in self.assessments
            ],
            alpha=self.alpha,
            alpha_levels=self.alpha_levels,
            alpha_kinds=self.alpha_kinds,
            identical=self.identical,
            pairs_identical=self.pairs_identical,
            criteria_compared=len(self.compared),
            verdicts_agree=self.verdicts_agree,
            score_gap=self.score_gap,
            pillars=[
                PillarData(
                    pillar=p.pillar, alpha=p.alpha, identical=p.identical, criteria=p.criteria
                )
                for p in self.pillars
            ],
            criteria_agreement=[
                CriterionData(
                    criterion=c.criterion,
                    identical=c.identical,
                    pairs_identical=c.pairs_identical,
                    level_gap=c.level_gap,
                )
                for c in self.compared
            ],
            disagreements=[
                DisagreementData(
                    criterion=c.criterion,
                    pillar=c.pillar,
                    gated=c.gated,
                    gate_split=c.gate_split,
                    level_gap=c.level_gap,
                    positions=[_reading_data(names[i], r) for i, r in enumerate(c.readings) if r],
                )
                for c in self.disagreements
            ],
            mixed=list(self.mixed),
            left_out=list(self.left_out),
        )


class _Data(BaseModel):
    """`agree --format json`: every field is given when made, but for a position's fields that do
    not apply to its kind of answer, which `exclude_unset` leaves out."""

    model_config = ConfigDict(extra="forbid")


class AssessmentData(_Data):
    path: str
    analyst: str
    score: float | None
    low: float
    high: float
    verdict: str
    provisional: bool
    gates_fired: list[str]


class PillarData(_Data):
    pillar: str
    alpha: float | None
    identical: float
    criteria: int


class CriterionData(_Data):
    criterion: str
    identical: bool
    pairs_identical: float
    level_gap: int | None


class PositionData(_Data):
    """One analyst's answer to a criterion the analysts answered differently."""

    analyst: str
    status: str
    level: str = ""
    """Kind `level` only, as `position` (its index) and `confidence`."""
    position: int | None = None
    confidence: str = ""
    reason: str = ""
    """Kind `not_applicable` only."""
    gate: str = ""
    """Only when the criterion has a gate."""
    rationale: str


class DisagreementData(_Data):
    criterion: str
    pillar: str
    gated: bool
    gate_split: bool
    level_gap: int | None
    positions: list[PositionData]


class AgreementData(_Data):
    """`agree --format json`, version `AGREEMENT_FORMAT`."""

    format_version: int
    package: str
    criteria: str
    assessments: list[AssessmentData]
    alpha: float | None
    alpha_levels: float | None
    alpha_kinds: float | None
    identical: float
    pairs_identical: float
    criteria_compared: int
    verdicts_agree: bool
    score_gap: float | None
    pillars: list[PillarData]
    criteria_agreement: list[CriterionData]
    disagreements: list[DisagreementData]
    mixed: list[str]
    left_out: list[str]


def _reading_data(analyst: str, r: Reading) -> PositionData:
    data = PositionData(analyst=analyst, status=r.kind.value, rationale=r.rationale)
    # Set after making it, and only where they apply: `exclude_unset` leaves the others out.
    if r.kind is Kind.LEVEL:
        data.level, data.position, data.confidence = r.level, r.index, r.confidence
    if r.kind is Kind.NOT_APPLICABLE:
        data.reason = r.reason
    if r.gate:
        data.gate = r.gate
    return data


# --------------------------------------------------------------------------------------------------
# Same package, same criteria
# --------------------------------------------------------------------------------------------------


def _package_key(item: Scored) -> tuple[str, str, str]:
    package = item.report.package
    return (one_line(package.name), one_line(package.date), one_line(package.round))


def package_identity(item: Scored) -> tuple[str, str, str]:
    """What makes reports assessments of one package: its name, date and round, each on one line.
    `agreement` refuses reports that differ in it; `compare --group-by package` groups by it."""
    return _package_key(item)


def _criteria_key(item: Scored) -> tuple[str, str, str]:
    ref = item.report.criteria
    return (ref.id, ref.version, ref.digest or criteria_digest(item.criteria))


def _profile_key(item: Scored) -> tuple[str, str] | None:
    ref = item.report.profile
    return None if ref is None else (ref.name, ref.digest)


def differences(scored: Sequence[Scored]) -> list[str]:
    """How the assessments differ in what they assess: package (name, date, round), criteria set
    (id, version, digest) or profile. Empty when they assess the same thing the same way."""
    found: list[str] = []

    def spread(what: str, key: Any, show: Any) -> None:
        if len({key(s) for s in scored}) > 1:
            found.append(f"{what} " + " vs ".join(f"{show(s)} ({s.path})" for s in scored))

    spread("package", _package_key, lambda s: repr(one_line(s.report.package.name)))
    spread(
        "criteria",
        _criteria_key,
        lambda s: (
            f"{s.report.criteria.id} {one_line(s.report.criteria.version)}"
            f" {_criteria_key(s)[2][7:19]}"
        ),
    )
    spread(
        "profile",
        _profile_key,
        lambda s: repr(one_line(s.report.profile.name)) if s.report.profile else "none",
    )
    return found


def analyst_names(scored: Sequence[Scored]) -> list[str]:
    """Each assessment's analyst: the assessor's name, with the file name where it is blank or
    shared (two copies of one report still need telling apart)."""
    names = [one_line(s.report.provenance.assessor) for s in scored]
    counts = {n: names.count(n) for n in names}
    return [
        n if n and counts[n] == 1 else (f"{n} ({s.path.name})" if n else s.path.name)
        for n, s in zip(names, scored, strict=True)
    ]


# --------------------------------------------------------------------------------------------------
# Agreement of assessments
# --------------------------------------------------------------------------------------------------


def agreement(scored: Sequence[Scored], *, allow_mixed: bool = False) -> Agreement:
    """The agreement between assessments of one package (two or more, loaded with
    `assessment.load_scored`).

    AgreementError, one line naming the files, when they assess different packages or use
    different criteria or profiles, unless `allow_mixed`; even then when no criterion with the same
    rubric is common to two of them.
    """
    if len(scored) < 2:
        raise AgreementError("agreement needs two or more assessments of one package")
    files = ", ".join(str(s.path) for s in scored)
    mixed = differences(scored)
    if mixed and not allow_mixed:
        raise AgreementError(
            f"{files}: not assessments of the same package against the same criteria: "
            + "; ".join(mixed)
            + " (--allow-mixed compares the criteria they share)"
        )
    names = analyst_names(scored)
    weights = [scoring.effective_weights(s.criteria, s.profile) for s in scored]
    rows, left_out = _criteria_rows(scored, weights)
    if not any(sum(r is not None for r in readings) >= 2 for _, readings in rows):
        raise AgreementError(f"{files}: no criterion with the same rubric to compare")
    criteria = tuple(
        CriterionAgreement(
            criterion=criterion.id,
            title=criterion.title,
            pillar=criterion.pillar,
            gated=criterion.gate is not None,
            readings=readings,
        )
        for criterion, readings in rows
    )
    first = scored[0].criteria
    pillars = []
    for pillar in first.pillars:
        members = [c for c in criteria if c.pillar == pillar.id and c.compared]
        if not members:
            continue
        pillars.append(
            PillarAgreement(
                pillar=pillar.id,
                title=pillar.title,
                alpha=alpha(_matrix(members, len(scored), "answers")),
                identical=sum(c.identical for c in members) / len(members),
                criteria=len(members),
            )
        )
    compared = [c for c in criteria if c.compared]
    return Agreement(
        package=one_line(scored[0].report.package.name),
        criteria_ref=f"{first.id} {first.version}",
        assessments=tuple(_assessment(s, n) for s, n in zip(scored, names, strict=True)),
        criteria=criteria,
        alpha=alpha(_matrix(compared, len(scored), "answers")),
        alpha_levels=alpha(_matrix(compared, len(scored), "levels"), "ordinal"),
        alpha_kinds=alpha(_matrix(compared, len(scored), "kinds"), "nominal"),
        pillars=tuple(pillars),
        mixed=tuple(mixed),
        left_out=tuple(left_out),
    )


def _criteria_rows(
    scored: Sequence[Scored], weights: list[dict[str, float]]
) -> tuple[list[tuple[Criterion, tuple[Reading | None, ...]]], list[str]]:
    """Each criterion of any of the sets (first set's order, then any others), with one reading per
    assessment; criteria whose rubric differs between the sets are left out, and said so."""
    order: dict[str, list[Criterion | None]] = {}
    for n, item in enumerate(scored):
        for criterion in item.criteria.criteria:
            order.setdefault(criterion.id, [None] * len(scored))[n] = criterion
    rows: list[tuple[Criterion, tuple[Reading | None, ...]]] = []
    left_out: list[str] = []
    answers = [{a.criterion: a for a in item.report.answers} for item in scored]
    one_set = all(item.criteria is scored[0].criteria for item in scored)
    for cid, found in order.items():
        if not one_set:
            rubrics = {tuple(level.id for level in c.levels) for c in found if c is not None}
            if len(rubrics) > 1:
                left_out.append(f"{cid}: its rubric differs between the criteria sets")
                continue
        shown = next(c for c in found if c is not None)
        readings = tuple(
            reading(n, c, answers[n].get(cid)) if c is not None and cid in weights[n] else None
            for n, c in enumerate(found)
        )
        rows.append((shown, readings))
    return rows, left_out


def _matrix(
    criteria: Sequence[CriterionAgreement], coders: int, what: str
) -> list[list[float | None]]:
    """Reliability data, one row per analyst and one column per criterion: the answer (`answers`),
    the level's position alone (`levels`), or the kind of answer alone (`kinds`)."""

    def value(r: Reading | None) -> float | None:
        if r is None:
            return None
        if what == "levels":
            return r.value if r.kind is Kind.LEVEL else None
        if what == "kinds":
            return _KIND_CODE[r.kind]
        return r.value

    return [[value(c.readings[n]) for c in criteria] for n in range(coders)]


def _assessment(item: Scored, name: str) -> Assessment:
    # Recomputed from the answers, as `score` does: the stored results may have been edited.
    # Without the asks, scenarios and lenses, which agreement does not show (each of them is a
    # scoring of its own).
    results = scoring.compute(
        item.criteria, item.report.answers, item.profile, asks=False, views=False
    )
    verdict = results.verdict
    return Assessment(
        path=str(item.path),
        analyst=name,
        score=results.score,
        low=results.low,
        high=results.high,
        verdict=verdict,
        verdict_label=item.criteria.band(verdict).label,
        provisional=results.provisional,
        gates_fired=tuple(results.gates_fired),
    )


__all__ = [
    "AGREEMENT_FORMAT",
    "Agreement",
    "AgreementError",
    "Assessment",
    "CriterionAgreement",
    "Kind",
    "PillarAgreement",
    "Reading",
    "agreement",
    "alpha",
    "analyst_names",
    "differences",
    "package_identity",
    "reading",
]
