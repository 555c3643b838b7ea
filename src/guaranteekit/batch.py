"""Batch commands (compare, diff, report, verify): the cyclic collector paused, work across cores.

`no_cycle_collection`: batch commands run with the cyclic garbage collector paused.
Reading and scoring 1,000 reports allocates millions of small containers (parsed TOML, models,
results) and no reference cycles. Each burst of allocations sets off a collection pass over
everything still alive, which cost about 1.2 s of a 6 s `compare` of 1,000 reports (measured with
bench/bench_compare.py) and freed nothing: peak memory was the same with the collector off.
Reference counting still frees every object as it goes; the collector is switched back on after.
The TUI never runs in this mode.

`fork_map`: a function over a list, in contiguous chunks shared out among forked processes and this
one. The chunks' numbers wait in a pipe, one byte each; every process reads one to claim the next
chunk, so a process that runs slower simply takes fewer (reads from a pipe never hand the same
byte to two readers). Each child appends each chunk it computes, pickled, to an unlinked temporary
file, so this process takes in what is finished while the children end their last chunks, rather
than wait for one big dump at the end and then read it all. A chunk whose process fails in any way
is computed again here, so the result never depends on the processes; with threads running, or
without `os.fork`, everything runs here.

`leave`: a batch command run from the command line ends the process as soon as its output is
written, without freeing what it built (as mypy's `util.hard_exit`): freeing a comparison of 1,000
reports and the interpreter's own clean-up took 0.2-0.25 s of a 2.3 s command, for nothing.
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
from typing import IO, Any, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_CHUNK = 16
"""Fewer items than this a process are not worth a fork (about 10 ms with the modules loaded)."""

CHUNKS_PER_JOB = 8
"""Chunks per process: small enough that the processes finish close together, large enough that
each is worth a claim (on 1,000 reports, 62 reports or about 90 ms a chunk)."""


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


def leave(code: int) -> NoReturn:
    """End the process now with exit code `code`, skipping the freeing of objects and clean-up.

    Only for the command line's own process (`cli.entry`), after the command's output is written
    and closed: stdout and stderr are flushed here (a reader that went away raises
    BrokenPipeError, as a normal exit would), and nothing else is left buffered or to be run at exit.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def fork_map(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int = 0,
    *,
    min_chunk: int = MIN_CHUNK,
    meanwhile: Callable[[], object] | None = None,
) -> list[R]:
    """`function(items)`, computed in up to `jobs` processes (0: one per core), results in order.

    `function` maps a list to a list of the same length and must be pure: a chunk may be computed
    twice (again here, when its process fails). No process is forked for fewer than `min_chunk`
    items (for a few long tasks, 1). `meanwhile`, when given, is called once here, first: work this
    process needs done later anyway, done while the other processes start on the chunks (which then
    take a bigger share); an error from it stops them.
    """
    items = list(items)
    jobs = min(jobs or cpu_count(), len(items) // min_chunk)
    if jobs < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        return function(items)
    count = min(255, jobs * CHUNKS_PER_JOB)  # a chunk's number is one byte in the pipe
    size = max(min_chunk, -(-len(items) // count))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    tickets, write_end = os.pipe()
    try:
        os.write(write_end, bytes(range(len(chunks))))
    finally:
        os.close(write_end)  # so a read finds the end once every chunk is claimed
    children: list[_Child] = []
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        for _ in range(jobs - 1):
            child = _fork(function, chunks, tickets)
            if child is not None:
                children.append(child)
        if meanwhile is not None:
            meanwhile()
        done = _claim(function, chunks, tickets)
    except BaseException:  # an error (or Ctrl-C) here: stop the children rather than wait for them
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            child.finish()
        raise
    finally:
        os.close(tickets)
    for child in children:
        child.take()  # what is finished, while the children end their last chunks
    for child in children:
        for index, results in child.finish().items():
            done.setdefault(index, results)
    ordered: list[R] = []
    for index, chunk in enumerate(chunks):
        results = done.get(index)
        usable = isinstance(results, list) and len(results) == len(chunk)
        ordered += results if usable else function(chunk)  # type: ignore[operator]
    return ordered


def _claim(
    function: Callable[[list[T]], list[R]], chunks: list[list[T]], tickets: int
) -> dict[int, list[R]]:
    """Compute chunks until none is left to claim; their results by chunk number."""
    done: dict[int, list[R]] = {}
    while ticket := os.read(tickets, 1):
        done[ticket[0]] = function(chunks[ticket[0]])
    return done


def _fork(
    function: Callable[[list[T]], list[R]], chunks: list[list[T]], tickets: int
) -> _Child | None:
    """A child claiming chunks, and the file it writes them to; None when none can be had."""
    try:
        out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _Child.finish, after the child
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        out.close()
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 1
        try:
            fd = out.fileno()
            while ticket := os.read(tickets, 1):
                data = pickle.dumps(
                    (ticket[0], function(chunks[ticket[0]])), protocol=pickle.HIGHEST_PROTOCOL
                )
                frame = memoryview(len(data).to_bytes(_LENGTH, "little") + data)
                while frame:
                    frame = frame[os.write(fd, frame) :]
            code = 0
        finally:
            os._exit(code)
    return _Child(pid, out)


_LENGTH = 8
"""Bytes of the length before each pickled chunk in a child's file."""


class _Child:
    """A forked process and the file of chunks it writes: length, then the pickled (number, results)."""

    def __init__(self, pid: int, out: IO[bytes]) -> None:
        self.pid = pid
        self.out = out
        self.offset = 0
        self.done: dict[int, Any] = {}
        self.broken = False

    def take(self) -> None:
        """Take in every chunk written whole so far (reading at an offset: the child's own file
        position is shared with this process and must not move)."""
        fd = self.out.fileno()
        size = os.fstat(fd).st_size
        while not self.broken and size - self.offset >= _LENGTH:
            length = int.from_bytes(os.pread(fd, _LENGTH, self.offset), "little")
            end = self.offset + _LENGTH + length
            if end > size:
                return  # still being written
            try:
                index, results = pickle.loads(os.pread(fd, length, self.offset + _LENGTH))
            except Exception:  # unreadable: this chunk and any after it are computed again
                self.broken = True
                return
            self.done[index] = results
            self.offset = end

    def finish(self) -> dict[int, Any]:
        """Wait for the process to end, then take in the rest; the results by chunk number (a
        chunk cut short when the process died is missing, and computed again by the caller)."""
        with self.out:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            with contextlib.suppress(OSError):
                self.take()
        return self.done
