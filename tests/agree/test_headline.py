"""`agree` scores each assessment without its scenarios and lenses (`compute(views=False)`):
the headline it reads must be exactly what the full scoring gives, for both criteria formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.formats.assessment import load_scored
from guaranteekit.scoring import core as scoring

ROOT = Path(__file__).parents[2]
REPORTS = sorted((ROOT / "examples").glob("*.toml")) + sorted(
    (ROOT / "tests" / "data" / "reports" / "v1").glob("*.toml")
)
HEADLINE = (
    "score",
    "low",
    "high",
    "verdict",
    "verdict_low",
    "verdict_high",
    "uncapped_verdict",
    "provisional",
    "gates_fired",
    "gates_open",
    "unanswered",
    "unknown",
    "pillars",
)


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_the_headline_without_views_is_the_full_scorings(path: Path) -> None:
    item = load_scored(path)
    args = (item.criteria, item.report.answers, item.profile)
    full = scoring.compute(*args, asks=False)
    lean = scoring.compute(*args, asks=False, views=False)
    assert {k: getattr(lean, k) for k in HEADLINE} == {k: getattr(full, k) for k in HEADLINE}
    assert lean.scenarios == [] and not lean.lenses
    assert full.scenarios, "the example has scenarios, so the test compares something"


def test_both_formats_are_covered() -> None:
    formats = {load_scored(p).criteria.is_format2 for p in REPORTS}
    assert formats == {True, False}
