"""`--format pdf`: the HTML document printed to PDF by WeasyPrint, an optional extra.

WeasyPrint (`pip install 'guaranteekit[pdf]'`) lays out the same HTML and print CSS a browser prints:
A4 pages, the marking and the page numbers in the page margins, wide tables split. It is imported
only when a PDF is asked for, and never fetches anything: the documents are self-contained, and a
user's template that names an outside resource gets nothing.
"""

from __future__ import annotations

from typing import Any, NoReturn

from guaranteekit.errors import UsageError

MISSING = (
    "--format pdf needs WeasyPrint, which is not installed here: pip install 'guaranteekit[pdf]'"
    " (or print the --format html file from a browser)"
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: installed, but the Pango library it needs is not
        raise UsageError(MISSING) from None
    return weasyprint


def check_available() -> None:
    """UsageError with one line saying how to install WeasyPrint, before any report is read."""
    _weasyprint()


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"guaranteekit documents load nothing from outside: {url}")


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document."""
    weasyprint = _weasyprint()
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()
    return pdf
