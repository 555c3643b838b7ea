"""Benchmark of the terminal UI: start-up against the stock-widgets floor, and keys to the screen.

1. Cold launch: a fresh `python` process per run, timed from spawn until the first frame handed
   to the terminal with the first criterion screen of a built-in-set report complete (its head,
   its first level and the key bar): interpreter start-up, imports, loading and scoring the
   report, composing and drawing, with the package's bytecode compiled as an install leaves it.
   Against, in the same run and alternating with it, the floor of `bench/stock_app.py`: the
   widgets a criterion screen needs, as Textual ships them, with the same texts, no guaranteekit
   code, the same size and the same rule for "complete"; and that floor with a pydantic model
   built, the stack's other fixed cost. Goal: ours within 1.3x the stock floor (wall time; the
   children's CPU time is printed beside it, as the machine may be shared).
2. The same in-process (headless), against a one-Static Textual app and the two floors.
3. A keystroke in the rationale until the screen shows it: the key goes in as the terminal driver
   sends it, and the time stops at the first frame handed to the terminal with the character in
   the text box. Goal: median under 16 ms. Also with a 4 MB rationale in the box.
4. A level change until the screen shows it: a level key on the first criterion until the first
   frame with the new level marked (the session has rescored and written the draft, the rubric
   and the score panel have redrawn). Goals: median under 33 ms, 99th percentile under 100 ms. Also
   the core's share of it (`Session.choose_level`: scoring plus the atomic draft write). Then the
   same with `gc.freeze` called once the first criterion is shown, alternating with the app as it
   is: the app froze its start-up heap so until three runs showed no gain of 1.5x on the 99th
   percentile, and this keeps the question measured (`--no-freeze-check` skips it).

Frames are caught where the app hands them to the terminal (`App._display`), so polling costs the
app nothing. Run: `.venv/bin/python bench/bench_tui.py [--cold-runs N] [--keys N] [--changes N]`.
Prints figures; asserts nothing (speed goals are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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

from bench_core import compile_bytecode
from stock_app import Bare, Stock, bare_shown
from stock_app import shown as stock_shown
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

from guaranteekit.formats.assessment import finalize, new_report, save_report, with_answer
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, Criterion, Package
from guaranteekit.tui.app import create_app
from guaranteekit.tui.rubric import RubricList
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import Session

SIZE = (80, 24)
BIG = 4_000_000
"""Characters of the long rationale (issue: a 4 MB rationale must not slow each key)."""


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


def make_report(folder: Path, name: str = "bench.toml", first_rationale: str = "bench") -> Path:
    """A report of the built-in set with half its criteria answered (saved through the core),
    the first with `first_rationale`."""
    criteria = find_criteria(DEFAULT_CRITERIA)
    report = new_report(Package(name="bench", date="2026-01-01"), criteria)
    for index, criterion in enumerate(criteria.criteria[::2]):
        rationale = first_rationale if index == 0 else "bench"
        report = with_answer(
            report,
            Answer(criterion=criterion.id, level=criterion.levels[-1].id, rationale=rationale),
        )
    path = folder / name
    save_report(path, finalize(report, criteria), overwrite=True)
    return path


def screen_text(app: App[None]) -> str:
    """Render the current screen in full and return its text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# --------------------------------------------------------------------------------------------------
# Launch
# --------------------------------------------------------------------------------------------------


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


COLD_OURS = """
import sys
from pathlib import Path
from guaranteekit.tui.app import create_app
from guaranteekit.tui.screens.assess import AssessScreen
report = Path(sys.argv[1])
app = create_app(state_dir=Path(sys.argv[2]), workdir=report.parent, mode="open", report=report)
first_level = app.plan.session.criteria.criteria[0].levels[0].label
display = app._display
def timed(screen, renderable):
    display(screen, renderable)
    if renderable is None or not isinstance(screen, AssessScreen):
        return
    lines = [strip.text for strip in screen._compositor.render_strips()]
    text = "".join(lines)
    if " of " in text and first_level in text and "Level" in lines[-1]:
        print("READY", flush=True)
        app._display = display
        app.exit()
app._display = timed
app.run(headless=True, size=(80, 24))
"""
"""A fresh process that opens the report and prints READY at the first frame handed to the
terminal with the criterion screen complete: its head, its first level and the key bar. The stock
floor (`stock_app.py`) stops at the same point by the same rule."""


