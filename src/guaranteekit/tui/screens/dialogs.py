"""Modal screens: questions with a few answers, a reason, a file to open, the jump list, help.

Each is a `ModalScreen[T]` that ends with `dismiss(value)`; callers await it with
`push_screen_wait` inside a worker, so a flow such as "save, and if the file changed ask first" reads
top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.formats.models import CriteriaSet, Report, Results
from guaranteekit.textsafe import one_line
from guaranteekit.tui.widgets import STATUS_MARK, short, status_of


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a question: the key that picks it, its label, and the value returned."""

    key: str
    label: str
    value: str
    variant: str = "default"


class ChoiceScreen(ModalScreen[str]):
    """A question with a few answers, each on a key; Escape answers `cancel_value`."""

    def __init__(
        self,
        title: str,
        message: Content | str,
        choices: list[Choice],
        *,
        cancel_value: str = "cancel",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.message = message if isinstance(message, Content) else Content(message)
        self.choices = choices
        self.cancel_value = cancel_value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for choice in self.choices:
                    yield Button(
                        Content.assemble(
                            ("Esc" if choice.key == "escape" else choice.key, "underline"),
                            " ",
                            choice.label,
                        ),
                        id=f"choice-{choice.value}",
                        variant=choice.variant,  # type: ignore[arg-type]
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(self.cancel_value)
            return
        for choice in self.choices:
            if event.key == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))


class ReasonScreen(ModalScreen[str | None]):
    """Ask why a criterion does not apply; the answer is required (Escape cancels)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, criterion_title: str, current: str = "") -> None:
        super().__init__()
        self.criterion_title = criterion_title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble("Not applicable: ", (one_line(self.criterion_title), "bold")),
                classes="dialog-title",
            )
            yield Static(
                "Why does this criterion not apply to this package? The reason is saved with"
                " the answer.",
                classes="dialog-message",
                markup=False,
            )
            yield Input(self.current, placeholder="reason (required)", id="reason")
            yield Static("", id="reason-problem", classes="problem", markup=False)
            yield Static("Enter to confirm, Escape to cancel", classes="hint", markup=False)

    @on(Input.Submitted, "#reason")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#reason-problem", Static).update("✗ a reason is required")
            return
        self.dismiss(event.value.strip())

    @on(Input.Changed, "#reason")
    def _changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.query_one("#reason-problem", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


class OpenFileScreen(ModalScreen[Path | None]):
    """Ask for a report file to open; a path that is not a file is refused next to the field."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = base

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open an assessment", classes="dialog-title", markup=False)
            yield Static(
                Content.assemble("Report file (relative to ", str(self.base), "):"),
                classes="dialog-message",
                markup=False,
            )
            yield Input(placeholder="round-3.toml", id="open-path")
            yield Static("", id="open-problem", classes="problem", markup=False)
            yield Static("Enter to open, Escape to cancel", classes="hint", markup=False)

    def _resolve(self, text: str) -> Path:
        path = Path(text.strip()).expanduser()
        return path if path.is_absolute() else self.base / path

    @on(Input.Submitted, "#open-path")
    def _submit(self, event: Input.Submitted) -> None:
        problem = self.query_one("#open-problem", Static)
        if not event.value.strip():
            problem.update("✗ type the path of a report file")
            return
        path = self._resolve(event.value)
        from guaranteekit.tui.session import draft_path

        if path.is_dir():
            problem.update("✗ is a folder, not a report file")
        elif not path.exists() and not draft_path(path).exists():
            problem.update(Content.assemble("✗ no such file: ", str(path)))
        else:
            self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class JumpScreen(ModalScreen[int | None]):
    """Every criterion with its state (done, todo, n/a, unknown, gate); `u` shows only the todo."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back"),
        Binding("u", "toggle_filter", "Only unanswered"),
    ]

    def __init__(self, criteria: CriteriaSet, report: Report, current: int) -> None:
        super().__init__()
        self.criteria = criteria
        self.report = report
        self.current = current
        self.only_unanswered = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static("", id="jump-title", classes="dialog-title", markup=False)
            yield OptionList(id="jump-list", markup=False)
            yield Static(
                "Enter go · u only unanswered / all · Esc back  ( ✓ done  · todo  – n/a  ? unknown"
                "  ✗ gate fires )",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#jump-list", OptionList).focus()

    def _fill(self) -> None:
        results: Results | None = self.report.results
        fired = set(results.gates_fired) if results else set()
        options: list[Option] = []
        highlight = 0
        pillar_titles = {p.id: p.title for p in self.criteria.pillars}
        total = len(self.criteria.criteria)
        todo = 0
        # Answers to re-check against a new round's draft come first.
        recheck = [
            index
            for index, criterion in enumerate(self.criteria.criteria)
            if (answer := self.report.answer(criterion.id)) is not None and answer.recheck
        ]
        order = recheck + [i for i in range(total) if i not in recheck]
        for index in order:
            criterion = self.criteria.criteria[index]
            state = status_of(self.report.answer(criterion.id))
            if state == "todo":
                todo += 1
            if self.only_unanswered and state != "todo":
                continue
            if index == self.current:
                highlight = len(options)
            line = Text(f"{STATUS_MARK[state]} {index + 1:>2}. ")
            line.append(one_line(criterion.title), style="bold" if state == "todo" else "")
            line.append(f"  {state}")
            if index in recheck:
                line.append("  ↻ re-check", style="bold")
            if criterion.id in fired:
                line.append("  ✗ gate fires", style="bold")
            elif criterion.gate is not None:
                line.append("  (gate)", style="dim")
            line.append(f"  · {short(pillar_titles.get(criterion.pillar, ''), 24)}", style="dim")
            options.append(Option(line, id=str(index)))
        title = (
            f"Unanswered criteria: {todo} of {total}"
            if self.only_unanswered
            else f"All criteria: {total} ({todo} unanswered)"
        )
        self.query_one("#jump-title", Static).update(title)
        jump_list = self.query_one("#jump-list", OptionList)
        jump_list.set_options(options)
        if not options:
            jump_list.add_option(Option("Every criterion is answered.", disabled=True))
        else:
            jump_list.highlighted = highlight

    @on(OptionList.OptionSelected, "#jump-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_toggle_filter(self) -> None:
        self.only_unanswered = not self.only_unanswered
        self._fill()

    def action_cancel(self) -> None:
        self.dismiss(None)


HELP_TEXT = """\
guaranteekit: score a security-guarantee package, criterion by criterion.

