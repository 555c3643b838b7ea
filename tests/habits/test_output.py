"""Written files follow the umask, as any other program's would, and `-o -` is standard output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import resource_dir

EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))


def _run(args: list[str], cwd: Path, umask: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guaranteekit", *args],
        cwd=cwd,
        umask=umask,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_files_written_by_compare_report_and_schema_have_the_umasks_mode(
    tmp_path: Path, umask: int
) -> None:
    runs = [
        ["compare", str(EXAMPLES[0]), str(EXAMPLES[1]), "--draws", "0", "-o", "compare.md"],
        ["report", str(EXAMPLES[0]), "-o", "report.md"],
        ["schema", "-o", "schemas"],
    ]
    for args in runs:
        done = _run(args, tmp_path, umask)
        assert done.returncode == 0, done.stderr
    written = [tmp_path / "compare.md", tmp_path / "report.md", *(tmp_path / "schemas").iterdir()]
    assert len(written) == 6  # two documents and four schemas
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o666 & ~umask, f"{path.name}: {mode:o}"


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o600)
    assert (
        _run(["report", str(EXAMPLES[0]), "-o", "report.md", "--force"], tmp_path, 0o022).returncode
        == 0
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["compare", str(EXAMPLES[0]), str(EXAMPLES[1]), "--draws", "0"], "# "),
        (["compare", str(EXAMPLES[0]), str(EXAMPLES[1]), "--draws", "0", "--format", "json"], "{"),
        (["report", str(EXAMPLES[0])], "# "),
        (["diff", str(EXAMPLES[0]), str(EXAMPLES[1]), "--allow-mixed"], "# "),
    ],
    ids=["compare", "compare-json", "report", "diff"],
)
def test_dash_output_is_standard_output(
    args: list[str],
    starts: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*args, "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(starts)
    assert "wrote" not in captured.err
    assert os.listdir(tmp_path) == []  # no file called "-"
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out == captured.out


def test_schema_dash_output_prints_every_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "-o", "-"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {
        "criteria",
        "profile",
        "report",
        "positions",
    }
    assert os.listdir(tmp_path) == []
