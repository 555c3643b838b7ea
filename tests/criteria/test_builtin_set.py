"""The built-in criteria set: complete, cited, and with rubric levels concrete enough to apply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.cli.text import criteria_markdown
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = find_criteria(DEFAULT_CRITERIA)
SEED_SECTION = re.compile(r"^(§\d+|n\.\d+|§\d+ n\.\d+|forecasts|conclusions|summary)")

NAMED = [
    "US participation",
    "Article 5-like commitment",
    "Senate ratification",
    "Monitoring",
    "Troop deployment",
    "Legal basis",
]


def test_the_six_named_criteria_are_there() -> None:
    titles = [c.title for c in CRITERIA.criteria]
    for title in NAMED:
        assert title in titles


def test_covers_the_brief() -> None:
    assert len(CRITERIA.criteria) >= 20
    assert {s.id for s in CRITERIA.sources} == {"systemic-chaos", "zhovtenko"}
    assert [s.id for s in CRITERIA.scenarios] == ["none", "partial", "full"]
    assert sum(1 for c in CRITERIA.criteria if c.gate is not None) >= 2
    assert CRITERIA.weighting.strip(), "the reasoning for the weights is written down once"


@pytest.mark.parametrize("criterion", CRITERIA.criteria, ids=lambda c: c.id)
def test_every_criterion_is_cited_and_concrete(criterion) -> None:
    assert criterion.citations, "cites at least one seed section"
    for citation in criterion.citations:
        assert citation.source in {"systemic-chaos", "zhovtenko"}
        assert SEED_SECTION.match(citation.section), citation.section
    assert len(criterion.levels) >= 4
    descriptions = [level.description.strip() for level in criterion.levels]
    assert len(set(descriptions)) == len(descriptions), "no two levels share a description"
    for description in descriptions:
        words = description.split()
        assert len(words) >= 8, f"too short to be checkable: {description!r}"
        assert description[0].isupper() and description.endswith("."), (
            f"not a full sentence: {description!r}"
        )
    assert criterion.question.strip().endswith("?")
    assert criterion.guidance.strip(), "says what evidence to look for"


def test_bands_have_names_and_meanings() -> None:
    assert len(CRITERIA.bands) >= 4
    for band in CRITERIA.bands:
        assert band.meaning.strip().endswith(".")


def test_criteria_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "criteria" / f"{DEFAULT_CRITERIA}.toml"
    assert main(["criteria", "check", str(path)]) == 0
    assert "ok (criteria set)" in capsys.readouterr().out


def test_criteria_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["criteria", "list"]) == 0
    assert DEFAULT_CRITERIA in capsys.readouterr().out
    assert main(["criteria", "show", DEFAULT_CRITERIA]) == 0
    text = capsys.readouterr().out
    for title in NAMED:
        assert title in text
    assert "systemic-chaos §5" in text and "Rubric (weakest first)" in text


def test_docs_criteria_md_is_current() -> None:
    committed = (ROOT / "docs" / "criteria.md").read_text()
    assert committed == criteria_markdown(CRITERIA), (
        "docs/criteria.md is stale: run"
        f" `guaranteekit criteria show {DEFAULT_CRITERIA} --format md > docs/criteria.md`"
    )
