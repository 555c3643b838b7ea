"""Adjudication in review mode: the assessors' positions side by side, and the dialog that settles one.

A report made by `guaranteekit merge` carries each disagreement between its assessors as an open
dispute with every assessor's position. On such a criterion the review screen shows the positions
(`PositionsView`), and `r` opens `AdjudicateScreen`: pick one of the positions, or another level of
the rubric, give a comment and your name. The change itself is the core's
(`guaranteekit.review.consensus.adjudicate`): the answer takes the chosen level and a `resolve`
entry records who adjudicated what. Text from the report is data: it reaches the screen as
`rich.text.Text` or `Content`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import (
    Adjudication,
    AnswerStatus,
    Criterion,
    PositionStatus,
    Report,
    ReviewEntry,
    ReviewKind,
)
from guaranteekit.review import consensus
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.session import Session


def positions_table(entry: ReviewEntry, criterion: Criterion) -> Table:
    """The positions of a disagreement, one column per assessor: answer, confidence, rationale."""
    table = Table(expand=True, show_lines=False, box=None, padding=(0, 1))
    for position in entry.positions or []:
        table.add_column(Text(one_line(position.assessor), style="bold"), ratio=1)
    table.add_row(*(Text(consensus.position_words(p, criterion)) for p in entry.positions or []))
    table.add_row(
        *(
            Text(clean(p.rationale).strip() or "(no rationale)", style="italic")
            for p in entry.positions or []
        )
    )
    return table


def _ruling(report: Report, criterion: str) -> ReviewEntry | None:
    """The latest `resolve` of a disagreement on `criterion` that names its choice, if any."""
    found = [
        e
        for e in report.review.entries
        if e.criterion == criterion and e.kind is ReviewKind.RESOLVE and e.adjudication
    ]
    return found[-1] if found else None


def _latest_positions(report: Report, criterion: str) -> ReviewEntry | None:
    found = [e for e in report.review.entries if e.criterion == criterion and e.positions]
    return found[-1] if found else None


def _choice_words(adjudication: Adjudication, criterion: Criterion) -> str:
    if adjudication.status is AnswerStatus.LEVEL and adjudication.level is not None:
        index = criterion.level_index(adjudication.level)
        words = f"{one_line(criterion.levels[index].label)} (level {index + 1} of"
        words += f" {len(criterion.levels)})"
    else:
        words = adjudication.status.value.replace("_", " ")
    if adjudication.follows:
        return f"{words}, following {', '.join(one_line(a) for a in adjudication.follows)}"
    return f"{words}, which no assessor gave"


class PositionsView(Static):
    """On the review screen: the assessors' positions on a disputed criterion of a merged report,
    and, once adjudicated, what was chosen and by whom. Hidden on every other criterion."""

    DEFAULT_CSS = """
    PositionsView { height: auto; margin-top: 1; padding: 0 1; border: round $warning 50%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def follow(self, report: Report, criterion: Criterion) -> None:
        """Show the positions on `criterion`, or hide when it has none."""
        entry = _latest_positions(report, criterion.id)
        self.display = entry is not None
        if entry is None:
            return
        open_ = consensus.disagreement(report, criterion.id) is not None
        ruling = _ruling(report, criterion.id)
        if open_:
            head = Text.assemble(
                ("The assessors disagree", "bold"),
                " · r adjudicates: pick a position or another level, with a comment",
            )
        elif ruling is not None and ruling.adjudication is not None:
            head = Text.assemble(
                ("Adjudicated", "bold"),
                f" by {one_line(ruling.author)}: ",
                _choice_words(ruling.adjudication, criterion),
            )
        else:
            head = Text.assemble(("The assessors disagreed", "bold"), "; the dispute is closed")
        self.update(Group(head, positions_table(entry, criterion)))


@dataclass(frozen=True, slots=True)
class Ruling:
    """What the adjudication dialog returns: the answer chosen, who chose it, and why."""

    adjudication: Adjudication
    author: str
    comment: str


def choices(entry: ReviewEntry, criterion: Criterion) -> list[tuple[str, Adjudication]]:
    """What the adjudicator may pick: each distinct position given (an unanswered one is no
    answer), then every other level of the rubric. Each with its words for the list."""
    found: list[tuple[str, Adjudication]] = []
    taken: set[tuple[str, str]] = set()
    for position in entry.positions or []:
        if position.status is PositionStatus.UNANSWERED:
            continue
        key = (position.status.value, position.level or "")
        if key in taken:
            continue
        taken.add(key)
        adjudication = consensus.choice(
            entry, position.status.value, position.level, reason=position.reason
        )
        names = ", ".join(one_line(a) for a in adjudication.follows)
        found.append((f"{names}: {consensus.position_words(position, criterion)}", adjudication))
    for index, level in enumerate(criterion.levels):
        if (AnswerStatus.LEVEL.value, level.id) in taken:
            continue
        words = f"another level: {one_line(level.label)} (level {index + 1} of"
        words += f" {len(criterion.levels)})"
        found.append((words, consensus.choice(entry, AnswerStatus.LEVEL, level.id)))
    return found


class AdjudicateScreen(ModalScreen[Ruling | None]):
    """Settle a disagreement: pick an answer, say why, under your name; Escape cancels.

    `check` tries the ruling on the report (the core's rules) and returns its problems, which are
    shown here so the adjudicator can correct them.
    """

    DEFAULT_CSS = """
    AdjudicateScreen { align: center middle; }
    AdjudicateScreen #adjudicate-choices { height: auto; max-height: 12; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        criterion: Criterion,
        entry: ReviewEntry,
        author: str,
        check: Callable[[Ruling], list[str]],
    ) -> None:
        super().__init__()
        self.criterion = criterion
        self.entry = entry
        self.author = author
        self.check = check
        self.options = choices(entry, criterion)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static(
                Content.assemble("Adjudicate: ", (one_line(self.criterion.title), "bold")),
                classes="dialog-title",
            )
            yield Static(positions_table(self.entry, self.criterion), classes="dialog-message")
            yield Label("The answer", classes="field-label", markup=False)
            yield OptionList(
                *(Option(Text(words), id=str(i)) for i, (words, _) in enumerate(self.options)),
                id="adjudicate-choices",
                markup=False,
            )
            yield Label("Why (required; kept in the review trail)", classes="field-label")
            yield Input(placeholder="comment (required)", id="adjudicate-comment")
            yield Label("Your name", classes="field-label", markup=False)
            yield Input(
                self.author, placeholder="name recorded in the trail", id="adjudicate-author"
            )
            yield Static("", id="adjudicate-problem", classes="problem", markup=False)
            yield Static(
                "↑↓ and Enter pick · Tab to the comment and name · Enter confirms · Escape cancels",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one("#adjudicate-choices", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#adjudicate-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#adjudicate-comment", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.query_one("#adjudicate-problem", Static)
        highlighted = self.query_one("#adjudicate-choices", OptionList).highlighted
        comment = self.query_one("#adjudicate-comment", Input).value.strip()
        author = one_line(self.query_one("#adjudicate-author", Input).value)
        if highlighted is None:
            problem.update("✗ pick the answer first")
            self.query_one("#adjudicate-choices", OptionList).focus()
            return
        if not comment:
            problem.update("✗ a comment is required: say why this answer is right")
            self.query_one("#adjudicate-comment", Input).focus()
            return
        if not author:
            problem.update("✗ your name is required: it is recorded in the review trail")
            self.query_one("#adjudicate-author", Input).focus()
            return
        ruling = Ruling(self.options[highlighted][1], author, comment)
        problems = self.check(ruling)
        if problems:
            problem.update(Content("\n".join(f"✗ {p}" for p in problems)))
            return
        self.dismiss(ruling)

    def action_cancel(self) -> None:
        self.dismiss(None)


def adjudicate_on(
    screen: Screen,
    session: Session,
    criterion: Criterion,
    author: str,
    done: Callable[[Ruling], None] | None = None,
) -> bool:
    """Open the adjudication dialog for `criterion` when it has an open disagreement (True), and
    apply the ruling through the session; False when there is nothing to adjudicate."""
    entry = consensus.disagreement(session.report, criterion.id)
    if entry is None:
        return False
    cid = criterion.id

    def step(ruling: Ruling) -> Callable[[Report], Report]:
        return lambda report: consensus.adjudicate(
            report,
            session.criteria,
            cid,
            ruling.author,
            ruling.adjudication,
            ruling.comment,
            profile=session.profile,
        )

    def check(ruling: Ruling) -> list[str]:
        try:
            step(ruling)(session.report)
        except GuaranteekitError as exc:
            return exc.problems
        return []

    def ruled(ruling: Ruling | None) -> None:
        if ruling is None:
            return
        try:
            session.adjudicate(step(ruling))
        except GuaranteekitError as exc:
            for line in exc.problems:
                screen.notify(line, severity="error", markup=False, timeout=8)
            return
        left = len(consensus.open_disagreements(session.report))
        screen.notify(
            f"Adjudicated: {_choice_words(ruling.adjudication, criterion)}."
            + (f" {left} disagreement(s) left." if left else " No disagreement left.")
            + " ctrl+s saves.",
            markup=False,
        )
        if done is not None:
            done(ruling)

    screen.app.push_screen(AdjudicateScreen(criterion, entry, author, check), ruled)
    return True


__all__ = [
    "AdjudicateScreen",
    "PositionsView",
    "Ruling",
    "adjudicate_on",
    "choices",
    "positions_table",
]
