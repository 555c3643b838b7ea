"""Handlers of the commands that never open the TUI: criteria, score, verify, schema.

Each handler takes the parsed arguments, prints results to stdout and diagnostics to stderr, and
returns an exit code; errors are raised as `GuaranteekitError` and mapped to exit codes by `cli.main`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from guaranteekit.errors import (
    GuaranteekitError,
    LoadError,
    NotFoundError,
    UsageError,
    WriteError,
)

if TYPE_CHECKING:
    from guaranteekit.cli.analysis_text import ScoreExtras
    from guaranteekit.formats.assessment import Scored
    from guaranteekit.formats.models import CriteriaSet, Results


def _out(text: str) -> None:
    from guaranteekit.textsafe import clean_output

    # Every text shown passed textsafe already; cleaning here too keeps the terminal safe from
    # whatever one of them missed.
    text = clean_output(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _err(text: str) -> None:
    from guaranteekit.textsafe import clean

    print(f"guaranteekit: {clean(text)}", file=sys.stderr)


def criteria_list(args: argparse.Namespace) -> int:
    from guaranteekit.formats.catalog import available
    from guaranteekit.textsafe import one_line

    skipped: list[str] = []
    sets = available(skipped=skipped)
    for line in skipped:
        _err(f"skipped {line}")
    if not sets:
        _err("no criteria sets found")
        return 1
    _out(f"{'ID':<28} {'VERSION':<10} {'CRITERIA':>8}  TITLE")
    for path, criteria in sets:
        _out(
            f"{criteria.id:<28} {one_line(criteria.version):<10} {len(criteria.criteria):>8}"
            f"  {one_line(criteria.title)}"
        )
        _out(f"{'':<28} {'':<10} {'':>8}  {one_line(str(path))}")
    return 0


def criteria_show(args: argparse.Namespace) -> int:
    from guaranteekit.cli.text import criteria_markdown, criteria_text
    from guaranteekit.formats.catalog import find_criteria

    criteria = find_criteria(args.id)
    if args.criterion:
        try:
            criteria.criterion(args.criterion)
        except KeyError:
            ids = ", ".join(c.id for c in criteria.criteria)
            raise LoadError(
                f"{args.id}: no criterion {args.criterion!r} (criteria: {ids})"
            ) from None
    if args.format == "md":
        _out(criteria_markdown(criteria))
    else:
        _out(criteria_text(criteria, args.criterion))
    return 0


def _check_one(path: Path) -> tuple[str, list[str]]:
    from guaranteekit.formats.catalog import check_profile, find_criteria
    from guaranteekit.formats.models import CriteriaSet, Profile
    from guaranteekit.formats.storage import parse_toml, read_bytes, validate

    name = str(path)
    data = parse_toml(read_bytes(path), name)
    if "answers" in data or isinstance(data.get("package"), dict):
        return "report", [
            f"{name}: this is an assessment report, not a criteria set or profile; check it with"
            f" `guaranteekit verify {name}`"
        ]
    if isinstance(data.get("criteria"), str) or "weights" in data or "disabled" in data:
        profile = validate(Profile, data, name)
        try:
            criteria = find_criteria(profile.criteria)
        except GuaranteekitError as exc:
            return "profile", [f"{name}: criteria: {exc.problems[0]}"]
        return "profile", check_profile(profile, criteria, name)
    validate(CriteriaSet, data, name)
    return "criteria set", []


def criteria_check(args: argparse.Namespace) -> int:
    from guaranteekit.textsafe import clean

    failed = 0
    for path in args.files:
        try:
            kind, problems = _check_one(path)
        except NotFoundError:
            raise  # the command cannot run as asked: `cli.parser.main` says so and exits 2
        except GuaranteekitError as exc:
            kind, problems = "file", exc.problems
        if problems:
            failed += 1
            for line in problems:
                print(clean(line), file=sys.stderr)
        else:
            _out(f"{path}: ok ({kind})")
    return 1 if failed else 0


def score(args: argparse.Namespace) -> int:
    from guaranteekit.cli.text import results_text
    from guaranteekit.formats.assessment import load_scored
    from guaranteekit.scoring import core as scoring
    from guaranteekit.textsafe import json_text

    scored = load_scored(args.report, profile_path=args.profile, criteria_ref=args.criteria)
    for note in scored.notes:
        _err(note)
    results = scoring.compute(scored.criteria, scored.report.answers, scored.profile)
    if args.write:
        from guaranteekit.formats.assessment import finalize, relative_hint, save_report

        # Record where the profile given is, so that compare and verify find it again.
        hint = relative_hint(args.profile, args.report) if args.profile is not None else None
        updated = finalize(scored.report, scored.criteria, scored.profile, profile_path=hint)
        if updated != scored.report:
            from guaranteekit.formats.storage import write_target

            target = write_target(args.report)
            save_report(args.report, updated)
            via = f" (in {target}, where the link points)" if target != args.report else ""
            _err(f"{args.report}: results and digest updated{via}")
    extra = _extra_analysis(scored, results, args)
    if getattr(args, "positions", None):
        extra = _within_positions(scored, args.positions, extra)
    if args.json:
        document = {
            "package": scored.report.package.model_dump(mode="json", exclude_none=True),
            "criteria": {"id": scored.criteria.id, "version": scored.criteria.version},
            "profile": scored.profile.name if scored.profile else None,
            "results": results.model_dump(mode="json", exclude_none=True),
            "analysis": extra.analysis.model_dump(mode="json", exclude_none=True),
        }
        if extra.positions is not None:
            document["positions"] = extra.positions.model_dump(mode="json", exclude_none=True)
        _out(json_text(json.dumps(document, indent=2, ensure_ascii=False)))
    else:
        _out(results_text(scored.report, scored.criteria, results, scored.profile, extra.text))
    return 0


def criteria_arg(text: str) -> CriteriaSet:
    """A criteria set from `ID`, `ID@VERSION` or a file path."""
    from guaranteekit.formats.catalog import find_criteria

    if "@" in text and not text.endswith(".toml"):
        set_id, _, version = text.partition("@")
        return find_criteria(set_id, version or None)
    return find_criteria(text)


def rescore(args: argparse.Namespace) -> int:
    from guaranteekit.errors import NotFoundError
    from guaranteekit.formats.assessment import (
        finalize,
        load_report,
        now,
        relative_hint,
        save_report,
    )
    from guaranteekit.formats.catalog import find_criteria, load_profile, profile_digest
    from guaranteekit.formats.models import ProfileRef
    from guaranteekit.scoring.rescore import rescore as move
    from guaranteekit.textsafe import clean

    source: Path = args.report
    target: Path = args.output
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise WriteError(f"{target}: rescore writes a new report; -o must name another file")
    report = load_report(source)
    new = criteria_arg(args.criteria)
    try:
        old = find_criteria(report.criteria.id, report.criteria.version)
    except NotFoundError:
        old = None  # the old set is not installed: levels are matched by id alone
    profile = None
    profile_ref = None
    if args.profile is not None:
        profile, _ = load_profile(args.profile, new)
        profile_ref = ProfileRef(
            name=profile.name,
            digest=profile_digest(profile),
            path=relative_hint(args.profile, target),
        )
    elif report.profile is not None:
        raise LoadError(
            f"{source}: profile: the report was scored with profile {report.profile.name!r}; pass"
            f" --profile FILE, a profile for {new.id} {new.version}"
        )
    moved = move(report, new, old)
    line = (
        f"Rescored from criteria {report.criteria.id} {report.criteria.version} to {new.id}"
        f" {new.version} on {now().date().isoformat()}: {moved.carried} answers carried over,"
        f" {len(moved.answer_again)} to answer again."
    )
    notes = report.provenance.notes
    provenance = report.provenance.model_copy(
        update={"modified": now(), "notes": f"{notes}\n{line}" if notes else line}
    )
    updated = finalize(
        moved.report.model_copy(update={"provenance": provenance, "profile": profile_ref}),
        new,
        profile,
    )
    save_report(target, updated, overwrite=args.force)
    _out(
        f"wrote {clean(str(target))}: {clean(report.criteria.id)} {clean(report.criteria.version)}"
        f" -> {new.id} {clean(new.version)}; {moved.carried} answers carried over,"
        f" {len(moved.answer_again)} to answer again, {len(moved.check)} to check,"
        f" {len(moved.dropped)} left out"
    )
    if moved.answer_again:
        _out("To answer again:")
        for redo in moved.answer_again:
            _out(f"  {clean(redo.criterion)}: {clean(redo.why)}")
    if moved.check:
        _out("To check:")
        for redo in moved.check:
            _out(f"  {clean(redo.criterion)}: {clean(redo.why)}")
    if moved.dropped:
        _out(f"Left out, not in {new.id} {clean(new.version)}: {', '.join(moved.dropped)}")
    if report.review.signatures:
        _err(f"{target}: the old report's signatures were left out: they sign other content")
    return 0


def _extra_analysis(scored: Scored, results: Results, args: argparse.Namespace) -> ScoreExtras:
    """Reference points and decision support."""
    from guaranteekit.cli.analysis_text import score_extras

    return score_extras(scored, results, draws=args.draws, seed=args.seed)


def _within_positions(scored: Scored, refs: str, extra: ScoreExtras) -> ScoreExtras:
    """The verdict reachable within the parties' positions, added to the text and the JSON."""
    import dataclasses

    from guaranteekit.cli.positions_text import within_text
    from guaranteekit.formats.positions import load_positions
    from guaranteekit.scoring.positions import plan_within

    names = [ref.strip() for ref in refs.split(",") if ref.strip()]
    if not names:
        raise UsageError("--positions: name at least one positions file or party")
    loaded = load_positions(names, scored.criteria)
    within = plan_within(scored.criteria, scored.report.answers, loaded, scored.profile)
    return dataclasses.replace(extra, text=[*extra.text, *within_text(within)], positions=within)


