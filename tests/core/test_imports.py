"""The core and the CLI start without textual (and `--help` without pydantic): checked in a fresh
interpreter, as a user's shell would start them."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import guaranteekit

CORE = sorted(
    info.name
    for info in pkgutil.walk_packages(guaranteekit.__path__, "guaranteekit.")
    if info.name != "guaranteekit.__main__"  # runs the command line when imported
    and (not info.name.startswith("guaranteekit.tui") or info.name == "guaranteekit.tui.session")
)
"""Every module but the terminal UI's (its headless `Session` included): found, not listed, so a
new module is checked without anyone remembering to add it."""


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_every_core_module_is_found() -> None:
    assert {
        "guaranteekit.scoring.core",
        "guaranteekit.verify.checks",
        "guaranteekit.tui.session",
    } <= set(CORE)
    assert len(CORE) > 50 and not any(m.startswith("guaranteekit.tui.screens") for m in CORE)


def test_no_core_module_imports_textual() -> None:
    # One interpreter imports them all: textual is loaded afterwards if any one of them loads it.
    loaded = _modules_after("\n".join(f"import {module}" for module in CORE))
    assert set(CORE) <= loaded
    if "textual" in loaded or "rich" in loaded:
        culprits = [m for m in CORE if {"textual", "rich"} & _modules_after(f"import {m}")]
        pytest.fail(f"these modules import textual or rich: {culprits}")


def test_cli_import_needs_neither_pydantic_nor_textual() -> None:
    loaded = _modules_after(
        "import guaranteekit.cli.parser\nguaranteekit.cli.parser.build_parser()"
    )
    assert "pydantic" not in loaded and "textual" not in loaded


def test_reading_reports_needs_no_jinja2() -> None:
    """A report's column is its document models, but the templates load only to render."""
    loaded = _modules_after("import guaranteekit.documents.columns")
    assert "jinja2" not in loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "examples/does-not-exist.toml"],
        ["criteria", "list"],
        ["schema"],
        ["evidence", "examples/nato-article-5.toml"],
        ["new", "--draft", "tests/data/drafts/round3.pdf", "-o", "/nonexistent/r.toml"],
    ],
)
def test_non_tui_commands_do_not_import_textual(argv: list[str]) -> None:
    loaded = _modules_after(
        "import contextlib, io\nfrom guaranteekit.cli.parser import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})"
    )
    assert "textual" not in loaded
