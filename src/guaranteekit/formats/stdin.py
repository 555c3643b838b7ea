"""`-` as an input file: the report (or criteria set, or profile) read from standard input.

Read once and kept, since a command may read its input twice (`compare` loads a report, then
`verify` checks it from its path); capped at the same size as a file, and refused when standard
input is a terminal, where a person would otherwise wait for a prompt that never comes.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from guaranteekit.errors import LoadError

NAME = "-"


def is_stdin(path: Path | str) -> bool:
    """Whether `path` names standard input."""
    return str(path) == NAME


@cache
def stdin_bytes(max_bytes: int) -> bytes:
    """Standard input's bytes, read once; LoadError when it is a terminal or too large."""
    stream = sys.stdin
    if stream is None or stream.closed:
        raise LoadError(f"{NAME}: standard input is closed; give a file name")
    if stream.isatty():
        raise LoadError(
            f"{NAME}: standard input is a terminal; pipe a report in, or give a file name"
        )
    data = stream.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LoadError(
            f"{NAME}: standard input too large (more than {max_bytes:,} bytes; the limit is"
            f" {max_bytes:,}), refused before parsing"
        )
    return data
