"""Review mode through Pilot: walk, accept, dispute, sign off, save; then the saved trail, `verify`,
the assessor's side (the dispute is shown and answered), and the states in the jump list."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import (
    finalize,
    load_report,
    load_scored,
    save_report,
    with_answer,
)
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, ReviewKind, SignoffDecision
from guaranteekit.review import trail as review
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import ChoiceScreen
from guaranteekit.tui.screens.review import ReviewJumpScreen, ReviewScreen, SignOffScreen
from guaranteekit.tui.screens.review_widgets import NoteScreen, ThreadView
from guaranteekit.verify.checks import verify_file

from .conftest import MINI_SET, plain, save, until, write_mini_report

REVIEWER = "Rita Reviewer"
ASSESSOR = "Ann Assessor"
EXAMPLE = Path(__file__).parents[2] / "examples" / "nato-article-5.toml"

MINI_ANSWERS = [
    Answer(
        criterion="guarantor",
        level="named",
        rationale="C is named but commits to nothing.",
        evidence=["C shall guarantee"],
    ),
    Answer(
        criterion="force",
        level="some",
        rationale="A small contingent.",
        evidence=["a contingent of 5,000"],
    ),
    Answer(
        criterion="aid",
        status=AnswerStatus.NOT_APPLICABLE,
        reason="Aid is handled in a separate agreement.",
        rationale="Out of scope of this text.",
    ),
]


def rich_text(renderable: object) -> str:
    """What a Rich renderable prints, as plain text."""
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def complete_report(folder: Path) -> Path:
    """A complete assessment on the fixture set, every answer justified (the walk over the 31
    criteria of a worked example is the same walk, ten times longer)."""
    return write_mini_report(folder / "to-review.toml", answers=MINI_ANSWERS)


def mini_with_trail(folder: Path) -> Path:
    """A mini report where `guarantor` and `aid` were accepted, then the `aid` and `force`
    answers changed (so only the accept of `aid` is stale), then `force` was disputed."""
    criteria = load_criteria(MINI_SET)
    path = write_mini_report(folder / "trail.toml", answers=MINI_ANSWERS)
    report = load_report(path)
    report = review.accept(report, REVIEWER, "guarantor")
    report = review.accept(report, REVIEWER, "aid")
    aid, force = report.answer("aid"), report.answer("force")
    assert aid is not None and force is not None
    report = with_answer(report, aid.model_copy(update={"rationale": "Out of scope, see annex."}))
    report = finalize(with_answer(report, force.model_copy(update={"level": "many"})), criteria)
    report = review.dispute(report, REVIEWER, "force", "[b]Many[/b] is not what the text says.")
    save_report(path, report, overwrite=True)
    return path


async def test_review_disputes_one_accepts_the_rest_and_requests_changes(
    tmp_path: Path, make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    path = complete_report(tmp_path)
    scored = load_scored(path)
    criteria = [c.id for c in scored.criteria.criteria]
    disputed = criteria[1]
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # The answer is shown with the rubric (chosen level marked) and its evidence.
        first = scored.report.answers[0]
        given = plain(screen.query_one("#review-given"))
        assert "Rationale:" in given and "Evidence:" in given
        for quote in first.evidence:
            assert quote.split()[0] in given
        rubric = rich_text(screen.query_one("#review-rubric", Static).content)
        chosen = scored.criteria.criterion(first.criterion).level(first.level or "")
        assert (
            f"(•) {1 + scored.criteria.criterion(first.criterion).levels.index(chosen)}" in rubric
        )
        assert f"{chosen.label}  ← chosen" in rubric
        assert rubric.count("← chosen") == 1

        for index, cid in enumerate(criteria):
            assert screen.index == index
            assert "unreviewed" in plain(screen.query_one("#review-head"))
            if cid == disputed:
                await pilot.press("d")
                await until(pilot, lambda: isinstance(app.screen, NoteScreen), "comment dialog")
                await pilot.press("enter")  # no comment: refused, the dialog stays
                assert isinstance(app.screen, NoteScreen)
                assert "required" in plain(app.screen.query_one("#note-problem"))
                await pilot.press(*"Too generous: no force is committed.", "enter")
                await until(pilot, lambda: app.screen is screen, "back from the dialog")
            else:
                await pilot.press("a")
            await pilot.pause()
        # The answers cannot be changed in review mode.
        await pilot.press("1", "x")
        assert load_scored(path).report.answers == scored.report.answers

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SignOffScreen), "sign-off dialog")
        assert app.screen.query_one("#signoff-author").value == REVIEWER  # type: ignore[attr-defined]
        # An approval is refused while the dispute is open; the dialog says why and stays.
        await pilot.click("#signoff-approved")
        await pilot.pause()
        assert isinstance(app.screen, SignOffScreen)
        assert "cannot approve" in plain(app.screen.query_one("#signoff-problem"))
        await pilot.press(*"One answer to revisit.")
        await pilot.click("#signoff-changes_requested")
        await until(pilot, lambda: app.screen is screen, "back from the sign-off")
        assert "Changes requested by Rita Reviewer" in plain(screen.query_one("#review-signoff"))
        assert app.session is not None and app.session.dirty
        await save(pilot, app)

    assert not draft_path(path).exists()
    saved = load_report(path)
    entries = saved.review.entries
    assert [(e.kind, e.criterion) for e in entries] == [
        *((ReviewKind.DISPUTE if c == disputed else ReviewKind.ACCEPT, c) for c in criteria),
        (ReviewKind.SIGNOFF, None),
    ]
    assert {e.author for e in entries} == {REVIEWER}
    assert entries[1].text == "Too generous: no force is committed."
    assert entries[-1].decision is SignoffDecision.CHANGES_REQUESTED
    assert entries[-1].text == "One answer to revisit."
    assert saved.answers == scored.report.answers

    result = verify_file(path)
    assert result.ok, [(p.code, p.where, p.message) for p in result.problems]
    codes = {(p.code, p.severity.value) for p in result.problems}
    assert ("dispute-open", "warning") in codes
    assert ("changes-requested", "warning") in codes
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"({disputed}): disputed by {REVIEWER}" in out


async def test_the_assessor_sees_the_open_dispute_and_replies(tmp_path: Path, make_app) -> None:
    path = mini_with_trail(tmp_path)
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        notices = [n.message for n in app._notifications]
        assert any("1 open dispute(s)" in m and "Force" in m for m in notices), notices
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        # No thread on the first criterion's... accept only: shown, it is part of the trail.
        await pilot.press("ctrl+n")  # force
        await pilot.pause()
        thread = screen.query_one("#crit-thread", ThreadView)
        assert thread.display
        text = plain(thread)
        assert "✗ disputed" in text
        assert "[b]Many[/b] is not what the text says." in text  # shown literally, not as markup

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen), "reply dialog")
        await pilot.press(*"Raised after the annex; see p. 4.", "tab", *ASSESSOR, "enter")
        await until(pilot, lambda: app.screen is screen, "back from the reply")
        assert "Raised after the annex" in plain(thread)
        assert app.session is not None and app.session.dirty  # a reply alone is a change
        await save(pilot, app)

    saved = load_report(path)
    thread_kinds = [(e.kind, e.author) for e in review.threads(saved)["force"]]
    assert thread_kinds == [(ReviewKind.DISPUTE, REVIEWER), (ReviewKind.REPLY, ASSESSOR)]
    assert review.threads(saved)["force"][-1].text == "Raised after the annex; see p. 4."
    # The reply does not close the dispute: the reviewer resolves it.
    assert [e.criterion for _, e in review.open_disputes(saved)] == ["force"]
    assert verify_file(path).ok


async def test_reply_needs_a_thread(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "plain.toml", answers=MINI_ANSWERS)
    before = path.read_bytes()
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        assert not app.screen.query_one("#crit-thread", ThreadView).display
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert any("Nothing to reply to" in n.message for n in app._notifications)
    assert path.read_bytes() == before


async def test_the_jump_list_shows_review_states_in_words(tmp_path: Path, make_app) -> None:
    path = mini_with_trail(tmp_path)
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        screen = app.screen
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ReviewJumpScreen), "jump list")
        options = app.screen.query_one("#review-jump-list", OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert lines[0].startswith("✓  1. Guarantor") and "— accepted  ·" in lines[0]
        assert lines[1].startswith("✗  2. Force") and "— disputed  ·" in lines[1]
        assert lines[2].startswith("✓  3.") and "— accepted, stale" in lines[2]
        assert "1 disputed" in plain(app.screen.query_one("#jump-title"))
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: app.screen is screen, "back")
        assert screen.index == 2
        # The stale accept says so beside the answer.
        assert "⚠ stale: this answer changed after it was accepted" in plain(
            screen.query_one("#review-thread")
        )


async def test_a_stale_signoff_is_shown(tmp_path: Path, make_app) -> None:
    criteria = load_criteria(MINI_SET)
    path = write_mini_report(tmp_path / "approved.toml", answers=MINI_ANSWERS)
    report = load_report(path)
    for answer in report.answers:
        report = review.accept(report, REVIEWER, answer.criterion)
    report = review.sign_off(report, REVIEWER, "approved")
    first = report.answer("guarantor")
    assert first is not None
    report = finalize(with_answer(report, first.model_copy(update={"level": "bound"})), criteria)
    save_report(path, report, overwrite=True)
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        signoff = plain(app.screen.query_one("#review-signoff"))
        assert "Approved by Rita Reviewer" in signoff
        assert "⚠ stale: the answers changed after this sign-off" in signoff
        assert "accepted, stale" in plain(app.screen.query_one("#review-head"))


async def test_review_steps_left_in_the_draft_are_offered_back(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=MINI_ANSWERS)
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        await pilot.press("a", "a")
        await until(pilot, lambda: draft_path(path).exists(), "draft written")
    # The app stopped without saving (run_test ends it without the quit flow): the report has
    # no trail, the draft has two accepts.
    assert load_report(path).review.entries == []
    assert len(load_report(draft_path(path)).review.entries) == 2

    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "recovery question")
        assert "2 review step(s)" in plain(app.screen.query_one(".dialog-message"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        assert "✓ accepted" in plain(app.screen.query_one("#review-head"))
        await save(pilot, app)
    saved = load_report(path)
    assert [(e.kind, e.criterion) for e in saved.review.entries] == [
        (ReviewKind.ACCEPT, "guarantor"),
        (ReviewKind.ACCEPT, "force"),
    ]
    assert verify_file(path).ok


async def test_quitting_with_an_unsaved_review_asks(tmp_path: Path, make_app) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=MINI_ANSWERS)
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        await pilot.press("a", "ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "quit question")
        await pilot.press("s")  # save and quit
        await until(pilot, lambda: not app.is_running, "quit")
    assert [e.criterion for e in load_report(path).review.entries] == ["guarantor"]


def test_review_of_a_missing_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", str(tmp_path / "nope.toml"), "--reviewer", REVIEWER]) == 2
    err = capsys.readouterr().err
    assert "nope.toml: no such file" in err and "Traceback" not in err


async def test_an_approval_over_stale_accepts_asks_first_and_verify_reports_it(
    tmp_path: Path, make_app
) -> None:
    criteria = load_criteria(MINI_SET)
    path = write_mini_report(tmp_path / "r.toml", answers=MINI_ANSWERS)
    report = load_report(path)
    for answer in report.answers:
        report = review.accept(report, REVIEWER, answer.criterion)
    force = report.answer("force")
    assert force is not None
    report = finalize(with_answer(report, force.model_copy(update={"level": "many"})), criteria)
    save_report(path, report, overwrite=True)
    states = review.review_state(load_report(path))
    assert [c for c, r in states.items() if r.stale] == ["force"]  # only the changed answer

    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        screen = app.screen
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SignOffScreen), "sign-off dialog")
        await pilot.click("#signoff-approved")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "asked first")
        assert "1 answer(s) changed after you accepted them: Force" in plain(
            app.screen.query_one(".dialog-message")
        )
        await pilot.press("j")  # look at it
        await until(pilot, lambda: app.screen is screen, "back to the review")
        assert screen.criterion.id == "force"
        assert review.signoff_status(app.session.report).entry is None  # type: ignore[union-attr]
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SignOffScreen), "sign-off again")
        await pilot.click("#signoff-approved")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "asked again")
        await pilot.press("a")  # approve anyway
        await until(pilot, lambda: app.screen is screen, "signed off")
        await save(pilot, app)
    result = verify_file(path)
    assert not result.ok
    assert [p.code for p in result.problems if p.severity.value == "error"] == ["signoff-stale"]
    assert "(force)" in next(p.message for p in result.problems if p.code == "signoff-stale")
    assert result.summary.review.signoff.stale is True


async def test_the_dialogs_start_in_their_first_field_and_tab_back_keeps_the_text(
    tmp_path: Path, make_app
) -> None:
    path = mini_with_trail(tmp_path)
    app = make_app(mode="open", report=path)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("ctrl+n", "r")  # reply on force, which has a thread
        await until(pilot, lambda: isinstance(app.screen, NoteScreen), "reply dialog")
        dialog = app.screen
        assert app.focused is dialog.query_one("#note-text")
        await pilot.press(*"Raised", "tab", *"Ann", "shift+tab", *" after the annex")
        assert dialog.query_one("#note-text").value == "Raised after the annex"  # type: ignore[attr-defined]
        assert dialog.query_one("#note-author").value.endswith("Ann")  # type: ignore[attr-defined]
        await pilot.press("escape")
    app = make_app(mode="review", report=path, reviewer=REVIEWER)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SignOffScreen), "sign-off dialog")
        fields = [w.id for w in app.screen.query("Input")]
        assert fields[0] == "signoff-text" and app.focused is app.screen.query_one("#signoff-text")
