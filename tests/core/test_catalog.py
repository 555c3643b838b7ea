"""Finding criteria sets by id: cheap to repeat, and never stale when the user's folder changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from guaranteekit.errors import NotFoundError
from guaranteekit.formats.catalog import available, find_criteria

MINI = Path(__file__).parent.parent / "data" / "sets" / "mini.toml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(tmp_path))
    return tmp_path


def test_a_set_added_after_a_lookup_is_found(folder: Path) -> None:
    with pytest.raises(NotFoundError):
        find_criteria("mini")
    shutil.copy(MINI, folder / "mini.toml")
    assert find_criteria("mini").id == "mini"


def test_a_set_removed_after_a_lookup_is_gone(folder: Path) -> None:
    shutil.copy(MINI, folder / "mini.toml")
    assert find_criteria("mini").id == "mini"
    (folder / "mini.toml").unlink()
    with pytest.raises(NotFoundError):
        find_criteria("mini")


def test_an_edited_set_is_read_again(folder: Path) -> None:
    target = folder / "mini.toml"
    shutil.copy(MINI, target)
    before = find_criteria("mini")
    text = target.read_text(encoding="utf-8")
    assert 'version = "' in text
    target.write_text(text.replace('version = "', 'version = "9', 1), encoding="utf-8")
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = find_criteria("mini")
    assert after.version == "9" + before.version


def test_a_folder_that_is_not_there_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(tmp_path / "missing"))
    assert {s.id for _, s in available()} == {"guarantee-credibility"}


def _copy_as_version(folder: Path, version: str) -> None:
    text = MINI.read_text(encoding="utf-8").replace('version = "1"', f'version = "{version}"', 1)
    (folder / f"mini-{version}.toml").write_text(text, encoding="utf-8")


def test_a_set_is_found_by_id_and_version_and_the_newest_by_id_alone(folder: Path) -> None:
    for version in ("1.9.0", "1.10.0-rc1", "1.2.0"):
        _copy_as_version(folder, version)
    assert find_criteria("mini").version == "1.10.0-rc1"  # numerically, not as text
    _copy_as_version(folder, "1.10.0")
    assert find_criteria("mini").version == "1.10.0"  # a release after its pre-release
    assert find_criteria("mini", "1.9.0").version == "1.9.0"
    with pytest.raises(NotFoundError, match=r"version '3' not found"):
        find_criteria("mini", "3")


def test_the_built_in_set_keeps_version_1_0_0_installed() -> None:
    assert find_criteria("guarantee-credibility", "1.0.0").version == "1.0.0"
