"""One TOML reader with one meaning: `storage.parse_toml` accepts exactly what the standard library's
`tomllib` accepts (TOML 1.0), with the same data, whatever else is installed; every refusal keeps its
line and column. And what the document writer (rtoml) writes, the reader reads back the same."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.errors import LoadError
from guaranteekit.formats import storage
from guaranteekit.formats.storage import parse_toml

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


def _ours(text: str) -> dict[str, Any]:
    return parse_toml(text.encode("utf-8"), "f.toml")


def _stdlib(text: str) -> dict[str, Any]:
    return tomllib.loads(text.removeprefix("\ufeff"))


def assert_agree(text: str) -> None:
    """Our reader and tomllib accept and refuse the same texts, with the same data. By policy, empty
    files are refused before parsing, and data nested deeper than any format needs after it."""
    if not text.strip():
        return
    ours = outcome(_ours, text)
    if ours[0] == "refused":
        with pytest.raises(LoadError) as caught:
            _ours(text)
        if "nested deeper than" in caught.value.problems[0]:
            return
    theirs = outcome(_stdlib, text)
    # Compared by repr: nan is not equal to itself, and a file may hold one.
    assert (ours[0], repr(ours[1])) == (theirs[0], repr(theirs[1])), repr(text[:200])


def test_one_parser_is_used() -> None:
    assert not hasattr(storage, "_fast_reader")
    assert storage.toml_reader.__name__ == "tomli"


def test_the_repository_files_parse_the_same() -> None:
    files = [p for p in ROOT.rglob("*.toml") if ".venv" not in p.parts and ".git" not in p.parts]
    assert len(files) > 20
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert_agree(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # TOML 1.1 (tomli 2.4 and later) allows each of these; TOML 1.0 and tomllib do not.
        ("a = {x = 1,\n  y = 2}\n", "f.toml:1:12:"),
        ("a = {x = 1,}\n", "f.toml:1:12:"),
        ('a = "\\e"\n', "f.toml:1:8:"),
        ('a = "\\x41"\n', "f.toml:1:8:"),
        ("t = 2020-01-01T10:00\n", "f.toml:1:15:"),
    ],
)
def test_toml_1_1_is_refused_as_tomllib_refuses_it(text: str, where: str) -> None:
    with pytest.raises(LoadError) as caught:
        _ours(text)
    [line] = caught.value.problems
    assert line.startswith(where) and "not valid TOML" in line
    assert outcome(_stdlib, text)[0] == "refused"


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.booleans())
def test_written_documents_parse_the_same(document: dict[str, Any], multiline: bool) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline)
    if text.strip():
        assert _ours(text) == tomllib.loads(text)
    if not multiline:  # tomli_w's multi-line strings turn CR LF into LF: not a parser matter
        assert tomllib.loads(text) == document


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


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLES), st.data())
def test_damaged_reports_are_refused_alike(example: str, data: st.DataObject) -> None:
    assert_agree(_damage(example, data))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.data())
def test_damaged_documents_are_refused_alike(document: dict[str, Any], data: st.DataObject) -> None:
    assert_agree(_damage(tomli_w.dumps(document), data))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_the_document_writer_writes_what_the_reader_reads_back(document: dict[str, Any]) -> None:
    # documents.render_data writes TOML with rtoml: whatever it writes must read back the same.
    rtoml = pytest.importorskip("rtoml")
    text = rtoml.dumps(document, none_value=None)
    assert tomllib.loads(text) == document
    if text.strip():
        assert _ours(text) == document


def test_a_byte_order_mark_is_not_part_of_the_document() -> None:
    assert parse_toml(b'\xef\xbb\xbfname = "x"\n', "f.toml") == {"name": "x"}


def test_a_refused_file_is_worded_with_its_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        parse_toml(b'name = "x"\n[broken\n', "report.toml")
    assert caught.value.problems == [
        "report.toml:2:8: not valid TOML: Expected ']' at the end of a table declaration"
    ]
