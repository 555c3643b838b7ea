"""One report from several assessments of a package, and the adjudication of their disagreements.

`merge_reports` keeps every answer the assessors gave alike (rationales and evidence joined, each
attributed to its assessors, the lowest confidence) and turns every disagreement into an open
dispute in the review trail carrying each assessor's position. Until a dispute is resolved the
criterion carries a provisional answer that claims no more than the most cautious assessor:

- if any assessor answered `unknown` or left it unanswered: `unknown` (the criterion stays open, so
  the range spans all its levels, both positions included, and its gate stays open);
- else if any chose a level: the lowest level chosen, with the lowest confidence among the levels
  (the score is not raised past any assessor's reading, and a gate fires if either reading fires
  it), even when another assessor found it not applicable, which would drop the criterion and hide
  its gate;

`adjudicate` settles one disagreement: the chosen answer replaces the provisional one (its rationale
and evidence those of the assessors it follows), the report is finalized, and a `resolve` entry
records who adjudicated, what they chose (`ReviewEntry.adjudication`) and why. Approval stays
refused while any dispute is open (`trail.add_entry`), and `verify` reports open disputes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from guaranteekit.formats.assessment import (
    Scored,
    content_digest,
    finalize,
    now,
    report_digest,
    with_answer,
)
from guaranteekit.formats.models import (
    Adjudication,
    Answer,
    AnswerStatus,
    AssessorPosition,
    Confidence,
    CriteriaSet,
    Criterion,
    PositionStatus,
    Profile,
    Provenance,
    Report,
    Review,
    ReviewEntry,
    ReviewKind,
)
from guaranteekit.review.trail import ReviewError, add_entry, open_disputes
from guaranteekit.scoring.agreement import Kind, Reading, analyst_names, differences, reading
from guaranteekit.textsafe import one_line

_CONFIDENCE_ORDER = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


# --------------------------------------------------------------------------------------------------
# Joining texts with their authors
# --------------------------------------------------------------------------------------------------


def attributed(items: Sequence[tuple[str, str]]) -> list[str]:
    """`[Ann, Bob] text` for each distinct text, naming everyone who wrote it, in first-seen order;
    blank texts are dropped."""
    authors: dict[str, list[str]] = {}
    for name, text in items:
        text = text.strip()
        if text and name not in authors.setdefault(text, []):
            authors[text].append(name)
    return [f"[{', '.join(names)}] {text}" for text, names in authors.items() if names]


def _lowest(confidences: Sequence[Confidence]) -> Confidence:
    return min(confidences, key=_CONFIDENCE_ORDER.index, default=Confidence.HIGH)


def _position(name: str, r: Reading) -> AssessorPosition:
    return AssessorPosition(
        assessor=name,
        status=PositionStatus(r.kind.value),
        level=r.level or None,
        reason=r.reason,
        confidence=Confidence(r.confidence) if r.confidence else None,
        rationale=r.rationale,
        evidence=list(r.evidence),
    )


def position_words(position: AssessorPosition, criterion: Criterion) -> str:
    """`Supporting (level 4 of 5, high)`, `unknown`, `not applicable (reason)`, `unanswered`."""
    if position.status is PositionStatus.LEVEL and position.level is not None:
        index = criterion.level_index(position.level)
        confidence = f", {position.confidence.value}" if position.confidence else ""
        return (
            f"{one_line(criterion.levels[index].label)} (level {index + 1} of"
            f" {len(criterion.levels)}{confidence})"
        )
    if position.status is PositionStatus.NOT_APPLICABLE:
        return f"not applicable ({one_line(position.reason)})"
    return position.status.value


# --------------------------------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------------------------------


def _agreed(criterion: Criterion, readings: list[Reading], names: list[str]) -> Answer:
    first = readings[0]
    who = [names[r.analyst] for r in readings]
    return Answer(
        criterion=criterion.id,
        status=AnswerStatus(first.kind.value),
        level=first.level or None,
        reason=" ".join(attributed([(names[r.analyst], r.reason) for r in readings])),
        rationale="\n\n".join(
            attributed(list(zip(who, (r.rationale for r in readings), strict=True)))
        ),
        evidence=attributed([(names[r.analyst], q) for r in readings for q in r.evidence]),
        confidence=_lowest(
            [Confidence(r.confidence) for r in readings if r.confidence] or [Confidence.HIGH]
        ),
    )


def provisional(criterion: Criterion, readings: list[Reading], names: list[str]) -> Answer:
    """The answer a disputed criterion carries until adjudicated (see the module docstring)."""
    kinds = {r.kind for r in readings}
    levels = [r for r in readings if r.kind is Kind.LEVEL and r.index is not None]
    note = "Provisional until adjudicated: the assessors disagree (see the review trail)."
    rationale = "\n\n".join(
        [note, *attributed([(names[r.analyst], r.rationale) for r in readings])]
    )
    evidence = attributed([(names[r.analyst], q) for r in readings for q in r.evidence])
    if kinds & {Kind.UNKNOWN, Kind.UNANSWERED} or not levels:
        return Answer(
            criterion=criterion.id,
            status=AnswerStatus.UNKNOWN,
            rationale=rationale,
            evidence=evidence,
        )
    lowest = min(levels, key=lambda r: r.index or 0)
    return Answer(
        criterion=criterion.id,
        level=lowest.level,
        rationale=rationale,
        evidence=evidence,
        confidence=_lowest([Confidence(r.confidence) for r in levels]),
    )


def _dispute_text(criterion: Criterion, positions: list[AssessorPosition], answer: Answer) -> str:
    given = "; ".join(f"{p.assessor}: {position_words(p, criterion)}" for p in positions)
    if answer.status is AnswerStatus.LEVEL and answer.level is not None:
        holds = f"the lowest level, {one_line(criterion.level(answer.level).label)}"
    else:
        holds = "unknown"
    return f"The assessors disagree. {given}. Until adjudicated the answer is {holds}."


def merge_reports(scored: Sequence[Scored], author: str, *, at: datetime | None = None) -> Report:
    """One report from assessments of the same package against the same criteria and profile:
    agreed answers kept, every disagreement an open dispute by `author` carrying each position.

    ReviewError when the assessments differ in package, criteria or profile (a merged report names
    one of each).
    """
    if len(scored) < 2:
        raise ReviewError("merge: two or more assessments are needed")
    mixed = differences(scored)
    if mixed:
        files = ", ".join(str(s.path) for s in scored)
        raise ReviewError(
            f"{files}: cannot merge assessments of different packages, criteria or profiles: "
            + "; ".join(mixed)
        )
    author = one_line(author)
    if not author:
        raise ReviewError("merge: the name of the person merging is empty")
    base = scored[0]
    criteria, profile = base.criteria, base.profile
    names = analyst_names(scored)
    stamp = at or now()
    answers: list[Answer] = []
    disputed: list[tuple[Criterion, list[AssessorPosition], Answer]] = []
    for criterion in criteria.criteria:
        readings = [
            reading(n, criterion, s.report.answer(criterion.id)) for n, s in enumerate(scored)
        ]
        if all(r.kind is Kind.UNANSWERED for r in readings):
            continue
        if len({r.key for r in readings}) == 1:
            answers.append(_agreed(criterion, readings, names))
            continue
        answer = provisional(criterion, readings, names)
        answers.append(answer)
        disputed.append((criterion, [_position(names[r.analyst], r) for r in readings], answer))
    sources = ", ".join(f"{s.path.name} ({name})" for s, name in zip(scored, names, strict=True))
    organisations = [one_line(s.report.provenance.organisation) for s in scored]
    report = Report(
        format_version=base.report.format_version,
        package=base.report.package,
        criteria=base.report.criteria,
        profile=base.report.profile,
        answers=answers,
        provenance=Provenance(
            assessor=", ".join(names),
            organisation=", ".join(dict.fromkeys(o for o in organisations if o)),
            created=stamp,
            modified=stamp,
            notes=f"Merged by {author} from {sources}: {len(answers) - len(disputed)} answers"
            f" agreed, {len(disputed)} disputed in the review trail. The sources' own review"
            " trails and signatures are not carried over (they were made on other content).",
        ),
        review=Review(),
    )
    report = finalize(report, criteria, profile)
    digest = content_digest(report)
    entries = [
        ReviewEntry(
            kind=ReviewKind.DISPUTE,
            author=author,
            at=stamp,
            criterion=criterion.id,
            text=_dispute_text(criterion, positions, answer),
            content_digest=digest,
            positions=positions,
        )
        for criterion, positions, answer in disputed
    ]
    report = report.model_copy(update={"review": Review(entries=entries)})
    return report.model_copy(update={"digest": report_digest(report)})


# --------------------------------------------------------------------------------------------------
# Adjudicating
# --------------------------------------------------------------------------------------------------


def open_disagreements(report: Report) -> list[tuple[int, ReviewEntry]]:
    """Open disputes that carry the assessors' positions (from `merge`), with their positions in
    the trail."""
    return [(i, e) for i, e in open_disputes(report) if e.positions]


def disagreement(report: Report, criterion: str) -> ReviewEntry | None:
    """The open dispute with positions on `criterion`, or None."""
    found = [e for _, e in open_disagreements(report) if e.criterion == criterion]
    return found[-1] if found else None


def choice(
    entry: ReviewEntry,
    status: AnswerStatus | str,
    level: str | None = None,
    *,
    reason: str = "",
    confidence: Confidence | str | None = None,
) -> Adjudication:
    """The adjudication choosing this answer on a disagreement: which assessors it follows, and the
    confidence (given, else the lowest of the positions it follows, else high)."""
    status = AnswerStatus(status)
    followed = [
        p
        for p in entry.positions or []
        if p.status.value == status.value and (p.level or None) == (level or None)
    ]
    if status is AnswerStatus.NOT_APPLICABLE and not reason.strip():
        reason = " ".join(attributed([(p.assessor, p.reason) for p in followed]))
    if confidence is None:
        confidence = _lowest([p.confidence for p in followed if p.confidence] or [Confidence.HIGH])
    return Adjudication(
        status=status,
        level=level if status is AnswerStatus.LEVEL else None,
        reason=reason.strip(),
        confidence=Confidence(confidence),
        follows=[p.assessor for p in followed],
    )


def adjudicate(
    report: Report,
    criteria: CriteriaSet,
    criterion: str,
    author: str,
    adjudication: Adjudication,
    comment: str,
    *,
    profile: Profile | None = None,
    at: datetime | None = None,
) -> Report:
    """The report with the disagreement on `criterion` settled on `adjudication`: the answer
    replaced and scored, then a `resolve` entry by `author` naming the choice and the comment.

    ReviewError when there is no open disagreement on the criterion, the level is not in its
    rubric, a not-applicable choice has no reason, or the name or comment is blank.
    """
    entry = disagreement(report, criterion)
    if entry is None:
        raise ReviewError(f"review: {criterion!r} has no open disagreement between assessors")
    author = one_line(author)
    if not author:
        raise ReviewError("review: the adjudicator's name is empty")
    if not comment.strip():
        raise ReviewError("review: an adjudication needs a comment saying why")
    rubric = criteria.criterion(criterion)
    if adjudication.level is not None and adjudication.level not in {lv.id for lv in rubric.levels}:
        raise ReviewError(
            f"review: level {adjudication.level!r} is not in the rubric of {criterion!r}"
        )
    if adjudication.status is AnswerStatus.NOT_APPLICABLE and not adjudication.reason.strip():
        raise ReviewError("review: a not-applicable answer needs a reason")
    positions = entry.positions or []
    followed = [p for p in positions if p.assessor in adjudication.follows] or positions
    rationale = attributed([(p.assessor, p.rationale) for p in followed])
    rationale.append(f"[adjudicated by {author}] {comment.strip()}")
    answer = Answer(
        criterion=criterion,
        status=adjudication.status,
        level=adjudication.level,
        reason=adjudication.reason,
        rationale="\n\n".join(rationale),
        evidence=attributed([(p.assessor, q) for p in followed for q in p.evidence]),
        confidence=adjudication.confidence,
    )
    changed = finalize(with_answer(report, answer), criteria, profile)
    resolved = add_entry(
        changed, ReviewKind.RESOLVE, author, criterion, comment, criteria=criteria, at=at
    )
    last = resolved.review.entries[-1].model_copy(update={"adjudication": adjudication})
    review = resolved.review.model_copy(update={"entries": [*resolved.review.entries[:-1], last]})
    updated = resolved.model_copy(update={"review": review})
    if resolved.digest == report_digest(resolved):
        updated = updated.model_copy(update={"digest": report_digest(updated)})
    return updated


__all__ = [
    "adjudicate",
    "attributed",
    "choice",
    "disagreement",
    "merge_reports",
    "open_disagreements",
    "position_words",
    "provisional",
]
