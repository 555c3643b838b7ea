"""Honest uncertainty: a ranking that held in every Monte Carlo draw is never shown as settled
(100%) beside score ranges that overlap, unless the document says why the two differ."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.documents.briefing import robustness_words, uncertainty
from guaranteekit.documents.decision import DecisionSupport, RunSettings
from guaranteekit.documents.model import Entry

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

EXAMPLES = _V1
# Their score ranges overlap (50.60-67.16 and 31.93-60.62), yet weights alone never swap them.
OVERLAPPING = [
    str(EXAMPLES / "paris-declaration-2026-01-06.toml"),
    str(EXAMPLES / "20-point-plan-2025-12.toml"),
]
WHY = "leave out the"  # what the documents say when the draws do not cover the unknown answers


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _overlap(entries: list[dict]) -> bool:
    return any(
        a["low"] <= b["high"] and b["low"] <= a["high"]
        for a, b in itertools.combinations(entries, 2)
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_ranking_that_held_in_every_draw_beside_overlapping_ranges_says_why(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    common = ["compare", *OVERLAPPING, "--draws", "300"]
    data = json.loads(_run(capsys, *common, "--format", "json"))
    assert data["decision_support"]["ranking"]["probability"] == 1.0
    assert _overlap(data["entries"])
    assert not data["decision_support"]["settings"]["unknowns_drawn"]
    text = _run(capsys, *common, "--format", fmt)
    # The words a reader sees: no markup, no style sheet.
    plain = re.sub(r"<[^>]+>", "", re.sub(r"<style>.*?</style>", "", text, flags=re.S))
    assert "100%" not in plain
    assert "came out in every one of the 300 draws" in plain
    assert "That does not settle it: the draws leave the unknown answers out" in plain
    assert f"They {WHY} 2 unknown or unanswered answers, which the score ranges do cover" in plain
    assert "Here some score ranges overlap" in plain


def test_no_document_claims_a_settled_order_without_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every worked example together: wherever the ranking or a verdict held in all draws while
    # ranges overlap, the reason stands in the same document.
    paths = sorted(str(p) for p in EXAMPLES.glob("*.toml"))
    data = json.loads(_run(capsys, "compare", *paths, "--draws", "200", "--format", "json"))
    text = _run(capsys, "compare", *paths, "--draws", "200")
    settled = data["decision_support"]["ranking"]["probability"] == 1.0 or any(
        e["robustness"]["probability"] == 1.0 for e in data["entries"]
    )
    assert "100%" not in text
    if settled and _overlap(data["entries"]):
        assert WHY in text


def _entry(low: float, high: float, unknown: int) -> Entry:
    return Entry.model_construct(low=low, high=high, unknown=["x"] * unknown, unanswered=[])


def test_the_words_follow_what_the_run_reports_about_unknown_answers() -> None:
    entries = [_entry(30, 60, 2), _entry(50, 70, 0)]
    left_out = uncertainty(entries, _run_of(10, unknowns_drawn=False))
    drawn = uncertainty(entries, _run_of(10, unknowns_drawn=True))
    assert WHY in left_out and "overlap" in left_out
    assert "are drawn too" in drawn and WHY not in drawn
    complete = uncertainty([_entry(50, 50, 0)], _run_of(10, unknowns_drawn=False))
    assert "Every criterion is answered" in complete
    assert "not worked out" in uncertainty(entries, DecisionSupport())


def _run_of(draws: int, *, unknowns_drawn: bool) -> DecisionSupport:
    settings = RunSettings(
        draws=draws,
        seed=1,
        spread=0.25,
        method="",
        fragile_below=0.8,
        unknowns_drawn=unknowns_drawn,
    )
    return DecisionSupport(settings=settings)


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (1.0, "holds in every plausible weighting drawn"),
        (0.7, "holds in 7 of 10 plausible weightings; otherwise Thin"),
        (0.698, "holds in 7 of 10 plausible weightings; otherwise Thin"),
        (0.97, "holds in 97 of 100 plausible weightings; otherwise Thin"),
        (0.999, "holds in 99 of 100 plausible weightings; otherwise Thin"),
        (0.001, "holds in fewer than 1 in 100 plausible weightings; otherwise Thin"),
    ],
)
def test_robustness_in_words(share: float, words: str) -> None:
    assert robustness_words(share, "Thin") == words
