"""Handlers of `agree` and `merge`: two or more assessments of one package, measured and merged.

`agree` prints how far the assessments agree (`guaranteekit.scoring.agreement`) as text, Markdown or
JSON, and every disagreement with each analyst's answer side by side, gated criteria first.
`merge` writes the consensus report (`guaranteekit.review.consensus`) atomically, refusing to
replace a file without `--force`. Text from reports is data: cleaned for the terminal
(`textsafe`) and escaped in Markdown the way the documents escape it. Nothing here imports textual.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guaranteekit.errors import GuaranteekitError, LoadError, NotFoundError, WriteError


def _load(paths: Sequence[Path]) -> list[Any]:
    """Every report resolved against its criteria and profile; every file's problems, then fail."""
    from guaranteekit.formats.assessment import load_scored
    from guaranteekit.textsafe import clean

    seen: dict[Path, Path] = {}
    problems: list[str] = []
    missing = False
    scored = []
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            problems.append(f"{path}: given twice (as {seen[resolved]}); name each report once")
            continue
        seen[resolved] = Path(path)
        try:
            scored.append(load_scored(Path(path)))
        except GuaranteekitError as exc:
            missing = missing or isinstance(exc, NotFoundError)
            problems.extend(exc.problems)
    if problems:
        # A report that is not there means the command could not run (exit 2), as elsewhere.
        raise (NotFoundError if missing else LoadError)(problems)
    for item in scored:
        for note in item.notes:
            print(f"guaranteekit: note: {clean(note)}", file=sys.stderr)
    return scored


# --------------------------------------------------------------------------------------------------
# agree
# --------------------------------------------------------------------------------------------------


def agree(args: argparse.Namespace) -> int:
    """`guaranteekit agree A B [C...] [--format text|md|json] [--min-alpha X] [--allow-mixed]`."""
    from guaranteekit.scoring.agreement import agreement

    found = agreement(_load([args.first, *args.others]), allow_mixed=args.allow_mixed)
    if args.format == "json":
        data = found.as_data().model_dump(exclude_unset=True)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        text = agreement_markdown(found)
    else:
        text = agreement_text(found, width=_width())
    sys.stdout.write(text)
    if args.min_alpha is not None and not found.passes(args.min_alpha):
        shown = "not defined" if found.alpha is None else f"{found.alpha:.6g}"
        print(
            f"guaranteekit: alpha {shown} is below --min-alpha {args.min_alpha:g}", file=sys.stderr
        )
        return 1
    return 0


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _figure(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.3f}"


def _share(part: float, whole: int) -> str:
    return f"{round(part * whole)} of {whole} ({part:.0%})"


def _gate_note(item: Any, names: list[str]) -> str:
    """`gate fires for Ann only` when the analysts' answers put the gate on different sides."""
    if not item.gated:
        return ""
    firing = [names[r.analyst] for r in item.present if r.gate == "fires"]
    if not item.gate_split:
        return "gated"
    return f"gated; the gate fires for {', '.join(firing)} only"


def _answer_words(r: Any) -> str:
    words: str = r.words()
    if r.kind.value == "not_applicable" and r.reason.strip():
        words += f": {r.reason}"
    return words


