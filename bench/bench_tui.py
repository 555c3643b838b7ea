"""Benchmark of the terminal UI, measured in one run against a minimal Textual app.

1. Launch to ready, in-process (headless): a minimal Textual app that shows one Static, and
   guaranteekit opening a report of the built-in criteria set until its first criterion screen is
   on screen (report loaded, scored, screen composed and drawn). Runs alternate, medians compared.
   Goal: ours within 1.5x the minimal app. Also timed: the stock floor (bench/stock_app.py), the
   same Textual widgets as the criterion screen with the same texts and no guaranteekit code, to
   show what Textual itself costs for a screen with that much on it.
2. The same from a cold start: a fresh `python` process per run, timed from spawn until the app
   reports ready (interpreter start-up and imports included); the stock floor also with pydantic
   imported, the stack's other fixed start-up cost.
3. Re-render after a level change: on the first criterion, press a level key and wait until the
   screen shows the new level marked `(•)` (the session rescored and wrote the draft, the widgets
   redrew, the screen was rendered). Goal: under 50 ms per change. Also the core's share of it
   (`Session.choose_level`: scoring plus the atomic draft write).

Run: `.venv/bin/python bench/bench_tui.py [--runs N] [--changes N]`. Prints figures; asserts nothing
(speed goals are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from stock_app import Bare, Stock, bare_shown
from stock_app import shown as stock_shown
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, Criterion, Package
from guaranteekit.tui.app import create_app
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import RubricList

SIZE = (80, 24)


class Minimal(App[None]):
    """The floor: a Textual app that shows one Static."""

    def compose(self) -> ComposeResult:
        yield Static("ready", id="only")


def stock_texts(criterion: Criterion) -> dict[str, object]:
    """The texts the stock floor shows: those of the criterion guaranteekit shows first."""
    return {
        "pillar": criterion.pillar,
        "title": criterion.title,
        "question": criterion.question,
        "why": criterion.why,
        "levels": [(level.label, level.description) for level in criterion.levels],
    }


def make_report(folder: Path) -> Path:
    """A report of the built-in set with half its criteria answered (saved through the core)."""
    criteria = find_criteria(DEFAULT_CRITERIA)
    report = new_report(Package(name="bench", date="2026-01-01"), criteria)
    for criterion in criteria.criteria[::2]:
        report = with_answer(
            report,
            Answer(criterion=criterion.id, level=criterion.levels[-1].id, rationale="bench"),
        )
    path = folder / "bench.toml"
    save_report(path, finalize(report, criteria), overwrite=True)
    return path


def screen_text(app: App[None]) -> str:
    """Render the current screen in full and return its text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def launch(make: Callable[[], App[None]], ready: Callable[[App[None]], bool]) -> float:
    """Seconds from building an app until `ready` holds, the app running headless.

    Polled every millisecond from the same event loop rather than through Pilot, whose idle
    detection sleeps in steps of its own and would be counted.
    """
    start = time.perf_counter()
    app = make()
    task = asyncio.create_task(app.run_async(headless=True, size=SIZE))
    while not (app.is_running and app.screen_stack and ready(app)):
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - start
    app.exit()
    await task
    return elapsed


def minimal_ready(app: App[None]) -> bool:
    return bool(app.screen.query("#only")) and "ready" in screen_text(app)


def ours_ready(app: App[None]) -> bool:
    screen = app.screen
    return isinstance(screen, AssessScreen) and screen.is_mounted and " of " in screen_text(app)


async def level_changes(report: Path, state: Path, changes: int) -> list[float]:
    """Milliseconds from a level key to the screen showing that level chosen, per change.

    The key goes in as the terminal driver would send it; the time stops when the session holds
    the new answer (scored, draft written), the rubric has redrawn it and a full render of the
    screen shows `(•) N`.
    """
    app = create_app(state_dir=state, workdir=report.parent, mode="open", report=report)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, AssessScreen):
            await pilot.pause()
        await pilot.pause()
        screen = app.screen
        criterion = screen.criterion
        rubric = screen.query_one(RubricList)
        session = app.session
        assert session is not None and app._driver is not None
        for index in range(changes):
            number = index % len(criterion.levels) + 1
            level = criterion.levels[number - 1].id
            start = time.perf_counter()
            app._driver.send_message(events.Key(str(number), str(number)))
            while True:
                answer = session.answer(criterion.id)
                option = rubric.get_option_at_index(number - 1)
                redrawn = (
                    answer is not None and answer.level == level and "(•)" in str(option.prompt)
                )
                if redrawn and f"(•) {number}" in screen_text(app):
                    break
                await asyncio.sleep(0.0005)
            times.append((time.perf_counter() - start) * 1000)
        session.discard_draft()
    return times


def core_changes(report: Path, changes: int) -> list[float]:
    """Milliseconds per `Session.choose_level` (score + atomic draft write), no UI."""
    session = Session.open(report)
    criterion = session.criteria.criteria[0]
    times = []
    for index in range(changes):
        level = criterion.levels[index % len(criterion.levels)].id
        start = time.perf_counter()
        session.choose_level(criterion.id, level)
        times.append((time.perf_counter() - start) * 1000)
    session.discard_draft()
    return times


COLD_MINIMAL = """
import asyncio
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("ready")
async def main():
    app = Minimal()
    async with app.run_test(size=(80, 24)) as pilot:
        while "ready" not in "".join(s.text for s in app.screen._compositor.render_strips()):
            await pilot.pause()
        print("READY", flush=True)
asyncio.run(main())
"""

