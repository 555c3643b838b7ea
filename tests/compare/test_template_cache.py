"""The cache of compiled built-in templates: used between runs, never a cause of failure."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path

import pytest

from guaranteekit.documents.build import compare_files
from guaranteekit.documents.render import Format, environment

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.toml"))


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _render(fmt: Format) -> str:
    document, _ = compare_files(EXAMPLES)
    return environment(fmt).get_template(f"compare.{fmt.value}.j2").render(doc=document, charts={})


def _cache_files(temp_dir: Path) -> list[Path]:
    return sorted(temp_dir.glob("_jinja2-cache-*/guaranteekit-*.cache"))


def test_compiled_templates_are_kept_and_give_the_same_document(temp_dir: Path) -> None:
    first = _render(Format.MD)
    files = _cache_files(temp_dir)
    assert len(files) >= 3  # compare.md.j2 and the two partials it includes
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert _render(Format.MD) == first


def test_a_damaged_cache_is_compiled_again(temp_dir: Path) -> None:
    expected = _render(Format.MD)
    sizes = {}
    for path in _cache_files(temp_dir):
        whole = path.read_bytes()
        path.write_bytes(whole[: len(whole) // 2])  # Jinja's header intact, the code cut short
        sizes[path] = len(whole)
    assert _render(Format.MD) == expected
    assert {p: p.stat().st_size for p in _cache_files(temp_dir)} == sizes  # written again


def test_a_cache_that_cannot_be_written_is_skipped(
    temp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _render(Format.MD)
    for path in _cache_files(temp_dir):
        path.unlink()

    def full_disk(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    assert _render(Format.MD) == expected
    assert _cache_files(temp_dir) == []
