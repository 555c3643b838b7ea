"""Batch commands pause the cyclic garbage collector and always switch it back on; `fork_map`
spreads work over processes and gives the same results whatever happens to them."""

from __future__ import annotations

import gc
import os
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.batch import MIN_CHUNK, fork_map, no_cycle_collection


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# --------------------------------------------------------------------------------------------------
# fork_map: the same results, in order, whatever happens to the processes
# --------------------------------------------------------------------------------------------------

PARENT = os.getpid()


def _squares(items: list[int]) -> list[tuple[int, int]]:
    return [(item * item, os.getpid()) for item in items]


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.integers(), max_size=120), jobs=st.integers(0, 4))
def test_results_are_the_function_of_the_whole_list_in_order(items: list[int], jobs: int) -> None:
    assert [value for value, _ in fork_map(_squares, items, jobs)] == [i * i for i in items]


def _slow_squares(items: list[int]) -> list[tuple[int, int]]:
    if os.getpid() == PARENT:
        time.sleep(0.05)  # this process is slow: a child has 16 x 50 ms to claim some chunks
    return _squares(items)


def test_chunks_are_shared_among_processes() -> None:
    items = list(range(16 * MIN_CHUNK))
    got = fork_map(_slow_squares, items, 2)
    assert [value for value, _ in got] == [i * i for i in items]
    pids = [pid for _, pid in got]
    assert len(set(pids)) == 2
    assert PARENT in pids
    # Each chunk is computed whole by one process.
    assert all(len(set(pids[i : i + MIN_CHUNK])) == 1 for i in range(0, len(pids), MIN_CHUNK))


def test_few_items_are_not_worth_a_process() -> None:
    pids = {pid for _, pid in fork_map(_squares, list(range(2 * MIN_CHUNK - 1)), 2)}
    assert pids == {PARENT}


def _dies_in_a_child(items: list[int]) -> list[tuple[int, int]]:
    time.sleep(0.01)
    if os.getpid() != PARENT:
        os._exit(3)
    return _squares(items)


def _raises_in_a_child(items: list[int]) -> list[tuple[int, int]]:
    time.sleep(0.01)
    if os.getpid() != PARENT:
        raise RuntimeError("boom")
    return _squares(items)


def _short_in_a_child(items: list[int]) -> list[tuple[int, int]]:
    return _slow_squares(items)[: 1 if os.getpid() != PARENT else None]


@pytest.mark.parametrize("function", [_dies_in_a_child, _raises_in_a_child, _short_in_a_child])
def test_a_chunk_whose_process_fails_is_computed_here(function) -> None:
    items = list(range(5 * MIN_CHUNK))
    got = fork_map(function, items, 3)
    assert [value for value, _ in got] == [i * i for i in items]
    assert {pid for _, pid in got} == {PARENT}


_CHUNKS_DONE = [0]


def _dies_on_its_second_chunk(items: list[int]) -> list[tuple[int, int]]:
    if os.getpid() != PARENT:
        _CHUNKS_DONE[0] += 1  # this process's own copy of the counter
        if _CHUNKS_DONE[0] == 2:
            os._exit(3)
    return _slow_squares(items)


def test_chunks_a_child_finished_before_it_failed_are_kept() -> None:
    items = list(range(16 * MIN_CHUNK))
    got = fork_map(_dies_on_its_second_chunk, items, 2)
    assert [value for value, _ in got] == [i * i for i in items]
    pids = [pid for _, pid in got]
    # The child's first chunk came back whole; the one it died on was computed here.
    assert len(pids) - pids.count(PARENT) == MIN_CHUNK


def test_no_process_is_forked_while_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pids = {pid for _, pid in fork_map(_squares, list(range(4 * MIN_CHUNK)), 2)}
    finally:
        stop.set()
        thread.join()
    assert pids == {PARENT}


def _fails_here(items: list[int]) -> list[tuple[int, int]]:
    if os.getpid() == PARENT:
        raise ValueError("in this process")
    time.sleep(30)
    return _squares(items)


def test_an_error_here_stops_the_children_and_is_raised() -> None:
    start = time.monotonic()
    with pytest.raises(ValueError, match="in this process"):
        fork_map(_fails_here, list(range(4 * MIN_CHUNK)), 2)
    # The child sleeping 30 s was stopped and reaped, not waited for.
    assert time.monotonic() - start < 10


def test_meanwhile_runs_here_once_while_the_children_work(tmp_path) -> None:
    log = tmp_path / "log"

    def noted(items: list[int]) -> list[tuple[int, int]]:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return _squares(items)

    calls: list[bool] = []

    def meanwhile() -> None:
        # Wait (up to 10 s) for a child to finish a chunk: it was started before this ran.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not log.exists():
            time.sleep(0.005)
        calls.append(os.getpid() == PARENT and log.exists())

    items = list(range(8 * MIN_CHUNK))
    got = fork_map(noted, items, 2, meanwhile=meanwhile)
    assert [value for value, _ in got] == [i * i for i in items]
    assert calls == [True]
    assert {pid for _, pid in got} - {PARENT}


def test_meanwhile_runs_first_when_nothing_is_forked() -> None:
    order: list[str] = []

    def function(items: list[int]) -> list[int]:
        order.append("function")
        return items

    assert fork_map(function, [1, 2, 3], 2, meanwhile=lambda: order.append("meanwhile")) == [
        1,
        2,
        3,
    ]
    assert order == ["meanwhile", "function"]


def _sleeps_in_a_child(items: list[int]) -> list[tuple[int, int]]:
    if os.getpid() != PARENT:
        time.sleep(30)
    return _squares(items)


def test_an_error_meanwhile_stops_the_children_and_is_raised() -> None:
    def meanwhile() -> None:
        raise ValueError("meanwhile")

    start = time.monotonic()
    with pytest.raises(ValueError, match="meanwhile"):
        fork_map(_sleeps_in_a_child, list(range(4 * MIN_CHUNK)), 2, meanwhile=meanwhile)
    assert time.monotonic() - start < 10
