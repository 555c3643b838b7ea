"""Benchmark of the decision support: Monte Carlo draws, planned asks and weight thresholds.

Goal (issue 7): 10,000 Monte Carlo draws over the built-in criteria set in under a second, in pure
Python. Uses the built-in set when it is installed, else a generated 28-criterion set of the same
shape (4 levels each, 3 gates, 3 scenarios). Answers are random (seeded), with mixed confidence so
that the answer perturbation is exercised too.

Run: `.venv/bin/python bench/bench_analysis.py [--draws N] [--repeat R] [--criteria ID|FILE]`.
Prints figures; asserts nothing (speed goals are not tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, CriteriaSet
from guaranteekit.scoring.montecarlo import monte_carlo, monte_carlo_ranking
from guaranteekit.scoring.plans import plan_asks
from guaranteekit.scoring.thresholds import ranking_thresholds, weight_thresholds


def generated_set(count: int = 28) -> CriteriaSet:
    """A criteria set shaped like the built-in one, for when that is not installed."""
    scores = [0.0, 0.35, 0.7, 1.0]
    criteria = []
    for index in range(count):
        criterion = {
            "id": f"c{index:02d}",
            "pillar": f"p{index % 5}",
            "title": f"Criterion {index}",
            "question": "Does the draft say so?",
            "why": "Generated for the benchmark.",
            "weight": 1 + (index * 7) % 4,
            "citations": [{"source": "paper", "section": f"§{index}"}],
            "levels": [
                {"id": f"l{n}", "label": f"L{n}", "description": f"Level {n}.", "score": s}
                for n, s in enumerate(scores)
            ],
            "scenario_weights": {"none": 1 + index % 3, "full": 1 + (index + 1) % 3},
        }
        if index % 9 == 0:
            criterion["gate"] = {"level": "l1", "cap": "declaratory"}
        criteria.append(criterion)
    return CriteriaSet.model_validate(
        {
            "format_version": 1,
            "id": "bench",
            "version": "1",
            "title": "Generated set",
            "sources": [{"id": "paper", "title": "Paper"}],
            "pillars": [{"id": f"p{n}", "title": f"Pillar {n}"} for n in range(5)],
            "bands": [
                {"id": "declaratory", "label": "Declaratory", "meaning": "m", "min_score": 0},
                {"id": "weak", "label": "Weak", "meaning": "m", "min_score": 35},
                {"id": "conditional", "label": "Conditional", "meaning": "m", "min_score": 55},
                {"id": "credible", "label": "Credible", "meaning": "m", "min_score": 75},
            ],
            "scenarios": [
                {"id": "none", "label": "No ceasefire"},
                {"id": "partial", "label": "Partial"},
                {"id": "full", "label": "Full"},
            ],
            "criteria": criteria,
        }
    )


def random_answers(criteria: CriteriaSet, seed: int) -> list[Answer]:
    rng = random.Random(seed)
    answers = []
    for criterion in criteria.criteria:
        if rng.random() < 0.05:
            answers.append(Answer(criterion=criterion.id, status=AnswerStatus.UNKNOWN))
            continue
        answers.append(
            Answer(
                criterion=criterion.id,
                level=rng.choice(criterion.levels).id,
                confidence=rng.choice(list(Confidence)),
            )
        )
    return answers


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--criteria", default=DEFAULT_CRITERIA, help="criteria set id or file")
    args = parser.parse_args()

    try:
        criteria = find_criteria(args.criteria)
        origin = "built-in"
    except GuaranteekitError:
        criteria = generated_set()
        origin = "generated (built-in set not installed)"
    print(
        f"criteria: {criteria.id} {criteria.version}, {len(criteria.criteria)} criteria, {origin}"
    )
    answers = random_answers(criteria, seed=3)
    others = [random_answers(criteria, seed=s) for s in (4, 5, 6)]

    for confidence in (True, False):
        ms = timed(
            lambda c=confidence: monte_carlo(
                criteria, answers, draws=args.draws, seed=1, confidence=c
            ),
            args.repeat,
        )
        label = "with answer confidence" if confidence else "weights only"
        print(f"monte_carlo {args.draws:,} draws ({label}): {ms:7.1f} ms  (goal < 1000 ms)")
    items = [(criteria, a, None) for a in [answers, *others]]
    ms = timed(lambda: monte_carlo_ranking(items, draws=args.draws, seed=1), args.repeat)
    print(f"monte_carlo_ranking, 4 packages, {args.draws:,} draws: {ms:7.1f} ms")

    # Planned asks from the bottom: every criterion at its lowest level (the largest plan).
    lowest = [Answer(criterion=c.id, level=c.levels[0].id) for c in criteria.criteria]
    for name, case in (("random answers", answers), ("all lowest", lowest)):
        for target in ("next", "top"):
            plan = plan_asks(criteria, case, target=target)  # type: ignore[arg-type]
            ms = timed(
                lambda c=case, t=target: plan_asks(criteria, c, target=t),
                args.repeat,
            )
            print(
                f"plan_asks ({name}, {target}): {ms:7.1f} ms"
                f"  ({len(plan.changes)} changes, {plan.steps} steps)"
            )
    ms = timed(lambda: weight_thresholds(criteria, answers), args.repeat)
    print(f"weight_thresholds: {ms:7.1f} ms")
    ms = timed(lambda: ranking_thresholds(items), args.repeat)
    print(f"ranking_thresholds, 4 packages: {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
