"""The review trail: accept or dispute answers, reply, resolve, sign off, and sign with an SSH key.

This is the whole review API; the TUI's review screens and the `sign` command call it, and nothing
here prints to a terminal except `sign_command`. Reports are treated as immutable: every function
returns a new report with one entry appended, stamped with the time and the content digest
(`assessment.content_digest`: package, criteria and profile references, answers) it was made on.

The rules, in one place:

- An entry about a criterion is *stale* when that criterion's answer changed after it was made
  (each such entry records the answer's digest); a sign-off, a general comment, and entries of
  trails written before answer digests were recorded, when any of the content changed. An
  approval is stale too while an answer it covers was accepted on an earlier version of it.
- A dispute stays *open* until a later `resolve` or `accept` of the same criterion. A `reply` adds to
  the thread without closing it, and neither does changing the answer: the reviewer looks at the
  change and resolves (or accepts) it. A criterion whose open dispute is stale has had its content
  changed since the dispute, which usually means the assessor has acted on it.
- Only the latest sign-off counts. An approval is refused while a dispute is open.
- Adding an entry re-stamps the report digest only when it matched before, so a review never
  blesses a hand edit; `sign_report` refuses a report whose digest does not match.

What `verify` reports about the trail (open disputes, stale sign-offs, signatures) is checked in
`guaranteekit.verify.review_checks`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.assessment import (
    content_digest,
    load_report,
    now,
    report_digest,
    save_report,
)
from guaranteekit.formats.digest import digest_data
from guaranteekit.formats.models import (
    CriteriaSet,
    Report,
    ReviewEntry,
    ReviewKind,
    Signature,
    SignoffDecision,
)
from guaranteekit.review import signing
from guaranteekit.textsafe import one_line

_NEEDS_CRITERION = {ReviewKind.ACCEPT, ReviewKind.DISPUTE, ReviewKind.REPLY, ReviewKind.RESOLVE}
_NEEDS_TEXT = {ReviewKind.COMMENT, ReviewKind.DISPUTE, ReviewKind.REPLY}
_SIGNER = re.compile(r'[^\s,"\x00-\x1f\x7f]+')


class ReviewError(GuaranteekitError):
    """A review step that does not fit the trail (nothing to resolve, an approval over an open
    dispute, a blank name...)."""


class State(StrEnum):
    """Where the review of one criterion stands."""

    UNREVIEWED = "unreviewed"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"
    """Disputed, and the dispute is still open."""
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class CriterionReview:
    """The review of one criterion: its state and its thread."""

    criterion: str
    state: State
    stale: bool
    """The entry that set the state was made on content that has changed since."""
    thread: tuple[ReviewEntry, ...]
    """Every entry about the criterion, oldest first."""

    @property
    def open(self) -> bool:
        """Whether a dispute is open."""
        return self.state is State.DISPUTED


class SignoffStatus(NamedTuple):
    """The latest sign-off, and whether the content changed after it."""

    entry: ReviewEntry | None
    stale: bool
    index: int | None = None  # type: ignore[assignment]  # a field, shadowing tuple.index
    """Position of the sign-off in `review.entries`."""
    stale_accepts: tuple[str, ...] = ()
    """For an approval: criteria accepted (or resolved) on an earlier version of their answer."""

    @property
    def approved(self) -> bool:
        """Whether the current content is approved (latest sign-off approves it and is not stale)."""
        return (
            self.entry is not None
            and self.entry.decision is SignoffDecision.APPROVED
            and not self.stale
        )


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """The outcome of checking one signature of a report."""

    index: int
    signature: Signature
    valid: bool
    """The signature verifies over the report's current content."""
    trusted: bool | None
    """The allowed-signers list accepts the key for the signer; None when no list was given."""
    key: str = ""
    """The signing key (`ED25519 SHA256:...`) when the signature verified."""
    detail: str = ""
    """Why it is not valid or not trusted."""
    covers: int = 0
    """How many review entries, from the first, a valid signature vouches for (0 for a signature
    made before signatures covered the trail)."""


