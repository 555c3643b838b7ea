"""Batch commands as a user types them: compare of 30 and of 1,000 reports, verify of 1,000.

Generates complete reports against criteria set 1.0.0 (readable by every version of the tool since
it was published), then times each command in a fresh process, alternating between this checkout
and, with `--against DIR`, another checkout's installed command (for example the code before a
change), so that both are measured in one sitting on the same files under the same load.

Run: `.venv/bin/python bench/bench_batch.py [--against ../baseline] [--repeat R]`. Prints the median
and least wall time of each command for each checkout, the ratio of the medians, and the median CPU
time (user and system, the command's processes together), which a busy machine disturbs less than
wall time; asserts nothing. `verify 1,000 --jobs 1` is verify in one process, the measure of what
its pool of processes gains.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_core import make_reports

from guaranteekit.formats.catalog import load_criteria

HERE = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the command."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in ((0, 1) if "verify" in argv else (0,)):
        raise SystemExit(f"{' '.join(argv[:3])} ... failed: {done.stderr.decode()[-400:]}")
    return elapsed, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout with its own .venv")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--extra", default="", help="options for the other checkout's commands, e.g. '--jobs 1'"
    )
    args = parser.parse_args()
    old = HERE / "criteria" / "guarantee-credibility-1.0.0.toml"
    criteria = load_criteria(
        old if old.exists() else HERE / "criteria" / "guarantee-credibility.toml"
    )
    assert criteria.version == "1.0.0", criteria.version
    tools = {"this": [str(HERE / ".venv/bin/guaranteekit")]}
    if args.against is not None:
        tools["other"] = [str(args.against.resolve() / ".venv/bin/guaranteekit")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [str(p) for p in make_reports(criteria, folder, 1000)]
        out = folder / "out.md"
        workloads = {
            "compare 30 (md)": [
                "compare",
                *paths[:30],
                "--format",
                "md",
                "-o",
                str(out),
                "--force",
            ],
            "compare 1,000 (md)": ["compare", *paths, "--format", "md", "-o", str(out), "--force"],
            "verify 1,000": ["verify", *paths],
            "verify 1,000 --jobs 1": ["verify", "--jobs", "1", *paths],
        }
        print(f"{len(paths)} reports of criteria 1.0.0; {args.repeat} runs each, alternating")
        for name, argv in workloads.items():
            times: dict[str, list[float]] = {tool: [] for tool in tools}
            cpus: dict[str, list[float]] = {tool: [] for tool in tools}
            for _ in range(args.repeat):
                for tool, command in tools.items():
                    extra = args.extra.split() if tool == "other" else []
                    wall, cpu = _timed([*command, *argv, *extra])
                    times[tool].append(wall)
                    cpus[tool].append(cpu)
            line = [f"{name:<22}"]
            for tool, values in times.items():
                line.append(
                    f"{tool}: {statistics.median(values):.2f} s (least {min(values):.2f},"
                    f" cpu {statistics.median(cpus[tool]):.2f})"
                )
            if "other" in times:
                ratio = statistics.median(times["this"]) / statistics.median(times["other"])
                line.append(f"this/other {ratio:.2f}")
            print("  ".join(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
