"""Pilot flows: drive the app as a negotiator would and check the files it leaves behind."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence
from guaranteekit.tui.app import GuaranteekitApp
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.recent import load_recent
from guaranteekit.tui.rubric import RubricList
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import ChoiceScreen, JumpScreen, PresaveScreen, ReasonScreen
from guaranteekit.tui.screens.package import PackageScreen
from guaranteekit.tui.screens.summary import SummaryScreen
from guaranteekit.tui.widgets import ScorePanel
from guaranteekit.verify.checks import verify_file

from .conftest import burst, plain, save, screen_lines, until, write_mini_report

PACKAGE_FIELDS = [
    ("name", "US 20-point plan"),
    ("date", "2025-12-24"),
    ("round", "December draft"),
    ("parties", "Ukraine, Russia, United States"),
    ("guarantors", "United States, France"),
    ("source", "press text of 24 December"),
]


async def type_into(pilot: Pilot, widget: Widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, GuaranteekitApp)
    await burst(pilot, app, list(text))


def shown_score(app: GuaranteekitApp) -> str:
    """The overall score as the live panel shows it."""
    text = plain(app.screen.query_one(ScorePanel))
    match = re.search(r"Score\s+([0-9.]+) / 100", text)
    assert match, text
    return match.group(1)


async def test_a_new_assessment_typed_in_saves_what_was_typed_and_verify_agrees(
    tmp_path: Path, make_app
) -> None:
    # The whole set, answered and verified, is `test_session`'s; here the keys of a few criteria.
    criteria = find_criteria(DEFAULT_CRITERIA)
    target = tmp_path / "round-1.toml"
    app = make_app(mode="new", report=target)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PackageScreen), "package details")
        form = app.screen
        # A bad date is shown next to its field, and the form does not go on.
        await type_into(pilot, form.query_one("#field-date", Input), "24/12/2025")
        assert "YYYY-MM-DD" in plain(form.query_one("#problem-date"))
        form.query_one("#field-date", Input).value = ""
        for key, text in PACKAGE_FIELDS:
            await type_into(pilot, form.query_one(f"#field-{key}", Input), text)
        await type_into(pilot, form.query_one("#field-summary", TextArea), "Troops; treaty.")
        assert plain(form.query_one("#problem-date")) == ""
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        assert f"1 of {len(criteria.criteria)}" in plain(screen.query_one("#crit-head"))

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ReasonScreen), "reason")
        await pilot.press("enter")  # empty: refused, the dialog stays
        assert isinstance(app.screen, ReasonScreen)
        await burst(pilot, app, [*"Handled by a separate treaty", "enter"])
        await until(pilot, lambda: app.screen is screen, "back from reason")
        await burst(pilot, app, ["ctrl+n", "2", "h", "tab", *"Reading 1.", "tab", *"quoted text"])
        await burst(pilot, app, ["ctrl+n", "u", "tab", *"The draft is silent.", "ctrl+n"])
        assert screen.index == 3
        shown = shown_score(app) if "Score" in plain(screen.query_one(ScorePanel)) else None
        await save(pilot, app)

    assert not draft_path(target).exists()
    report = load_report(target)
    assert report.package.name == "US 20-point plan"
    assert report.package.guarantors == ["United States", "France"]
    assert report.package.summary == "Troops; treaty."
    first, second, third = (report.answer(c.id) for c in criteria.criteria[:3])
    assert len(report.answers) == 3
    assert first is not None and first.status is AnswerStatus.NOT_APPLICABLE
    assert first.reason == "Handled by a separate treaty" and first.justified
    assert second is not None and second.level == criteria.criteria[1].levels[1].id
    assert (second.rationale, second.evidence) == ("Reading 1.", ["quoted text"])
    assert second.confidence is Confidence.HIGH
    assert third is not None and third.status is AnswerStatus.UNKNOWN
    assert third.rationale == "The draft is silent."
    result = verify_file(target)
    # Only the unanswered criteria fail it: what was typed is what verify accepts.
    assert {p.code for p in result.problems if p.severity.value == "error"} == {"unanswered"}
    if shown is not None:
        assert f"{result.summary.score:.1f}" == shown


async def test_changed_on_disk_asks_before_overwriting(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("3")  # guarantor: bound
        await pilot.pause()
        theirs = target.read_bytes().replace(b"Mini package", b"Edited elsewhere")
        target.write_bytes(theirs)

        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, PresaveScreen), "what verify says")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "overwrite question")
        assert "changed on disk" in plain(app.screen.query_one(".dialog-title"))
        await pilot.press("escape")  # keep their file
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")
        assert target.read_bytes() == theirs
        assert load_report(draft_path(target)).answer("guarantor").level == "bound"  # type: ignore[union-attr]

        await pilot.press("ctrl+s", "ctrl+s")  # twice: past the list of what verify says
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "asked again")
        await pilot.press("o")  # overwrite
        await until(pilot, lambda: not app.session.dirty, "saved")
    saved = load_report(target)
    assert saved.answer("guarantor").level == "bound"  # type: ignore[union-attr]
    assert saved.package.name == "Mini package"
    assert not draft_path(target).exists()


async def test_save_without_outside_change_does_not_ask(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("2")
        await save(pilot, app)
        assert not isinstance(app.screen, ChoiceScreen)
    assert load_report(target).answer("guarantor").level == "named"  # type: ignore[union-attr]


async def test_quitting_with_unsaved_changes_asks(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    before = target.read_bytes()
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "quit question")
        await pilot.press("escape")  # cancel: still running, nothing written
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")
        assert app.is_running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "asked again")
        await pilot.press("s")  # save and quit
        await until(pilot, lambda: isinstance(app.screen, PresaveScreen), "what verify says")
        await pilot.press("s")
        await until(pilot, lambda: not app.is_running, "quit")
    assert target.read_bytes() != before
    assert load_report(target).answer("guarantor").level == "none"  # type: ignore[union-attr]


async def test_quit_and_discard_removes_the_draft_and_keeps_the_report(
    tmp_path: Path, make_app
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    before = target.read_bytes()
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("1")
        await until(pilot, lambda: draft_path(target).exists(), "draft written")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "quit question")
        await pilot.press("d")
        await until(pilot, lambda: not app.is_running, "quit")
    assert target.read_bytes() == before
    assert not draft_path(target).exists()


async def test_quitting_without_changes_does_not_ask(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "quit")


async def test_keys_navigate_and_the_panel_follows_every_change(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        panel = screen.query_one(ScorePanel)
        assert "? 1 open" in plain(panel)  # the gated criterion is unanswered
        await pilot.press("1")  # guarantor: none -> the gate fires
        await pilot.pause()
        assert "✗ FIRES Guarantor" in plain(panel)
        await pilot.press("down", "down", "enter")  # highlight level 3 and choose it
        await pilot.pause()
        assert app.session.answer("guarantor").level == "bound"  # type: ignore[union-attr]
        assert "FIRES" not in plain(panel)
        assert "(•)" in str(screen.query_one(RubricList).get_option_at_index(2).prompt)
        await pilot.press("right")
        assert screen.index == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.session.answer("force").status is AnswerStatus.UNKNOWN  # type: ignore[union-attr]
        await pilot.press("left")
        assert screen.index == 0
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, JumpScreen), "jump list")
        jump = app.screen
        assert "1 unanswered" in plain(jump.query_one("#jump-title"))
        await pilot.press("u")  # only the unanswered
        await pilot.pause()
        options = jump.query_one("#jump-list")
        assert options.option_count == 1
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "back from the jump list")
        assert screen.criterion.id == "aid"
        await pilot.press("backspace")  # nothing to clear: stays unanswered
        assert app.session.answer("aid") is None
        await pilot.press("left", "left", "2")  # guarantor: named, one step below the top
        await pilot.pause()
        assert screen.index == 0
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary")
        body = plain(app.screen.query_one("#summary-body"))
        assert "What to demand next" in body
        assert "1. Guarantor: Named → Bound" in body
        assert "Demand: A named guarantor commits in writing" in body
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back from the summary")


async def test_open_missing_file_from_start_screen_says_so(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"nope.toml", "enter")
        await pilot.pause()
        assert "no such file" in plain(app.screen.query_one("#open-problem"))


async def test_recent_list_opens_a_report(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    first = make_app(mode="open", report=target)
    async with first.run_test() as pilot:
        await until(pilot, lambda: isinstance(first.screen, AssessScreen), "opened")
        # The recent list is written once the report is on screen, just after the first frame.
        await until(pilot, lambda: bool(load_recent(tmp_path / "state")), "remembered")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#start-menu")
        assert "Mini package" in str(menu.get_option("recent-0").prompt)
        menu.highlighted = menu.get_option_index("recent-0")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "opened from recent")
        assert app.session is not None and app.session.path == target.resolve()


async def test_review_opens_read_only(tmp_path: Path, make_app) -> None:
    target = write_mini_report(
        tmp_path / "r.toml", answers=[Answer(criterion="force", level="some", rationale="x")]
    )
    before = target.read_bytes()
    app = make_app(mode="review", report=target)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        from guaranteekit.tui.screens.review import ReviewScreen

        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "opened")
        await pilot.press("3", "ctrl+s", "ctrl+q")
        await until(pilot, lambda: not app.is_running, "quit without asking")
    assert target.read_bytes() == before
    assert not draft_path(target).exists()


async def test_declining_to_open_at_launch_leaves_the_start_screen(
    tmp_path: Path, make_app
) -> None:
    # Opening a report at launch goes straight to it, with no start screen underneath; cancelling
    # the recovery question must leave the start screen, not an empty one.
    from guaranteekit.tui.screens.start import StartScreen
    from guaranteekit.tui.session import Session

    target = write_mini_report(tmp_path / "r.toml")
    crashed = Session.open(target)
    crashed.choose_level("force", "some")  # written to the draft, never saved
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "recovery question")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StartScreen), "start screen")
        assert len(app.screen_stack) == 2 and app.session is None
    assert draft_path(target).exists()  # cancelled: the draft is kept for another time


async def test_opening_another_report_from_one_opened_at_launch(tmp_path: Path, make_app) -> None:
    first = write_mini_report(tmp_path / "first.toml")
    second = write_mini_report(tmp_path / "second.toml")
    app = make_app(mode="open", report=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "first opened")
        app.open_flow(second)
        await until(
            pilot,
            lambda: app.session is not None and app.session.path == second.resolve(),
            "second opened",
        )
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "second shown")
        from guaranteekit.tui.screens.start import StartScreen

        # [default, start, second]: the first assessment's screen is gone, the start screen is
        # underneath for when this one is closed.
        assert [type(s) for s in app.screen_stack[1:]] == [StartScreen, AssessScreen]


async def test_the_screen_shows_each_change_of_level_in_the_rubric_and_the_panel(
    tmp_path: Path, make_app
) -> None:
    # The rubric and the score panel redraw only the lines a change touches: what the terminal is
    # handed must still be the whole new state, line for line.
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        panel = app.screen.query_one(ScorePanel)
        for key in ["1", "3", "2", "u", "1", "3"]:
            await burst(pilot, app, [key])
            await pilot.pause()
            shown = screen_lines(app)
            area = panel.content_region
            on_screen = [shown[y][area.x : area.right].rstrip() for y in range(area.y, area.bottom)]
            expected = [line.plain.rstrip() for line in panel._lines(area.width)][: area.height]
            assert on_screen[: len(expected)] == expected, key
            assert sum("(•)" in line for line in shown) == 1, key