# --------------------------------------------------------------------------------------------------
# Reading the trail
# --------------------------------------------------------------------------------------------------


def answer_digest(report: Report, criterion: str) -> str:
    """Digest of the answer to `criterion` as it stands (of `null` while it is unanswered)."""
    answer = report.answer(criterion)
    return digest_data(answer.model_dump(mode="json", exclude_none=True) if answer else None)


def is_stale(entry: ReviewEntry | Signature, report: Report) -> bool:
    """Whether what `entry` was made on changed since: its criterion's answer when it recorded
    one, else the report's content."""
    if isinstance(entry, ReviewEntry) and entry.criterion and entry.answer_digest is not None:
        return entry.answer_digest != answer_digest(report, entry.criterion)
    return entry.content_digest != content_digest(report)


def stale_entries(report: Report) -> list[tuple[int, ReviewEntry]]:
    """Entries made on answers (or content) that changed since, with their positions."""
    return [(i, e) for i, e in enumerate(report.review.entries) if is_stale(e, report)]


def threads(report: Report) -> dict[str | None, list[ReviewEntry]]:
    """Entries by criterion, oldest first; general comments and sign-offs under None."""
    found: dict[str | None, list[ReviewEntry]] = {}
    for entry in report.review.entries:
        found.setdefault(entry.criterion, []).append(entry)
    return found


def review_state(report: Report) -> dict[str, CriterionReview]:
    """The review of every answered criterion (in answer order), then of any other criterion the
    trail mentions. A criterion absent from the result is unreviewed."""
    order = [a.criterion for a in report.answers]
    states: dict[str, State] = dict.fromkeys(order, State.UNREVIEWED)
    deciding: dict[str, ReviewEntry] = {}
    entries: dict[str, list[ReviewEntry]] = {cid: [] for cid in order}
    for entry in report.review.entries:
        cid = entry.criterion
        if cid is None:
            continue
        entries.setdefault(cid, []).append(entry)
        state = states.setdefault(cid, State.UNREVIEWED)
        if entry.kind is ReviewKind.ACCEPT:
            states[cid], deciding[cid] = State.ACCEPTED, entry
        elif entry.kind is ReviewKind.DISPUTE:
            states[cid], deciding[cid] = State.DISPUTED, entry
        elif entry.kind is ReviewKind.RESOLVE and state is State.DISPUTED:
            states[cid], deciding[cid] = State.RESOLVED, entry
    return {
        cid: CriterionReview(
            criterion=cid,
            state=state,
            stale=cid in deciding and is_stale(deciding[cid], report),
            thread=tuple(entries[cid]),
        )
        for cid, state in states.items()
    }


def open_disputes(report: Report) -> list[tuple[int, ReviewEntry]]:
    """Disputes not followed by a `resolve` or `accept` of the same criterion, with positions."""
    pending: dict[str, list[tuple[int, ReviewEntry]]] = {}
    for index, entry in enumerate(report.review.entries):
        if entry.criterion is None:
            continue
        if entry.kind is ReviewKind.DISPUTE:
            pending.setdefault(entry.criterion, []).append((index, entry))
        elif entry.kind in (ReviewKind.RESOLVE, ReviewKind.ACCEPT):
            pending.pop(entry.criterion, None)
    return sorted((item for items in pending.values() for item in items), key=lambda i: i[0])


def signoff_status(report: Report) -> SignoffStatus:
    """The latest sign-off and whether it is stale (`SignoffStatus(None, False)` when none)."""
    for index in range(len(report.review.entries) - 1, -1, -1):
        entry = report.review.entries[index]
        if entry.kind is ReviewKind.SIGNOFF:
            stale_accepts: tuple[str, ...] = ()
            if entry.decision is SignoffDecision.APPROVED:
                stale_accepts = tuple(
                    cid
                    for cid, found in review_state(report).items()
                    if found.stale and found.state in (State.ACCEPTED, State.RESOLVED)
                )
            stale = is_stale(entry, report) or bool(stale_accepts)
            return SignoffStatus(entry, stale, index, stale_accepts)
    return SignoffStatus(None, False)


