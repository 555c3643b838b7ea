"""What the UI saves, verify accepts; and before saving the UI lists what verify would report, with
a way to each listed criterion."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import AnswerStatus
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import PresaveScreen, ReasonScreen
from guaranteekit.verify.checks import verify_file

from .conftest import burst, until, write_mini_report


async def test_a_report_with_a_not_applicable_answer_saved_by_the_ui_passes_verify(
    tmp_path: Path, make_app
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        # guarantor: bound, with rationale, a quote and a confidence.
        await burst(
            pilot, app, ["3", "h", "tab", *"Point 10 binds C.", "tab", *"C shall", "ctrl+n"]
        )
        # force: not applicable, the reason and nothing else.
        await burst(pilot, app, ["x"])
        await until(pilot, lambda: isinstance(app.screen, ReasonScreen), "reason dialog")
        await burst(pilot, app, [*"Forces are in a separate annex", "enter"])
        await until(pilot, lambda: app.screen is screen, "back")
        # aid: the lowest level needs no quote.
        await burst(pilot, app, ["ctrl+n", "1", "m", "tab", *"No aid is promised."])
        await burst(pilot, app, ["ctrl+s"])  # nothing to list: saved at once
        await until(pilot, lambda: app.session is not None and not app.session.dirty, "saved")
        assert not isinstance(app.screen, PresaveScreen)
    force = load_report(target).answer("force")
    assert force is not None and force.status is AnswerStatus.NOT_APPLICABLE
    assert force.rationale == "" and force.reason == "Forces are in a separate annex"
    result = verify_file(target)
    assert result.ok and result.errors == 0, [(p.code, p.where) for p in result.problems]


async def test_the_list_before_saving_names_what_verify_reports_and_goes_to_each(
    tmp_path: Path, make_app
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        await burst(pilot, app, ["3", "ctrl+n", "u", "ctrl+s"])
        await until(pilot, lambda: isinstance(app.screen, PresaveScreen), "the list")
        listed = app.screen.query_one("#presave-list", OptionList)
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        problems = app.session.problems()  # type: ignore[union-attr]
        assert len(lines) == len(problems)
        for line, problem in zip(lines, problems, strict=True):
            assert line.startswith(problem.severity.value) and problem.message in line
        # Enter on the line of the unanswered `aid` goes there; nothing is saved.
        aid = next(i for i, p in enumerate(problems) if p.code == "unanswered")
        listed.highlighted = aid
        await burst(pilot, app, ["enter"])
        await until(pilot, lambda: app.screen is screen, "back on the criteria")
        assert screen.criterion.id == "aid" and app.session.dirty  # type: ignore[union-attr]
        # Saving as it is, then verify reports exactly what was listed.
        await burst(pilot, app, ["ctrl+s", "s"])
        await until(pilot, lambda: not app.session.dirty, "saved")  # type: ignore[union-attr]
    verified = verify_file(target).problems
    assert [(p.code, p.where, p.message) for p in verified] == [
        (p.code, p.where, p.message) for p in problems
    ]
