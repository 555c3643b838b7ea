"""Adjudicating a merged report in review mode, through Pilot: the positions are shown side by side,
`a` will not wave a disagreement through, `r` opens the adjudication, and the saved report has the
chosen levels, a trail naming the adjudicator, an approval, and passes `verify`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report, load_scored, save_report
from guaranteekit.formats.models import ReviewKind, SignoffDecision
from guaranteekit.review import consensus
from guaranteekit.tui.app import create_app
from guaranteekit.tui.screens.adjudicate import AdjudicateScreen, PositionsView
from guaranteekit.tui.screens.review import ReviewJumpScreen, ReviewScreen, SignOffScreen
from guaranteekit.verify.checks import verify_file

from .conftest import ANN, BOB, BOB_RATIONALE, Pair

RITA = "Rita Adjudicator"


async def until(pilot: Pilot, condition: Callable[[], bool], what: str, rounds: int = 100) -> None:
    """Let the app process messages until `condition` holds (flows run in workers)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def shown(widget: object) -> str:
    """The text a Static shows, as the terminal would (rich renderables included)."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def consensus_report(pair: Pair, tmp_path: Path) -> Path:
    path = tmp_path / "consensus.toml"
    merged = consensus.merge_reports([load_scored(pair.ann), load_scored(pair.bob)], "Mia Merger")
    save_report(path, merged, overwrite=False)
    return path


async def test_adjudicating_the_three_disputes_in_review_mode(
    consensus_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = consensus_report
    criteria = load_scored(path).criteria
    order = [c.id for c in criteria.criteria]
    # criterion: (keys in the dialog's list, the level it chooses, whom it follows)
    rulings = {
        "violation-determination": ([], "collective", [ANN]),  # Ann's level over Bob's unknown
        "legal-basis": (["down"], "political", [BOB]),  # Bob's reading, under the gate
        "duration-withdrawal": (["down", "down", "down"], "durable", []),  # a level neither gave
    }
    app = create_app(
        state_dir=tmp_path / "state", workdir=tmp_path, mode="review", report=path, reviewer=RITA
    )
    async with app.run_test(size=(100, 36), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        positions = screen.query_one("#review-positions", PositionsView)
        assert not positions.display  # criterion 1: the analysts agree
        for cid, (keys, level, follows) in rulings.items():
            await pilot.press("ctrl+g")
            await until(pilot, lambda: isinstance(app.screen, ReviewJumpScreen), "jump list")
            jump = app.screen.query_one("#review-jump-list", OptionList)
            await pilot.press(*(["down"] * (order.index(cid) - jump.highlighted)), "enter")  # type: ignore[operator]
            await until(pilot, lambda cid=cid: screen.criterion.id == cid, f"on {cid}")
            assert positions.display
            text = " ".join(shown(positions).split())
            assert "The assessors disagree" in text and ANN in text and BOB in text
            assert " ".join(BOB_RATIONALE[cid].split()[:4]) in text  # [b]..[/b] shown literally

            await pilot.press("a")  # accepting the provisional answer is not adjudicating
            await pilot.pause()
            assert app.screen is screen
            assert consensus.disagreement(app.session.report, cid) is not None  # type: ignore[union-attr]

            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, AdjudicateScreen), "adjudication")
            dialog = app.screen
            await pilot.press(*keys, "enter")  # pick; the comment comes next
            assert dialog.query_one("#adjudicate-comment", Input).has_focus
            if not follows:
                await pilot.press("enter")  # no comment: refused, the dialog stays
                assert app.screen is dialog
                assert "required" in shown(dialog.query_one("#adjudicate-problem"))
            await pilot.press(*level[:3], "enter")
            await until(pilot, lambda: app.screen is screen, "back from the adjudication")
            assert consensus.disagreement(app.session.report, cid) is None  # type: ignore[union-attr]
            assert "Adjudicated by Rita Adjudicator" in " ".join(shown(positions).split())
            answer = app.session.report.answer(cid)  # type: ignore[union-attr]
            assert answer is not None and answer.level == level

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SignOffScreen), "sign-off dialog")
        await pilot.click("#signoff-approved")
        await until(pilot, lambda: app.screen is screen, "back from the sign-off")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.session.dirty, "saved")  # type: ignore[union-attr]

    saved = load_report(path)
    resolves = [e for e in saved.review.entries if e.kind is ReviewKind.RESOLVE]
    assert [(e.criterion, e.author) for e in resolves] == [(cid, RITA) for cid in rulings]
    for entry, (cid, (_, level, follows)) in zip(resolves, rulings.items(), strict=True):
        assert entry.adjudication is not None
        assert (entry.adjudication.level, entry.adjudication.follows) == (level, follows)
        assert entry.text == level[:3]
        assert saved.answer(cid).level == level  # type: ignore[union-attr]
    signoff = saved.review.entries[-1]
    assert (signoff.kind, signoff.author) == (ReviewKind.SIGNOFF, RITA)
    assert signoff.decision is SignoffDecision.APPROVED
    result = verify_file(path)
    assert result.ok and not [p for p in result.problems if p.code == "dispute-open"]
    assert main(["verify", str(path)]) == 0
    capsys.readouterr()


async def test_escape_leaves_the_disagreement_open(consensus_report: Path, tmp_path: Path) -> None:
    before = consensus_report.read_bytes()
    app = create_app(
        state_dir=tmp_path / "state",
        workdir=tmp_path,
        mode="review",
        report=consensus_report,
        reviewer=RITA,
    )
    criteria = load_scored(consensus_report).criteria
    index = [c.id for c in criteria.criteria].index("legal-basis")
    async with app.run_test(size=(100, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review screen")
        screen = app.screen
        await pilot.press(*(["n"] * index))
        await until(pilot, lambda: screen.criterion.id == "legal-basis", "on legal-basis")  # type: ignore[attr-defined]
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, AdjudicateScreen), "adjudication")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back")
        assert consensus.disagreement(app.session.report, "legal-basis") is not None  # type: ignore[union-attr]
        assert not app.session.dirty  # type: ignore[union-attr]
    assert consensus_report.read_bytes() == before