class SignoffSummary(BaseModel):
    """The latest sign-off, as `verify --format json` gives it."""

    author: str
    decision: str
    at: str
    stale: bool


class SignatureSummary(BaseModel):
    """One signature checked, as `verify --format json` gives it."""

    signer: str
    at: str
    valid: bool
    trusted: bool | None
    key: str


class ReviewSummary(BaseModel):
    """The review in figures: the `review` part of `verify --format json`'s summary."""

    entries: int
    states: dict[str, int]
    """State (`accepted`, `disputed`, ...) -> how many criteria are in it, every state listed."""
    open_disputes: int
    signoff: SignoffSummary | None
    signatures: list[SignatureSummary]


def summary(report: Report, checks: list[SignatureCheck] | None = None) -> ReviewSummary:
    """The review in figures, as verify's summary holds it."""
    counts = dict.fromkeys((s.value for s in State), 0)
    for review in review_state(report).values():
        counts[review.state.value] += 1
    status = signoff_status(report)
    signoff = None
    if status.entry is not None:
        signoff = SignoffSummary(
            author=status.entry.author,
            decision=status.entry.decision.value if status.entry.decision else "",
            at=status.entry.at.isoformat(),
            stale=status.stale,
        )
    return ReviewSummary(
        entries=len(report.review.entries),
        states=counts,
        open_disputes=len(open_disputes(report)),
        signoff=signoff,
        signatures=[
            SignatureSummary(
                signer=c.signature.signer,
                at=c.signature.at.isoformat(),
                valid=c.valid,
                trusted=c.trusted,
                key=c.key,
            )
            for c in (checks or [])
        ],
    )


def default_name() -> str:
    """The person running the command, when no name is given: git's `user.name`, else `$USER`,
    on one line (both are text from outside, recorded in the trail)."""
    try:
        found = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return one_line(found or os.environ.get("USER", ""))


# --------------------------------------------------------------------------------------------------
# Writing the trail
# --------------------------------------------------------------------------------------------------


def _restamped(before: Report, after: Report) -> Report:
    """`after` with its digest brought up to date, if `before`'s digest matched its content."""
    if before.digest is None or before.digest != report_digest(before):
        return after.model_copy(update={"digest": before.digest})
    return after.model_copy(update={"digest": report_digest(after)})


def _known(report: Report, criterion: str, criteria: CriteriaSet | None) -> bool:
    if criteria is not None:
        return any(c.id == criterion for c in criteria.criteria)
    return report.answer(criterion) is not None or any(
        e.criterion == criterion for e in report.review.entries
    )


