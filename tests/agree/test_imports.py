"""The agreement, merge and adjudication core, and the `agree` and `merge` commands, run without
textual: checked in a fresh interpreter, as a user's shell would start them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import Pair


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_agree_and_merge_do_not_import_textual(pair: Pair, tmp_path: Path) -> None:
    out = tmp_path / "merged.toml"
    runs = [
        ["agree", str(pair.ann), str(pair.bob), "--format", "md"],
        ["merge", str(pair.ann), str(pair.bob), "-o", str(out), "--by", "M"],
    ]
    loaded = _modules_after(
        "import contextlib, io\nfrom guaranteekit.cli.parser import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        + "".join(f"    assert main({argv!r}) == 0\n" for argv in runs)
    )
    assert "textual" not in loaded and "rich" not in loaded
    assert out.exists()


def test_merge_does_not_import_numpy(pair: Pair, tmp_path: Path) -> None:
    """Merging reads the answers through scoring.agreement but computes no alpha: numpy, most of
    that module's import cost, is left out."""
    out = tmp_path / "merged.toml"
    argv = ["merge", str(pair.ann), str(pair.bob), "-o", str(out), "--by", "M"]
    loaded = _modules_after(
        "import contextlib, io\nfrom guaranteekit.cli.parser import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
    )
    assert out.exists()
    assert "numpy" not in loaded and "krippendorff" not in loaded
    assert "guaranteekit.scoring.agreement" in loaded  # the test runs the path it means to
