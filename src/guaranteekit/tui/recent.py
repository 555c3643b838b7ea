"""The recent assessments the start screen lists: a small TOML file in the state folder.

The folder is `$XDG_STATE_HOME/guaranteekit` (else `~/.local/state/guaranteekit`); the app factory
takes it as an argument, so tests never touch the user's home. A missing or broken file is an empty
list, and the file is written atomically like every other.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from guaranteekit.errors import GuaranteekitError, WriteError
from guaranteekit.formats.assessment import now
from guaranteekit.formats.storage import read_model, write_model

MAX_RECENT = 12
"""How many recent assessments the start screen remembers."""


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