def add_entry(
    report: Report,
    kind: ReviewKind | str,
    author: str,
    criterion: str | None = None,
    text: str = "",
    decision: SignoffDecision | str | None = None,
    *,
    criteria: CriteriaSet | None = None,
    at: datetime | None = None,
) -> Report:
    """The report with one review entry appended (stamped with `at`, default now, and the current
    content digest). ReviewError when the step does not fit the trail.

    With `criteria`, a criterion is checked against the set (so an unanswered one can be disputed);
    without it, it must be answered or already discussed.
    """
    try:
        kind = ReviewKind(kind)
        decision = SignoffDecision(decision) if decision is not None else None
    except ValueError as exc:
        raise ReviewError(f"review: {exc}") from None
    author = one_line(author)
    text = text.strip()
    if not author:
        raise ReviewError("review: the author's name is empty")
    if kind is ReviewKind.SIGNOFF:
        if decision is None:
            raise ReviewError("review: a sign-off needs a decision (approved or changes_requested)")
        if criterion is not None:
            raise ReviewError("review: a sign-off covers the whole report, not one criterion")
    elif decision is not None:
        raise ReviewError(f"review: a {kind.value} takes no decision")
    if kind in _NEEDS_CRITERION and criterion is None:
        raise ReviewError(f"review: a {kind.value} needs the criterion it is about")
    if kind in _NEEDS_TEXT and not text:
        raise ReviewError(f"review: a {kind.value} needs text saying what is meant")
    if criterion is not None:
        if kind is ReviewKind.ACCEPT and report.answer(criterion) is None:
            raise ReviewError(f"review: {criterion!r} has no answer to accept")
        if not _known(report, criterion, criteria):
            raise ReviewError(f"review: unknown criterion {criterion!r}")
        if kind is ReviewKind.REPLY and not any(
            e.criterion == criterion for e in report.review.entries
        ):
            raise ReviewError(f"review: nothing to reply to about {criterion!r}")
        if kind is ReviewKind.RESOLVE and not any(
            e.criterion == criterion for _, e in open_disputes(report)
        ):
            raise ReviewError(f"review: {criterion!r} has no open dispute to resolve")
    if decision is SignoffDecision.APPROVED and (pending := open_disputes(report)):
        names = ", ".join(dict.fromkeys(str(e.criterion) for _, e in pending))
        raise ReviewError(
            f"review: cannot approve while {len(pending)} dispute(s) are open ({names}); resolve"
            " them or request changes"
        )
    try:
        entry = ReviewEntry(
            kind=kind,
            author=author,
            at=at or now(),
            criterion=criterion,
            text=text,
            decision=decision,
            content_digest=content_digest(report),
            answer_digest=answer_digest(report, criterion) if criterion is not None else None,
        )
    except ValidationError as exc:
        problems = [f"review: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ReviewError(problems) from None
    review = report.review.model_copy(update={"entries": [*report.review.entries, entry]})
    return _restamped(report, report.model_copy(update={"review": review}))


def comment(
    report: Report, author: str, text: str, criterion: str | None = None, **kw: Any
) -> Report:
    """A remark on one criterion or (without one) on the whole report; changes no state."""
    return add_entry(report, ReviewKind.COMMENT, author, criterion, text, **kw)


def accept(report: Report, author: str, criterion: str, text: str = "", **kw: Any) -> Report:
    """The reviewer agrees with an answer (and closes any open dispute on it)."""
    return add_entry(report, ReviewKind.ACCEPT, author, criterion, text, **kw)


def dispute(report: Report, author: str, criterion: str, text: str, **kw: Any) -> Report:
    """The reviewer disagrees with an answer and says why; open until resolved or accepted."""
    return add_entry(report, ReviewKind.DISPUTE, author, criterion, text, **kw)


def reply(report: Report, author: str, criterion: str, text: str, **kw: Any) -> Report:
    """An answer in a criterion's thread (typically the assessor's); does not close a dispute."""
    return add_entry(report, ReviewKind.REPLY, author, criterion, text, **kw)


def resolve(report: Report, author: str, criterion: str, text: str = "", **kw: Any) -> Report:
    """Closes the open dispute on a criterion."""
    return add_entry(report, ReviewKind.RESOLVE, author, criterion, text, **kw)


def sign_off(
    report: Report,
    author: str,
    decision: SignoffDecision | str,
    text: str = "",
    **kw: Any,
) -> Report:
    """The reviewer's verdict on the whole report: approved, or changes requested."""
    return add_entry(report, ReviewKind.SIGNOFF, author, None, text, decision, **kw)


# --------------------------------------------------------------------------------------------------
# SSH signatures
# --------------------------------------------------------------------------------------------------


def check_signer(signer: str) -> str:
    """`signer` if it can be written as a principal of an allowed-signers file, else ReviewError."""
    if not _SIGNER.fullmatch(signer):
        raise ReviewError(
            f"signer {signer!r}: write the principal as in the allowed-signers file, e.g."
            " alice@example.org (no spaces, commas or quotes)"
        )
    return signer


def trail_digest(report: Report, entries: int) -> str:
    """Digest of what a signature vouches for beside the content: the provenance (who assessed,
    when; not the tool, which a re-save by a newer version updates) and the first `entries`
    review entries (who accepted, disputed and signed off)."""
    return digest_data(
        {
            "provenance": report.provenance.model_dump(
                mode="json", exclude_none=True, exclude={"tool"}
            ),
            "entries": [
                entry.model_dump(mode="json", exclude_none=True)
                for entry in report.review.entries[:entries]
            ],
        }
    )


def signed_message(content: str, trail: str | None) -> bytes:
    """The bytes a signature signs: the content digest, then the trail digest when it has one."""
    return (content if trail is None else f"{content}\n{trail}\n").encode("ascii")


def is_author(author: str, principal: str) -> bool:
    """Whether a review entry's `author` names the signer `principal`: the principal itself
    (`rita@example.org`), its part before the `@` (`rita`, `Rita`; `rita.analyst` for `Rita
    Analyst`), or that part as the author's first name (`Rita Analyst`), in any case."""
    given, wanted = author.strip().casefold(), principal.casefold()
    if not given or given == wanted:
        return bool(given)
    name, local = _words(given), _words(wanted.partition("@")[0])
    return bool(name) and (name == local or name.split()[0] == local)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[._\-]", " ", text).split())


def sign_report(report: Report, key: Path, signer: str, *, at: datetime | None = None) -> Report:
    """The report with an SSH signature by `key` over its current content digest.

    Signatures over earlier content (they no longer verify) and the signer's own earlier signature
    of the same content are dropped. ReviewError when the report digest does not match: a signature
    must not vouch for a file edited by hand.
    """
    check_signer(signer)
    if report.digest is None or report.digest != report_digest(report):
        raise ReviewError(
            "digest: the report does not match its digest (edited by hand, or changed without"
            " being finalized); check it with `guaranteekit verify` and re-save it before signing"
        )
    content = content_digest(report)
    entries = len(report.review.entries)
    trail = trail_digest(report, entries)
    armored = signing.sign(signed_message(content, trail), Path(key))
    kept = [
        s for s in report.review.signatures if s.content_digest == content and s.signer != signer
    ]
    signature = Signature(
        signer=signer,
        namespace=signing.NAMESPACE,
        content_digest=content,
        at=at or now(),
        signature=armored,
        trail_digest=trail,
        entries=entries,
    )
    review = report.review.model_copy(update={"signatures": [*kept, signature]})
    return _restamped(report, report.model_copy(update={"review": review}))


def _mismatch(report: Report, sig: Signature, content: str, covers: int) -> str:
    """Why a signature cannot hold over the report as it is now, before any key is checked
    (empty when it may)."""
    if sig.namespace != signing.NAMESPACE:
        return f"namespace {sig.namespace!r}, not {signing.NAMESPACE!r}"
    if sig.content_digest != content:
        return (
            "it was made over different content: the package, criteria, profile or answers"
            " changed after it was signed"
        )
    if sig.trail_digest is not None and (
        covers > len(report.review.entries) or trail_digest(report, covers) != sig.trail_digest
    ):
        return (
            f"the provenance or the review trail it covers (the first {covers} entries) changed"
            " after it was signed"
        )
    return ""


def check_signatures(report: Report, allowed_signers: Path | None = None) -> list[SignatureCheck]:
    """Check every signature over the report's current content, and against `allowed_signers` when
    given. Raises SshKeygenMissing when there are signatures and no ssh-keygen."""
    content = content_digest(report)
    checks: list[SignatureCheck] = []
    for index, sig in enumerate(report.review.signatures):
        message = signed_message(content, sig.trail_digest)
        covers = (sig.entries or 0) if sig.trail_digest is not None else 0
        mismatch = _mismatch(report, sig, content, covers)
        if mismatch:
            checks.append(SignatureCheck(index, sig, False, None, detail=mismatch))
            continue
        outcome = signing.check(message, sig.signature)
        if not outcome.ok:
            checks.append(SignatureCheck(index, sig, False, None, detail=outcome.detail))
            continue
        if allowed_signers is None:
            checks.append(SignatureCheck(index, sig, True, None, key=outcome.key, covers=covers))
            continue
        trust = signing.verify(message, sig.signature, sig.signer, allowed_signers)
        detail = ""
        if not trust.ok:
            listed = signing.principals(sig.signature, allowed_signers)
            detail = (
                f"{allowed_signers} lists the key {outcome.key} for {', '.join(listed)}, not"
                f" {sig.signer}"
                if listed
                else f"{allowed_signers} does not list the key {outcome.key} for {sig.signer}"
                f" in namespace {signing.NAMESPACE!r}"
            )
        checks.append(
            SignatureCheck(
                index, sig, True, trust.ok, key=outcome.key, detail=detail, covers=covers
            )
        )
    return checks


def sign_command(args: argparse.Namespace) -> int:
    """`guaranteekit sign REPORT --key FILE --signer NAME`: sign and save the report in place."""
    path = Path(args.report)
    report = load_report(path)
    content = content_digest(report)
    try:
        signed = sign_report(report, args.key, args.signer)
    except ReviewError as exc:
        raise ReviewError([f"{path}: {line}" for line in exc.problems]) from None
    dropped = [
        s.signer
        for s in report.review.signatures
        if s.content_digest != content or s.signer == args.signer
    ]
    # Signing is an explicit request to change this file, so it is replaced in place (atomically).
    save_report(path, signed, overwrite=True)
    made = signed.review.signatures[-1]
    key = signing.check(signed_message(content, made.trail_digest), made.signature).key
    print(f"{path}: signed as {args.signer}" + (f" with {key}" if key else ""))
    if dropped:
        print(
            f"guaranteekit: {path}: dropped {len(dropped)} earlier signature(s) that no longer"
            f" cover this content ({', '.join(dropped)})",
            file=sys.stderr,
        )
    return 0


# --------------------------------------------------------------------------------------------------
# verify checks
# --------------------------------------------------------------------------------------------------


_NUMBER_OR_WORD = re.compile(r"\d+|[^\W\d_]+")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key for criteria versions: numbers compare as numbers (`1.10` > `1.9`), trailing zeros
    do not count (`1.0` == `1`), a leading `v` is ignored, and words sort after numbers."""
    version = version.strip()
    if version[:1] in ("v", "V") and version[1:2].isdigit():
        version = version[1:]
    parts: list[tuple[int, int | str]] = [
        (0, int(p)) if p.isdigit() else (1, p.lower()) for p in _NUMBER_OR_WORD.findall(version)
    ]
    while len(parts) > 1 and parts[-1] == (0, 0):
        parts.pop()
    return tuple(parts)


def newer_versions(criteria_id: str, version: str) -> list[str]:
    """Versions of the criteria set `criteria_id` installed (findable by id) that are newer than
    `version`, newest first."""
    from guaranteekit.formats.catalog import available

    mine = version_key(version)
    found = {s.version for _, s in available() if s.id == criteria_id}
    return sorted((v for v in found if version_key(v) > mine), key=version_key, reverse=True)


__all__ = [
    "CriterionReview",
    "ReviewError",
    "SignatureCheck",
    "SignoffStatus",
    "State",
    "accept",
    "add_entry",
    "answer_digest",
    "check_signatures",
    "check_signer",
    "comment",
    "dispute",
    "is_stale",
    "newer_versions",
    "open_disputes",
    "reply",
    "resolve",
    "review_state",
    "sign_command",
    "sign_off",
    "sign_report",
    "stale_entries",
    "summary",
    "threads",
    "version_key",
]
