"""The agreement section of a comparison document: several assessments of one package, side by side.

`compare --group-by package` groups the reports that assess the same package (the same name, date
and round: what `scoring.agreement` calls one package) and gives each group of two or more the
figures `guaranteekit agree` prints: its analysts, Krippendorff's alpha, the share of identical
answers, whether the verdicts agree, and the spread of the scores between analysts beside each
analyst's score range. The arithmetic is `scoring.agreement`'s; this module groups the reports and
turns its results into the document's models, which every format (Markdown, HTML, TOML, JSON)
renders.

The models live here, not in `documents.model`, so that the document needs one optional field
(`Document.agreement`, absent without `--group-by`, which keeps every other document byte for
byte as it was) and this module stays light to import: numpy and `krippendorff` are imported only
when a group is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from guaranteekit.formats.assessment import Scored
    from guaranteekit.scoring.agreement import Agreement, CriterionAgreement


class _Model(BaseModel):
    # As the document's own models: unknown keys are errors, so a document read back is checked.
    model_config = ConfigDict(extra="forbid")


class AnalystResult(_Model):
    """One assessment of a package in a group: who made it and what it scores."""

    package: str
    """Key of the document's entry (`p1`, `p2`, ...)."""
    label: str
    """The entry's label in the document's tables."""
    analyst: str
    """The assessor's name (with the file name when blank or shared with another assessment)."""
    file: str
    score: float | None = None
    low: float
    high: float
    """The range of this analyst's score (the unknown and unanswered criteria at their extremes)."""
    verdict: str
    verdict_label: str
    provisional: bool = False


class AnalystAnswer(_Model):
    """One analyst's answer to a criterion the analysts answered differently."""

    analyst: str
    answer: str
    """`Treaty (level 3 of 4)`, `unknown`, `not applicable`, `unanswered`, or `not in this
    analyst's criteria` (mixed comparisons only)."""
    confidence: str = ""
    gate: str = ""
    """`fires`, `passes` or `open` for a gated criterion; empty otherwise."""


class GroupDisagreement(_Model):
    """A criterion the analysts of one package answered differently."""

    criterion: str
    title: str
    gated: bool = False
    gate_split: bool = False
    """The gate fires for some analysts and not for others."""
    fires_for: list[str] = Field(default_factory=list)
    """The analysts for whom the gate fires (gated criteria only)."""
    level_gap: int | None = None
    """Levels between the highest and lowest answer, when every analyst chose a level."""
    answers: list[AnalystAnswer] = Field(default_factory=list)


class AgreementGroup(_Model):
    """Two or more assessments of one package, and how far their analysts agree."""

    name: str
    date: str = ""
    round: str = ""
    analysts: list[AnalystResult]
    alpha: float | None = None
    """Krippendorff's alpha over levels and statuses, as `agree` gives it; absent when not defined."""
    alpha_levels: float | None = None
    """Ordinal alpha over the levels alone."""
    alpha_kinds: float | None = None
    """Nominal alpha over the kind of answer alone."""
    criteria_compared: int = 0
    identical: float = 1.0
    """Share of the compared criteria on which every analyst gave the same answer."""
    identical_count: int = 0
    pairs_identical: float = 1.0
    """Mean share of analyst pairs that agree (differs from `identical` with three or more)."""
    verdicts_agree: bool = True
    spread: float | None = None
    """Highest score minus lowest between the analysts (`agree`'s score gap); absent when a score
    is missing."""
    low: float = 0.0
    high: float = 0.0
    """The lowest and highest end of the analysts' score ranges together."""
    disagreements: list[GroupDisagreement] = Field(default_factory=list)
    """Gated criteria first, then in the criteria set's order."""
    mixed: list[str] = Field(default_factory=list)
    """How the assessments differ in criteria or profile (`--allow-mixed`)."""
    left_out: list[str] = Field(default_factory=list)
    refused: str = ""
    """Why no agreement could be measured (no criterion with the same rubric); empty otherwise."""


class PackageAgreement(_Model):
    """The document's agreement section (`compare --group-by package`)."""

    group_by: Literal["package"] = "package"
    groups: list[AgreementGroup] = Field(default_factory=list)
    """The packages assessed two or more times, in the order their first report was given."""
    single: list[str] = Field(default_factory=list)
    """Labels of the entries whose package was assessed once (no agreement to measure)."""


