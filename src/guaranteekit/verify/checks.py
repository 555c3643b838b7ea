"""`verify`: check saved reports and collect every problem of every file before reporting.

Shaped like check-jsonschema: each check appends `Problem`s (`errors.Problem`, the one kind of
problem, as the loaders raise them) to a `FileResult`; nothing is printed here. `render_text` and `render_json` turn the collected results into output, and `exit_code` maps
them to 0 (all pass), 1 (problems found) or 2 (the command could not run, e.g. a missing file).

Checks, in order: the format (schema); the criteria reference (resolvable, digest equal); the profile
reference; answers against the rubric; the report digest; quotes against the attached draft's text;
stored results against recomputed ones; then, on a report that resolved, the checks `_checks` lists:
completeness (unanswered criteria, answers without rationale) and the review trail
(`verify.review_checks`: sign-off, open disputes, evidence, criteria version, signatures). Every
check runs whatever else was imported before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from guaranteekit.errors import (
    Code,
    GuaranteekitError,
    LoadError,
    NotFoundError,
    Problem,
    ReadError,
    Severity,
)
from guaranteekit.review.trail import ReviewSummary

if TYPE_CHECKING:
    from guaranteekit.formats.models import Results

__all__ = ["Code", "FileResult", "Options", "Problem", "Severity", "verify_file", "verify_report"]

JSON_FORMAT_VERSION = 1
"""Version of `verify --format json` output; bump it when its shape changes."""


class Summary(BaseModel):
    """What a report that could be scored says, as `verify --format json` gives it per file."""

    package: str
    criteria: str
    """`id version` of the criteria set."""
    score: float | None
    low: float
    high: float
    verdict: str
    provisional: bool
    review: ReviewSummary | None = None
    """The review in figures; left out of the JSON for a report verify did not check it on."""

    def as_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"review"} if self.review is None else None)


@dataclass(slots=True)
class FileResult:
    """Everything verify found about one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None
    """None when the report could not be scored (the JSON then holds an empty object)."""
    results: Results | None = None
    """The results recomputed from the answers, for a caller that goes on to use the report."""
    could_not_run: bool = False

    def add(
        self, code: Code | str, where: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(Problem(self.path, where, message, Code(code), severity))

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.could_not_run and self.errors == 0


@dataclass(slots=True)
class Options:
    """How verify runs."""

    profile: Path | None = None
    """Profile file to use instead of the report's path hint."""
    criteria: str | None = None
    """Criteria set (id or file) to use instead of the report's reference."""
    strict: bool = False
    """Treat warnings as errors."""
    allowed_signers: Path | None = None
    """An ssh-keygen allowed-signers file; when given, every signature is checked against it."""


FileCheck = Callable[[Any, FileResult, Options], None]
"""A check over a resolved `Scored` report: it adds its problems to the `FileResult`."""


def _checks() -> tuple[FileCheck, ...]:
    """Every check run on a report whose criteria resolved and whose answers fit, in this order.

    Imported when verify runs, as the formats modules are, so that importing this module stays cheap.
    """
    from guaranteekit.verify import review_checks as review

    return (
        _check_completeness,
        review.check_signoff,
        review.check_disputes,
        review.check_evidence,
        review.check_outdated,
        review.check_report_signatures,
    )


def _compare_results(stored: Any, fresh: Any, result: FileResult) -> None:
    stored_data = stored.model_dump(mode="json", exclude_none=True) if stored is not None else {}
    fresh_data = fresh.model_dump(mode="json", exclude_none=True)
    if stored is None:
        result.add(Code.RESULTS_MISSING, "results", "the report carries no results")
        return
    for key, fresh_value in fresh_data.items():
        stored_value = stored_data.get(key)
        if stored_value == fresh_value:
            continue
        if isinstance(fresh_value, list) and isinstance(stored_value, list):
            named = False
            for index, (a, b) in enumerate(zip(stored_value, fresh_value, strict=False)):
                if a != b:
                    label = (
                        b.get("criterion", b.get("pillar", b.get("scenario")))
                        if isinstance(b, dict)
                        else None
                    )
                    where = f"results.{key}[{index}]" + (f" ({label})" if label else "")
                    result.add(
                        Code.RESULTS_MISMATCH,
                        where,
                        f"stored {_short(a)} but the answers give {_short(b)}",
                    )
                    named = True
                    break
            if not named:
                result.add(
                    Code.RESULTS_MISMATCH,
                    f"results.{key}",
                    f"stored {len(stored_value)} entries but the answers give {len(fresh_value)}",
                )
        else:
            result.add(
                Code.RESULTS_MISMATCH,
                f"results.{key}",
                f"stored {_short(stored_value)} but the answers give {_short(fresh_value)}",
            )
    for key in stored_data:
        if key not in fresh_data:
            result.add(
                Code.RESULTS_MISMATCH, f"results.{key}", "stored but not computed from the answers"
            )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def verify_file(path: Path, options: Options | None = None) -> FileResult:
    """Every problem of one report file."""
    from guaranteekit.formats.assessment import load_report

    result = FileResult(str(path))
    # 1. The format.
    try:
        report = load_report(Path(path))
    except NotFoundError:
        result.could_not_run = True
        result.add(Code.NO_SUCH_FILE, "", "no such file")
        return result
    except ReadError as exc:
        for problem in exc.details:
            result.add(Code.UNREADABLE, problem.where, problem.message)
        return result
    except LoadError as exc:
        for problem in exc.details:
            result.add(Code.SCHEMA, problem.where, problem.message)
        return result
    return verify_report(report, Path(path), options, result)


def verify_report(
    report: Any, path: Path, options: Options | None = None, result: FileResult | None = None
) -> FileResult:
    """Every problem of a report already read (or held in memory by the terminal UI, which lists
    them before saving), with `path` naming it and locating its profile hint."""
    from guaranteekit.formats.assessment import (
        check_answers,
        legacy_report_digest,
        profile_location,
        report_digest,
        unfollowed,
    )
    from guaranteekit.formats.catalog import (
        criteria_digest,
        find_criteria,
        load_profile,
        profile_digest,
    )
    from guaranteekit.scoring import core as scoring

    options = options or Options()
    name = str(path)
    result = result if result is not None else FileResult(name)

    # 2. The criteria reference.
    ref = report.criteria
    criteria = None
    try:
        criteria = find_criteria(
            options.criteria or ref.id, None if options.criteria else ref.version
        )
    except NotFoundError as exc:
        result.add(Code.CRITERIA_NOT_FOUND, "criteria", exc.problems[0])
    except LoadError as exc:
        for line in exc.problems:
            result.add(Code.CRITERIA_INVALID, "criteria", line)
    if criteria is not None:
        if criteria.id != ref.id or criteria.version != ref.version:
            result.add(
                Code.CRITERIA_MISMATCH,
                "criteria",
                f"report names {ref.id} {ref.version} but was checked against {criteria.id}"
                f" {criteria.version}",
            )
        if ref.digest is None:
            result.add(
                Code.CRITERIA_DIGEST,
                "criteria.digest",
                "the report does not record the criteria digest",
            )
        elif criteria_digest(criteria) != ref.digest:
            result.add(
                Code.CRITERIA_DIGEST,
                "criteria.digest",
                f"the criteria set {criteria.id} {criteria.version} has digest"
                f" {criteria_digest(criteria)[:19]}..., the report names {ref.digest[:19]}...: it was"
                " scored against different criteria content",
            )

    # 3. The profile reference.
    profile = None
    if report.profile is not None and criteria is not None:
        location = options.profile or profile_location(Path(path), report)
        missing = f"the report was scored with profile {report.profile.name!r}"
        if location is None:
            missing += unfollowed(report) or ", which was not found"
        else:
            try:
                profile, _ = load_profile(location, criteria)
            except NotFoundError:
                missing += f", which was not found at {location}"
                location = None
            except GuaranteekitError as exc:
                for line in exc.problems:
                    result.add(Code.PROFILE_INVALID, "profile", line)
        if location is None:
            result.add(Code.PROFILE_NOT_FOUND, "profile", missing + "; pass --profile FILE")
        elif profile is not None and profile_digest(profile) != report.profile.digest:
            result.add(
                Code.PROFILE_DIGEST,
                "profile.digest",
                f"profile {location} does not match the digest the report names",
            )
    elif options.profile is not None and criteria is not None:
        try:
            profile, _ = load_profile(options.profile, criteria)
        except GuaranteekitError as exc:
            for line in exc.problems:
                result.add(Code.PROFILE_INVALID, "profile", line)
        result.add(Code.PROFILE_MISMATCH, "profile", "the report was scored without a profile")

    # 4. Answers against the rubric.
    answers_fit = True
    if criteria is not None:
        for problem in check_answers(report, criteria, name):
            result.add(Code.ANSWER_INVALID, problem.where, problem.message)
            answers_fit = False

    # 5. The report's own digest.
    if report.digest is None:
        result.add(Code.DIGEST_MISSING, "digest", "the report carries no digest")
    elif report_digest(report) != report.digest and legacy_report_digest(report) != report.digest:
        result.add(
            Code.DIGEST_MISMATCH,
            "digest",
            "the report digest no longer matches its content: the file was edited after it was saved",
        )

    # 5b. Quotes against the text of the attached draft.
    if report.draft is not None or any(answer.quotes for answer in report.answers):
        from guaranteekit.drafts.attach import check_quotes  # only for reports that quote a draft

        for code, where, message in check_quotes(report, Path(path)):
            if code == "draft-text":
                result.add(Code.DRAFT_TEXT, where, message)
            else:
                result.add(Code.QUOTE_MISMATCH, where, message)

    # 6. Stored results against recomputed ones.
    if criteria is not None and answers_fit:
        fresh = result.results = scoring.compute(criteria, report.answers, profile)
        stored = report.results
        if stored != fresh:
            _compare_results(stored, fresh, result)
        result.summary = Summary(
            package=report.package.name,
            criteria=f"{ref.id} {ref.version}",
            score=fresh.score,
            low=fresh.low,
            high=fresh.high,
            verdict=fresh.verdict,
            provisional=fresh.provisional,
        )

        # 7. Completeness, then the review trail and signatures.
        from guaranteekit.formats.assessment import Scored

        scored = Scored(Path(path), report, criteria, profile, options.profile, [])
        for check in _checks():
            check(scored, result, options)

    if options.strict:
        for problem in result.problems:
            problem.severity = Severity.ERROR
    return result


def _check_completeness(scored: Any, result: FileResult, options: Options) -> None:
    """Unanswered criteria, answers without rationale, `unknown` answers, gates marked not applicable."""
    from guaranteekit.formats.models import AnswerStatus

    report, criteria, profile = scored.report, scored.criteria, scored.profile
    disabled = {d.criterion for d in profile.disabled} if profile else set()
    answered = {a.criterion for a in report.answers}
    for criterion in criteria.criteria:
        if criterion.id not in answered and criterion.id not in disabled:
            result.add(
                Code.UNANSWERED, f"answers ({criterion.id})", f"{criterion.title!r} is unanswered"
            )
    for index, answer in enumerate(report.answers):
        where = f"answers[{index}] ({answer.criterion})"
        if not answer.justified:
            result.add(Code.NO_RATIONALE, f"{where}.rationale", "answer has no rationale")
        if answer.status is AnswerStatus.LEVEL and answer.confidence is None:
            result.add(
                Code.CONFIDENCE_UNSET,
                f"{where}.confidence",
                "no confidence chosen: the score and the Monte Carlo run take the level as"
                " exact, as for high confidence",
                Severity.WARNING,
            )
        if answer.status is AnswerStatus.UNKNOWN:
            result.add(
                Code.UNKNOWN_ANSWER,
                where,
                "answered 'unknown': the score is provisional until the draft is clarified",
                Severity.WARNING,
            )
        if answer.status is AnswerStatus.NOT_APPLICABLE:
            try:
                gated = bool(criteria.criterion(answer.criterion).level_gates())
            except KeyError:
                gated = False
            if gated:
                result.add(
                    Code.GATE_NOT_APPLICABLE,
                    where,
                    "a gated criterion is marked not applicable, so its gate cannot fire",
                    Severity.WARNING,
                )
        _check_rules(criteria, answer, where, result)


def _check_rules(criteria: Any, answer: Any, where: str, result: FileResult) -> None:
    """An answer against its criterion's silence and applicability rules (format 2)."""
    from guaranteekit.formats.models import SILENCE_UNKNOWN, AnswerStatus

    try:
        criterion = criteria.criterion(answer.criterion)
    except KeyError:
        return
    rule = criterion.when_silent
    silence = criterion.silence_level()
    if answer.silent:
        if rule is None:
            result.add(
                Code.SILENCE_CONTRADICTION,
                f"{where}.silent",
                f"marked silent, but criteria set {criteria.id} {criteria.version} gives"
                f" {answer.criterion!r} no silence rule",
            )
        elif rule == SILENCE_UNKNOWN and answer.status is not AnswerStatus.UNKNOWN:
            result.add(
                Code.SILENCE_CONTRADICTION,
                f"{where}.silent",
                f"marked silent, but silence on {answer.criterion!r} reads as 'unknown', not as"
                f" level {answer.level!r}",
            )
        elif silence is not None and answer.level != silence:
            chosen = f"level {answer.level!r}" if answer.level else "'unknown'"
            result.add(
                Code.SILENCE_CONTRADICTION,
                f"{where}.silent",
                f"marked silent, but silence on {answer.criterion!r} reads as level {silence!r},"
                f" not {chosen}",
            )
    if answer.status is AnswerStatus.UNKNOWN and silence is not None and not answer.silent:
        result.add(
            Code.UNKNOWN_NOT_SILENCE,
            where,
            f"'unknown' counts as {silence!r}, the level silence means for this criterion; if the"
            f" draft is silent answer {silence!r}, else say in the rationale why the text is"
            " unclear rather than silent",
            Severity.WARNING,
        )
    rule_na = criterion.not_applicable
    if answer.status is AnswerStatus.NOT_APPLICABLE and rule_na is not None and not rule_na.allowed:
        result.add(
            Code.NOT_APPLICABLE_NOT_ALLOWED,
            where,
            f"{answer.criterion!r} may not be answered not applicable: it always applies; its"
            " weight is left out of the score",
            Severity.WARNING,
        )


def verify_files(
    paths: Iterable[Path], options: Options | None = None, *, jobs: int = 1
) -> list[FileResult]:
    """Verify each file; one result per file, in order, for the findings alone (`results` is
    None: nothing here goes on to use the reports).

    `jobs` processes check the files (0: one per core), through `concurrent.futures`; an archive
    is worth it, a handful of files is not (each process starts by importing the package).
    """
    files = [Path(p) for p in paths]
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(files) < PARALLEL_FROM:
        return [_findings(path, options) for path in files]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        return list(pool.map(_findings, files, [options] * len(files), chunksize=chunk))


def _findings(path: Path, options: Options | None) -> FileResult:
    # A report's recomputed results pickle to about 12 KB, the rest of what verify finds to 1 KB:
    # a process would send them back, and this one unpickle them, for nothing.
    result = verify_file(path, options)
    result.results = None
    return result


PARALLEL_FROM = 200
"""Fewer files than this are checked in this process: starting the others costs more."""


def exit_code(results: list[FileResult]) -> int:
    """0 when every file passes, 2 when a file could not be checked at all, else 1."""
    if any(r.could_not_run for r in results):
        return 2
    return 0 if all(r.ok for r in results) else 1


def render_text(results: list[FileResult], clean: Callable[[str], str] = str) -> str:
    """One line per problem (`file: severity: where: message`), then a one-line tally."""
    lines: list[str] = []
    for result in results:
        if result.ok and not result.problems:
            summary = result.summary
            score = summary.score if summary is not None else None
            verdict = summary.verdict if summary is not None else "?"
            shown = "n/a" if score is None else f"{score:.2f}"
            lines.append(f"{clean(result.path)}: ok ({verdict}, score {shown})")
            continue
        for problem in result.problems:
            where = f"{clean(problem.where)}: " if problem.where else ""
            lines.append(
                f"{clean(result.path)}: {problem.severity}: {where}{clean(problem.message)}"
            )
        if result.ok:
            lines.append(f"{clean(result.path)}: ok with {result.warnings} warning(s)")
    passed = sum(1 for r in results if r.ok)
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    lines.append(
        f"{len(results)} file(s) checked: {passed} passed, {len(results) - passed} failed"
        f" ({errors} error(s), {warnings} warning(s))"
    )
    return "\n".join(lines)


def render_json(results: list[FileResult]) -> str:
    """The stable JSON shape documented in the README (`format_version` 1)."""
    document = {
        "format_version": JSON_FORMAT_VERSION,
        "ok": all(r.ok for r in results),
        "exit_code": exit_code(results),
        "files": [
            {
                "path": r.path,
                "ok": r.ok,
                "errors": r.errors,
                "warnings": r.warnings,
                "summary": r.summary.as_json() if r.summary is not None else {},
                "problems": [
                    {
                        "severity": p.severity.value,
                        "code": p.code,
                        "where": p.where,
                        "message": p.message,
                    }
                    for p in r.problems
                ],
            }
            for r in results
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
