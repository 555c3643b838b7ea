"""Benchmark of attached drafts: anchoring quotes in a long draft, and carrying a report to the
next round.

Goals (issue 21), each under half a second: finding 300 quotes again in the next round of a
200-page draft, and carrying a 31-answer report (the built-in set) to a new round. The draft is
generated (seeded): 2,000 numbered points of policy prose, about 3,300 characters a page, set as a
PDF by the test suite's small PDF writer. The next round deletes one point in forty (so every point
after it is renumbered), rewords one in ten and leaves the rest; quotes are spread over the whole
text. Also printed: how long the PDF takes to read, and how big a report is with the text kept in
it and beside it.

Run: `.venv/bin/python bench/bench_drafts.py [--repeat R]`. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.attach import attach
from guaranteekit.drafts.read import Extracted, read_draft, text_digest
from guaranteekit.drafts.rounds import carry_answers, next_round
from guaranteekit.drafts.units import split_units
from guaranteekit.formats.assessment import Scored, finalize, new_report, save_report
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, DraftFormat, Package
from guaranteekit.formats.storage import dump_model

ROOT = Path(__file__).resolve().parent.parent
POINTS = 2000
PAGES = 200
QUOTES = 300

VOCABULARY = (
    "guarantor guarantors Ukraine ceasefire monitoring mission observers forces troops deployment"
    " ratification Senate legislature treaty commitment armed attack assistance consultation"
    " sanctions relief reconstruction security council verification violation withdrawal line"
    " contact parties framework signature entry force obligation territory sovereignty airspace"
    " maritime corridor humanitarian prisoners exchange elections referendum neutrality alliance"
    " membership NATO European Union partners coalition reassurance deterrence air defence"
    " intelligence training equipment financing fund assets frozen compensation tribunal"
    " amnesty language church minorities nuclear plant Zaporizhzhia energy grain exports Black Sea"
    " shall may will must within days hours months years upon request immediately jointly"
    " individually collectively necessary appropriate measures including excluding unless"
    " provided that subject to in accordance with the of and to a in for by on at from as"
)
WORDS = VOCABULARY.split()


def prose(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def round_one(rng: random.Random) -> list[str]:
    return [prose(rng, rng.randint(2, 4)) for _ in range(POINTS)]


def as_text(points: list[str], title: str) -> str:
    body = "\n\n".join(f"Point {n}. {text}" for n, text in enumerate(points, 1))
    return f"{title}\n\n{body}"


def next_points(rng: random.Random, points: list[str]) -> tuple[list[str], set[int], set[int]]:
    """Round two: one point in forty deleted, one in ten reworded (a few words changed)."""
    deleted = set(rng.sample(range(POINTS), POINTS // 40))
    reworded = set(rng.sample([i for i in range(POINTS) if i not in deleted], POINTS // 10))
    out = []
    for index, text in enumerate(points):
        if index in deleted:
            continue
        if index in reworded:
            words = text.split()
            for _ in range(max(1, len(words) // 12)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = " ".join(words)
        out.append(text)
    return out, deleted, reworded


def as_pdf(text: str, path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_drafts", ROOT / "tests" / "data" / "drafts" / "make_drafts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.wrapped(text.encode("ascii", "replace").decode())
    per_page = -(-len(lines) // PAGES)
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    path.write_bytes(module.pdf_bytes(pages))


def machine_speed() -> float:
    """Seconds for the fixed pure-Python loop `bench_compare.py` prints too (1.13-1.16 s on a quiet
    machine of 2026-11-29), to read the figures below against."""
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i * i
    return time.perf_counter() - start


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(median, least) seconds over `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def quotes_in(text: DraftText, rng: random.Random, count: int) -> list:
    """`count` quotes, each a sentence or two of a point spread over the text."""
    points = [u for u in text.units if u.label.startswith("Point")]
    quotes = []
    for unit in rng.sample(points, count):
        body = text.text[unit.start : unit.end]
        cut = body.index(". ") + 2
        length = min(len(body) - cut, rng.randint(80, 240))
        quotes.append(text.anchor(unit.start + cut, unit.start + cut + length))
    return quotes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine speed: {machine_speed():.2f} s for the fixed loop (1.13-1.16 s when quiet)")
    rng = random.Random(21)
    points = round_one(rng)
    text1 = as_text(points, "Framework, round 1")
    points2, deleted, reworded = next_points(rng, points)
    text2 = as_text(points2, "Framework, round 2")

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "round1.pdf"
        as_pdf(text1, pdf)
        read_median, read_least, extracted = timed(
            lambda: read_draft(pdf), max(1, args.repeat // 2)
        )
        assert isinstance(extracted, Extracted)
        print(
            f"200-page draft: {len(extracted.text):,} characters, {pdf.stat().st_size:,} bytes of"
            f" PDF, {len(extracted.page_starts)} pages"
        )
        print(
            f"read the PDF's text layer (pypdf): {read_median * 1000:.0f} ms median ({read_least * 1000:.0f} least)"
        )

    units1 = split_units(text1)
    draft1 = DraftText(text1, units1)
    split_median, _, _ = timed(lambda: split_units(text2), args.repeat)
    print(f"split into units: {len(units1):,} units in {split_median * 1000:.1f} ms")

    quotes = quotes_in(draft1, rng, QUOTES)
    anchor_median, _, _ = timed(lambda: quotes_in(draft1, random.Random(1), QUOTES), args.repeat)
    print(f"anchor {QUOTES} quotes (span to unit, text, digest): {anchor_median * 1000:.1f} ms")

    def find_all() -> list:
        draft2 = DraftText(text2, split_units(text2))
        return [draft2.find(q.text, q.unit) for q in quotes]

    quoted = [int(q.unit.split()[1]) - 1 for q in quotes]
    gone = sum(i in deleted for i in quoted)
    edited = sum(i in reworded for i in quoted)
    find_median, find_least, found = timed(find_all, args.repeat)
    assert isinstance(found, list)
    counts: dict[str, int] = {}
    for item in found:
        counts[item.status.value] = counts.get(item.status.value, 0) + 1
    print(
        f"find {QUOTES} quotes again in round 2 (its units and flat text included):"
        f" {find_median * 1000:.0f} ms median ({find_least * 1000:.0f} least); goal 500 ms;"
        f" {', '.join(f'{n} {s}' for s, n in sorted(counts.items()))}"
        f" (of the points quoted, round 2 deleted {gone} and reworded {edited})"
    )

    criteria = find_criteria(DEFAULT_CRITERIA)
    report = new_report(Package(name="Bench framework"), criteria)
    one = Extracted("round1.txt", DraftFormat.TXT, text_digest(text1), text1, [])
    report, _ = attach(report, one, Path("round1.toml"))
    answer_quotes = quotes_in(draft1, random.Random(2), 2 * len(criteria.criteria))
    answers = [
        Answer(
            criterion=c.id,
            level=c.levels[-1].id,
            rationale="From the draft.",
            quotes=answer_quotes[2 * i : 2 * i + 2],
        )
        for i, c in enumerate(criteria.criteria)
    ]
    report = finalize(report.model_copy(update={"answers": answers}), criteria)
    scored = Scored(Path("round1.toml"), report, criteria, None, None, [])
    two = Extracted("round2.txt", DraftFormat.TXT, text_digest(text2), text2, [])

    carry_median, carry_least, result = timed(
        lambda: next_round(scored, two, Path("round2.toml")), args.repeat
    )
    carried_report, _, summary = result  # type: ignore[misc]
    print(
        f"carry a {len(answers)}-answer report ({len(answer_quotes)} quotes) to round 2 (units,"
        f" re-anchoring, scoring, digest): {carry_median * 1000:.0f} ms median"
        f" ({carry_least * 1000:.0f} least); goal 500 ms; {len(summary.recheck)} to re-check"
    )
    inner_median, _, _ = timed(
        lambda: carry_answers(answers, DraftText(text2, split_units(text2))), args.repeat
    )
    print(f"  of which finding the quotes again: {inner_median * 1000:.0f} ms")

    with tempfile.TemporaryDirectory() as folder:
        # The command as typed, from a fresh process: reading round 2's PDF is most of it.
        old_path = Path(folder) / "round1.toml"
        save_report(old_path, report)
        pdf = Path(folder) / "round2.pdf"
        as_pdf(text2, pdf)
        exe = str(Path(sys.executable).with_name("guaranteekit"))
        runs = []
        for n in range(max(1, args.repeat // 2)):
            argv = [exe, "new", "--from", str(old_path), "--draft", str(pdf), "-o"]
            start = time.perf_counter()
            subprocess.run(
                [*argv, str(Path(folder) / f"round2-{n}.toml")], check=True, capture_output=True
            )
            runs.append(time.perf_counter() - start)
        print(
            f"`guaranteekit new --from round1.toml --draft round2.pdf -o round2.toml`, fresh process:"
            f" {statistics.median(runs):.2f} s median ({min(runs):.2f} least)"
        )

    dump_median, _, dumped = timed(lambda: dump_model(carried_report, "report"), args.repeat)
    assert isinstance(dumped, str)
    beside = carried_report.model_copy(
        update={
            "draft": carried_report.draft.model_copy(  # type: ignore[union-attr]
                update={"text": None, "text_file": "round2.draft-text.txt"}
            )
        }
    )
    size_beside = len(dump_model(beside, "report").encode())
    units_only = len(
        dump_model(carried_report.model_copy(update={"draft": None}), "report").encode()
    )
    print(
        f"report size: {len(dumped.encode()):,} bytes with the text kept in it;"
        f" {size_beside:,} with the text beside it ({len(text2.encode()):,} bytes of text);"
        f" {units_only:,} with no draft attached (write: {dump_median * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
