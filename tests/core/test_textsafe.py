"""Text from files is made safe to print: escape sequences and control characters go, text stays."""

from __future__ import annotations

import json
import re
import sys
import tomllib
import unicodedata

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from guaranteekit.textsafe import clean, json_text, one_line, toml_escapes

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
    assert not any(unicodedata.category(ch) == "Cf" for ch in cleaned)
    assert clean(cleaned) == cleaned
    if text.isprintable():
        assert cleaned == text


def test_bidi_and_zero_width_characters_are_shown() -> None:
    assert (
        clean("pay\u202eusd\u202c for\u200b it\ufeff")
        == "pay\\u202eusd\\u202c for\\u200b it\\ufeff"
    )
    assert clean("tag\U000e0041") == "tag\\U000e0041"
    assert one_line("a\u2066b\u2069\nc") == "a\\u2066b\\u2069 c"


def test_every_format_character_is_shown() -> None:
    # The class is written out (building it from unicodedata at import would cost every command
    # start-up); it must hold every character of category Cf that this Python knows.
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and clean(chr(code)) == chr(code)
    ]
    assert missing == []


def test_json_and_toml_escapes_keep_the_data() -> None:
    value = {"name": 'x\u202ey\x7f\x85\u2028\U000e0041\u200b"\\'}
    text = json_text(json.dumps(value, ensure_ascii=False))
    assert text.isascii() or all(ch.isprintable() for ch in text)
    assert json.loads(text) == value
    toml = toml_escapes(tomli_w.dumps(value))
    assert all(ch.isprintable() or ch == "\n" for ch in toml)
    assert tomllib.loads(toml) == value
