"""Handlers of `compare`, `diff` and `report`: load reports, build the document, render, write.

Each handler checks its options before reading any report (so a refused `-o FILE` costs nothing),
collects the problems of every report before failing, prints non-fatal notes to stderr, and writes
the result atomically to `-o FILE` (refusing to replace an existing file without `--force`) or to
stdout. Nothing here imports textual.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guaranteekit.batch import no_cycle_collection
from guaranteekit.errors import LoadError, WriteError

DRAWS = 2000
"""Monte Carlo draws of `compare`'s decision support when `--draws` is not given."""
DRAWS_UP_TO = 50
"""Without `--draws`, decision support runs for this many reports or fewer (50 take 1.3 s;
its cost grows with every package, and faster than linearly: 1,000 took 76 s). Over it, the
comparison is made without it and a note says how to ask for it."""


def _check_options(args: argparse.Namespace) -> None:
    template = getattr(args, "template", None)
    if template is not None and args.format not in ("md", "html"):
        raise LoadError(f"{template}: --template applies to md and html output, not {args.format}")
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
    from guaranteekit.batch import leave
    from guaranteekit.formats.storage import atomic_write

    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text.encode("utf-8"), overwrite=bool(args.force))
        print(f"guaranteekit: wrote {args.output}", file=sys.stderr)
    if getattr(args, "exit_when_done", False):
        leave(0)  # the output is out: nothing the command built needs freeing
    return 0


def _decision_support(scored: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    """Fragility flags from `guaranteekit.scoring.analysis` (issue 7) when it is installed; `--draws 0` skips."""
    draws = getattr(args, "draws", 0)
    if draws == 0 or len(scored) < 1:
        return {}
    try:
        from guaranteekit.scoring import analysis
    except ImportError:
        return {}
    extras = getattr(analysis, "compare_extras", None)
    if extras is None:
        return {}
    return dict(extras(scored, draws, args.seed, jobs=getattr(args, "jobs", 0)))


def _render(document: Any, args: argparse.Namespace) -> int:
    from guaranteekit.documents.render import render

    template = getattr(args, "template", None)
    return _emit(args, render(document, args.format, template, jobs=getattr(args, "jobs", 0)))


def compare(args: argparse.Namespace) -> int:
    """`guaranteekit compare REPORT...` (and `--rounds`; `--tui` opens the compare view)."""
    if getattr(args, "tui", False):
        from guaranteekit.tui.launch import compare as compare_view  # textual only when asked for

        return compare_view(args)
    with no_cycle_collection():
        return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from guaranteekit.documents.columns import column, load_columns, mixed_problems, package_key

    _check_options(args)
    args.draws = _draws(args.draws, len(args.reports), rounds=bool(args.rounds))
    jobs = getattr(args, "jobs", 0)  # checked by the parser (cli._jobs)
    kind = "rounds" if args.rounds else "compare"
    scored: list[Any] = []
    if kind == "compare" and args.draws > 0:
        scored = _load(args.reports)  # decision support needs the reports themselves
        columns = [column(item, kind, package_key(i)) for i, item in enumerate(scored)]
    else:
        prepare = None if args.template else functools.partial(_prepare, kind, args.format)
        columns, notes = load_columns(args.reports, kind, jobs=jobs, meanwhile=prepare)
        _print_notes(notes)
    # Refuse mixed criteria or profiles before running the (slower) decision support.
    mixed = mixed_problems(columns)
    if mixed and not args.allow_mixed:
        raise LoadError(mixed)
    support = _decision_support(scored, args)
    from guaranteekit.documents.model import (
        assemble,  # imported while the reports were read (_prepare)
    )

    document = assemble(columns, kind, allow_mixed=args.allow_mixed, decision_support=support)
    return _render(document, args)


def _draws(asked: int | None, reports: int, *, rounds: bool) -> int:
    """The draws to run: as asked, or DRAWS up to DRAWS_UP_TO reports and none over it."""
    if asked is not None:
        if asked < 0:
            raise LoadError(f"--draws: must be 0 (no decision support) or more, not {asked}")
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


def _prepare(kind: str, fmt: str) -> None:
    # Run while the other processes read the reports: this one needs it later, and would
    # otherwise do it alone after them (0.1 s: the document's models, jinja2, the template).
    from guaranteekit.documents.render import prepare

    prepare(kind, fmt)


def diff(args: argparse.Namespace) -> int:
    """`guaranteekit diff OLD NEW`."""
    from guaranteekit.documents.model import build

    _check_options(args)
    with no_cycle_collection():
        scored = _load([args.old, args.new])
        document = build(scored, "diff", allow_mixed=args.allow_mixed)
        if args.format != "md" or args.template is not None:
            return _render(document, args)
        from guaranteekit.cli.drafts import quote_changes_markdown  # quotes of attached drafts
        from guaranteekit.documents.render import render

        text = render(document, "md", None, jobs=getattr(args, "jobs", 0))
        return _emit(args, text + quote_changes_markdown(*scored))


def report(args: argparse.Namespace) -> int:
    """`guaranteekit report REPORT`."""
    from guaranteekit.documents.model import build

    _check_options(args)
    with no_cycle_collection():
        scored = _load([args.report])
        return _render(build(scored, "report"), args)