def agreement_text(found: Any, *, width: int = 100) -> str:
    """The agreement for a terminal: figures, then each disagreement with the answers side by side."""
    from guaranteekit.textsafe import clean, one_line

    names = [one_line(a.analyst) for a in found.assessments]
    compared = len(found.compared)
    lines = [
        f"Agreement on {one_line(found.package)}",
        f"criteria {one_line(found.criteria_ref)} · {len(names)} assessments ·"
        f" {compared} criteria compared",
        "",
    ]
    name_width = max(len(n) for n in names)
    verdicts = [
        one_line(a.verdict_label) + (" (provisional)" if a.provisional else "")
        for a in found.assessments
    ]
    verdict_width = max(len(v) for v in verdicts)
    for a, name, verdict in zip(found.assessments, names, verdicts, strict=True):
        score = "   n/a" if a.score is None else f"{a.score:6.2f}"
        lines.append(
            f"  {name:<{name_width}}  {score}  {verdict:<{verdict_width}}"
            f"  range {a.low:6.2f}-{a.high:6.2f}  {clean(a.path)}"
        )
    lines.append("")
    lines.append(
        f"Krippendorff's alpha {_figure(found.alpha)} (levels and statuses);"
        f" ordinal over levels alone {_figure(found.alpha_levels)},"
        f" nominal over the kind of answer {_figure(found.alpha_kinds)}"
    )
    lines.append(f"Identical answers: {_share(found.identical, compared)}")
    if len(names) > 2:
        lines.append(f"Identical answers, pair by pair: {found.pairs_identical:.0%}")
    if found.verdicts_agree:
        lines.append(f"Verdicts agree: {one_line(found.assessments[0].verdict_label)}")
    else:
        lines.append(
            "Verdicts differ: "
            + ", ".join(
                f"{one_line(a.verdict_label)} ({n})"
                for a, n in zip(found.assessments, names, strict=True)
            )
        )
    gap = found.score_gap
    lines.append(
        "Score gap: " + ("n/a (a score is missing)" if gap is None else f"{gap:.2f} points")
    )
    for note in found.mixed:
        lines.append(f"Mixed (--allow-mixed): {clean(note)}")
    for note in found.left_out:
        lines.append(f"Left out: {clean(note)}")
    lines += ["", "By pillar:"]
    title_width = max((len(one_line(p.title)) for p in found.pillars), default=0)
    for p in found.pillars:
        lines.append(
            f"  {one_line(p.title):<{title_width}}  alpha {_figure(p.alpha):>11}"
            f"  identical {_share(p.identical, p.criteria)}"
        )
    disagreements = found.disagreements
    lines.append("")
    if not disagreements:
        lines.append("No disagreements: every analyst gave every criterion the same answer.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(disagreements)} disagreement(s), gated criteria first:")
    for number, item in enumerate(disagreements, 1):
        note = _gate_note(item, names)
        lines += [
            "",
            f"{number}. {one_line(item.title)} ({item.criterion}" + (f"; {note})" if note else ")"),
        ]
        lines += _side_by_side(item, names, width)
    return "\n".join(lines) + "\n"


def _side_by_side(item: Any, names: list[str], width: int) -> list[str]:
    """Each analyst's answer in its own column (stacked when the columns would be too narrow)."""
    from guaranteekit.textsafe import clean, one_line

    cells = []
    for n, r in enumerate(item.readings):
        if r is None:
            cells.append([names[n], "(not in this analyst's criteria)"])
            continue
        cell = [names[n], _answer_words(r)]
        if r.confidence:
            cell.append(f"confidence {r.confidence}")
        if r.gate:
            cell.append(f"gate {r.gate}")
        cell.append("rationale: " + (clean(r.rationale).strip() or "(none given)"))
        cells.append(cell)
    columns = len(cells)
    column_width = (width - 3 - 3 * (columns - 1)) // columns
    if column_width < 28:
        out: list[str] = []
        for cell in cells:
            out.append(f"   {one_line(cell[0])}:")
            for part in cell[1:]:
                out += textwrap.wrap(
                    one_line(part), width - 5, initial_indent="     ", subsequent_indent="     "
                )
        return out
    wrapped = [
        [line for part in cell for line in (textwrap.wrap(one_line(part), column_width) or [""])]
        for cell in cells
    ]
    height = max(len(w) for w in wrapped)
    rule = "   " + " | ".join("-" * column_width for _ in cells)
    rows = []
    for row in range(height):
        parts = [(w[row] if row < len(w) else "").ljust(column_width) for w in wrapped]
        rows.append(("   " + " | ".join(parts)).rstrip())
        if row == 0:
            rows.append(rule)
    return rows


