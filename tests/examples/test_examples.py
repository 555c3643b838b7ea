"""The worked examples in `examples/`: they verify, answer every criterion of the set they name with a
justification, read back byte for byte, ship with the package, and keep the 1.0.0 versions verifying.

Whether their verdicts follow the papers, and for the right reasons, is `tests/criteria/
test_verdicts.py`; whether they read the same words alike is `tests/criteria/test_consistency.py`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report, save_report
from guaranteekit.formats.catalog import find_criteria, resource_dir
from guaranteekit.formats.models import AnswerStatus, CriteriaSet, Report, Results
from guaranteekit.scoring import core as scoring

# The six packages of the brief and the six calibration cases of known outcome.
EXAMPLES = {
    "twentyeight": "us-28-point-plan-2025-11.toml",
    "twenty": "20-point-plan-2025-12.toml",
    "paris": "paris-declaration-2026-01-06.toml",
    "recommended": "recommended-package-systemic-chaos.toml",
    "nato": "nato-article-5.toml",
    "budapest": "budapest-memorandum-1994.toml",
    "israel-egypt": "israel-egypt-1979-mfo.toml",
    "cyprus": "cyprus-guarantee-1960.toml",
    "paris-1973": "paris-peace-accords-1973.toml",
    "dayton": "dayton-1995-ifor.toml",
    "seato": "seato-1954.toml",
    "kyiv-compact": "kyiv-security-compact-2022.toml",
}
FOLDER = resource_dir("examples")
PATHS = {key: FOLDER / name for key, name in EXAMPLES.items()}
V1 = Path(__file__).resolve().parents[1] / "data" / "reports" / "v1"
VERSION = "2.0.0"

# An answer above the lowest level that is neither silent nor quoted must say why in its rationale.
NOTHING_QUOTABLE = "nothing quotable"
# Evidence is a short quote (a few words to a sentence), never a passage.
MAX_QUOTE = 250
# The one criterion answered from practice rather than the text.
PRACTICE = "guarantor-reliability"


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return find_criteria("guarantee-credibility", VERSION)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {key: load_report(path) for key, path in PATHS.items()}


@pytest.fixture(scope="module")
def results(criteria: CriteriaSet, reports: dict[str, Report]) -> dict[str, Results]:
    return {key: scoring.compute(criteria, report.answers) for key, report in reports.items()}


def test_the_package_finds_every_example() -> None:
    assert set(EXAMPLES.values()) == {p.name for p in FOLDER.glob("*.toml")}


def test_every_example_is_scored_with_the_new_set(reports: dict[str, Report]) -> None:
    for key, report in reports.items():
        ref = (report.criteria.id, report.criteria.version)
        assert ref == ("guarantee-credibility", VERSION), key


def _verify(paths: list[Path], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, dict]]:
    code = main(["verify", "--format", "json", *map(str, paths)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    document = json.loads(captured.out)
    problems = [(Path(f["path"]).name, p) for f in document["files"] for p in f["problems"]]
    for name, problem in problems:
        print(f"{name}: {problem['severity']}: {problem['code']}: {problem['where']}")
    assert code == 0, captured.out
    assert not [p for _, p in problems if p["severity"] == "error"]
    return problems


def test_every_example_passes_verify(capsys: pytest.CaptureFixture[str]) -> None:
    problems = _verify(list(PATHS.values()), capsys)
    # Warnings are allowed where they are by design (no quote for a level read from silence or
    # from practice); an unanswered criterion or a missing rationale is not.
    assert not {p["code"] for _, p in problems} & {"no-rationale", "unanswered"}


def test_the_examples_as_scored_with_1_0_0_still_verify(capsys: pytest.CaptureFixture[str]) -> None:
    old = sorted(V1.glob("*.toml"))
    assert [p.name for p in old] == sorted(list(EXAMPLES.values())[:6])
    for path in old:
        assert load_report(path).criteria.version == "1.0.0"
    _verify(old, capsys)


@pytest.mark.parametrize("key", EXAMPLES)
def test_every_criterion_is_answered_once_with_a_justification(
    key: str, criteria: CriteriaSet, reports: dict[str, Report]
) -> None:
    report = reports[key]
    assert [a.criterion for a in report.answers] == [c.id for c in criteria.criteria]
    for answer in report.answers:
        criterion = criteria.criterion(answer.criterion)
        where = f"{key}: {answer.criterion}"
        assert answer.rationale.strip(), where
        assert all(0 < len(quote) <= MAX_QUOTE for quote in answer.evidence), where
        if answer.status is AnswerStatus.NOT_APPLICABLE:
            assert answer.reason.strip(), where
            assert criterion.not_applicable and criterion.not_applicable.allowed, where
        if answer.silent:
            assert answer.level == criterion.when_silent and not answer.evidence, where
            assert "silent" in answer.rationale.lower(), where
        elif answer.status is AnswerStatus.LEVEL and criterion.level_index(answer.level) > 0:
            assert answer.evidence or NOTHING_QUOTABLE in answer.rationale.lower(), (
                f"{where} is above the lowest level, not silent, with no evidence and no word on"
                " why none is quotable"
            )


@pytest.mark.parametrize("key", EXAMPLES)
def test_practice_is_said_to_be_practice(key: str, reports: dict[str, Report]) -> None:
    answer = reports[key].answer(PRACTICE)
    assert answer is not None
    assert answer.silent or "from practice" in answer.rationale.lower(), key


def test_every_example_names_its_protected_state(reports: dict[str, Report]) -> None:
    for key, report in reports.items():
        text = report.package.summary + report.provenance.notes
        assert "Protected state" in text, key


def test_stored_results_are_the_recomputed_ones(
    reports: dict[str, Report], results: dict[str, Results]
) -> None:
    for key, report in reports.items():
        assert report.results == results[key], key


@pytest.mark.parametrize("key", EXAMPLES)
def test_resaving_an_example_is_byte_identical(
    key: str, reports: dict[str, Report], tmp_path: Path
) -> None:
    # Laid out as the repository and the package are, so that the `#:schema` line finds the
    # schemas folder beside the examples' folder, as it does for the committed files.
    shutil.copytree(resource_dir("schemas"), tmp_path / "schemas")
    target = tmp_path / "examples" / EXAMPLES[key]
    target.parent.mkdir()
    save_report(target, reports[key], overwrite=False)
    assert target.read_bytes() == PATHS[key].read_bytes()


def test_score_lists_the_asks_that_lift_the_28_point_plans_gates(
    capsys: pytest.CaptureFixture[str], criteria: CriteriaSet, results: dict[str, Results]
) -> None:
    fired = results["twentyeight"].gates_fired
    assert fired

    assert main(["score", str(PATHS["twentyeight"]), "--json", "--draws", "0"]) == 0
    document = json.loads(capsys.readouterr().out)
    asks = document["results"]["asks"]
    lifting = {a["criterion"] for a in asks if a.get("lifts_gate")}
    assert set(fired) <= lifting
    for ask in asks:
        # Every ask carries the set's demand, never the rubric description.
        level = criteria.criterion(ask["criterion"]).level(ask["to_level"])
        assert ask["demand"] == level.demand, ask


def test_score_places_the_28_point_plan_among_the_examples(
    capsys: pytest.CaptureFixture[str], reports: dict[str, Report]
) -> None:
    assert main(["score", str(PATHS["twentyeight"]), "--json", "--draws", "0"]) == 0
    refs = json.loads(capsys.readouterr().out)["analysis"]["reference_points"]
    # It is the lowest example of all, so every other one lies above it.
    assert not refs["below"]
    assert reports["twentyeight"].package.name not in {r["name"] for r in refs["examples"]}
