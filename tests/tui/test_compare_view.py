"""The compare view through Pilot: pick reports, and the table shows the compare core's numbers,
with file text shown literally; mixed criteria sets are refused with the CLI's problem lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, SelectionList

from guaranteekit.cli.parser import main
from guaranteekit.documents.build import build
from guaranteekit.documents.columns import load_many, mixed_problems
from guaranteekit.documents.table import table
from guaranteekit.formats.assessment import finalize, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Package
from guaranteekit.tui.recent import remember
from guaranteekit.tui.screens.compare import CompareScreen
from guaranteekit.tui.screens.start import StartScreen

from .conftest import (
    MINI_PACKAGE,
    burst,
    click_actions,
    plain,
    screen_lines,
    until,
    write_mini_report,
)

TRICKY = "[@click=app.quit]x"


def three_reports(folder: Path) -> list[Path]:
    strong = write_mini_report(
        folder / "strong.toml",
        MINI_PACKAGE.model_copy(update={"name": "Strong draft"}),
        [
            Answer(criterion="guarantor", level="bound", rationale="r", evidence=["e"]),
            Answer(criterion="force", level="many", rationale="r", evidence=["e"]),
        ],
    )
    weak = write_mini_report(
        folder / "weak.toml",
        MINI_PACKAGE.model_copy(update={"name": "Weak draft"}),
        [
            Answer(criterion="guarantor", level="none", rationale="r"),
            Answer(criterion="force", level="some", rationale="r", evidence=["e"]),
            Answer(criterion="aid", status=AnswerStatus.UNKNOWN, rationale="r"),
        ],
    )
    tricky = write_mini_report(
        folder / "tricky.toml",
        MINI_PACKAGE.model_copy(update={"name": TRICKY}),
        [Answer(criterion="guarantor", level="named", rationale="r", evidence=["e"])],
    )
    return [strong, weak, tricky]


def cells(data_table: DataTable) -> list[list[str]]:
    """Every cell of a DataTable as the plain text it shows (cells must be `Text`, not markup)."""
    rows = []
    for index in range(data_table.row_count):
        row = data_table.get_row_at(index)
        assert all(isinstance(cell, Text) for cell in row)
        rows.append([cell.plain for cell in row])
    return rows


async def test_compare_view_shows_the_core_numbers(tmp_path: Path, make_app) -> None:
    paths = three_reports(tmp_path)
    state = tmp_path / "state"
    for path in reversed(paths):
        remember(state, path, "")
    scored, _ = load_many(paths)
    expected = table(build(scored, "compare"))

    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        screen = app.screen
        files = screen.query_one("#compare-files", SelectionList)
        data_table = screen.query_one("#compare-table", DataTable)
        assert files.option_count == 3 and files.selected == []
        assert "Tick two or more" in plain(screen.query_one("#compare-problems"))
        assert data_table.row_count == 0

        await pilot.press("space", "down", "space", "down", "space")  # tick all three
        await until(pilot, lambda: len(data_table.columns) == 4, "table of three built")
        assert [Path(p) for p in files.selected] == paths

        header = [column.label.plain for column in data_table.ordered_columns]
        assert header == expected.header
        assert TRICKY in header
        shown = cells(data_table)
        assert shown[: len(expected.rows)] == expected.rows
        assert shown[len(expected.rows) : len(expected.rows) + len(expected.summary)] == (
            expected.summary
        )
        by_name = {row[0]: row[1:] for row in shown}
        # The numbers are those of the scoring core (as `guaranteekit score` prints them).
        assert by_name["Score"] == [
            "n/a" if s.report.results.score is None else f"{s.report.results.score:.2f}"  # type: ignore[union-attr]
            for s in scored
        ]
        assert by_name["Gates fired"] == ["none", "Guarantor", "none"]
        assert by_name["Rank"] == ["1", "3", "2"]
        assert "1. Strong draft" in plain(screen.query_one("#compare-ranking"))

        # File text is shown as typed and is never a clickable action.
        assert any(TRICKY in line for line in screen_lines(app))
        assert not any("quit" in action for action in click_actions(app))

        # Unticking one rebuilds the table for the other two.
        await pilot.press("space")
        await until(pilot, lambda: len(data_table.columns) == 3, "two packages")
        assert [c.label.plain for c in data_table.ordered_columns] == expected.header[:3]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "back to start")
        assert app.is_running


async def test_mixed_criteria_sets_are_refused_like_the_cli(tmp_path: Path, make_app) -> None:
    [mini, *_] = three_reports(tmp_path)
    builtin = find_criteria(DEFAULT_CRITERIA)
    other = tmp_path / "builtin.toml"
    report = new_report(Package(name="Built-in set draft"), builtin)
    save_report(other, finalize(report, builtin))
    scored, _ = load_many([mini, other])
    problems = mixed_problems(scored)
    assert problems

    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        screen = app.screen
        field = screen.query_one("#compare-path")
        field.focus()
        await pilot.press(*"nowhere.toml", "enter")
        assert "no such file" in plain(screen.query_one("#compare-problems"))
        for path in (mini, other):
            field.value = ""  # type: ignore[attr-defined]
            await pilot.press(*path.name, "enter")
            await pilot.pause()
        files = screen.query_one("#compare-files", SelectionList)
        assert [Path(p) for p in files.selected] == [mini, other]
        shown = plain(screen.query_one("#compare-problems"))
        assert shown == "\n".join(f"✗ {line}" for line in problems)
        assert screen.query_one("#compare-table", DataTable).row_count == 0


async def test_the_start_menu_entry_opens_the_compare_view(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        menu = app.screen.query_one("#start-menu")
        assert "Compare reports" in str(menu.get_option("compare").prompt)
        menu.highlighted = menu.get_option_index("compare")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        assert app.screen.query_one("#compare-files", SelectionList).option_count == 0


async def test_compare_tui_opens_the_view_with_the_reports_ticked(tmp_path: Path, make_app) -> None:
    paths = three_reports(tmp_path)
    scored, _ = load_many(paths[:2])
    expected = table(build(scored, "compare"))

    app = make_app(mode="compare", compare=[p.name for p in paths[:2]])  # relative to workdir
    async with app.run_test(size=(140, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        data_table = app.screen.query_one("#compare-table", DataTable)
        await until(pilot, lambda: len(data_table.columns) == 3, "table of two built")
        assert [c.label.plain for c in data_table.ordered_columns] == expected.header
        assert cells(data_table)[: len(expected.rows)] == expected.rows


def test_compare_tui_with_a_missing_report_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [strong, *_] = three_reports(tmp_path)
    code = main(["compare", "--tui", strong.name, "gone.toml"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [f"guaranteekit: {tmp_path / 'gone.toml'}: no such file"]


async def test_at_80x24_folders_and_globs_are_taken_and_the_table_is_usable(
    tmp_path: Path, make_app
) -> None:
    rounds = tmp_path / "rounds"
    rounds.mkdir()
    three_reports(rounds)
    (rounds / "notes.txt").write_text("not a report")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        await burst(pilot, app, ["c"])
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        screen = app.screen
        screen.query_one("#compare-path").focus()
        await burst(pilot, app, [*"rounds/s*.toml", "enter"])  # a glob: strong.toml
        files = screen.query_one("#compare-files", SelectionList)
        assert [Path(p).name for p in files.selected] == ["strong.toml"]
        await burst(pilot, app, [*"rounds", "enter"])  # a folder: its three reports
        assert sorted(Path(p).name for p in files.selected) == [
            "strong.toml",
            "tricky.toml",
            "weak.toml",
        ]
        data_table = screen.query_one("#compare-table", DataTable)
        await until(pilot, lambda: len(data_table.columns) == 4, "table of three")
        await pilot.pause()
        # The table has room at 80x24, and its criterion column stays while it scrolls sideways.
        assert data_table.region.height >= 6
        assert data_table.fixed_columns == 1
        rows = {row[0]: row[1:] for row in cells(data_table)}
        weak = [Path(p).name for p in files.selected].index("weak.toml")
        assert rows["Range"][weak].startswith("provisional ")  # weak.toml: aid unknown
        # Ticked and unticked differ by a symbol, not only by colour.
        lines = screen_lines(app)
        ticks = [line for line in lines if ".toml" in line and "▐" in line]
        assert ticks and all("▐✓▌" in line for line in ticks)
        files.deselect(files.get_option_at_index(0).value)
        await pilot.pause()
        assert any("▐·▌" in line for line in screen_lines(app))
