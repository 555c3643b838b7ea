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
from typing import TYPE_CHECKING, Any

from guaranteekit.errors import LoadError, UsageError

if TYPE_CHECKING:
    from guaranteekit.documents.columns import Kind
    from guaranteekit.documents.decision import DecisionSupport
    from guaranteekit.documents.model import Document, Reference
    from guaranteekit.scoring.plans import AskPlan

DRAWS = 2000
"""Monte Carlo draws of `compare`'s decision support when `--draws` is not given."""
DRAWS_UP_TO = 50
"""Without `--draws`, decision support runs for this many reports or fewer (50 take 1.3 s;
its cost grows with every package, and faster than linearly: 1,000 took 76 s). Over it, the
comparison is made without it and a note says how to ask for it."""


def _check_options(args: argparse.Namespace) -> None:
    inputs = [*getattr(args, "reports", []), getattr(args, "old", None), getattr(args, "new", None)]
    if sum(str(p) == "-" for p in inputs if p is not None) > 1:
        raise UsageError("-: standard input can be read once; give it as one report only")
    template = getattr(args, "template", None)
    if template is not None and args.format not in ("md", "html", "pdf"):
        raise UsageError(f"{template}: --template applies to md and html output, not {args.format}")
    if args.format == "pdf":
        from guaranteekit.documents.pdf import check_available

        check_available()
    output: Path | None = args.output
    if output is not None:
        from guaranteekit.formats.storage import write_target

        # Devices, FIFOs, folders and dangling links are refused before any report is read.
        write_target(output, overwrite=bool(args.force))


def _progress(args: argparse.Namespace) -> Any:
    """The command's progress bar (`cli.progress`), made once per command."""
    if getattr(args, "progress", None) is None:
        from guaranteekit.cli.progress import Progress

        args.progress = Progress.for_command(bool(getattr(args, "quiet", False)))
    return args.progress


def _load(paths: Sequence[Path], args: argparse.Namespace | None = None) -> list[Any]:
    from guaranteekit.documents.columns import load_many

    progress = _progress(args) if args is not None else None
    if progress is not None:
        progress.phase("reading reports", len(paths))
    scored, notes = load_many(
        paths,
        progress.advance if progress is not None else None,
        profile_path=getattr(args, "profile", None),
    )
    if progress is not None:
        progress.close()  # the notes go below, on a line of their own
    _print_notes(notes)
    if args is not None:
        args.unverified = _verification(scored, args)
    return scored


DRAFT_PROBLEMS = frozenset({"unanswered", "no-rationale"})
"""verify's errors that a draft in negotiation has by nature (a criterion not yet answered, an
answer not yet explained): such a report is used, and the document says it is an incomplete draft.
Any other error (a hand edit, stale results, different criteria content, a bad signature) refuses
the report unless `--allow-unverified`."""


def _verification(scored: Sequence[Any], args: argparse.Namespace) -> list[Any]:
    """Run `verify` on every report, as `_load` read it (each file is read once); refuse those
    that fail it for any reason but being an incomplete draft, naming each problem, unless
    `--allow-unverified` (then they are kept, to be marked on every page). Incomplete drafts are
    kept in `args.incomplete`."""
    from guaranteekit.documents.model import Unverified
    from guaranteekit.verify.checks import Options, Severity, verify_report

    failed: list[Unverified] = []
    incomplete: list[Unverified] = []
    progress = _progress(args)
    progress.phase("checking reports (verify)", len(scored))
    options = Options(profile=getattr(args, "profile", None))
    args.results = []
    for item in scored:
        result = verify_report(item.report, item.path, options)
        args.results.append(result.results)
        if result.results is not None:
            # The results as read are verify's alone to compare: from here on the report carries
            # the ones just computed, and the copies read from the file are freed (a third of the
            # objects a large comparison holds, which the collector would walk again and again).
            item.report = item.report.model_copy(update={"results": result.results})
        progress.advance()
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        if not errors:
            continue
        report = Unverified(
            file=str(item.path),
            name=item.report.package.name,
            problems=[str(problem) for problem in errors],
        )
        if all(p.code in DRAFT_PROBLEMS for p in errors):
            incomplete.append(report)
        else:
            failed.append(report)
    args.incomplete = incomplete
    progress.close()
    if failed and not getattr(args, "allow_unverified", False):
        lines = [line for report in failed for line in report.problems]
        lines.append(
            f"{_plural(len(failed), 'report')} failed verify and"
            f" {'was' if len(failed) == 1 else 'were'} not used (pass --allow-unverified to use"
            " them, marked unverified on every page)"
        )
        raise LoadError(lines)
    for report in failed:
        _print_notes([f"{report.file}: fails verify; used unverified and marked so"])
    return failed


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _print_notes(notes: Sequence[str]) -> None:
    from guaranteekit.textsafe import clean

    for note in notes:
        print(f"guaranteekit: note: {clean(note)}", file=sys.stderr)


