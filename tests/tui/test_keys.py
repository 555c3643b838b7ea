"""Every keystroke lands where the user sees it: keys sent in one burst, with no pause between them
(as a fast typist or a busy app delivers them), reach the widget that had the focus when they were
typed, in order; level keys act only in the rubric; the focus order is the same on every criterion.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from guaranteekit.formats.assessment import finalize, load_report, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import AnswerStatus, Confidence, Package
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.rubric import RubricList
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import ReasonScreen
from guaranteekit.tui.widgets import ConfidenceChoice

from .conftest import burst, until, write_mini_report


def blank_builtin_report(folder: Path) -> Path:
    criteria = find_criteria(DEFAULT_CRITERIA)
    path = folder / "round-3.toml"
    save_report(path, finalize(new_report(Package(name="Round 3"), criteria), criteria))
    return path


def typed_text(index: int) -> str:
    """200 characters full of what must never act as a key in a text box: digits, u, x, r, a..."""
    words = f"R{index} upon ratification, 25 years; x-ray u2r x (art. 5) review / draft {index}. "
    return (words * 4)[:200]


async def test_a_burst_over_five_criteria_lands_every_level_and_character(
    tmp_path: Path, make_app
) -> None:
    path = blank_builtin_report(tmp_path)
    criteria = find_criteria(DEFAULT_CRITERIA)
    plan = [(i, (i % len(criteria.criteria[i].levels)) + 1) for i in range(5)]
    keys: list[str] = []
    for index, level in plan:
        keys += [str(level), "tab", *typed_text(index), "ctrl+n"]
    keys += ["ctrl+s", "s"]  # save, past the list of what verify would report
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await burst(pilot, app, keys)
        await until(pilot, lambda: app.session is not None and not app.session.dirty, "saved")
        assert isinstance(app.screen, AssessScreen) and app.screen.index == 5
    saved = load_report(path)
    assert len(saved.answers) == 5  # no other answer changed
    for index, level in plan:
        criterion = criteria.criteria[index]
        answer = saved.answer(criterion.id)
        assert answer is not None, criterion.id
        assert answer.level == criterion.levels[level - 1].id
        assert answer.rationale == typed_text(index)
        assert answer.confidence is None  # nothing preset
    assert not draft_path(path).exists()


async def test_u2r_x_typed_in_the_rationale_and_the_confidence_changes_no_level(
    tmp_path: Path, make_app
) -> None:
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        await burst(pilot, app, ["2", "ctrl+n", "3", "ctrl+b"])  # guarantor named, force many
        before = {a.criterion: (a.status, a.level) for a in app.session.report.answers}  # type: ignore[union-attr]
        # Into the rationale, then on to the confidence choice (Tab, Tab), typing the same.
        await burst(pilot, app, ["tab", *"u2r x", "tab", "tab", *"u2r x"])
        assert isinstance(app.focused, ConfidenceChoice)
        session = app.session
        assert session is not None
        after = {a.criterion: (a.status, a.level) for a in session.report.answers}
        assert after == before
        assert session.answer("guarantor").rationale == "u2r x"  # type: ignore[union-attr]
        assert not any("Nothing to reply to" in n.message for n in app._notifications)
        assert screen.index == 0


async def test_the_focus_order_is_the_same_on_every_criterion(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        order = ["rubric", "rationale", "evidence", "confidence", "rubric"]
        # Unanswered, then answered, then after a move from inside a text box.
        for keys in ([], ["2"], ["tab", "ctrl+n"]):
            await burst(pilot, app, keys)
            assert isinstance(app.focused, RubricList)
            seen = [app.focused.id]
            for _ in range(4):
                await burst(pilot, app, ["tab"])
                assert app.focused is not None
                seen.append(app.focused.id)
            assert seen == order


async def test_keys_typed_right_after_x_reach_the_reason_field(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await burst(pilot, app, ["x", *"Handled by 2 other treaties", "enter", "tab", *"ok"])
        assert not isinstance(app.screen, ReasonScreen)
        answer = app.session.answer("guarantor")  # type: ignore[union-attr]
        assert answer is not None and answer.status is AnswerStatus.NOT_APPLICABLE
        assert answer.reason == "Handled by 2 other treaties"
        assert app.screen.query_one("#rationale", TextArea).text == "ok"
        # The keys right after the Enter that closes the dialog reach the criteria again.
        await burst(pilot, app, ["ctrl+n", "x", *"Elsewhere", "enter", "ctrl+n", "u"])
        force, aid = (app.session.answer(c) for c in ("force", "aid"))  # type: ignore[union-attr]
        assert force is not None and force.reason == "Elsewhere"
        assert aid is not None and aid.status is AnswerStatus.UNKNOWN


async def test_confidence_is_unset_until_chosen_and_has_a_key_each(
    tmp_path: Path, make_app
) -> None:
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        session = app.session
        assert session is not None
        await burst(pilot, app, ["2"])
        assert session.answer("guarantor").confidence is None  # type: ignore[union-attr]
        await burst(pilot, app, ["m"])  # in the rubric
        assert session.answer("guarantor").confidence is Confidence.MEDIUM  # type: ignore[union-attr]
        await burst(pilot, app, ["tab", "tab", "tab", "h"])  # in the confidence choice
        assert session.answer("guarantor").confidence is Confidence.HIGH  # type: ignore[union-attr]
        await burst(pilot, app, ["backspace"])
        assert session.answer("guarantor").confidence is None  # type: ignore[union-attr]
        # The cursor starts on the current choice on every criterion.
        await burst(pilot, app, ["l", "ctrl+n", "3", "tab", "tab", "tab"])
        choice = app.screen.query_one(ConfidenceChoice)
        assert choice.cursor == 0 and choice.value is None
        await burst(pilot, app, ["right", "right", "space"])
        assert session.answer("force").confidence is Confidence.HIGH  # type: ignore[union-attr]
        # Unknown and not applicable carry no confidence.
        await burst(pilot, app, ["escape", "u"])
        assert session.answer("force").confidence is None  # type: ignore[union-attr]


async def test_undo_and_redo_answer_changes_keep_what_was_typed(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        session = app.session
        assert session is not None

        def level() -> str | None:
            answer = session.answer("guarantor")
            return None if answer is None else (answer.level or answer.status.value)

        await burst(pilot, app, ["2", "tab", *"why", "escape", "3", "u"])
        assert level() == "unknown"
        await burst(pilot, app, ["ctrl+z"])
        assert level() == "bound"
        await burst(pilot, app, ["ctrl+z", "ctrl+z"])
        assert level() is None
        await burst(pilot, app, ["ctrl+y"])
        assert level() == "named"
        assert session.answer("guarantor").rationale == "why"  # type: ignore[union-attr]
        # A change made elsewhere is undone where it was made.
        await burst(pilot, app, ["ctrl+n", "1", "ctrl+b", "ctrl+z"])
        assert session.answer("force") is None
        assert isinstance(app.screen, AssessScreen) and app.screen.index == 1
        # In a text box, ctrl+z undoes typing, not the answer.
        await burst(pilot, app, ["ctrl+b", "tab", *"!", "ctrl+z", "escape"])
        assert level() == "named"
        assert app.screen.query_one("#rationale", TextArea).text == "why"
