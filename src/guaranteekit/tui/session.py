"""An assessment being edited: the current report, its draft, its undo history, what changed on disk.

The terminal UI holds one `Session` and calls it for every change; this module does the work so that
it can be tested without a terminal, and it never imports textual.

Nothing is lost: every change is written at once (atomically, through `save_report`) to the draft
beside the report (`guaranteekit.tui.drafts` names it and locks it). A clean save writes the report
and removes the draft; a draft that outlives its report (the app was killed) is offered back on the
next open. A session that may change the report holds the draft's lock until `close`; one opened
while another holds it is read-only and never touches the draft.

The review trail is part of the session too: a review step (accept, dispute, reply... from
`guaranteekit.review.trail`) leaves the answers alone but is an unsaved change and goes to the draft
like any other. A session opened for review (`Session.for_review`) locks the answers and the
package: the reviewer judges them, the assessor changes them.

Answer changes (a level, unknown, not applicable, a cleared answer, a confidence) can be undone and
redone; the rationale and evidence typed since are kept through both, since their own boxes undo
text. Nothing is overwritten behind the user's back: before a save the report file is compared with
what was opened, and a change made by someone else raises `ChangedOnDisk`.

The module is one class and its two small helpers: every change the UI makes is one of the
session's methods, and they share its state (the report, the draft and its lock, the undo history).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from guaranteekit.errors import GuaranteekitError, LoadError, NotFoundError, WriteError
from guaranteekit.formats.assessment import (
    content_digest,
    finalize,
    load_report,
    load_scored,
    new_report,
    now,
    relative_hint,
    report_digest,
    save_report,
    with_answer,
)
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Package,
    Profile,
    Quote,
    Report,
    Results,
    Review,
)
from guaranteekit.formats.storage import read_bytes
from guaranteekit.tui.drafts import (
    DraftLock,
    Recovery,
    draft_path,
    draft_stamp,
    find_recovery,
    reserved_name,
)

if TYPE_CHECKING:
    from guaranteekit.drafts.anchor import DraftText
    from guaranteekit.drafts.read import Extracted

if TYPE_CHECKING:
    from guaranteekit.verify.checks import Problem

# --------------------------------------------------------------------------------------------------
# Changes on disk
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file looked like when we last read or wrote it."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The stamp of a file now, or None when it does not exist."""
        try:
            stat = Path(path).stat()
            data = read_bytes(Path(path))  # regular files only, capped: never a FIFO or a device
        except (FileNotFoundError, NotFoundError):
            return None
        except OSError as exc:
            raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest())

    def same_content(self, other: FileStamp | None) -> bool:
        """True when `other` holds the same bytes (a touch without a change is no change)."""
        return other is not None and other.size == self.size and other.sha256 == self.sha256


class ChangedOnDisk(WriteError):
    """The report was changed (or created) by someone else since it was opened."""


@dataclass(frozen=True, slots=True)
class AnswerEdit:
    """One undoable change of one criterion's answer (None: unanswered)."""

    criterion: str
    before: Answer | None
    after: Answer | None


def _with_notes(target: Answer | None, notes: Answer | None) -> Answer | None:
    """`target` carrying the rationale and evidence of `notes` (the text typed meanwhile)."""
    if target is None or notes is None:
        return target
    return target.model_copy(update={"rationale": notes.rationale, "evidence": notes.evidence})


# --------------------------------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------------------------------


