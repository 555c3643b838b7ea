"""The terminal goes away (its window closed, an SSH link dropped) while the app runs under
`make run`: the kernel sends SIGHUP only to the terminal's session leader (make), so the app must
notice by itself. It leaves within a second or so, keeping the draft of what was changed, instead
of spinning on a dead terminal for good.

The app runs for real (not headless) on a pseudo-terminal, started by a session leader that, like
make, dies of the hang-up and leaves the app behind.
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
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="terminals and SIGHUP are POSIX")

# The session leader, as make is: starts the app as a child on the same terminal, writes its
# process id, and on the hang-up's SIGHUP waits for the app to end before dying of the signal. (A
# leader that died at once would have the kernel send SIGHUP on to the app; make does not.)
LEADER = textwrap.dedent(
    """
    import os, signal, subprocess, sys
    from pathlib import Path
    hung_up = []
    signal.signal(signal.SIGHUP, lambda *_: hung_up.append(True))
    app = subprocess.Popen([sys.executable, "-m", "guaranteekit", "open", sys.argv[1]])
    Path(sys.argv[2]).write_text(str(app.pid))
    code = app.wait()
    Path(sys.argv[2] + ".code").write_text(str(code))
    if hung_up:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGHUP)
    sys.exit(code)
    """
)


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
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                seen.extend(os.read(master, 65536))
            except OSError:
                break
    return wanted in seen


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_app_leaves_when_its_terminal_hangs_up_and_keeps_the_draft(tmp_path: Path) -> None:
    report = Path(shutil.copy(resource_dir("examples") / "nato-article-5.toml", tmp_path))
    before = load_report(report)
    first = before.answers[0]
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
                sys.executable, [sys.executable, "-c", LEADER, str(report), str(pid_file)], env
            )
        finally:
            os._exit(127)
    app_pid = 0
    try:
        seen = bytearray()
        assert read_until(master, seen, b"Named guarantors", 60), seen[-2000:]
        app_pid = int(pid_file.read_text())
        os.write(master, b"1")  # the first criterion's lowest level: the draft holds it at once
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            read_until(master, seen, b"\x00", 0.1)  # keep reading the screen meanwhile
            if draft_path(report).exists():
                break
        assert draft_path(report).exists(), "no draft was written"
        os.close(master)  # the terminal hangs up
        master = -1
        deadline = time.monotonic() + 15
        while alive(app_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(app_pid), "the app is still running on a terminal that has gone"
    finally:
        if master >= 0:
            os.close(master)
        if app_pid and alive(app_pid):
            os.kill(app_pid, signal.SIGKILL)
        _, status = os.waitpid(leader, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGHUP
    assert (tmp_path / "app.pid.code").read_text() == "129"  # 128 + SIGHUP
    # The report is as it was; the draft holds the change, to be offered back.
    assert load_report(report) == before
    draft = load_report(draft_path(report))
    assert draft.answer(first.criterion) != first
