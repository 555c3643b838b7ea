"""Units as drafts number them, quotes anchored in a text, and found again in the next round's."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.read import read_draft, text_digest
from guaranteekit.drafts.units import split_units
from guaranteekit.formats.models import QuoteStatus

DRAFTS = Path(__file__).parent.parent / "data" / "drafts"


def labels(text: str) -> list[str]:
    return [u.label for u in split_units(text)]


def test_articles_sections_and_their_numbered_paragraphs() -> None:
    text = (
        "Treaty of guarantee\n\nArticle 1\nThe Parties agree.\n\nArt. 2 — Forces\n1. Troops.\n"
        "2) More troops.\n\n§3 Monitoring\n\nSection 4: Entry into force"
    )
    assert labels(text) == ["Preamble", "Art. 1", "Art. 2", "Art. 2(1)", "Art. 2(2)", "§3", "§4"]


def test_numbered_paragraphs_alone_and_their_repeats() -> None:
    assert labels("1. One.\n2. Two.\n\nAnnex\n\n1. Again.") == ["1.", "2.", "1. (2)"]


def test_running_text_that_starts_a_line_with_article_is_no_heading() -> None:
    text = "Point 1. The guarantors recall that\nArticle 5 of the Washington Treaty applies.\nPoint 2. Next."
    assert labels(text) == ["Point 1", "Point 2"]


def test_a_draft_without_numbers_is_split_into_paragraphs() -> None:
    text = "The parties agree.\nStill the first.\n\n\nA second paragraph."
    units = split_units(text)
    assert [u.label for u in units] == ["¶1", "¶2"]
    assert text[units[0].start : units[0].end] == "The parties agree.\nStill the first."


def draft(text: str) -> DraftText:
    return DraftText(text, split_units(text))


def quote_of(text: DraftText, words: str):
    start = text.text.index(words)
    return text.anchor(start, start + len(words))


def test_an_anchor_records_unit_span_text_and_digest() -> None:
    text = draft((DRAFTS / "round3.txt").read_text())
    quote = text.anchor(*_span(text.text, " guarantors of this Framework.\n"))
    assert quote.unit == "Point 2"
    assert quote.text == "guarantors of this Framework."  # trimmed of the spaces around it
    assert text.text[quote.start : quote.end] == quote.text
    assert quote.digest == text_digest(quote.text)
    assert quote.status is QuoteStatus.EXACT
    assert text.holds(quote)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_round_four_finds_each_quote_exact_moved_changed_or_missing() -> None:
    old = draft((DRAFTS / "round3.txt").read_text())
    new = draft((DRAFTS / "round4.txt").read_text())
    guarantor = quote_of(
        old, "The United States, the United Kingdom and France shall act as guarantors"
    )
    monitoring = quote_of(old, "A ceasefire monitoring mission composed of observers")
    ratification = quote_of(
        old,
        "This Framework shall be submitted for ratification to the legislatures of the guarantor states, including the United States Senate.",
    )
    commitment = quote_of(
        old,
        "each guarantor shall take, individually and in concert, such action as it deems necessary",
    )

    found = new.find(guarantor.text, guarantor.unit)
    assert (found.status, found.unit) == (QuoteStatus.EXACT, "Point 2")
    found = new.find(monitoring.text, monitoring.unit)
    assert (monitoring.unit, found.status, found.unit) == ("Point 4", QuoteStatus.MOVED, "Point 3")
    assert found.text == monitoring.text
    found = new.find(ratification.text, ratification.unit)
    assert (found.status, found.unit) == (QuoteStatus.CHANGED, "Point 5")
    assert found.text == (
        "This Framework shall be submitted for approval to the legislatures of the guarantor"
        " states, excluding the United States Senate."
    )
    assert 0.8 <= found.similarity < 1
    assert new.find(commitment.text, commitment.unit).status is QuoteStatus.MISSING


def test_a_reflowed_text_is_no_change_of_wording() -> None:
    old = draft("Point 1. The guarantors shall deploy forces within twenty-four hours.")
    new = draft("Point 1. The guarantors shall deploy\n   forces within\ttwenty-four\n\nhours.")
    quote = quote_of(old, "shall deploy forces within twenty-four hours")
    found = new.find(quote.text, quote.unit)
    assert found.status is QuoteStatus.EXACT
    assert found.text == "shall deploy\n   forces within\ttwenty-four\n\nhours"


def test_the_threshold_decides_between_changed_and_missing() -> None:
    old = draft("Point 1. The guarantors shall deploy forces within twenty-four hours.")
    new = draft("Point 1. The guarantors may consider deploying some forces later on.")
    quote = quote_of(old, "The guarantors shall deploy forces within twenty-four hours.")
    loose = new.find(quote.text, quote.unit, threshold=0.5)
    assert loose.status is QuoteStatus.CHANGED and loose.similarity < 0.8
    assert new.find(quote.text, quote.unit).status is QuoteStatus.MISSING


def test_a_pdf_and_its_plain_text_anchor_alike() -> None:
    pdf = read_draft(DRAFTS / "round3.pdf")
    text = DraftText(pdf.text, split_units(pdf.text, pdf.page_starts))
    plain = draft((DRAFTS / "round3.txt").read_text())
    quote = quote_of(
        plain, "shall be submitted for ratification to the legislatures of the guarantor states"
    )
    found = text.find(quote.text, quote.unit)
    assert found.status is QuoteStatus.EXACT and found.unit == "Point 6"
    assert "\n" in found.text  # the PDF breaks the line inside the quote


WORDS = st.sampled_from(["Point", "1.", "the", "guarantors", "shall", "§2", "Art.", "3", "veto"])
SPACES = st.sampled_from([" ", "\n", "\n\n", "\t", "  "])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.tuples(WORDS, SPACES), min_size=1, max_size=60))
    return "".join(w + s for w, s in words)


@settings(max_examples=150, deadline=None)
@given(texts(), st.data())
def test_units_tile_the_text_and_every_quote_is_found_where_it_is(text: str, data) -> None:
    units = split_units(text)
    assert len({u.label for u in units}) == len(units)
    for before, after in itertools.pairwise(units):
        assert before.end <= after.start
    assert all(0 <= u.start < u.end <= len(text) for u in units)
    drafted = DraftText(text, units)
    for offset in range(len(text)):
        if not text[offset].isspace():
            assert drafted.real(drafted.flat_offset(offset)) == offset
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if not text[start:end].strip():
        return
    quote = drafted.anchor(start, end)
    assert drafted.holds(quote)
    found = drafted.find(quote.text, quote.unit)
    assert found.status is QuoteStatus.EXACT
    assert " ".join(found.text.split()) == " ".join(quote.text.split())
