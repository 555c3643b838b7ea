"""Benchmark of `guaranteekit agree` over 50 pairs of generated reports.

1. Generates 50 pairs of complete reports against the built-in criteria set: a random assessment
   (seeded), and a second analyst's copy of it with about one answer in six changed (a level one
   step away, unknown, or not applicable), so every pair has disagreements to list.
2. `agree` on all 50 pairs in one fresh process: the interpreter, the imports (numpy with the
   `krippendorff` package) and the 50 commands, text output; then the same through the core's
   functions (no argument parsing, which is a tenth of each command). The goal is under a second.
3. Where the time goes, medians of `--repeat` rounds in this process: the imports (in a fresh
   interpreter, beyond `python -c pass`), parsing the 50 command lines, reading and resolving the
   100 reports, scoring them (the headline alone, as `agree` does), the agreement of each pair
   (alpha overall, per pillar, levels and kinds), and rendering text, Markdown and JSON.
4. One `guaranteekit agree A B` from a fresh process, the command as typed, against `python -c pass`.

The machine is shared: read each figure against the fixed loop's time, printed before and after
(1.13-1.16 s when the machine is quiet). Run: `.venv/bin/python bench/bench_agree.py [--pairs N]
[--repeat R]`. Prints figures; asserts nothing (speed goals are not tests).
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

from guaranteekit.formats.assessment import finalize, load_scored, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, Confidence, CriteriaSet, Package


def _answer(criterion_id: str, level: str, index: int, rng: random.Random) -> Answer:
    return Answer(
        criterion=criterion_id,
        level=level,
        rationale=f"Reading of draft {index}: the text says so in point {rng.randint(1, 28)}.",
        evidence=[f"Quoted passage {index}-{criterion_id}: the parties shall ..."],
        confidence=rng.choice(list(Confidence)),
    )


def make_pairs(
    criteria: CriteriaSet, folder: Path, count: int, seed: int = 11
) -> list[tuple[Path, Path]]:
    rng = random.Random(seed)
    pairs = []
    for index in range(count):
        package = Package(name=f"Draft {index}", date="2026-01-01")
        first = new_report(package, criteria, assessor="Ann Analyst")
        second = new_report(package, criteria, assessor="Bob Analyst")
        mine, theirs = [], []
        for criterion in criteria.criteria:
            level = rng.randrange(len(criterion.levels))
            answer = _answer(criterion.id, criterion.levels[level].id, index, rng)
            mine.append(answer)
            roll = rng.random()
            if roll < 0.10:
                step = max(0, min(len(criterion.levels) - 1, level + rng.choice((-1, 1))))
                theirs.append(_answer(criterion.id, criterion.levels[step].id, index, rng))
            elif roll < 0.14:
                theirs.append(
                    Answer(
                        criterion=criterion.id, status=AnswerStatus.UNKNOWN, rationale="Unclear."
                    )
                )
            elif roll < 0.16:
                theirs.append(
                    Answer(
                        criterion=criterion.id,
                        status=AnswerStatus.NOT_APPLICABLE,
                        reason="Not part of this text.",
                        rationale="The draft does not cover it.",
                    )
                )
            else:
                theirs.append(answer.model_copy(update={"rationale": "I read it the same way."}))
        paths = (folder / f"pair-{index:02d}-a.toml", folder / f"pair-{index:02d}-b.toml")
        for path, report, answers in zip(paths, (first, second), (mine, theirs), strict=True):
            save_report(path, finalize(report.model_copy(update={"answers": answers}), criteria))
        pairs.append(paths)
    return pairs


def compile_bytecode() -> None:
    """Compile guaranteekit's modules to bytecode, as `pip install` does (see bench_core.py)."""
    import compileall

    import guaranteekit

    compileall.compile_dir(Path(guaranteekit.__file__).parent, quiet=1)


def machine_speed() -> float:
    """Seconds for the fixed pure-Python loop of bench_compare.py (1.13-1.16 s on this machine when
    quiet), to read the figures below against the machine's state at the moment."""
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i * i
    return time.perf_counter() - start


def wall(argv: list[str], repeat: int) -> tuple[float, float, float]:
    """Median and least wall time of a command, and its median CPU time (user and system), in
    seconds. The CPU time moves less than the wall time when other processes share the cores."""
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), min(times), statistics.median(cpu)


_RUN_COMMANDS = """
import contextlib, io, sys, time
start = time.perf_counter()
from guaranteekit.cli.parser import main
paths = sys.argv[1:]
with contextlib.redirect_stdout(io.StringIO()):
    for a, b in zip(paths[::2], paths[1::2]):
        main(["agree", a, b])
print(time.perf_counter() - start)
"""

