"""Reports for the briefing tests: the worked examples, and variants of them saved as a tool would
save them (results and digest brought up to date), so that they pass verify."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.formats.assessment import finalize, load_report, save_report
from guaranteekit.formats.catalog import find_criteria
from guaranteekit.formats.models import Report

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

EXAMPLES = sorted(_V1.glob("*.toml"))

VARIANTS = {
    "paris-declaration-2026-01-06.toml": "Paris Declaration, variant with a US backstop",
    "20-point-plan-2025-12.toml": "20-point plan, revised draft of the ceasefire annex",
    "us-28-point-plan-2025-11.toml": "US 28-point plan, European counter-proposal",
}


def save_variant(
    folder: Path, source: Path, name: str, change: Callable[[Report], Report] | None = None
) -> Path:
    """A copy of `source` under another package name (and `change`), saved with its results and
    digest brought up to date, as the tool saves a report."""
    report = load_report(source)
    report = report.model_copy(update={"package": report.package.model_copy(update={"name": name})})
    if change is not None:
        report = change(report)
    criteria = find_criteria(report.criteria.id, report.criteria.version)
    target = folder / f"variant-{source.name}"
    save_report(target, finalize(report, criteria))
    return target


@pytest.fixture(scope="session")
def nine_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Nine packages: the six worked examples and three variants of them."""
    folder = tmp_path_factory.mktemp("nine")
    paths = [Path(shutil.copy(p, folder / p.name)) for p in EXAMPLES]
    for source, name in VARIANTS.items():
        paths.append(save_variant(folder, folder / source, name))
    return paths
