"""The command line: argparse, one parser for every command, handlers imported only when run.

Start-up time matters (`guaranteekit --help` must stay close to a bare `python -c pass`), so this
module imports only the standard library and `guaranteekit.errors`. Each handler imports what it needs
inside the function; commands that do not open the TUI never import textual.

Exit codes are decided here and only here: 0 success, 1 problems found in the input (bad file, failed
verification), 2 the command could not run (usage error, missing file), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from guaranteekit import __version__
from guaranteekit.errors import GuaranteekitError, NotFoundError, UsageError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (no usage dump) on a bad option."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _path(text: str) -> os.PathLike[str]:
    """argparse type for paths: a `pathlib.Path`, imported only when a command takes a path.

    This module avoids importing pathlib and typing at all: `--help` must start within 3x a bare
    `python -c pass`, and those two imports alone were a third of its start-up.
    """
    from pathlib import Path

    return Path(text)


MAX_DRAWS = 1_000_000
"""The most Monte Carlo draws a command takes (scoring.montecarlo checks the same bound)."""


def _draws(text: str) -> int:
    """argparse type for `--draws`: a whole number from 0 (no decision support) to MAX_DRAWS."""
    try:
        draws = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= draws <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(
            f"must be 0 (no decision support) to {MAX_DRAWS:,}, not {draws}"
        )
    return draws


def _jobs(text: str) -> int:
    """argparse type for `--jobs`: a number of processes, 0 for one per core."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per core) or more, not {jobs}")
    return jobs


def _add_jobs(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help=f"processes {what} (default 0: one per core; 1: this process alone)",
    )


def _alpha(text: str) -> float:
    """argparse type for `--min-alpha`: a finite number (alpha is at most 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")) or value > 1:
        raise argparse.ArgumentTypeError(f"must be a finite number up to 1, not {text}")
    return value


def _handler(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """A handler that imports `module` only when the command runs (keeps start-up cheap)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), function)(args))

    return run


class _Sink:
    """Stands in for the parser of a command that is not being run: its arguments are not built."""

    required = False

    def add_argument(self, *args: object, **kwargs: object) -> None:
        pass

    def set_defaults(self, **kwargs: object) -> None:
        pass

    def add_subparsers(self, **kwargs: object) -> _Sink:
        return self

    def add_parser(self, *args: object, **kwargs: object) -> _Sink:
        return self


