"""A progress bar on stderr for work that takes more than about two seconds.

Shown only when stderr is a terminal, and never with `--quiet`: in a pipe, a log or a test, stderr
holds the diagnostics and nothing else. Nothing is drawn for work that ends sooner (most commands
on a handful of reports), and the line is cleared once the work is done, so the terminal is left as
the command's other output left it. One line, redrawn in place with a carriage return, at most ten
times a second; the bar's text is plain (no colour), so it reads the same on any terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 2.0
"""Seconds of work before the bar appears."""
_REDRAW = 0.1
_WIDTH = 24


class Progress:
    """Counts work in phases (`phase("reading reports", 1000)`, then `advance()` per item)."""

    def __init__(
        self,
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._start = clock()
        self._delay = delay
        self._enabled = enabled and _is_terminal(self._stream)
        self._label = ""
        self._total = 0
        self._done = 0
        self._drawn_at: float | None = None
        self._shown = False

    @classmethod
    def for_command(cls, quiet: bool) -> Progress:
        """The bar a command shows on stderr: none with `--quiet` or when stderr is not a
        terminal. `GUARANTEEKIT_PROGRESS_DELAY` (seconds) moves the two-second threshold, so a
        test can see the bar on short work."""
        delay = DELAY
        with contextlib.suppress(ValueError):
            delay = float(os.environ.get("GUARANTEEKIT_PROGRESS_DELAY", DELAY))
        return cls(enabled=not quiet, delay=delay)

    def phase(self, label: str, total: int) -> None:
        """Start counting `total` items of `label`."""
        self._label, self._total, self._done = label, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        """`count` more items of the current phase are done."""
        self._done += count
        self._draw()

    def close(self) -> None:
        """Clear the bar, if it was drawn."""
        if self._shown:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def line(self) -> str:
        """The bar's text as it is drawn now."""
        total = max(self._total, 1)
        filled = round(_WIDTH * min(self._done, total) / total)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        return f"guaranteekit: {self._label} [{bar}] {self._done:,}/{self._total:,}"

    def _draw(self) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if now - self._start < self._delay:
            return
        if (
            self._drawn_at is not None
            and now - self._drawn_at < _REDRAW
            and self._done < self._total
        ):
            return
        self._drawn_at = now
        self._stream.write("\r\x1b[2K" + self.line())
        self._stream.flush()
        self._shown = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False
