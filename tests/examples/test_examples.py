"""The worked examples in `examples/`: they verify, answer every criterion with a justification, read
back byte for byte, ship with the package, and score as the two papers judge the packages.

The verdict checks are the point of the examples: if a change to the criteria set or to an answer
moved the 28-point plan out of Declaratory or NATO's Article 5 out of Credible, the tool would no
longer agree with the papers it is built on, and these tests say so.
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

EXAMPLES = {
    "twentyeight": "us-28-point-plan-2025-11.toml",
    "twenty": "20-point-plan-2025-12.toml",
    "paris": "paris-declaration-2026-01-06.toml",
    "recommended": "recommended-package-systemic-chaos.toml",
    "nato": "nato-article-5.toml",
    "budapest": "budapest-memorandum-1994.toml",
}
FOLDER = resource_dir("examples")
PATHS = {key: FOLDER / name for key, name in EXAMPLES.items()}

# An answer above the lowest level with no quote must say why in its rationale.
NOTHING_QUOTABLE = "nothing quotable"
# Evidence is a short quote (a few words to a sentence), never a passage.
MAX_QUOTE = 250


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return find_criteria("guarantee-credibility", "1.0.0")


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {key: load_report(path) for key, path in PATHS.items()}


@pytest.fixture(scope="module")
def results(criteria: CriteriaSet, reports: dict[str, Report]) -> dict[str, Results]:
    return {key: scoring.compute(criteria, report.answers) for key, report in reports.items()}


def test_the_package_finds_the_six_examples() -> None:
    assert set(EXAMPLES.values()) <= {p.name for p in FOLDER.glob("*.toml")}


def test_every_example_passes_verify(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--format", "json", *map(str, PATHS.values())])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    document = json.loads(captured.out)
    problems = [(f["path"], p) for f in document["files"] for p in f["problems"]]
    # Warnings are allowed (no-evidence for absent terms, N/A gates of non-ceasefire instruments,
    # unknown answers); show them so a reader of the test log sees what verify says.
    for path, problem in problems:
        print(f"{Path(path).name}: {problem['severity']}: {problem['code']}: {problem['where']}")
    assert code == 0, captured.out
    assert not [p for _, p in problems if p["severity"] == "error"]
    codes = {p["code"] for _, p in problems}
    assert not codes & {"no-rationale", "unanswered"}


@pytest.mark.parametrize("key", EXAMPLES)
def test_every_criterion_is_answered_once_with_a_justification(
    key: str, criteria: CriteriaSet, reports: dict[str, Report]
) -> None:
    report = reports[key]
    answered = [a.criterion for a in report.answers]
    assert sorted(answered) == sorted(c.id for c in criteria.criteria)
    for answer in report.answers:
        criterion = criteria.criterion(answer.criterion)
        assert answer.rationale.strip(), answer.criterion
        assert all(0 < len(quote) <= MAX_QUOTE for quote in answer.evidence), answer.criterion
        if answer.status is AnswerStatus.NOT_APPLICABLE:
            assert answer.reason.strip(), answer.criterion
        if answer.status is AnswerStatus.LEVEL and criterion.level_index(answer.level) > 0:
            assert answer.evidence or NOTHING_QUOTABLE in answer.rationale.lower(), (
                f"{key}: {answer.criterion} is above the lowest level with no evidence and no"
                " word on why none is quotable"
            )


def test_the_papers_top_packages_are_credible(
    criteria: CriteriaSet, results: dict[str, Results]
) -> None:
    top = criteria.bands[-1].id
    assert top == "credible"
    for key in ("recommended", "nato"):
        assert results[key].verdict == top, (key, results[key].verdict, results[key].score)
        assert not results[key].gates_fired, key


def test_the_28_point_plan_is_declaratory_held_there_by_its_gates(
    criteria: CriteriaSet, results: dict[str, Results]
) -> None:
    result = results["twentyeight"]
    assert result.verdict == criteria.bands[0].id == "declaratory"
    assert {"named-guarantors", "article5-commitment"} <= set(result.gates_fired)
    assert criteria.band_index(result.uncapped_verdict) >= criteria.band_index(result.verdict)


def test_the_budapest_memorandum_is_declaratory_held_there_by_the_commitment_gate(
    criteria: CriteriaSet, results: dict[str, Results]
) -> None:
    result = results["budapest"]
    assert result.verdict == criteria.bands[0].id
    assert "article5-commitment" in result.gates_fired
    # Without its gates it would score a band higher: the cap is what holds it down.
    assert criteria.band_index(result.uncapped_verdict) > criteria.band_index(result.verdict)


@pytest.mark.parametrize("key", ["twenty", "paris"])
def test_the_later_drafts_fall_between_the_28_point_plan_and_the_recommendation(
    key: str, results: dict[str, Results]
) -> None:
    score = results[key].score
    assert score is not None
    assert results["twentyeight"].score < score < results["recommended"].score  # type: ignore[operator]


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
    lifting = {a["criterion"] for a in document["results"]["asks"] if a.get("lifts_gate")}
    assert set(fired) <= lifting

    assert main(["score", str(PATHS["twentyeight"]), "--draws", "0"]) == 0
    text = capsys.readouterr().out
    start = text.index("Asks, best first")
    section = text[start : text.index("\n\n", start)]
    for criterion_id in fired:
        title = criteria.criterion(criterion_id).title
        assert any(title in line and "[lifts gate]" in line for line in section.splitlines()), (
            criterion_id
        )


def test_score_places_the_28_point_plan_among_the_examples(
    capsys: pytest.CaptureFixture[str], reports: dict[str, Report]
) -> None:
    assert main(["score", str(PATHS["twentyeight"]), "--json", "--draws", "0"]) == 0
    refs = json.loads(capsys.readouterr().out)["analysis"]["reference_points"]
    # The lowest example other than itself is the Budapest Memorandum, and it is not among them.
    assert [r["name"] for r in refs["above"]] == [reports["budapest"].package.name]
    assert not refs["below"]
    assert reports["twentyeight"].package.name not in {r["name"] for r in refs["examples"]}
