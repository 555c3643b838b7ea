"""Shared fixtures: paths to the fixture files, a criteria search path that finds them, copies of
the worked examples for batch commands, and a spy on the processes they use."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
MINI_SET = DATA / "sets" / "mini.toml"
MINI_REPORT = DATA / "reports" / "mini-complete.toml"


@pytest.fixture
def fixture_sets(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the fixture criteria sets (e.g. `mini`) findable by id, as a user's own folder would be."""
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(DATA / "sets"))
    return DATA / "sets"


@pytest.fixture(scope="module")
def example_copies(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Copies of the worked examples, enough for two processes to get a chunk each of a batch.

    Each test module gets its own folder, so a module may edit its copies.
    """
    from guaranteekit.batch import MIN_CHUNK
    from guaranteekit.formats.catalog import resource_dir

    examples = sorted(resource_dir("examples").glob("*.toml"))
    folder = tmp_path_factory.mktemp("examples")
    return [
        Path(shutil.copy(example, folder / f"{n:02d}-{example.name}"))
        for n in range(-(-2 * MIN_CHUNK // len(examples)))
        for example in examples
    ]


@dataclass
class ForkMapCall:
    """One call of batch.fork_map seen by `spy_fork_map`."""

    items: list[Any]
    jobs: int


@pytest.fixture
def spy_fork_map(monkeypatch: pytest.MonkeyPatch) -> Callable[[ModuleType], list[ForkMapCall]]:
    """Watch a module's fork_map: `calls = spy_fork_map(module)`. Every call still goes through."""

    def install(module: ModuleType) -> list[ForkMapCall]:
        calls: list[ForkMapCall] = []
        real = module.fork_map

        def spy(function: Any, items: Any, jobs: int = 0, **kwargs: Any) -> Any:
            calls.append(ForkMapCall(list(items), jobs))
            return real(function, items, jobs, **kwargs)

        monkeypatch.setattr(module, "fork_map", spy)
        return calls

    return install
