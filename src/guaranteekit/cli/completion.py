"""`guaranteekit completion SHELL`: shell completion for bash, zsh and fish, written from the parser.

The scripts are generated from `cli.parser.build_parser()` each time they are asked for, so a new
command or option completes without anyone editing a script. We write them ourselves rather than
use `shtab` (which reads argparse the same way) because shtab writes no fish script, and the three
generators together are shorter than the glue a dependency would need.

What completes: command and subcommand names, options, the choices of an option or argument
(`--format md`), and file or folder names where a command takes a path.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")

FILE = "file"
DIR = "dir"
NONE = "none"
"""The kinds of value an option or argument takes: a file, a folder, nothing (a command with no
arguments), or empty for free text."""


@dataclass
class Option:
    """One option of a command, as completion needs it."""

    flags: list[str]
    help: str
    takes_value: bool
    choices: list[str] = field(default_factory=list)
    value: str = ""
    """FILE or DIR when the value is a path, else empty."""


@dataclass
class Command:
    """A command (or the program itself, path empty) with its options, arguments and subcommands."""

    path: list[str]
    help: str
    options: list[Option] = field(default_factory=list)
    positional_choices: list[str] = field(default_factory=list)
    positional_value: str = NONE
    """What the command's arguments are: FILE, DIR, or NONE when it takes none."""
    commands: list[Command] = field(default_factory=list)


def _value_kind(action: argparse.Action) -> str:
    metavar = str(action.metavar or "")
    if metavar == "DIR":
        return DIR
    if getattr(action.type, "__name__", "") in ("_path", "_output") or metavar in (
        "FILE",
        "REPORT",
        "OLD",
        "NEW",
    ):
        return FILE
    return ""


def _first_clause(text: str | None) -> str:
    """The help line shortened to its first clause: completion menus are one short line each."""
    text = re.sub(r"\s+", " ", (text or "").replace("%(default)s", "").strip())
    return re.split(r" \(|; |: ", text, maxsplit=1)[0]


def describe(
    parser: argparse.ArgumentParser, path: list[str] | None = None, help: str = ""
) -> Command:
    """The commands of `parser`, walked into plain data."""
    command = Command(path=path or [], help=help)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                command.commands.append(describe(sub, [*command.path, name], helps.get(name) or ""))
        elif action.option_strings:
            command.options.append(
                Option(
                    flags=list(action.option_strings),
                    help=_first_clause(action.help),
                    takes_value=action.nargs != 0,
                    choices=[str(c) for c in action.choices or []],
                    value=_value_kind(action),
                )
            )
        else:
            command.positional_choices = [str(c) for c in action.choices or []]
            # An argument that is not a known kind is an id or a file (`criteria show ID|FILE`).
            command.positional_value = _value_kind(action) or FILE
    return command


def walk(command: Command) -> list[Command]:
    """The command and every command under it, parents first."""
    found = [command]
    for sub in command.commands:
        found.extend(walk(sub))
    return found


def script(shell: str, parser: argparse.ArgumentParser, prog: str = "guaranteekit") -> str:
    """The completion script for `shell` (one of SHELLS)."""
    root = describe(parser)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](root, prog)


# --- bash -------------------------------------------------------------------------------------


