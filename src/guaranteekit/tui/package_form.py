"""The package details form, checked as it is typed, and where a new report may be saved.

Plain text handling, kept apart from the screen (`screens/package.py`) so it is tested without a
terminal: a date is `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; parties and guarantors are typed as
comma-separated names; a new report's file must end in `.toml`, not exist, and have no draft.
"""

from __future__ import annotations

import re
from datetime import date as Date
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from guaranteekit.errors import LoadError
from guaranteekit.formats.models import Package
from guaranteekit.tui.drafts import draft_path, reserved_name

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
    if (reserved := reserved_name(path)) is not None:
        return reserved
    if path.is_dir():
        return "is a folder; add a file name"
    if path.exists():
        return "already exists; open it from the start screen instead"
    if draft_path(path).exists():
        return (
            f"an unsaved draft of this file exists ({draft_path(path).name}); open the file to"
            " recover it"
        )
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
