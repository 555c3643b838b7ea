"""Benchmark of `guaranteekit compare` over 1,000 reports (goal: under 2 seconds).

Generates complete reports against the built-in criteria set (seeded random answers, as in
bench_core.py), then times the whole command as a user runs it, in a fresh process with the
package's bytecode compiled, as an install leaves it: reading and checking every report,
recomputing every score, building the comparison and rendering it. Markdown, HTML, TOML and JSON
are timed as a user types the command (no options: over 50 reports decision support is left out
unless `--draws` asks for it); decision support (2,000 Monte Carlo draws, rank probabilities for
every package) is timed on 50 reports, the most it runs for by default, and on 100 when asked. The
in-process time of each stage is printed too, to show where the time goes.

Run: `.venv/bin/python bench/bench_compare.py [--reports N] [--repeat R]`. Prints figures; asserts
nothing (speed goals are not tests). The in-process line shows where the time goes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_core import compile_bytecode, make_reports

from guaranteekit.cli.compare import DRAWS, DRAWS_UP_TO
from guaranteekit.documents.build import assemble
from guaranteekit.documents.columns import load_columns
from guaranteekit.documents.render import render
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria


def wall(argv: list[str], repeat: int) -> tuple[float, float, int]:
    """Median and least wall time of a command in seconds, and its output size in bytes."""
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:3])} ... failed: {done.stderr.decode()[-400:]}")
        size = len(done.stdout)
    return statistics.median(times), min(times), size


def stages(paths: list[Path]) -> None:
    """In-process time of each stage of `compare` (reading, assembling, rendering)."""
    start = time.perf_counter()
    columns, _ = load_columns(paths, "compare")
    one = time.perf_counter() - start
    start = time.perf_counter()
    document = assemble(columns, "compare")
    built = time.perf_counter() - start
    print(
        f"in process: read+check+score {one:.2f} s; assemble {built:.2f} s",
        end="",
    )
    for fmt in ("md", "html", "toml", "json"):
        start = time.perf_counter()
        render(document, fmt)
        print(f", render {fmt} {time.perf_counter() - start:.2f} s", end="")
    print()


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: this machine's speed at the moment (1.15 s quiet on the
    machine of 2026-11-29, 1.42-1.46 s on an earlier one; busy, up to 1.9 s), to read the figures
    below against."""
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i * i
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    criteria = find_criteria(DEFAULT_CRITERIA)
    print(f"criteria: {criteria.id} {criteria.version} ({len(criteria.criteria)} criteria)")
    compile_bytecode()  # as installed (see bench_core.compile_bytecode)
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_reports(criteria, Path(tmp), args.reports)
        files = [str(p) for p in paths]
        print(f"generated {len(paths)} reports")
        print(f"machine speed: {machine_speed():.2f} s for the fixed loop (1.15-1.46 s when quiet)")

        stages(paths)

        exe = str(Path(sys.executable).with_name("guaranteekit"))
        for fmt in ("md", "html", "toml", "json"):
            argv = [exe, "compare", *files, "--format", fmt]
            seconds, least, size = wall(argv, args.repeat)
            print(
                f"guaranteekit compare {len(files)} reports --format {fmt:<4}: "
                f"{seconds:5.2f} s median, {least:5.2f} s least of {args.repeat}"
                f"  ({size / 1024:.0f} KiB out; goal < 2 s)"
            )
        # Decision support draws rank probabilities over every package: on by default up to 50.
        for count, extra in ((DRAWS_UP_TO, []), (100, ["--draws", str(DRAWS)])):
            few = files[:count]
            seconds, _, _ = wall([exe, "compare", *few, "--format", "md", *extra], 1)
            command = " ".join(
                ["guaranteekit compare", str(len(few)), "reports --format md", *extra]
            )
            print(f"{command} (with decision support): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
