"""Where each package falls short of the best-ranked one: held to whom, by how much, and whether
matching it lifts a gate (mini 1: guarantor weight 2, gate below `named` at 0.5; force and aid 1)."""

from __future__ import annotations

from pathlib import Path

from guaranteekit.documents.build import build
from guaranteekit.formats.assessment import Scored, finalize, new_report
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, Package

MINI = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "mini.toml")


def level(criterion: str, level_id: str) -> Answer:
    return Answer(criterion=criterion, level=level_id, rationale="r")


def shortfalls(packages: dict[str, list[Answer]]) -> dict[str, list[tuple]]:
    scored = []
    for name, answers in packages.items():
        report = new_report(Package(name=name), MINI)
        report = finalize(report.model_copy(update={"answers": answers}), MINI)
        scored.append(Scored(Path(f"{name}.toml"), report, MINI, None, None, []))
    document = build(scored, "compare")
    return {
        e.name: [(s.criterion, s.than_name, s.gain, s.lifts_gate) for s in e.shortfalls]
        for e in document.entries
    }


def test_held_to_the_best_and_the_best_to_the_first_of_the_others() -> None:
    found = shortfalls(
        {
            # 62.5, mid: ranked first.
            "X": [level("guarantor", "named"), level("force", "some"), level("aid", "yes")],
            # 50, but its gate fires: low.
            "Y": [level("guarantor", "none"), level("force", "many"), level("aid", "yes")],
            # 25, low.
            "Z": [level("guarantor", "none"), level("force", "many"), level("aid", "none")],
        },
    )
    # The best is held to the others: on force Y and Z both have `many`; the first of them is named.
    assert found["X"] == [("force", "Y", 12.5, False)]
    # Matching X's `named` exactly (the gate's own level) lifts the gate.
    assert found["Y"] == [("guarantor", "X", 25.0, True)]
    # The gate first, then the larger gain.
    assert found["Z"] == [("guarantor", "X", 25.0, True), ("aid", "X", 25.0, False)]
