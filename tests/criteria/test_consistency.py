"""The same words get the same level in every example.

`docs/criteria.md` lists, for each gated criterion, typical wordings and the level each gets (the
table after the `wordings table` marker). Every example whose evidence for that criterion quotes such
a wording must answer the criterion with that level: the 20-point plan's "coordinated military
response" cannot be read one way and the 28-point plan's the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.catalog import find_criteria, resource_dir
from guaranteekit.formats.models import Answer, AnswerStatus, CriteriaSet, Report

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "criteria.md"
MARKER = "<!-- wordings table: parsed by tests/criteria/test_consistency.py -->"
ROW = re.compile(
    r"^\| `(?P<criterion>[a-z0-9-]+)` \| (?P<wording>[^|]+?) \| `(?P<level>[a-z0-9-]+)` \|"
)
EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))
FIXTURES = [ROOT / "tests" / "data" / "reports" / "empty-reaffirmation.toml"]


@dataclass(frozen=True)
class Wording:
    criterion: str
    wording: str
    level: str


def parse_wordings(text: str) -> list[Wording]:
    """The rows of the wordings table: the table right after the marker, up to the first blank line."""
    start = text.index(MARKER) + len(MARKER)
    rows = []
    for line in text[start:].lstrip("\n").splitlines():
        if not line.strip():
            break
        if match := ROW.match(line):
            rows.append(Wording(**match.groupdict()))
    return rows


def misread(answer: Answer, wordings: list[Wording]) -> list[str]:
    """Each table wording the answer's evidence quotes while the answer gives another level."""
    problems = []
    for row in wordings:
        if row.criterion != answer.criterion:
            continue
        for quote in answer.evidence:
            if row.wording.lower() not in quote.lower():
                continue
            level = answer.level if answer.status is AnswerStatus.LEVEL else answer.status.value
            if level != row.level:
                problems.append(f"quotes {row.wording!r} but answers {level!r}, not {row.level!r}")
    return problems


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return find_criteria("guarantee-credibility", "2.0.0")


@pytest.fixture(scope="module")
def wordings() -> list[Wording]:
    return parse_wordings(DOCS.read_text())


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {path.stem: load_report(path) for path in [*EXAMPLES, *FIXTURES]}


def test_every_row_names_a_level_of_its_criterion(
    criteria: CriteriaSet, wordings: list[Wording]
) -> None:
    assert len(wordings) >= 20
    for row in wordings:
        levels = [level.id for level in criteria.criterion(row.criterion).levels]
        assert row.level in levels, row
    # No wording is given two levels for one criterion.
    keys = [(row.criterion, row.wording.lower()) for row in wordings]
    assert len(keys) == len(set(keys))


def test_every_gated_criterion_has_typical_wordings(
    criteria: CriteriaSet, wordings: list[Wording]
) -> None:
    gated = {c.id for c in criteria.criteria if c.gates}
    for lens in criteria.lenses or []:
        gated |= {gate.criterion for gate in lens.gates or []}
    assert gated <= {row.criterion for row in wordings}


@pytest.mark.parametrize("name", [p.stem for p in [*EXAMPLES, *FIXTURES]])
def test_an_example_quoting_a_wording_answers_it_with_its_level(
    name: str, reports: dict[str, Report], wordings: list[Wording]
) -> None:
    problems = [
        f"{answer.criterion}: {problem}"
        for answer in reports[name].answers
        for problem in misread(answer, wordings)
    ]
    assert not problems, "\n".join(problems)


def test_the_table_is_exercised_by_the_examples(
    reports: dict[str, Report], wordings: list[Wording]
) -> None:
    # A table no example quotes would check nothing: most rows must match some example's evidence.
    used = {
        row
        for row in wordings
        for report in reports.values()
        for answer in report.answers
        if answer.criterion == row.criterion
        and any(row.wording.lower() in quote.lower() for quote in answer.evidence)
    }
    assert len(used) >= len(wordings) - 3, sorted(
        {r.wording for r in wordings} - {r.wording for r in used}
    )


def test_the_check_catches_the_1_0_reading_of_coordinated_military_response(
    wordings: list[Wording],
) -> None:
    # 1.0.0 read the 20-point plan's wording as force among the options: that is now a misreading.
    answer = Answer(
        criterion="article5-commitment",
        status=AnswerStatus.LEVEL,
        level="may-include",
        rationale="Force among the options.",
        evidence=['point 5: "in addition to a coordinated military response"'],
    )
    assert misread(answer, wordings)
    assert not misread(answer.model_copy(update={"level": "passive"}), wordings)
