"""Modal screens: questions with a few answers, a reason, a file to open, the jump list, and the
list of what verify would report before a save (the help is `guaranteekit.tui.screens.help`).

Each is a `ModalScreen[T]` that ends with `dismiss(value)`; callers await it with
`push_screen_wait` inside a worker, so a flow such as "save, and if the file changed ask first" reads
top to bottom.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.formats.models import CriteriaSet, Report, Results
from guaranteekit.textsafe import one_line
from guaranteekit.tui.messages import Choice
from guaranteekit.tui.widgets import STATUS_MARK, confidence_word, short, status_of

if TYPE_CHECKING:
    from guaranteekit.verify.checks import Problem


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
            yield Input(
                self.current, placeholder="reason (required)", id="reason", select_on_focus=False
            )
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
            yield Input(placeholder="round-3.toml", id="open-path", select_on_focus=False)
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
        from guaranteekit.tui.drafts import draft_path

        if path.is_dir():
            problem.update("✗ is a folder, not a report file")
        elif not path.exists() and not draft_path(path).exists():
            problem.update(Content.assemble("✗ no such file: ", str(path)))
        else:
            self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class JumpScreen(ModalScreen[int | None]):
    """Every criterion with its state (done, todo, n/a, unknown, gate, confidence unset); `u`
    shows only the todo."""

    HELP_SECTION = "assess"

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
                "  ✗ gate fires; confidence unset: not chosen yet )",
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
            answer = self.report.answer(criterion.id)
            state = status_of(answer)
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
            if confidence_word(answer) == "unset":
                line.append("  confidence unset", style="bold")
            if answer is not None and not answer.justified:
                line.append("  no rationale", style="bold")
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


_CRITERION_IN_WHERE = re.compile(r"\(([^()]+)\)")

SAVE_ANYWAY = "save"
"""What `PresaveScreen` returns when the report is to be saved as it is."""


def problem_criterion(where: str, criteria: CriteriaSet) -> int | None:
    """The index of the criterion a problem's place names (`answers[3] (monitoring).rationale`)."""
    ids = [c.id for c in criteria.criteria]
    for found in _CRITERION_IN_WHERE.findall(where):
        if found in ids:
            return ids.index(found)
    return None


class PresaveScreen(ModalScreen[str | int | None]):
    """Before saving: what `guaranteekit verify` would report about the report, one line each.

    Enter goes to the highlighted line's criterion (nothing is saved; the draft keeps everything),
    `s` or ctrl+s saves as it is, Escape goes back. Returns `SAVE_ANYWAY`, a criterion index or None.
    """

    HELP_SECTION = "saving"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ctrl+s", "save", "Save as it is", priority=True),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, problems: list[Problem], criteria: CriteriaSet, name: str) -> None:
        super().__init__()
        self.problems = problems
        self.criteria = criteria
        self.name_text = name

    def compose(self) -> ComposeResult:
        errors = sum(1 for p in self.problems if p.severity.value == "error")
        warnings = len(self.problems) - errors
        verdict = (
            f"verify would fail {self.name_text} with {errors} error(s)"
            if errors
            else f"verify would pass {self.name_text}"
        )
        with Vertical(classes="dialog dialog-wide"):
            yield Static("Before saving", classes="dialog-title", markup=False)
            yield Static(
                Content(f"{verdict} and {warnings} warning(s):"),
                classes="dialog-message",
                markup=False,
            )
            yield OptionList(
                *(self._option(index, p) for index, p in enumerate(self.problems)),
                id="presave-list",
                markup=False,
            )
            yield Static(
                "Enter go to it (nothing saved; the draft keeps it all) · s save as it is ·"
                " Esc back",
                classes="hint",
                markup=False,
            )

    def _option(self, index: int, problem: Problem) -> Option:
        line = Text(f"{problem.severity.value:<7} ", style="bold")
        found = problem_criterion(problem.where, self.criteria)
        if found is not None:
            line.append(f"{found + 1:>2}. {one_line(self.criteria.criteria[found].title)}: ")
        elif problem.where:
            line.append(f"{one_line(problem.where)}: ")
        line.append(one_line(problem.message))
        return Option(line, id=str(index))

    def on_mount(self) -> None:
        self.query_one("#presave-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#presave-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        problem = self.problems[int(event.option.id or 0)]
        found = problem_criterion(problem.where, self.criteria)
        if found is None:
            self.notify("That is about the whole report, not one criterion.", markup=False)
            return
        self.dismiss(found)

    def action_save(self) -> None:
        self.dismiss(SAVE_ANYWAY)

    def action_cancel(self) -> None:
        self.dismiss(None)
