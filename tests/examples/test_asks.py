"""Every ask `guaranteekit score` prints for a worked example moves toward a better level the set
lets an ask propose, and prints what to demand. Checked on the examples as written (criteria 1.0.0,
format 1, where the demand printed is the target level's rubric wording, labelled so) and rescored
into a format-2 set: the newest installed guarantee-credibility when it is format 2, and the
small 2.x stand-in of `tests/data/sets-next` in any case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import find_criteria, resource_dir
from guaranteekit.formats.models import CriteriaSet

EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))
NEXT = Path(__file__).parent.parent / "data" / "sets-next"


def _score(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    assert main(["score", str(path), "--json", "--draws", "0"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert main(["score", str(path), "--draws", "0"]) == 0
    return document, capsys.readouterr().out


def _check(criteria: CriteriaSet, document: dict, text: str) -> int:
    results = document["results"]
    counted = {c["criterion"]: c.get("counted_level") for c in results["criteria"]}
    steps = [(a, a["from_level"]) for a in results["asks"]]
    for plan in document["analysis"]["plans"]:
        steps += [(c, c["from_level"]) for c in plan["changes"]]
    for ask, from_level in steps:
        criterion = criteria.criterion(ask["criterion"])
        scores = {level.id: level.score for level in criterion.levels}
        start = counted.get(ask["criterion"]) or from_level
        before = scores.get(start, criterion.levels[0].score)  # format 1: open counts nothing
        after = criterion.level(ask["to_level"])
        where = f"{ask['criterion']}: {from_level} -> {ask['to_level']}"
        if criterion.is_price:
            assert after.score < before, where
        else:
            assert after.score > before, where
        assert after.askable, where
        if criteria.is_format2:
            assert after.demand and ask.get("demand") == after.demand, where
    # Every ask and planned change printed has its demand line under it.
    section = text[text.index("Asks, best first") :]
    shown = min(len(results["asks"]), 10)
    planned = sum(len(p["changes"]) for p in document["analysis"]["plans"])
    same = text.count(": the same changes")
    if same:
        planned -= len(document["analysis"]["plans"][-1]["changes"])
    demands = section.count("Demand: ") + section.count("Demand (rubric wording): ")
    assert demands == shown + planned
    if criteria.is_format2:
        assert "Demand (rubric wording)" not in section
    return len(steps)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_asks_of_an_example_as_written(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document, text = _score(example, capsys)
    criteria = find_criteria(document["criteria"]["id"], document["criteria"]["version"])
    assert _check(criteria, document, text) > 0 or not document["results"]["gaps"]


def _format2_targets() -> list[str]:
    targets = ["guarantee-credibility@2.0.0-test"]
    newest = find_criteria("guarantee-credibility")
    if newest.is_format2:
        targets.append(f"guarantee-credibility@{newest.version}")
    return targets


@pytest.mark.parametrize("target", _format2_targets())
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_asks_of_an_example_rescored_into_format_2(
    example: Path,
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(NEXT))
    moved = tmp_path / example.name
    assert main(["rescore", str(example), "--criteria", target, "-o", str(moved)]) == 0
    capsys.readouterr()
    document, text = _score(moved, capsys)
    set_id, _, version = target.partition("@")
    criteria = find_criteria(set_id, version)
    assert criteria.is_format2
    _check(criteria, document, text)
