"""The small error hierarchy. Every message is written for a person; `cli.parser.main` maps them to
exit codes, in one place: 2 when the command could not run as asked (a usage error, or a file asked
for that does not exist), 1 when the files it read have problems.

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


class WriteError(GuaranteekitError):
    """A file could not be written (or would overwrite one without permission)."""


class UsageError(GuaranteekitError):
    """The command line asks for something that cannot be done, whatever the files hold: options
    that do not go together (the CLI exits 2, as for a bad option value)."""
