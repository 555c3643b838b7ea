"""Batch commands (compare, diff, report, verify): the cyclic collector paused, work across cores.

`no_cycle_collection`: batch commands run with the cyclic garbage collector paused.
Reading and scoring 1,000 reports allocates millions of small containers (parsed TOML, models,
results) and no reference cycles. Each burst of allocations sets off a collection pass over
everything still alive, which cost about 1.2 s of a 6 s `compare` of 1,000 reports (measured with
bench/bench_compare.py) and freed nothing: peak memory was the same with the collector off.
Reference counting still frees every object as it goes; the collector is switched back on after.
The TUI never runs in this mode.

`fork_map`: a function over a list, in contiguous chunks run in forked processes (this process takes
the last chunk itself), the results pickled back through an unlinked temporary file and returned
in order. A chunk whose process fails in any way is run again here, so the result never depends
on the processes; with threads running, or without `os.fork`, everything runs here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_CHUNK = 16
"""Fewer items than this a process are not worth a fork (about 10 ms with the modules loaded)."""


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (restored to how it was, even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def fork_map(function: Callable[[list[T]], list[R]], items: Sequence[T], jobs: int = 0) -> list[R]:
    """`function(items)`, computed in up to `jobs` processes (0: one per core), results in order.

    `function` maps a list to a list of the same length and must be pure: a chunk may be computed
    twice (again here, when its process fails).
    """
    items = list(items)
    jobs = min(jobs or cpu_count(), len(items) // MIN_CHUNK)
    if jobs < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return function(items)
    size = -(-len(items) // jobs)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    children = []
    sys.stdout.flush()
    sys.stderr.flush()
    for chunk in chunks[:-1]:
        try:
            out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _collect, after the child
        except OSError:  # no temporary file to be had: this process does the chunk
            children.append((None, None, chunk))
            continue
        try:
            pid = os.fork()
        except OSError:  # no process to be had: this process does the chunk
            out.close()
            children.append((None, None, chunk))
            continue
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            code = 1
            try:
                pickle.dump(function(chunk), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
                code = 0
            finally:
                os._exit(code)
        children.append((pid, out, chunk))
    try:
        last = function(chunks[-1])
    except BaseException:  # an error (or Ctrl-C) here: stop the children rather than wait for them
        for pid, out, _ in children:
            if pid is not None and out is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                _collect(pid, out)
        raise
    results: list[R] = []
    for pid, out, chunk in children:
        got = _collect(pid, out) if pid is not None and out is not None else None
        results += function(chunk) if got is None or len(got) != len(chunk) else got
    return results + last


def _collect(pid: int, out: IO[bytes]) -> list | None:
    """What a child process wrote, once it has exited; None when it failed or wrote nothing usable."""
    with out:
        try:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            out.seek(0)
            got = pickle.load(out)
        except Exception:  # an unreadable result: computed again by the caller
            return None
    return got if isinstance(got, list) else None