def _emit(args: argparse.Namespace, text: str | bytes) -> int:
    from guaranteekit.formats.storage import atomic_write

    data = text.encode("utf-8") if isinstance(text, str) else text
    if args.output is None and isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    elif args.output is None:
        assert isinstance(text, str)  # only a PDF is bytes
        from guaranteekit.textsafe import clean_output, json_text

        # The documents escape every value already; this keeps a terminal safe from a user's
        # template too. JSON keeps its data (escapes), TOML too (see storage.terminal_toml).
        if args.format == "json":
            text = json_text(text)
        elif args.format == "toml":
            from guaranteekit.formats.storage import terminal_toml

            text = terminal_toml(text)
        else:
            text = clean_output(text)
        sys.stdout.write(text)
    else:
        target = atomic_write(args.output, data, overwrite=bool(args.force))
        via = f" (to {target}, where the link points)" if target != args.output else ""
        print(f"guaranteekit: wrote {args.output}{via}", file=sys.stderr)
    return 0


def _decision_support(scored: list[Any], args: argparse.Namespace) -> DecisionSupport | None:
    """Fragility flags from `cli.analysis_text.compare_extras`; `--draws 0` skips (None)."""
    draws = getattr(args, "draws", 0)
    if draws == 0 or len(scored) < 1:
        return None
    from guaranteekit.cli.analysis_text import compare_extras

    progress = _progress(args)
    progress.phase("decision support (Monte Carlo)", len(scored))
    support = compare_extras(
        scored, draws, args.seed, progress=progress.advance, results=getattr(args, "results", None)
    )
    progress.close()
    return support


def _within_positions(document: Document, scored: list[Any], args: argparse.Namespace) -> Document:
    """Each entry's verdict reachable within the positions `--positions` names (none: unchanged)."""
    refs = getattr(args, "positions", None)
    if not refs:
        return document
    from guaranteekit.documents.model import WithinPositions
    from guaranteekit.formats.positions import load_positions
    from guaranteekit.scoring.positions import plan_within

    names = [ref.strip() for ref in refs.split(",") if ref.strip()]
    if not names:
        raise UsageError("--positions: name at least one positions file or party")
    by_file = {str(item.path): item for item in scored}
    loaded_by_set: dict[tuple[str, str], Any] = {}
    for entry in document.entries:
        item = by_file.get(entry.file)
        if item is None or not item.criteria.is_format2:
            continue
        key = (item.criteria.id, item.criteria.version)
        if key not in loaded_by_set:
            loaded_by_set[key] = load_positions(names, item.criteria)
        within = plan_within(item.criteria, item.report.answers, loaded_by_set[key], item.profile)
        blocked = []
        for band in within.higher:
            if not band.reachable_without_positions:
                blocked.append(f"{band.label}: not reachable even if every position moved")
            elif band.more_than:
                blocked.append(f"{band.label}: more than {band.more_than} red lines")
            else:
                blocked.append(
                    f"{band.label}: "
                    + "; ".join(
                        f"{s.party}, {s.position.criterion} ({s.position.source})"
                        for s in band.blocking[0]
                    )
                )
        entry.within = WithinPositions(
            parties=list(within.parties),
            satisfiable=within.satisfiable,
            reason=within.reason,
            band_label=within.label,
            changes=len(within.asks),
            blocked=blocked,
        )
    return document


