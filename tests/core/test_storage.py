"""The reader and the writer: round trips, atomic writes, refusal to overwrite."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from guaranteekit.errors import LoadError, WriteError
from guaranteekit.formats.assessment import finalize, load_report, save_report
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.storage import MAX_DEPTH, atomic_write, parse_toml, read_bytes

DATA = Path(__file__).parent.parent / "data"
REPOSITORY = DATA.parents[1]
MINI_SET = DATA / "sets" / "mini.toml"
MINI_REPORT = DATA / "reports" / "mini-complete.toml"


def test_resave_of_unchanged_report_is_byte_identical(tmp_path: Path) -> None:
    report = load_report(MINI_REPORT)
    # The repository's layout, so that the `#:schema` line finds the same schemas folder.
    shutil.copytree(REPOSITORY / "schemas", tmp_path / "schemas")
    target = tmp_path / MINI_REPORT.relative_to(REPOSITORY).with_name("again.toml")
    target.parent.mkdir(parents=True)
    save_report(target, report)
    assert target.read_bytes() == MINI_REPORT.read_bytes()


@pytest.mark.parametrize("text", ["line one\r\nline two", "\r\n", "ends\r", "two\nlines"])
def test_line_ends_in_text_survive_a_round_trip(tmp_path: Path, text: str) -> None:
    report = load_report(MINI_REPORT)
    answers = [a.model_copy(update={"rationale": text}) for a in report.answers]
    changed = finalize(report.model_copy(update={"answers": answers}), load_criteria(MINI_SET))
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    save_report(first, changed)
    loaded = load_report(first)
    assert [a.rationale for a in loaded.answers] == [text] * len(answers)
    assert loaded == changed
    save_report(second, loaded)
    assert second.read_bytes() == first.read_bytes()


def test_finalize_of_unchanged_report_changes_nothing(tmp_path: Path) -> None:
    report = load_report(MINI_REPORT)
    again = finalize(report, load_criteria(MINI_SET))
    assert again == report


def test_written_file_starts_with_schema_comment_then_format_version() -> None:
    lines = MINI_REPORT.read_text().splitlines()
    assert lines[0].startswith("#:schema ") and lines[0].endswith("report.schema.json")
    # The comment names the committed schema by its path from the file: no network needed.
    assert (MINI_REPORT.parent / lines[0].removeprefix("#:schema ")).is_file()
    assert lines[1] == "format_version = 1"


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["r.toml"]


def test_atomic_write_refuses_to_overwrite_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    target.write_bytes(b"keep me")
    with pytest.raises(WriteError, match="already exists"):
        atomic_write(target, b"lost", overwrite=False)
    assert target.read_bytes() == b"keep me"


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    target.write_bytes(b"old")
    with pytest.raises(WriteError):
        atomic_write(tmp_path / "missing-dir" / "r.toml", b"new")
    assert target.read_bytes() == b"old"


def test_atomic_write_keeps_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic_write(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o600


def test_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"a = 1\n" * 100)
    with pytest.raises(LoadError, match="file too large"):
        read_bytes(big, max_bytes=100)


def test_toml_error_at_end_of_document_names_a_line() -> None:
    with pytest.raises(LoadError) as info:
        parse_toml(b'a = "unterminated', "f.toml")
    assert info.value.problems[0].startswith("f.toml:1:")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a directory"):
        read_bytes(tmp_path)


def test_nesting_up_to_the_limit_reads_and_one_level_more_is_refused() -> None:
    def nested(levels: int) -> bytes:  # the document is the first level
        return ("x = " + "[" * (levels - 1) + "]" * (levels - 1) + "\n").encode()

    assert parse_toml(nested(MAX_DEPTH), "f.toml")
    with pytest.raises(LoadError, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse_toml(nested(MAX_DEPTH + 1), "f.toml")
    with pytest.raises(LoadError, match="nested deeper"):
        parse_toml(nested(100_000), "f.toml")  # deeper than the parser itself can go


def test_the_cap_holds_whatever_size_a_file_claims(tmp_path: Path) -> None:
    # /dev/zero says it is empty and never ends: refused for what it is, before any byte is read.
    with pytest.raises(LoadError, match="is a character device"):
        read_bytes(Path("/dev/zero"))
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2048)
    with pytest.raises(LoadError, match="file too large"):
        read_bytes(big, max_bytes=1024)
    assert read_bytes(big, max_bytes=2048) == b"#" * 2048