COLD_OURS = """
import asyncio, sys
from pathlib import Path
from guaranteekit.tui.app import create_app
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.widgets import RubricList
async def main():
    report = Path(sys.argv[1])
    app = create_app(state_dir=Path(sys.argv[2]), workdir=report.parent, mode="open",
                     report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, AssessScreen) and " of " in
                   "".join(s.text for s in app.screen._compositor.render_strips())):
            await pilot.pause()
        print("READY", flush=True)
asyncio.run(main())
"""


def cold(script: str, *args: str) -> float:
    """Seconds from spawning `python -c script args` until it prints READY."""
    return cold_argv([sys.executable, "-c", textwrap.dedent(script), *args])


def cold_file(path: str, *args: str) -> float:
    """Seconds from spawning `python path args` until it prints READY."""
    return cold_argv([sys.executable, path, *args])


def cold_argv(argv: list[str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if line.strip() != "READY":
        raise SystemExit(f"cold run did not get ready: {line!r}")
    return elapsed


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="launches of each app (default 15)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold launches (default 5)")
    parser.add_argument("--changes", type=int, default=50, help="level changes (default 50)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = make_report(folder)
        state = folder / "state"
        criteria = find_criteria(DEFAULT_CRITERIA)
        print(f"guaranteekit TUI bench: {criteria.id} {criteria.version}", end="")
        print(f" ({len(criteria.criteria)} criteria), {SIZE[0]}x{SIZE[1]}, headless")

        # Warm-up, so that both sides are measured with their modules imported.
        def make_ours() -> App[None]:
            return create_app(state_dir=state, workdir=folder, mode="open", report=report)

        def make_stock() -> App[None]:
            return Stock(stock_texts(criteria.criteria[0]))

        asyncio.run(launch(Minimal, minimal_ready))
        asyncio.run(launch(Bare, bare_shown))
        asyncio.run(launch(make_stock, stock_shown))
        asyncio.run(launch(make_ours, ours_ready))
        minimal: list[float] = []
        bare: list[float] = []
        stock: list[float] = []
        ours: list[float] = []
        for _ in range(options.runs):
            minimal.append(asyncio.run(launch(Minimal, minimal_ready)))
            bare.append(asyncio.run(launch(Bare, bare_shown)))
            stock.append(asyncio.run(launch(make_stock, stock_shown)))
            ours.append(asyncio.run(launch(make_ours, ours_ready)))
        ratio = statistics.median(ours) / statistics.median(minimal)
        stock_ratio = statistics.median(stock) / statistics.median(minimal)
        print(f"\nLaunch to ready, in-process (median of {options.runs})")
        print(f"  minimal Textual app, one Static     {ms(minimal)}")
        bare_ratio = statistics.median(bare) / statistics.median(minimal)
        print(f"  one Static, a TextArea and a footer {ms(bare)}  ({bare_ratio:.2f}x minimal)")
        print(f"  stock widgets of a criterion screen {ms(stock)}  ({stock_ratio:.2f}x minimal)")
        print(f"  guaranteekit, first criterion shown {ms(ours)}")
        print(f"  ratio {ratio:.2f}x (goal: within 1.5x)  {'OK' if ratio <= 1.5 else 'MISSED'}")
        print(
            f"  ours against the stock widgets {statistics.median(ours) / statistics.median(stock):.2f}x"
        )

        texts = folder / "texts.json"
        texts.write_text(json.dumps(stock_texts(criteria.criteria[0])), encoding="utf-8")
        stock_script = str(Path(__file__).with_name("stock_app.py"))
        cold_minimal: list[float] = []
        cold_stock: list[float] = []
        cold_stack: list[float] = []
        cold_ours: list[float] = []
        for _ in range(options.cold_runs):
            cold_minimal.append(cold(COLD_MINIMAL))
            cold_stock.append(cold_file(stock_script, str(texts)))
            cold_stack.append(cold_file(stock_script, str(texts), "--with-pydantic"))
            cold_ours.append(cold(COLD_OURS, str(report), str(state)))
        floor = statistics.median(cold_minimal)
        print(f"\nLaunch to ready, cold process (median of {options.cold_runs})")
        print(f"  minimal Textual app, one Static     {ms(cold_minimal)}")
        print(f"  stock widgets of a criterion screen {ms(cold_stock)}", end="")
        print(f"  ({statistics.median(cold_stock) / floor:.2f}x minimal)")
        print(f"    the same, with pydantic imported  {ms(cold_stack)}", end="")
        print(f"  ({statistics.median(cold_stack) / floor:.2f}x minimal)")
        print(f"  guaranteekit, first criterion shown {ms(cold_ours)}", end="")
        print(f"  ({statistics.median(cold_ours) / floor:.2f}x minimal)")

        changes = asyncio.run(level_changes(report, state, options.changes))
        core = core_changes(report, options.changes)
        median = statistics.median(changes)
        print(f"\nLevel change to screen showing it (median of {options.changes})")
        print(
            f"  per change {median:6.1f} ms, max {max(changes):.1f} ms"
            f" (goal: under 50 ms)  {'OK' if median < 50 else 'MISSED'}"
        )
        print(f"  of which the core (score + atomic draft write) {statistics.median(core):.1f} ms")


if __name__ == "__main__":
    main()
