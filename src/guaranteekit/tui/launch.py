"""CLI handlers that open the terminal UI: `guaranteekit`, `new`, `open`, `review`, `compare --tui`.

Each resolves its input through `create_app` before the screen is taken over, so a missing file or a
bad criteria set is a one-line error and an exit code, never a broken screen or a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from guaranteekit.tui.app import Mode, create_app
from guaranteekit.tui.recent import default_state_dir


def _run(
    mode: Mode,
    args: argparse.Namespace,
    report: Path | None = None,
    reviewer: str = "",
    compare: list[Path] | None = None,
) -> int:
    app = create_app(
        state_dir=default_state_dir(),
        workdir=Path.cwd(),
        mode=mode,
        report=report,
        criteria=getattr(args, "criteria", None),
        profile=getattr(args, "profile", None),
        home=Path.home(),
        reviewer=reviewer,
        compare=compare,
        draft=getattr(args, "draft", None),
    )
    app.run()
    return app.return_code or 0


def start(args: argparse.Namespace) -> int:
    """`guaranteekit` with no command: the start screen."""
    return _run("start", args)


def new(args: argparse.Namespace) -> int:
    """`guaranteekit new [--criteria ID] [--profile FILE] [-o FILE] [--draft FILE]`."""
    return _run("new", args, args.output)


def compare(args: argparse.Namespace) -> int:
    """`guaranteekit compare --tui REPORT...`: the compare view with these reports ticked."""
    return _run("compare", args, compare=list(args.reports))


def open_(args: argparse.Namespace) -> int:
    """`guaranteekit open FILE`."""
    return _run("open", args, args.file)


def review(args: argparse.Namespace) -> int:
    """`guaranteekit review FILE [--reviewer NAME]`: review mode (answers read-only)."""
    from guaranteekit.review.trail import default_name

    return _run("review", args, args.file, args.reviewer or default_name())