def package_agreement(
    scored: Sequence[Scored], document: Any, *, allow_mixed: bool = False
) -> PackageAgreement:
    """The agreement section for `document`, built from `scored` in the order the document's
    entries were made (`scored[i]` is the entry `package_key(i)`, wherever ranking put it)."""
    from guaranteekit.documents.columns import package_key
    from guaranteekit.scoring.agreement import package_identity

    groups: dict[tuple[str, str, str], list[int]] = {}
    for index, item in enumerate(scored):
        groups.setdefault(package_identity(item), []).append(index)
    section = PackageAgreement()
    for members in groups.values():
        if len(members) < 2:
            section.single.append(document.entry(package_key(members[0])).label)
            continue
        section.groups.append(
            _group(
                [scored[i] for i in members],
                [package_key(i) for i in members],
                document,
                allow_mixed,
            )
        )
    return section


def _group(
    scored: Sequence[Scored], keys: Sequence[str], document: Any, allow_mixed: bool
) -> AgreementGroup:
    from guaranteekit.scoring.agreement import AgreementError, agreement, analyst_names
    from guaranteekit.textsafe import one_line

    package = scored[0].report.package
    head = {"name": one_line(package.name), "date": package.date, "round": package.round}
    try:
        found = agreement(scored, allow_mixed=allow_mixed)
    except AgreementError as exc:
        names = analyst_names(scored)
        analysts = [
            _analyst_of_entry(document.entry(key), name)
            for key, name in zip(keys, names, strict=True)
        ]
        return AgreementGroup.model_validate(
            {
                **head,
                "analysts": analysts,
                "low": min(a.low for a in analysts),
                "high": max(a.high for a in analysts),
                "verdicts_agree": len({a.verdict for a in analysts}) == 1,
                "spread": _spread([a.score for a in analysts]),
                "refused": "; ".join(exc.problems),
            }
        )
    return _measured(found, keys, document, head)


def _spread(scores: Sequence[float | None]) -> float | None:
    """Highest score minus lowest, as `Agreement.score_gap` gives it; None when one is missing."""
    from guaranteekit.scoring.core import ROUND

    known = [s for s in scores if s is not None]
    if len(known) < len(scores) or not known:
        return None
    return round(max(known) - min(known), ROUND)


def _analyst_of_entry(entry: Any, name: str) -> AnalystResult:
    return AnalystResult(
        package=entry.key,
        label=entry.label,
        analyst=name,
        file=entry.file,
        score=entry.score,
        low=entry.low,
        high=entry.high,
        verdict=entry.verdict,
        verdict_label=entry.verdict_label,
        provisional=entry.provisional,
    )


def _measured(
    found: Agreement, keys: Sequence[str], document: Any, head: dict[str, str]
) -> AgreementGroup:
    names = [a.analyst for a in found.assessments]
    analysts = [
        AnalystResult(
            package=key,
            label=document.entry(key).label,
            analyst=a.analyst,
            file=a.path,
            score=a.score,
            low=a.low,
            high=a.high,
            verdict=a.verdict,
            verdict_label=a.verdict_label,
            provisional=a.provisional,
        )
        for key, a in zip(keys, found.assessments, strict=True)
    ]
    compared = len(found.compared)
    return AgreementGroup(
        name=head["name"],
        date=head["date"],
        round=head["round"],
        analysts=analysts,
        alpha=found.alpha,
        alpha_levels=found.alpha_levels,
        alpha_kinds=found.alpha_kinds,
        criteria_compared=compared,
        identical=found.identical,
        identical_count=round(found.identical * compared),
        pairs_identical=found.pairs_identical,
        verdicts_agree=found.verdicts_agree,
        spread=found.score_gap,
        low=min(a.low for a in analysts),
        high=max(a.high for a in analysts),
        disagreements=[_disagreement(c, names) for c in found.disagreements],
        mixed=list(found.mixed),
        left_out=list(found.left_out),
    )


def _disagreement(item: CriterionAgreement, names: Sequence[str]) -> GroupDisagreement:
    answers = []
    for n, r in enumerate(item.readings):
        if r is None:
            answers.append(AnalystAnswer(analyst=names[n], answer="not in this analyst's criteria"))
            continue
        answers.append(
            AnalystAnswer(analyst=names[n], answer=r.words(), confidence=r.confidence, gate=r.gate)
        )
    return GroupDisagreement(
        criterion=item.criterion,
        title=item.title,
        gated=item.gated,
        gate_split=item.gate_split,
        fires_for=[names[r.analyst] for r in item.present if r.gate == "fires"],
        level_gap=item.level_gap,
        answers=answers,
    )


__all__ = [
    "AgreementGroup",
    "AnalystAnswer",
    "AnalystResult",
    "GroupDisagreement",
    "PackageAgreement",
    "package_agreement",
]
