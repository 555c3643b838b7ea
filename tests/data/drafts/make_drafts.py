"""Make the PDF and DOCX fixtures of this folder from `round3.txt`: `.venv/bin/python
tests/data/drafts/make_drafts.py`. The files it makes are committed; tests read them.

- `round3.pdf`: the draft as a two-page PDF with a text layer, its lines wrapped as a PDF's are;
- `round3.docx`: the draft as a Word document (a title, then one paragraph per point);
- `scanned.pdf`: a page that holds only an image, as a scan without OCR does;
- `encrypted.pdf`: `round3.pdf` encrypted with a user password.

The PDF writer is a few lines by hand (standard Helvetica font, one text object per page), so the
test suite needs no PDF-making library; `pdf_bytes` is also used by `bench/bench_drafts.py`.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

HERE = Path(__file__).parent


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], *, image_only: bool = False) -> bytes:
    """A PDF with one page per list of lines (ASCII), or with one image and no text at all."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids: list[int] = []
    for lines in pages:
        if image_only:
            pixels = bytes(range(0, 256, 4)) * 64
            objects.append(
                b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Length %d >>\nstream\n"
                % len(pixels)
                + pixels
                + b"\nendstream"
            )
            image = len(objects)
            stream = b"q 468 0 0 648 72 72 cm /Im1 Do Q"
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image
        else:
            body = "\n".join(f"({_escape(line)}) Tj T*" if line else "T*" for line in lines)
            stream = f"BT /F1 10 Tf 13 TL 56 790 Td\n{body}\nET".encode("cp1252")
            resources = b"<< /Font << /F1 3 0 R >> >>"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            + resources
            + b" /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def wrapped(text: str, width: int = 90) -> list[str]:
    """The lines of a text as a PDF sets them: each paragraph wrapped, a blank line between."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        for line in paragraph.splitlines():
            lines += textwrap.wrap(line, width) or [""]
        lines.append("")
    return lines[:-1]


def make() -> None:
    from docx import Document
    from pypdf import PdfReader, PdfWriter

    text = (HERE / "round3.txt").read_text()
    paragraphs = text.strip().split("\n\n")
    first, second = "\n\n".join(paragraphs[:5]), "\n\n".join(paragraphs[5:])
    plain = pdf_bytes([wrapped(first), wrapped(second)])
    (HERE / "round3.pdf").write_bytes(plain)
    (HERE / "scanned.pdf").write_bytes(pdf_bytes([[]], image_only=True))

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password="round3", owner_password="owner", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    (HERE / "encrypted.pdf").write_bytes(encrypted.getvalue())

    document = Document()
    title, subtitle = paragraphs[0].splitlines()
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    for paragraph in paragraphs[1:]:
        number, _, rest = paragraph.partition(". ")
        para = document.add_paragraph()
        para.add_run(number + ".").bold = True
        para.add_run(" " + rest)
    document.core_properties.author = "guaranteekit tests"
    document.save(HERE / "round3.docx")


if __name__ == "__main__":
    make()
