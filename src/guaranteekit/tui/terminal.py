"""The terminal the app draws on: whether it is still there, and the signals that stop the app.

When the terminal goes away (its window closed, an SSH link dropped), the kernel sends SIGHUP to
the terminal's session leader (a shell, or `make` under `make run`) and, once that leader exits, to
the foreground process group. The app handles SIGHUP and SIGTERM, and checks the terminal itself
twice a second for the case where no signal reaches it.
"""

from __future__ import annotations

import os
import signal
import sys

HANGUP_CHECK = 0.5
"""Seconds between checks that the app's terminal is still there (`terminal_hung_up`)."""

HUNG_UP = 128 + signal.SIGHUP
"""The exit code when the terminal went away (128 + SIGHUP, as a shell reports it)."""

STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
"""Signals after which the app writes what is being typed to the draft and leaves (128 + signal)."""

STOP_WAIT = 1.0
"""Seconds at most that such a signal waits for the keys typed before it to be handled."""


def controlling_terminal() -> int | None:
    """The descriptor of the terminal the app draws on, when it is this process's controlling
    terminal (None when there is none: headless, piped, or a platform without job control)."""
    for stream in (sys.__stdin__, sys.__stdout__):
        try:
            fd = stream.fileno() if stream is not None else -1
            os.tcgetpgrp(fd)
        except (AttributeError, OSError, ValueError):
            continue
        return fd
    return None


def terminal_hung_up(fd: int) -> bool:
    """Whether the controlling terminal on `fd` has gone: its window closed or its SSH link dropped.

    The kernel sends SIGHUP to the terminal's session leader (a shell, or `make` under `make run`),
    and to the foreground group only when that leader exits; a program left running keeps a
    terminal whose every read returns at once with nothing, and Textual's input thread would spin
    on that at full speed, for good.
    """
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return True
    return False


def let_go_of_the_terminal() -> None:
    """Point the standard streams at /dev/null, for a shutdown after the terminal has gone.

    Textual's shutdown restores the terminal's modes and writes its closing sequences to it;
    on a terminal that has hung up that can wait for good (the hang-up brings a SIGCONT too,
    which starts Textual's output again). With nothing on the other end there is nothing to
    restore, so the usual shutdown runs, clean-up and all, against /dev/null instead.
    """
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
    finally:
        os.close(null)
