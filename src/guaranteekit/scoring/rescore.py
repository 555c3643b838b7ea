"""Carrying a report's answers over to another version of its criteria set (`guaranteekit rescore`).

An answer is carried over when its criterion, and for a level its level id, still exist in the new
set: a set's author renames an id whenever its meaning changes (`docs/criteria.md`), so an id that
survives means the same thing. Everything else becomes unanswered and is listed to answer again.
A silent answer (`silent = true`) is re-read under the new set's silence rule, since the draft is
still silent. Carried answers the new rules would question (a level whose wording changed, an
unknown where silence now means a level, a not-applicable the rule forbids) are kept and listed
to check. The result is a new report: the old file is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guaranteekit.formats.models import (
    SILENCE_UNKNOWN,
    Answer,
    AnswerStatus,
    CriteriaRef,
    CriteriaSet,
    Level,
    Report,
)


@dataclass(slots=True)
class Redo:
    """One criterion of the new set that needs the analyst again."""

    criterion: str
    why: str


@dataclass(slots=True)
class Rescored:
    """A report moved to another criteria set, and what must be answered (or checked) again."""

    report: Report
    carried: int
    answer_again: list[Redo] = field(default_factory=list)
    """Criteria left unanswered: new ones, and those whose old answer does not map."""
    check: list[Redo] = field(default_factory=list)
    """Answers carried over that the new set's wording or rules put in question."""
    dropped: list[str] = field(default_factory=list)
    """Answers to criteria the new set does not have."""


def rescore(report: Report, new: CriteriaSet, old: CriteriaSet | None = None) -> Rescored:
    """The report's answers mapped onto `new` (results not yet computed: see `finalize`).

    `old` is the set the report was scored with, when it is installed: with it, a carried level
    whose description or score changed is listed to check.
    """
    by_id = {c.id: c for c in new.criteria}
    answers = {a.criterion: a for a in report.answers}
    carried: list[Answer] = []
    again: list[Redo] = []
    check: list[Redo] = []
    dropped = [a.criterion for a in report.answers if a.criterion not in by_id]
    for criterion in new.criteria:
        answer = answers.get(criterion.id)
        levels = [level.id for level in criterion.levels]
        if answer is None:
            again.append(Redo(criterion.id, "no answer in the old report (new criterion)"))
            continue
        if answer.silent and criterion.when_silent is not None:
            # The draft is still silent: the new set's rule says what that means.
            if criterion.when_silent == SILENCE_UNKNOWN:
                answer = answer.model_copy(update={"status": AnswerStatus.UNKNOWN, "level": None})
            else:
                answer = answer.model_copy(
                    update={"status": AnswerStatus.LEVEL, "level": criterion.when_silent}
                )
            carried.append(answer)
            continue
        if answer.status is AnswerStatus.LEVEL and answer.level not in levels:
            again.append(
                Redo(
                    criterion.id,
                    f"level {answer.level!r} is not in the new rubric (levels: {', '.join(levels)})",
                )
            )
            continue
        carried.append(answer)
        if answer.status is AnswerStatus.LEVEL and old is not None and answer.level:
            was = _old_level(old, criterion.id, answer.level)
            now = criterion.level(answer.level)
            if was is not None and (was.description != now.description or was.score != now.score):
                check.append(
                    Redo(criterion.id, f"level {answer.level!r} is worded or scored differently")
                )
        silence = criterion.silence_level()
        if answer.status is AnswerStatus.UNKNOWN and silence is not None:
            check.append(
                Redo(criterion.id, f"'unknown' now counts as {silence!r}, what silence means")
            )
        rule = criterion.not_applicable
        if answer.status is AnswerStatus.NOT_APPLICABLE and rule is not None and not rule.allowed:
            check.append(Redo(criterion.id, "marked not applicable, which the new rule forbids"))
    updated = report.model_copy(
        update={
            "criteria": CriteriaRef(id=new.id, version=new.version),
            "answers": carried,
            "results": None,
            "digest": None,
            "review": report.review.model_copy(update={"signatures": []}),
        }
    )
    return Rescored(updated, len(carried), again, check, dropped)


def _old_level(old: CriteriaSet, criterion_id: str, level_id: str) -> Level | None:
    try:
        return old.criterion(criterion_id).level(level_id)
    except KeyError:
        return None
