"""Property tests (hypothesis): loaders never crash on junk; scores stay in bounds; round trips hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.errors import LoadError
from guaranteekit.formats.assessment import finalize, load_report, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria, load_criteria
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Package,
    Report,
    Results,
)
from guaranteekit.formats.storage import parse_toml, validate
from guaranteekit.scoring.core import compute

MINI = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "mini.toml")
try:
    BUILTIN: CriteriaSet | None = find_criteria(DEFAULT_CRITERIA)
except LoadError:
    BUILTIN = None
SETS = [MINI] + ([BUILTIN] if BUILTIN is not None else [])

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def answers_for(draw: st.DrawFn, criteria: CriteriaSet) -> list[Answer]:
    answers = []
    for criterion in criteria.criteria:
        kind = draw(st.sampled_from(["level", "level", "level", "unknown", "na", "skip"]))
        if kind == "skip":
            continue
        common = {
            "criterion": criterion.id,
            "rationale": draw(text),
            "evidence": draw(st.lists(text, max_size=2)),
            "confidence": draw(st.sampled_from(list(Confidence))),
        }
        if kind == "level":
            level = draw(st.sampled_from(criterion.levels)).id
            answers.append(Answer(level=level, **common))
        elif kind == "unknown":
            answers.append(Answer(status=AnswerStatus.UNKNOWN, **common))
        else:
            reason = draw(text.filter(lambda s: s.strip() != ""))
            answers.append(Answer(status=AnswerStatus.NOT_APPLICABLE, reason=reason, **common))
    return answers


@st.composite
def set_and_answers(draw: st.DrawFn) -> tuple[CriteriaSet, list[Answer]]:
    criteria = draw(st.sampled_from(SETS))
    return criteria, draw(answers_for(criteria))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(set_and_answers())
def test_scores_stay_in_bounds_and_inside_the_range(case: tuple[CriteriaSet, list[Answer]]) -> None:
    criteria, answers = case
    r = compute(criteria, answers)
    # Scoring builds its parts without re-validation; they must still be valid results.
    assert Results.model_validate(r.model_dump()) == r
    assert 0.0 <= r.low <= r.high <= 100.0
    if r.score is not None:
        assert r.low <= r.score <= r.high
    if not r.provisional and all(a.confidence is Confidence.HIGH for a in answers):
        assert r.score is None or r.low == r.score == r.high
    for pillar in r.pillars:
        if pillar.score is not None:
            assert pillar.low is not None and pillar.high is not None
            assert 0 <= pillar.low <= pillar.score <= pillar.high <= 100
    bands = [b.id for b in criteria.bands]
    assert bands.index(r.verdict) <= bands.index(r.uncapped_verdict)
    for ask in r.asks:
        # A price ask gains no credibility: it lowers the price instead (format 2).
        assert (
            ask.gain > 0
            or ask.lifts_gate
            or bands.index(ask.verdict_after) > bands.index(r.verdict)
            or (ask.price_drop or 0) > 0
        )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(set_and_answers(), text.filter(lambda s: s.strip() != ""))
def test_report_round_trip_is_byte_identical(
    case: tuple[CriteriaSet, list[Answer]], name: str
) -> None:
    criteria, answers = case
    report = new_report(Package(name=name), criteria)
    report = finalize(report.model_copy(update={"answers": answers}), criteria)
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "a.toml"
        second = Path(tmp) / "b.toml"
        save_report(first, report)
        loaded = load_report(first)
        assert loaded == report
        save_report(second, loaded)
        assert first.read_bytes() == second.read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_reader_turns_any_bytes_into_data_or_a_load_error(data: bytes) -> None:
    try:
        parsed = parse_toml(data, "junk.toml")
    except LoadError as exc:
        assert all(line.startswith("junk.toml") for line in exc.problems)
        return
    try:
        validate(Report, parsed, "junk.toml")
    except LoadError as exc:
        assert all(line.startswith("junk.toml: ") for line in exc.problems)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["format_version", "package", "answers", "criteria", "x"]), json_values
    )
)
def test_validation_of_any_structure_is_a_load_error_not_a_crash(data: dict) -> None:
    try:
        validate(Report, data, "f.toml")
    except LoadError as exc:
        assert exc.problems and all(line.startswith("f.toml: ") for line in exc.problems)
