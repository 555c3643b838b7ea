"""verify's checks of the review trail: sign-off, open disputes, evidence, criteria version, signatures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from guaranteekit.errors import Code, GuaranteekitError
from guaranteekit.formats.assessment import Scored
from guaranteekit.formats.models import AnswerStatus, Report, SignoffDecision
from guaranteekit.review import signing
from guaranteekit.review.trail import (
    SignatureCheck,
    check_signatures,
    is_author,
    is_stale,
    newer_versions,
    open_disputes,
    signoff_status,
    summary,
)
from guaranteekit.textsafe import one_line
from guaranteekit.verify.checks import FileResult, Options, Severity


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _quote(text: str, limit: int = 100) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_signoff(scored: Scored, result: FileResult, options: Options) -> None:
    status = signoff_status(scored.report)
    entry = status.entry
    if entry is None:
        return
    where = f"review.entries[{status.index}]"
    if (
        entry.decision is SignoffDecision.APPROVED
        and status.stale
        and not is_stale(entry, scored.report)
    ):
        result.add(
            Code.SIGNOFF_STALE,
            where,
            f"approved by {entry.author} on {_when(entry.at)} while"
            f" {len(status.stale_accepts)} accepted answer(s) had changed since they were accepted"
            f" ({', '.join(status.stale_accepts)}): the approval does not cover them as they are",
        )
    elif entry.decision is SignoffDecision.APPROVED and status.stale:
        result.add(
            Code.SIGNOFF_STALE,
            where,
            f"approved by {entry.author} on {_when(entry.at)}, but the content changed since: the"
            " approval does not cover the current answers",
        )
    elif entry.decision is SignoffDecision.CHANGES_REQUESTED:
        result.add(
            Code.CHANGES_REQUESTED,
            where,
            f"{entry.author} requested changes on {_when(entry.at)}"
            + ("; the content changed since, so it awaits a new review" if status.stale else ""),
            Severity.WARNING,
        )


def check_disputes(scored: Scored, result: FileResult, options: Options) -> None:
    for index, entry in open_disputes(scored.report):
        result.add(
            Code.DISPUTE_OPEN,
            f"review.entries[{index}] ({entry.criterion})",
            f"disputed by {entry.author} on {_when(entry.at)} and not resolved: {_quote(entry.text)}",
            Severity.WARNING,
        )


def check_evidence(scored: Scored, result: FileResult, options: Options) -> None:
    for index, answer in enumerate(scored.report.answers):
        if answer.status is not AnswerStatus.LEVEL or answer.level is None:
            continue
        try:
            above_lowest = scored.criteria.criterion(answer.criterion).level_index(answer.level) > 0
        except KeyError:
            continue  # verify reports answers that do not fit the rubric itself
        # A quote anchored in the draft is evidence too, unless it is gone from this round's text.
        anchored = any(quote.status != "missing" for quote in answer.quotes or [])
        if above_lowest and not anchored and not any(quote.strip() for quote in answer.evidence):
            result.add(
                Code.NO_EVIDENCE,
                f"answers[{index}] ({answer.criterion}).evidence",
                f"level {answer.level!r} is above the lowest level but no evidence is quoted from"
                " the draft",
                Severity.WARNING,
            )


def check_outdated(scored: Scored, result: FileResult, options: Options) -> None:
    ref = scored.report.criteria
    newer = newer_versions(ref.id, ref.version)
    if newer:
        result.add(
            Code.CRITERIA_OUTDATED,
            "criteria.version",
            f"scored against {ref.id} {ref.version}, but version {newer[0]} is installed",
            Severity.WARNING,
        )


def check_report_signatures(scored: Scored, result: FileResult, options: Options) -> None:
    report = scored.report
    allowed = options.allowed_signers
    checks: list[SignatureCheck] = []
    if allowed is not None and not Path(allowed).is_file():
        result.add(Code.ALLOWED_SIGNERS_MISSING, "", f"{allowed}: no such file (--allowed-signers)")
        result.could_not_run = True
        allowed = None
    if allowed is not None and not report.review.signatures:
        result.add(
            Code.UNSIGNED,
            "review.signatures",
            "the report carries no signature to check against the allowed-signers list",
            Severity.WARNING,
        )
    if report.review.signatures:
        try:
            checks = check_signatures(report, allowed)
        except signing.SshKeygenMissing as exc:
            result.add(Code.SSH_KEYGEN_MISSING, "review.signatures", exc.problems[0])
            result.could_not_run = True
        except GuaranteekitError as exc:
            result.add(Code.SIGNATURE_INVALID, "review.signatures", exc.problems[0])
    for check in checks:
        where = f"review.signatures[{check.index}] ({check.signature.signer})"
        if not check.valid:
            result.add(
                Code.SIGNATURE_INVALID,
                where,
                f"the signature does not verify over the current content: {check.detail}",
            )
        elif check.trusted is False:
            result.add(Code.SIGNATURE_UNTRUSTED, where, f"signer not allowed: {check.detail}")
    _check_trail_signed(report, checks, result, checked=allowed is not None)
    valid = sum(1 for check in checks if check.valid)
    if valid and options.allowed_signers is None:
        result.add(
            Code.SIGNATURE_UNCHECKED,
            "review.signatures",
            f"{valid} signature(s) verified over the content but not checked against a list of"
            " allowed signers, so who signed is not established (pass --allowed-signers FILE)",
            Severity.WARNING,
        )
    if result.summary is not None:
        result.summary.review = summary(report, checks)


def _check_trail_signed(
    report: Report, checks: list[SignatureCheck], result: FileResult, *, checked: bool
) -> None:
    """Entries no valid signature covers; with an allowed-signers list, a latest sign-off that its
    author has not signed. (A part of `check_report_signatures`.)"""
    covered = max((c.covers for c in checks if c.valid), default=0)
    entries = report.review.entries
    if any(c.valid for c in checks) and covered < len(entries):
        result.add(
            Code.TRAIL_UNSIGNED,
            f"review.entries[{covered}]",
            f"{len(entries) - covered} review entries, from this one on, were added after the last"
            " valid signature or are not covered by one: who wrote them is not established",
            Severity.WARNING,
        )
    status = signoff_status(report)
    if not checked or status.entry is None or status.stale or status.index is None:
        return
    if report.review.signatures and not checks:
        return  # the signatures could not be checked at all, which is said already
    covering = [c for c in checks if c.valid and c.covers > status.index]
    if any(c.trusted is False for c in covering):
        return  # signature-untrusted says so already
    signers = [c.signature.signer for c in covering if c.trusted]
    author = status.entry.author
    if any(is_author(author, signer) for signer in signers):
        return
    if signers:
        why = (
            f"it names {author!r} but is signed by {', '.join(signers)} only; a sign-off counts"
            " when its author signs it (the author written as the signer's principal, or the part"
            " before its @)"
        )
    else:
        why = "no trusted signature covers it (added after the last signature, or never signed)"
    result.add(
        Code.SIGNOFF_UNSIGNED,
        f"review.entries[{status.index}]",
        f"the sign-off by {author} on {_when(status.entry.at)} is not established: {why}",
    )