Everywhere
  F1          this help                ctrl+p   command palette
  ctrl+q      quit (asks when there are unsaved changes)

Start screen
  n           new assessment           o        open a file
  Enter       open the highlighted recent assessment

Package details
  Tab         next field               ctrl+s   done (continue)
  Escape      cancel

Assessment (one criterion at a time)
  1-9         choose that rubric level ↑ ↓ Enter  highlight and choose a level
  x           not applicable (asks for a reason)  u  unknown (draft silent or unclear)
  Backspace   clear the answer
  ctrl+n      next criterion           ctrl+b   previous criterion
  → / ←       next / previous (when the rubric has the focus)
  ctrl+g      jump list (u there: only unanswered)
  Tab         rationale, evidence (one quote per line), confidence
  Escape      back to the rubric
  F2          package details          ctrl+o   summary
  ctrl+s      save the report
  d           the draft: passages for this criterion first; / search, Enter quote or
              unquote, d or Escape back
  c           the answer still holds against this round's draft (clears its re-check)

Summary
  ctrl+s      save                     Escape   back to the criteria
  r           (assessment) reply to the review thread of this criterion

Review (guaranteekit review FILE [--reviewer NAME]; the answers are read-only)
  a           accept the answer and go on   d   dispute it (a comment is required)
  c           comment                  r        resolve an open dispute
  n / →       next criterion           p / ←    previous criterion
  ctrl+g, j   jump list with each criterion's review state
              (✓ accepted  ✗ disputed  ↺ resolved  · unreviewed; "stale": made on
              answers that changed since)
  f           finish: sign off (approve, or request changes) under your name
  ctrl+s      save the review trail in the report

Compare (c on the start screen)
  Space       tick a report in the list    Enter in the path field: add a report file
  ctrl+r      reload the reports       Escape   back

Nothing is lost: every change is written at once to a draft file beside the report
(NAME.draft.toml). If the app is stopped before you save, opening the report offers the
recovered answers. Saving asks first when the report changed on disk since it was opened.
The score panel shows the score (or, while answers are missing, the provisional range), the
verdict, a bar per pillar and the gates that fire: FIRES means the gate caps the verdict.
"""


class HelpScreen(ModalScreen[None]):
    """The keys of every screen, and how drafts and saving work."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static("Help", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(HELP_TEXT, markup=False)
            yield Static("Escape to close", classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
