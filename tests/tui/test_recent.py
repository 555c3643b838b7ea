"""The recent assessments of the start screen: a small TOML file in the state folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from guaranteekit.tui.recent import default_state_dir, load_recent, remember


def test_recent_list_is_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert load_recent(state) == []
    first = datetime(2026, 1, 1, tzinfo=UTC)
    remember(state, tmp_path / "a.toml", "A", first)
    remember(state, tmp_path / "b.toml", "B", first)
    remember(state, tmp_path / "a.toml", "A again", first)
    names = [e.name for e in load_recent(state)]
    assert names == ["A again", "B"]


def test_broken_recent_file_is_an_empty_list_and_is_replaced(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "recent.toml").write_text("[[recent]\nbroken")
    assert load_recent(state) == []
    remember(state, tmp_path / "a.toml", "A")
    assert [e.name for e in load_recent(state)] == ["A"]


def test_default_state_dir_follows_xdg() -> None:
    assert default_state_dir({"XDG_STATE_HOME": "/xdg/state"}) == Path("/xdg/state/guaranteekit")
    assert default_state_dir({"XDG_STATE_HOME": "relative"}).parts[-3:] == (
        ".local",
        "state",
        "guaranteekit",
    )
