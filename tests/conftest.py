"""Shared fixtures: paths to the fixture files, a criteria search path that finds them, and copies of
the worked examples for batch commands."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    """Copies of the worked examples, enough for verify to check them in several processes.

    Each test module gets its own folder, so a module may edit its copies.
    """
    from guaranteekit.formats.catalog import resource_dir
    from guaranteekit.verify.checks import PARALLEL_FROM

    examples = sorted(resource_dir("examples").glob("*.toml"))
    folder = tmp_path_factory.mktemp("examples")
    return [
        Path(shutil.copy(example, folder / f"{n:02d}-{example.name}"))
        for n in range(-(-PARALLEL_FROM // len(examples)))
        for example in examples
    ]
