"""An assessment being edited: the current report, its draft file, and what changed on disk.

The terminal UI holds one `Session` and calls it for every change; this module does the work so that
it can be tested without a terminal and never imports textual.

Nothing is lost: every change is written at once (atomically, through `save_report`) to a draft file
beside the report, `round-3.toml` -> `round-3.draft.toml`. A clean save writes the report and removes
the draft; a draft that outlives its report (the app was killed) is offered back on the next open.

The review trail is part of the session too: a review step (accept, dispute, reply... from
`guaranteekit.review.trail`) leaves the answers alone but is an unsaved change and goes to the draft like
any other. A session opened for review (`Session.for_review`) locks the answers and the package: the
reviewer judges them, the assessor changes them.

Nothing is overwritten behind the user's back: when a report is opened we remember its size,
modification time and a hash of its bytes; before a save we compare, and a change made by someone else
raises `ChangedOnDisk` so the caller can ask before overwriting.

Also here, because it is plain file handling: the list of recent assessments (a small TOML file in the
state folder) and the validation of package details as they are typed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guaranteekit.errors import GuaranteekitError, LoadError, WriteError
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
    Report,
    Results,
    Review,
)
from guaranteekit.formats.storage import read_model, write_model

DRAFT_SUFFIX = ".draft.toml"
"""Drafts are named after their report: `round-3.toml` has the draft `round-3.draft.toml`."""

MAX_RECENT = 12
"""How many recent assessments the start screen remembers."""


def draft_path(report_path: Path) -> Path:
    """Where the draft of a report lives: beside it, so it moves and is backed up with it."""
    path = Path(report_path)
    stem = path.name[: -len(".toml")] if path.name.endswith(".toml") else path.name
    return path.with_name(stem + DRAFT_SUFFIX)


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
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest())

    def same_content(self, other: FileStamp | None) -> bool:
        """True when `other` holds the same bytes (a touch without a change is no change)."""
        return other is not None and other.size == self.size and other.sha256 == self.sha256


class ChangedOnDisk(WriteError):
    """The report was changed (or created) by someone else since it was opened."""


# --------------------------------------------------------------------------------------------------
# Recovery of drafts
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Recovery:
    """A draft left behind by a session that did not end cleanly."""

    path: Path
    """The draft file."""
    report: Report
    """What the draft holds."""
    changed: list[str] = field(default_factory=list)
    """Criteria whose answer in the draft differs from the saved report (all answers when new)."""
    package_changed: bool = False
    """Whether the package details differ from the saved report."""
    modified: datetime | None = None
    """When the draft's answers last changed."""


def find_recovery(report_path: Path, saved: Report | None) -> Recovery | None:
    """The draft of `report_path` if it holds something the saved report (if any) does not.

    A draft older than its report is stale (the report was saved after it, e.g. by another copy of
    the app) and is not offered. An unreadable draft is not offered either: it cannot hold more
    than a partial write, and drafts are only ever written atomically.
    """
    draft = draft_path(report_path)
    draft_stamp = FileStamp.of(draft)
    if draft_stamp is None:
        return None
    try:
        recovered = load_report(draft)
    except GuaranteekitError:
        return None
    if saved is not None:
        report_stamp = FileStamp.of(report_path)
        if report_stamp is not None and draft_stamp.mtime_ns < report_stamp.mtime_ns:
            return None
        if content_digest(recovered) == content_digest(saved):
            return None
    old = {a.criterion: a for a in saved.answers} if saved is not None else {}
    new = {a.criterion: a for a in recovered.answers}
    changed = [cid for cid in new if old.get(cid) != new[cid]]
    changed += [cid for cid in old if cid not in new]
    return Recovery(
        path=draft,
        report=recovered,
        changed=changed,
        package_changed=saved is None or saved.package != recovered.package,
        modified=recovered.provenance.modified,
    )


# --------------------------------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------------------------------


