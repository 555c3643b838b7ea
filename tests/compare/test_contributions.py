"""Score changes split by criterion add up exactly: largest-remainder apportioning, by hand and by
property over generated rounds (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.documents.build import build
from guaranteekit.documents.columns import apportion
from guaranteekit.formats.assessment import Scored, finalize, new_report
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, Package, Profile
from guaranteekit.scoring import core as scoring

MINI = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "mini.toml")


def test_apportion_adds_up_and_stays_within_one_unit() -> None:
    # Three thirds of 100.00 points (in hundredths): 3333.33 each, one gets the spare hundredth.
    assert apportion([10000 / 3] * 3, 10000) == [3334, 3333, 3333]
    # Two-thirds shares of 83.33 (66.666..., 16.666...): floors 6666 + 1666 = 8332, one to add.
    assert apportion([20000 / 3, 5000 / 3], 8333) == [6667, 1666]
    # The rounded total can sit below the floors' sum: take the unit from the smallest remainder.
    assert apportion([1.0, 2.0], 2) == [1, 1]
    assert apportion([], 0) == []


@given(
    st.lists(st.floats(min_value=0, max_value=10_000, allow_nan=False), min_size=1, max_size=30),
    st.integers(min_value=-2, max_value=2),
)
def test_apportion_property(values: list[float], nudge: int) -> None:
    total = round(sum(values)) + nudge
    shares = apportion(values, total)
    assert sum(shares) == total
    slack = abs(total - sum(values)) + 1
    assert all(abs(share - value) <= slack for share, value in zip(shares, values, strict=True))


def _answer(criterion_id: str, choice: int, confidence: Confidence) -> Answer | None:
    """choice: -3 unanswered, -2 unknown, -1 not applicable, else a level index."""
    if choice == -3:
        return None
    if choice == -2:
        return Answer(criterion=criterion_id, status=AnswerStatus.UNKNOWN)
    if choice == -1:
        return Answer(criterion=criterion_id, status=AnswerStatus.NOT_APPLICABLE, reason="n/a")
    levels = MINI.criterion(criterion_id).levels
    return Answer(
        criterion=criterion_id, level=levels[choice % len(levels)].id, confidence=confidence
    )


answers_strategy = st.lists(
    st.tuples(st.integers(min_value=-3, max_value=2), st.sampled_from(list(Confidence))),
    min_size=3,
    max_size=3,
)
weights_strategy = st.one_of(
    st.none(),
    st.tuples(
        st.floats(min_value=0.1, max_value=9, allow_nan=False),
        st.floats(min_value=0.1, max_value=9, allow_nan=False),
    ),
)


def _scored(name: str, choices, weights) -> Scored:
    profile = None
    if weights is not None:
        profile = Profile(
            format_version=1,
            name="weights",
            criteria="mini",
            weights={"guarantor": weights[0], "force": weights[1]},
        )
    answers = [
        a
        for c, (choice, confidence) in zip(MINI.criteria, choices, strict=True)
        if (a := _answer(c.id, choice, confidence)) is not None
    ]
    report = new_report(Package(name=name), MINI, profile)
    report = finalize(report.model_copy(update={"answers": answers}), MINI, profile)
    return Scored(Path(f"{name}.toml"), report, MINI, profile, None, [])


@settings(max_examples=300, deadline=None)
@given(answers_strategy, answers_strategy, answers_strategy, weights_strategy)
def test_changes_add_up_to_the_score_change_exactly(old, middle, new, weights) -> None:
    rounds = [_scored(n, c, weights) for n, c in (("r1", old), ("r2", middle), ("r3", new))]
    document = build(rounds, "rounds")
    for entry, scored in zip(document.entries, rounds, strict=True):
        results = scoring.compute(MINI, scored.report.answers, scored.profile)
        assert entry.score == results.score
        # Each report's contributions add up to its shown score...
        column = document.entries.index(entry)
        shown = sum(round(row.cells[column].contribution * 100) for row in document.rows)
        assert shown == (0 if results.score is None else round(results.score * 100))
        # ...and each is within a hundredth of its exact share 100 w f / W.
        answered = [c for c in results.criteria if c.fraction is not None]
        total_weight = sum(c.weight for c in answered)
        for raw in answered:
            row = next(r for r in document.rows if r.criterion == raw.criterion)
            exact = 100 * raw.weight * raw.fraction / total_weight
            assert abs(row.cells[column].contribution - exact) < 0.01 + 1e-9
    for step in [*document.steps, document.overall]:
        assert step is not None
        before = 0.0 if step.old_score is None else step.old_score
        after = 0.0 if step.new_score is None else step.new_score
        assert round(step.delta * 100) == round(after * 100) - round(before * 100)
        assert sum(round(c.delta * 100) for c in step.changes) == round(step.delta * 100)
