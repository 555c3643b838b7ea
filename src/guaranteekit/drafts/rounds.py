"""From one round to the next: answers carried over to a new draft, and the evidence listed.

`carry` takes a report of round N and the draft of round N+1: every answer comes over as it was,
every quote is found again in the new text (`DraftText.find`), and an answer whose quote changed
wording or vanished is marked for re-checking (`Answer.recheck`, with the reason in words). A quote
found unchanged, even in a renumbered point, needs no re-check: the draft says the same thing.

`evidence_rows` lists every piece of evidence of a report, quoted (with its status) or typed (which
is unanchored), either as the report records it or as it stands in another draft's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from guaranteekit.drafts.anchor import SIMILARITY, DraftText, Found
from guaranteekit.drafts.read import text_digest
from guaranteekit.formats.models import Answer, Quote, QuoteStatus, Report

if TYPE_CHECKING:
    from guaranteekit.drafts.read import Extracted
    from guaranteekit.formats.assessment import Scored

UNANCHORED = "unanchored"
"""The status word of typed evidence (`Answer.evidence`), which points nowhere in the draft."""
NOT_IN_TEXT = "not-in-text"
"""The status word of an anchored quote that is not where it says in the recorded text."""


@dataclass(slots=True)
class Carried:
    """What carrying answers to a new round did."""

    counts: dict[str, int] = field(default_factory=dict)
    """Quotes by status in the new text: exact, moved, changed, missing."""
    recheck: list[str] = field(default_factory=list)
    """Criteria whose answers are marked for re-checking, in the report's order."""


def requote(quote: Quote, found: Found) -> Quote:
    """`quote` as it stands in a new text, where `found` says."""
    if found.status is QuoteStatus.MISSING:
        return Quote(
            unit=quote.unit,
            text=quote.text,
            digest=quote.digest,
            status=QuoteStatus.MISSING,
        )
    assert found.text is not None and found.unit is not None
    return Quote(
        unit=found.unit,
        start=found.start,
        end=found.end,
        text=found.text,
        digest=text_digest(found.text),
        status=found.status,
        similarity=found.similarity,
        previous_unit=quote.unit if found.status is not QuoteStatus.EXACT else None,
        previous_text=quote.text if found.status is QuoteStatus.CHANGED else None,
    )


def _reason(changed: list[tuple[Quote, Quote]]) -> str:
    parts = []
    for old, new in changed:
        if new.status is QuoteStatus.CHANGED:
            where = old.unit if new.unit == old.unit else f"{old.unit} (now {new.unit})"
            parts.append(f"the quote from {where} is reworded (similarity {new.similarity:.2f})")
        else:
            parts.append(f"the quote from {old.unit} is no longer in the draft")
    return "; ".join(parts)


def carry_answers(
    answers: list[Answer], text: DraftText, *, threshold: float = SIMILARITY
) -> tuple[list[Answer], Carried]:
    """The answers with every quote found again in `text`; see the module docstring."""
    summary = Carried(counts={status.value: 0 for status in QuoteStatus})
    carried: list[Answer] = []
    for answer in answers:
        if not answer.quotes:
            carried.append(answer)
            continue
        quotes: list[Quote] = []
        changed: list[tuple[Quote, Quote]] = []
        for quote in answer.quotes:
            new = requote(quote, text.find(quote.text, quote.unit, threshold=threshold))
            summary.counts[new.status.value] += 1
            quotes.append(new)
            if new.status in (QuoteStatus.CHANGED, QuoteStatus.MISSING):
                changed.append((quote, new))
        if changed:
            summary.recheck.append(answer.criterion)
            carried.append(
                answer.model_copy(update={"quotes": quotes, "recheck": _reason(changed)})
            )
            continue
        if answer.recheck:
            summary.recheck.append(answer.criterion)  # not yet confirmed since an earlier round
        carried.append(answer.model_copy(update={"quotes": quotes}))
    return carried, summary


class EvidenceRow(BaseModel):
    """One piece of evidence of one answer; `evidence --json` writes `model_dump()` (None as null)."""

    model_config = ConfigDict(extra="forbid")

    criterion: str
    status: str
    """`exact`, `moved`, `changed`, `missing`, `unanchored` (typed) or `not-in-text`."""
    unit: str | None = None
    page: int | None = None
    start: int | None = None
    end: int | None = None
    similarity: float | None = None
    text: str
    """The quote's wording (for `changed`, the new one)."""
    previous_unit: str | None = None
    previous_text: str | None = None


