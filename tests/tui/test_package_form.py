"""The package details form, checked as typed, and where a new report may be saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.errors import LoadError
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.package_form import (
    date_problem,
    package_fields,
    package_from,
    package_problems,
    suggest_target,
    target_problem,
)

from .conftest import MINI_PACKAGE, write_mini_report


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("", True),
        ("2025-11-20", True),
        ("2025-11", True),
        ("2025", True),
        ("2025-02-30", False),
        ("2025-13", False),
        ("20 Nov 2025", False),
        ("2025/11/20", False),
    ],
)
def test_date_problem(text: str, ok: bool) -> None:
    assert (date_problem(text) is None) is ok


def test_package_problems_are_given_per_field() -> None:
    problems = package_problems({"name": " ", "date": "yesterday"})
    assert set(problems) == {"name", "date"}
    assert "required" in problems["name"]
    assert "YYYY-MM-DD" in problems["date"]
    with pytest.raises(LoadError, match=r"package\.date"):
        package_from({"name": "x", "date": "yesterday"})


def test_package_fields_round_trip() -> None:
    fields = package_fields(MINI_PACKAGE)
    assert fields["parties"] == "A, B"
    assert package_from(fields) == MINI_PACKAGE
    assert package_from({"name": "x", "guarantors": " US,, UK , "}).guarantors == ["US", "UK"]


def test_target_problem(tmp_path: Path) -> None:
    write_mini_report(tmp_path / "taken.toml")
    draft_path(tmp_path / "orphan.toml").write_text("x")
    assert target_problem("new.toml", tmp_path) is None
    assert "already exists" in (target_problem("taken.toml", tmp_path) or "")
    assert "draft" in (target_problem("orphan.toml", tmp_path) or "")
    assert ".toml" in (target_problem("new.txt", tmp_path) or "")
    assert "does not exist" in (target_problem("no/such/dir/r.toml", tmp_path) or "")
    assert "required" in (target_problem("  ", tmp_path) or "")
    # A report never takes a draft's or a lock's name.
    assert target_problem(".x.toml.guaranteekit-draft", tmp_path) is not None
    assert target_problem(".x.toml.guaranteekit-lock", tmp_path) is not None
    assert suggest_target(tmp_path, "taken") == tmp_path / "taken-2.toml"
    assert suggest_target(tmp_path, "orphan") == tmp_path / "orphan-2.toml"
