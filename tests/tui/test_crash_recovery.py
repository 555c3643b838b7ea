"""Nothing lost: the app is killed (SIGKILL, no clean shutdown) mid-assessment, and reopening the
report offers back every answer given before the kill.

The app runs headless in a child process driven by Pilot. The child answers a few criteria, waits
until the draft on disk holds them (it is written as each change happens), says READY and then
sleeps; the test kills it with SIGKILL, so no save, quit or clean-up code runs.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import Answer, AnswerStatus
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import ChoiceScreen

from .conftest import plain, save, until, write_mini_report

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# The child: open the report, answer every criterion of the `mini` set through the keyboard, wait
# until the draft holds it all, then hang until killed.
CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from guaranteekit.formats.assessment import load_report
    from guaranteekit.tui.drafts import draft_path
    from guaranteekit.tui.app import create_app
    from guaranteekit.tui.screens.assess import AssessScreen
    from textual import events

    report, state = Path(sys.argv[1]), Path(sys.argv[2])

    def draft_holds_everything():
        try:
            draft = load_report(draft_path(report))
        except Exception:
            return False
        guarantor, force, aid = (draft.answer(c) for c in ("guarantor", "force", "aid"))
        return (
            guarantor is not None and guarantor.rationale == "Point 10 names them."
            and guarantor.evidence == ["the United States shall"]
            and force is not None and force.reason == "Not in this draft"
            and aid is not None and aid.status.value == "unknown"
        )

    def keys(text):
        names = {" ": "space", ".": "full_stop"}
        return [events.Key(names.get(c, c), c) for c in text]

    async def main():
        app = create_app(state_dir=state, workdir=report.parent, mode="open", report=report)
        async with app.run_test(size=(80, 24)) as pilot:
            while not isinstance(app.screen, AssessScreen):
                await pilot.pause()
            # Every key at once, as a fast typist sends them: the app takes them in order.
            burst = [events.Key("3", "3"), events.Key("tab", chr(9)), *keys("Point 10 names them.")]
            burst += [events.Key("tab", chr(9)), *keys("the United States shall")]
            burst += [events.Key("escape", None), events.Key("ctrl+n", None), events.Key("x", "x")]
            burst += [*keys("Not in this draft"), events.Key("enter", chr(13))]
            burst += [events.Key("ctrl+n", None), events.Key("u", "u")]
            for key in burst:
                app.post_message(key)
            while not draft_holds_everything():
                await pilot.pause(0.05)
            print("READY", flush=True)
            await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


def run_until_ready_then_kill(report: Path, state: Path, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(report), str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert child.stdout is not None
        # Wait for READY (or the child's end); a child stuck for minutes fails the test.
        ready, _, _ = select.select([child.stdout], [], [], 600)
        line = child.stdout.readline() if ready else ""
        if line.strip() != "READY":
            child.kill()
            _, err = child.communicate(timeout=60)
            raise AssertionError(f"the child did not get ready: {line!r}\n{err}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


async def test_killed_mid_assessment_recovers_every_answer(tmp_path: Path, make_app) -> None:
    target = write_mini_report(tmp_path / "round-2.toml")
    saved = target.read_bytes()

    run_until_ready_then_kill(target, tmp_path / "state", tmp_path)

    # The kill left the report as it was and the draft beside it.
    assert target.read_bytes() == saved
    assert draft_path(target).exists()

    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "recovery question")
        assert "Recover unsaved answers?" in plain(app.screen.query_one(".dialog-title"))
        assert "3 answer(s)" in plain(app.screen.query_one(".dialog-message"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        session = app.session
        assert session is not None and session.dirty
        assert session.answer("guarantor") == Answer(
            criterion="guarantor",
            level="bound",
            rationale="Point 10 names them.",
            evidence=["the United States shall"],
            confidence=session.answer("guarantor").confidence,  # type: ignore[union-attr]
        )
        force = session.answer("force")
        assert force is not None and force.status is AnswerStatus.NOT_APPLICABLE
        assert force.reason == "Not in this draft"
        aid = session.answer("aid")
        assert aid is not None and aid.status is AnswerStatus.UNKNOWN
        # The recovered answers are on screen, and saving puts them in the report.
        assert "(•)" in str(app.screen.query_one("#rubric").get_option_at_index(2).prompt)
        await save(pilot, app)
    report = load_report(target)
    assert report.answer("guarantor").rationale == "Point 10 names them."  # type: ignore[union-attr]
    assert report.answer("force").reason == "Not in this draft"  # type: ignore[union-attr]
    assert not draft_path(target).exists()
