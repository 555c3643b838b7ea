"""The session behind the TUI, without a terminal: drafts, recovery, changes on disk, undo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guaranteekit.errors import WriteError
from guaranteekit.formats.assessment import content_digest, load_report, save_report
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import AnswerStatus, Confidence, Package
from guaranteekit.tui.drafts import draft_path, find_recovery
from guaranteekit.tui.session import ChangedOnDisk, Session

from .conftest import MINI_PACKAGE, MINI_SET, write_mini_report


@pytest.fixture
def criteria():
    return load_criteria(MINI_SET)


def test_new_session_writes_a_draft_at_once_and_not_the_report(tmp_path: Path, criteria) -> None:
    target = tmp_path / "r.toml"
    session = Session.start(target, MINI_PACKAGE, criteria)
    assert not target.exists()
    assert load_report(draft_path(target)).package == MINI_PACKAGE
    assert session.dirty and session.is_new


def test_new_session_refuses_an_existing_file(tmp_path: Path, criteria) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    with pytest.raises(WriteError, match="already exists"):
        Session.start(target, MINI_PACKAGE, criteria)


def test_every_change_reaches_the_draft(tmp_path: Path, criteria) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, criteria)
    session.choose_level("guarantor", "bound")
    session.set_notes("guarantor", rationale="Named and bound.", evidence=["C shall", " ", "D"])
    session.mark_not_applicable("aid", "Handled elsewhere.")
    session.mark_unknown("force")
    draft = load_report(session.draft)
    by_id = {a.criterion: a for a in draft.answers}
    assert by_id["guarantor"].level == "bound"
    assert by_id["guarantor"].rationale == "Named and bound."
    assert by_id["guarantor"].evidence == ["C shall", "D"]
    assert by_id["aid"].status is AnswerStatus.NOT_APPLICABLE
    assert by_id["aid"].reason == "Handled elsewhere."
    assert by_id["force"].status is AnswerStatus.UNKNOWN
    assert draft.results == session.results


def test_choosing_a_level_keeps_rationale_evidence_and_confidence(tmp_path: Path, criteria) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, criteria)
    session.choose_level("force", "none")
    session.set_notes("force", rationale="why", evidence=["q"], confidence=Confidence.LOW)
    session.choose_level("force", "many")
    answer = session.answer("force")
    assert answer is not None
    assert (answer.level, answer.rationale, answer.evidence, answer.confidence) == (
        "many",
        "why",
        ["q"],
        Confidence.LOW,
    )


def test_not_applicable_needs_a_reason_and_notes_need_an_answer(tmp_path: Path, criteria) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, criteria)
    with pytest.raises(WriteError, match="reason"):
        session.mark_not_applicable("aid", "   ")
    with pytest.raises(WriteError, match="choose a level"):
        session.set_notes("aid", rationale="x")
    with pytest.raises(KeyError):
        session.choose_level("aid", "no-such-level")
    assert session.answer("aid") is None


def test_results_change_with_answers(tmp_path: Path, criteria) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, criteria)
    assert session.results.score is None and session.results.provisional
    session.choose_level("guarantor", "none")
    assert session.results.gates_fired == ["guarantor"]
    session.choose_level("guarantor", "bound")
    session.choose_level("force", "many")
    session.choose_level("aid", "yes")
    assert session.results.score == 100.0 and not session.results.provisional
    session.clear_answer("aid")
    assert session.results.unanswered == ["aid"]


def test_save_writes_the_report_and_removes_the_draft(tmp_path: Path, criteria) -> None:
    target = tmp_path / "r.toml"
    session = Session.start(target, MINI_PACKAGE, criteria)
    session.choose_level("guarantor", "named")
    session.save()
    assert not session.draft.exists()
    assert not session.dirty
    saved = load_report(target)
    assert saved.answer("guarantor").level == "named"  # type: ignore[union-attr]
    assert content_digest(saved) == content_digest(session.report)


def test_reopened_report_is_not_dirty_until_changed(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    session = Session.open(target)
    assert not session.dirty and not session.is_new
    session.choose_level("force", "some")
    assert session.dirty
    session.clear_answer("force")
    assert not session.dirty  # back to what is saved


def test_recovery_offers_a_newer_draft_and_accepting_restores_it(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    first = Session.open(target)
    first.choose_level("guarantor", "bound")
    first.mark_not_applicable("aid", "elsewhere")
    # The app is killed here: no save, and the kernel drops its lock. A new session on the same
    # file finds the draft.
    first.close()
    second = Session.open(target)
    recovery = second.recovery()
    assert recovery is not None
    assert sorted(recovery.changed) == ["aid", "guarantor"]
    second.accept_recovery(recovery)
    assert second.answer("guarantor").level == "bound"  # type: ignore[union-attr]
    assert second.answer("aid").reason == "elsewhere"  # type: ignore[union-attr]
    assert second.dirty


def test_no_recovery_when_draft_matches_or_is_older(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    session = Session.open(target)
    session.write_draft()  # same content as the report
    assert session.recovery() is None
    session.choose_level("force", "many")
    session.close()
    # The report is saved again later (say by another copy of the app): the draft is stale.
    later = os.stat(session.draft).st_mtime_ns + 5_000_000_000
    os.utime(target, ns=(later, later))
    assert Session.open(target).recovery() is None


def test_unreadable_draft_is_not_offered(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    draft_path(target).write_text("not = [toml")
    assert Session.open(target).recovery() is None


def test_draft_of_a_never_saved_report_is_found(tmp_path: Path, criteria, mini_env: Path) -> None:
    target = tmp_path / "r.toml"
    session = Session.start(target, MINI_PACKAGE, criteria)
    session.choose_level("force", "some")
    recovery = find_recovery(target, None)
    assert recovery is not None and recovery.changed == ["force"]
    session.close()
    rebuilt = Session.from_draft(target)
    assert rebuilt.answer("force").level == "some"  # type: ignore[union-attr]
    assert rebuilt.is_new and rebuilt.dirty


def test_save_refuses_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    session = Session.open(target)
    session.choose_level("force", "many")
    theirs = target.read_bytes() + b"\n# edited by someone else\n"
    target.write_bytes(theirs)
    assert session.changed_on_disk()
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        session.save()
    assert target.read_bytes() == theirs
    assert session.draft.exists()
    session.save(force=True)
    assert load_report(target).answer("force").level == "many"  # type: ignore[union-attr]
    assert not session.changed_on_disk()


def test_touching_the_file_without_changing_it_is_not_a_change(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    session = Session.open(target)
    later = os.stat(target).st_mtime_ns + 10_000_000_000
    os.utime(target, ns=(later, later))
    assert not session.changed_on_disk()


def test_a_new_report_created_by_someone_else_meanwhile_is_a_change(
    tmp_path: Path, criteria
) -> None:
    target = tmp_path / "r.toml"
    session = Session.start(target, MINI_PACKAGE, criteria)
    target.write_text("someone else's file")
    with pytest.raises(ChangedOnDisk, match="was created"):
        session.save()
    assert target.read_text() == "someone else's file"


def test_read_only_session_refuses_changes_and_saves(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    before = target.read_bytes()
    session = Session.open(target, read_only=True)
    with pytest.raises(WriteError, match="read-only"):
        session.choose_level("force", "many")
    with pytest.raises(WriteError, match="read-only"):
        session.save()
    assert target.read_bytes() == before
    assert not session.draft.exists()


def test_set_package_changes_the_draft(tmp_path: Path) -> None:
    target = write_mini_report(tmp_path / "r.toml")
    session = Session.open(target)
    session.set_package(MINI_PACKAGE.model_copy(update={"name": "Renamed"}))
    assert load_report(session.draft).package.name == "Renamed"
    assert session.dirty


def test_saved_report_passes_save_report_round_trip(tmp_path: Path, criteria) -> None:
    """What the session saves reads back exactly as written (the core's writer is used)."""
    target = tmp_path / "r.toml"
    session = Session.start(target, Package(name="P"), criteria)
    session.choose_level("aid", "yes")
    session.save()
    again = tmp_path / "again.toml"
    save_report(again, load_report(target))
    assert again.read_bytes() == target.read_bytes()


def test_a_full_assessment_of_the_builtin_set_saves_a_report_that_verifies(
    tmp_path: Path,
) -> None:
    # Every criterion of the built-in set answered through the session, as the screen calls it:
    # the first not applicable with its reason only (the reason counts as the rationale).
    from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
    from guaranteekit.verify.checks import verify_file

    builtin = find_criteria(DEFAULT_CRITERIA)
    target = tmp_path / "round-1.toml"
    session = Session.start(target, Package(name="US 20-point plan"), builtin)
    for index, criterion in enumerate(builtin.criteria):
        if index == 0:
            session.mark_not_applicable(criterion.id, "Handled by a separate treaty")
            continue
        level = criterion.levels[index % len(criterion.levels)]
        session.choose_level(criterion.id, level.id)
        session.set_notes(criterion.id, rationale=f"Reading {index}.", evidence=["quoted text"])
        session.set_confidence(criterion.id, Confidence.HIGH)
    listed = [(p.code, p.where) for p in session.problems()]
    session.save()
    result = verify_file(target)
    assert result.ok, [(p.code, p.where, p.message) for p in result.problems]
    assert [(p.code, p.where) for p in result.problems] == listed  # what the UI lists before saving
    assert len(load_report(target).answers) == len(builtin.criteria)
    session.close()


def test_what_the_ui_lists_before_saving_is_what_verify_reports(tmp_path: Path, criteria) -> None:
    from guaranteekit.verify.checks import verify_file

    target = tmp_path / "r.toml"
    session = Session.start(target, MINI_PACKAGE, criteria)
    session.choose_level("guarantor", "bound")  # no rationale, no evidence, no confidence
    session.mark_unknown("force")
    listed = [(p.severity.value, p.code, p.where, p.message) for p in session.problems()]
    codes = {code for _, code, _, _ in listed}
    assert {"unanswered", "no-rationale", "confidence-unset", "unknown-answer"} <= codes
    session.save()
    verified = verify_file(target)
    assert [(p.severity.value, p.code, p.where, p.message) for p in verified.problems] == listed
    session.close()


def test_undo_and_redo_step_through_answer_changes(tmp_path: Path, criteria) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, criteria)
    assert session.undo() is None
    session.choose_level("force", "none")
    session.set_notes("force", rationale="typed", evidence=["q"])  # text: not an undo step
    session.set_confidence("force", Confidence.LOW)
    session.choose_level("force", "many")
    assert session.undo() == "force"
    assert session.answer("force").level == "none"  # type: ignore[union-attr]
    assert session.answer("force").confidence is Confidence.LOW  # type: ignore[union-attr]
    assert session.undo() == "force"
    assert session.answer("force").confidence is None  # type: ignore[union-attr]
    assert session.answer("force").rationale == "typed"  # type: ignore[union-attr]
    assert session.undo() == "force"
    assert session.answer("force") is None
    assert session.redo() == "force" and session.redo() == "force"
    answer = session.answer("force")
    assert answer is not None and answer.rationale == "typed" and answer.evidence == ["q"]
    assert answer.confidence is Confidence.LOW
    session.mark_unknown("force")  # a new change drops what could be redone
    assert not session.can_redo
    assert load_report(session.draft).answer("force").status is AnswerStatus.UNKNOWN  # type: ignore[union-attr]
    session.close()