def _page(text: DraftText | None, unit: str | None) -> int | None:
    if text is None or unit is None:
        return None
    found = text.unit(unit)
    return found.page if found is not None else None


def evidence_rows(report: Report, text: DraftText | None) -> list[EvidenceRow]:
    """Every quote as the report records it (checked against `text`, the recorded text, when
    given), then every typed piece of evidence, answer by answer."""
    rows: list[EvidenceRow] = []
    for answer in report.answers:
        for quote in answer.quotes or []:
            status = quote.status.value
            if (
                text is not None
                and quote.status is not QuoteStatus.MISSING
                and not text.holds(quote)
            ):
                status = NOT_IN_TEXT
            rows.append(
                EvidenceRow(
                    criterion=answer.criterion,
                    status=status,
                    text=quote.text,
                    unit=quote.unit,
                    start=quote.start,
                    end=quote.end,
                    page=_page(text, quote.unit),
                    similarity=quote.similarity,
                    previous_unit=quote.previous_unit,
                    previous_text=quote.previous_text,
                )
            )
        rows += [
            EvidenceRow(criterion=answer.criterion, status=UNANCHORED, text=typed)
            for typed in answer.evidence
        ]
    return rows


def evidence_against(
    report: Report, other: DraftText, *, threshold: float = SIMILARITY
) -> list[EvidenceRow]:
    """Every quote of the report found again in another draft's text (nothing is written)."""
    rows: list[EvidenceRow] = []
    for answer in report.answers:
        for quote in answer.quotes or []:
            new = requote(quote, other.find(quote.text, quote.unit, threshold=threshold))
            rows.append(
                EvidenceRow(
                    criterion=answer.criterion,
                    status=new.status.value,
                    text=new.text,
                    unit=new.unit,
                    start=new.start,
                    end=new.end,
                    page=_page(other, new.unit),
                    similarity=new.similarity,
                    previous_unit=new.previous_unit,
                    previous_text=new.previous_text,
                )
            )
        rows += [
            EvidenceRow(criterion=answer.criterion, status=UNANCHORED, text=typed)
            for typed in answer.evidence
        ]
    return rows


def next_round(
    scored: Scored,
    extracted: Extracted,
    path: Path,
    *,
    beside: bool = False,
    threshold: float = SIMILARITY,
) -> tuple[Report, Path | None, Carried]:
    """A new report at `path` for the next round's draft, with the answers of `scored` carried
    over; also the text file to write beside it (None: the text is in the report).

    The package, criteria and profile stay; the review trail starts afresh (it judged the old
    round's answers), and so does the provenance's clock.
    """
    from guaranteekit.drafts.attach import attach
    from guaranteekit.formats.assessment import finalize, now, relative_hint

    old = scored.report
    stamp = now()
    profile = old.profile
    if profile is not None and scored.profile_path is not None:
        profile = profile.model_copy(update={"path": relative_hint(scored.profile_path, path)})
    attached, target = attach(old, extracted, path, beside=beside)
    assert attached.draft is not None
    text = DraftText(extracted.text, attached.draft.units)
    answers, summary = carry_answers(old.answers, text, threshold=threshold)
    provenance = old.provenance.model_copy(update={"created": stamp, "modified": stamp})
    report = Report(
        format_version=old.format_version,
        package=old.package,
        criteria=old.criteria,
        profile=profile,
        answers=answers,
        provenance=provenance,
        draft=attached.draft,
    )
    return finalize(report, scored.criteria, scored.profile), target, summary


def quote_changes(old: Report, new: Report, new_path: Path) -> list[EvidenceRow]:
    """Every quote of `old` as it stands in `new`'s draft: what `diff` shows per criterion.

    Empty when `new` has no draft attached or `old` quotes nothing.
    """
    from guaranteekit.drafts.attach import load_text

    if new.draft is None or not any(answer.quotes for answer in old.answers):
        return []
    other = load_text(new, new_path)
    return [row for row in evidence_against(old, other) if row.status != UNANCHORED]
