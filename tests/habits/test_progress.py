"""A progress bar on stderr for work over about two seconds, when stderr is a terminal; none in a
pipe or with --quiet."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guaranteekit.cli.progress import Progress
from guaranteekit.formats.catalog import resource_dir

EXAMPLES = sorted(str(p) for p in resource_dir("examples").glob("*.toml"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_drawn_for_work_that_ends_within_the_delay() -> None:
    stream, clock = _Terminal(), _Clock()
    with Progress(stream=stream, clock=clock) as progress:
        progress.phase("reading reports", 3)
        clock.now = 1.9
        progress.advance(3)
    assert stream.getvalue() == ""


def test_after_the_delay_the_bar_is_drawn_then_cleared() -> None:
    stream, clock = _Terminal(), _Clock()
    with Progress(stream=stream, clock=clock) as progress:
        progress.phase("reading reports", 4)
        clock.now = 2.5
        progress.advance()
        assert stream.getvalue().endswith(
            "guaranteekit: reading reports [######------------------] 1/4"
        )
        clock.now = 3.0
        progress.advance(3)
        assert stream.getvalue().endswith("[########################] 4/4")
    assert stream.getvalue().endswith("\r\x1b[2K")  # the line is left empty


def test_no_bar_in_a_pipe_or_when_quiet() -> None:
    clock = _Clock()
    for progress, stream in (
        (Progress(stream=(pipe := io.StringIO()), clock=clock), pipe),
        (Progress(stream=(term := _Terminal()), clock=clock, enabled=False), term),
    ):
        progress.phase("reading reports", 2)
        clock.now += 5
        progress.advance(2)
        progress.close()
        assert stream.getvalue() == ""


@pytest.mark.parametrize("quiet", [False, True])
def test_compare_on_a_terminal_shows_the_bar_unless_quiet(tmp_path: Path, quiet: bool) -> None:
    import pty

    primary, secondary = pty.openpty()
    env = dict(os.environ, GUARANTEEKIT_PROGRESS_DELAY="0")
    argv = [sys.executable, "-m", "guaranteekit", "compare", *EXAMPLES, "--draws", "50"]
    argv += ["-o", str(tmp_path / "out.md")] + (["--quiet"] if quiet else [])
    with subprocess.Popen(argv, stderr=secondary, stdout=subprocess.DEVNULL, env=env) as child:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert child.wait(timeout=60) == 0
    os.close(primary)
    err = b"".join(chunks).decode()
    assert "wrote" in err
    shown = "guaranteekit: reading reports [" in err and "decision support (Monte Carlo)" in err
    assert shown is not quiet
