"""Shared fixtures: paths to the fixture files, and a criteria search path that finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI_SET = DATA / "sets" / "mini.toml"
MINI_REPORT = DATA / "reports" / "mini-complete.toml"


@pytest.fixture
def fixture_sets(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the fixture criteria sets (e.g. `mini`) findable by id, as a user's own folder would be."""
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(DATA / "sets"))
    return DATA / "sets"