class Session:
    """One assessment being edited. Every change goes to the draft file before the method returns."""

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
    ) -> None:
        self.path = Path(path)
        """Where the report is saved."""
        self.criteria = criteria
        self.profile = profile
        self.read_only = read_only
        self.reviewing = False
        """Opened for review: the trail may grow, the answers and package may not change."""
        self.notes = list(notes or [])
        """Non-fatal remarks from loading (e.g. criteria version differs)."""
        self._report = finalize(report, criteria, profile)
        self._stamp = stamp
        self._saved = saved
        self._saved_content = content_digest(saved) if saved is not None else None

    # --- construction --------------------------------------------------------------------------

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
    ) -> Session:
        """A new assessment to be saved at `path` (which must not exist yet)."""
        if Path(path).exists():
            raise WriteError(f"{path}: already exists; open it instead of starting a new one")
        hint = relative_hint(profile_path, Path(path)) if profile_path else ""
        report = new_report(package, criteria, profile, profile_path=hint, assessor=assessor)
        session = cls(path, report, criteria, profile)
        session.write_draft()
        return session

    @classmethod
    def open(
        cls, path: Path, *, profile_path: Path | None = None, read_only: bool = False
    ) -> Session:
        """A saved report, resolved against its criteria set and profile."""
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
        )

    @classmethod
    def for_review(cls, path: Path, *, profile_path: Path | None = None) -> Session:
        """A saved report opened for review (its answers and package locked)."""
        session = cls.open(path, profile_path=profile_path)
        session.reviewing = True
        return session

    @classmethod
    def from_draft(cls, path: Path, *, profile_path: Path | None = None) -> Session:
        """An assessment that was never saved, rebuilt from its draft (`path` is the report)."""
        from guaranteekit.formats.assessment import profile_location
        from guaranteekit.formats.catalog import find_criteria, load_profile

        draft = draft_path(Path(path))
        report = load_report(draft)
        criteria = find_criteria(report.criteria.id, report.criteria.version)
        profile = None
        location = profile_path or profile_location(Path(path), report)
        if location is not None:
            profile, _ = load_profile(location, criteria)
        return cls(path, report, criteria, profile, stamp=FileStamp.of(Path(path)))

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
        return (
            self._saved_content != content_digest(self._report)
            or self._report.review != saved_trail
        )

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

    # --- changes -------------------------------------------------------------------------------

    def _apply(self, report: Report) -> Results:
        if self.read_only:
            raise WriteError(f"{self.path}: opened read-only; changes are not allowed")
        if self.reviewing:
            raise WriteError(
                f"{self.path}: opened for review; the answers and package details cannot be"
                " changed here (the assessor changes them with `guaranteekit open`)"
            )
        self._report = finalize(report, self.criteria, self.profile)
        self.write_draft()
        return self.results

    def set_answer(self, answer: Answer) -> Results:
        """Set one answer (replacing any earlier one to the same criterion)."""
        return self._apply(with_answer(self._report, answer))

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
        answers = [a for a in self._report.answers if a.criterion != criterion_id]
        provenance = self._report.provenance.model_copy(update={"modified": now()})
        return self._apply(
            self._report.model_copy(update={"answers": answers, "provenance": provenance})
        )

    def set_notes(
        self,
        criterion_id: str,
        *,
        rationale: str | None = None,
        evidence: list[str] | None = None,
        confidence: Confidence | None = None,
    ) -> Results:
        """Change the rationale, evidence or confidence of an existing answer."""
        current = self.answer(criterion_id)
        if current is None:
            raise WriteError(f"{criterion_id}: choose a level before writing a rationale")
        update: dict[str, object] = {}
        if rationale is not None:
            update["rationale"] = rationale
        if evidence is not None:
            update["evidence"] = [e.strip() for e in evidence if e.strip()]
        if confidence is not None:
            update["confidence"] = Confidence(confidence)
        changed = current.model_copy(update=update)
        if changed == current:
            return self.results
        return self.set_answer(changed)

    def set_package(self, package: Package) -> Results:
        """Replace the package details."""
        if package == self._report.package:
            return self.results
        return self._apply(self._report.model_copy(update={"package": package}))

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

    def adjudicate(self, step: Callable[[Report], Report]) -> Report:
        """Apply an adjudication (`review.consensus.adjudicate`), the one review step that changes
        an answer: a reviewer settling a disagreement between assessors. Writes the draft."""
        if self.read_only:
            raise WriteError(f"{self.path}: opened read-only; changes are not allowed")
        self._report = step(self._report)
        with contextlib.suppress(GuaranteekitError):
            self.write_draft()
        return self._report

    def _answer_with(
        self, criterion_id: str, *, status: AnswerStatus, level: str | None, reason: str
    ) -> Answer:
        self.criteria.criterion(criterion_id)  # KeyError for an unknown criterion
        current = self.answer(criterion_id)
        keep = (
            {
                "rationale": current.rationale,
                "evidence": current.evidence,
                "confidence": current.confidence,
            }
            if current is not None
            else {}
        )
        return Answer(criterion=criterion_id, status=status, level=level, reason=reason, **keep)

    # --- files ---------------------------------------------------------------------------------

    def write_draft(self) -> None:
        """Write the current report to the draft file (atomically)."""
        save_report(self.draft, self._report, overwrite=True)

    def recovery(self) -> Recovery | None:
        """A draft left by an earlier session that holds more than the saved report, if any
        (never in review mode: a reviewer must not take over an assessor's unsaved answers)."""
        if self.reviewing:
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
        if content_digest(draft) != content_digest(self._report):
            return None
        return draft if _continues(draft.review, self._report.review) else None

    def take_review(self, draft: Report) -> None:
        """Take the review trail of `draft` (from `review_recovery`)."""
        self.add_review(lambda report: _with_trail(report, draft.review))

    def discard_draft(self) -> None:
        """Remove the draft file (after a save, or when the user throws the changes away)."""
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


# --------------------------------------------------------------------------------------------------
# Package details, validated as typed
# --------------------------------------------------------------------------------------------------

