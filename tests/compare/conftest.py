"""Fixture reports for the comparison documents, written once per session with fixed dates.

mini 1 (tests/data/sets/mini.toml): guarantor (weight 2; none 0, named .5, bound 1; gate: below
`named` caps the verdict at `low`), force (weight 1; none 0, some .5, many 1), aid (weight 1; none 0,
yes 1). Bands: low from 0, mid from 40, high from 75. mini 2 (data/sets/mini-v2.toml) weighs force 3.

The reports are built with the public API (`new_report`, `with_answer`, `finalize`) under a fixed
tool name, so that their digests, and the golden documents that show them, do not change with the
package version. Tests run the CLI from inside the folder with relative names, as a user would.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guaranteekit.formats import assessment
from guaranteekit.formats.assessment import (
    content_digest,
    finalize,
    new_report,
    save_report,
    with_answer,
)
from guaranteekit.formats.catalog import load_criteria, load_profile
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Package,
    Profile,
    ReviewEntry,
    ReviewKind,
)

HERE = Path(__file__).parent
SETS = [HERE.parent / "data" / "sets", HERE / "data" / "sets"]
MINI = load_criteria(SETS[0] / "mini.toml")
MINI_2 = load_criteria(SETS[1] / "mini-v2.toml")
PROFILE_FILE = HERE / "data" / "profile-aid-off.toml"
FIXED = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)
FIXED_TOOL = "guaranteekit VERSION"
"""The tool name written into fixture reports (and substituted in golden documents)."""

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_RATIONALE = "</td><img src=x onerror=alert(1)>"


def level(cid: str, level_id: str, rationale: str = "", *evidence: str, confidence: str = "high"):
    return Answer(
        criterion=cid,
        level=level_id,
        rationale=rationale,
        evidence=list(evidence),
        confidence=Confidence(confidence),
    )


def unknown(cid: str, rationale: str = "") -> Answer:
    return Answer(criterion=cid, status=AnswerStatus.UNKNOWN, rationale=rationale)


def not_applicable(cid: str, reason: str) -> Answer:
    return Answer(criterion=cid, status=AnswerStatus.NOT_APPLICABLE, reason=reason)


def write(
    path: Path,
    package: Package,
    answers: list[Answer],
    *,
    criteria: CriteriaSet = MINI,
    profile: Profile | None = None,
    profile_path: str = "",
    comment: str = "",
) -> Path:
    """A finalized report at `path`, with fixed provenance dates (and an optional review comment)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assessment, "TOOL", FIXED_TOOL)
        report = new_report(
            package, criteria, profile, profile_path=profile_path, assessor="Test Analyst"
        )
        for answer in answers:
            report = with_answer(report, answer)
        provenance = report.provenance.model_copy(update={"created": FIXED, "modified": FIXED})
        report = finalize(report.model_copy(update={"provenance": provenance}), criteria, profile)
        if comment:
            entry = ReviewEntry(
                kind=ReviewKind.COMMENT,
                author="Reviewer",
                at=FIXED,
                criterion="force",
                text=comment,
                content_digest=content_digest(report),
            )
            review = report.review.model_copy(update={"entries": [entry]})
            report = finalize(report.model_copy(update={"review": review}), criteria, profile)
    save_report(path, report, overwrite=True)
    return path


def build_reports(folder: Path) -> dict[str, Path]:
    """Every fixture report, by short name."""
    paths: dict[str, Path] = {}

    def add(name: str, *args, **kwargs) -> None:
        paths[name] = write(folder / f"{name}.toml", *args, **kwargs)

    # Three rounds of one draft: the gate lifts in round 2; in round 3 aid becomes not applicable,
    # so the total weight falls from 4 to 3 and force's unchanged answer is re-weighted.
    add(
        "round1",
        Package(name="Paris draft", round="R1", date="2026-01-01", guarantors=[]),
        [level("guarantor", "none", "No guarantor is named."), unknown("force")],
    )
    add(
        "round2",
        Package(name="Paris draft", round="R2", date="2026-01-08", guarantors=["France"]),
        [
            level(
                "guarantor",
                "named",
                "France is named but commits to nothing.",
                "France shall guarantee",
                confidence="medium",
            ),
            level("force", "some", "A contingent of 5,000.", "a contingent of 5,000"),
            level("aid", "none", "No aid is committed."),
        ],
    )
    add(
        "round3",
        Package(name="Paris draft", round="R3", date="2026-01-15", guarantors=["France"]),
        [
            level(
                "guarantor",
                "bound",
                "France commits in writing to respond.",
                "France shall respond to any violation",
            ),
            level("force", "some", "A contingent of 5,000.", "a contingent of 5,000"),
            not_applicable("aid", "Aid moved to a separate agreement."),
        ],
    )
    # Three packages to compare, with Markdown-significant text in them.
    add(
        "plan-a",
        Package(
            name="Plan A",
            date="2026-01-02",
            parties=["Ukraine", "Coalition"],
            guarantors=["UK", "France"],
            source="Draft text of 2 January",
            summary="A *coalition* force with [air cover] | and aid.",
        ),
        [
            level("guarantor", "bound", "Both commit_to respond.", "The guarantors *shall* act"),
            level("force", "some", "A brigade | two battalions.", confidence="low"),
            level("aid", "yes", "Ten-year aid.", "EUR 5bn a year"),
        ],
        comment="Is the brigade really deployed?",
    )
    add(
        "plan-b",
        Package(name="Plan B", date="2026-01-03"),
        [
            level("guarantor", "named", "A guarantor is named."),
            level("force", "many", "A large force."),
            level("aid", "none", "No aid."),
        ],
    )
    add(
        "plan-c",
        Package(name="Plan C", date="2026-01-04"),
        [
            level("guarantor", "none", "# Nobody is named.\n- not even a list"),
            level("force", "many", "A large force."),
            level("aid", "yes", "Aid."),
        ],
    )
    add(
        "hostile",
        Package(name=HOSTILE_NAME, date="2026-01-05", source="<a href=javascript:alert(1)>x</a>"),
        [
            level("guarantor", "bound", HOSTILE_RATIONALE, "<svg onload=alert(1)>"),
            level("force", "some", "\x1b[31mred\x1b[0m and ]]> and {{ 7*7 }}"),
            level("aid", "yes", "ok"),
        ],
    )
    add(
        "v2",
        Package(name="Plan A, scored with mini 2", date="2026-01-02"),
        [level("guarantor", "bound"), level("force", "some"), level("aid", "yes")],
        criteria=MINI_2,
    )
    profile_copy = folder / PROFILE_FILE.name
    shutil.copyfile(PROFILE_FILE, profile_copy)
    profile, _ = load_profile(profile_copy, MINI)
    add(
        "profiled",
        Package(name="Plan A with the aid-off profile", date="2026-01-02"),
        [level("guarantor", "bound"), level("force", "some"), level("aid", "yes")],
        profile=profile,
        profile_path=PROFILE_FILE.name,
    )
    return paths


@pytest.fixture(scope="session")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture reports, written once; tests must not change them."""
    return build_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture(autouse=True)
def criteria_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """mini 1 and mini 2 findable by id, as a user's own folder of sets would be."""
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", os.pathsep.join(str(p) for p in SETS))


@pytest.fixture
def in_reports(report_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run from inside the reports folder, so documents name the files as a user typed them."""
    folder = next(iter(report_files.values())).parent
    monkeypatch.chdir(folder)
    yield folder
