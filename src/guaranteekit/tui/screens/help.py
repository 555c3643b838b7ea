"""The help: one section per screen, opened at the section of the screen it is asked from.

Every screen names its section (`HELP_SECTION`); F1 opens the help scrolled to it, and F1 or
Escape closes it. Each line fits a dialog on an 80-column terminal.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HELP_SECTIONS: list[tuple[str, str, str]] = [
    (
        "everywhere",
        "Everywhere",
        """\
  F1        help, opened at the screen you are on
  ctrl+p    command palette
  ctrl+q    quit (asks when there are unsaved changes)
  The bottom line shows the keys that act where the focus is.""",
    ),
    (
        "start",
        "Start screen",
        """\
  Enter     open the highlighted line: the latest recent assessment
            when there is one (highlighted first), else New
  n         new assessment           o   open a file
  c         compare reports""",
    ),
    (
        "package",
        "Package details",
        """\
  Tab       next field               ctrl+s   done (continue)
  Escape    cancel""",
    ),
    (
        "assess",
        "Assessment (one criterion at a time)",
        """\
  Tab goes rubric → rationale → evidence → confidence (shift+Tab
  back), the same on every criterion; after a move to another
  criterion the rubric has the focus.
  In the rubric:
  1-9       choose that level        ↑ ↓ Enter   highlight, choose
  x         not applicable (asks for a reason, which counts as
            the rationale)
  u         unknown (the draft is silent or unclear)
  Backspace clear the answer
  l m h     confidence low, medium, high
  → / ←     next / previous criterion
  r         reply to the review thread of this criterion
  In the rationale and evidence, keys are text, never levels;
  Escape goes back to the rubric.
  In the confidence: l m h, or ← → and Space; Backspace unsets.
  Confidence is unset until you choose it: verify warns about an
  answer at a level without one; the score and the Monte Carlo
  run take such a level as exact, as for high.
  Anywhere on the screen:
  ctrl+n    next criterion           ctrl+b   previous criterion
  ctrl+g    jump list (u there: only the unanswered; it marks
            "confidence unset" and "no rationale")
  ctrl+z    undo the last answer change (in a text box: typing)
  ctrl+y    redo it
  F2        package details          ctrl+o   summary
  ctrl+s    save the report
  d         the draft: passages for this criterion first; / search,
            Enter quote or unquote, d or Escape back
  c         the answer still holds against this round's draft
            (clears its re-check)""",
    ),
    (
        "summary",
        "Summary",
        """\
  The verdict and why, pillars, scenarios, gaps and the ranked asks;
  the planned asks, the weight sensitivity, the Monte Carlo
  robustness (fragile or not) and the reference points, as
  guaranteekit score gives them; what verify would report; the
  review state and the latest sign-off with its comment.
  ctrl+s    save                     Escape   back
  F2        package details""",
    ),
    (
        "saving",
        "Saving and drafts",
        """\
  ctrl+s first lists what guaranteekit verify would report about
  the report as it is (the same checks): Enter goes to the line's
  criterion, s saves as it is, Escape goes back. With nothing to
  report it saves at once.
  Every change goes at once to a hidden draft beside the report
  (.NAME.toml.guaranteekit-draft), typed text within a third of a
  second. If the app stops before you save (a crash, a closed
  terminal, SIGHUP, SIGTERM), opening the report offers the
  answers back. While the report is open here, a second
  guaranteekit is told so and may only look at it (read-only).
  Saving asks first when the report changed on disk meanwhile.""",
    ),
    (
        "review",
        "Review (guaranteekit review FILE --reviewer NAME)",
        """\
  The answers are read-only here.
  a         accept the answer and go on
  d         dispute it (a comment is required)
  c         comment                  r   resolve an open dispute
  n / →     next criterion           p / ←   previous criterion
  ctrl+g, j jump list with each criterion's review state:
            ✓ accepted  ✗ disputed  ↺ resolved  · unreviewed;
            "stale": that answer changed since it was accepted
            or disputed
  f         sign off (approve, or request changes) under your
            name; approving over stale accepts asks first
  ctrl+s    save the review trail in the report""",
    ),
    (
        "compare",
        "Compare (c on the start screen)",
        """\
  Space     tick or untick a report (✓ ticked, · not)
  Enter     in the path field: add a report file, a folder (its
            .toml reports) or a glob such as rounds/*.toml
  Tab       between the list, the path field and the table (its
            criterion column stays while it scrolls sideways)
  ctrl+r    reload the reports       Escape   back""",
    ),
    (
        "panel",
        "The score panel",
        """\
  The score (or, while answers are missing or unknown, the
  provisional range), the verdict, the gates that fire (FIRES: the
  gate caps the verdict) and a figure per pillar.""",
    ),
]
"""The help, one section per screen: (id, heading, text), each line at most 70 cells."""


class HelpScreen(ModalScreen[None]):
    """The keys of every screen, and how drafts and saving work; opens at `section`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, section: str = "everywhere") -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static("Help", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                for key, heading, text in HELP_SECTIONS:
                    yield Static(
                        Content.assemble((heading, "bold underline"), "\n", text),
                        id=f"help-{key}",
                        classes="help-section",
                        markup=False,
                    )
            yield Static("↑↓ PgUp PgDn scroll · Escape to close", classes="hint", markup=False)

    def on_mount(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.focus()
        self.call_after_refresh(self._scroll_to_section)

    def _scroll_to_section(self) -> None:
        found = self.query(f"#help-{self.section}")
        if found:
            body = self.query_one("#help-body", VerticalScroll)
            body.scroll_to_widget(found.first(), top=True, animate=False, immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)
