"""Handlers of the draft commands: `new --draft/--from ... -o REPORT` and `evidence`.

`new` opens the terminal UI unless it is asked to write a report from a draft (`--draft FILE -o
REPORT`, or the next round: `--from OLD --draft FILE -o REPORT`); only then does it stay on the
command line, and it never imports textual there. Every input is read and checked before anything
is written; the draft's text file (with `--text-beside`) is written before the report naming it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from guaranteekit.errors import LoadError, UsageError, WriteError

if TYPE_CHECKING:
    from guaranteekit.documents.model import QuoteChanges
    from guaranteekit.drafts.read import Extracted
    from guaranteekit.drafts.rounds import EvidenceRow
    from guaranteekit.formats.assessment import Scored
    from guaranteekit.formats.models import Report

STATUSES = ["exact", "moved", "changed", "missing", "not-in-text", "unanchored"]
"""Every status `evidence` reports, in the order it counts them."""


def _err(text: str) -> None:
    print(f"guaranteekit: {text}", file=sys.stderr)


def new(args: argparse.Namespace) -> int:
    """`guaranteekit new`: the UI, or a report written from a draft (see the module docstring)."""
    draft = getattr(args, "draft", None)
    earlier = getattr(args, "from_report", None)
    if earlier is not None and draft is None:
        raise UsageError("new --from needs --draft FILE: the draft of the new round")
    if earlier is not None and args.output is None:
        raise UsageError("new --from needs -o FILE: where to write the new round's report")
    if getattr(args, "text_beside", False) and (draft is None or args.output is None):
        raise UsageError(
            "new --text-beside keeps a draft's text beside the report: give --draft FILE -o FILE"
        )
    if draft is None or args.output is None:
        from guaranteekit.tui.launch import new as new_in_ui  # textual only when the UI opens

        return new_in_ui(args)
    return _write_new(args, Path(draft), Path(args.output), earlier)


def _write_new(args: argparse.Namespace, draft: Path, output: Path, earlier: Path | None) -> int:
    from guaranteekit.drafts.attach import write_text_file
    from guaranteekit.drafts.read import read_draft
    from guaranteekit.formats.assessment import save_report

    if output.exists():
        raise WriteError(f"{output}: already exists; not overwritten")
    if output.suffix != ".toml":
        raise WriteError(f"{output}: the report file name must end in .toml")
    if not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise WriteError(f"{output}: folder {output.parent} does not exist")
    extracted = read_draft(draft)
    beside = bool(getattr(args, "text_beside", False))
    if earlier is not None:
        from guaranteekit.drafts.rounds import next_round
        from guaranteekit.formats.assessment import load_scored

        scored = load_scored(earlier, profile_path=args.profile)
        for note in scored.notes:
            _err(f"note: {note}")
        report, target, carried = next_round(scored, extracted, output, beside=beside)
    else:
        report, target = _fresh(args, extracted, output, beside)
        carried = None
    if target is not None:
        if target.exists():
            raise WriteError(
                f"{target}: already exists; not overwritten (the draft's text goes here)"
            )
        write_text_file(target, extracted.text)
    try:
        save_report(output, report, overwrite=False)
    except BaseException:
        if target is not None:
            target.unlink(missing_ok=True)  # no text file without the report that names it
        raise
    draft_record = report.draft
    assert draft_record is not None
    pages = f", {draft_record.pages} pages" if draft_record.pages else ""
    kept = f"text in {target.name}" if target is not None else "text kept in the report"
    _err(
        f"wrote {output}: draft {extracted.name} attached ({len(draft_record.units)} units{pages};"
        f" {kept})"
    )
    if carried is not None:
        counts = ", ".join(f"{n} {status}" for status, n in carried.counts.items())
        _err(f"{len(report.answers)} answer(s) carried from {earlier}; quotes: {counts}")
        if carried.recheck:
            _err(f"{len(carried.recheck)} to re-check: {', '.join(carried.recheck)}")
        else:
            _err("none to re-check")
    return 0


def _fresh(
    args: argparse.Namespace, extracted: Extracted, output: Path, beside: bool
) -> tuple[Report, Path | None]:
    """A new report of `extracted` against `--criteria` (and `--profile`), the draft attached."""
    from guaranteekit.drafts.attach import attach, package_for
    from guaranteekit.formats.assessment import finalize, new_report, relative_hint
    from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria, load_profile

    criteria = find_criteria(args.criteria or DEFAULT_CRITERIA)
    profile = None
    hint = ""
    if args.profile is not None:
        profile, _ = load_profile(args.profile, criteria)
        hint = relative_hint(args.profile, output)
    package = package_for(extracted)
    if (name := (getattr(args, "name", None) or "").strip()) != "":
        package = package.model_copy(update={"name": name})
    report = new_report(package, criteria, profile, profile_path=hint)
    attached, target = attach(report, extracted, output, beside=beside)
    return finalize(attached, criteria, profile), target


def evidence(args: argparse.Namespace) -> int:
    """`guaranteekit evidence REPORT [--draft FILE] [--json]`."""
    from guaranteekit.drafts.anchor import SIMILARITY, DraftText
    from guaranteekit.drafts.attach import load_text
    from guaranteekit.drafts.read import read_draft
    from guaranteekit.drafts.rounds import NOT_IN_TEXT, evidence_against, evidence_rows
    from guaranteekit.drafts.units import split_units
    from guaranteekit.formats.assessment import load_report

    report = load_report(args.report)
    against = None
    if args.draft is not None:
        against = read_draft(args.draft)
        other = DraftText(against.text, split_units(against.text, against.page_starts or None))
        rows = evidence_against(report, other)
    else:
        text = None
        if report.draft is not None:
            try:
                text = load_text(report, args.report)
            except LoadError as exc:
                for line in exc.problems:
                    _err(f"note: {line}; quotes are listed as recorded, unchecked")
        rows = evidence_rows(report, text)
    counts = {status: sum(row.status == status for row in rows) for status in STATUSES}
    if args.json:
        draft = report.draft
        document = {
            "format_version": 1,
            "report": str(args.report),
            "draft": (
                {"file": draft.file, "format": draft.format.value, "digest": draft.digest}
                if draft is not None
                else None
            ),
            "against": (
                {"file": against.name, "format": against.format.value, "digest": against.digest}
                if against is not None
                else None
            ),
            "similarity_threshold": SIMILARITY,
            "counts": counts,
            "evidence": [row.model_dump() for row in rows],
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(evidence_text(rows, counts, SIMILARITY))
    return 1 if counts.get(NOT_IN_TEXT) else 0


def evidence_text(rows: list[EvidenceRow], counts: dict[str, int], threshold: float) -> str:
    """One line per piece of evidence, then a tally (text from files made safe to print)."""
    from guaranteekit.textsafe import one_line

    def quoted(text: str | None, width: int = 72) -> str:
        flat = one_line(text or "")
        return "“" + (flat if len(flat) <= width else flat[: width - 1] + "…") + "”"

    lines: list[str] = []
    width = max((len(r.criterion) for r in rows), default=8)
    for row in rows:
        where = one_line(row.unit or "-") + (f" p. {row.page}" if row.page else "")
        status = row.status
        if row.similarity is not None:
            status += f" {row.similarity:.2f}"
        line = f"{row.criterion:<{width}}  {status:<12}  {where:<14}  {quoted(row.text)}"
        if row.previous_unit and row.previous_unit != row.unit:
            line += f"  (was in {one_line(row.previous_unit)})"
        lines.append(line)
        if row.previous_text:
            lines.append(f"{'':<{width}}  {'':<12}  {'was:':<14}  {quoted(row.previous_text)}")
    quotes = sum(n for status, n in counts.items() if status != "unanchored")
    parts = [f"{n} {status}" for status, n in counts.items() if n and status != "unanchored"]
    tally = f"{quotes} quote(s)" + (f": {', '.join(parts)}" if parts else "")
    tally += f"; {counts.get('unanchored', 0)} typed (unanchored)"
    if counts.get("changed"):
        tally += f"; changed means found with a similarity of at least {threshold:.2f}"
    lines.append(tally)
    return "\n".join(lines) + "\n"


def quote_changes(old: Scored, new: Scored) -> QuoteChanges | None:
    """Each quote of the old round, its old and new wording in the new round's draft; None when
    the new report has no draft or the old one quotes none."""
    from guaranteekit.documents.model import QuoteChange, QuoteChanges
    from guaranteekit.drafts.rounds import quote_changes as followed

    rows = followed(old.report, new.report, new.path)
    if not rows or new.report.draft is None:
        return None

    def title(criterion_id: str) -> str:
        try:
            return new.criteria.criterion(criterion_id).title
        except KeyError:
            return criterion_id

    changes = []
    for row in rows:
        before_unit = row.previous_unit or row.unit or ""
        before, after = row.text, ""
        if row.status == "missing":
            state = f"gone ({row.unit})"
        elif row.status == "changed":
            state = f"reworded, similarity {row.similarity:.2f} ({before_unit} → {row.unit})"
            before, after = row.previous_text or "", row.text
        elif row.status == "moved":
            state = f"moved ({before_unit} → {row.unit})"
        else:
            state = f"unchanged ({row.unit})"
        changes.append(
            QuoteChange(
                criterion=row.criterion,
                title=title(row.criterion),
                status=row.status,  # type: ignore[arg-type]  # followed quotes are never typed
                state=state,
                before=before,
                after=after,
                unit=row.unit or "",
                previous_unit=row.previous_unit or "",
                similarity=row.similarity,
            )
        )
    return QuoteChanges(
        old_file=old.path.name,
        new_file=new.path.name,
        draft_file=new.report.draft.file,
        rows=changes,
    )


def quote_changes_markdown(changes: QuoteChanges | None) -> str:
    """The `diff` section on evidence in Markdown: each quote of the old round, its old and new
    wording (empty text without quotes)."""
    from guaranteekit.documents.escape import md_escape

    if changes is None:
        return ""
    lines = [
        "",
        "## Evidence quoted from the draft",
        "",
        f"Each quote of {md_escape(changes.old_file)} found again in the draft of"
        f" {md_escape(changes.new_file)} ({md_escape(changes.draft_file)}).",
        "",
        "| Criterion | Quote | Before | After |",
        "|---|---|---|---|",
    ]
    for row in changes.rows:
        if row.status == "missing":
            after = "—"
        elif row.status == "changed":
            after = f"“{row.after}”"
        else:
            after = "unchanged"
        cells = [row.title, row.state, f"“{row.before}”", after]
        lines.append("| " + " | ".join(str(md_escape(cell)) for cell in cells) + " |")
    return "\n".join(lines) + "\n"