def _bash(root: Command, prog: str) -> str:
    name = "_" + re.sub(r"\W", "_", prog)
    commands = walk(root)
    lines = [
        f"# bash completion for {prog}, written by `{prog} completion bash`.",
        f"# Load it with: source <({prog} completion bash)   (or save it under",
        "# ~/.local/share/bash-completion/completions/" + prog + ")",
        f"{name}_words() {{",
        '    # What may follow: "OPTIONS|VALUE-TAKING OPTIONS|SUBCOMMANDS|ARGUMENT CHOICES|KIND"',
        '    case "$1" in',
    ]
    for command in commands:
        options = " ".join(flag for o in command.options for flag in o.flags)
        valued = " ".join(flag for o in command.options if o.takes_value for flag in o.flags)
        subs = " ".join(c.path[-1] for c in command.commands)
        choices = " ".join(command.positional_choices)
        key = " ".join(command.path)
        lines.append(
            f'        "{key}") echo "{options}|{valued}|{subs}|{choices}|'
            f'{command.positional_value}" ;;'
        )
    lines += ["    esac", "}", f"{name}_values() {{", '    case "$1 $2" in']
    for command in commands:
        for option in command.options:
            if not option.takes_value:
                continue
            key = " ".join(command.path)
            answer = " ".join(option.choices) if option.choices else f"<{option.value}>"
            patterns = "|".join(f'"{key} {flag}"' for flag in option.flags)
            lines.append(f'        {patterns}) echo "{answer}" ;;')
    lines += [
        "    esac",
        "}",
        f"{name}() {{",
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
        "    local path='' word i skip=0 info valued",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        "        word=${COMP_WORDS[i]}",
        "        if ((skip)); then skip=0; continue; fi",
        f'        IFS="|" read -r _ valued _ _ _ <<<"$({name}_words "$path")"',
        '        case "$word" in',
        '            -*) [[ " $valued " == *" $word "* ]] && skip=1 ;;',
        "            # a word that names a command under this one goes one level down",
        f'            *) [[ -n $({name}_words "${{path:+$path }}$word") ]] && path="${{path:+$path }}$word" ;;',
        "        esac",
        "    done",
        "    local options valued subs choices kind",
        f'    IFS="|" read -r options valued subs choices kind <<<"$({name}_words "$path")"',
        "    COMPREPLY=()",
        '    if ((COMP_CWORD > 1)) && [[ " $valued " == *" $prev "* ]]; then',
        f'        info=$({name}_values "$path" "$prev")',
        '        case "$info" in',
        '            "<dir>") COMPREPLY=($(compgen -d -- "$cur")) ;;',
        '            "<file>") COMPREPLY=($(compgen -f -- "$cur")) ;;',
        '            "<>") ;;',
        '            *) COMPREPLY=($(compgen -W "$info" -- "$cur")) ;;',
        "        esac",
        "    elif [[ $cur == -* ]]; then",
        '        COMPREPLY=($(compgen -W "$options" -- "$cur"))',
        "    elif [[ -n $subs ]]; then",
        '        COMPREPLY=($(compgen -W "$subs" -- "$cur"))',
        "    elif [[ -n $choices ]]; then",
        '        COMPREPLY=($(compgen -W "$choices" -- "$cur"))',
        "    elif [[ $kind == dir ]]; then",
        '        COMPREPLY=($(compgen -d -- "$cur"))',
        "    elif [[ $kind == file ]]; then",
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        f"complete -o filenames -o bashdefault -F {name} {prog}",
        "",
    ]
    return "\n".join(lines)


# --- zsh --------------------------------------------------------------------------------------


def _zsh_text(text: str) -> str:
    """Help text inside a zsh `_arguments` spec, itself inside single quotes."""
    return re.sub(r"([\[\]:\\])", r"\\\1", text).replace("'", "'\\''")


def _zsh_action(choices: list[str], value: str) -> str:
    if choices:
        return "(" + " ".join(choices) + ")"
    return {FILE: "_files", DIR: "_files -/"}.get(value, " ")


