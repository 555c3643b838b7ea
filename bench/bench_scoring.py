"""Benchmark of scoring a large criteria set with planned asks.

Goal: `guaranteekit score` on a report against a generated set of 1,000 criteria finishes in under
2 s, planned asks included (large sets are where planned asks used to blow up). The set is generated in the chosen format (2 by default: silence
levels, price criteria, gates on several levels with acceptable levels, levels never asked for,
scenarios with `operates_in` and `follows`, a lens), with random weights, level scores and
answers (seeded), so that no two criteria are alike.

Prints, for each size: the in-process time of the score itself (`compute`), of the two planned asks
(next band, top band) and their size, and the wall time of the whole `guaranteekit score` command
(fresh process, text output, Monte Carlo left out with `--draws 0` and, separately, at its default
2,000 draws), with the CPU time it used beside the wall time, since the machine is shared.

Run: `.venv/bin/python bench/bench_scoring.py [--criteria N ...] [--format 1|2] [--repeat R]`.
Prints figures; asserts nothing (speed goals are not tests).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from guaranteekit.formats.assessment import finalize, new_report, save_report
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, CriteriaSet, Package
from guaranteekit.formats.storage import write_model
from guaranteekit.scoring.core import compute
from guaranteekit.scoring.plans import plan_asks

GOAL = 2.0


def generated_set(count: int, fmt: int = 2, seed: int = 11) -> CriteriaSet:
    """A criteria set of `count` criteria, each with its own weight and level scores."""
    rng = random.Random(seed)
    criteria: list[dict[str, Any]] = []
    for index in range(count):
        size = rng.randint(3, 5)
        inner = sorted(rng.sample(range(1, 100), size - 2))
        scores = [0.0, *(s / 100 for s in inner), 1.0]
        ids = [f"l{n}" for n in range(size)]
        price = fmt == 2 and index % 6 == 5
        levels = [
            {
                "id": lid,
                "label": lid.upper(),
                "description": f"Level {lid} of c{index}.",
                "score": s,
            }
            for lid, s in zip(ids, scores, strict=True)
        ]
        criterion: dict[str, Any] = {
            "id": f"c{index:04d}",
            "pillar": ("price" if price else f"p{index % 4}"),
            "title": f"Criterion {index}",
            "question": "Does the draft say so?",
            "why": "Generated for the benchmark.",
            "weight": round(rng.uniform(0.5, 5.0), 2),
            "citations": [{"source": "paper", "section": f"§{index}"}],
            "levels": levels,
            "scenario_weights": {"none": round(rng.uniform(0.5, 5.0), 2)},
        }
        if fmt == 1:
            if index % 9 == 0:
                criterion["gate"] = {"level": "l1", "cap": "declaratory"}
        else:
            for level in levels[1:]:
                level["demand"] = f"Table {level['id']} of c{index}."
            if size > 3 and index % 7 == 0:
                levels[1]["ask"] = False
                del levels[1]["demand"]
            criterion["when_silent"] = "l0" if index % 10 else "unknown"
            criterion["not_applicable"] = {"allowed": False}
            if price:
                criterion["axis"] = "price"
                if index % 12 == 5:
                    criterion["gates"] = [
                        {"fires_on": [ids[-1]], "cap": "conditional", "acceptable": ids[-2]}
                    ]
            elif index % 9 == 0:
                criterion["gates"] = [
                    {"fires_on": ids[:2], "cap": "declaratory", "acceptable": ids[-1]}
                ]
            if index % 25 == 0:
                levels[0]["operates_in"] = ["full"]
            elif index % 25 in (1, 2, 3) and not price:
                criterion["follows"] = f"c{index - index % 25:04d}"
        criteria.append(criterion)
    data: dict[str, Any] = {
        "format_version": fmt,
        "id": "bench-large",
        "version": "1",
        "title": "Generated large set",
        "sources": [{"id": "paper", "title": "Paper"}],
        "pillars": [{"id": f"p{n}", "title": f"Pillar {n}"} for n in range(4)],
        "bands": [
            {"id": "declaratory", "label": "Declaratory", "meaning": "m", "min_score": 0},
            {"id": "thin", "label": "Thin", "meaning": "m", "min_score": 30},
            {"id": "conditional", "label": "Conditional", "meaning": "m", "min_score": 55},
            {"id": "credible", "label": "Credible", "meaning": "m", "min_score": 75},
        ],
        "scenarios": [
            {"id": "none", "label": "No ceasefire"},
            {"id": "full", "label": "Full ceasefire"},
        ],
        "criteria": criteria,
    }
    if fmt == 2:
        data["pillars"].append({"id": "price", "title": "Price"})
        data["price_bands"] = [
            {"id": "light", "label": "Light", "meaning": "m", "min_score": 0},
            {"id": "heavy", "label": "Heavy", "meaning": "m", "min_score": 50},
        ]
        data["lenses"] = [
            {"id": "lens", "label": "A lens", "weights": {"c0001": 9.0}, "drop_gates": ["c0000"]}
        ]
    return CriteriaSet.model_validate(data)


def random_answers(criteria: CriteriaSet, seed: int = 5) -> list[Answer]:
    rng = random.Random(seed)
    answers = []
    for criterion in criteria.criteria:
        roll = rng.random()
        if roll < 0.08:
            continue  # unanswered
        if roll < 0.14:
            answers.append(
                Answer(criterion=criterion.id, status=AnswerStatus.UNKNOWN, rationale="Unclear.")
            )
            continue
        answers.append(
            Answer(
                criterion=criterion.id,
                level=rng.choice(criterion.levels[: max(2, len(criterion.levels) - 1)]).id,
                rationale="Generated.",
                confidence=rng.choice(list(Confidence)),
            )
        )
    return answers


def _best(times: list[float]) -> str:
    return f"{min(times):.3f} s (median {statistics.median(times):.3f} s)"


def run(count: int, fmt: int, repeat: int, folder: Path) -> None:
    criteria = generated_set(count, fmt)
    answers = random_answers(criteria)
    score_times, next_times, top_times = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        compute(criteria, answers)
        score_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        nxt = plan_asks(criteria, answers, target="next")
        next_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        top = plan_asks(criteria, answers, target="top")
        top_times.append(time.perf_counter() - start)
    print(f"{count:,} criteria, format {fmt}:")
    print(f"  compute (score, range, asks, scenarios, lenses): {_best(score_times)}")
    print(
        f"  planned asks to {nxt.band}: {len(nxt.changes)} changes, {nxt.steps} steps,"
        f" {_best(next_times)}"
    )
    print(
        f"  planned asks to {top.band}: {len(top.changes)} changes, {top.steps} steps,"
        f" {_best(top_times)}"
    )

    set_path = folder / f"set-{count}-{fmt}.toml"
    write_model(set_path, criteria, schema="criteria")
    report = new_report(Package(name=f"{count} criteria"), criteria)
    report = finalize(report.model_copy(update={"answers": answers}), criteria)
    report_path = folder / f"report-{count}-{fmt}.toml"
    save_report(report_path, report)
    command = [sys.executable, "-m", "guaranteekit", "score", str(report_path)]
    command += ["--criteria", str(set_path)]
    for draws in ("0", "2000"):
        walls, cpus = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                [*command, "--draws", draws], capture_output=True, text=True, check=False
            )
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                raise SystemExit(done.returncode)
        print(
            f"  `guaranteekit score --draws {draws}` (fresh process): wall {_best(walls)},"
            f" CPU {_best(cpus)}; goal < {GOAL:g} s: {'met' if min(walls) < GOAL else 'NOT met'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criteria", type=int, nargs="+", default=[200, 1000, 1200])
    parser.add_argument("--format", type=int, choices=[1, 2], nargs="+", default=[2, 1])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.format:
            for count in args.criteria:
                run(count, fmt, args.repeat, Path(folder))


if __name__ == "__main__":
    main()
