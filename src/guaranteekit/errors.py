"""The small error hierarchy and the `Problem` each error carries. Every message is written for a
person; `cli.parser.main` maps errors to exit codes, in one place: 2 when the command could not run
as asked (a usage error, or a file asked for that does not exist), 1 when the files it read have
problems.

An error carries `Problem`s: the file, the place in it, the message and a `Code`. `verify` reports
the same `Problem`s, with a severity, so a loader's finding reaches its JSON without being parsed
back out of text. `str(problem)` is the line printed for it (`file:line:col: message`,
`file: key.path: message` or `file: message`), and `error.problems` those lines, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """Stable machine-readable names of problems, as `verify --format json` reports them."""

    # Reading a file (the loaders).
    NO_SUCH_FILE = "no-such-file"
    UNREADABLE = "unreadable"
    SCHEMA = "schema"
    """Not valid TOML, or not valid for its format."""
    # A report against its criteria set and profile.
    CRITERIA_NOT_FOUND = "criteria-not-found"
    CRITERIA_INVALID = "criteria-invalid"
    CRITERIA_MISMATCH = "criteria-mismatch"
    CRITERIA_DIGEST = "criteria-digest"
    CRITERIA_OUTDATED = "criteria-outdated"
    PROFILE_NOT_FOUND = "profile-not-found"
    PROFILE_INVALID = "profile-invalid"
    PROFILE_MISMATCH = "profile-mismatch"
    PROFILE_DIGEST = "profile-digest"
    ANSWER_INVALID = "answer-invalid"
    DIGEST_MISSING = "digest-missing"
    DIGEST_MISMATCH = "digest-mismatch"
    DRAFT_TEXT = "draft-text"
    QUOTE_MISMATCH = "quote-mismatch"
    RESULTS_MISSING = "results-missing"
    RESULTS_MISMATCH = "results-mismatch"
    # Completeness and the answers' rules.
    UNANSWERED = "unanswered"
    NO_RATIONALE = "no-rationale"
    CONFIDENCE_UNSET = "confidence-unset"
    UNKNOWN_ANSWER = "unknown-answer"
    GATE_NOT_APPLICABLE = "gate-not-applicable"
    SILENCE_CONTRADICTION = "silence-contradiction"
    UNKNOWN_NOT_SILENCE = "unknown-not-silence"
    NOT_APPLICABLE_NOT_ALLOWED = "not-applicable-not-allowed"
    # The review trail and signatures.
    SIGNOFF_STALE = "signoff-stale"
    SIGNOFF_UNSIGNED = "signoff-unsigned"
    CHANGES_REQUESTED = "changes-requested"
    DISPUTE_OPEN = "dispute-open"
    NO_EVIDENCE = "no-evidence"
    ALLOWED_SIGNERS_MISSING = "allowed-signers-missing"
    UNSIGNED = "unsigned"
    SSH_KEYGEN_MISSING = "ssh-keygen-missing"
    SIGNATURE_INVALID = "signature-invalid"
    SIGNATURE_UNTRUSTED = "signature-untrusted"
    SIGNATURE_UNCHECKED = "signature-unchecked"
    TRAIL_UNSIGNED = "trail-unsigned"
    # Errors of other commands, outside verify.
    INVALID = "invalid"
    """A problem raised as text alone, without a more precise code."""
    WRITE = "write"
    USAGE = "usage"


class Severity(StrEnum):
    """How bad a problem is: errors fail verification, warnings do not (unless `--strict`)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(slots=True)
class Problem:
    """One thing wrong with one file."""

    file: str
    """The file as messages show it, or `` when the problem names no file."""
    where: str
    """The place in the file: a key path (`answers[3] (monitoring).rationale`), `line 3, column 7`
    for a TOML syntax error, or `` for the whole file."""
    message: str
    """What is wrong, for a person."""
    code: Code = Code.INVALID
    severity: Severity = Severity.ERROR
    position: tuple[int, int] | None = None
    """Line and column of a TOML syntax error (`where` says them in words)."""

    @classmethod
    def at(
        cls, file: str, line: int, column: int, message: str, code: Code = Code.SCHEMA
    ) -> Problem:
        """A problem at a line and column (a TOML syntax error)."""
        return cls(file, f"line {line}, column {column}", message, code, position=(line, column))

    def __str__(self) -> str:
        if self.position is not None:
            return f"{self.file}:{self.position[0]}:{self.position[1]}: {self.message}"
        head = "".join(f"{part}: " for part in (self.file, self.where) if part)
        return head + self.message


class GuaranteekitError(Exception):
    """Base of every error guaranteekit raises on purpose.

    Takes `Problem`s, or lines of text (each a problem of code `code`, its whole line the message).
    """

    code = Code.INVALID
    """The code of a problem given as text."""

    def __init__(
        self, problems: Problem | str | list[Problem] | list[str] | list[Problem | str]
    ) -> None:
        items = [problems] if isinstance(problems, Problem | str) else list(problems)
        self.details: list[Problem] = [
            item if isinstance(item, Problem) else Problem("", "", item, self.code)
            for item in items
        ]
        super().__init__("\n".join(self.problems))

    @property
    def problems(self) -> list[str]:
        """One line per problem, as printed."""
        return [str(problem) for problem in self.details]


class LoadError(GuaranteekitError):
    """A file could not be read, parsed or validated."""

    code = Code.SCHEMA


class NotFoundError(LoadError):
    """A file, criteria set or profile that was asked for does not exist (the CLI exits 2)."""

    code = Code.NO_SUCH_FILE


class ReadError(LoadError):
    """A file exists but cannot be read as one: not a regular file (a FIFO, a device, a folder),
    too large, unreadable, a path too long or a link loop."""

    code = Code.UNREADABLE


class WriteError(GuaranteekitError):
    """A file could not be written (or would overwrite one without permission)."""

    code = Code.WRITE


class UsageError(GuaranteekitError):
    """The command line asks for something that cannot be done, whatever the files hold: options
    that do not go together (the CLI exits 2, as for a bad option value)."""

    code = Code.USAGE
