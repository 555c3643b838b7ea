"""Reading drafts: one draft in four formats gives the same units; every bad file gets one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.drafts import read
from guaranteekit.drafts.read import markdown_to_text, read_draft
from guaranteekit.drafts.units import split_units
from guaranteekit.errors import LoadError
from guaranteekit.formats.models import DraftFormat

DRAFTS = Path(__file__).parent.parent / "data" / "drafts"
FORMATS = ["txt", "md", "pdf", "docx"]
LABELS = ["Preamble", *(f"Point {n}" for n in range(1, 9))]


def units_of(path: Path) -> list[tuple[str, str]]:
    """(label, the unit's words) of a draft: the same in every format, however lines break."""
    extracted = read_draft(path)
    units = split_units(extracted.text, extracted.page_starts or None)
    return [(u.label, " ".join(extracted.text[u.start : u.end].split())) for u in units]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_the_units_of_the_plain_text(fmt: str) -> None:
    units = units_of(DRAFTS / f"round3.{fmt}")
    assert [label for label, _ in units] == LABELS
    assert units == units_of(DRAFTS / "round3.txt")
    assert dict(units)["Point 2"] == (
        "Point 2. The United States, the United Kingdom and France shall act as guarantors of"
        " this Framework."
    )


def test_a_pdf_gives_the_page_each_unit_starts_on() -> None:
    extracted = read_draft(DRAFTS / "round3.pdf")
    assert extracted.format is DraftFormat.PDF
    assert len(extracted.page_starts) == 2
    pages = {u.label: u.page for u in split_units(extracted.text, extracted.page_starts)}
    assert pages["Point 4"] == 1 and pages["Point 5"] == 2 and pages["Point 8"] == 2
    assert extracted.text[extracted.page_starts[1] :].startswith("Point 5.")


def test_the_file_digest_is_of_its_bytes_and_the_text_is_normalised(tmp_path: Path) -> None:
    import hashlib

    draft = tmp_path / "crlf.txt"
    data = "\ufeffPoint 1. Caf\u0065\u0301 \r\nterms.\x07  \r\n\r\nPoint 2. More.\r\n".encode()
    draft.write_bytes(data)
    extracted = read_draft(draft)
    assert extracted.digest == "sha256:" + hashlib.sha256(data).hexdigest()
    # LF line ends, no BOM, no control characters, no trailing spaces, NFC.
    assert extracted.text == "Point 1. Caf\u00e9\nterms.\n\nPoint 2. More."


def test_markdown_loses_its_marks_but_keeps_its_numbering() -> None:
    text = "## Article 3 ##\n\n> **1.** The [parties](http://x) agree to `monitor` *all* of it.\n\n2\\. Next"
    assert markdown_to_text(text) == (
        "Article 3\n\n1. The parties agree to monitor all of it.\n\n2. Next"
    )
    assert markdown_to_text("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"


def _oversize(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(read, "MAX_DRAFT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("Point 1. Words.\n" * 100)
    return big


def _empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    empty = tmp_path / "empty.md"
    empty.write_text("\n  \n")
    return empty


def _binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Point 1.\x00\x01\x02")
    return binary


def _unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rtf = tmp_path / "draft.rtf"
    rtf.write_text("{\\rtf1 Point 1.}")
    return rtf


def _fake_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake = tmp_path / "fake.pdf"
    fake.write_text("Point 1. Not a PDF at all.")
    return fake


def _broken_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
    return broken


def _broken_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import zipfile

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "a ZIP, but not a Word document")
    return broken


BAD = [
    (lambda t, m: DRAFTS / "scanned.pdf", ["no text layer", "OCR"]),
    (lambda t, m: DRAFTS / "encrypted.pdf", ["encrypted PDF", "password"]),
    (lambda t, m: DRAFTS / "not-a-docx.docx", ["not a Word document", "ZIP"]),
    (lambda t, m: DRAFTS / "latin1.txt", ["not UTF-8", "offset 43", "save the draft as UTF-8"]),
    (lambda t, m: t / "missing.txt", ["no such file"]),
    (_oversize, ["too large", "limit is 1,000"]),
    (_empty, ["holds no text"]),
    (_binary, ["binary file", "NUL byte at offset 8"]),
    (_unknown, ["unknown kind of draft", ".rtf"]),
    (_fake_pdf, ["not a PDF"]),
    (_broken_pdf, ["not a readable PDF"]),
    (_broken_docx, ["not a readable Word document"]),
]


@pytest.mark.parametrize(("make", "words"), BAD, ids=[words[0] for _, words in BAD])
def test_a_bad_draft_is_one_clear_line(
    make, words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path, monkeypatch)
    with pytest.raises(LoadError) as caught:
        read_draft(path)
    [line] = caught.value.problems
    assert line.startswith(f"{path}: ")
    assert "\n" not in line
    for word in words:
        assert word in line


@pytest.mark.parametrize(
    ("fmt", "needs"), [("txt", set()), ("md", set()), ("pdf", {"pypdf"}), ("docx", {"docx"})]
)
def test_each_library_is_loaded_only_for_its_format(fmt: str, needs: set[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom guaranteekit.drafts.read import read_draft\n"
        f"read_draft({str(DRAFTS / f'round3.{fmt}')!r})\n"
        "print(' '.join(m for m in ('pypdf', 'docx', 'rapidfuzz', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(out.stdout.split()) == needs


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["txt", "md", "pdf", "docx"]),
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=200).map(str.encode),
        st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    ),
)
def test_any_bytes_are_read_or_refused_in_one_line(tmp_path: Path, fmt: str, data: bytes) -> None:
    path = tmp_path / f"draft.{fmt}"
    path.write_bytes(data)
    try:
        extracted = read_draft(path)
    except LoadError as exc:
        [line] = exc.problems
        assert line.startswith(f"{path}: ") and "\n" not in line
        return
    assert extracted.text.strip() and "\r" not in extracted.text
    split_units(extracted.text, extracted.page_starts or None)
