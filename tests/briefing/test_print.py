"""The printed briefing loses nothing: headless Chromium prints the HTML comparison of nine
packages to PDF, and every package name and criterion title is in it; page one holds the ranking,
each verdict's robustness in words, and the planned asks; every page carries its number, the
generation date and the marking.

Needs Chromium and pdftotext (Debian: `apt-get install chromium poppler-utils`; `.ci/run` installs
them); skipped cleanly without them. Chromium runs as `scripts/screenshot_html.py` starts it:
headless, its own profile, no network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import find_criteria
from guaranteekit.formats.models import Report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
MARKING = "OFFICIAL-SENSITIVE"


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"{names[0]} is not installed (Debian: chromium, poppler-utils)")


def _words(text: str) -> str:
    """Text with every run of white space as one space: names wrap inside table cells."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def printed(nine_reports: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of each printed page."""
    chrome = _tool(*BROWSERS)
    pdftotext = _tool("pdftotext")
    folder = tmp_path_factory.mktemp("print")
    html = folder / "briefing.html"
    code = main(
        [
            "compare",
            *map(str, nine_reports),
            "--format",
            "html",
            "--draws",
            "200",
            "--marking",
            MARKING,
            "-o",
            str(html),
        ]
    )
    assert code == 0
    pdf = folder / "briefing.pdf"
    subprocess.run(
        [
            chrome,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    pages = text.split("\f")
    return [page for page in pages if page.strip()]


def _reports(paths: list[Path]) -> list[Report]:
    from guaranteekit.formats.assessment import load_report

    return [load_report(p) for p in paths]


def test_every_package_and_every_criterion_is_on_the_printed_pages(
    printed: list[str], nine_reports: list[Path]
) -> None:
    whole = _words(" ".join(printed))
    names = [r.package.name for r in _reports(nine_reports)]
    assert len(set(names)) == 9
    # (Booleans, not `x in whole` in the assert: pytest would diff the whole document on failure.)
    missing = [name for name in names if _words(name) not in whole]
    assert not missing, missing
    criteria = find_criteria("guarantee-credibility", "1.0.0")
    missing = [c.title for c in criteria.criteria if _words(c.title) not in whole]
    assert not missing, missing
    # Not cut at the page's edge either: the wide criteria table is split, names repeated, and
    # the charts wrap their labels, so that nothing ends in "…".
    cut = re.findall(r".{40}…", whole)
    assert not cut, cut[:5]


def test_page_one_holds_the_ranking_the_robustness_in_words_and_the_planned_asks(
    printed: list[str], nine_reports: list[Path]
) -> None:
    first = _words(printed[0])
    assert all(w in first for w in ("Ranking", "How robust", "What to ask for next")), first[:500]
    assert re.search(r"holds in (every plausible weighting drawn|\d+ of 10+ plausible)", first)
    assert "Score after" in first and "→" in first
    missing = [
        r.package.name for r in _reports(nine_reports) if _words(r.package.name) not in first
    ]
    assert not missing, missing
    # The planned asks of every package are on page one: nine numbered entries.
    asks = first[first.index("What to ask for next") :]
    assert all(f"{n}. " in asks for n in range(1, 10))
    assert "Verification: all 9 reports pass verify" in first


def test_every_page_has_its_number_the_date_and_the_marking(printed: list[str]) -> None:
    count = len(printed)
    assert count > 1
    for number, page in enumerate(printed, 1):
        words = _words(page)
        assert f"Page {number} of {count}" in words
        assert "Generated " in words and " by guaranteekit " in words
        assert words.count(MARKING) >= 2, f"page {number}: marking at top and bottom"
