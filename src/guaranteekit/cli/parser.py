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


class _Formatter(argparse.HelpFormatter):
    """Help that wraps descriptions, keeps the examples' lines, and ends each option's help with
    its default.

    Text with line breaks (the examples) is printed as written. An option whose help already speaks
    of its default, a flag (default off) and an option without one are left as written.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            "default" in text
            or default in (None, False, argparse.SUPPRESS)
            or action.option_strings == []
        ):
            return text
        return f"{text} (default: %(default)s)"


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (no usage dump) on a bad option."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _path(text: str) -> os.PathLike[str]:
    """argparse type for paths: a `pathlib.Path`, imported only when a command takes a path.

    This module avoids importing pathlib and typing at all: `--help` must start within 3x a bare
    `python -c pass`, and those two imports alone were a third of its start-up.
    """
    from pathlib import Path

    return Path(text)


def _output(text: str) -> os.PathLike[str] | None:
    """argparse type for `-o`: a path, or None (standard output) for `-`, as other tools read it."""
    return None if text == "-" else _path(text)


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


def _add_document_options(parser: argparse.ArgumentParser) -> None:
    """Options every briefing document takes (compare, diff, report)."""
    parser.add_argument(
        "--allow-unverified",
        action="store_true",
        help="use reports that fail `guaranteekit verify`, marked unverified on every page"
        " (default: refuse them, naming each problem)",
    )
    parser.add_argument(
        "--marking",
        metavar="TEXT",
        help='a protective marking printed on every page, e.g. "OFFICIAL-SENSITIVE"'
        " (default: none)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (default: one on a terminal for work over about two seconds)",
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


COMMANDS = (
    "criteria",
    "score",
    "rescore",
    "verify",
    "schema",
    "compare",
    "diff",
    "report",
    "agree",
    "merge",
    "sign",
    "new",
    "evidence",
    "open",
    "review",
    "completion",
)
"""The subcommands, in the order `--help` lists them (tests/agree/test_command_listing.py checks it)."""


class _Commands:
    """Subcommands that build their arguments only for the command being run.

    Building every subcommand's arguments costs more than all of `--help`'s imports. With `alone`
    (the command line starts with a known command, so nothing will list the others), the others are
    not built at all; otherwise (`--help`, an unknown command, which list them all) each gets a bare
    parser with its name and help line, and a `_Sink` for its arguments.
    """

    def __init__(
        self,
        actions: argparse._SubParsersAction[argparse.ArgumentParser],
        only: str | None,
        alone: bool,
    ) -> None:
        self._actions = actions
        self._only = only
        self._alone = alone

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        if self._only is None or self._only == name:
            return self._actions.add_parser(name, **kwargs)  # type: ignore[arg-type]
        if self._alone:
            return _Sink()  # type: ignore[return-value]
        help_text = kwargs.get("help")
        self._actions.add_parser(
            name, help=help_text if isinstance(help_text, str) else None, add_help=False
        )
        return _Sink()  # type: ignore[return-value]


def build_parser(only: str | None = None, *, alone: bool = False) -> argparse.ArgumentParser:
    """The command-line parser; with `only`, the arguments of that command alone are built, and
    with `alone` too, no other command is named."""
    parser = _Parser(
        prog="guaranteekit",
        description=(
            "Score a proposed security-guarantee package against criteria drawn from policy research,"
            " compare drafts, and check saved assessments. With no command, opens the terminal UI."
        ),
        epilog=(
            "examples:\n"
            "  guaranteekit                                   open the terminal UI\n"
            "  guaranteekit compare examples/*.toml -o briefing.html --format html\n"
            "  guaranteekit verify examples/*.toml\n"
            "  guaranteekit COMMAND --help                    the options of one command"
        ),
    )
    parser.add_argument("--version", action="version", version=f"guaranteekit {__version__}")
    commands = _Commands(
        parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser),
        only,
        alone and only in COMMANDS,
    )

    # --- criteria ----------------------------------------------------------------------------------
    criteria = commands.add_parser(
        "criteria",
        help="list, show and check criteria sets and profiles",
        description="List the criteria sets found, show one with its rubrics, or check your own"
        " criteria set or profile before using it.",
        epilog="examples:\n  guaranteekit criteria list\n"
        "  guaranteekit criteria show guarantee-credibility --criterion monitoring\n"
        "  guaranteekit criteria check my-profile.toml",
    )
    criteria_commands = criteria.add_subparsers(dest="criteria_command", metavar="SUBCOMMAND")
    criteria_commands.required = True
    c_list = criteria_commands.add_parser(
        "list",
        help="list the criteria sets found",
        description="The criteria sets found: built in, and in the folders of"
        " $GUARANTEEKIT_CRITERIA_PATH.",
        epilog="example:\n  guaranteekit criteria list",
    )
    c_list.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_list"))
    c_show = criteria_commands.add_parser(
        "show",
        help="show a criteria set with its rubrics",
        description="A criteria set with its pillars, criteria, rubrics, gates and verdict bands.",
        epilog="examples:\n  guaranteekit criteria show guarantee-credibility --format md\n"
        "  guaranteekit criteria show guarantee-credibility --criterion monitoring",
    )
    c_show.add_argument("id", help="criteria set id or file")
    c_show.add_argument(
        "--format", choices=["text", "md"], default="text", help="plain text or Markdown"
    )
    c_show.add_argument(
        "--criterion", metavar="ID", help="show only this criterion (default: all of them)"
    )
    c_show.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_show"))
    c_check = criteria_commands.add_parser(
        "check",
        help="validate a criteria set or profile file",
        description="Check criteria sets and profiles: format, ids, levels, weights. Exit 0 when"
        " every file passes, 1 when problems were found.",
        epilog="example:\n  guaranteekit criteria check my-set.toml my-profile.toml",
    )
    c_check.add_argument(
        "files", nargs="+", type=_path, metavar="FILE", help="criteria set or profile files"
    )
    c_check.set_defaults(run=_handler("guaranteekit.cli.commands", "criteria_check"))

    # --- score / verify / schema -------------------------------------------------------------------
    score = commands.add_parser(
        "score",
        help="recompute and print a report's scores and asks",
        description="Recompute a report's verdict, range, pillar scores, gates, gaps and asks from"
        " its answers, with reference points and how robust the verdict is to the weights.",
        epilog="examples:\n  guaranteekit score examples/nato-article-5.toml\n"
        "  guaranteekit score draft.toml --json --draws 0\n"
        "  guaranteekit score examples/20-point-plan-2025-12.toml --positions us,russia",
    )
    score.add_argument("report", type=_path, metavar="REPORT", help="the report to score")
    score.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score with this profile (default: the one the report names)",
    )
    score.add_argument(
        "--criteria",
        metavar="ID|FILE",
        help="score against this criteria set (default: the one the report names)",
    )
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
    score.add_argument(
        "--positions",
        metavar="FILES|IDS",
        help="plan within these parties' positions: comma-separated positions files, or the"
        " shipped us, russia, coalition, ukraine (default: none)",
    )
    score.set_defaults(run=_handler("guaranteekit.cli.commands", "score"))

    rescore = commands.add_parser(
        "rescore",
        help="carry a report's answers over to another version of its criteria set",
        description="Answers whose criterion and level ids still exist are carried over; the rest"
        " are left unanswered and listed to answer again. The old report is not changed.",
        epilog="example:\n  guaranteekit rescore round3.toml --criteria guarantee-credibility@2.0.0"
        " -o round3-v2.toml",
    )
    rescore.add_argument("report", type=_path, metavar="OLD", help="the report to carry over")
    rescore.add_argument(
        "--criteria", required=True, metavar="ID[@VERSION]|FILE", help="the set to move to"
    )
    rescore.add_argument(
        "-o", "--output", type=_path, required=True, metavar="NEW", help="the report to write"
    )
    rescore.add_argument(
        "--profile", type=_path, metavar="FILE", help="a profile for the new set (default: none)"
    )
    rescore.add_argument("--force", action="store_true", help="overwrite NEW if it exists")
    rescore.set_defaults(run=_handler("guaranteekit.cli.commands", "rescore"))

    verify = commands.add_parser(
        "verify",
        help="check saved reports: format, criteria, results, digest, completeness",
        description="Check saved reports: format, criteria, results, digest, completeness,"
        " review trail and signatures. Exit 0 when every file passes, 1 when problems were found,"
        " 2 when it could not run.",
        epilog="examples:\n  guaranteekit verify examples/*.toml\n"
        "  guaranteekit verify --format json --strict round3/*.toml",
    )
    verify.add_argument("files", nargs="+", type=_path, metavar="FILE", help="reports to check")
    verify.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="one line per problem, or JSON for scripts",
    )
    verify.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="profile to check against (default: the one each report names)",
    )
    verify.add_argument(
        "--criteria",
        metavar="ID|FILE",
        help="criteria set to check against (default: the one each report names)",
    )
    verify.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _add_jobs(verify, "checking the files")
    verify.add_argument(
        "--allowed-signers",
        type=_path,
        metavar="FILE",
        help="ssh allowed-signers file for signatures (default: signers are reported unchecked)",
    )
    verify.set_defaults(run=_handler("guaranteekit.cli.commands", "verify"))

    schema = commands.add_parser(
        "schema",
        help="write the JSON Schemas of the file formats",
        description="The JSON Schemas of the criteria, profile, report and positions formats."
        " Written to a folder named schemas (-o schemas), they are what reports saved afterwards in the"
        " folder holding it, or below, name in their #:schema line, so editors with taplo (Even"
        " Better TOML) validate them with no network.",
        epilog="examples:\n  guaranteekit schema -o schemas\n  guaranteekit schema | jq .report",
    )
    schema.add_argument(
        "-o",
        "--output",
        type=_output,
        metavar="DIR",
        help="folder to write them in (default, or -: print them to standard output)",
    )
    schema.add_argument("--force", action="store_true", help="replace schema files that differ")
    schema.set_defaults(run=_handler("guaranteekit.cli.commands", "schema"))

    # --- comparison documents ----------------------------------------------------------------------
    compare = commands.add_parser(
        "compare",
        help="compare several reports side by side",
        description="A briefing that compares several packages scored against one criteria set:"
        " the ranking with verdicts and how robust they are, gaps, asks, then every criterion.",
        epilog="examples:\n  guaranteekit compare examples/*.toml -o briefing.html --format html\n"
        "  guaranteekit compare --rounds round1.toml round2.toml round3.toml\n"
        "  guaranteekit compare --format json examples/*.toml | jq .ranking",
    )
    compare.add_argument("reports", nargs="+", type=_path, metavar="REPORT", help="reports")
    compare.add_argument(
        "--format",
        choices=["md", "html", "pdf", "toml", "json"],
        default="md",
        help="output format (pdf needs WeasyPrint: pip install 'guaranteekit[pdf]')",
    )
    compare.add_argument(
        "-o",
        "--output",
        type=_output,
        metavar="FILE",
        help="file to write (default, or -: standard output)",
    )
    compare.add_argument(
        "--template",
        type=_path,
        metavar="FILE",
        help="your own Jinja template for md and html (default: the built-in one)",
    )
    compare.add_argument("--rounds", action="store_true", help="treat reports as successive rounds")
    compare.add_argument(
        "--allow-mixed", action="store_true", help="allow different criteria/profiles"
    )
    compare.add_argument("--force", action="store_true", help="overwrite the output file")
    compare.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score every report with this profile (default: the one each report names)",
    )
    compare.add_argument(
        "--draws",
        type=_draws,
        default=None,
        help="Monte Carlo draws for sensitivity (default 2000 for up to 50 reports, none over)",
    )
    compare.add_argument(
        "--seed", type=int, default=1, help="Monte Carlo seed: the same seed gives the same figures"
    )
    compare.add_argument(
        "--tui", action="store_true", help="show the reports side by side in the terminal UI"
    )
    _add_document_options(compare)
    compare.add_argument(
        "--positions",
        metavar="FILES|IDS",
        help="show the verdict reachable within these parties' positions: comma-separated"
        " positions files, or the shipped us, russia, coalition, ukraine (default: none)",
    )
    compare.add_argument(
        "--group-by",
        choices=["package"],
        default=None,
        help="group the assessments of one package (same name, date and round) and show how far"
        " their analysts agree, the spread of their scores beside the score range (default: none)",
    )
    compare.set_defaults(run=_handler("guaranteekit.cli.compare", "compare"))

    diff = commands.add_parser(
        "diff",
        help="what changed between two rounds of a draft",
        description="What changed between two rounds of a draft: answers, scores, verdict, gates"
        " and asks. Unchanged criteria are counted, not listed.",
        epilog="examples:\n  guaranteekit diff round2.toml round3.toml\n"
        "  guaranteekit diff round2.toml round3.toml --format html -o changes.html",
    )
    diff.add_argument("old", type=_path, metavar="OLD", help="the earlier round")
    diff.add_argument("new", type=_path, metavar="NEW", help="the later round")
    diff.add_argument(
        "--format",
        choices=["md", "html", "pdf", "toml", "json"],
        default="md",
        help="output format (pdf needs WeasyPrint: pip install 'guaranteekit[pdf]')",
    )
    diff.add_argument(
        "-o",
        "--output",
        type=_output,
        metavar="FILE",
        help="file to write (default, or -: standard output)",
    )
    diff.add_argument(
        "--template",
        type=_path,
        metavar="FILE",
        help="your own Jinja template for md and html (default: the built-in one)",
    )
    diff.add_argument(
        "--allow-mixed", action="store_true", help="allow different criteria/profiles"
    )
    diff.add_argument("--force", action="store_true", help="overwrite the output file")
    diff.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score every report with this profile (default: the one each report names)",
    )
    _add_document_options(diff)
    diff.set_defaults(run=_handler("guaranteekit.cli.compare", "diff"))

    report = commands.add_parser(
        "report",
        help="a Markdown or HTML document for one assessment",
        description="A document for one assessment: verdict and how robust it is, gaps, the"
        " planned asks, reference points, then every answer with its rationale and evidence.",
        epilog="examples:\n  guaranteekit report examples/nato-article-5.toml\n"
        "  guaranteekit report draft.toml --format html -o draft.html",
    )
    report.add_argument("report", type=_path, metavar="REPORT", help="the report")
    report.add_argument(
        "--format",
        choices=["md", "html", "pdf"],
        default="md",
        help="output format (pdf needs WeasyPrint: pip install 'guaranteekit[pdf]')",
    )
    report.add_argument(
        "-o",
        "--output",
        type=_output,
        metavar="FILE",
        help="file to write (default, or -: standard output)",
    )
    report.add_argument(
        "--template",
        type=_path,
        metavar="FILE",
        help="your own Jinja template (default: the built-in one)",
    )
    report.add_argument("--force", action="store_true", help="overwrite the output file")
    report.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score the report with this profile (default: the one it names)",
    )
    report.add_argument(
        "--draws",
        type=_draws,
        default=2000,
        metavar="N",
        help="Monte Carlo draws for how robust the verdict is (0: leave it out)",
    )
    report.add_argument(
        "--seed", type=int, default=1, help="Monte Carlo seed: the same seed gives the same figures"
    )
    _add_document_options(report)
    report.add_argument(
        "--positions",
        metavar="FILES|IDS",
        help="show the verdict reachable within these parties' positions: comma-separated"
        " positions files, or the shipped us, russia, coalition, ukraine (default: none)",
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
    sign = commands.add_parser(
        "sign",
        help="sign a report's content with an SSH key",
        description="Sign a report's content digest with an SSH key (ssh-keygen -Y sign, namespace"
        " guaranteekit); the signature is added to the report's review trail.",
        epilog="example:\n  guaranteekit sign draft.toml --key ~/.ssh/id_ed25519 --signer"
        " alice@example.org",
    )
    sign.add_argument("report", type=_path, metavar="REPORT", help="the report to sign")
    sign.add_argument("--key", type=_path, required=True, metavar="FILE", help="SSH private key")
    sign.add_argument(
        "--signer", required=True, metavar="NAME", help="principal, as in the allowed-signers file"
    )
    sign.set_defaults(run=_handler("guaranteekit.review.trail", "sign_command"))

    # --- the terminal UI ---------------------------------------------------------------------------
    new = commands.add_parser(
        "new",
        help="start a new assessment in the terminal UI",
        description="Start a new assessment in the terminal UI, criterion by criterion.",
        epilog="example:\n  guaranteekit new --criteria guarantee-credibility -o round3.toml",
    )
    new.add_argument("--criteria", metavar="ID|FILE", help="criteria set (default: built-in)")
    new.add_argument(
        "--profile", type=_path, metavar="FILE", help="score with this profile (default: none)"
    )
    new.add_argument(
        "-o",
        "--output",
        type=_path,
        metavar="FILE",
        help="where to save the report (default: asked on first save; with --draft, written"
        " without opening the UI)",
    )
    new.add_argument(
        "--draft",
        type=_path,
        metavar="FILE",
        help="attach the draft assessed (.txt, .md, .pdf, .docx); with -o, write the report"
        " without opening the UI (default: no draft)",
    )
    new.add_argument(
        "--from",
        dest="from_report",
        type=_path,
        metavar="REPORT",
        help="the next round: carry REPORT's answers over to --draft, re-anchoring every quote"
        " (needs -o; default: a fresh assessment)",
    )
    new.add_argument(
        "--text-beside",
        action="store_true",
        help="keep the draft's text in a file beside the report instead of inside it (default:"
        " inside)",
    )
    new.add_argument(
        "--name", metavar="NAME", help="the package's name (default: the draft's first line)"
    )
    new.set_defaults(run=_handler("guaranteekit.cli.drafts", "new"))

    evidence = commands.add_parser(
        "evidence",
        help="every quote of a report with its unit and status (exact, moved, changed, missing)",
        description="List every quote of a report with its unit and status. Exit 0, or 1 when a"
        " quote is not where it says in the recorded text.",
        epilog="example: guaranteekit evidence round4.toml --draft round5.pdf",
    )
    evidence.add_argument("report", type=_path, metavar="REPORT", help="the report whose quotes")
    evidence.add_argument(
        "--draft",
        type=_path,
        metavar="FILE",
        help="find the quotes again in this draft (a new round) instead; nothing is written"
        " (default: the recorded text)",
    )
    evidence.add_argument(
        "--json", action="store_true", help="print JSON instead of text (default: text)"
    )
    evidence.set_defaults(run=_handler("guaranteekit.cli.drafts", "evidence"))

    open_ = commands.add_parser(
        "open",
        help="open a saved assessment in the terminal UI",
        description="Continue a saved assessment in the terminal UI (answers recovered from a"
        " crash are offered).",
        epilog="example:\n  guaranteekit open round3.toml",
    )
    open_.add_argument("file", type=_path, metavar="FILE", help="the report to open")
    open_.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score with this profile (default: the one the report names)",
    )
    open_.set_defaults(run=_handler("guaranteekit.tui.launch", "open_"))

    review = commands.add_parser(
        "review",
        help="review a saved assessment in the terminal UI",
        description="Review a saved assessment in the terminal UI: accept, dispute or comment on"
        " each answer, then sign off. The answers are read-only.",
        epilog="example:\n  guaranteekit review round3.toml --reviewer 'A. Analyst'",
    )
    review.add_argument("file", type=_path, metavar="FILE", help="the report to review")
    review.add_argument(
        "--reviewer",
        metavar="NAME",
        help="your name, recorded in the review trail (default: git's user.name, else $USER)",
    )
    review.add_argument(
        "--profile",
        type=_path,
        metavar="FILE",
        help="score with this profile (default: the one the report names)",
    )
    review.set_defaults(run=_handler("guaranteekit.tui.launch", "review"))

    # --- shell completion ----------------------------------------------------------------------
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a script that completes guaranteekit's commands, options, choices and"
        " file names in your shell. It is written from this program's own options, so it stays"
        " current: load it from your shell's start-up file.",
        epilog="examples:\n"
        "  source <(guaranteekit completion bash)          in ~/.bashrc\n"
        "  source <(guaranteekit completion zsh)           in ~/.zshrc (after compinit)\n"
        "  guaranteekit completion fish > ~/.config/fish/completions/guaranteekit.fish",
    )
    completion.add_argument(
        "shell", choices=["bash", "zsh", "fish"], metavar="SHELL", help="bash, zsh or fish"
    )
    completion.set_defaults(run=_handler("guaranteekit.cli.completion", "completion"))

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `guaranteekit` command; returns its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(only=command or "", alone=argv[:1] == [command])
    args = parser.parse_args(argv)
    if args.command is None:
        args.run = _handler("guaranteekit.tui.launch", "start")
    try:
        code: int = args.run(args)
        return code
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
