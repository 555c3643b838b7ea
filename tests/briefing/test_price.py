"""The price axis (`results.price`, criteria sets of format 2) is on page one when the results
carry it, and absent where no criterion scores a price."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

DATA = Path(__file__).parents[1] / "data"
PRICED = DATA / "reports" / "two-axis-against-rules.toml"


@pytest.fixture
def two_axis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(DATA / "sets"))
    return [str(shutil.copy(PRICED, tmp_path / f"{name}.toml")) for name in ("a", "b")]


def test_page_one_shows_the_price_when_the_results_carry_it(
    two_axis: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *two_axis, "--draws", "0", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    price = entries[0]["price"]
    assert {"score", "low", "high", "band", "band_label"} <= set(price)
    assert main(["compare", *two_axis, "--draws", "0"]) == 0
    ranking = capsys.readouterr().out.split("## What to ask for next")[0]
    assert "| How robust | Price | Gates that fire |" in ranking
    assert f"{price['band_label']} ({price['score']:.2f})" in ranking
    assert main(["report", two_axis[0], "--draws", "0", "--format", "html"]) == 0
    assert f"<strong>Price:</strong> {price['band_label']}" in capsys.readouterr().out


def test_no_price_column_where_no_criterion_scores_a_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    examples = sorted(str(p) for p in _V1.glob("*.toml"))[:2]
    assert main(["compare", *examples, "--draws", "0"]) == 0
    assert "Price" not in capsys.readouterr().out.split("## What to ask for next")[0]
