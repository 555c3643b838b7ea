"""Where the `#:schema` line at the top of a written file points: a schema on this machine.

Editors with taplo (Even Better TOML, Helix, Zed) validate a TOML file against the JSON Schema its
first line names, and that line wins over any `.taplo.toml`. A web address needs the network (and a
site); a path relative to the file resolves on any machine the folder is copied to. So the writer
looks for the schema that `guaranteekit schema -o DIR/schemas` wrote, in a folder called `schemas`
beside the file or beside any folder above it (the way git finds `.git`), and names the first one
found by its path from the file: `#:schema ../schemas/report.schema.json` for the worked examples.
Where there is none, no line is written, since a line that cannot be resolved makes taplo fail the
file.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER = "schemas"
"""The name of the folder the writer looks for."""

_OURS = b"guaranteekit"
_HEAD_BYTES = 512


def schema_line(name: str, target: Path) -> str:
    """`#:schema PATH` plus a newline for a file of format `name` written at `target`, or ""."""
    found = find_schema(name, target)
    if found is None:
        return ""
    relative = os.path.relpath(found, Path(os.path.abspath(target)).parent)
    return f"#:schema {Path(relative).as_posix()}\n"


def find_schema(name: str, target: Path) -> Path | None:
    """The nearest `schemas/NAME.schema.json` of guaranteekit's, from `target`'s folder upwards."""
    filename = f"{name}.schema.json"
    folder = Path(os.path.abspath(target)).parent
    for directory in (folder, *folder.parents):
        candidate = directory / FOLDER / filename
        if _is_ours(candidate, filename):
            return candidate
    return None


def _is_ours(candidate: Path, filename: str) -> bool:
    """Whether `candidate` is a schema guaranteekit wrote (its `$id` near the top names it), not
    another project's file of the same name."""
    if not candidate.is_file():  # not a folder, FIFO or device that happens to bear the name
        return False
    try:
        with open(candidate, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return b'"$id"' in head and _OURS in head and filename.encode() in head
