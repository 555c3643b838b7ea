"""Snapshots of the key screens at the smallest supported size (80x24) and a comfortable one.

Everything on screen is fixed: the `mini` criteria fixture, a report with set answers, a recent list
with a set time, and the home folder shown as `~`. Regenerate after a deliberate change of the look
with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the SVGs in
`tests/tui/__snapshots__/`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from guaranteekit.formats.models import Answer, AnswerStatus, Confidence
from guaranteekit.tui.recent import remember
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.summary import SummaryScreen

from .conftest import until, write_mini_report

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

ANSWERS = [
    Answer(
        criterion="guarantor",
        level="named",
        rationale="Point 10 names the United States but not what it undertakes.",
        evidence=["the United States will support"],
        confidence=Confidence.MEDIUM,
    ),
    Answer(criterion="force", status=AnswerStatus.UNKNOWN),
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write_mini_report(tmp_path / "round-2.toml", answers=ANSWERS)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(
    size: tuple[int, int], tmp_path: Path, report: Path, make_app, snap_compare
) -> None:
    state = tmp_path / "state"
    when = datetime(2026, 1, 7, 9, 30, tzinfo=UTC)
    remember(state, tmp_path / "paris-declaration.toml", "Paris Declaration", when)
    remember(state, report, "US 20-point plan, December 2025", when)
    app = make_app(home=tmp_path)
    assert snap_compare(app, terminal_size=size)


async def _criterion_ready(pilot: Pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, AssessScreen), "assessment screen")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_criterion_screen(size: tuple[int, int], report: Path, make_app, snap_compare) -> None:
    app = make_app(mode="open", report=report)
    assert snap_compare(app, terminal_size=size, run_before=_criterion_ready)


async def _summary_ready(pilot: Pilot) -> None:
    await _criterion_ready(pilot)
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen), "summary")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_summary_screen(size: tuple[int, int], report: Path, make_app, snap_compare) -> None:
    app = make_app(mode="open", report=report)
    assert snap_compare(app, terminal_size=size, run_before=_summary_ready)


def _reviewed_report(tmp_path: Path) -> Path:
    from guaranteekit.formats.assessment import load_report, save_report
    from guaranteekit.review import trail as review

    path = write_mini_report(tmp_path / "to-review.toml", answers=ANSWERS)
    report = review.accept(load_report(path), "Rita Reviewer", "guarantor", at=WHEN)
    save_report(path, report, overwrite=True)
    return path


WHEN = datetime(2026, 1, 8, 14, 0, tzinfo=UTC)


async def _review_ready(pilot: Pilot) -> None:
    from guaranteekit.tui.screens.review import ReviewScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "review screen")
    await pilot.pause()


def test_review_screen_and_its_key_bar_at_80x24(tmp_path: Path, make_app, snap_compare) -> None:
    app = make_app(mode="review", report=_reviewed_report(tmp_path), reviewer="Rita Reviewer")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_review_ready)


def _compared(tmp_path: Path) -> list[Path]:
    strong = write_mini_report(
        tmp_path / "strong.toml",
        answers=[
            Answer(criterion="guarantor", level="bound", rationale="r", evidence=["e"]),
            Answer(criterion="force", level="many", rationale="r", evidence=["e"]),
            Answer(criterion="aid", level="yes", rationale="r", evidence=["e"]),
        ],
    )
    return [strong, write_mini_report(tmp_path / "round-2.toml", answers=ANSWERS)]


async def _compare_ready(pilot: Pilot) -> None:
    from textual.widgets import DataTable

    from guaranteekit.tui.screens.compare import CompareScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen), "compare view")
    table = pilot.app.screen.query_one(DataTable)
    await until(pilot, lambda: table.row_count > 0, "the table")
    await pilot.pause()


def test_compare_view_at_80x24(tmp_path: Path, make_app, snap_compare) -> None:
    app = make_app(mode="compare", compare=_compared(tmp_path), home=tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_compare_ready)
