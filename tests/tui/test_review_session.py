"""The session's review trail, without a terminal: review steps count as unsaved changes, review
mode locks the answers, a step may not change the content, and saving keeps the on-disk change check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from guaranteekit.errors import WriteError
from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import Answer, ReviewKind
from guaranteekit.review import trail as review
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.session import ChangedOnDisk, Session

from .conftest import write_mini_report

ANSWERS = [
    Answer(criterion="guarantor", level="named", rationale="r", evidence=["e"]),
    Answer(criterion="force", level="some", rationale="r", evidence=["e"]),
]


def test_a_review_step_is_an_unsaved_change_until_saved(tmp_path: Path) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=ANSWERS)
    session = Session.for_review(path)
    assert not session.dirty
    session.add_review(lambda r: review.accept(r, "Rita", "guarantor"))
    assert session.dirty
    assert [e.kind for e in load_report(draft_path(path)).review.entries] == [ReviewKind.ACCEPT]
    session.save()
    assert not session.dirty and not draft_path(path).exists()
    assert [e.criterion for e in load_report(path).review.entries] == ["guarantor"]


def test_review_mode_locks_answers_and_package(tmp_path: Path) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=ANSWERS)
    session = Session.for_review(path)
    with pytest.raises(WriteError, match="opened for review"):
        session.choose_level("guarantor", "bound")
    with pytest.raises(WriteError, match="opened for review"):
        session.set_package(session.report.package.model_copy(update={"name": "Other"}))
    assert session.report.answer("guarantor").level == "named"  # type: ignore[union-attr]
    session.close()
    # The assessor's session (not reviewing) changes answers as before.
    assessor = Session.open(path)
    assessor.choose_level("guarantor", "bound")
    assert assessor.dirty


def test_a_step_that_changes_the_content_is_refused(tmp_path: Path) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=ANSWERS)
    session = Session.open(path)
    before = session.report
    with pytest.raises(WriteError, match="must not change the answers"):
        session.add_review(lambda r: r.model_copy(update={"answers": r.answers[:1]}))
    assert session.report == before


def test_saving_a_review_asks_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = write_mini_report(tmp_path / "r.toml", answers=ANSWERS)
    session = Session.for_review(path)
    session.add_review(lambda r: review.dispute(r, "Rita", "force", "Too few."))
    theirs = path.read_bytes().replace(b"Mini package", b"Edited elsewhere")
    path.write_bytes(theirs)
    with pytest.raises(ChangedOnDisk):
        session.save()
    assert path.read_bytes() == theirs


@pytest.mark.parametrize(
    "module",
    [
        "guaranteekit.tui.session",
        "guaranteekit.tui.drafts",
        "guaranteekit.tui.package_form",
        "guaranteekit.tui.recent",
        "guaranteekit.tui.compare_paths",
        "guaranteekit.tui.terminal",
    ],
)
def test_the_headless_modules_do_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
