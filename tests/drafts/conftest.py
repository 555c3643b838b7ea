"""Fixtures of the draft tests: the criteria set with `look_for` terms findable by id, and a report
of round 3 that quotes its draft, built through the core as the UI would build it."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.attach import attach, write_text_file
from guaranteekit.drafts.read import read_draft
from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, Package, Quote

DRAFTS = Path(__file__).parent.parent / "data" / "drafts"
SET = DRAFTS / "drafts-mini.toml"

QUOTED = {
    "guarantor": (
        "named",
        "The United States, the United Kingdom and France shall act as guarantors of this Framework.",
    ),
    "commitment": (
        "act",
        "each guarantor shall take, individually and in concert, such action as it deems necessary, including the use of armed force",
    ),
    "monitoring": (
        "guarantors",
        "A ceasefire monitoring mission composed of observers from the guarantor states shall verify compliance",
    ),
    "ratification": (
        "ratified",
        "This Framework shall be submitted for ratification to the legislatures of the guarantor states, including the United States Senate.",
    ),
}
"""The answers of round 3 that quote the draft: level and quoted words, by criterion."""


@pytest.fixture(autouse=True)
def drafts_set(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The set `drafts-mini` findable by id, as a user's own folder of sets would be."""
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(DRAFTS))
    return SET


def quote(text: DraftText, words: str) -> Quote:
    """The quote of `words` as they stand in `text` (however its lines break them)."""
    found = text.find(words, "")
    assert found.start is not None and found.end is not None, words
    return text.anchor(found.start, found.end)


def write_round3(path: Path, *, draft: Path = DRAFTS / "round3.txt", beside: bool = False) -> Path:
    """A complete report of round 3: four answers quoting the draft, one with typed evidence."""
    criteria = load_criteria(SET)
    extracted = read_draft(draft)
    report = new_report(Package(name="Framework", round="round 3"), criteria)
    report, target = attach(report, extracted, path, beside=beside)
    assert report.draft is not None
    text = DraftText(extracted.text, report.draft.units)
    for criterion, (level, words) in QUOTED.items():
        report = with_answer(
            report,
            Answer(
                criterion=criterion,
                level=level,
                rationale=f"Read from the draft ({criterion}).",
                quotes=[quote(text, words)],
            ),
        )
    report = with_answer(
        report,
        Answer(
            criterion="force",
            level="some",
            rationale="Point 5.",
            evidence=["up to twenty thousand troops, from memory of the briefing"],
        ),
    )
    if target is not None:
        write_text_file(target, extracted.text)
    save_report(path, finalize(report, criteria), overwrite=False)
    return path