def verify(args: argparse.Namespace) -> int:
    from guaranteekit.textsafe import clean, json_text
    from guaranteekit.verify import checks as verifier

    options = verifier.Options(
        profile=args.profile,
        criteria=args.criteria,
        strict=args.strict,
        allowed_signers=args.allowed_signers,
    )
    results = verifier.verify_files(args.files, options, jobs=args.jobs)
    if args.format == "json":
        _out(json_text(verifier.render_json(results)))
    else:
        _out(verifier.render_text(results, clean))
    return verifier.exit_code(results)


def schema(args: argparse.Namespace) -> int:
    from guaranteekit.formats.schemas import FORMATS, schema_text
    from guaranteekit.formats.storage import atomic_write

    if args.output is None:
        _out(json.dumps({name: json.loads(schema_text(name)) for name in FORMATS}, indent=2))
        return 0
    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"{folder}: not a folder; -o takes the folder to write the schemas in")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot create the folder: {exc.strerror}") from None
    texts = {folder / f"{name}.schema.json": schema_text(name).encode() for name in FORMATS}
    # Check every file before writing any, so a refusal leaves the folder as it was.
    differ = [t for t, data in texts.items() if t.exists() and t.read_bytes() != data]
    if differ and not args.force:
        raise WriteError(
            [
                f"{t}: exists and differs; not overwritten (use --force to replace it)"
                for t in differ
            ]
        )
    for target, data in texts.items():
        if target.exists() and target.read_bytes() == data:
            _out(f"unchanged {target}")
            continue
        atomic_write(target, data)
        _out(f"wrote {target}")
    return 0
