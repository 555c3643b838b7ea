"""While one command runs, the others are only named (no parser built for each): the top-level
help and the "invalid choice" message must still list every command, as with no command given."""

from __future__ import annotations

import pytest

from guaranteekit.cli.parser import COMMANDS, build_parser, main

Capsys = pytest.CaptureFixture[str]


def _exit(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


def test_top_level_help_lists_every_command_whatever_follows(capsys: Capsys) -> None:
    _, plain, _ = _exit(capsys, "--help")
    _, before_agree, _ = _exit(capsys, "--help", "agree")
    assert before_agree == plain
    assert "merge     merge assessments" in plain and "agree     how far" in plain


def test_an_unknown_command_is_refused_naming_every_command(capsys: Capsys) -> None:
    code, _, err = _exit(capsys, "agre", "a.toml", "b.toml")
    assert code == 2
    names = [a.dest for a in build_parser()._subparsers._group_actions[0]._choices_actions]  # type: ignore[union-attr]
    assert len(names) > 10
    assert "invalid choice: 'agre'" in err
    assert all(f"'{name}'" in err for name in names)


def test_the_command_run_still_has_its_own_parser(capsys: Capsys) -> None:
    code, out, _ = _exit(capsys, "agree", "--help")
    assert code == 0 and "--min-alpha X" in out


def test_the_list_of_commands_is_every_command_built() -> None:
    names = [a.dest for a in build_parser()._subparsers._group_actions[0]._choices_actions]  # type: ignore[union-attr]
    assert tuple(names) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_run_alone_parses_as_with_every_command_named(command: str) -> None:
    alone = build_parser(only=command, alone=True)
    named = build_parser(only=command)
    assert alone.format_usage() == named.format_usage()
    assert alone._subparsers._group_actions[0].choices.keys() == {command}  # type: ignore[union-attr]
    assert (
        alone._subparsers._group_actions[0].choices[command].format_help()  # type: ignore[union-attr]
        == named._subparsers._group_actions[0].choices[command].format_help()  # type: ignore[union-attr]
    )
