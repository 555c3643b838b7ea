"""Quoting through the assessment session (what the draft view calls), without a terminal; and
the passages the view lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.passages import matching, passages, term_spans
from guaranteekit.drafts.read import read_draft
from guaranteekit.drafts.units import split_units
from guaranteekit.errors import WriteError
from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Package
from guaranteekit.tui.session import Session

from .conftest import DRAFTS, SET, write_round3


def test_a_new_session_with_a_draft_quotes_and_unquotes(tmp_path: Path) -> None:
    session = Session.start(
        tmp_path / "r.toml",
        Package(name="Framework"),
        load_criteria(SET),
        attached=read_draft(DRAFTS / "round3.docx"),
    )
    text = session.attached_text()
    assert text is not None and session.report.draft is not None
    start = text.text.index("A multinational reassurance force")
    with pytest.raises(WriteError, match="choose a level before quoting"):
        session.add_quote("force", start, start + 40)
    session.choose_level("force", "some")
    quote = session.add_quote("force", start - 1, start + 40)  # a space before: trimmed
    assert (quote.unit, quote.start) == ("Point 5", start)
    session.add_quote("force", start - 1, start + 40)  # the same span again: not doubled
    assert len(session.answer("force").quotes) == 1
    # A new level keeps the quotes; the draft on disk has them too.
    session.choose_level("force", "none")
    assert session.answer("force").quotes == [quote]
    assert load_report(session.draft).answer("force").quotes == [quote]
    session.remove_quote("force", quote.start, quote.end)
    assert session.answer("force").quotes is None


def test_choosing_a_level_or_confirming_clears_a_recheck(tmp_path: Path) -> None:
    from guaranteekit.cli.parser import main

    old = write_round3(tmp_path / "round3.toml")
    new = tmp_path / "round4.toml"
    assert (
        main(["new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(new)])
        == 0
    )
    session = Session.open(new)
    assert session.answer("commitment").recheck and session.answer("ratification").recheck
    session.confirm("commitment")
    assert session.answer("commitment").recheck is None
    session.choose_level("ratification", "executive")  # the Senate is gone from the text
    answer = session.answer("ratification")
    assert answer.recheck is None and answer.quotes and answer.quotes[0].status.value == "changed"
    # A draft already quoted is the round's: another is refused, with the way to the next round.
    with pytest.raises(WriteError, match=r"new --from round4\.toml --draft round3\.txt"):
        session.attach_draft(read_draft(DRAFTS / "round3.txt"))


def test_passages_are_sentences_that_keep_their_heading() -> None:
    text = "Article 3\n1. The guarantors shall act. Art. 5 applies.\n2. No veto; None at all."
    drafted = DraftText(text, split_units(text))
    found = [(p.unit, text[p.start : p.end]) for p in passages(drafted)]
    assert found == [
        ("Art. 3", "Article 3"),
        ("Art. 3(1)", "1. The guarantors shall act."),
        ("Art. 3(1)", "Art. 5 applies."),
        ("Art. 3(2)", "2. No veto;"),
        ("Art. 3(2)", "None at all."),
    ]
    hits = matching(drafted, passages(drafted), ["VETO", "art. 5"])
    assert [text[p.start : p.end] for p in hits] == ["Art. 5 applies.", "2. No veto;"]
    assert term_spans("Ratified by the\nSenate", ["ratif", "the senate"]) == [(0, 5), (12, 22)]


def test_the_draft_view_lists_every_unit_of_a_long_draft() -> None:
    extracted = read_draft(DRAFTS / "round3.pdf")
    drafted = DraftText(extracted.text, split_units(extracted.text, extracted.page_starts))
    units = {p.unit for p in passages(drafted)}
    assert units == {u.label for u in drafted.units}
