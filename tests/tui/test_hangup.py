"""The terminal goes away (its window closed, an SSH link dropped) or the app is told to stop, while
someone types: every word typed and shown is in the draft, and the app leaves.

The app runs for real (not headless) on a pseudo-terminal, under a parent that, like `make run`, is
the session leader. Closing the terminal sends SIGHUP to the leader; a leader that dies of it (as
make does) makes the kernel send SIGHUP to the app's process group, and the app must write what is
being typed before it goes. A leader that waits for the app leaves it on a dead terminal, which it
must notice by itself. Keys are typed at human speed, one at a time, and the terminal is closed as
soon as the last word is on the screen.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.tui.drafts import draft_path

pty = pytest.importorskip("pty")
pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="terminals and SIGHUP are POSIX"),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]

# The session leader: starts the app as a child in its own process group (the terminal's
# foreground group), writes its process id, and records its exit code. With "make" it dies of the
# hang-up at once, as make does; with "wait" it waits for the app first, then dies of it.
LEADER = textwrap.dedent(
    """
    import os, signal, subprocess, sys
    from pathlib import Path
    mode, report, pid_file = sys.argv[1:4]
    hung_up = []
    if mode == "wait":
        signal.signal(signal.SIGHUP, lambda *_: hung_up.append(True))
    else:  # dies of it, as make does, even when the tests run under nohup (which ignores it)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    app = subprocess.Popen([sys.executable, "-m", "guaranteekit", "open", report])
    Path(pid_file).write_text(str(app.pid))
    code = app.wait()
    Path(pid_file + ".code").write_text(str(code))
    if hung_up:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGHUP)
    sys.exit(code)
    """
)

WORDS = "upon ratification within 25 years each guarantor acts"


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, left for its new parent to reap, has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return fields[0] != "Z"


def read_until(master: int, seen: bytearray, wanted: bytes, seconds: float) -> bool:
    """Read the app's output (so it never blocks on a full terminal) until `wanted` shows up."""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                seen.extend(os.read(master, 65536))
            except OSError:
                break
    return wanted in seen


def start(tmp_path: Path, mode: str) -> tuple[Path, int, int, Path]:
    """The leader on a new terminal, the app under it showing the first criterion."""
    report = Path(shutil.copy(resource_dir("examples") / "nato-article-5.toml", tmp_path))
    pid_file = tmp_path / "app.pid"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": str(tmp_path),
    }
    env.pop("TEXTUAL", None)
    leader, master = pty.fork()
    if leader == 0:  # the child: becomes the leader (never returns into pytest)
        try:
            os.chdir(tmp_path)
            os.execve(
                sys.executable,
                [sys.executable, "-c", LEADER, mode, str(report), str(pid_file)],
                env,
            )
        finally:
            os._exit(127)
    return report, leader, master, pid_file


def type_at_human_speed(master: int, seen: bytearray, text: str) -> None:
    """One key every 40 ms or so, reading the screen meanwhile; returns once `text` is shown."""
    for char in text:
        os.write(master, char.encode())
        read_until(master, seen, b"\x00", 0.04)  # reads for 40 ms: the typist's pace
    assert read_until(master, seen, text.split()[-1].encode(), 10), "the last word never showed"


def finish(leader: int, master: int, app_pid: int) -> int:
    """Wait for the app and the leader to end; the leader's wait status."""
    if master >= 0:
        os.close(master)
    deadline = time.monotonic() + 15
    while app_pid and alive(app_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    still = app_pid and alive(app_pid)
    if still:
        os.kill(app_pid, signal.SIGKILL)
    _, status = os.waitpid(leader, 0)
    assert not still, "the app is still running"
    return status


def open_the_rationale(master: int, seen: bytearray) -> None:
    assert read_until(master, seen, b"Named guarantors", 60), seen[-2000:]
    os.write(master, b"\t")  # from the rubric into the rationale


@pytest.mark.parametrize("leader_mode", ["make", "wait"])
def test_every_word_typed_is_in_the_draft_when_the_terminal_closes(
    tmp_path: Path, leader_mode: str
) -> None:
    report, leader, master, pid_file = start(tmp_path, leader_mode)
    before = load_report(report)
    app_pid = 0
    try:
        seen = bytearray()
        open_the_rationale(master, seen)
        app_pid = int(pid_file.read_text())
        type_at_human_speed(master, seen, " " + WORDS)
        os.close(master)  # the terminal closes as soon as the last word is on the screen
        master = -1
    finally:
        status = finish(leader, master, app_pid)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGHUP
    if leader_mode == "wait":
        assert (tmp_path / "app.pid.code").read_text() == "129"  # 128 + SIGHUP
    # The report is as it was; the draft holds every word, to be offered back.
    assert load_report(report) == before
    first = before.answers[0]
    typed = load_report(draft_path(report)).answer(first.criterion)
    assert typed is not None and typed.rationale == first.rationale + " " + WORDS


def test_every_word_typed_is_in_the_draft_when_the_app_is_terminated(tmp_path: Path) -> None:
    report, leader, master, pid_file = start(tmp_path, "wait")
    before = load_report(report)
    app_pid = 0
    try:
        seen = bytearray()
        open_the_rationale(master, seen)
        app_pid = int(pid_file.read_text())
        type_at_human_speed(master, seen, " " + WORDS)
        os.kill(app_pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while alive(app_pid) and time.monotonic() < deadline:
            read_until(master, seen, b"\x00", 0.05)
    finally:
        finish(leader, master, app_pid)
    assert (tmp_path / "app.pid.code").read_text() == str(128 + signal.SIGTERM)
    first = before.answers[0]
    typed = load_report(draft_path(report)).answer(first.criterion)
    assert typed is not None and typed.rationale == first.rationale + " " + WORDS
