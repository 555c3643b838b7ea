"""Text from files is data: the one cleaning of every text guaranteekit shows (terminal, Markdown, HTML).

`clean` removes ANSI escape sequences and C0/C1 control characters (keeping newline and tab), so a
package name or rationale cannot move the cursor, change colours, retitle the window or clear the
screen. It shows format characters (Unicode's category Cf) as `\\u202e`: the bidi controls (U+202A to
U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C) reorder what follows them, so a rationale can read
differently from what it says, and the zero-width characters (U+200B to U+200D, U+2060, U+FEFF) hide
in words; shown, a reader sees that they are there. Every other character is kept as it is.

`json_text` does the same for JSON without changing the data: those characters become JSON escapes.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Unicode's format characters (category Cf, Unicode 15.1), as a regular-expression class body."""

_FORMAT = re.compile(f"[{FORMAT_CHARACTERS}]")
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}]")
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f\\u2028\\u2029{FORMAT_CHARACTERS}]")


def visible(character: str) -> str:
    """`\\u202e` for one character (`\\U000e0001` beyond the first plane)."""
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _show(match: re.Match[str]) -> str:
    return visible(match.group())


def clean(text: str) -> str:
    """`text` without escape sequences or control characters (newlines and tabs kept), with format
    characters shown as `\\u202e`."""
    if text.isprintable():
        # No character of Unicode's "Other" categories, so no ESC, no C0/C1 control and no format
        # character: nothing to do. Most labels and ids take this path, a single pass in C.
        return text
    return _FORMAT.sub(_show, _CONTROL.sub("", _ANSI.sub("", text)))


def clean_output(text: str) -> str:
    """`clean` for a whole document about to be written to a terminal: one scan, and the cleaning
    only when something is found (a document is mostly newlines, which `isprintable` refuses)."""
    return clean(text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`clean(text)` with newlines and tabs folded to spaces, for table cells and one-line labels."""
    return " ".join(clean(text).split())


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the first plane as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with DEL, C1 controls, line separators
    and format characters written as `\\uXXXX` escapes: the same data, safe on a terminal. (JSON
    already escapes C0 controls; outside strings, JSON text is ASCII.)"""
    return _JSON_UNSAFE.sub(_json_escape, text)


def toml_escapes(text: str) -> str:
    """The same for TOML text whose strings are all basic strings (as tomli-w writes them)."""
    return _JSON_UNSAFE.sub(_show, text)
