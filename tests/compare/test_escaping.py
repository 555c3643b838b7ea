"""Text from reports is data: a hostile package name and rationale show literally in the HTML and
Markdown documents, and never become markup, script, template code or terminal escapes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from guaranteekit.cli.parser import main
from guaranteekit.documents.escape import md_escape
from guaranteekit.textsafe import clean

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_RATIONALE = "</td><img src=x onerror=alert(1)>"


class _Page(HTMLParser):
    """The elements and the visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main([*argv, "--format", "html"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "hostile.toml", "plan-a.toml", "--draws", "0"],
        ["compare", "--rounds", "plan-a.toml", "hostile.toml"],
        ["diff", "plan-a.toml", "hostile.toml"],
        ["report", "hostile.toml"],
    ],
    ids=["compare", "rounds", "diff", "report"],
)
def test_hostile_text_shows_literally_in_html(
    capsys: pytest.CaptureFixture[str], in_reports: Path, argv: list[str]
) -> None:
    html = render(capsys, *argv)
    page = _Page()
    page.feed(html)
    text = "".join(page.text)
    # Shown literally, as text a reader sees...
    assert HOSTILE_NAME in text
    assert HOSTILE_RATIONALE in text
    assert "<svg onload=alert(1)>" in text
    assert "{{ 7*7 }}" in text and "49" not in text
    # ...and never markup: no script, image or link element, no event handler attribute.
    assert not {"script", "img", "a", "iframe", "object"} & set(page.tags)
    assert not [name for name in page.attributes if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # Every <svg> is one of our charts, and the name inside a chart label is escaped too.
    assert all(
        m.group(0).startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
        for m in re.finditer(r"<svg[^>]*>", html)
    )
    # Terminal escape sequences are stripped, not passed through.
    assert "\x1b" not in html and "[31m" not in html


def test_hostile_name_in_chart_labels_is_escaped(
    capsys: pytest.CaptureFixture[str], in_reports: Path
) -> None:
    html = render(capsys, "compare", "hostile.toml", "plan-b.toml", "--draws", "0")
    chart = html[html.index('<svg xmlns="http://www.w3.org/2000/svg"') : html.index("</svg>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    assert "<script" not in chart


@pytest.mark.parametrize("command", [["compare", "--draws", "0"], ["compare", "--rounds"]])
def test_hostile_text_is_escaped_in_markdown(
    capsys: pytest.CaptureFixture[str], in_reports: Path, command: list[str]
) -> None:
    assert main([*command, "hostile.toml", "plan-c.toml"]) == 0
    md = capsys.readouterr().out
    assert "<script" not in md and "<img" not in md and "<svg" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\x1b" not in md
    # A rationale with a heading and a list in it is folded into one line.
    if command[-1] != "--rounds":
        assert "None. # Nobody is named. - not even a list\n" in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a | b", r"a \| b"),
        ("*bold* _it_ `code` [link](x) ~~s~~", r"\*bold\* \_it\_ \`code\` \[link\](x) \~\~s\~\~"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("# heading", r"\# heading"),
        ("- item", r"\- item"),
        ("2. item", r"2\. item"),
        ("100.00 (High)", "100.00 (High)"),
        ("two\nlines", "two lines"),
        (" (provisional)", " (provisional)"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert str(md_escape(text)) == escaped


def _md_reference(text: str) -> str:
    """Markdown escaping spelled out step by step, without the fast path for plain text."""
    value = re.sub(r"\s+", " ", clean(text))
    value = re.sub(r"([\\`*_\[\]~|])", r"\\\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    match = re.match(r"^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s)|\d{1,9}(?=[.)](?:\s|$)))", value)
    if match:
        if match.group(2)[0].isdigit():
            value = value[: match.end()] + "\\" + value[match.end() :]
        else:
            value = value[: match.start(2)] + "\\" + value[match.start(2) :]
    return value


_MARKS = list("#-+*_`[]~|\\&<>\t\n\x1b\u00a0\u2028")
_MOSTLY_PLAIN = st.text(alphabet=st.sampled_from(list("ab é.)1٣ ")), max_size=10)
_MARKDOWNISH = st.text(alphabet=st.sampled_from([*"ab 1.)", *_MARKS]), max_size=12)


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(_MOSTLY_PLAIN, _MARKDOWNISH, st.text(max_size=12)))
@example(text="a  b")
@example(text=" 2. x")
@example(text="٣) x")
@example(text=" - x")
@example(text="+ x")
@example(text="# heading")
def test_markdown_escaping_takes_no_shortcut_that_changes_the_text(text: str) -> None:
    # Plain text skips the substitutions (and is cached): the result must be the same.
    assert str(md_escape(text)) == _md_reference(text)
    assert str(md_escape(text)) == _md_reference(text)  # second time from the cache
