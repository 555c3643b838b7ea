"""The review trail API: what each step records, how states follow, and the steps it refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guaranteekit.formats.assessment import content_digest, finalize, report_digest, with_answer
from guaranteekit.formats.models import (
    CriteriaSet,
    Report,
    ReviewKind,
    SignoffDecision,
)
from guaranteekit.review import trail as review
from guaranteekit.review.trail import ReviewError, State

REVIEWER = "Rita Reviewer"
ASSESSOR = "Ann Assessor"
WHEN = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)


def changed(report: Report, mini: CriteriaSet, level: str = "bound") -> Report:
    """The report after the assessor changes the guarantor answer and saves."""
    answer = report.answer("guarantor")
    assert answer is not None and answer.level != level
    return finalize(with_answer(report, answer.model_copy(update={"level": level})), mini)


def test_an_entry_records_who_when_what_and_the_content(report: Report) -> None:
    after = review.dispute(report, REVIEWER, "force", "  5,000 is not a contingent.  ", at=WHEN)
    [entry] = after.review.entries
    assert entry.kind is ReviewKind.DISPUTE
    assert (entry.author, entry.at, entry.criterion) == (REVIEWER, WHEN, "force")
    assert entry.text == "5,000 is not a contingent."
    assert entry.content_digest == content_digest(report)
    # The trail is not content: the content digest is unchanged, the report digest follows.
    assert content_digest(after) == content_digest(report)
    assert after.digest == report_digest(after) != report.digest
    assert report.review.entries == []  # the input is not modified


def test_states_follow_the_trail(report: Report) -> None:
    assert {c: r.state for c, r in review.review_state(report).items()} == {
        "guarantor": State.UNREVIEWED,
        "force": State.UNREVIEWED,
        "aid": State.UNREVIEWED,
    }
    report = review.accept(report, REVIEWER, "guarantor")
    report = review.dispute(report, REVIEWER, "force", "Too generous.")
    states = review.review_state(report)
    assert states["guarantor"].state is State.ACCEPTED
    assert states["force"].state is State.DISPUTED and states["force"].open
    assert states["aid"].state is State.UNREVIEWED

    report = review.reply(report, ASSESSOR, "force", "The text says 5,000.")
    assert review.review_state(report)["force"].state is State.DISPUTED
    assert [e.kind for e in review.review_state(report)["force"].thread] == [
        ReviewKind.DISPUTE,
        ReviewKind.REPLY,
    ]
    report = review.resolve(report, REVIEWER, "force", "Fair enough.")
    assert review.review_state(report)["force"].state is State.RESOLVED
    assert review.open_disputes(report) == []
    # The thread stays in the trail after the resolution.
    assert len(review.threads(report)["force"]) == 3


def test_a_dispute_is_open_until_resolved_or_accepted(report: Report) -> None:
    report = review.dispute(report, REVIEWER, "force", "Too generous.")
    report = review.comment(report, REVIEWER, "Also check the annex.", "force")
    report = review.reply(report, ASSESSOR, "force", "Checked.")
    assert [(i, e.criterion) for i, e in review.open_disputes(report)] == [(0, "force")]
    accepted = review.accept(report, REVIEWER, "force", "Convinced by the reply.")
    assert review.open_disputes(accepted) == []
    assert review.review_state(accepted)["force"].state is State.ACCEPTED


def test_changing_the_answer_does_not_close_a_dispute_but_marks_it(
    report: Report, mini: CriteriaSet
) -> None:
    report = review.dispute(report, REVIEWER, "guarantor", "C commits to more than that.")
    assert not review.review_state(report)["guarantor"].stale
    report = changed(report, mini)
    state = review.review_state(report)["guarantor"]
    assert state.state is State.DISPUTED and state.stale
    assert len(review.open_disputes(report)) == 1


def test_an_answer_change_makes_its_own_accepts_and_every_signoff_stale(
    report: Report, mini: CriteriaSet
) -> None:
    report = review.accept(report, REVIEWER, "force")
    report = review.accept(report, REVIEWER, "guarantor")
    report = review.sign_off(report, REVIEWER, "approved")
    status = review.signoff_status(report)
    assert status.approved and not status.stale and status.index == 2
    report = changed(report, mini)  # the guarantor answer only
    assert not review.review_state(report)["force"].stale
    assert review.review_state(report)["guarantor"].stale
    status = review.signoff_status(report)
    assert status.entry is not None and status.stale and not status.approved
    assert [i for i, _ in review.stale_entries(report)] == [1, 2]


def test_an_approval_over_an_accept_of_an_earlier_answer_is_stale(
    report: Report, mini: CriteriaSet
) -> None:
    report = review.accept(report, REVIEWER, "guarantor")
    report = changed(report, mini)
    report = review.sign_off(report, REVIEWER, "approved")
    status = review.signoff_status(report)
    assert status.stale and not status.approved
    assert status.stale_accepts == ("guarantor",)
    # Looking again and accepting the answer as it is makes the approval current.
    report = review.accept(report, REVIEWER, "guarantor")
    assert review.signoff_status(report).approved


def test_entries_written_before_answer_digests_go_stale_with_any_answer(
    report: Report, mini: CriteriaSet
) -> None:
    report = review.accept(report, REVIEWER, "force")
    entry = report.review.entries[0].model_copy(update={"answer_digest": None})
    report = report.model_copy(
        update={"review": report.review.model_copy(update={"entries": [entry]})}
    )
    report = changed(report, mini)  # another answer than the accepted one
    assert review.review_state(report)["force"].stale


def test_only_the_latest_signoff_counts(report: Report) -> None:
    report = review.sign_off(report, REVIEWER, SignoffDecision.CHANGES_REQUESTED)
    report = review.sign_off(report, "Second Reviewer", "approved", "Looks right now.")
    status = review.signoff_status(report)
    assert status.entry is not None and status.entry.author == "Second Reviewer"
    assert status.approved
    assert review.signoff_status(review.comment(report, REVIEWER, "Thanks")).index == 1


def test_approval_is_refused_while_a_dispute_is_open(report: Report) -> None:
    report = review.dispute(report, REVIEWER, "force", "Too generous.")
    with pytest.raises(
        ReviewError, match=r"cannot approve while 1 dispute\(s\) are open \(force\)"
    ):
        review.sign_off(report, REVIEWER, "approved")
    review.sign_off(report, REVIEWER, "changes_requested")  # allowed


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (lambda r: review.dispute(r, REVIEWER, "force", "   "), "a dispute needs text"),
        (lambda r: review.reply(r, ASSESSOR, "force", "Why?"), "nothing to reply to"),
        (lambda r: review.resolve(r, REVIEWER, "force"), "no open dispute to resolve"),
        (lambda r: review.accept(r, REVIEWER, "monitoring"), "'monitoring' has no answer"),
        (lambda r: review.comment(r, REVIEWER, "x", "monitoring"), "unknown criterion"),
        (lambda r: review.accept(r, "  \n ", "force"), "the author's name is empty"),
        (lambda r: review.sign_off(r, REVIEWER, "maybe"), "not a valid SignoffDecision"),
        (lambda r: review.add_entry(r, "signoff", REVIEWER), "a sign-off needs a decision"),
        (
            lambda r: review.add_entry(r, "signoff", REVIEWER, "force", decision="approved"),
            "covers the whole report",
        ),
        (lambda r: review.add_entry(r, "accept", REVIEWER), "needs the criterion"),
        (
            lambda r: review.add_entry(r, "accept", REVIEWER, "force", decision="approved"),
            "takes no decision",
        ),
        (lambda r: review.add_entry(r, "praise", REVIEWER), "not a valid ReviewKind"),
    ],
)
def test_steps_that_do_not_fit_are_refused(report: Report, step, words: str) -> None:
    with pytest.raises(ReviewError, match=words):
        step(report)


def test_an_unanswered_criterion_can_be_disputed_when_the_set_is_given(
    report: Report, mini: CriteriaSet
) -> None:
    bare = report.model_copy(update={"answers": report.answers[:1]})
    with pytest.raises(ReviewError, match="unknown criterion"):
        review.dispute(bare, REVIEWER, "force", "Why is this unanswered?")
    after = review.dispute(bare, REVIEWER, "force", "Why is this unanswered?", criteria=mini)
    assert review.review_state(after)["force"].state is State.DISPUTED


def test_a_review_does_not_bless_a_hand_edit(report: Report) -> None:
    edited = report.model_copy(update={"package": report.package.model_copy(update={"name": "X"})})
    assert edited.digest != report_digest(edited)
    after = review.comment(edited, REVIEWER, "Looks fine.")
    assert after.digest == edited.digest != report_digest(after)


def test_summary_counts_states_and_names_the_signoff(report: Report) -> None:
    report = review.dispute(report, REVIEWER, "force", "Too generous.")
    report = review.accept(report, REVIEWER, "guarantor")
    report = review.sign_off(report, REVIEWER, "changes_requested", at=WHEN)
    assert review.summary(report).model_dump() == {
        "entries": 3,
        "states": {"unreviewed": 1, "accepted": 1, "disputed": 1, "resolved": 0},
        "open_disputes": 1,
        "signoff": {
            "author": REVIEWER,
            "decision": "changes_requested",
            "at": "2026-02-01T09:30:00+00:00",
            "stale": False,
        },
        "signatures": [],
    }


@pytest.mark.parametrize(
    ("older", "newer"),
    [("1", "2"), ("1.9", "1.10"), ("1", "1.0.1"), ("2025-12", "2026-01"), ("v1.2", "1.3")],
)
def test_version_order(older: str, newer: str) -> None:
    assert review.version_key(older) < review.version_key(newer)


def test_trailing_zeros_do_not_make_a_version_newer() -> None:
    assert review.version_key("1.0") == review.version_key("1") == review.version_key("1.0.0")