def cold_argv(argv: list[str]) -> tuple[float, float]:
    """Seconds from spawning `argv` until it prints READY, and the CPU seconds the child used in
    all (read beside the wall time: on a shared machine the wall time also holds the waits for a
    core)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.stdout.read()
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped here
    if line.strip() != "READY":
        raise SystemExit(f"cold run did not get ready: {line!r}")
    return elapsed, usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------------------------------
# Keys to the screen
# --------------------------------------------------------------------------------------------------


class FrameClock:
    """Catches the first frame the app hands to the terminal once `shows()` holds."""

    def __init__(self, app: App[None]) -> None:
        self.shows: Callable[[], bool] | None = None
        self.at: float | None = None
        display = app._display

        def timed(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if self.shows is not None and renderable is not None and self.shows():
                self.at = time.perf_counter()
                self.shows = None

        app._display = timed  # type: ignore[method-assign]

    async def time_key(
        self, app: App[None], key: str, char: str | None, shows: Callable[[], bool]
    ) -> float:
        """Milliseconds from sending `key` until a frame with `shows()` true is handed over."""
        assert app._driver is not None
        self.at = None
        self.shows = shows
        start = time.perf_counter()
        app._driver.send_message(events.Key(key, char))
        while self.at is None:
            await asyncio.sleep(0.0005)
        return (self.at - start) * 1000


async def keystrokes(
    report: Path, state: Path, count: int, box_id: str = "rationale"
) -> list[float]:
    """Milliseconds per key typed into a text box of the first criterion, key to frame."""
    app = create_app(state_dir=state, workdir=report.parent, mode="open", report=report)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, AssessScreen):
            await pilot.pause()
        await pilot.pause()
        # Into the rationale (the first criterion is answered), or on to the evidence.
        await pilot.press(*["tab"] * (1 if box_id == "rationale" else 2))
        await pilot.pause()
        box = app.screen.query_one(f"#{box_id}", TextArea)
        assert app.focused is box
        clock = FrameClock(app)
        letters = "abcdefghijklmnopqrstuvwxyz"
        for index in range(count):
            char = letters[index % len(letters)]
            length = len(box.document.get_line(box.cursor_location[0]))
            times.append(
                await clock.time_key(
                    app,
                    char,
                    char,
                    lambda: len(box.document.get_line(box.cursor_location[0])) > length,  # noqa: B023
                )
            )
            await pilot.pause()
        assert app.session is not None
        app.session.discard_draft()
    return times


async def level_changes(
    report: Path, state: Path, changes: int, freeze: bool = False
) -> list[float]:
    """Milliseconds from a level key to the first frame showing that level chosen, per change
    (`freeze`: with `gc.freeze` called once the first criterion is shown)."""
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
        assert session is not None
        if freeze:
            gc.freeze()
        clock = FrameClock(app)
        for index in range(changes):
            number = index % len(criterion.levels) + 1
            level = criterion.levels[number - 1].id

            def shows(number: int = number, level: str = level) -> bool:
                answer = session.answer(criterion.id)
                option = rubric.get_option_at_index(number - 1)
                return answer is not None and answer.level == level and "(•)" in str(option.prompt)

            times.append(await clock.time_key(app, str(number), str(number), shows))
            await pilot.pause()
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
    session.close()
    return times


def freeze_check(report: Path, state: Path, changes: int) -> tuple[list[float], list[float]]:
    """Level changes with `gc.freeze` after start-up and without (the app as it is), alternating,
    each from an unfrozen, collected heap."""
    runs: dict[bool, list[float]] = {True: [], False: []}
    try:
        for _ in range(2):
            for frozen in (True, False):
                gc.unfreeze()
                gc.collect()
                runs[frozen] += asyncio.run(level_changes(report, state, changes, freeze=frozen))
    finally:
        gc.unfreeze()
    return runs[True], runs[False]


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def least(values: list[float]) -> str:
    return f"least {min(values) * 1000:6.1f} ms"


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (as bench_compare.py times it): how busy the machine
    is at the moment, to read the figures against."""
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i * i
    return time.perf_counter() - start


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=9, help="cold launches of each (9)")
    parser.add_argument("--runs", type=int, default=7, help="in-process launches of each (7)")
    parser.add_argument("--keys", type=int, default=100, help="keystrokes timed (100)")
    parser.add_argument("--changes", type=int, default=100, help="level changes timed (100)")
    parser.add_argument(
        "--no-freeze-check",
        action="store_true",
        help="skip the level changes with gc.freeze after start-up",
    )
    options = parser.parse_args()

    compile_bytecode()  # as installed (see bench_core.compile_bytecode)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = make_report(folder)
        big = make_report(folder, "big.toml", first_rationale="x" * BIG)
        state = folder / "state"
        criteria = find_criteria(DEFAULT_CRITERIA)
        print(f"guaranteekit TUI bench: {criteria.id} {criteria.version}", end="")
        print(f" ({len(criteria.criteria)} criteria), {SIZE[0]}x{SIZE[1]}, headless")
        print(f"machine speed: {machine_speed():.2f} s for the fixed loop (1.13-1.16 s when quiet)")

        # 1. Cold launch, alternating ours with the floors.
        texts = folder / "texts.json"
        texts.write_text(json.dumps(stock_texts(criteria.criteria[0])), encoding="utf-8")
        stock_script = str(Path(__file__).with_name("stock_app.py"))
        stock_argv = [sys.executable, stock_script, str(texts)]
        ours_argv = [sys.executable, "-c", textwrap.dedent(COLD_OURS), str(report), str(state)]
        cold: dict[str, list[tuple[float, float]]] = {"stock": [], "stack": [], "ours": []}
        cold_argv(ours_argv)  # warm the file cache for both
        cold_argv(stock_argv)
        for _ in range(options.cold_runs):
            cold["stock"].append(cold_argv(stock_argv))
            cold["stack"].append(cold_argv([*stock_argv, "--with-pydantic"]))
            cold["ours"].append(cold_argv(ours_argv))
        walls = {key: [w for w, _ in runs] for key, runs in cold.items()}
        cpus = {key: [c for _, c in runs] for key, runs in cold.items()}
        ratio = statistics.median(walls["ours"]) / statistics.median(walls["stock"])
        stack_ratio = statistics.median(walls["ours"]) / statistics.median(walls["stack"])
        least_ratio = min(walls["ours"]) / min(walls["stock"])
        cpu_ratio = statistics.median(cpus["ours"]) / statistics.median(cpus["stock"])
        cpu_stack = statistics.median(cpus["ours"]) / statistics.median(cpus["stack"])
        print(f"\nCold launch to the first criterion drawn (median of {options.cold_runs})")
        for key, label in (
            ("stock", "stock widgets of a criterion screen"),
            ("stack", "  the same, with a pydantic model"),
            ("ours", "guaranteekit, first criterion shown"),
        ):
            print(
                f"  {label:<36} {ms(walls[key])}  {least(walls[key])}"
                f"  cpu {statistics.median(cpus[key]) * 1000:6.1f} ms"
            )
        print(f"  ratio {ratio:.2f}x the stock floor (goal: within 1.3x)  {verdict(ratio <= 1.3)}")
        print(f"        {least_ratio:.2f}x least against least")
        print(f"        {stack_ratio:.2f}x the stock floor with a pydantic model")
        print(
            f"        cpu: {cpu_ratio:.2f}x the stock floor, {cpu_stack:.2f}x with a pydantic model"
        )

        # 2. In-process launch.
        def make_ours() -> App[None]:
            return create_app(state_dir=state, workdir=folder, mode="open", report=report)

        def make_stock() -> App[None]:
            return Stock(stock_texts(criteria.criteria[0]))

        for make, ready in (
            (Minimal, minimal_ready),
            (Bare, bare_shown),
            (make_stock, stock_shown),
            (make_ours, ours_ready),
        ):
            asyncio.run(launch(make, ready))  # warm-up: every module imported
        runs: dict[str, list[float]] = {"minimal": [], "bare": [], "stock": [], "ours": []}
        for _ in range(options.runs):
            runs["minimal"].append(asyncio.run(launch(Minimal, minimal_ready)))
            runs["bare"].append(asyncio.run(launch(Bare, bare_shown)))
            runs["stock"].append(asyncio.run(launch(make_stock, stock_shown)))
            runs["ours"].append(asyncio.run(launch(make_ours, ours_ready)))
        floor = statistics.median(runs["minimal"])
        print(f"\nLaunch to ready, in process (median of {options.runs})")
        print(f"  minimal Textual app, one Static      {ms(runs['minimal'])}")
        for key, label in (
            ("bare", "one Static, a TextArea and a footer"),
            ("stock", "stock widgets of a criterion screen"),
            ("ours", "guaranteekit, first criterion shown"),
        ):
            figure = statistics.median(runs[key]) / floor
            print(f"  {label:<36} {ms(runs[key])}  ({figure:.2f}x minimal)")
        stock_in = statistics.median(runs["ours"]) / statistics.median(runs["stock"])
        print(f"  ours against the stock widgets {stock_in:.2f}x")

        # 3. Keystrokes.
        keys = asyncio.run(keystrokes(report, state, options.keys))
        median = statistics.median(keys)
        print(f"\nKeystroke in the rationale to the screen ({options.keys} keys)")
        print(
            f"  median {median:5.1f} ms, 99th percentile {p99(keys):5.1f} ms, max {max(keys):.1f} ms"
            f" (goal: median under 16 ms)  {verdict(median < 16)}"
        )
        # A rationale of megabytes is shown as too long to edit; the screen around it must not
        # slow down: keys typed into the evidence beside it.
        big_keys = asyncio.run(keystrokes(big, state, max(10, options.keys // 4), "evidence"))
        print(
            f"  beside a {BIG / 1e6:.0f} MB rationale: median {statistics.median(big_keys):5.1f} ms,"
            f" max {max(big_keys):.1f} ms (the draft written meanwhile holds the 4 MB)"
        )

        # 4. Level changes.
        changes = asyncio.run(level_changes(report, state, options.changes))
        core = core_changes(report, options.changes)
        median = statistics.median(changes)
        worst = p99(changes)
        print(f"\nLevel change to the screen showing it ({options.changes} changes)")
        print(
            f"  median {median:5.1f} ms (goal: under 33 ms)  {verdict(median < 33)};"
            f" 99th percentile {worst:5.1f} ms (goal: under 100 ms)  {verdict(worst < 100)};"
            f" max {max(changes):.1f} ms"
        )
        print(f"  of which the core (score + atomic draft write) {statistics.median(core):.1f} ms")
        print("  (its draft write comes right after the frame, not before it)")
        big_changes = asyncio.run(level_changes(big, state, max(10, options.changes // 4)))
        print(
            f"  with a {BIG / 1e6:.0f} MB rationale: median {statistics.median(big_changes):5.1f} ms,"
            f" max {max(big_changes):.1f} ms (every change writes the whole draft)"
        )
        if not options.no_freeze_check:
            with_freeze, without = freeze_check(report, state, options.changes)
            print(
                f"\nLevel change with gc.freeze after start-up and without (the app as it is)"
                f" (2 x {options.changes} changes each, alternating)"
            )
            for label, values in (("with gc.freeze", with_freeze), ("without", without)):
                print(
                    f"  {label:<15} median {statistics.median(values):5.1f} ms,"
                    f" 99th percentile {p99(values):5.1f} ms, max {max(values):.1f} ms"
                )
            gain = p99(without) / p99(with_freeze)
            print(
                f"  the freeze's gain on the 99th percentile: {gain:.2f}x (worth keeping at 1.5x)"
            )
        print(f"\nmachine speed: {machine_speed():.2f} s for the fixed loop at the end")


if __name__ == "__main__":
    main()
