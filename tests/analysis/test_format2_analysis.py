"""Monte Carlo and weight thresholds on a format-2 set (two-axis, see tests/core/test_scoring_v2.py):
open criteria count, and are drawn over their levels; price criteria reach the verdict through
their gates only."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer
from guaranteekit.scoring.montecarlo import monte_carlo
from guaranteekit.scoring.thresholds import weight_thresholds

TWO = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "two-axis.toml")
TOP = [
    Answer(criterion="entry", level="signature"),
    Answer(criterion="pledge", level="bound"),
    Answer(criterion="monitor", level="impartial"),
]


def test_open_criteria_are_drawn_over_their_levels_and_the_method_says_so() -> None:
    # Nothing answered: 25, weak. Drawn over their levels, the pledge and monitor sometimes
    # come in high enough for a better verdict; held at their silence levels, never.
    drawn = monte_carlo(TWO, [], draws=2000, seed=1)
    assert drawn.open_drawn and "drawn over their levels" in drawn.method
    assert drawn.verdict == "weak" and drawn.probabilities["strong"] > 0
    held = monte_carlo(TWO, [], draws=500, seed=1, confidence=False)
    assert "at their silence levels" in held.method
    assert held.probabilities["weak"] == 1.0


def test_an_open_price_gate_caps_a_share_of_the_draws() -> None:
    # Credibility 100, strong; the force cap is open: one draw in three puts it at `tight`, whose
    # gate caps the verdict at mid.
    mc = monte_carlo(TWO, TOP, draws=6000, seed=3)
    assert mc.verdict == "strong"
    assert mc.probabilities["mid"] == pytest.approx(1 / 3, abs=0.03)
    assert mc.probabilities["weak"] == 0.0


def test_open_criteria_have_weight_thresholds_and_price_criteria_none() -> None:
    # entry signature (1), pledge consult (.6), monitor unknown (counted at its lowest, 0):
    # (1 + 1.2 + 0) / 4 = 55, mid. With monitor's weight x: 2.2 / (3 + x) falls below 39.995
    # (which rounds to 40) once x > 2.2 / 0.39995 - 3 = 2.50069: then weak.
    answers = [
        Answer(criterion="entry", level="signature"),
        Answer(criterion="pledge", level="consult"),
        Answer(criterion="monitor", status="unknown"),
    ]
    thresholds = {t.criterion: t for t in weight_thresholds(TWO, answers)}
    assert set(thresholds) == {"entry", "pledge", "monitor"}
    monitor = thresholds["monitor"]
    assert monitor.upper == pytest.approx(2.2 / 0.39995 - 3) and monitor.above == "weak"
