"""Text from reports made safe for Markdown and HTML output, and the number filters of the templates.

Markdown has no autoescaping in Jinja, so the Markdown environment escapes every printed value in a
`finalize` hook (`md_finalize`: HTML characters, table pipes, emphasis, code and link marks, a block
marker at the start) unless it is `Markup`, which marks text the template itself made (`| safe`) or a
number from `num`. Values are folded to one line first, since a newline would break a table row or a
list item. HTML is autoescaped by Jinja; `html_finalize` only keeps terminal escapes out.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from guaranteekit.textsafe import clean

_MD_INLINE = re.compile(r"([\\`*_\[\]~|])")
_MD_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s)|\d{1,9}(?=[.)](?:\s|$)))")
_SPACES = re.compile(r"\s+")


def md_escape(text: object) -> Markup:
    """Text from a file, safe to print in Markdown: one line, terminal-clean, every mark escaped."""
    if isinstance(text, Markup):
        return text
    return Markup(_md_text(str(text)))


# What `_md_text` may change in printable text: a mark, a run of spaces, a possible block start.
# Three tests rather than one alternation: a character class scans in one tight loop (3x faster
# on a 300-character rationale).
_MD_MARK = re.compile(r"[\\`*_\[\]~|&<>]")
_MD_MAYBE_BLOCK = re.compile(r" ?[-+#\d]")


def _md_text(text: str) -> str:
    if (
        text.isprintable()
        and "  " not in text
        and _MD_MARK.search(text) is None
        and _MD_MAYBE_BLOCK.match(text) is None
    ):
        # Nothing to fold, strip or escape (isprintable: no control character, and no whitespace
        # but the ASCII space); most rationales and labels take this path.
        return text
    # Fold to one line but keep a single leading or trailing space (" (provisional)").
    value = _SPACES.sub(" ", clean(text))
    value = _MD_INLINE.sub(r"\\\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A value printed at the start of a line must not open a heading or a list.
    # (A digit cannot be backslash-escaped, so `2. x` becomes `2\. x`.)
    match = _MD_BLOCK_START.match(value)
    if match:
        cut = match.end()
        if match.group(2)[0].isdigit():
            value = value[:cut] + "\\" + value[cut:]
        else:
            value = value[: match.start(2)] + "\\" + value[match.start(2) :]
    return value


def num(value: float | None, places: int = 2) -> Markup:
    """`50.00`; `n/a` when absent."""
    return Markup("n/a" if value is None else f"{value:.{places}f}")


def signed(value: float | None, places: int = 2) -> Markup:
    """`+1.25`, `-0.50`, `0.00`; `n/a` when absent."""
    if value is None:
        return Markup("n/a")
    text = f"{value:+.{places}f}"
    return Markup("0." + "0" * places if text.lstrip("+-") == "0." + "0" * places else text)


def weight(value: float) -> Markup:
    """A weight without trailing zeros: `2`, `1.5`."""
    return Markup(f"{value:g}")


def short_digest(value: str | None) -> str:
    """`sha256:27c2158543b9` (enough to tell two digests apart)."""
    return "" if not value else value[:19]


def md_finalize(value: object) -> object:
    # Called for every value a Markdown template prints (half a million on 1,000 reports): the
    # common classes are tested first, by identity.
    cls = value.__class__
    if cls is str:
        return _md_text(value)  # type: ignore[arg-type]
    if cls is Markup:
        return value
    if cls is int or cls is float:
        return str(value)  # digits, a point, a sign or an exponent: never a Markdown mark
    if value is None:
        return ""
    return md_escape(value)


def html_finalize(value: object) -> object:
    # Autoescaping handles markup; a document printed to a terminal must not carry escapes either.
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def css_string(text: object) -> Markup:
    """A quoted CSS string holding `text` (the page margins' marking): every character that is
    not a letter, digit or space written as a hex escape, so no text can end the string, the rule
    or the `<style>` element."""
    out = []
    for char in str(text):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return Markup('"' + "".join(out) + '"')


def column_groups(count: int, most: int = 4) -> list[list[int]]:
    """Indexes 0..count-1 in as few groups of at most `most` as can be, of sizes differing by one
    at most: a wide table printed as several, each with the row names repeated."""
    if count <= 0:
        return []
    parts = -(-count // most)
    size, extra = divmod(count, parts)
    groups, start = [], 0
    for index in range(parts):
        length = size + (1 if index < extra else 0)
        groups.append(list(range(start, start + length)))
        start += length
    return groups
