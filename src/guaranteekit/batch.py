"""Batch commands (compare, diff, report, verify) run with the cyclic garbage collector paused.

Reading and scoring 1,000 reports allocates millions of small containers (parsed TOML, models,
results) and no reference cycles. Each burst of allocations sets off a collection pass over
everything still alive, which cost about 1.2 s of a 6 s `compare` of 1,000 reports (measured with
bench/bench_compare.py) and freed nothing: peak memory was the same with the collector off.
Reference counting still frees every object as it goes; the collector is switched back on after.
The TUI never runs in this mode.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
