"""The core and the CLI start without textual (and `--help` without pydantic): checked in a fresh
interpreter, as a user's shell would start them."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "guaranteekit.cli.parser",
    "guaranteekit.cli.commands",
    "guaranteekit.formats.models",
    "guaranteekit.scoring.core",
    "guaranteekit.formats.storage",
    "guaranteekit.formats.assessment",
    "guaranteekit.formats.catalog",
    "guaranteekit.verify.checks",
    "guaranteekit.cli.text",
    "guaranteekit.formats.schemas",
]
OPTIONAL = [
    "guaranteekit.documents.columns",
    "guaranteekit.documents.model",
    "guaranteekit.documents.build",
    "guaranteekit.documents.table",
    "guaranteekit.documents.render",
    "guaranteekit.documents.escape",
    "guaranteekit.documents.charts",
    "guaranteekit.cli.compare",
    "guaranteekit.review.trail",
    "guaranteekit.verify.review_checks",
    "guaranteekit.review.signing",
    "guaranteekit.scoring.plans",
    "guaranteekit.scoring.thresholds",
    "guaranteekit.scoring.montecarlo",
    "guaranteekit.scoring.references",
    "guaranteekit.cli.analysis_text",
    "guaranteekit.tui.session",
    "guaranteekit.drafts.read",
    "guaranteekit.drafts.units",
    "guaranteekit.drafts.anchor",
    "guaranteekit.drafts.attach",
    "guaranteekit.drafts.rounds",
    "guaranteekit.cli.drafts",
    "guaranteekit.documents.briefing",
    "guaranteekit.documents.pdf",
    "guaranteekit.formats.directive",
    "guaranteekit.formats.stdin",
    "guaranteekit.cli.completion",
    "guaranteekit.cli.progress",
]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE + OPTIONAL)
def test_core_module_does_not_import_textual(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} does not exist yet")
    loaded = _modules_after(f"import {module}")
    assert "textual" not in loaded and "rich" not in loaded


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