_RUN_CORE = """
import sys, time
from pathlib import Path
start = time.perf_counter()
from guaranteekit.cli.agree import agreement_text
from guaranteekit.formats.assessment import load_scored
from guaranteekit.scoring.agreement import agreement
paths = [Path(p) for p in sys.argv[1:]]
for a, b in zip(paths[::2], paths[1::2]):
    agreement_text(agreement([load_scored(a), load_scored(b)]))
print(time.perf_counter() - start)
"""


_IMPORTS = """
import guaranteekit.cli.agree, guaranteekit.cli.parser, guaranteekit.formats.assessment
import guaranteekit.scoring.agreement, krippendorff, numpy
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    criteria = find_criteria(DEFAULT_CRITERIA)
    print(f"criteria: {criteria.id} {criteria.version} ({len(criteria.criteria)} criteria)")
    compile_bytecode()
    print(f"machine speed: {machine_speed():.2f} s for the fixed loop (1.13-1.16 s when quiet)")
    with tempfile.TemporaryDirectory() as tmp:
        pairs = make_pairs(criteria, Path(tmp), args.pairs)
        files = [str(p) for pair in pairs for p in pair]

        # 2. The goal: every pair through `agree`, in one fresh process, imports included: as 50
        # commands (`main`, which builds the argument parser each time), and as a script calling
        # the core and the text renderer, what a team's own tooling would pay.
        for what, code in (("commands", _RUN_COMMANDS), ("core calls", _RUN_CORE)):
            argv = [sys.executable, "-c", code, *files]
            median, least, cpu = wall(argv, args.repeat)
            inside = float(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)
            print(
                f"agree over {len(pairs)} pairs as {what}, one fresh process: {median:.3f} s"
                f" median, least {least:.3f} s (goal < 1 s), CPU {cpu:.3f} s median;"
                f" {inside:.3f} s of one run after the interpreter started"
            )

        # 3. Where the time goes: medians of --repeat rounds in this process (imports already paid),
        # the imports in fresh interpreters.
        from guaranteekit.cli.agree import agreement_markdown, agreement_text
        from guaranteekit.cli.parser import build_parser
        from guaranteekit.scoring import core as scoring
        from guaranteekit.scoring.agreement import agreement

        imports, _, _ = wall([sys.executable, "-c", _IMPORTS], args.repeat)
        bare, _, _ = wall([sys.executable, "-c", "pass"], args.repeat)
        loaded = [(load_scored(Path(a)), load_scored(Path(b))) for a, b in pairs]
        found = [agreement(pair) for pair in loaded]
        steps = {
            f"parsing {len(pairs)} command lines": lambda: [
                build_parser(only="agree", alone=True).parse_args(["agree", str(a), str(b)])
                for a, b in pairs
            ],
            f"reading and resolving {2 * len(pairs)} reports": lambda: [
                (load_scored(Path(a)), load_scored(Path(b))) for a, b in pairs
            ],
            "their headline scores (inside the agreement)": lambda: [
                scoring.compute(s.criteria, s.report.answers, s.profile, asks=False, views=False)
                for pair in loaded
                for s in pair
            ],
            f"agreement of {len(pairs)} pairs": lambda: [agreement(pair) for pair in loaded],
            "text": lambda: [agreement_text(item) for item in found],
            "md": lambda: [agreement_markdown(item) for item in found],
            "json": lambda: [str(item.as_data().model_dump(exclude_unset=True)) for item in found],
        }
        medians = {}
        for name, step in steps.items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                step()
                times.append(time.perf_counter() - start)
            medians[name] = statistics.median(times)
        disagreements = sum(len(f.disagreements) for f in found)
        alphas = [f.alpha for f in found if f.alpha is not None]
        print(
            f"  imports (fresh interpreter, beyond python -c pass): {(imports - bare) * 1000:.0f} ms;"
            + ";".join(f" {name} {t * 1000:.0f} ms" for name, t in medians.items())
            + f" ({disagreements} disagreements, alpha {min(alphas):.2f}-{max(alphas):.2f})"
        )

        # 4. One command as typed.
        exe = str(Path(sys.executable).with_name("guaranteekit"))
        bare, _, _ = wall([sys.executable, "-c", "pass"], args.repeat)
        one, _, one_cpu = wall([exe, "agree", *pairs[0]], args.repeat)
        print(
            f"guaranteekit agree A B, fresh process: {one * 1000:.0f} ms, CPU {one_cpu * 1000:.0f} ms"
            f" (python -c pass {bare * 1000:.0f} ms)"
        )
    print(f"machine speed: {machine_speed():.2f} s for the fixed loop, after the runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
