"""Editors validate guaranteekit files with no network: the `#:schema` line names a schema on this
machine by its path from the file, and taplo (the checker behind Even Better TOML) passes every
shipped file with it and fails a file that breaks the format.

The taplo tests run where taplo is installed (`.ci/run` installs it from npm and sets `TAPLO`) and
skip elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report, save_report
from guaranteekit.formats.catalog import resource_dir

EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))
CRITERIA = sorted(resource_dir("criteria").glob("*.toml"))


def _taplo() -> str:
    found = os.environ.get("TAPLO") or shutil.which("taplo")
    if not found:
        pytest.skip("taplo is not installed (npm install @taplo/cli; .ci/run does)")
    return found


def _check(taplo: str, files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Offline is the point: any schema fetched from the network would show as "fetch" below.
    return subprocess.run(
        [taplo, "check", "--no-auto-config", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n", 1)[0]


@pytest.mark.parametrize("path", [*EXAMPLES, *CRITERIA], ids=lambda p: p.name)
def test_every_shipped_file_names_a_schema_beside_it(path: Path) -> None:
    line = _first_line(path)
    assert line.startswith("#:schema ../schemas/"), line
    assert (path.parent / line.removeprefix("#:schema ")).is_file()


def test_a_report_saved_near_a_schemas_folder_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "-o", str(tmp_path / "schemas")]) == 0
    capsys.readouterr()
    target = tmp_path / "round3" / "draft.toml"
    target.parent.mkdir()
    save_report(target, load_report(EXAMPLES[0]))
    assert _first_line(target) == "#:schema ../schemas/report.schema.json"
    beside = tmp_path / "draft.toml"
    save_report(beside, load_report(EXAMPLES[0]))
    assert _first_line(beside) == "#:schema schemas/report.schema.json"


def test_without_a_schema_nearby_no_line_is_written(tmp_path: Path) -> None:
    # Another project's file of the same name is not taken for ours.
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "report.schema.json").write_text('{"title": "something else"}')
    target = tmp_path / "draft.toml"
    save_report(target, load_report(EXAMPLES[0]))
    assert _first_line(target) == "format_version = 1"
    assert load_report(target) == load_report(EXAMPLES[0])


def test_taplo_passes_every_example_and_the_built_in_criteria_offline(tmp_path: Path) -> None:
    taplo = _taplo()
    done = _check(taplo, [*EXAMPLES, *CRITERIA], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "fetch" not in done.stderr
    assert "failed to load schema" not in done.stderr


def test_taplo_fails_a_file_that_breaks_the_format_and_passes_one_the_tool_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taplo = _taplo()
    assert main(["schema", "-o", str(tmp_path / "schemas")]) == 0
    capsys.readouterr()
    folder = tmp_path / "reports"
    folder.mkdir()
    written = folder / "written.toml"
    save_report(written, load_report(EXAMPLES[0]))
    broken = folder / "broken.toml"
    lines = written.read_text(encoding="utf-8").split("\n")
    broken.write_text("\n".join([lines[0], lines[1], "nonsense_key = 1", *lines[2:]]))
    done = _check(taplo, [written, broken], tmp_path)
    assert done.returncode == 1
    assert "nonsense_key" in done.stderr
    invalid = [line for line in done.stderr.splitlines() if "invalid file" in line]
    assert invalid and all("broken.toml" in line for line in invalid), invalid
    assert "fetch" not in done.stderr
