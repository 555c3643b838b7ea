"""`diff` shows only real changes: one answer changed is one change, whatever the rounding of the
two reports' shares did to the criteria that did not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.models import Report

from .conftest import save_variant

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

TWENTY = _V1 / "20-point-plan-2025-12.toml"


def _raise_article5(report: Report) -> Report:
    """The 20-point plan with one answer changed (force-listed -> non-military): a change whose
    rounding residue, in the reports' own rounded shares, moves to US participation."""
    answers = [
        a.model_copy(update={"level": "non-military"})
        if a.criterion == "article5-commitment"
        else a
        for a in report.answers
    ]
    assert answers != list(report.answers)
    return report.model_copy(update={"answers": answers})


@pytest.fixture
def rounds(tmp_path: Path) -> tuple[Path, Path]:
    old = save_variant(tmp_path, TWENTY, "20-point plan")
    (tmp_path / "old").mkdir()
    old = old.rename(tmp_path / "old" / "plan.toml")
    new = save_variant(tmp_path, TWENTY, "20-point plan", _raise_article5)
    return old, new


def test_one_answer_changed_is_one_change_and_the_rest_are_counted_unchanged(
    rounds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rounds
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (step,) = data["steps"]
    assert [c["criterion"] for c in step["changes"]] == ["article5-commitment"]
    (change,) = step["changes"]
    assert change["changed"] == ["level"] and not change.get("reweighted")
    # The change carries the whole change of the score, and every other criterion is unchanged.
    assert round(change["delta"], 2) == round(step["delta"], 2)
    assert step["unchanged"] == len(data["rows"]) - 1
    # The rounded shares of the two reports differ on another criterion (why the old table listed
    # a false "re-weighted" row): the change table no longer takes them for changes.
    rows = {r["criterion"]: r["cells"] for r in data["rows"]}
    moved = [
        cid
        for cid, (a, b) in rows.items()
        if cid != "article5-commitment" and a["contribution"] != b["contribution"]
    ]
    assert moved == ["us-participation"]


def test_the_markdown_lists_one_row_and_no_re_weighted_one(
    rounds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rounds
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    table = text[text.index("## Score change by criterion") : text.index("## Gates\n")]
    rows = [
        line for line in table.splitlines() if line.startswith("| ") and "Criterion" not in line
    ]
    assert [r.split(" | ")[0] for r in rows] == ["| Article 5-like commitment", "| **Total**"]
    assert "(re-weighted)" not in text
    assert "30 other criteria unchanged." in text
