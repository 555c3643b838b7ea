"""Benchmark of the core, measured in one run against its floors.

1. Generates 1,000 complete reports against the built-in criteria set (random answers, seeded).
2. verify throughput over them (in-process, every check) against a bare TOML parse of the same
   files: we cannot verify faster than we read. Goal (issue 2): verify at no less than a third of
   the bare `tomllib` parse rate. Also shown: the rates of compiled tomli, the one reader verify
   uses, and of rtoml, and verify's ratio to the fastest of them.
3. Wall time of `guaranteekit --help` and `guaranteekit verify` on one report against a bare
   `python -c pass`. Goal: `--help` within 3x `python -c pass`.
4. `guaranteekit verify` over all the reports, fresh process, in one process and on every core.

Run: `.venv/bin/python bench/bench_core.py [--reports N] [--repeat R]`. Prints figures; asserts
nothing (speed goals are not tests).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from guaranteekit.formats.assessment import finalize, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, CriteriaSet, Package
from guaranteekit.formats.storage import toml_reader

try:
    import rtoml
except ImportError:  # pragma: no cover
    rtoml = None
from guaranteekit.verify.checks import Options, verify_file


def make_reports(criteria: CriteriaSet, folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    base = new_report(Package(name="bench", date="2026-01-01"), criteria)
    paths = []
    for index in range(count):
        answers = []
        for criterion in criteria.criteria:
            roll = rng.random()
            evidence = [f"Quoted passage {index}-{criterion.id}: the parties shall ..."]
            if roll < 0.05:
                answers.append(
                    Answer(
                        criterion=criterion.id,
                        status=AnswerStatus.NOT_APPLICABLE,
                        reason="Not part of this text.",
                        rationale="The draft does not cover it.",
                    )
                )
            else:
                answers.append(
                    Answer(
                        criterion=criterion.id,
                        level=rng.choice(criterion.levels).id,
                        rationale=f"Reading of draft {index}: the text says so in point {rng.randint(1, 28)}.",
                        evidence=evidence,
                        confidence=rng.choice(list(Confidence)),
                    )
                )
        package = Package(
            name=f"Draft {index}", date="2026-01-01", summary="Generated for the benchmark."
        )
        report = finalize(
            base.model_copy(update={"answers": answers, "package": package}), criteria
        )
        path = folder / f"report-{index:04d}.toml"
        save_report(path, report)
        paths.append(path)
    return paths


def compile_bytecode() -> None:
    """Compile guaranteekit's modules to bytecode, as `pip install` does for an installed copy.

    An editable install (`make run`) writes the bytecode the first time each module is imported,
    unless PYTHONDONTWRITEBYTECODE is set (as it is on some build machines): then every command
    would compile its modules again, 0.08-0.1 s of each run that a user's second run never pays.
    """
    import compileall

    import guaranteekit

    compileall.compile_dir(Path(guaranteekit.__file__).parent, quiet=1)


def wall(argv: list[str], repeat: int) -> float:
    """Median wall time of a command, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--criteria", default=DEFAULT_CRITERIA, help="criteria set id or file")
    args = parser.parse_args()

    criteria = find_criteria(args.criteria)
    print(f"criteria: {criteria.id} {criteria.version} ({len(criteria.criteria)} criteria)")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        paths = make_reports(criteria, folder, args.reports)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(
            f"generated {len(paths)} reports in {time.perf_counter() - start:.1f} s ({size / 1024:.1f} KiB each)"
        )

        # Floors: the standard library's tomllib (the issue's), compiled tomli (the one reader
        # verify uses), and rtoml (which only writes documents now).
        texts = [path.read_text(encoding="utf-8") for path in paths]
        floors: dict[str, float] = {}
        readers = {"tomllib": tomllib, "tomli": toml_reader}
        if rtoml is not None:
            readers["rtoml"] = rtoml
        for name, reader in readers.items():
            start = time.perf_counter()
            for text in texts:
                reader.loads(text)
            floors[name] = len(paths) / (time.perf_counter() - start)

        verify_file(paths[0], Options())  # warm the criteria cache, as the CLI does once per run
        start = time.perf_counter()
        results = [verify_file(path, Options()) for path in paths]
        verify_s = time.perf_counter() - start
        failed = sum(1 for r in results if not r.ok)

        verify_rate = len(paths) / verify_s
        for name, rate in floors.items():
            print(f"bare TOML parse ({name}): {rate:8.0f} reports/s")
        print(f"verify (all checks): {verify_rate:7.0f} reports/s  ({failed} failed)")
        print(f"verify / tomllib parse rate: {verify_rate / floors['tomllib']:.2f}  (goal >= 0.33)")
        print(
            f"verify / tomli parse rate: {verify_rate / floors['tomli']:.2f}  (the reader it uses)"
        )
        if "rtoml" in floors:
            print(f"verify / rtoml parse rate: {verify_rate / floors['rtoml']:.2f}  (the fastest)")

        exe = str(Path(sys.executable).with_name("guaranteekit"))
        bare = wall([sys.executable, "-c", "pass"], args.repeat)
        help_ms = wall([exe, "--help"], args.repeat)
        verify_one = wall([exe, "verify", str(paths[0])], args.repeat)
        print(f"python -c pass:            {bare:6.1f} ms")
        print(f"guaranteekit --help:       {help_ms:6.1f} ms  ({help_ms / bare:.2f}x, goal <= 3x)")
        print(f"guaranteekit verify (one): {verify_one:6.1f} ms  ({verify_one / bare:.2f}x)")
        files = [str(p) for p in paths]
        repeat = max(1, args.repeat // 5)
        one_process = wall([exe, "verify", *files, "--jobs", "1"], repeat) / 1000
        every_core = wall([exe, "verify", *files], repeat) / 1000
        print(
            f"guaranteekit verify ({len(files)} reports): {one_process:.2f} s in one process,"
            f" {every_core:.2f} s on {os.cpu_count()} cores (--jobs 0, the default)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