class _Commands:
    """Subcommands that build their arguments only for the command being run.

    Building every subcommand's arguments costs more than all of `--help`'s imports; listing a
    command needs only its name and help line, so the others get a bare parser and a `_Sink`.
    """

    def __init__(self, actions: argparse._SubParsersAction, only: str | None) -> None:
        self._actions = actions
        self._only = only

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        if self._only is None or self._only == name:
            return self._actions.add_parser(name, **kwargs)  # type: ignore[arg-type]
        self._actions.add_parser(name, help=kwargs.get("help"), add_help=False)
        return _Sink()  # type: ignore[return-value]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with `only`, the arguments of that command alone are built."""
    parser = _Parser(
        prog="guaranteekit",
        description=(
            "Score a proposed security-guarantee package against criteria drawn from policy research,"
            " compare drafts, and check saved assessments. With no command, opens the terminal UI."
        ),
    )
    parser.add_argument("--version", action="version", version=f"guaranteekit {__version__}")
    commands = _Commands(
        parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser), only
    )

    # --- criteria ----------------------------------------------------------------------------------
    criteria = commands.add_parser(
        "criteria", help="list, show and check criteria sets and profiles"
    )
    criteria_commands = criteria.add_subparsers(dest="criteria_command", metavar="SUBCOMMAND")
    criteria_commands.required = True
    c_list = criteria_commands.add_parser("list", help="list the criteria sets found")
    c_list.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_list"))
    c_show = criteria_commands.add_parser("show", help="show a criteria set with its rubrics")
    c_show.add_argument("id", help="criteria set id or file")
    c_show.add_argument("--format", choices=["text", "md"], default="text")
    c_show.add_argument("--criterion", help="show only this criterion")
    c_show.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_show"))
    c_check = criteria_commands.add_parser("check", help="validate a criteria set or profile file")
    c_check.add_argument("files", nargs="+", type=_path, metavar="FILE")
    c_check.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_check"))

    # --- score / verify / schema -------------------------------------------------------------------
    score = commands.add_parser("score", help="recompute and print a report's scores and asks")
    score.add_argument("report", type=_path, metavar="REPORT")
    score.add_argument("--profile", type=_path, metavar="FILE", help="score with this profile")
    score.add_argument("--criteria", metavar="ID|FILE", help="score against this criteria set")
    score.add_argument("--json", action="store_true", help="print JSON instead of text")
    score.add_argument(
        "--write",
        action="store_true",
        help="save the recomputed results and digest into REPORT (for reports written by hand)",
    )
    score.add_argument(
        "--draws", type=_draws, default=2000, help="Monte Carlo draws for sensitivity"
    )
    score.add_argument("--seed", type=int, default=1, help="Monte Carlo seed")
    score.set_defaults(run=_handler("guaranteekit.cli.commands", "score"))

    rescore = commands.add_parser(
        "rescore",
        help="carry a report's answers over to another version of its criteria set",
        description="Answers whose criterion and level ids still exist are carried over; the rest"
        " are left unanswered and listed to answer again. The old report is not changed.",
    )
    rescore.add_argument("report", type=_path, metavar="OLD")
    rescore.add_argument(
        "--criteria", required=True, metavar="ID[@VERSION]|FILE", help="the set to move to"
    )
    rescore.add_argument(
        "-o", "--output", type=_path, required=True, metavar="NEW", help="the report to write"
    )
    rescore.add_argument("--profile", type=_path, metavar="FILE", help="a profile for the new set")
    rescore.add_argument("--force", action="store_true", help="overwrite NEW if it exists")
    rescore.set_defaults(run=_handler("guaranteekit.cli.commands", "rescore"))

    verify = commands.add_parser(
        "verify",
        help="check saved reports: format, criteria, results, digest, completeness",
        description="Exit 0 when every file passes, 1 when problems were found, 2 when it could not run.",
    )
    verify.add_argument("files", nargs="+", type=_path, metavar="FILE")
    verify.add_argument("--format", choices=["text", "json"], default="text")
    verify.add_argument("--profile", type=_path, metavar="FILE", help="profile to check against")
    verify.add_argument("--criteria", metavar="ID|FILE", help="criteria set to check against")
    verify.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _add_jobs(verify, "checking the files")
    verify.add_argument(
        "--allowed-signers",
        type=_path,
        metavar="FILE",
        help="ssh allowed-signers file for signatures",
    )
    verify.set_defaults(run=_handler("guaranteekit.cli.commands", "verify"))

    schema = commands.add_parser("schema", help="write the JSON Schemas of the file formats")
    schema.add_argument("-o", "--output", type=_path, metavar="DIR", help="folder to write them in")
    schema.add_argument("--force", action="store_true", help="replace schema files that differ")
    schema.set_defaults(run=_handler("guaranteekit.cli.commands", "schema"))

    # --- comparison documents ----------------------------------------------------------------------
    compare = commands.add_parser("compare", help="compare several reports side by side")
    compare.add_argument("reports", nargs="+", type=_path, metavar="REPORT")
    compare.add_argument("--format", choices=["md", "html", "toml", "json"], default="md")
    compare.add_argument("-o", "--output", type=_path, metavar="FILE")
    compare.add_argument("--template", type=_path, metavar="FILE")
    compare.add_argument("--rounds", action="store_true", help="treat reports as successive rounds")
    compare.add_argument(
        "--allow-mixed", action="store_true", help="allow different criteria/profiles"
    )
    compare.add_argument("--force", action="store_true", help="overwrite the output file")
    compare.add_argument(
        "--profile", type=_path, metavar="FILE", help="score every report with this profile"
    )
    compare.add_argument(
        "--draws",
        type=_draws,
        default=None,
        help="Monte Carlo draws for sensitivity (default 2000 for up to 50 reports, none over)",
    )
    compare.add_argument("--seed", type=int, default=1, help="Monte Carlo seed")
    compare.add_argument(
        "--tui", action="store_true", help="show the reports side by side in the terminal UI"
    )
    compare.set_defaults(run=_handler("guaranteekit.cli.compare", "compare"))

    diff = commands.add_parser("diff", help="what changed between two rounds of a draft")
    diff.add_argument("old", type=_path, metavar="OLD")
    diff.add_argument("new", type=_path, metavar="NEW")
    diff.add_argument("--format", choices=["md", "html", "toml", "json"], default="md")
    diff.add_argument("-o", "--output", type=_path, metavar="FILE")
    diff.add_argument("--template", type=_path, metavar="FILE")
    diff.add_argument("--allow-mixed", action="store_true")
    diff.add_argument("--force", action="store_true", help="overwrite the output file")
    diff.add_argument(
        "--profile", type=_path, metavar="FILE", help="score every report with this profile"
    )
    diff.set_defaults(run=_handler("guaranteekit.cli.compare", "diff"))

    report = commands.add_parser("report", help="a Markdown or HTML document for one assessment")
    report.add_argument("report", type=_path, metavar="REPORT")
    report.add_argument("--format", choices=["md", "html"], default="md")
    report.add_argument("-o", "--output", type=_path, metavar="FILE")
    report.add_argument("--template", type=_path, metavar="FILE")
    report.add_argument("--force", action="store_true", help="overwrite the output file")
    report.add_argument(
        "--profile", type=_path, metavar="FILE", help="score every report with this profile"
    )
    report.set_defaults(run=_handler("guaranteekit.cli.compare", "report"))

    # --- two analysts, one assessment --------------------------------------------------------------
    agree = commands.add_parser(
        "agree",
        help="how far assessments of one package agree (Krippendorff's alpha), and where not",
        description=(
            "Measure how far two or more independent assessments of one package agree:"
            " Krippendorff's alpha over the answers (levels ordinal, unknown / not applicable /"
            " unanswered as answers of their own), overall and per pillar, the share of identical"
            " answers, whether the verdicts agree, the score gap, and every disagreement with each"
            " analyst's level, confidence and rationale side by side, gated criteria first."
            " The reports must assess the same package against the same criteria (id, version,"
            " digest) and profile. Exit 0, or 1 when refused or below --min-alpha."
        ),
        epilog="example: guaranteekit agree ann.toml bob.toml --format md --min-alpha 0.8",
    )
    agree.add_argument("first", type=_path, metavar="A", help="one assessment (a report)")
    agree.add_argument(
        "others", nargs="+", type=_path, metavar="B", help="the other assessments of the package"
    )
    agree.add_argument(
        "--format", choices=["text", "md", "json"], default="text", help="output (default: text)"
    )
    agree.add_argument(
        "--min-alpha",
        type=_alpha,
        default=None,
        metavar="X",
        help="exit 1 when alpha is below X, for scripts (default: no threshold)",
    )
    agree.add_argument(
        "--allow-mixed",
        action="store_true",
        help="compare reports of differently named packages, other profiles or criteria versions"
        " over the criteria they share (default: refuse them)",
    )
    agree.set_defaults(run=_handler("guaranteekit.cli.agree", "agree"))

    merge = commands.add_parser(
        "merge",
        help="merge assessments of one package into one report, disagreements as open disputes",
        description=(
            "Write one report from two or more assessments of the same package against the same"
            " criteria and profile: answers they gave alike are kept (rationales and evidence"
            " joined, each attributed to its assessor); each disagreement becomes an open dispute"
            " in the review trail carrying every position, with a provisional answer (unknown if"
            " any assessor said unknown or left it open, else the lowest level) until a reviewer"
            " adjudicates it with `guaranteekit review`. Approval is refused while one is open."
        ),
        epilog="example: guaranteekit merge ann.toml bob.toml -o consensus.toml",
    )
    merge.add_argument("first", type=_path, metavar="A", help="one assessment (a report)")
    merge.add_argument(
        "others", nargs="+", type=_path, metavar="B", help="the other assessments of the package"
    )
    merge.add_argument(
        "-o", "--output", type=_path, required=True, metavar="FILE", help="the merged report"
    )
    merge.add_argument(
        "--by",
        metavar="NAME",
        help="who records the disputes (default: git's user.name, else $USER)",
    )
    merge.add_argument("--force", action="store_true", help="overwrite the output file")
    merge.set_defaults(run=_handler("guaranteekit.cli.agree", "merge"))

    # --- review signatures -------------------------------------------------------------------------
    sign = commands.add_parser("sign", help="sign a report's content with an SSH key")
    sign.add_argument("report", type=_path, metavar="REPORT")
    sign.add_argument("--key", type=_path, required=True, metavar="FILE", help="SSH private key")
    sign.add_argument("--signer", required=True, help="principal, as in the allowed-signers file")
    sign.set_defaults(run=_handler("guaranteekit.review.trail", "sign_command"))

    # --- the terminal UI ---------------------------------------------------------------------------
    new = commands.add_parser("new", help="start a new assessment in the terminal UI")
    new.add_argument("--criteria", metavar="ID|FILE", help="criteria set (default: built-in)")
    new.add_argument("--profile", type=_path, metavar="FILE")
    new.add_argument("-o", "--output", type=_path, metavar="FILE", help="where to save the report")
    new.add_argument(
        "--draft",
        type=_path,
        metavar="FILE",
        help="attach the draft assessed (.txt, .md, .pdf, .docx); with -o, write the report"
        " without opening the UI",
    )
    new.add_argument(
        "--from",
        dest="from_report",
        type=_path,
        metavar="REPORT",
        help="the next round: carry REPORT's answers over to --draft, re-anchoring every quote"
        " (needs -o)",
    )
    new.add_argument(
        "--text-beside",
        action="store_true",
        help="keep the draft's text in a file beside the report instead of inside it",
    )
    new.add_argument("--name", help="the package's name (default: the draft's first line)")
    new.set_defaults(run=_handler("guaranteekit.cli.drafts", "new"))

    evidence = commands.add_parser(
        "evidence",
        help="every quote of a report with its unit and status (exact, moved, changed, missing)",
        description="Exit 0, or 1 when a quote is not where it says in the recorded text.",
    )
    evidence.add_argument("report", type=_path, metavar="REPORT")
    evidence.add_argument(
        "--draft",
        type=_path,
        metavar="FILE",
        help="find the quotes again in this draft (a new round) instead; nothing is written",
    )
    evidence.add_argument("--json", action="store_true", help="print JSON instead of text")
    evidence.set_defaults(run=_handler("guaranteekit.cli.drafts", "evidence"))

    open_ = commands.add_parser("open", help="open a saved assessment in the terminal UI")
    open_.add_argument("file", type=_path, metavar="FILE")
    open_.add_argument("--profile", type=_path, metavar="FILE")
    open_.set_defaults(run=_handler("guaranteekit.tui.launch", "open_"))

    review = commands.add_parser("review", help="review a saved assessment in the terminal UI")
    review.add_argument("file", type=_path, metavar="FILE")
    review.add_argument("--reviewer", help="your name, recorded in the review trail")
    review.add_argument("--profile", type=_path, metavar="FILE")
    review.set_defaults(run=_handler("guaranteekit.tui.launch", "review"))

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `guaranteekit` command; returns its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(only=command or "")
    args = parser.parse_args(argv)
    if args.command is None:
        args.run = _handler("guaranteekit.tui.launch", "start")
    try:
        return args.run(args)
    except (NotFoundError, UsageError) as exc:
        _print_problems(exc)
        return EXIT_USAGE
    except GuaranteekitError as exc:
        _print_problems(exc)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); say nothing more.
        sys.stderr.close()
        return EXIT_OK


def _print_problems(exc: GuaranteekitError) -> None:
    from guaranteekit.textsafe import clean  # problems quote files: never raw on a terminal

    for line in exc.problems:
        print(f"guaranteekit: {clean(line)}", file=sys.stderr)


def entry() -> int:
    """The `guaranteekit` command (console script and `python -m guaranteekit`)."""
    return main()


if __name__ == "__main__":
    raise SystemExit(entry())
