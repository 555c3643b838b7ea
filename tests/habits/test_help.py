"""Every `--help` page says what the command does, helps with every option and argument, gives the
default of every option that has one, and shows an example."""

from __future__ import annotations

import argparse

import pytest

from guaranteekit.cli.parser import _Formatter, build_parser, main


def _pages() -> dict[str, argparse.ArgumentParser]:
    pages: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        pages[path] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())

    walk(build_parser(), "")
    return pages


PAGES = _pages()


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction | argparse._VersionAction)
        and not isinstance(action, argparse._SubParsersAction)
    ]


def test_the_pages_include_every_command() -> None:
    assert {"compare", "diff", "report", "schema", "verify", "criteria show", "completion"} <= set(
        PAGES
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_has_a_description_and_an_example(page: str) -> None:
    parser = PAGES[page]
    assert parser.description, f"`guaranteekit {page} --help` has no description"
    assert parser.epilog and "example" in parser.epilog, f"`{page} --help` shows no example"
    assert f"guaranteekit {page}".strip() in parser.epilog


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_option_has_help_and_says_its_default(page: str) -> None:
    formatter = _Formatter(prog="guaranteekit")
    for action in _options(PAGES[page]):
        name = "/".join(action.option_strings) or action.metavar or action.dest
        assert action.help, f"`{page} --help`: {name} has no help"
        takes_value = action.option_strings and action.nargs != 0
        if takes_value and not action.required:
            shown = formatter._get_help_string(action) or ""
            assert "default" in shown, f"`{page} --help`: {name} does not say its default"


def test_a_help_page_prints_the_default_and_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["compare", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "(default: md)" in text
    assert "examples:\n  guaranteekit compare" in text
