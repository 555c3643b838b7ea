"""Text from files is data: markup in a package name or a criteria file is shown as typed and does
nothing when clicked, on every screen that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from guaranteekit.tui.app import GuaranteekitApp
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import JumpScreen
from guaranteekit.tui.screens.package import PackageScreen
from guaranteekit.tui.screens.start import StartScreen
from guaranteekit.tui.screens.summary import SummaryScreen

from .conftest import MINI_SET, click_actions, plain, save, screen_lines, until

NAMES = ["[@click=app.quit]x", "[$accent]x", "[bold red]x[/] \\[y]"]


def shows(app: GuaranteekitApp, text: str) -> bool:
    """True when `text` appears, literally, on one row of the screen."""
    return any(text in line for line in screen_lines(app))


def markup_criteria(tmp_path: Path) -> Path:
    """The `mini` set with markup in its titles, question and a level label."""
    text = MINI_SET.read_text(encoding="utf-8")
    text = text.replace('id = "mini"', 'id = "mini-markup"', 1)
    text = text.replace('title = "Guarantor"', 'title = "[@click=app.quit]G"', 1)
    text = text.replace('title = "Who"', 'title = "[$accent]Who"', 1)
    text = text.replace('question = "Is a guarantor named?"', 'question = "[b]named[/b]?"', 1)
    path = tmp_path / "markup-set.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", NAMES)
async def test_package_name_is_shown_literally_everywhere(
    name: str, tmp_path: Path, make_app
) -> None:
    target = tmp_path / "r.toml"
    app = make_app(mode="new", criteria=str(MINI_SET), report=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PackageScreen), "package details")
        field = app.screen.query_one("#field-name", Input)
        field.focus()
        await pilot.press(*name)
        assert field.value == name
        await pilot.pause()
        assert shows(app, name)  # the form shows it as typed
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        assert app.session is not None and app.session.report.package.name == name
        topbar = app.screen.query_one("#topbar")
        assert name in plain(topbar)
        assert shows(app, name)
        assert not any("quit" in action for action in click_actions(app))
        # Clicking where the name is drawn does nothing: the app keeps running on this screen.
        row = next(line for line in screen_lines(app) if name in line)
        await pilot.click(topbar, offset=(row.index(name) + 1, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AssessScreen)

        await pilot.press("3", "ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary")
        assert name in plain(app.screen.query_one("#summary-body"))
        assert shows(app, name)
        assert not any("quit" in action for action in click_actions(app))
        await save(pilot, app)

    # The start screen's recent list shows the name as saved.
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(again.screen, StartScreen), "start screen")
        await pilot.pause()
        assert shows(again, name)
        assert not any("quit" in action for action in click_actions(again))
        row_index = next(i for i, line in enumerate(screen_lines(again)) if name in line)
        await pilot.click(offset=(screen_lines(again)[row_index].index(name) + 1, row_index))
        await pilot.pause()
        assert again.is_running


async def test_criteria_text_is_shown_literally_in_the_criterion_and_the_jump_list(
    tmp_path: Path, make_app
) -> None:
    criteria = markup_criteria(tmp_path)
    app = make_app(mode="new", criteria=str(criteria), report=tmp_path / "r.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PackageScreen), "package details")
        app.screen.query_one("#field-name", Input).focus()
        await pilot.press(*"Plain name", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.pause()
        for text in ("[@click=app.quit]G", "[$accent]Who", "[b]named[/b]?"):
            assert shows(app, text), text
        assert not any("quit" in action for action in click_actions(app))

        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, JumpScreen), "jump list")
        await pilot.pause()
        assert shows(app, "[@click=app.quit]G")
        assert not any("quit" in action for action in click_actions(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")
        assert app.is_running
