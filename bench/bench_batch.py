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

`--same-reader` adds a third column for a checkout that reads with rtoml when it is installed (the
code of 4590eb7): the same checkout with that fast path turned off, so that it reads with tomli as
this one does. Then the same work is compared too: this `compare` (which verifies every report
before using it) against the other's `compare` plus its `verify --jobs 1`, the two commands the
old code needed for the same guarantee.
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


_TOMLI_ONLY = (
    "import sys; import guaranteekit.storage as s; assert hasattr(s, '_fast_reader');"
    " s._fast_reader = None;"
    " from guaranteekit.cli import main; sys.argv[0] = 'guaranteekit'; sys.exit(main())"
)
"""The other checkout's command with its rtoml fast path off (4590eb7 read with rtoml when it was
installed and with tomli otherwise)."""


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
        "--same-reader",
        action="store_true",
        help="also run the other checkout with its rtoml fast path off (4590eb7 and before)",
    )
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
        if args.same_reader:
            tools["other, tomli"] = [
                str(args.against.resolve() / ".venv/bin/python"),
                "-c",
                _TOMLI_ONLY,
            ]
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
        medians: dict[str, dict[str, float]] = {}
        for name, argv in workloads.items():
            times: dict[str, list[float]] = {tool: [] for tool in tools}
            cpus: dict[str, list[float]] = {tool: [] for tool in tools}
            for _ in range(args.repeat):
                for tool, command in tools.items():
                    extra = args.extra.split() if tool.startswith("other") else []
                    wall, cpu = _timed([*command, *argv, *extra])
                    times[tool].append(wall)
                    cpus[tool].append(cpu)
            medians[name] = {tool: statistics.median(values) for tool, values in times.items()}
            line = [f"{name:<22}"]
            for tool, values in times.items():
                line.append(
                    f"{tool}: {medians[name][tool]:.2f} s (least {min(values):.2f},"
                    f" cpu {statistics.median(cpus[tool]):.2f})"
                )
            for tool in times:
                if tool != "this":
                    line.append(f"this/{tool} {medians[name]['this'] / medians[name][tool]:.2f}")
            print("  ".join(line))
    if len(tools) > 1:
        ours = medians["compare 1,000 (md)"]["this"]
        for tool in tools:
            if tool == "this":
                continue
            # verify in one process, as this compare is, whatever --extra says.
            same = medians["compare 1,000 (md)"][tool] + medians["verify 1,000 --jobs 1"][tool]
            print(
                f"same work, compare 1,000 verified: this {ours:.2f} s, {tool} compare + verify"
                f" {same:.2f} s, this/{tool} {ours / same:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
