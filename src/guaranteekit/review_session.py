"""A session whose review trail can change: the reviewer's (answers locked) and the assessor's.

`Session` tracks the assessed content (package, criteria, answers): its `dirty` flag and its draft
recovery compare content digests, because that is what review entries refer to. A review step adds
to the trail and leaves the content alone, so on a plain `Session` an accept or a reply would not
count as an unsaved change and quitting would drop it silently. `TrailSession` closes that gap:

- `add_review(step)` applies a `guaranteekit.review` function (accept, dispute, reply...) to the
  report, checks that it did not touch the content, and writes the draft like any other change;
- `dirty` covers the trail as well as the content;
- in review mode (`reviewing`) every change of an answer or of the package is refused: the reviewer
  judges the answers and the assessor changes them. Saving goes through `Session.save`, so it is
  atomic and the on-disk change check applies.

It is a drop-in subclass (the app builds every session through it) and never imports textual.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from guaranteekit.assessment import content_digest, load_report, report_digest
from guaranteekit.errors import GuaranteekitError, WriteError
from guaranteekit.models import Report, Results, Review
from guaranteekit.session import Recovery, Session


class TrailSession(Session):
    """A `Session` that can also record review steps, and lock the answers for a reviewer."""

    reviewing: bool = False
    """Review mode: the trail may grow, the answers and package may not change."""

    @classmethod
    def for_review(cls, path: Path, *, profile_path: Path | None = None) -> TrailSession:
        """A saved report opened for review (its answers locked)."""
        session = cls.open(path, profile_path=profile_path)
        session.reviewing = True
        return session

    @property
    def dirty(self) -> bool:
        """True when the content or the review trail differs from the saved report file."""
        saved = self._saved.review if self._saved is not None else Review()
        return super().dirty or self._report.review != saved

    def add_review(self, step: Callable[[Report], Report]) -> Report:
        """Apply a review step, e.g. `lambda r: review.accept(r, name, cid)`, and write the draft.

        Raises the step's `ReviewError` when it does not fit the trail; the report is then unchanged.
        The draft is written even in review mode, so a crash loses at most the step being typed.
        """
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

    def _apply(self, report: Report) -> Results:
        if self.reviewing:
            raise WriteError(
                f"{self.path}: opened for review; the answers and package details cannot be"
                " changed here (the assessor changes them with `guaranteekit open`)"
            )
        return super()._apply(report)

    def recovery(self) -> Recovery | None:
        """A draft holding answers the saved report does not (never offered in review mode: a
        reviewer must not take over an assessor's unsaved answers)."""
        if self.reviewing:
            return None
        return super().recovery()

    def accept_recovery(self, recovery: Recovery) -> Results:
        """Take the package and answers from a recovered draft, and its review trail when it
        continues the saved one (replies typed before the crash)."""
        results = super().accept_recovery(recovery)
        mine = self._report.review.entries
        theirs = recovery.report.review.entries
        if len(theirs) > len(mine) and theirs[: len(mine)] == mine:
            self._report = _with_trail(self._report, recovery.report.review)
            self.write_draft()
        return results

    def review_recovery(self) -> Report | None:
        """A draft of this report (same content) whose trail continues the current one: review
        steps that were never saved because the app stopped. None when there is none."""
        from guaranteekit.session import FileStamp

        draft_stamp = FileStamp.of(self.draft)
        if draft_stamp is None:
            return None
        report_stamp = FileStamp.of(self.path)
        if report_stamp is not None and draft_stamp.mtime_ns < report_stamp.mtime_ns:
            return None
        try:
            draft = load_report(self.draft)
        except GuaranteekitError:
            return None
        mine = self._report.review.entries
        theirs = draft.review.entries
        if content_digest(draft) != content_digest(self._report):
            return None
        if len(theirs) <= len(mine) or theirs[: len(mine)] != mine:
            return None
        return draft

    def take_review(self, draft: Report) -> None:
        """Take the review trail of `draft` (from `review_recovery`)."""
        self.add_review(lambda report: _with_trail(report, draft.review))


def _with_trail(report: Report, trail: Review) -> Report:
    """`report` with another review trail, its digest re-stamped (the session keeps it current)."""
    changed = report.model_copy(update={"review": trail})
    return changed.model_copy(update={"digest": report_digest(changed)})
