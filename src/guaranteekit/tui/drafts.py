"""Drafts of reports being edited: their names, the lock that keeps one editor per report, and
what a draft left behind holds.

A draft has a name no report can have: `treaty.toml` has the draft `.treaty.toml.guaranteekit-draft`
beside it (so it moves and is backed up with the report), hidden, and not ending in `.toml`. No
report is ever taken for a draft, so none is overwritten or removed as one; the UI refuses to open or
save a report under a draft's or a lock's name.

While a UI has a report open for changes it holds an exclusive lock (`fcntl.flock`) on a lock file
beside it, `.treaty.toml.guaranteekit-lock`, naming the holder. A second UI is told who holds it and
may open the report read-only: it never writes, recovers or removes the first one's draft. The
kernel drops the lock when its holder dies, so the draft of a crashed session is offered back on the
next open, and only by a process that holds the lock.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from guaranteekit.errors import GuaranteekitError, WriteError
from guaranteekit.formats.assessment import content_digest, load_report, now
from guaranteekit.formats.models import Report

try:  # POSIX; elsewhere the lock is not taken (and a second editor is not told)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

DRAFT_SUFFIX = ".guaranteekit-draft"
LOCK_SUFFIX = ".guaranteekit-lock"


def draft_path(report_path: Path) -> Path:
    """Where the draft of a report lives: `treaty.toml` -> `.treaty.toml.guaranteekit-draft`."""
    path = Path(report_path)
    return path.with_name(f".{path.name}{DRAFT_SUFFIX}")


def lock_path(report_path: Path) -> Path:
    """The lock file of a report: `treaty.toml` -> `.treaty.toml.guaranteekit-lock`."""
    path = Path(report_path)
    return path.with_name(f".{path.name}{LOCK_SUFFIX}")


def reserved_name(path: Path) -> str | None:
    """Why a report cannot have this name (it is a draft's or a lock's), or None."""
    name = Path(path).name
    if name.endswith(DRAFT_SUFFIX):
        return f"is the name of a draft ({DRAFT_SUFFIX}); open the report it belongs to"
    if name.endswith(LOCK_SUFFIX):
        return f"is the name of a lock file ({LOCK_SUFFIX}), not a report"
    return None


# --------------------------------------------------------------------------------------------------
# The lock
# --------------------------------------------------------------------------------------------------


class DraftLocked(WriteError):
    """Another guaranteekit has the report open for changes (it holds the lock)."""

    def __init__(self, report: Path, holder: str) -> None:
        self.report = Path(report)
        self.holder = holder
        super().__init__(
            f"{report}: open for changes in another guaranteekit ({holder}); it can be opened"
            " read-only here"
        )


def _holder_text() -> str:
    return f"process {os.getpid()} on {os.uname().nodename} since {now():%Y-%m-%d %H:%M} UTC"


class DraftLock:
    """The exclusive lock of one report's draft, held while a UI may change the report.

    The lock file is removed on release while still locked, so whoever opened the old file in
    between finds, once it has the lock, that the name points elsewhere and tries again.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, report: Path) -> DraftLock:
        """Lock the draft of `report`; `DraftLocked` when another process holds it."""
        path = lock_path(report)
        if fcntl is None:  # pragma: no cover - Windows
            return cls(path, None)
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError as exc:
                raise WriteError(f"{report}: cannot lock its draft: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 400).decode("utf-8", "replace").strip()
                os.close(fd)
                raise DraftLocked(report, holder or "another process") from None
            except OSError as exc:
                os.close(fd)
                raise WriteError(f"{report}: cannot lock its draft: {exc.strerror}") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # released (and removed) by its holder between our open and our lock
                os.close(fd)
                continue
            text = _holder_text().encode("utf-8")
            os.ftruncate(fd, 0)
            os.pwrite(fd, text, 0)
            return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up (and remove its file); nothing when not held."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self._fd)
        self._fd = None


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


def draft_stamp(path: Path) -> int | None:
    """A file's modification time in nanoseconds, or None when it does not exist."""
    try:
        return Path(path).stat().st_mtime_ns
    except FileNotFoundError:
        return None


def find_recovery(report_path: Path, saved: Report | None) -> Recovery | None:
    """The draft of `report_path` if it holds something the saved report (if any) does not.

    Only a caller holding the draft's lock should act on it. A draft older than its report is
    stale (the report was saved after it, e.g. by another copy of the app) and is not offered. An
    unreadable draft is not offered either: drafts are only ever written atomically.
    """
    draft = draft_path(report_path)
    written = draft_stamp(draft)
    if written is None:
        return None
    try:
        recovered = load_report(draft)
    except GuaranteekitError:
        return None
    if saved is not None:
        report_written = draft_stamp(report_path)
        if report_written is not None and written < report_written:
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
