"""A draft attached to a report: the `Draft` record, its text kept inline or in a file beside the
report, and the check `verify` runs that every anchored quote stands in that text.

The text is kept in the report by default, so a reviewer holding the report alone can read every
quote in its context. A long draft makes a long report, so the text can live instead in a file
beside the report (`<report>.draft-text.txt`), named in `draft.text_file` and checked against
`draft.text_digest` whenever it is read.
"""

from __future__ import annotations

from pathlib import Path

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.read import Extracted, text_digest
from guaranteekit.drafts.units import split_units
from guaranteekit.errors import LoadError
from guaranteekit.formats.models import Draft, Package, QuoteStatus, Report
from guaranteekit.formats.storage import MAX_FILE_BYTES, atomic_write, read_bytes

TEXT_SUFFIX = ".draft-text.txt"
"""The text of `round-4.toml`'s draft, kept beside it, is `round-4.draft-text.txt`."""

MAX_KEPT_TEXT = MAX_FILE_BYTES // 2
"""The most text (UTF-8 bytes) kept in the report itself: reports are read with a size cap
(`formats.storage.MAX_FILE_BYTES`), and the text with its unit map and the answers must fit under
it. Longer texts go in a file beside the report."""

MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024
"""A text file beside a report larger than this is refused before reading."""


def text_path(report_path: Path) -> Path:
    """Where the text of a report's draft is kept when it is not in the report."""
    path = Path(report_path)
    stem = path.name[: -len(".toml")] if path.name.endswith(".toml") else path.name
    return path.with_name(stem + TEXT_SUFFIX)


def draft_record(extracted: Extracted, *, text_file: str | None = None) -> Draft:
    """The `Draft` of a read draft: the text kept inline, or named as `text_file`."""
    size = len(extracted.text.encode("utf-8"))
    if text_file is None and size > MAX_KEPT_TEXT:
        raise LoadError(
            f"{extracted.name}: its text ({size:,} bytes) is too long to keep in the report (the"
            f" limit is {MAX_KEPT_TEXT:,}); keep it in a file beside the report (--text-beside)"
        )
    pages = len(extracted.page_starts) or None
    return Draft(
        file=extracted.name,
        format=extracted.format,
        digest=extracted.digest,
        text_digest=extracted.text_digest,
        pages=pages,
        units=split_units(extracted.text, extracted.page_starts or None),
        text=None if text_file is not None else extracted.text,
        text_file=text_file,
    )


def package_for(extracted: Extracted) -> Package:
    """The package a new assessment of a draft starts with: named after the draft's first line (a
    title, usually; else the file's name without its extension), its source the file's name."""
    from guaranteekit.textsafe import one_line

    name = next((one_line(line) for line in extracted.text.splitlines() if line.strip()), "")
    if len(name) > 120:
        name = name[:119] + "…"
    return Package(name=name or Path(extracted.name).stem or extracted.name, source=extracted.name)


def attach(
    report: Report, extracted: Extracted, report_path: Path, *, beside: bool = False
) -> tuple[Report, Path | None]:
    """`report` with the draft attached, and the text file to write beside it (None: inline).

    Nothing is written here; `write_text_file` writes the file, before the report that names it.
    """
    target = text_path(report_path) if beside else None
    draft = draft_record(extracted, text_file=target.name if target else None)
    return report.model_copy(update={"draft": draft}), target


def write_text_file(target: Path, text: str) -> None:
    """Write a draft's text beside its report, atomically."""
    atomic_write(target, text.encode("utf-8"), overwrite=True)


def load_text(report: Report, report_path: Path) -> DraftText:
    """The text of the report's draft with its units, from the report or the file beside it."""
    draft = report.draft
    name = str(report_path)
    if draft is None:
        raise LoadError(f"{name}: draft: the report has no draft attached")
    if draft.text is not None:
        return DraftText(draft.text, draft.units)
    where = Path(report_path).parent / str(draft.text_file)
    try:
        data = read_bytes(where, max_bytes=MAX_TEXT_FILE_BYTES)
    except LoadError as exc:
        raise LoadError(f"{name}: draft.text_file: {exc.problems[0]}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError(f"{name}: draft.text_file: {where}: not UTF-8 text") from None
    if text_digest(text) != draft.text_digest:
        raise LoadError(
            f"{name}: draft.text_file: {where} is not the text the report was made from (its"
            " digest differs from draft.text_digest)"
        )
    return DraftText(text, draft.units)


def check_quotes(report: Report, report_path: Path) -> list[tuple[str, str, str]]:
    """`(code, where, message)` for the draft's text and every anchored quote not standing in it.

    Codes: `draft-text` (the text cannot be read or does not match its digest), `quote-mismatch`
    (a quote's text is not at its place in the draft's text, or does not match its own digest).
    """
    problems: list[tuple[str, str, str]] = []
    quoted = [
        (index, answer, q_index, quote)
        for index, answer in enumerate(report.answers)
        for q_index, quote in enumerate(answer.quotes or [])
    ]
    if report.draft is None:
        if quoted:
            problems.append(
                ("quote-mismatch", "draft", "answers quote a draft, but no draft is attached")
            )
        return problems
    if report.draft.text is not None and text_digest(report.draft.text) != report.draft.text_digest:
        problems.append(
            ("draft-text", "draft.text", "the draft's text does not match draft.text_digest")
        )
    try:
        text = load_text(report, report_path)
    except LoadError as exc:
        where, _, message = exc.problems[0].removeprefix(f"{report_path}: ").partition(": ")
        return [*problems, ("draft-text", where, message)]
    for index, answer, q_index, quote in quoted:
        where = f"answers[{index}] ({answer.criterion}).quotes[{q_index}]"
        if text_digest(quote.text) != quote.digest:
            problems.append(
                ("quote-mismatch", where, "the quoted text does not match the quote's digest")
            )
        if quote.status is QuoteStatus.MISSING:
            continue
        if not text.holds(quote):
            shown = text.text[quote.start : quote.end]
            problems.append(
                (
                    "quote-mismatch",
                    where,
                    f"the quote is not in the draft's text at {quote.unit} (characters"
                    f" {quote.start}-{quote.end}, which read {_snippet(shown)})",
                )
            )
            continue
        unit = text.unit_at(quote.start)  # type: ignore[arg-type]
        if unit is not None and unit.label != quote.unit:
            problems.append(
                (
                    "quote-mismatch",
                    where,
                    f"the quote stands in {unit.label} of the draft, not in {quote.unit}",
                )
            )
    return problems


def _snippet(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")
