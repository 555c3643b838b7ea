"""Assessment reports: checking answers against their criteria, scoring, digests, load and save.

The report's own digest covers every field but itself, so `verify` detects a hand edit of any value.
The content digest covers only what an assessor decides (package, criteria and profile references,
answers); review entries and signatures refer to it, so a later change of an answer makes them stale
while a reviewer's comment does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from guaranteekit import __version__
from guaranteekit.errors import Code, LoadError, NotFoundError, Problem, ReadError
from guaranteekit.formats.catalog import (
    criteria_digest,
    find_criteria,
    load_profile,
    profile_digest,
)
from guaranteekit.formats.digest import digest_data, model_digest
from guaranteekit.formats.models import (
    REPORT_FORMAT,
    Answer,
    AnswerStatus,
    CriteriaRef,
    CriteriaSet,
    Package,
    Profile,
    ProfileRef,
    Provenance,
    Report,
)
from guaranteekit.formats.storage import read_model, shown, write_model
from guaranteekit.scoring import core as scoring

TOOL = f"guaranteekit {__version__}"


def now() -> datetime:
    """The current time in UTC, to the second (TOML datetimes stay short and exact)."""
    return datetime.now(UTC).replace(microsecond=0)


def content_digest(report: Report) -> str:
    """Digest of what the assessor decided: package, criteria and profile refs, answers."""
    return digest_data(
        report.model_dump(
            mode="json",
            exclude_none=True,
            include={"format_version", "package", "criteria", "profile", "answers"},
        )
    )


def report_digest(report: Report) -> str:
    """Digest of every field of the report but `digest` itself."""
    return model_digest(report, exclude={"digest"})


def legacy_report_digest(report: Report) -> str:
    """The report digest as computed before an answer's confidence could be unset, when an absent
    confidence meant `high`: a report saved then without the key still matches its digest."""
    data = report.model_dump(mode="json", exclude_none=True, exclude={"digest"})
    for answer in data.get("answers", []):
        answer.setdefault("confidence", "high")
    return digest_data(data)


def check_answers(report: Report, criteria: CriteriaSet, name: str) -> list[Problem]:
    """Problems of answers that do not fit the criteria set: unknown criteria, unknown levels."""
    problems: list[Problem] = []
    known = scoring.level_indexes(criteria)  # each criterion's level ids, worked out once per set
    for index, answer in enumerate(report.answers):
        levels = known.get(answer.criterion)
        if levels is None:
            problems.append(
                Problem(
                    name,
                    f"answers[{index}] ({answer.criterion}).criterion",
                    f"unknown criterion {answer.criterion!r} in criteria set {criteria.id}"
                    f" {criteria.version}",
                    Code.ANSWER_INVALID,
                )
            )
        elif (
            answer.status is AnswerStatus.LEVEL
            and answer.level is not None
            and answer.level not in levels
        ):
            problems.append(
                Problem(
                    name,
                    f"answers[{index}] ({answer.criterion}).level",
                    f"level {answer.level!r} is not in the rubric of {answer.criterion!r} (levels:"
                    f" {', '.join(levels)})",
                    Code.ANSWER_INVALID,
                )
            )
    return problems


def new_report(
    package: Package,
    criteria: CriteriaSet,
    profile: Profile | None = None,
    *,
    profile_path: str = "",
    assessor: str = "",
) -> Report:
    """An empty assessment of `package` against `criteria`."""
    stamp = now()
    report = Report(
        format_version=REPORT_FORMAT,
        package=package,
        criteria=CriteriaRef(
            id=criteria.id, version=criteria.version, digest=criteria_digest(criteria)
        ),
        profile=(
            ProfileRef(name=profile.name, digest=profile_digest(profile), path=profile_path)
            if profile
            else None
        ),
        provenance=Provenance(assessor=assessor, created=stamp, modified=stamp, tool=TOOL),
    )
    return finalize(report, criteria, profile)


def finalize(
    report: Report,
    criteria: CriteriaSet,
    profile: Profile | None = None,
    *,
    profile_path: str | None = None,
) -> Report:
    """The report with references, answer order, results and digest brought up to date.

    Answers are put in the criteria set's order so that the file reads in the order an analyst walks
    the criteria. Nothing here reads the clock, so finalizing an unchanged report is a no-op.
    `profile_path` is the profile file's place relative to the report (`relative_hint`), recorded
    with the profile; without it the place recorded before is kept.
    """
    problems = check_answers(report, criteria, "report")
    if problems:
        raise LoadError(problems)
    order = {c.id: i for i, c in enumerate(criteria.criteria)}
    answers = sorted(report.answers, key=lambda a: order.get(a.criterion, len(order)))
    profile_ref = report.profile
    if profile is not None:
        profile_ref = ProfileRef(
            name=profile.name,
            digest=profile_digest(profile),
            path=(
                profile_path
                if profile_path is not None
                else (report.profile.path if report.profile else "")
            ),
        )
    updated = report.model_copy(
        update={
            "criteria": CriteriaRef(
                id=criteria.id, version=criteria.version, digest=criteria_digest(criteria)
            ),
            "profile": profile_ref,
            "answers": answers,
            "results": scoring.compute(criteria, answers, profile),
            "provenance": report.provenance.model_copy(update={"tool": TOOL}),
            "digest": None,
        }
    )
    return updated.model_copy(update={"digest": report_digest(updated)})


def with_answer(report: Report, answer: Answer) -> Report:
    """The report with one answer set (replacing any earlier answer to the same criterion)."""
    answers = [a for a in report.answers if a.criterion != answer.criterion]
    answers.append(answer)
    provenance = report.provenance.model_copy(update={"modified": now()})
    return report.model_copy(update={"answers": answers, "provenance": provenance})


def load_report(path: Path) -> Report:
    """Read and validate a report file (the format only; see `load_scored` for the criteria too)."""
    return read_model(Path(path), Report)


def save_report(path: Path, report: Report, *, overwrite: bool = True) -> str:
    """Write a report atomically; returns the text written."""
    return write_model(Path(path), report, schema="report", overwrite=overwrite)


@dataclass(slots=True)
class Scored:
    """A report with the criteria set and profile it refers to, resolved and checked."""

    path: Path
    report: Report
    criteria: CriteriaSet
    profile: Profile | None
    profile_path: Path | None
    notes: list[str]
    """Non-fatal remarks (e.g. the installed criteria differ from the ones the report names)."""


def profile_location(report_path: Path, report: Report) -> Path | None:
    """Where the report's profile file should be, from the path hint it records, when the hint
    may be followed (see `hint_refusal`); None otherwise."""
    if report.profile is None or not report.profile.path:
        return None
    if hint_refusal(report.profile.path) is not None:
        return None
    return Path(report_path).parent / report.profile.path


def hint_refusal(hint: str) -> str | None:
    """Why a profile path recorded in a report is not followed, or None when it is.

    A report is data from whoever sent it, so the files it names are opened only where the user
    put them beside it: a `.toml` file in the report's folder or below, not hidden. Anything else
    (an absolute path, `..`, a device) needs the user's `--profile FILE`.
    """
    parts = PurePosixPath(hint.replace("\\", "/")).parts
    if (
        not parts
        or hint.startswith(("/", "\\", "~"))
        or PureWindowsPath(hint).drive
        or any(part == ".." or part.startswith(".") for part in parts)
    ):
        return "it is outside the report's folder"
    if not parts[-1].endswith(".toml"):
        return "it does not name a .toml file"
    return None


def unfollowed(report: Report) -> str:
    """`; its recorded path 'x' is not followed (why)`, for a report whose hint is refused."""
    hint = report.profile.path if report.profile is not None else ""
    refusal = hint_refusal(hint) if hint else None
    if refusal is None:
        return ""
    return f"; its recorded path {shown(hint)!r} is not followed ({refusal})"


def relative_hint(profile_path: Path, report_path: Path) -> str:
    """The profile's path relative to the report's folder (for `ProfileRef.path`)."""
    # realpath rather than Path.resolve: it never raises, even on a link loop.
    profile = os.path.realpath(profile_path)
    try:
        return os.path.relpath(profile, os.path.dirname(os.path.realpath(report_path)))
    except ValueError:
        return profile


def load_scored(
    path: Path,
    *,
    profile_path: Path | None = None,
    criteria_ref: str | None = None,
) -> Scored:
    """Read a report and resolve its criteria set and profile; every mismatch is a LoadError line."""
    name = str(path)
    report = load_report(Path(path))
    notes: list[str] = []
    try:
        criteria = find_criteria(criteria_ref or report.criteria.id, report.criteria.version)
    except NotFoundError as exc:
        if criteria_ref:
            raise
        # The exact version is not installed: score against the installed one and say so.
        criteria = find_criteria(report.criteria.id)
        notes.append(f"{name}: criteria: {exc.problems[0]}; scored with version {criteria.version}")
    if (
        report.criteria.digest is not None
        and criteria_digest(criteria) != report.criteria.digest
        and criteria.version == report.criteria.version
    ):
        notes.append(
            f"{name}: criteria.digest: the installed {criteria.id} {criteria.version} differs from the"
            " one the report was scored against"
        )
    profile: Profile | None = None
    used_profile_path = profile_path or profile_location(Path(path), report)
    if used_profile_path is not None:
        try:
            profile, _ = load_profile(used_profile_path, criteria)
        except ReadError as exc:
            raise LoadError(
                [Problem(name, "profile", line, Code.PROFILE_INVALID) for line in exc.problems]
            ) from None
        except NotFoundError:
            if profile_path is not None:
                raise
            raise LoadError(
                Problem(
                    name,
                    "profile",
                    f"the report was scored with profile {report.profile.name!r}"  # type: ignore[union-attr]
                    f" but {used_profile_path} does not exist; pass --profile FILE",
                    Code.PROFILE_NOT_FOUND,
                )
            ) from None
    elif report.profile is not None:
        raise LoadError(
            Problem(
                name,
                "profile",
                f"the report was scored with profile {report.profile.name!r}"
                + unfollowed(report)
                + "; pass --profile FILE",
                Code.PROFILE_NOT_FOUND,
            )
        )
    problems = check_answers(report, criteria, name)
    if problems:
        raise LoadError(problems)
    return Scored(Path(path), report, criteria, profile, used_profile_path, notes)