class Session:
    """One assessment being edited. Every change goes to the draft file before the method returns
    (or, with `write_soon` set, right after the screen shows it)."""

    def __init__(
        self,
        path: Path,
        report: Report,
        criteria: CriteriaSet,
        profile: Profile | None = None,
        *,
        stamp: FileStamp | None = None,
        saved: Report | None = None,
        read_only: bool = False,
        notes: list[str] | None = None,
        lock: DraftLock | None = None,
    ) -> None:
        self.path = Path(path)
        """Where the report is saved."""
        self.criteria = criteria
        self.profile = profile
        self.read_only = read_only
        """Opened to look only (another editor holds the draft): nothing is written."""
        self.reviewing = False
        """Opened for review: the trail may grow, the answers and package may not change."""
        self.notes = list(notes or [])
        """Non-fatal remarks from loading (e.g. criteria version differs)."""
        self.draft_kept = True
        """Whether the draft file holds the changes: false once a draft could not be written (a
        full or read-only disk), until one is."""
        self._report = finalize(report, criteria, profile)
        self._stamp = stamp
        self._saved = saved
        self._saved_content = content_digest(saved) if saved is not None else None
        self._attached: tuple[object, DraftText] | None = None
        """The attached draft's record and its text, read once (`attached_text`)."""
        self._lock = lock
        self._undo: list[AnswerEdit] = []
        self._redo: list[AnswerEdit] = []
        self._content_of: Report | None = None
        self._content_digest = ""
        self.write_soon: Callable[[Callable[[], None]], object] | None = None
        """When set (the terminal UI sets it), a change's draft write is handed to it to run a
        moment later, once the screen shows the change; `flush_draft` runs one still pending."""
        self._draft_pending = False

    # --- construction --------------------------------------------------------------------------

    @staticmethod
    def _lock_for(path: Path, read_only: bool) -> DraftLock | None:
        if (reserved := reserved_name(path)) is not None:
            raise WriteError(f"{path}: {reserved}")
        return None if read_only else DraftLock.acquire(path)

    @classmethod
    def start(
        cls,
        path: Path,
        package: Package,
        criteria: CriteriaSet,
        profile: Profile | None = None,
        *,
        profile_path: Path | None = None,
        assessor: str = "",
        attached: Extracted | None = None,
    ) -> Session:
        """A new assessment to be saved at `path` (which must not exist yet), with the draft read
        into `attached` attached to it (its text kept in the report), if given."""
        if Path(path).exists():
            raise WriteError(f"{path}: already exists; open it instead of starting a new one")
        lock = cls._lock_for(Path(path), False)
        try:
            hint = relative_hint(profile_path, Path(path)) if profile_path else ""
            report = new_report(package, criteria, profile, profile_path=hint, assessor=assessor)
            if attached is not None:
                from guaranteekit.drafts.attach import attach

                report, _ = attach(report, attached, Path(path))
            session = cls(path, report, criteria, profile, lock=lock)
            session.write_draft()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return session

    @classmethod
    def open(
        cls, path: Path, *, profile_path: Path | None = None, read_only: bool = False
    ) -> Session:
        """A saved report, resolved against its criteria set and profile.

        Raises `DraftLocked` when another editor has it open, unless `read_only`.
        """
        lock = cls._lock_for(Path(path), read_only)
        try:
            stamp = FileStamp.of(Path(path))
            scored = load_scored(Path(path), profile_path=profile_path)
            return cls(
                path,
                scored.report,
                scored.criteria,
                scored.profile,
                stamp=stamp,
                saved=scored.report,
                read_only=read_only,
                notes=scored.notes,
                lock=lock,
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def for_review(
        cls, path: Path, *, profile_path: Path | None = None, read_only: bool = False
    ) -> Session:
        """A saved report opened for review (its answers and package locked)."""
        session = cls.open(path, profile_path=profile_path, read_only=read_only)
        session.reviewing = True
        return session

    @classmethod
    def from_draft(cls, path: Path, *, profile_path: Path | None = None) -> Session:
        """An assessment that was never saved, rebuilt from its draft (`path` is the report)."""
        from guaranteekit.formats.assessment import profile_location
        from guaranteekit.formats.catalog import find_criteria, load_profile

        lock = cls._lock_for(Path(path), False)
        try:
            report = load_report(draft_path(Path(path)))
            criteria = find_criteria(report.criteria.id, report.criteria.version)
            profile = None
            location = profile_path or profile_location(Path(path), report)
            if location is not None:
                profile, _ = load_profile(location, criteria)
            return cls(path, report, criteria, profile, stamp=FileStamp.of(Path(path)), lock=lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    def close(self) -> None:
        """Write what the draft lacks, and let go of its lock (the draft stays, to be offered
        back)."""
        with contextlib.suppress(GuaranteekitError):
            self.flush_draft()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # --- state ---------------------------------------------------------------------------------

    @property
    def report(self) -> Report:
        """The report as it stands, finalized (results and digest current)."""
        return self._report

    @property
    def results(self) -> Results:
        """The results of the current answers."""
        assert self._report.results is not None  # finalize always sets them
        return self._report.results

    @property
    def draft(self) -> Path:
        """The draft file of this session."""
        return draft_path(self.path)

    @property
    def dirty(self) -> bool:
        """True when the content or the review trail differs from what the report file holds."""
        saved_trail = self._saved.review if self._saved is not None else Review()
        return self._saved_content != self._content() or self._report.review != saved_trail

    def _content(self) -> str:
        # The content digest of the report as it stands, worked out once per change: the top bar
        # asks after every change, and a long rationale makes it costly.
        report = self._report
        if self._content_of is not report:
            self._content_of, self._content_digest = report, content_digest(report)
        return self._content_digest

    @property
    def is_new(self) -> bool:
        """True until the report has been saved once."""
        return self._saved is None

    def answer(self, criterion_id: str) -> Answer | None:
        """The current answer to a criterion, or None."""
        return self._report.answer(criterion_id)

    def answered_count(self) -> int:
        """How many criteria have an answer (of any status)."""
        return len(self._report.answers)

    def problems(self) -> list[Problem]:
        """What `guaranteekit verify` would report about the report as it stands: the same checks,
        run on the report in memory (`guaranteekit.verify.checks.Problem`s)."""
        from guaranteekit.verify.checks import verify_report

        return list(verify_report(self._report, self.path).problems)

    # --- changes -------------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise WriteError(
                f"{self.path}: opened read-only (another guaranteekit has it open for changes);"
                " changes are not allowed"
            )
        if self.reviewing:
            raise WriteError(
                f"{self.path}: opened for review; the answers and package details cannot be"
                " changed here (the assessor changes them with `guaranteekit open`)"
            )

    def _apply(self, report: Report) -> Results:
        self._check_writable()
        self._report = finalize(report, self.criteria, self.profile)
        if self.write_soon is None:
            self.write_draft()
        elif not self._draft_pending:
            self._draft_pending = True
            self.write_soon(self.flush_draft)
        return self.results

    def _put(self, criterion_id: str, answer: Answer | None) -> Results:
        """Set (or with None remove) one answer, without touching the undo history."""
        if answer is not None:
            return self._apply(with_answer(self._report, answer))
        answers = [a for a in self._report.answers if a.criterion != criterion_id]
        provenance = self._report.provenance.model_copy(update={"modified": now()})
        return self._apply(
            self._report.model_copy(update={"answers": answers, "provenance": provenance})
        )

    def _edit(self, criterion_id: str, answer: Answer | None) -> Results:
        """Change one answer as an undoable step."""
        self._check_writable()
        before = self.answer(criterion_id)
        if answer == before:
            return self.results
        results = self._put(criterion_id, answer)
        self._undo.append(AnswerEdit(criterion_id, before, answer))
        self._redo.clear()
        return results

    def set_answer(self, answer: Answer) -> Results:
        """Set one answer (replacing any earlier one to the same criterion)."""
        return self._edit(answer.criterion, answer)

    def choose_level(self, criterion_id: str, level_id: str) -> Results:
        """Choose a rubric level, keeping the rationale, evidence and confidence already given."""
        criterion = self.criteria.criterion(criterion_id)
        criterion.level(level_id)  # KeyError for a level not in the rubric
        return self.set_answer(
            self._answer_with(criterion_id, status=AnswerStatus.LEVEL, level=level_id, reason="")
        )

    def mark_not_applicable(self, criterion_id: str, reason: str) -> Results:
        """Mark a criterion not applicable; a reason is required."""
        if not reason.strip():
            raise WriteError("a criterion marked not applicable needs a reason")
        return self.set_answer(
            self._answer_with(
                criterion_id, status=AnswerStatus.NOT_APPLICABLE, level=None, reason=reason.strip()
            )
        )

    def mark_unknown(self, criterion_id: str) -> Results:
        """Record that the draft is silent or unclear on a criterion."""
        return self.set_answer(
            self._answer_with(criterion_id, status=AnswerStatus.UNKNOWN, level=None, reason="")
        )

    def clear_answer(self, criterion_id: str) -> Results:
        """Remove the answer to a criterion."""
        return self._edit(criterion_id, None)

    def set_confidence(self, criterion_id: str, confidence: Confidence | None) -> Results:
        """Choose (or with None unset) how sure the analyst is of an answer at a level."""
        current = self.answer(criterion_id)
        if current is None or current.status is not AnswerStatus.LEVEL:
            raise WriteError(f"{criterion_id}: a confidence goes with a chosen level; choose one")
        return self._edit(criterion_id, current.model_copy(update={"confidence": confidence}))

    def set_notes(
        self,
        criterion_id: str,
        *,
        rationale: str | None = None,
        evidence: list[str] | None = None,
        confidence: Confidence | None = None,
    ) -> Results:
        """Change the rationale, evidence or confidence of an existing answer.

        Typed text is not an undo step (its own box undoes it); a confidence is.
        """
        current = self.answer(criterion_id)
        if current is None:
            raise WriteError(f"{criterion_id}: choose a level before writing a rationale")
        if confidence is not None:
            self.set_confidence(criterion_id, Confidence(confidence))
            current = self.answer(criterion_id)
            assert current is not None
        update: dict[str, object] = {}
        if rationale is not None:
            update["rationale"] = rationale
        if evidence is not None:
            update["evidence"] = [e.strip() for e in evidence if e.strip()]
        changed = current.model_copy(update=update)
        if changed == current:
            return self.results
        return self._put(criterion_id, changed)

    def set_package(self, package: Package) -> Results:
        """Replace the package details."""
        if package == self._report.package:
            return self.results
        return self._apply(self._report.model_copy(update={"package": package}))

    # --- undo ----------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        """Take back the latest answer change; the criterion it was about, or None if none."""
        if not self._undo:
            return None
        edit = self._undo[-1]
        current = self.answer(edit.criterion)
        self._put(edit.criterion, _with_notes(edit.before, current))
        self._undo.pop()
        self._redo.append(AnswerEdit(edit.criterion, edit.before, current))
        return edit.criterion

    def redo(self) -> str | None:
        """Make again the latest answer change undone; its criterion, or None if none."""
        if not self._redo:
            return None
        edit = self._redo[-1]
        current = self.answer(edit.criterion)
        self._put(edit.criterion, _with_notes(edit.after, current))
        self._redo.pop()
        self._undo.append(AnswerEdit(edit.criterion, current, edit.after))
        return edit.criterion

    # --- review --------------------------------------------------------------------------------

    def add_review(self, step: Callable[[Report], Report]) -> Report:
        """Apply a review step, e.g. `lambda r: review.accept(r, name, cid)`, and write the draft.

        Raises the step's `ReviewError` when it does not fit the trail; the report is then unchanged.
        The draft is written even in review mode, so a crash loses at most the step being typed.
        """
        if self.read_only:
            raise WriteError(
                f"{self.path}: opened read-only (another guaranteekit has it open); the review"
                " cannot be changed here"
            )
        before = self._report
        after = step(before)
        if content_digest(after) != content_digest(before):
            raise WriteError(f"{self.path}: a review step must not change the answers")
        self._report = after
        # A draft that cannot be written loses nothing yet: the step is kept in memory and saving
        # the report reports the disk's problem.
        with contextlib.suppress(GuaranteekitError):
            self.write_draft()
        return after

    def adjudicate(self, step: Callable[[Report], Report]) -> Report:
        """Apply an adjudication (`review.consensus.adjudicate`), the one review step that changes
        an answer: a reviewer settling a disagreement between assessors. Writes the draft."""
        if self.read_only:
            raise WriteError(f"{self.path}: opened read-only; changes are not allowed")
        self._report = step(self._report)
        with contextlib.suppress(GuaranteekitError):
            self.write_draft()
        return self._report

    # --- the attached draft and its quotes -------------------------------------------------------

    def attached_text(self) -> DraftText | None:
        """The text of the draft attached to the report, with its units (None when none is);
        read once, and again only when another draft is attached."""
        draft = self._report.draft
        if draft is None:
            return None
        cached = self._attached
        if cached is None or cached[0] is not draft:
            from guaranteekit.drafts.attach import load_text

            cached = (draft, load_text(self._report, self.path))
            self._attached = cached
        return cached[1]

    def attach_draft(self, attached: Extracted) -> Results:
        """Attach a draft to a report that has none, or whose draft nothing quotes yet (its text
        kept in the report). A draft already quoted is the round's: the next round's draft starts
        a new report (`guaranteekit new --from`), so that the quotes can follow it."""
        from guaranteekit.drafts.attach import attach

        if self._report.draft is not None and any(a.quotes for a in self._report.answers):
            raise WriteError(
                f"{self.path}: its answers already quote {self._report.draft.file}; start the next"
                f" round with `guaranteekit new --from {self.path.name} --draft {attached.name}"
                " -o NEW.toml`"
            )
        report, _ = attach(self._report, attached, self.path)
        return self._apply(report)

    def add_quote(self, criterion_id: str, start: int, end: int) -> Quote:
        """Quote the attached draft's text between `start` and `end` as evidence of an answer."""
        text = self.attached_text()
        if text is None:
            raise WriteError(f"{self.path}: no draft is attached to quote from")
        current = self.answer(criterion_id)
        if current is None:
            raise WriteError(f"{criterion_id}: choose a level before quoting the draft")
        quote = text.anchor(start, end)
        quotes = list(current.quotes or [])
        if not any((q.start, q.end) == (quote.start, quote.end) for q in quotes):
            quotes.append(quote)
            self.set_answer(current.model_copy(update={"quotes": quotes}))
        return quote

    def remove_quote(self, criterion_id: str, start: int, end: int) -> Results:
        """Remove the quote of an answer that spans `start` to `end`."""
        current = self.answer(criterion_id)
        if current is None or not current.quotes:
            return self.results
        quotes = [q for q in current.quotes if (q.start, q.end) != (start, end)]
        if len(quotes) == len(current.quotes):
            return self.results
        return self.set_answer(current.model_copy(update={"quotes": quotes or None}))

    def confirm(self, criterion_id: str) -> Results:
        """The assessor has read the answer again against this round's draft: no more re-check."""
        current = self.answer(criterion_id)
        if current is None or current.recheck is None:
            return self.results
        return self.set_answer(current.model_copy(update={"recheck": None}))

    def _answer_with(
        self, criterion_id: str, *, status: AnswerStatus, level: str | None, reason: str
    ) -> Answer:
        self.criteria.criterion(criterion_id)  # KeyError for an unknown criterion
        current = self.answer(criterion_id)
        # Quotes stay with the answer; a re-check note does not: choosing a level, even the same
        # one, is the assessor's answer for this round.
        keep = (
            {
                "rationale": current.rationale,
                "evidence": current.evidence,
                "confidence": current.confidence if status is AnswerStatus.LEVEL else None,
                "quotes": current.quotes,
            }
            if current is not None
            else {}
        )
        return Answer(criterion=criterion_id, status=status, level=level, reason=reason, **keep)

    # --- files ---------------------------------------------------------------------------------

    def write_draft(self) -> None:
        """Write the current report to the draft file (atomically); never when read-only."""
        self._draft_pending = False
        if self.read_only:
            return
        try:
            save_report(self.draft, self._report, overwrite=True)
        except GuaranteekitError:
            self.draft_kept = False
            raise
        self.draft_kept = True

    def flush_draft(self) -> None:
        """Write the draft if a change has not reached it yet (see `write_soon`)."""
        if self._draft_pending:
            self.write_draft()

    def recovery(self) -> Recovery | None:
        """A draft left by an earlier session that holds more than the saved report, if any
        (never in review mode: a reviewer must not take over an assessor's unsaved answers; never
        read-only: the draft belongs to the editor holding it)."""
        if self.reviewing or self.read_only:
            return None
        return find_recovery(self.path, self._saved)

    def accept_recovery(self, recovery: Recovery) -> Results:
        """Take the package and answers from a recovered draft (the report file is not touched),
        and its review trail when it continues the saved one (replies typed before the crash)."""
        recovered = recovery.report
        update = {
            "package": recovered.package,
            "answers": recovered.answers,
            "provenance": self._report.provenance.model_copy(
                update={"modified": recovered.provenance.modified or now()}
            ),
        }
        results = self._apply(self._report.model_copy(update=update))
        if _continues(recovered.review, self._report.review):
            self._report = _with_trail(self._report, recovered.review)
            self.write_draft()
        return results

    def review_recovery(self) -> Report | None:
        """A draft of this report (same content) whose trail continues the current one: review
        steps that were never saved because the app stopped. None when there is none."""
        if self.read_only:
            return None
        written = draft_stamp(self.draft)
        if written is None:
            return None
        report_written = draft_stamp(self.path)
        if report_written is not None and written < report_written:
            return None
        try:
            draft = load_report(self.draft)
        except GuaranteekitError:
            return None
        if content_digest(draft) != content_digest(self._report):
            return None
        return draft if _continues(draft.review, self._report.review) else None

    def take_review(self, draft: Report) -> None:
        """Take the review trail of `draft` (from `review_recovery`)."""
        self.add_review(lambda report: _with_trail(report, draft.review))

    def discard_draft(self) -> None:
        """Remove the draft file (after a save, or when the user throws the changes away); never
        when read-only, since the draft then belongs to the editor holding its lock."""
        if self.read_only:
            return
        self._draft_pending = False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.draft)

    def changed_on_disk(self) -> bool:
        """True when the report file is not what we opened or last saved (or appeared since)."""
        current = FileStamp.of(self.path)
        if self._stamp is None:
            return current is not None
        if (
            current is not None
            and current.mtime_ns == self._stamp.mtime_ns
            and current.size == self._stamp.size
        ):
            return False
        return not self._stamp.same_content(current)

    def save(self, *, force: bool = False) -> Path:
        """Write the report (atomically) and remove the draft.

        Raises `ChangedOnDisk` when the file changed since it was opened, unless `force`.
        """
        if self.read_only:
            raise WriteError(f"{self.path}: opened read-only; not saved")
        if not force and self.changed_on_disk():
            what = "was created" if self._stamp is None else "changed on disk"
            raise ChangedOnDisk(f"{self.path}: {what} since it was opened; not overwritten")
        save_report(self.path, self._report, overwrite=True)
        self._stamp = FileStamp.of(self.path)
        self._saved = self._report
        self._saved_content = content_digest(self._report)
        self.discard_draft()
        return self.path


def _continues(theirs: Review, mine: Review) -> bool:
    """True when trail `theirs` is trail `mine` with more entries after it."""
    return len(theirs.entries) > len(mine.entries) and (
        theirs.entries[: len(mine.entries)] == mine.entries
    )


def _with_trail(report: Report, trail: Review) -> Report:
    """`report` with another review trail, its digest re-stamped (the session keeps it current)."""
    changed = report.model_copy(update={"review": trail})
    return changed.model_copy(update={"digest": report_digest(changed)})
