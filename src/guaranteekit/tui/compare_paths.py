"""What the compare view takes as reports: a file, a folder of reports, or a glob.

`rounds/` stands for the `.toml` files in that folder (not its subfolders), `rounds/*.toml` for
what the pattern matches, sorted by name; relative to the working folder unless absolute, `~`
expanded. Drafts and lock files are never taken for reports. Plain path handling, kept apart from
the screen so it is tested without a terminal.
"""

from __future__ import annotations

import glob
from pathlib import Path

from guaranteekit.tui.drafts import reserved_name

_GLOB = set("*?[")


def _reports_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file() and reserved_name(p) is None)


def expand_reports(texts: list[str], base: Path) -> tuple[list[Path], list[str]]:
    """The report files `texts` stand for, in order without repeats, and a line per text that
    stands for none."""
    found: list[Path] = []
    problems: list[str] = []
    for text in texts:
        typed = text.strip()
        if not typed:
            continue
        path = Path(typed).expanduser()
        path = path if path.is_absolute() else Path(base) / path
        if _GLOB & set(typed):
            matches = sorted(Path(m) for m in glob.glob(str(path)))
            files = [m for m in matches if m.is_file() and reserved_name(m) is None]
            for folder in (m for m in matches if m.is_dir()):
                files += _reports_in(folder)
            if not files:
                problems.append(f"{typed}: matches no report file")
            found += files
        elif path.is_dir():
            files = _reports_in(path)
            if not files:
                problems.append(f"{typed}: the folder holds no .toml report")
            found += files
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file")
    unique = list(dict.fromkeys(found))
    return unique, problems