def agreement_markdown(found: Any) -> str:
    """The agreement as a Markdown document; text from the reports escaped as the documents do."""
    from guaranteekit.documents.escape import md_escape as md

    names = [str(md(a.analyst)) for a in found.assessments]
    compared = len(found.compared)
    out = [
        f"# Agreement on {md(found.package)}",
        "",
        f"Criteria {md(found.criteria_ref)} · {len(names)} assessments · {compared} criteria compared",
        "",
        "| Analyst | Score | Verdict | Range | File |",
        "|---|---:|---|---|---|",
    ]
    for a, name in zip(found.assessments, names, strict=True):
        score = "n/a" if a.score is None else f"{a.score:.2f}"
        verdict = str(md(a.verdict_label)) + (" (provisional)" if a.provisional else "")
        out.append(f"| {name} | {score} | {verdict} | {a.low:.2f}–{a.high:.2f} | {md(a.path)} |")
    gap = found.score_gap
    out += [
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Krippendorff's alpha (levels and statuses) | {_figure(found.alpha)} |",
        f"| Ordinal alpha over levels alone | {_figure(found.alpha_levels)} |",
        f"| Nominal alpha over the kind of answer | {_figure(found.alpha_kinds)} |",
        f"| Identical answers | {_share(found.identical, compared)} |",
    ]
    if len(names) > 2:
        out.append(f"| Identical answers, pair by pair | {found.pairs_identical:.0%} |")
    out += [
        f"| Verdicts agree | {'yes' if found.verdicts_agree else 'no'} |",
        f"| Score gap | {'n/a' if gap is None else f'{gap:.2f} points'} |",
    ]
    for note in found.mixed:
        out += ["", f"Mixed (--allow-mixed): {md(note)}"]
    for note in found.left_out:
        out += ["", f"Left out: {md(note)}"]
    out += ["", "## By pillar", "", "| Pillar | Alpha | Identical |", "|---|---:|---|"]
    for p in found.pillars:
        out.append(f"| {md(p.title)} | {_figure(p.alpha)} | {_share(p.identical, p.criteria)} |")
    disagreements = found.disagreements
    out += ["", f"## Disagreements ({len(disagreements)}, gated criteria first)", ""]
    if not disagreements:
        out.append("None: every analyst gave every criterion the same answer.")
    for number, item in enumerate(disagreements, 1):
        note = _gate_note(item, [a.analyst for a in found.assessments])
        out += [
            f"### {number}. {md(item.title)} (`{item.criterion}`)"
            + (f": {md(note)}" if note else ""),
            "",
            "| | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        rows: dict[str, list[str]] = {"Answer": [], "Confidence": [], "Gate": [], "Rationale": []}
        for r in item.readings:
            if r is None:
                for key in rows:
                    rows[key].append("(not in this analyst's criteria)" if key == "Answer" else "")
                continue
            rows["Answer"].append(str(md(_answer_words(r))))
            rows["Confidence"].append(r.confidence or "")
            rows["Gate"].append(r.gate)
            rows["Rationale"].append(
                str(md(r.rationale)) if r.rationale.strip() else "(none given)"
            )
        for key, values in rows.items():
            if key == "Gate" and not item.gated:
                continue
            out.append(f"| {key} | " + " | ".join(values) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------------
# merge
# --------------------------------------------------------------------------------------------------


def merge(args: argparse.Namespace) -> int:
    """`guaranteekit merge A B [C...] -o CONSENSUS.toml [--by NAME] [--force]`."""
    from guaranteekit.formats.assessment import save_report
    from guaranteekit.review.consensus import merge_reports, open_disagreements
    from guaranteekit.review.trail import default_name
    from guaranteekit.textsafe import clean

    output: Path = args.output
    inputs = [args.first, *args.others]
    # Checked before any report is read, so a refused -o costs nothing and writes nothing.
    if output.is_dir():
        raise WriteError(f"{output}: is a directory; give a file name")
    if any(output.resolve() == Path(p).resolve() for p in inputs):
        raise WriteError(f"{output}: is one of the reports being merged; write the merge elsewhere")
    if output.exists() and not args.force:
        raise WriteError(f"{output}: already exists; not overwritten (use --force to replace it)")
    scored = _load(inputs)
    merged = merge_reports(scored, args.by or default_name() or "guaranteekit merge")
    save_report(output, merged, overwrite=bool(args.force))
    disputes = open_disagreements(merged)
    print(
        f"guaranteekit: wrote {clean(str(output))}: {len(merged.answers)} answers,"
        f" {len(disputes)} disagreement(s) open as disputes in the review trail"
        + (
            f"; adjudicate them with `guaranteekit review {clean(str(output))}`" if disputes else ""
        ),
        file=sys.stderr,
    )
    return 0
