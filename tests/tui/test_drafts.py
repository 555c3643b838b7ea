"""Drafts: a name no report can have, one editor per report (the lock), and a second instance that
is told and can never destroy the first one's draft, in one process and across processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guaranteekit.errors import WriteError
from guaranteekit.formats.assessment import load_report
from guaranteekit.tui.drafts import DraftLocked, draft_path, lock_path, reserved_name
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.screens.dialogs import ChoiceScreen
from guaranteekit.tui.session import Session

from .conftest import MINI_PACKAGE, plain, save, until, write_mini_report

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")


def test_a_draft_has_a_name_no_report_has(tmp_path: Path) -> None:
    assert draft_path(tmp_path / "round-3.toml") == tmp_path / ".round-3.toml.guaranteekit-draft"
    assert lock_path(tmp_path / "round-3.toml") == tmp_path / ".round-3.toml.guaranteekit-lock"
    assert not draft_path(tmp_path / "round-3.toml").name.endswith(".toml")
    assert reserved_name(draft_path(tmp_path / "r.toml")) is not None
    assert reserved_name(tmp_path / "r.draft.toml") is None  # an ordinary report name


def test_a_report_named_like_an_old_style_draft_is_never_touched(tmp_path: Path) -> None:
    # Earlier versions kept the draft of treaty.toml in treaty.draft.toml: a report of that name
    # was overwritten on the first change and deleted on save.
    other = write_mini_report(
        tmp_path / "treaty.draft.toml", MINI_PACKAGE.model_copy(update={"name": "Other"})
    )
    theirs = other.read_bytes()
    target = write_mini_report(tmp_path / "treaty.toml")
    session = Session.open(target)
    assert session.recovery() is None  # never taken for a draft to offer back
    session.choose_level("force", "many")
    session.save()
    session.choose_level("force", "some")
    session.discard_draft()
    session.close()
    assert other.read_bytes() == theirs
    # And a file under a draft's own name is refused as a report.
    with pytest.raises(WriteError, match="name of a draft"):
        Session.open(draft_path(target))


def test_a_second_session_is_told_and_cannot_touch_the_first_ones_draft(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    first = Session.open(target)
    first.choose_level("guarantor", "bound")
    draft = draft_path(target).read_bytes()

    with pytest.raises(DraftLocked, match=f"process {os.getpid()}") as found:
        Session.open(target)
    assert found.value.report == target

    second = Session.open(target, read_only=True)
    assert second.recovery() is None  # the live draft is not offered as a recovery
    with pytest.raises(WriteError, match="read-only"):
        second.choose_level("guarantor", "none")
    with pytest.raises(WriteError, match="read-only"):
        second.save()
    second.discard_draft()
    second.write_draft()
    assert draft_path(target).read_bytes() == draft

    first.save()
    assert load_report(target).answer("guarantor").level == "bound"  # type: ignore[union-attr]
    first.close()
    assert not lock_path(target).exists()
    Session.open(target).close()  # free again


def test_a_lock_file_left_by_a_killed_process_does_not_lock(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    lock_path(target).write_text("process 1 on elsewhere since long ago")
    session = Session.open(target)
    assert f"process {os.getpid()}" in lock_path(target).read_text()
    session.close()


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from guaranteekit.tui.session import Session
    session = Session.open(Path(sys.argv[1]))
    session.choose_level("guarantor", "bound")
    print("READY", flush=True)
    sys.stdin.read()  # hold the report open until killed
    """
)


def test_another_process_holding_the_report_keeps_its_draft_until_it_dies(
    tmp_path: Path,
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "READY"
        with pytest.raises(DraftLocked, match=f"process {holder.pid}"):
            Session.open(target)
        looking = Session.open(target, read_only=True)
        looking.discard_draft()
        assert looking.recovery() is None
        assert load_report(draft_path(target)).answer("guarantor").level == "bound"  # type: ignore[union-attr]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    # Dead: the kernel dropped its lock; the next editor gets the draft offered back.
    session = Session.open(target)
    recovery = session.recovery()
    assert recovery is not None and recovery.changed == ["guarantor"]
    session.close()


async def test_a_second_app_on_the_report_opens_read_only_and_leaves_the_draft(
    tmp_path: Path, make_app
) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    first = make_app(mode="open", report=target)
    async with first.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(first.screen, AssessScreen), "first opened")
        await pilot.press("3")  # guarantor: bound, in the first one's draft
        await until(pilot, lambda: not first.keys_pending, "key handled")
        draft = draft_path(target).read_bytes()

        second = make_app(mode="open", report=target)
        async with second.run_test(size=(80, 24), notifications=True) as other:
            await until(other, lambda: isinstance(second.screen, ChoiceScreen), "told")
            message = plain(second.screen.query_one(".dialog-message"))
            assert "open for changes in another guaranteekit" in message
            assert f"process {os.getpid()}" in message
            await other.press("r")  # open read-only
            await until(other, lambda: isinstance(second.screen, AssessScreen), "read-only")
            assert "read-only" in plain(second.screen.query_one("#topbar"))
            await other.press("1", "x", "u", "backspace", "ctrl+s", "ctrl+q")
            await until(other, lambda: not second.is_running, "second quit without asking")
        assert draft_path(target).read_bytes() == draft

        await save(pilot, first)
    assert load_report(target).answer("guarantor").level == "bound"  # type: ignore[union-attr]
    assert not draft_path(target).exists() and not lock_path(target).exists()
