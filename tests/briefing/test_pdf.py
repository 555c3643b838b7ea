"""`--format pdf` writes the PDF directly through WeasyPrint (an optional extra), and says in one
line how to install it where it is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

NATO = _V1 / "nato-article-5.toml"


def test_without_weasyprint_one_line_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails, as where it is absent
    out = tmp_path / "briefing.pdf"
    code = main(["report", str(NATO), "--format", "pdf", "-o", str(out), "--draws", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "pip install 'guaranteekit[pdf]'" in err
    assert not out.exists()


def test_a_pdf_is_written_with_the_marking_and_page_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint (or the Pango library it needs) is not installed")
    out = tmp_path / "nato.pdf"
    code = main(
        [
            "report",
            str(NATO),
            "--format",
            "pdf",
            "-o",
            str(out),
            "--draws",
            "0",
            "--marking",
            "RESTRICTED",
        ]
    )
    assert code == 0, capsys.readouterr().err
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return
    pages = subprocess.run(
        [pdftotext, str(out), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert "NATO Article 5" in pages[0] and "How robust" in pages[0]
    for number, page in enumerate(pages, 1):
        assert "RESTRICTED" in page
        assert f"Page {number} of {len(pages)}" in page
