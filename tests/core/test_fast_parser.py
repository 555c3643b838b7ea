"""The fast TOML parser (rtoml) must agree with tomli: same data for every file tomli accepts, and a
refusal for every file tomli refuses, so taking the fast path never lets a broken file through.
And what rtoml writes (comparison documents), tomli reads back the same."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.errors import LoadError
from guaranteekit.formats.storage import parse_toml

rtoml = pytest.importorskip("rtoml")

ROOT = Path(__file__).resolve().parents[2]
KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
STRINGS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
SCALARS = (
    STRINGS
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.dates()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return ("ok", parse(text))
    except Exception:  # any refusal counts as a refusal
        return ("refused", None)


def test_the_repository_files_parse_the_same() -> None:
    files = [p for p in ROOT.rglob("*.toml") if ".venv" not in p.parts and ".git" not in p.parts]
    assert len(files) > 20
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert outcome(rtoml.loads, text) == outcome(tomli.loads, text), path


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.booleans())
def test_written_documents_parse_the_same(document: dict[str, Any], multiline: bool) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline)
    assert rtoml.loads(text) == tomli.loads(text)
    if not multiline:  # tomli_w's multi-line strings turn CR LF into LF: not a parser matter
        assert tomli.loads(text) == document


EXAMPLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.toml"))]
DAMAGE = st.sampled_from(
    [
        "",
        "=",
        '"',
        "'",
        "[",
        "]",
        "{",
        "}",
        "\n",
        "\r",
        "#",
        "\\",
        "\x01",
        "\x7f",
        ",",
        ".",
        " ",
        '"""',
        "0",
        "+",
        ":",
        "T",
        "\ufeff",
    ]
)


def _damage(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(min_value=1, max_value=2))):
        at = data.draw(st.integers(min_value=0, max_value=len(text)))
        cut = data.draw(st.integers(min_value=0, max_value=3))
        text = text[:at] + data.draw(DAMAGE) + text[at + cut :]
    return text


def _fast(text: str) -> dict[str, Any]:
    return parse_toml(text.encode("utf-8"), "f.toml")


def _strict(text: str) -> dict[str, Any]:
    return tomli.loads(text.removeprefix("\ufeff"))


INLINE_BREAK = re.compile(r"[ \t]*(?:\r?\n[ \t]*)+=[ \t]*|[ \t]*=(?:[ \t]*\r?\n)+[ \t]*")


def assert_agree(text: str) -> None:
    """The fast path accepts exactly what tomli accepts, with the same data, with one exception:
    a line break next to `=` inside an inline table, which rtoml accepts (joining the line gives
    tomli's reading of the same data). Empty files are refused before parsing, by policy."""
    if not text.strip():
        return
    fast, strict = outcome(_fast, text), outcome(_strict, text)
    if fast[0] == "ok" and strict[0] == "refused":
        joined = INLINE_BREAK.sub(" = ", text)
        assert joined != text, f"rtoml accepts what tomli refuses: {text!r}"
        assert outcome(_strict, joined) == fast, f"rtoml accepts what tomli refuses: {text!r}"
        return
    assert fast == strict, repr(text)


def test_the_inline_table_leniency_is_the_known_one() -> None:
    text = 'pillars = [\n    { pillar\n= "who", score = 50.0 },\n]\n'
    assert outcome(_strict, text)[0] == "refused"
    assert _fast(text) == {"pillars": [{"pillar": "who", "score": 50.0}]}
    assert_agree(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLES), st.data())
def test_damaged_reports_are_refused_alike(example: str, data: st.DataObject) -> None:
    assert_agree(_damage(example, data))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.data())
def test_damaged_documents_are_refused_alike(document: dict[str, Any], data: st.DataObject) -> None:
    assert_agree(_damage(tomli_w.dumps(document), data))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_the_fast_writer_writes_what_tomli_reads_back(document: dict[str, Any]) -> None:
    # documents.render_data writes TOML with rtoml: whatever it writes must read back the same.
    assert tomli.loads(rtoml.dumps(document, none_value=None)) == document


def test_a_byte_order_mark_is_not_part_of_the_document() -> None:
    assert parse_toml(b'\xef\xbb\xbfname = "x"\n', "f.toml") == {"name": "x"}


def test_a_refused_file_is_worded_by_tomli_with_its_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        parse_toml(b'name = "x"\n[broken\n', "report.toml")
    assert caught.value.problems == [
        "report.toml:2:8: not valid TOML: Expected ']' at the end of a table declaration"
    ]
