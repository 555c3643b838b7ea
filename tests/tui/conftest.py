"""Fixtures of the TUI tests: saved reports built through the core, and the app built by its factory.

Every path is under `tmp_path` (state folder included), so no test reads or writes the user's home.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widget import Widget

from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, Package
from guaranteekit.tui.app import GuaranteekitApp, create_app

DATA = Path(__file__).parent.parent / "data"
MINI_SET = DATA / "sets" / "mini.toml"

MINI_PACKAGE = Package(
    name="Mini package",
    date="2026-01-06",
    round="round 2",
    parties=["A", "B"],
    guarantors=["C"],
    source="fixture",
    summary="A package for tests.",
)


def write_mini_report(
    path: Path, package: Package = MINI_PACKAGE, answers: Iterable[Answer] = ()
) -> Path:
    """A report against the fixture set `mini`, saved through the core's writer."""
    criteria = load_criteria(MINI_SET)
    report = new_report(package, criteria)
    for answer in answers:
        report = with_answer(report, answer)
    save_report(path, finalize(report, criteria), overwrite=False)
    return path


def plain(widget: Widget) -> str:
    """The text a widget shows (without styles)."""
    visual = widget.render()
    text = getattr(visual, "plain", None)
    return text if isinstance(text, str) else str(visual)


async def until(pilot: Pilot, condition: Callable[[], bool], what: str, rounds: int = 100) -> None:
    """Let the app process messages until `condition` holds (flows run in workers)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def key_event(key: str) -> events.Key:
    """The event a terminal driver sends for `key` (a character or a key name), as Pilot makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(pilot: Pilot, app: GuaranteekitApp, keys: list[str]) -> None:
    """Put every key in the app's queue at once, before it takes any, then wait until all are
    handled: no pause between keys, however long the app takes over one."""
    expected = app.keys_taken + len(keys)
    for key in keys:
        app.post_message(key_event(key))
    await until(
        pilot,
        lambda: app.keys_taken >= expected and not app.keys_pending,
        "every key handled",
        rounds=5000,
    )
    await pilot.pause()


async def save(pilot: Pilot, app: GuaranteekitApp) -> None:
    """ctrl+s, then `s` (save as it is) in the list of what verify would report, if it comes."""
    from guaranteekit.tui.screens.dialogs import PresaveScreen

    await pilot.press("ctrl+s")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, PresaveScreen)
            or (app.session is not None and not app.session.dirty)
        ),
        "the list before saving, or saved",
    )
    if isinstance(app.screen, PresaveScreen):
        await pilot.press("s")
    await until(pilot, lambda: app.session is not None and not app.session.dirty, "saved")


@pytest.fixture(autouse=True)
def keys_handled_before_press_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pilot.press` returns once the app has handled every key it sent: the app takes keys one at
    a time (`guaranteekit.tui.keys`), which Pilot's idle wait does not see."""
    press = Pilot.press

    async def press_and_wait(self: Pilot, *keys: str) -> None:
        await press(self, *keys)
        app = self.app
        if isinstance(app, GuaranteekitApp):
            await until(self, lambda: not app.keys_pending, "keys handled", rounds=1000)

    monkeypatch.setattr(Pilot, "press", press_and_wait)


@pytest.fixture(autouse=True)
def mini_env(fixture_sets: Path) -> Path:
    """The fixture criteria sets findable by id (reports name their set by id); the built-in
    sets stay findable too."""
    return fixture_sets


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., GuaranteekitApp]:
    """The app factory with a state folder and working folder under `tmp_path`."""

    def make(**kwargs: object) -> GuaranteekitApp:
        kwargs.setdefault("state_dir", tmp_path / "state")
        kwargs.setdefault("workdir", tmp_path)
        return create_app(**kwargs)  # type: ignore[arg-type]

    return make


def screen_lines(app: GuaranteekitApp) -> list[str]:
    """The text of the current screen, one string per terminal row, as the terminal shows it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def click_actions(app: GuaranteekitApp) -> set[str]:
    """Every `@click` action a mouse click on the current screen could run (from markup links)."""
    actions: set[str] = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            if "@click" in meta:
                actions.add(str(meta["@click"]))
    return actions