def _zsh_function(command: Command, prog: str) -> list[str]:
    name = "_" + "_".join(re.sub(r"\W", "_", part) for part in [prog, *command.path])
    specs: list[str] = []
    for option in command.options:
        text = _zsh_text(option.help)
        value = ""
        if option.takes_value:
            value = f":{option.flags[-1].lstrip('-')}:{_zsh_action(option.choices, option.value)}"
        if len(option.flags) == 1:
            specs.append(f"'{option.flags[0]}[{text}]{value}'")
        else:
            exclusive = " ".join(option.flags)
            braces = ",".join(option.flags)
            specs.append(f"'({exclusive})'{{{braces}}}'[{text}]{value}'")
    lines = [f"{name}() {{"]
    if command.commands:
        lines += [
            "    local curcontext=$curcontext state line",
            "    typeset -A opt_args",
            "    _arguments -C \\",
            *[f"        {spec} \\" for spec in specs],
            "        '1:command:->command' \\",
            "        '*::argument:->argument'",
            "    case $state in",
            "        command)",
            "            local -a commands",
            "            commands=(",
        ]
        for sub in command.commands:
            lines.append(f"                '{sub.path[-1]}:{_zsh_text(_first_clause(sub.help))}'")
        lines += [
            "            )",
            "            _describe command commands ;;",
            "        argument)",
            "            case $line[1] in",
        ]
        for sub in command.commands:
            sub_name = name + "_" + re.sub(r"\W", "_", sub.path[-1])
            lines.append(f"                {sub.path[-1]}) {sub_name} ;;")
        lines += ["            esac ;;", "    esac", "}"]
    else:
        lines += ["    _arguments \\", *[f"        {spec} \\" for spec in specs]]
        if command.positional_choices or command.positional_value != NONE:
            action = _zsh_action(command.positional_choices, command.positional_value)
            lines.append(f"        '*:argument:{action}'")
        else:
            lines[-1] = lines[-1].removesuffix(" \\")
        lines.append("}")
    for sub in command.commands:
        lines += _zsh_function(sub, prog)
    return lines


def _zsh(root: Command, prog: str) -> str:
    function = "_" + re.sub(r"\W", "_", prog)
    lines = [
        f"#compdef {prog}",
        f"# zsh completion for {prog}, written by `{prog} completion zsh`. Save it as _{prog} in",
        f"# a folder of $fpath, or load it with: source <({prog} completion zsh)",
        *_zsh_function(root, prog),
        "",
        "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then",
        f'    {function} "$@"',
        "else",
        f"    compdef {function} {prog}",
        "fi",
        "",
    ]
    return "\n".join(lines)


# --- fish -------------------------------------------------------------------------------------


def _fish_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_condition(command: Command, root: Command) -> str:
    """Fish's test that the words typed so far lead to `command` and no further."""
    if not command.path:
        return "__fish_use_subcommand"
    parts = [f"__fish_seen_subcommand_from {part}" for part in command.path]
    if command.commands:
        names = " ".join(c.path[-1] for c in command.commands)
        parts.append(f"not __fish_seen_subcommand_from {names}")
    return "; and ".join(parts)


def _fish(root: Command, prog: str) -> str:
    lines = [
        f"# fish completion for {prog}, written by `{prog} completion fish`. Save it as",
        f"# ~/.config/fish/completions/{prog}.fish, or load it with: {prog} completion fish | source",
        f"complete -c {prog} -f",
    ]
    for command in walk(root):
        condition = _fish_text(_fish_condition(command, root))
        for sub in command.commands:
            lines.append(
                f"complete -c {prog} -n {condition} -a {sub.path[-1]}"
                f" -d {_fish_text(_first_clause(sub.help))}"
            )
        if command.path and not command.commands:
            if command.positional_choices:
                choices = _fish_text(" ".join(command.positional_choices))
                lines.append(f"complete -c {prog} -n {condition} -a {choices}")
            elif command.positional_value != NONE:
                lines.append(f"complete -c {prog} -n {condition} -F")
        for option in command.options:
            flags = []
            for flag in option.flags:
                flags.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            value = ""
            if option.takes_value:
                if option.choices:
                    value = f" -x -a {_fish_text(' '.join(option.choices))}"
                elif option.value == DIR:
                    value = " -x -a '(__fish_complete_directories)'"
                elif option.value == FILE:
                    value = " -r -F"
                else:
                    value = " -x"
            lines.append(
                f"complete -c {prog} -n {condition} {' '.join(flags)}{value}"
                f" -d {_fish_text(option.help)}"
            )
    lines.append("")
    return "\n".join(lines)


def completion(args: argparse.Namespace) -> int:
    """`guaranteekit completion SHELL`: print the script."""
    import sys

    from guaranteekit.cli.parser import build_parser

    sys.stdout.write(script(args.shell, build_parser()))
    return 0
