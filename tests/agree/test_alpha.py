"""Krippendorff's alpha as `agree` computes it, against Krippendorff's own worked examples.

The figures are those of K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (Annenberg
School for Communication, University of Pennsylvania, 2011): example A (binary, two observers),
example B (nominal, two observers) and example C (four observers, twelve units, missing values,
every metric). The `answers` distance (levels and statuses on one scale) is checked against what it
is defined to reduce to: ordinal alpha on levels alone and nominal alpha on statuses alone.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.scoring.agreement import alpha

N = None

# Example C: observers A-D (rows) by units 1-12 (columns); N is a missing value.
EXAMPLE_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_example_c_four_observers_with_missing_values(metric: str, published: float) -> None:
    assert round(alpha(EXAMPLE_C, metric), 3) == published  # type: ignore[arg-type]


def test_example_a_binary_two_observers() -> None:
    jon = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    ben = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(alpha([jon, ben], "nominal"), 3) == 0.095  # type: ignore[arg-type]


def test_example_b_nominal_two_observers() -> None:
    code = {c: i for i, c in enumerate("abcde")}
    ben = [code[c] for c in "aabbdcccedda"]
    gerry = [code[c] for c in "babbbccceddd"]
    assert round(alpha([ben, gerry], "nominal"), 3) == 0.692  # type: ignore[arg-type]


def test_answers_distance_is_ordinal_on_levels_alone() -> None:
    """Example C's values 1-5 as positions on a five-level rubric (0, 0.25, ... 1)."""
    positions = [[None if v is None else (v - 1) / 4 for v in row] for row in EXAMPLE_C]
    assert alpha(positions, "answers") == pytest.approx(alpha(EXAMPLE_C, "ordinal"))


def test_answers_distance_is_nominal_on_statuses_alone() -> None:
    """Example C's values recoded to the three statuses (coded 2, 3, 4: above every level)."""
    status = {1: 2.0, 2: 3.0, 3: 4.0, 4: 2.0, 5: 3.0}
    statuses = [[None if v is None else status[v] for v in row] for row in EXAMPLE_C]
    assert alpha(statuses, "answers") == pytest.approx(alpha(statuses, "nominal"))
    assert alpha(statuses, "answers") != pytest.approx(alpha(EXAMPLE_C, "nominal"))


def test_a_status_disagreement_counts_as_the_widest_level_disagreement() -> None:
    """Worked by hand: units (0, 0), (0.5, 0.5), (1, 1), (unknown, 1). Values 0: 2, 0.5: 2, 1: 3,
    unknown: 1 (n = 8). Observed: one unknown-1 pair each way, distance 1: D_o = 2/8. Expected:
    ordinal distances scaled by the widest, (n_0 + n_.5 + n_1 - (n_0 + n_1)/2)^2 = 4.5^2; 0-0.5:
    2^2/4.5^2, 0.5-1: 2.5^2/4.5^2, 0-1: 1; unknown-anything: 1."""
    data = [[0, 0.5, 1, 3.0], [0, 0.5, 1, 1]]
    n = {0: 2, 0.5: 2, 1: 3, "u": 1}
    d = {(0, 0.5): 4 / 20.25, (0.5, 1): 6.25 / 20.25, (0, 1): 1.0}
    d |= {(k, "u"): 1.0 for k in (0, 0.5, 1)}
    expected = sum(2 * n[a] * n[b] * dist for (a, b), dist in d.items()) / (8 * 7)
    assert alpha(data, "answers") == pytest.approx(1 - (2 / 8) / expected)


def test_not_defined_without_two_units_or_without_variation() -> None:
    assert alpha([[0.5], [1.0]]) is None  # one unit
    assert alpha([[1, 1, 1], [1, 1, 1]]) is None  # nothing varies
    assert alpha([[0, N, 1], [N, 1, N]]) is None  # no unit coded twice
    assert alpha([]) is None
    assert alpha([[0, 1], [0, 1]]) == 1.0


levels = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 1 / 3, 2 / 3])
statuses = st.sampled_from([2.0, 3.0, 4.0])


def _matrices(values: st.SearchStrategy[float]) -> st.SearchStrategy[list[list[float | None]]]:
    cell = st.one_of(values, st.none())
    return st.integers(2, 4).flatmap(
        lambda coders: st.integers(2, 12).flatmap(
            lambda units: st.lists(
                st.lists(cell, min_size=units, max_size=units), min_size=coders, max_size=coders
            )
        )
    )


@settings(max_examples=150, deadline=None)
@given(_matrices(levels))
def test_answers_equal_ordinal_on_any_levels(data: list[list[float | None]]) -> None:
    ours, ordinal = alpha(data, "answers"), alpha(data, "ordinal")
    assert (ours is None) == (ordinal is None)
    if ours is not None and ordinal is not None:
        assert ours == pytest.approx(ordinal)
        assert ours <= 1 + 1e-9


@settings(max_examples=150, deadline=None)
@given(_matrices(st.one_of(levels, statuses)))
def test_answers_alpha_is_at_most_one_and_one_when_coders_agree(
    data: list[list[float | None]],
) -> None:
    value = alpha(data, "answers")
    assert value is None or (math.isfinite(value) and value <= 1 + 1e-9)
    same = [data[0], list(data[0])]
    agreed = alpha(same, "answers")
    assert agreed is None or agreed == pytest.approx(1.0)
    # alpha skips the library when nothing disagrees: the library's own answer is the same.
    assert agreed == _library(same)


def _library(data: list[list[float | None]]) -> float | None:
    """The `krippendorff` package's alpha itself (nominal), None where it is undefined."""
    import krippendorff
    import numpy as np

    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(
                krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
            )
    except ValueError:
        return None
    return value if math.isfinite(value) else None
