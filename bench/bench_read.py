"""The read cost of one report: each TOML parser alone, and the whole reader (`storage.read_model`:
open, regular-file check, capped read, parse with the one parser, depth check, validation).

rtoml was the reader's fast path until whether a file was valid came to depend on which parser read
it; the reader now uses tomli alone (below 2.4: TOML 1.0, as the standard library's tomllib). The
figures say what that costs: best of five rounds over the worked examples, in CPU milliseconds a
report.

Run: `.venv/bin/python bench/bench_read.py [--rounds N] [--archive N]`. `--archive N` reads N
complete reports as `bench_batch.py` generates them (the archive its compare and verify of 1,000
read) instead of the worked examples. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli

from guaranteekit.formats.catalog import resource_dir
from guaranteekit.formats.models import Report
from guaranteekit.formats.storage import read_model

try:
    import rtoml
except ImportError:  # pragma: no cover - the document writer's dependency, not the reader's
    rtoml = None


def best_ms(work: Callable[[], object], count: int, rounds: int) -> float:
    """Milliseconds of CPU one call of `work` takes, best of `rounds` rounds of `count` calls (CPU
    time, not wall time: on a shared machine the other processes' share is not counted)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(count):
            work()
        best = min(best, (time.process_time() - start) / count)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20, help="reads of each example a round")
    parser.add_argument("--archive", type=int, default=0, help="read N generated reports instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _archive(Path(tmp), args.archive) if args.archive else []
        _measure(args, paths or sorted(resource_dir("examples").glob("*.toml")))


def _archive(folder: Path, count: int) -> list[Path]:
    """`count` complete reports against criteria set 1.0.0, as `bench_batch.py` makes them."""
    from bench_core import make_reports

    from guaranteekit.formats.catalog import load_criteria

    here = Path(__file__).resolve().parent.parent / "criteria"
    old = here / "guarantee-credibility-1.0.0.toml"
    criteria = load_criteria(old if old.exists() else here / "guarantee-credibility.toml")
    return make_reports(criteria, folder, count)


def _measure(args: argparse.Namespace, paths: list[Path]) -> None:
    texts = [path.read_text(encoding="utf-8") for path in paths]
    size = sum(len(text.encode()) for text in texts) / len(texts)
    count = args.repeat * len(texts)
    print(f"{len(paths)} reports, {size / 1024:.1f} KiB each on average")

    def each(parse: Callable[[str], object]) -> Callable[[], object]:
        cycle = iter(texts * args.repeat * (args.rounds + 1))
        return lambda: parse(next(cycle))

    parsers: dict[str, Callable[[str], object]] = {"tomli (the reader)": tomli.loads}
    parsers["tomllib"] = tomllib.loads
    if rtoml is not None:
        parsers["rtoml (the former fast path)"] = rtoml.loads
    for name, parse in parsers.items():
        alone = best_ms(each(parse), count, args.rounds)
        validated = best_ms(
            each(lambda t, p=parse: Report.model_validate(p(t))), count, args.rounds
        )
        print(f"  {name:<30} parse {alone:6.2f} ms   parse + validate {validated:6.2f} ms")
    cycle = iter(paths * args.repeat * (args.rounds + 1))
    whole = best_ms(lambda: read_model(next(cycle), Report), count, args.rounds)
    print(f"  storage.read_model (all of it)  {whole:6.2f} ms a report")


if __name__ == "__main__":
    main()
