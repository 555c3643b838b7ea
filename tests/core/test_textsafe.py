"""Text from files is made safe to print: escape sequences and control characters go, text stays."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from guaranteekit.textsafe import clean, one_line

PIECES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8
) | st.sampled_from(
    ["\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x07", "\x9b", "\x85", "\u2028", "\n", "\t"]
)
ANYTHING = st.lists(PIECES, max_size=10).map("".join)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_escape_sequences_and_controls_are_stripped_newlines_and_tabs_kept() -> None:
    assert clean("a\x1b[31mred\x1b[0m\x1b]0;owned\x07 b\x00\x9b\tc\nd") == "ared b\tc\nd"
    assert one_line("  two\n lines\t") == "two lines"


def test_printable_text_is_left_as_it_is() -> None:
    text = "Named guarantors: France, UK — «Article 5» (100%)"
    assert clean(text) is text


@given(ANYTHING)
def test_nothing_dangerous_is_left_and_printable_text_is_kept(text: str) -> None:
    cleaned = clean(text)
    assert CONTROL.search(cleaned) is None
    assert "\x1b" not in cleaned
    assert clean(cleaned) == cleaned
    if text.isprintable():
        assert cleaned == text
