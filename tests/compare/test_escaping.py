"""Text from reports is data: a hostile package name and rationale show literally in the HTML and
Markdown documents, and never become markup, script, template code or terminal escapes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guaranteekit.cli import main
from guaranteekit.documents import md_escape

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