PackageField = Literal["name", "date", "round", "parties", "guarantors", "source", "summary"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def split_names(text: str) -> list[str]:
    """`"Ukraine, Russia , "` -> `["Ukraine", "Russia"]`: how party and guarantor lists are typed."""
    return [part.strip() for part in text.split(",") if part.strip()]


def date_problem(text: str) -> str | None:
    """Why a package date is not acceptable, or None (empty is allowed: the date may be unknown)."""
    value = text.strip()
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        return "use YYYY-MM-DD, YYYY-MM or YYYY"
    year, month, day = match.groups()
    try:
        Date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        return f"not a real date ({exc})"
    return None


def package_problems(values: dict[str, str]) -> dict[str, str]:
    """Problems with typed package details, by field; empty when they make a valid package."""
    problems: dict[str, str] = {}
    if not values.get("name", "").strip():
        problems["name"] = "a name is required (e.g. US 20-point plan, December 2025)"
    if (problem := date_problem(values.get("date", ""))) is not None:
        problems["date"] = problem
    return problems


def package_from(values: dict[str, str]) -> Package:
    """A package from typed details; raises `LoadError` naming each bad field."""
    problems = package_problems(values)
    if problems:
        raise LoadError([f"package.{key}: {message}" for key, message in problems.items()])
    try:
        return Package(
            name=values.get("name", "").strip(),
            date=values.get("date", "").strip(),
            round=values.get("round", "").strip(),
            parties=split_names(values.get("parties", "")),
            guarantors=split_names(values.get("guarantors", "")),
            source=values.get("source", "").strip(),
            summary=values.get("summary", "").strip(),
        )
    except ValidationError as exc:  # pragma: no cover - the checks above cover the model's rules
        raise LoadError([f"package: {e['msg']}" for e in exc.errors()]) from None


def package_fields(package: Package) -> dict[str, str]:
    """The typed form of a package (the inverse of `package_from`)."""
    return {
        "name": package.name,
        "date": package.date,
        "round": package.round,
        "parties": ", ".join(package.parties),
        "guarantors": ", ".join(package.guarantors),
        "source": package.source,
        "summary": package.summary,
    }


def target_problem(path_text: str, base: Path) -> str | None:
    """Why a new report cannot be saved at a typed path, or None."""
    text = path_text.strip()
    if not text:
        return "a file name is required"
    path = resolve_target(text, base)
    if path.suffix != ".toml":
        return "the report file name must end in .toml"
    if path.name.endswith(DRAFT_SUFFIX):
        return f"names ending in {DRAFT_SUFFIX} are kept for drafts"
    if path.is_dir():
        return "is a folder; add a file name"
    if path.exists():
        return "already exists; open it from the start screen instead"
    if draft_path(path).exists():
        return f"an unsaved draft of this file exists ({draft_path(path).name}); open the file to recover it"
    if not path.parent.is_dir():
        return f"folder {path.parent} does not exist"
    return None


def resolve_target(path_text: str, base: Path) -> Path:
    """A typed path, relative to `base` unless absolute; `~` expanded."""
    path = Path(path_text.strip()).expanduser()
    return path if path.is_absolute() else Path(base) / path


def suggest_target(base: Path, stem: str = "assessment") -> Path:
    """A report path in `base` that does not exist yet: `assessment.toml`, `assessment-2.toml`..."""
    candidate = Path(base) / f"{stem}.toml"
    number = 2
    while candidate.exists() or draft_path(candidate).exists():
        candidate = Path(base) / f"{stem}-{number}.toml"
        number += 1
    return candidate


# --------------------------------------------------------------------------------------------------
# Recent assessments
# --------------------------------------------------------------------------------------------------


class RecentEntry(BaseModel):
    """One recently opened or saved assessment."""

    model_config = ConfigDict(extra="forbid")

    path: str
    """Absolute path of the report."""
    name: str = ""
    """The package name when it was last opened."""
    opened: datetime
    """When it was last opened or saved (UTC)."""


class RecentList(BaseModel):
    """The state file `recent.toml`."""

    model_config = ConfigDict(extra="forbid")

    format_version: Literal[1] = 1
    """Version of this file format."""
    recent: list[RecentEntry] = Field(default_factory=list)
    """Most recent first."""


def default_state_dir(environ: dict[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/guaranteekit`, else `~/.local/state/guaranteekit`."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "guaranteekit"


def recent_file(state_dir: Path) -> Path:
    """The recent-assessments file in a state folder."""
    return Path(state_dir) / "recent.toml"


def load_recent(state_dir: Path) -> list[RecentEntry]:
    """Recent assessments, most recent first; a missing or broken file is an empty list."""
    try:
        return read_model(recent_file(state_dir), RecentList).recent
    except GuaranteekitError:
        return []


def remember(state_dir: Path, path: Path, name: str, when: datetime | None = None) -> None:
    """Put an assessment at the top of the recent list (written atomically)."""
    target = str(Path(path).resolve())
    entries = [e for e in load_recent(state_dir) if e.path != target]
    entries.insert(0, RecentEntry(path=target, name=name, opened=when or now()))
    try:
        Path(state_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{state_dir}: cannot create: {exc.strerror}") from None
    write_model(recent_file(state_dir), RecentList(recent=entries[:MAX_RECENT]))
