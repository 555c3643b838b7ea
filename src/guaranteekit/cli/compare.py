"""Handlers of `compare`, `diff` and `report`: load reports, build the document, render, write.

Each handler checks its options before reading any report (so a refused `-o FILE` costs nothing),
collects the problems of every report before failing, prints non-fatal notes to stderr, and writes
the result atomically to `-o FILE` (refusing to replace an existing file without `--force`) or to
stdout. Nothing here imports textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guaranteekit.errors import LoadError, UsageError, WriteError

DRAWS = 2000
"""Monte Carlo draws of `compare`'s decision support when `--draws` is not given."""
DRAWS_UP_TO = 50
"""Without `--draws`, decision support runs for this many reports or fewer (50 take 1.3 s;
its cost grows with every package, and faster than linearly: 1,000 took 76 s). Over it, the
comparison is made without it and a note says how to ask for it."""


def _check_options(args: argparse.Namespace) -> None:
    template = getattr(args, "template", None)
    if template is not None and args.format not in ("md", "html"):
        raise UsageError(f"{template}: --template applies to md and html output, not {args.format}")
    output: Path | None = args.output
    if output is not None:
        if output.exists() and not args.force:
            raise WriteError(
                f"{output}: already exists; not overwritten (use --force to replace it)"
            )
        if output.is_dir():
            raise WriteError(f"{output}: is a directory; give a file name")


def _load(paths: Sequence[Path]) -> list[Any]:
    from guaranteekit.documents.columns import load_many

    scored, notes = load_many(paths)
    _print_notes(notes)
    return scored


def _print_notes(notes: Sequence[str]) -> None:
    from guaranteekit.textsafe import clean

    for note in notes:
        print(f"guaranteekit: note: {clean(note)}", file=sys.stderr)


def _emit(args: argparse.Namespace, text: str) -> int:
    from guaranteekit.formats.storage import atomic_write

    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text.encode("utf-8"), overwrite=bool(args.force))
        print(f"guaranteekit: wrote {args.output}", file=sys.stderr)
    return 0


def _decision_support(scored: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    """Fragility flags from `cli.analysis_text.compare_extras`; `--draws 0` skips."""
    draws = getattr(args, "draws", 0)
    if draws == 0 or len(scored) < 1:
        return {}
    from guaranteekit.cli.analysis_text import compare_extras

    return dict(compare_extras(scored, draws, args.seed))


def _render(document: Any, args: argparse.Namespace) -> int:
    from guaranteekit.documents.render import render

    template = getattr(args, "template", None)
    return _emit(args, render(document, args.format, template))


def compare(args: argparse.Namespace) -> int:
    """`guaranteekit compare REPORT...` (and `--rounds`; `--tui` opens the compare view)."""
    if getattr(args, "tui", False):
        from guaranteekit.tui.launch import compare as compare_view  # textual only when asked for

        return compare_view(args)
    return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from guaranteekit.documents.columns import column, load_columns, mixed_problems, package_key

    _check_options(args)
    args.draws = _draws(args.draws, len(args.reports), rounds=bool(args.rounds))
    kind = "rounds" if args.rounds else "compare"
    scored: list[Any] = []
    if kind == "compare" and args.draws > 0:
        scored = _load(args.reports)  # decision support needs the reports themselves
        columns = [column(item, kind, package_key(i)) for i, item in enumerate(scored)]
    else:
        columns, notes = load_columns(args.reports, kind)
        _print_notes(notes)
    # Refuse mixed criteria or profiles before running the (slower) decision support.
    mixed = mixed_problems(columns)
    if mixed and not args.allow_mixed:
        raise LoadError(mixed)
    support = _decision_support(scored, args)
    from guaranteekit.documents.build import assemble

    document = assemble(columns, kind, allow_mixed=args.allow_mixed, decision_support=support)
    return _render(document, args)


def _draws(asked: int | None, reports: int, *, rounds: bool) -> int:
    """The draws to run: as asked, or DRAWS up to DRAWS_UP_TO reports and none over it."""
    if asked is not None:  # checked by the parser
        return asked
    if rounds or reports <= DRAWS_UP_TO:
        return DRAWS
    _print_notes(
        [
            f"decision support left out for {reports:,} reports (it runs by default for up to"
            f" {DRAWS_UP_TO}, and takes about a minute for 1,000); --draws {DRAWS} runs it"
        ]
    )
    return 0


def diff(args: argparse.Namespace) -> int:
    """`guaranteekit diff OLD NEW`."""
    from guaranteekit.documents.build import build

    _check_options(args)
    scored = _load([args.old, args.new])
    return _render(build(scored, "diff", allow_mixed=args.allow_mixed), args)


def report(args: argparse.Namespace) -> int:
    """`guaranteekit report REPORT`."""
    from guaranteekit.documents.build import build

    _check_options(args)
    scored = _load([args.report])
    return _render(build(scored, "report"), args)
