"""Text from files is data: make it safe to print on a terminal.

Strips ANSI escape sequences and C0/C1 control characters (keeping newline and tab), so a package name
or rationale cannot move the cursor, change colours, retitle the window or hide text.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """`text` without escape sequences or control characters (newlines and tabs kept)."""
    if text.isprintable():
        # No character of Unicode's "Other" categories, so no ESC and no C0/C1 control: nothing
        # to strip. Most labels and ids take this path, which is a single pass in C.
        return text
    return _CONTROL.sub("", _ANSI.sub("", text))


def one_line(text: str) -> str:
    """`clean(text)` with newlines and tabs folded to spaces, for table cells and one-line labels."""
    return " ".join(clean(text).split())
