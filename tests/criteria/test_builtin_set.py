"""The built-in criteria set: complete, cited, with rubric levels concrete enough to apply, a rule for
every judgement the rubric leaves open (silence, applicability), and its documentation current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.cli.text import criteria_markdown
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = find_criteria(DEFAULT_CRITERIA)
DOCS = ROOT / "docs" / "criteria.md"
SEED_SECTION = re.compile(r"^(§\d+( n\.\d+)?|forecasts|conclusions)$")
REFERENCE = "<!-- reference: the output of `guaranteekit criteria show guarantee-credibility"
GLANCE = "<!-- criteria table: checked against the set by tests/criteria/test_builtin_set.py -->"

NAMED = [
    "US participation",
    "Article 5-like commitment",
    "Senate ratification",
    "Monitoring",
    "Troop deployment",
    "Legal basis",
]


def test_the_default_set_is_2_0_0_and_1_0_0_stays_installed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (CRITERIA.version, CRITERIA.format_version) == ("2.0.0", 2)
    old = find_criteria(DEFAULT_CRITERIA, "1.0.0")
    assert (old.version, old.format_version) == ("1.0.0", 1)
    assert main(["criteria", "list"]) == 0
    listing = capsys.readouterr().out
    assert "1.0.0" in listing and "2.0.0" in listing


def test_the_six_named_criteria_are_there() -> None:
    titles = [c.title for c in CRITERIA.criteria]
    for title in NAMED:
        assert title in titles


def test_covers_the_brief_at_a_size_an_analyst_can_finish() -> None:
    assert 30 <= len(CRITERIA.criteria) <= 35
    assert {s.id for s in CRITERIA.sources} == {"systemic-chaos", "zhovtenko"}
    assert [s.id for s in CRITERIA.scenarios] == ["none", "partial", "full"]
    assert sum(1 for c in CRITERIA.criteria if c.gates) >= 4
    assert sum(1 for c in CRITERIA.criteria if c.is_price) >= 6
    assert CRITERIA.weighting.strip(), "the reasoning for the weights is written down once"
    assert "where the text is silent, answer unknown" not in CRITERIA.description.lower()


@pytest.mark.parametrize("criterion", CRITERIA.criteria, ids=lambda c: c.id)
def test_every_criterion_is_cited_and_concrete(criterion) -> None:
    assert criterion.citations, "cites at least one seed section"
    for citation in criterion.citations:
        assert citation.source in {"systemic-chaos", "zhovtenko"}
        assert SEED_SECTION.match(citation.section), citation.section
    assert len(criterion.levels) >= 3
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


@pytest.mark.parametrize("criterion", CRITERIA.criteria, ids=lambda c: c.id)
def test_every_criterion_says_what_silence_and_inapplicability_mean(criterion) -> None:
    levels = [level.id for level in criterion.levels]
    assert criterion.when_silent in levels, "silence is read as a level, never left open"
    # Silence is the weakest reading: the lowest level of a benefit, no cost for a price, except
    # where the set says why (the aggressor sits only where the text puts it; no conditions stated
    # are none; a guarantor with no known record is neither good nor bad).
    readings = {"aggressor-role", "guarantor-conditions", "guarantor-reliability"}
    if criterion.id not in readings and criterion.id != "entry-into-force":
        assert criterion.when_silent == levels[0], criterion.id
    rule = criterion.not_applicable
    assert rule is not None
    assert not rule.allowed or len((rule.when or "").split()) >= 8, "says precisely when"


@pytest.mark.parametrize("criterion", CRITERIA.criteria, ids=lambda c: c.id)
def test_every_level_an_ask_can_reach_has_a_demand(criterion) -> None:
    levels = criterion.levels
    # Asks move to a better level: up for credibility, toward no cost for price.
    reachable = levels[:-1] if criterion.is_price else levels[1:]
    for level in reachable:
        if level.askable:
            assert level.demand and len(level.demand.split()) >= 6, (criterion.id, level.id)
        else:
            assert not level.demand, (criterion.id, level.id)
    for gate in criterion.gates or []:
        assert gate.acceptable not in gate.fires_on
        assert criterion.level(gate.acceptable).askable


def test_the_lenses_carry_each_papers_view() -> None:
    lenses = {lens.id: lens for lens in CRITERIA.lenses or []}
    assert set(lenses) == {"systemic-chaos", "zhovtenko"}
    for lens in lenses.values():
        assert lens.citations and {c.source for c in lens.citations} == {lens.id}
        assert lens.gates
        for gate in lens.gates:
            criterion = CRITERIA.criterion(gate.criterion)
            assert criterion.level(gate.acceptable).askable
    chaos, zhovtenko = lenses["systemic-chaos"].weights, lenses["zhovtenko"].weights
    for us in ("us-participation", "senate-ratification", "us-personnel"):
        assert chaos[us] > CRITERIA.criterion(us).weight > zhovtenko[us]


def test_bands_have_names_and_meanings() -> None:
    assert len(CRITERIA.bands) >= 4 and CRITERIA.price_bands
    for band in [*CRITERIA.bands, *CRITERIA.price_bands]:
        assert band.meaning.strip().endswith(".")


def test_criteria_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    for name in (f"{DEFAULT_CRITERIA}.toml", f"{DEFAULT_CRITERIA}-1.0.0.toml"):
        assert main(["criteria", "check", str(ROOT / "criteria" / name)]) == 0
        assert "ok (criteria set)" in capsys.readouterr().out


def test_criteria_show_lists_the_named_criteria(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["criteria", "show", DEFAULT_CRITERIA]) == 0
    text = capsys.readouterr().out
    assert "2.0.0" in text
    for title in NAMED:
        assert title in text
    assert "systemic-chaos §5" in text and "Rubric (weakest first)" in text


def test_the_docs_table_of_criteria_is_the_set() -> None:
    text = DOCS.read_text()
    after = text[text.index(GLANCE) + len(GLANCE) :].lstrip("\n")
    table = after.split("\n\n")[0].splitlines()[2:]
    assert len(table) == len(CRITERIA.criteria)
    for line, criterion in zip(table, CRITERIA.criteria, strict=True):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[1] == f"{criterion.title} (`{criterion.id}`)"
        assert cells[2] == ("price" if criterion.is_price else "credibility")
        assert float(cells[4]) == criterion.weight
        assert cells[5] == f"`{criterion.when_silent}`"
        rule = criterion.not_applicable
        assert cells[6] == ((rule.when or "").strip() if rule and rule.allowed else "never")
        gated = {level for gate in criterion.gates or [] for level in gate.fires_on}
        assert all(f"`{level}`" in cells[7] for level in gated), criterion.id


def test_docs_criteria_md_ends_with_the_current_reference() -> None:
    text = DOCS.read_text()
    reference = text[text.index(REFERENCE) :].split("\n", 2)[2]
    assert reference == criteria_markdown(CRITERIA), (
        "docs/criteria.md is stale: replace everything after the reference marker with"
        f" `guaranteekit criteria show {DEFAULT_CRITERIA} --format md`"
    )
