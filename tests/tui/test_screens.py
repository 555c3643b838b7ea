"""What each screen shows at the smallest supported size: every key bar fits 80x24 with F1 in it,
help opens at the screen's own section, the summary shows what `score` shows, and the start
screen's Enter opens the latest assessment, as the README says."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from guaranteekit.formats.assessment import load_report, save_report
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.review import trail as review
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.recent import remember
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.compare import CompareScreen
from guaranteekit.tui.screens.help import HelpScreen
from guaranteekit.tui.screens.package import PackageScreen
from guaranteekit.tui.screens.review import ReviewScreen
from guaranteekit.tui.screens.start import StartScreen
from guaranteekit.tui.screens.summary import SummaryScreen
from guaranteekit.tui.widgets import KeyBar

from .conftest import burst, plain, screen_lines, until, write_mini_report

SIZE = (80, 24)


def example(folder: Path, name: str = "us-28-point-plan-2025-11.toml") -> Path:
    return Path(shutil.copy(resource_dir("examples") / name, folder))


def key_bar_row(app) -> str:
    """The bottom row of the screen, where the key bar is."""
    return screen_lines(app)[-1]


async def test_every_key_bar_fits_80x24_with_f1(tmp_path: Path, make_app) -> None:
    report = example(tmp_path)
    app = make_app(mode="open", report=report)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        seen = []
        for keys, kind in (
            ([], AssessScreen),  # the rubric has the focus
            (["tab"], AssessScreen),  # the rationale
            (["tab", "tab"], AssessScreen),  # the confidence
            (["escape", "ctrl+o"], SummaryScreen),
            (["escape", "f2"], PackageScreen),
        ):
            await burst(pilot, app, keys)
            await until(pilot, lambda: isinstance(app.screen, kind), kind.__name__)  # noqa: B023
            await pilot.pause()
            row = key_bar_row(app)
            assert row.lstrip().startswith("F1 Help"), row
            assert app.screen.query_one(KeyBar).region.width == SIZE[0]
            seen.append(row.strip())
        assert "1-9 Level" in seen[0] and "1-9 Level" not in seen[1]  # level keys: the rubric's
    app = make_app(mode="review", report=report, reviewer="Rita")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        await pilot.pause()
        row = key_bar_row(app)
        assert row.lstrip().startswith("F1 Help") and "a Accept" in row, row
    app = make_app(mode="compare", compare=[report])
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        await pilot.pause()
        assert key_bar_row(app).lstrip().startswith("F1 Help")


async def test_help_opens_at_the_section_of_the_screen(tmp_path: Path, make_app) -> None:
    report = example(tmp_path)
    app = make_app(mode="open", report=report)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        for keys, heading in (
            ([], "Assessment (one criterion at a time)"),
            (["ctrl+o"], "Summary"),
        ):
            await burst(pilot, app, [*keys, "f1"])
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            await pilot.pause()
            # The section's heading is the first line of the help's body on screen.
            top = app.screen.query_one("#help-body").region.y
            assert heading in screen_lines(app)[top], screen_lines(app)[top]
            await burst(pilot, app, ["f1"])  # F1 again closes it
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")


async def test_the_summary_shows_what_score_shows_and_the_review(
    tmp_path: Path, make_app, capsys
) -> None:
    from guaranteekit.cli.parser import main

    report = example(tmp_path)
    signed = review.accept(load_report(report), "Rita", "named-guarantors")
    signed = review.sign_off(signed, "Rita", "changes_requested", "Point 10 needs a named role.")
    save_report(report, signed)
    assert main(["score", str(report)]) == 0
    printed = capsys.readouterr().out
    app = make_app(mode="open", report=report)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await burst(pilot, app, ["ctrl+o"])
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary")
        body = plain(app.screen.query_one("#summary-body"))
    for part in (
        "Planned asks (fewest changes, gates first):",
        "Weight sensitivity",
        "Monte Carlo (2,000 draws, seed 1):",
        "Reference points (worked examples, same criteria):",
    ):
        assert part in printed and part in body, part
    robust = next(line.strip() for line in printed.splitlines() if "Verdict robust" in line)
    assert robust.split(":")[0] in body  # the same Monte Carlo figures
    assert "What verify would report" in body
    assert "1 accepted" in body and "Changes requested by Rita" not in body
    assert "changes requested by Rita" in body
    assert "Comment: Point 10 needs a named role." in body


async def test_enter_on_the_start_screen_opens_the_latest_assessment(
    tmp_path: Path, make_app
) -> None:
    older = write_mini_report(tmp_path / "older.toml")
    latest = write_mini_report(tmp_path / "latest.toml")
    state = tmp_path / "state"
    remember(state, older, "Older")
    remember(state, latest, "Latest")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        await burst(pilot, app, ["enter"])
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "opened")
        assert app.session is not None and app.session.path == latest.resolve()
    empty = make_app(state_dir=tmp_path / "no-state")
    async with empty.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(empty.screen, StartScreen), "start screen")
        await burst(pilot, empty, ["enter"])  # no recent assessment: New
        await until(pilot, lambda: isinstance(empty.screen, PackageScreen), "new assessment")


async def test_typed_text_reaches_the_draft_within_half_a_second_while_typing(
    tmp_path: Path, make_app
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await burst(pilot, app, ["2", "tab"])

        def drafted() -> str:
            try:
                answer = load_report(draft_path(target)).answer("guarantor")
            except Exception:
                return ""
            return answer.rationale if answer else ""

        # A key every 0.1 s, never a pause: the first words reach the draft while typing goes on.
        started = time.monotonic()
        typed = ""
        for char in "named in point ten and bound by it":
            await burst(pilot, app, [char])
            typed += char
            if drafted() and time.monotonic() - started < 3:
                break
            await pilot.pause(0.1)
        assert drafted(), "nothing reached the draft while typing"
        assert typed.startswith(drafted())
        assert len(typed) < len("named in point ten and bound by it")  # it did not wait for the end


async def test_the_jump_list_marks_an_unset_confidence(tmp_path: Path, make_app) -> None:
    from guaranteekit.tui.screens.dialogs import JumpScreen

    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await burst(pilot, app, ["2", "ctrl+n", "3", "h", "ctrl+g"])
        await until(pilot, lambda: isinstance(app.screen, JumpScreen), "jump list")
        listed = app.screen.query_one("#jump-list")
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert "confidence unset" in lines[0] and "confidence unset" not in lines[1]
