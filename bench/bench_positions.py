"""Benchmark of planning within parties' positions over the built-in criteria set.

1. For each worked example scored with guarantee-credibility 2.0.0: `plan_within` with the shipped
   US, Russian and Coalition positions (three parties, eight red lines): the strongest verdict
   within the red lines, the fewest changes, and the blocking sets of each higher band. The goal
   is under 200 ms per package.
2. A harder case for the exact search over subsets: three made-up parties with four red lines
   each on the heaviest credibility criteria (each ruling out the two best levels), so that the
   higher bands are blocked and subsets of up to `MAX_SUBSET` of the twelve red lines are tried.

Run: `.venv/bin/python bench/bench_positions.py [--repeat R]`. Prints figures; asserts nothing
(speed goals are not tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from guaranteekit.formats.assessment import load_scored
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.formats.positions import (
    Firmness,
    LoadedPositions,
    Position,
    PositionsFile,
    load_positions,
)
from guaranteekit.scoring.positions import plan_within


def _timed(run, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def _made_up(criteria) -> list[LoadedPositions]:
    heavy = sorted(
        (c for c in criteria.criteria if not c.is_price), key=lambda c: (-c.weight, c.id)
    )[:12]
    files = []
    for party in range(3):
        positions = [
            Position(
                criterion=c.id,
                rules_out=[level.id for level in c.levels[-2:]],
                source="bench",
                firmness=Firmness.RED_LINE,
            )
            for c in heavy[party::3]
        ]
        data = PositionsFile(
            format_version=1,
            party=f"Party {party}",
            as_of=dt.date(2026, 1, 1),
            criteria=criteria.id,
            positions=positions,
        )
        files.append(LoadedPositions(f"party-{party}.toml", data))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    examples = sorted(resource_dir("examples").glob("*.toml"))
    print(f"1. three parties' shipped positions (us, russia, coalition), median of {args.repeat}")
    worst = 0.0
    for path in examples:
        scored = load_scored(Path(path))
        if scored.criteria.version != "2.0.0":
            continue
        loaded = load_positions(["us", "russia", "coalition"], scored.criteria)
        ms, within = _timed(
            lambda s=scored, lo=loaded: plan_within(s.criteria, s.report.answers, lo, s.profile),
            args.repeat,
        )
        worst = max(worst, ms)
        print(
            f"   {path.name:42} {ms:7.1f} ms  {within.verdict_as_drafted:>12} -> "
            f"{within.band or '-':12} {len(within.asks):2} changes, {within.plans_run:3} plans"
        )
    print(f"   slowest: {worst:.1f} ms (goal: under 200 ms)")
    scored = load_scored(resource_dir("examples") / "20-point-plan-2025-12.toml")
    made_up = _made_up(scored.criteria)
    ms, within = _timed(
        lambda: plan_within(scored.criteria, scored.report.answers, made_up, scored.profile),
        args.repeat,
    )
    sizes = [len(b.blocking[0]) if b.blocking else 0 for b in within.higher]
    print(
        f"2. twelve made-up red lines on the 20-point plan: {ms:.1f} ms, {within.plans_run} plans,"
        f" reachable {within.band}, blocking set sizes per higher band {sizes}"
    )


if __name__ == "__main__":
    main()
