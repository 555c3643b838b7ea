"""The draft beside the rubric, driven as an assessor would: attach a draft to a new assessment,
open the draft view on a criterion, quote a passage, save; then read the file written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import JumpScreen
from guaranteekit.tui.screens.draft_pane import DraftScreen
from guaranteekit.tui.screens.package import PackageScreen
from guaranteekit.tui.screens.summary import SummaryScreen

from .conftest import plain, save, screen_lines, until

DRAFTS = Path(__file__).parent.parent / "data" / "drafts"


@pytest.fixture(autouse=True)
def drafts_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The set with `look_for` terms (`drafts-mini`) findable by id."""
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(DRAFTS))


async def test_quote_a_passage_of_an_attached_draft_and_save(
    tmp_path: Path, make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "round3.toml"
    app = make_app(mode="new", report=target, criteria="drafts-mini", draft=DRAFTS / "round3.pdf")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PackageScreen), "package details")
        name = app.screen.query_one("#field-name", Input)
        assert name.value == "Framework on Security Guarantees for Ukraine"  # the draft's title
        assert app.screen.query_one("#field-source", Input).value == "round3.pdf"
        name.value = "Framework, round 3"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        assess = app.screen
        await pilot.press("2")  # guarantor: named
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DraftScreen), "the draft view")
        pane = app.screen
        lines = screen_lines(app)
        assert "Draft round3.pdf · 9 units · 2 pages" in lines[0]
        assert lines[3].startswith(" For this criterion (4): guarantor, United States")
        # The first passage holding a look-for term is highlighted: Point 2, page 1.
        listing = pane.query_one("#draft-passages", OptionList)
        assert listing.highlighted is not None
        assert "Point 2 p.1" in plain_prompt(listing, listing.highlighted)
        await pilot.press("enter")
        await until(pilot, lambda: "✓ Point 2 p.1" in "\n".join(screen_lines(app)), "quoted")
        await pilot.press("d")  # the same key closes the view
        await until(pilot, lambda: app.screen is assess, "back to the criterion")
        assert "Quoted Point 2 (exact)" in plain(assess.query_one("#crit-quotes"))
        await save(pilot, app)  # past the list of what verify would say (confidence unset)

    report = load_report(target)
    assert report.draft is not None and report.draft.file == "round3.pdf"
    [quote] = report.answer("guarantor").quotes
    assert (quote.unit, quote.status.value) == ("Point 2", "exact")
    assert report.draft.text[quote.start : quote.end] == quote.text
    assert " ".join(quote.text.split()) == (
        "Point 2. The United States, the United Kingdom and France shall act as guarantors of"
        " this Framework."
    )
    capsys.readouterr()
    assert main(["evidence", str(target), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["evidence"]
    assert (row["criterion"], row["status"], row["unit"], row["page"]) == (
        "guarantor", "exact", "Point 2", 1,
    )  # fmt: skip
    assert (row["start"], row["end"]) == (quote.start, quote.end)
    assert main(["evidence", str(target)]) == 0
    assert capsys.readouterr().out.split()[:4] == ["guarantor", "exact", "Point", "2"]


def round3_builder():
    """`write_round3` of the draft tests (a report of round 3 that quotes its draft)."""
    import importlib.util

    path = Path(__file__).parent.parent / "drafts" / "conftest.py"
    spec = importlib.util.spec_from_file_location("draft_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_round3


def plain_prompt(listing: OptionList, index: int) -> str:
    prompt = listing.get_option_at_index(index).prompt
    return getattr(prompt, "plain", str(prompt))


async def test_search_unquote_and_attach_from_the_view(tmp_path: Path, make_app) -> None:
    from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
    from guaranteekit.formats.catalog import load_criteria
    from guaranteekit.formats.models import Answer, Package

    criteria = load_criteria(DRAFTS / "drafts-mini.toml")
    report = with_answer(
        new_report(Package(name="No draft yet"), criteria),
        Answer(criterion="guarantor", level="named", rationale="From memory."),
    )
    target = tmp_path / "r.toml"
    save_report(target, finalize(report, criteria))
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DraftScreen), "the draft view")
        # No draft attached: the view asks for one.
        attach = app.screen.query_one("#draft-attach", Input)
        assert attach.has_focus
        await pilot.press(*"missing.txt", "enter")
        await until(pilot, lambda: bool(app._notifications), "an error")
        assert "no such file" in list(app._notifications)[-1].message
        attach.value = str(DRAFTS / "round3.md")
        await pilot.press("enter")
        await until(pilot, lambda: app.session.report.draft is not None, "attached")
        await pilot.press("slash", *"twenty thousand", "enter")  # Enter: search, back to the list
        await until(
            pilot,
            lambda: "Passages with “twenty thousand” (1)" in "\n".join(screen_lines(app)),
            "searched",
        )
        await pilot.press("enter")  # quote Point 5, the one passage found
        await until(pilot, lambda: bool(app.session.answer("guarantor").quotes), "quoted")
        assert app.session.answer("guarantor").quotes[0].unit == "Point 5"
        await pilot.press("enter")  # again: unquoted
        await until(pilot, lambda: not app.session.answer("guarantor").quotes, "unquoted")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")


async def test_answers_to_recheck_come_first_and_clear_when_confirmed(
    tmp_path: Path, make_app
) -> None:
    old = round3_builder()(tmp_path / "round3.toml")
    new = tmp_path / "round4.toml"
    assert (
        main(["new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(new)])
        == 0
    )
    app = make_app(mode="open", report=new)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, JumpScreen), "jump list")
        listing = app.screen.query_one("#jump-list", OptionList)
        first = [plain_prompt(listing, i) for i in range(2)]
        assert "Article 5-like commitment" in first[0] and "↻ re-check" in first[0]
        assert "Senate ratification" in first[1] and "↻ re-check" in first[1]
        assert "re-check" not in plain_prompt(listing, 2)
        await pilot.press("home", "enter")  # the commitment, first in the list
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")
        screen = app.screen
        assert screen.criterion.id == "commitment"
        assert "↻ Re-check: the quote from Point 3 is no longer in the draft" in plain(
            screen.query_one("#crit-quotes")
        )
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary")
        body = plain(app.screen.query_one("#summary-body"))
        assert "To re-check against this round's draft: 2" in body
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back")
        await pilot.press("c")  # it still holds
        await until(pilot, lambda: app.session.answer("commitment").recheck is None, "confirmed")
        assert app.session.answer("ratification").recheck is not None
        await save(pilot, app)
    assert [a.criterion for a in load_report(new).answers if a.recheck] == ["ratification"]


async def test_a_long_draft_is_listed_a_page_at_a_time_and_shown_literally(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guaranteekit.tui.screens import draft_pane

    monkeypatch.setattr(draft_pane, "PAGE", 10)  # a long draft, in short
    body = "\n\n".join(
        f"Point {n}. The [@click=app.quit]guarantors[/] meet {n} times." for n in range(1, 26)
    )
    draft = tmp_path / "long.txt"
    draft.write_text("Long framework\n\n" + body)
    app = make_app(mode="new", report=tmp_path / "long.toml", criteria="drafts-mini", draft=draft)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PackageScreen), "package details")
        app.screen.query_one("#field-name", Input).value = "Long"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DraftScreen), "the draft view")
        listing = app.screen.query_one("#draft-passages", OptionList)
        prompts = [plain_prompt(listing, i) for i in range(listing.option_count)]
        # Every passage holds "guarantor": the matches are capped, the draft shown a page at a time.
        page = draft_pane.PAGE
        assert sum("Point" in p for p in prompts) == 2 * page - 1  # and the Preamble
        assert prompts[-1] == f"▼ {26 - page} more passages (Enter)"
        assert "The [@click=app.quit]guarantors[/] meet 1 times." in "\n".join(screen_lines(app))
        await pilot.press("end", "enter")
        await until(pilot, lambda: app.screen._offset == page, "the next page")
        highlighted = plain_prompt(listing, listing.highlighted)
        assert f"Point {page} " in highlighted  # the first passage of the page (Preamble first)
        assert plain_prompt(listing, listing.option_count - 1).startswith("▼ 6 more")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "back")
        assert app.is_running  # the markup in the draft clicked nothing


async def test_a_reviewer_sees_the_quotes_and_what_to_recheck(tmp_path: Path, make_app) -> None:
    from guaranteekit.tui.screens.review import ReviewScreen

    old = round3_builder()(tmp_path / "round3.toml")
    new = tmp_path / "round4.toml"
    argv = ["new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(new)]
    assert main(argv) == 0
    app = make_app(mode="review", report=new, reviewer="Rita")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        await pilot.press("n")  # the commitment, second in the set
        await until(
            pilot,
            lambda: "Point 3 (missing)" in plain(app.screen.query_one("#review-given")),
            "its quote",
        )
        given = plain(app.screen.query_one("#review-given"))
        assert "To re-check: the quote from Point 3 is no longer in the draft" in given