def _render(document: Any, args: argparse.Namespace) -> int:
    from guaranteekit.documents.render import render

    template = getattr(args, "template", None)
    if args.format == "pdf":
        from guaranteekit.documents.pdf import html_to_pdf

        return _emit(args, html_to_pdf(render(document, "html", template)))
    return _emit(args, render(document, args.format, template))


def _finish(
    document: Document,
    scored: list[Any],
    args: argparse.Namespace,
    *,
    support: DecisionSupport | None = None,
    plans: Sequence[Sequence[AskPlan]] = (),
    references: Sequence[Sequence[Reference]] = (),
) -> Document:
    from guaranteekit.documents.briefing import finish

    return finish(
        document,
        scored,
        support=support,
        plans=plans,
        references=references,
        unverified=getattr(args, "unverified", []),
        incomplete=getattr(args, "incomplete", []),
        marking=getattr(args, "marking", None) or "",
    )


def compare(args: argparse.Namespace) -> int:
    """`guaranteekit compare REPORT...` (and `--rounds`; `--tui` opens the compare view)."""
    if getattr(args, "tui", False):
        from guaranteekit.tui.launch import compare as compare_view  # textual only when asked for

        return compare_view(args)
    return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from guaranteekit.documents.columns import column, mixed_problems, package_key

    _check_options(args)
    if getattr(args, "group_by", None) and args.rounds:
        raise UsageError(
            "--group-by package groups assessments of one draft; --rounds compares drafts"
        )
    args.draws = _draws(args.draws, len(args.reports), rounds=bool(args.rounds))
    kind: Kind = "rounds" if args.rounds else "compare"
    scored = _load(args.reports, args)
    columns = [column(item, kind, package_key(i), args.results[i]) for i, item in enumerate(scored)]
    # Refuse mixed criteria or profiles before running the (slower) decision support.
    mixed = mixed_problems(columns)
    if mixed and not args.allow_mixed:
        raise LoadError(mixed)
    support = _decision_support(scored, args) if kind == "compare" else None
    plans: list[list[AskPlan]] = []
    if support is not None:
        from guaranteekit.cli.analysis_text import next_band_plans

        progress = _progress(args)
        progress.phase("planned asks", len(scored))
        plans = next_band_plans(scored, progress.advance)
        progress.close()
    from guaranteekit.documents.build import assemble

    document = assemble(columns, kind, allow_mixed=args.allow_mixed)
    document = _finish(document, scored, args, support=support, plans=plans)
    if getattr(args, "group_by", None):
        from guaranteekit.documents.agreement import package_agreement

        document.agreement = package_agreement(scored, document, allow_mixed=args.allow_mixed)
    return _render(_within_positions(document, scored, args), args)


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
    scored = _load([args.old, args.new], args)
    document = _finish(build(scored, "diff", allow_mixed=args.allow_mixed), scored, args)
    if scored[1].report.draft is not None:  # the quotes of the drafts attached, in every format
        from guaranteekit.cli.drafts import quote_changes

        document.quotes = quote_changes(*scored)
    if args.format != "md" or args.template is not None:
        return _render(document, args)
    from guaranteekit.cli.drafts import quote_changes_markdown
    from guaranteekit.documents.render import render

    return _emit(args, render(document, "md", None) + quote_changes_markdown(document.quotes))


def report(args: argparse.Namespace) -> int:
    """`guaranteekit report REPORT`."""
    from guaranteekit.cli.analysis_text import report_extras
    from guaranteekit.documents.build import build

    _check_options(args)
    scored = _load([args.report], args)
    draws = getattr(args, "draws", DRAWS)
    support, plans, references = report_extras(scored[0], draws, getattr(args, "seed", 1))
    document = _finish(
        build(scored, "report"),
        scored,
        args,
        support=support,
        plans=[plans],
        references=[references],
    )
    return _render(_within_positions(document, scored, args), args)
