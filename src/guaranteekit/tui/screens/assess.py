"""The assessment screen: one criterion at a time, with the live score panel always in view.

Left: the criterion (pillar and position, question, why it matters with citations, the rubric in
full with the chosen level marked, rationale, evidence, confidence). Right: the score panel. Every
change goes through the `Session`, which rescored and wrote the draft before the screen redraws.

Rationale and evidence are typed text: they reach the session a moment after typing pauses (and at
once when the analyst moves on, saves or quits), so the draft is not rewritten on every keystroke.
Level choices reach it immediately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, RadioButton, RadioSet, Static, TextArea

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import AnswerStatus, Confidence, Criterion
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.messages import (
    CHOICE_NOT_APPLICABLE,
    CHOICE_UNKNOWN,
    AnswersChanged,
    LevelChosen,
)
from guaranteekit.tui.screens.dialogs import JumpScreen, ReasonScreen
from guaranteekit.tui.screens.review_widgets import ThreadView, reply_to
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import MarkedRadioButton, RubricList, ScorePanel

NOTES_DELAY = 0.4
"""Seconds of typing pause after which rationale and evidence are handed to the session."""

CONFIDENCES = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


def topbar_content(session: Session, where: str) -> Content:
    """`guaranteekit · <package> · <file> · <state>`: package name shown literally."""
    if session.read_only:
        state = ("read-only", "bold")
    elif session.dirty and session.draft_kept:
        state = ("● unsaved (draft kept)", "bold")
    elif session.dirty:
        state = ("● unsaved (no draft: the disk refused it; save to keep the changes)", "bold")
    else:
        state = ("✓ saved", "")
    parts: list[str | Content | tuple[str, str]] = [("guaranteekit", "bold"), " · ", state]
    if where:
        parts += [" · ", where]
    parts += [" · ", (one_line(session.report.package.name), "bold"), " · ", session.path.name]
    return Content.assemble(*parts)


class AssessScreen(Screen[None]):
    """Walk the criteria one at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Level", key_display="1-9"),
        *[Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)],
        Binding("x", "not_applicable", "N/A"),
        Binding("r", "reply", "Reply", show=False),
        Binding("u", "unknown", "Unknown", show=False),
        Binding("backspace", "clear", "Clear", show=False),
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+b", "previous", "Prev", show=False, priority=True),
        Binding("right", "next", show=False),
        Binding("left", "previous", show=False),
        Binding("ctrl+g", "jump", "Jump", priority=True),
        Binding("ctrl+o", "summary", "Summary", priority=True),
        Binding("f2", "app.details", "Details", show=False),
        Binding("ctrl+s", "app.save", "Save", priority=True),
        Binding("escape", "focus_rubric", "Rubric", show=False),
        Binding("d", "draft", "Draft", show=False),
        Binding("c", "confirm", "Confirm", show=False),
    ]

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, session: Session, index: int = 0) -> None:
        super().__init__()
        self.session = session
        self.index = index
        self._notes_timer: Timer | None = None
        self._notes_for: str | None = None
        """The criterion whose rationale and evidence the text boxes hold."""

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        with Horizontal(id="body"):
            with VerticalScroll(id="criterion"):
                yield Static("", id="crit-head", markup=False)
                yield Static("", id="crit-title", markup=False)
                yield Static("", id="crit-question", markup=False)
                yield ThreadView(id="crit-thread")
                yield RubricList(id="rubric")
                yield Static("", id="notes-hint", classes="hint", markup=False)
                yield Static("", id="crit-why", markup=False)
                yield Label("Rationale: why this level", classes="field-label", markup=False)
                yield TextArea("", id="rationale", soft_wrap=True)
                yield Label(
                    "Evidence: quotes from the draft, one per line",
                    classes="field-label",
                    markup=False,
                )
                yield TextArea("", id="evidence", soft_wrap=True)
                yield Static("", id="crit-quotes", markup=False)
                yield Label("Confidence", classes="field-label", markup=False)
                with RadioSet(id="confidence"):
                    for confidence in CONFIDENCES:
                        yield MarkedRadioButton(
                            confidence.value, id=f"confidence-{confidence.value}"
                        )
            yield ScorePanel(self.session.criteria, id="score")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_criterion(self.index)
        self.query_one("#score", ScorePanel).show(self.session.results)
        self.query_one("#rubric", RubricList).focus(scroll_visible=False)

    def on_screen_resume(self) -> None:
        # Back from the summary or the package details: the answers may have changed elsewhere.
        self.refresh_view()

    @property
    def criterion(self) -> Criterion:
        return self.session.criteria.criteria[self.index]

    # --- drawing -------------------------------------------------------------------------------

    def show_criterion(self, index: int) -> None:
        """Show criterion number `index` (0-based)."""
        self.flush_notes()
        criteria = self.session.criteria
        self.index = max(0, min(index, len(criteria.criteria) - 1))
        criterion = self.criterion
        pillar = criteria.pillar(criterion.pillar)
        head = Content.assemble(
            (one_line(pillar.title), "bold"),
            f" · {self.index + 1} of {len(criteria.criteria)}",
        )
        if criterion.gate is not None:
            cap = criteria.band(criterion.gate.cap).label
            head = Content.assemble(
                head,
                " · ",
                ("gate", "bold"),
                f": below {one_line(criterion.level(criterion.gate.level).label)},"
                f" the verdict is capped at {one_line(cap)}",
            )
        self.query_one("#crit-head", Static).update(head)
        self.query_one("#crit-title", Static).update(
            Content.styled(one_line(criterion.title), "bold")
        )
        self.query_one("#crit-question", Static).update(clean(criterion.question))
        citations = "; ".join(
            clean(c.short()) + (f": {one_line(c.point)}" if c.point else "")
            for c in criterion.citations
        )
        why = Content.assemble(
            ("Why it matters: ", "bold"), clean(criterion.why), ("\nSources: ", "bold"), citations
        )
        if criterion.guidance:
            why = Content.assemble(why, ("\nLook for: ", "bold"), clean(criterion.guidance))
        self.query_one("#crit-why", Static).update(why)
        self.query_one("#rubric", RubricList).show(criterion, self.session.answer(criterion.id))
        self._load_notes()
        self.query_one("#criterion", VerticalScroll).scroll_home(animate=False)
        self._draw_topbar()
        self.query_one("#crit-thread", ThreadView).follow(self.session, criterion.id)

    def _load_notes(self) -> None:
        self.flush_notes()
        answer = self.session.answer(self.criterion.id)
        rationale = self.query_one("#rationale", TextArea)
        evidence = self.query_one("#evidence", TextArea)
        confidence = self.query_one("#confidence", RadioSet)
        with self.prevent(TextArea.Changed, RadioSet.Changed):
            rationale.load_text(answer.rationale if answer else "")
            evidence.load_text("\n".join(answer.evidence) if answer else "")
            for button in confidence.query(RadioButton):
                button.value = answer is not None and button.id == (
                    f"confidence-{answer.confidence.value}"
                )
        editable = answer is not None and not self.session.read_only
        self._notes_for = self.criterion.id if editable else None
        quoted = None
        if self.session.report.draft is not None or (answer and (answer.quotes or answer.recheck)):
            from guaranteekit.tui.screens.draft_pane import quotes_content  # with a draft only

            quoted = quotes_content(answer)
        self.query_one("#crit-quotes", Static).update(quoted or "")
        self.query_one("#crit-quotes", Static).display = quoted is not None
        for widget in (rationale, evidence):
            widget.read_only = not editable
        confidence.disabled = not editable
        hint = self.query_one("#notes-hint", Static)
        if self.session.read_only:
            hint.update("Read-only: review mode is coming; this report cannot be changed here.")
        elif answer is None:
            levels = len(self.criterion.levels)
            hint.update(
                f"Choose a level (1-{min(levels, 9)}), x not applicable or u unknown; then write"
                " the rationale."
            )
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            hint.update(Content.assemble("Not applicable. Reason: ", clean(answer.reason)))
        else:
            hint.update("")
        hint.display = self.session.read_only or answer is None or answer.reason != ""

    def _draw_topbar(self) -> None:
        self.query_one("#topbar", Static).update(topbar_content(self.session, ""))

    def refresh_view(self) -> None:
        """Redraw the current criterion and the score panel from the session."""
        self.query_one("#rubric", RubricList).show(
            self.criterion, self.session.answer(self.criterion.id)
        )
        self._load_notes()
        self.query_one("#score", ScorePanel).show(self.session.results)
        self._draw_topbar()
        self.query_one("#crit-thread", ThreadView).follow(self.session, self.criterion.id)

    def on_answers_changed(self, message: AnswersChanged) -> None:
        self.query_one("#rubric", RubricList).show(
            self.criterion, self.session.answer(self.criterion.id)
        )
        if message.criterion is None or message.criterion == self.criterion.id:
            self._load_notes()
        self.query_one("#score", ScorePanel).show(self.session.results)
        self._draw_topbar()
        self.query_one("#crit-thread", ThreadView).follow(self.session, self.criterion.id)

    # --- changes -------------------------------------------------------------------------------

    def _change(self, criterion_id: str, change: Callable[[], object]) -> bool:
        if self.session.read_only:
            self.notify(
                "This report is open read-only (review mode is coming).",
                severity="warning",
                markup=False,
            )
            return False
        try:
            change()
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=8)
            # The change is kept in memory even when the draft could not be written.
        self.post_message(AnswersChanged(criterion_id))
        return True

    def choose(self, choice: str) -> None:
        """Choose a level id, not applicable (asks for a reason) or unknown for this criterion."""
        criterion = self.criterion
        if choice == CHOICE_NOT_APPLICABLE:
            self.ask_not_applicable()
        elif choice == CHOICE_UNKNOWN:
            self._change(criterion.id, lambda: self.session.mark_unknown(criterion.id))
        else:
            self.flush_notes()
            self._change(criterion.id, lambda: self.session.choose_level(criterion.id, choice))

    def ask_not_applicable(self) -> None:
        if self.session.read_only:
            self._change(self.criterion.id, lambda: None)
            return
        criterion = self.criterion
        answer = self.session.answer(criterion.id)
        current = answer.reason if answer else ""

        def done(reason: str | None) -> None:
            if reason:
                self._change(
                    criterion.id, lambda: self.session.mark_not_applicable(criterion.id, reason)
                )

        self.flush_notes()
        self.app.push_screen(ReasonScreen(criterion.title, current), done)

    @on(LevelChosen)
    def _level_chosen(self, message: LevelChosen) -> None:
        if message.criterion == self.criterion.id:
            self.choose(message.choice)

    def action_choose(self, number: int) -> None:
        levels = self.criterion.levels
        if 1 <= number <= len(levels):
            self.query_one("#rubric", RubricList).highlighted = number - 1
            self.choose(levels[number - 1].id)
        else:
            self.notify(
                f"This criterion has {len(levels)} levels (1-{len(levels)}).",
                severity="warning",
                markup=False,
            )

    def action_not_applicable(self) -> None:
        self.ask_not_applicable()

    def action_unknown(self) -> None:
        self.choose(CHOICE_UNKNOWN)

    def action_reply(self) -> None:
        """Answer the review thread of this criterion (e.g. a reviewer's dispute)."""
        self.flush_notes()
        reply_to(self, self.session, self.criterion)

    def action_clear(self) -> None:
        criterion = self.criterion
        if self.session.answer(criterion.id) is not None:
            self.flush_notes()
            self._change(criterion.id, lambda: self.session.clear_answer(criterion.id))

    # --- notes ---------------------------------------------------------------------------------

    @on(TextArea.Changed, "#rationale, #evidence")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        if event.text_area.read_only or self._notes_for is None:
            return
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(NOTES_DELAY, self.flush_notes)

    def flush_notes(self) -> None:
        """Hand the rationale and evidence in the text boxes to the session (and so to the draft).

        Compares the boxes with the stored answer rather than tracking keystrokes, so text typed
        just before a move to another criterion is never lost or given to the wrong criterion.
        """
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        criterion_id = self._notes_for
        answer = self.session.answer(criterion_id) if criterion_id else None
        if criterion_id is None or answer is None or self.session.read_only:
            return
        rationale = self.query_one("#rationale", TextArea).text
        evidence = [
            line.strip()
            for line in self.query_one("#evidence", TextArea).text.splitlines()
            if line.strip()
        ]
        if rationale == answer.rationale and evidence == answer.evidence:
            return
        try:
            self.session.set_notes(criterion_id, rationale=rationale, evidence=evidence)
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=8)
        self._draw_topbar()

    @on(RadioSet.Changed, "#confidence")
    def _confidence(self, event: RadioSet.Changed) -> None:
        button_id = event.pressed.id or ""
        value = Confidence(button_id.removeprefix("confidence-"))
        criterion = self.criterion
        self.flush_notes()
        self._change(criterion.id, lambda: self.session.set_notes(criterion.id, confidence=value))

    # --- navigation ----------------------------------------------------------------------------

    def action_next(self) -> None:
        if self.index + 1 < len(self.session.criteria.criteria):
            self.show_criterion(self.index + 1)
        else:
            self.notify("Last criterion: ctrl+o shows the summary.", markup=False)

    def action_previous(self) -> None:
        if self.index > 0:
            self.show_criterion(self.index - 1)

    def action_jump(self) -> None:
        self.flush_notes()

        def done(index: int | None) -> None:
            if index is not None:
                self.show_criterion(index)
                self.query_one("#rubric", RubricList).focus(scroll_visible=False)

        self.app.push_screen(
            JumpScreen(self.session.criteria, self.session.report, self.index), done
        )

    def action_summary(self) -> None:
        from guaranteekit.tui.screens.summary import SummaryScreen

        self.flush_notes()
        self.app.push_screen(SummaryScreen(self.session))

    def action_draft(self) -> None:
        """The attached draft, to quote for this criterion (`d` again comes back)."""
        from guaranteekit.tui.screens.draft_pane import DraftScreen

        self.flush_notes()
        self.app.push_screen(DraftScreen(self.session, self.criterion))

    def action_confirm(self) -> None:
        """The answer still holds against this round's draft: clear its re-check note."""
        criterion = self.criterion
        answer = self.session.answer(criterion.id)
        if answer is not None and answer.recheck:
            self._change(criterion.id, lambda: self.session.confirm(criterion.id))

    def action_focus_rubric(self) -> None:
        self.query_one("#rubric", RubricList).focus()
