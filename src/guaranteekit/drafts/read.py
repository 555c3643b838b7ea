"""Reading a draft into one text: plain text, Markdown, PDF (its text layer, page by page) or DOCX.

Every offset a report records (units, quotes) is an offset into the text this module hands on, so
the text is normalised once, here, the same way for every format: line ends are LF, form feeds and
control characters (other than newline and tab) are gone, trailing spaces are cut, and the text is
in Unicode NFC (a Word file and a text export of it may compose accents differently).

Each library is imported inside the function that reads its format: a command that never reads a
PDF never loads pypdf. Every refusal is one `LoadError` line naming the file; nothing is written.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from guaranteekit.errors import LoadError
from guaranteekit.formats.models import DraftFormat
from guaranteekit.formats.storage import read_bytes

MAX_DRAFT_BYTES = 32 * 1024 * 1024
"""Draft files larger than this are refused before reading (a 200-page PDF is a few megabytes)."""

SUFFIXES = {
    ".txt": DraftFormat.TXT,
    ".text": DraftFormat.TXT,
    ".md": DraftFormat.MD,
    ".markdown": DraftFormat.MD,
    ".pdf": DraftFormat.PDF,
    ".docx": DraftFormat.DOCX,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.M)


@dataclass(slots=True)
class Extracted:
    """A draft's text and what is known of where it came from."""

    name: str
    """The file's name (without its folder)."""
    format: DraftFormat
    digest: str
    """`sha256:` of the file's bytes."""
    text: str
    """The normalised text; every offset is into this."""
    page_starts: list[int] = field(default_factory=list)
    """Offset at which each page begins (PDF only; page 1 first)."""

    @property
    def text_digest(self) -> str:
        return text_digest(self.text)


def text_digest(text: str) -> str:
    """`sha256:` of a text's UTF-8 bytes (of a quote, or of a whole extracted text)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def draft_format(path: Path) -> DraftFormat:
    """The format a file is read as, from its name."""
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix == ".doc":
        raise LoadError(
            f"{path}: an old Word document (.doc); save it as .docx (or PDF) and attach that"
        )
    raise LoadError(
        f"{path}: unknown kind of draft {suffix or '(no extension)'!r}; attach a .txt, .md, .pdf"
        " or .docx file"
    )


def read_draft(path: Path, *, max_bytes: int | None = None) -> Extracted:
    """Read a draft file; raises `LoadError` (one line) for anything that cannot be read.

    `max_bytes` defaults to `MAX_DRAFT_BYTES`, looked up when called.
    """
    path = Path(path)
    fmt = draft_format(path)
    data = read_bytes(path, max_bytes=MAX_DRAFT_BYTES if max_bytes is None else max_bytes)
    text, page_starts = extract(data, str(path), fmt)
    return Extracted(
        name=path.name,
        format=fmt,
        digest="sha256:" + hashlib.sha256(data).hexdigest(),
        text=text,
        page_starts=page_starts,
    )


def extract(data: bytes, name: str, fmt: DraftFormat) -> tuple[str, list[int]]:
    """The normalised text of a draft's bytes, and the offsets where its pages begin."""
    if fmt is DraftFormat.PDF:
        return _pdf_text(data, name)
    if fmt is DraftFormat.DOCX:
        text = _docx_text(data, name)
    else:
        text = _decode(data, name)
        if fmt is DraftFormat.MD:
            text = markdown_to_text(text)
        text = normalise(text)
    if not text.strip():
        raise LoadError(f"{name}: the draft holds no text")
    return text, []


def normalise(text: str) -> str:
    """The text as every offset counts it (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return _TRAILING.sub("", text).strip("\n")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 with one; anything else is refused
    rather than guessed, since a wrong guess would quote the draft with the wrong characters."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise LoadError(
                    f"{name}: not valid {codec.upper()} text (bad bytes at offset {exc.start})"
                ) from None
    if b"\x00" in data:
        raise LoadError(
            f"{name}: a binary file (NUL byte at offset {data.index(0)}), not text; attach the"
            " draft as .txt, .md, .pdf or .docx"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save"
            " the draft as UTF-8 and attach it again"
        ) from None


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def markdown_to_text(text: str) -> str:
    """Markdown as a reader sees it: headings, emphasis, links and escapes without their marks.

    Only what changes the words a reader would quote is undone; lists and paragraphs stay as they
    are, so `1. The parties...` still numbers its point.
    """
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_CODE.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text)


def _pdf_text(data: bytes, name: str) -> tuple[str, list[int]]:
    from pypdf import PdfReader  # only when a PDF draft is read

    if b"%PDF-" not in data[:1024]:
        raise LoadError(f"{name}: not a PDF (no %PDF header at the start of the file)")
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    # pypdf logs every oddity of a file's structure as a warning, which Python would print.
    quiet.setLevel(logging.ERROR)
    try:
        try:
            reader = PdfReader(io.BytesIO(data))
        except Exception as exc:  # pypdf raises many kinds for a damaged file
            raise LoadError(f"{name}: not a readable PDF ({_reason(exc)})") from None
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # an owner password alone still opens it
            except Exception:
                opened = False
            if not opened:
                raise LoadError(
                    f"{name}: an encrypted PDF that needs a password to open; save an unencrypted"
                    " copy and attach that"
                )
        pages: list[str] = []
        try:
            for page in reader.pages:
                pages.append(normalise(page.extract_text() or ""))
        except LoadError:
            raise
        except Exception as exc:
            raise LoadError(
                f"{name}: page {len(pages) + 1}: its text cannot be read ({_reason(exc)})"
            ) from None
    finally:
        quiet.setLevel(level)
    if not any(page.strip() for page in pages):
        raise LoadError(
            f"{name}: no text layer in its {len(pages)} page(s): a scan? Run it through OCR (e.g."
            " `ocrmypdf`) and attach the result"
        )
    starts: list[int] = []
    offset = 0
    for page_text in pages:
        starts.append(offset)
        offset += len(page_text) + 2  # pages are joined by a blank line
    return "\n\n".join(pages), starts


def _docx_text(data: bytes, name: str) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise LoadError(f"{name}: not a Word document (a .docx file is a ZIP package; this is not)")
    import docx  # only when a DOCX draft is read
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [cell.text.strip() for cell in row.cells]
                    blocks.append(" | ".join(c for c in cells if c))
            else:
                blocks.append(block.text)
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, lxml errors...
        raise LoadError(f"{name}: not a readable Word document (.docx): {_reason(exc)}") from None
    return normalise("\n\n".join(b.strip() for b in blocks if b.strip()))


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
