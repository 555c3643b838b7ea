"""The small error hierarchy. Every message is written for a person; the CLI maps them to exit codes.

Each error carries one line per problem, already prefixed with the file and the place
(`file:line:col: message` or `file: key.path: message`), so a caller can print them as they are.
"""

from __future__ import annotations


class GuaranteekitError(Exception):
    """Base of every error guaranteekit raises on purpose."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class LoadError(GuaranteekitError):
    """A file could not be read, parsed or validated."""


class NotFoundError(LoadError):
    """A file, criteria set or profile that was asked for does not exist (the CLI exits 2)."""


class ReadError(LoadError):
    """A file exists but cannot be read as one: not a regular file (a FIFO, a device, a folder),
    too large, unreadable, a path too long or a link loop."""


class WriteError(GuaranteekitError):
    """A file could not be written (or would overwrite one without permission)."""


class ScoringError(GuaranteekitError):
    """Answers and criteria do not fit together (an unknown criterion or level)."""
