"""Fixtures for the review tests: a scored report on the mini set, saved where verify can find its
criteria, and throwaway SSH keys made by ssh-keygen in the test's own folder."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Package,
    Report,
)

DATA = Path(__file__).parent.parent / "data"
MINI_SET = DATA / "sets" / "mini.toml"

ASSESSOR = "Ann Assessor"
REVIEWER = "Rita Reviewer"


@pytest.fixture
def mini() -> CriteriaSet:
    return load_criteria(MINI_SET)


def answered(criteria: CriteriaSet) -> Report:
    """A complete assessment of a made-up package on the mini set, every answer with evidence."""
    report = new_report(
        Package(name="Mini package", date="2026-01-06", guarantors=["C"]),
        criteria,
        assessor=ASSESSOR,
    )
    for answer in (
        Answer(
            criterion="guarantor",
            level="named",
            rationale="C is named but commits to nothing.",
            evidence=["C shall guarantee"],
            confidence=Confidence.HIGH,
        ),
        Answer(
            criterion="force",
            level="some",
            rationale="A small contingent.",
            evidence=["a contingent of 5,000"],
            confidence=Confidence.MEDIUM,
        ),
        Answer(
            criterion="aid",
            status=AnswerStatus.NOT_APPLICABLE,
            reason="Aid is handled in a separate agreement.",
            rationale="Out of scope of this text.",
        ),
    ):
        report = with_answer(report, answer)
    return finalize(report, criteria)


@pytest.fixture
def report(mini: CriteriaSet) -> Report:
    return answered(mini)


@pytest.fixture
def saved(tmp_path: Path, fixture_sets: Path) -> Callable[[Report, str], Path]:
    """Save a report into the test's folder (with the mini set findable by id); returns its path."""

    def save(report: Report, name: str = "report.toml") -> Path:
        path = tmp_path / name
        save_report(path, report)
        return path

    return save


@pytest.fixture
def make_key(tmp_path: Path) -> Callable[[str], Path]:
    """A new ed25519 key pair without passphrase in the test's folder; returns the private key."""
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen (OpenSSH) is not installed")

    def make(name: str) -> Path:
        key = tmp_path / "keys" / name
        key.parent.mkdir(exist_ok=True)
        subprocess.run(
            ["ssh-keygen", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key), "-q"],
            check=True,
        )
        return key

    return make


@pytest.fixture
def allowed_signers(tmp_path: Path) -> Callable[..., Path]:
    """Write an allowed-signers file granting each (principal, key) our namespace; returns it."""

    def write(*entries: tuple[str, Path], name: str = "allowed_signers") -> Path:
        lines = []
        for principal, key in entries:
            kind, blob = key.with_name(key.name + ".pub").read_text().split()[:2]
            lines.append(f'{principal} namespaces="guaranteekit" {kind} {blob}\n')
        path = tmp_path / name
        path.write_text("".join(lines))
        return path

    return write
