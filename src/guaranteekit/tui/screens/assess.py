"""The assessment screen: one criterion at a time, with the live score panel always in view.

Left: the criterion (pillar and position, question, the rubric in full with the chosen level
marked, rationale, evidence, confidence, why it matters with citations). Right: the score panel.
Every change goes through the `Session`, which rescored and wrote the draft before the screen
redraws.

The focus model, the same on every criterion, answered or not: the widgets are always there, in the
Tab order rubric → rationale → evidence → confidence; after a move to another criterion the rubric
has the focus; level keys act only in the rubric, never in a text box or the confidence choice; the
key bar shows what the keys do where the focus is. A change is applied to the widgets at once, so
the next key (a Tab into the rationale, say) finds them ready.

Rationale and evidence are typed text: what is typed reaches the session (and so the draft) within
`NOTES_EVERY` seconds, typing or not, and at once on a move, a save, a quit or a hang-up. A keystroke
itself does no work on the whole report: it only starts that clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content, Span
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import AnswerStatus, Confidence, Criterion
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.messages import CHOICE_NOT_APPLICABLE, CHOICE_UNKNOWN, AnswersChanged
from guaranteekit.tui.rubric import RubricList
from guaranteekit.tui.screens.review_widgets import ThreadView, reply_to
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import ConfidenceChoice, KeyBar, ScorePanel

NOTES_EVERY = 0.3
"""Seconds at most between a keystroke in the rationale or evidence and its reaching the draft."""

EDITABLE_LINE = 10_000
EDITABLE_TEXT = 1_000_000
"""Longest line and longest text (in characters) the rationale and evidence boxes take. Textual's
text area lays out every line it shows in full on every key, so a rationale of megabytes in one
line would take seconds a key; a longer text is shown as such, kept as it is, and not edited here."""


def fits_a_box(text: str) -> bool:
    """Whether a rationale or evidence text is short enough to edit in its box."""
    if len(text) > EDITABLE_TEXT:
        return False
    return (
        len(text) <= EDITABLE_LINE or max(map(len, text.splitlines()), default=0) <= EDITABLE_LINE
    )


class Pane(VerticalScroll, can_focus=False):
    """The criterion's scrolling pane: it scrolls to what has the focus and is never focused
    itself, so Tab goes from widget to widget in the same order on every criterion."""


def topbar_content(session: Session, where: str) -> Content:
    """`guaranteekit · <state> · <where> · <package> · <file>`: the package name shown literally."""
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

    HELP_SECTION = "assess"
    AUTO_FOCUS = ""  # the rubric takes it, without scrolling the question away (`show_criterion`)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+b", "previous", "Prev", show=False, priority=True),
        Binding("ctrl+g", "jump", "Jump", priority=True),
        Binding("ctrl+o", "summary", "Summary", priority=True),
        Binding("ctrl+s", "app.save", "Save", priority=True),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("f2", "app.details", "Details", show=False),
        Binding("escape", "focus_rubric", "Rubric"),
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
        """The criterion whose rationale and evidence the text boxes hold (None: not editable)."""
        self._too_long: set[str] = set()
        """The boxes (`rationale`, `evidence`) whose text is too long to edit here: kept as is."""
        self._hint: Content | str | None = None
        self._quoted: tuple[str, list[Span]] | bool | None = False
        """What the quotes line under the evidence shows (None: hidden; False: not drawn yet)."""
        self._topbar: Content | None = None
        self._resumed = False

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        with Horizontal(id="body"):
            with Pane(id="criterion"):
                yield Static("", id="crit-head", markup=False)
                yield Static("", id="crit-title", markup=False)
                yield Static("", id="crit-question", markup=False)
                yield ThreadView(id="crit-thread")
                yield RubricList(self.choose, id="rubric")
                yield Static("", id="notes-hint", classes="hint", markup=False)
                yield Label("Rationale: why this answer", classes="field-label", markup=False)
                yield TextArea("", id="rationale", soft_wrap=True)
                yield Label(
                    "Evidence: quotes from the draft, one per line",
                    classes="field-label",
                    markup=False,
                )
                yield TextArea("", id="evidence", soft_wrap=True)
                yield Static("", id="crit-quotes", markup=False)
                yield Label(
                    "Confidence in the level: l low · m medium · h high",
                    classes="field-label",
                    markup=False,
                )
                yield ConfidenceChoice(self.choose_confidence, id="confidence")
                yield Static("", id="crit-why", markup=False)
            yield ScorePanel(self.session.criteria, id="score")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_criterion(self.index)
        self.query_one("#score", ScorePanel).show(self.session.results)

    def on_screen_resume(self) -> None:
        # Back from the summary or the package details: the answers may have changed elsewhere.
        # (The first resume follows the mount, which has just drawn everything.)
        if self._resumed:
            self.refresh_view()
        self._resumed = True

    @property
    def criterion(self) -> Criterion:
        return self.session.criteria.criteria[self.index]

    @property
    def rubric(self) -> RubricList:
        return self.query_one("#rubric", RubricList)

    # --- drawing -------------------------------------------------------------------------------

    def show_criterion(self, index: int) -> None:
        """Show criterion number `index` (0-based), with the focus on its rubric."""
        self.flush_notes()
        criteria = self.session.criteria
        self.index = max(0, min(index, len(criteria.criteria) - 1))
        criterion = self.criterion
        pillar = criteria.pillar(criterion.pillar)
        head = Content.assemble(
            (one_line(pillar.title), "bold"),
            f" · {self.index + 1} of {len(criteria.criteria)}",
            " · ⚑ gate" if criterion.gate is not None else "",
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
        if criterion.gate is not None:
            cap = criteria.band(criterion.gate.cap).label
            why = Content.assemble(
                ("Gate: ", "bold"),
                f"below {one_line(criterion.level(criterion.gate.level).label)}, the verdict is"
                f" capped at {one_line(cap)}.\n",
                why,
            )
        if criterion.guidance:
            why = Content.assemble(why, ("\nLook for: ", "bold"), clean(criterion.guidance))
        self.query_one("#crit-why", Static).update(why)
        self.rubric.show(criterion, self.session.answer(criterion.id))
        self._load_notes()
        self.query_one("#criterion", Pane).scroll_home(animate=False)
        self._draw_topbar()
        self.query_one("#crit-thread", ThreadView).follow(self.session, criterion.id)
        self.set_focus(self.rubric, scroll_visible=False)

    def _load_notes(self) -> None:
        """Put the criterion's rationale and evidence in the boxes (after a move or a redraw)."""
        self.flush_notes()
        answer = self.session.answer(self.criterion.id)
        rationale = self.query_one("#rationale", TextArea)
        evidence = self.query_one("#evidence", TextArea)
        self._too_long = set()
        with self.prevent(TextArea.Changed):
            text = answer.rationale if answer else ""
            quotes = "\n".join(answer.evidence) if answer else ""
            for box, value in ((rationale, text), (evidence, quotes)):
                box.placeholder = ""
                if not fits_a_box(value):
                    self._too_long.add(box.id or "")
                    box.placeholder = (
                        f"{len(value):,} characters, too long to edit here: kept as they are"
                        " (edit the report file itself)"
                    )
                    value = ""
                if box.text != value:
                    box.load_text(value)
                    box.move_cursor(box.document.end)  # typing goes on after what is there
        self._show_state()

    def _show_state(self) -> None:
        """What may be edited, the hint and the confidence, for the answer as it stands now."""
        answer = self.session.answer(self.criterion.id)
        editable = answer is not None and not self.session.read_only
        self._notes_for = self.criterion.id if editable else None
        quoted = None
        if self.session.report.draft is not None or (answer and (answer.quotes or answer.recheck)):
            from guaranteekit.tui.screens.draft_pane import quotes_content  # with a draft only

            quoted = quotes_content(answer)
        drawn = None if quoted is None else (quoted.plain, quoted.spans)
        if drawn != self._quoted:  # new quotes may take other lines: only then a layout
            self._quoted = drawn
            quotes = self.query_one("#crit-quotes", Static)
            quotes.update(quoted or "")
            quotes.display = quoted is not None
        for box in self.query(TextArea):
            box.read_only = not editable or box.id in self._too_long
        at_level = answer is not None and answer.status is AnswerStatus.LEVEL
        self.query_one("#confidence", ConfidenceChoice).show(
            answer.confidence if answer is not None else None, at_level and editable
        )
        text: Content | str = ""
        if self.session.read_only:
            text = (
                "Read-only: another guaranteekit has this report open for changes, or it is"
                " being reviewed."
            )
        elif answer is None:
            levels = len(self.criterion.levels)
            text = (
                f"Choose a level (1-{min(levels, 9)}), x not applicable or u unknown; then Tab"
                " to the rationale."
            )
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            text = Content.assemble("Not applicable. Reason: ", clean(answer.reason))
        if text != self._hint:  # a new hint may take other lines: only then a layout
            self._hint = text
            hint = self.query_one("#notes-hint", Static)
            hint.update(text)
            hint.display = bool(text)

    def _draw_topbar(self) -> None:
        # One line across the screen whatever it says: a repaint, never a layout; and none at all
        # when it says the same.
        content = topbar_content(self.session, "")
        if content != self._topbar:
            self._topbar = content
            self.query_one("#topbar", Static).update(content, layout=False)

    def _after_change(self) -> None:
        """Redraw what an answer change touches: the rubric, the notes' state, panel and top bar."""
        self.rubric.show(self.criterion, self.session.answer(self.criterion.id))
        self._show_state()
        self.query_one("#score", ScorePanel).show(self.session.results)
        self._draw_topbar()
        self.query_one("#crit-thread", ThreadView).follow(self.session, self.criterion.id)

    def refresh_view(self) -> None:
        """Redraw the current criterion and the score panel from the session."""
        self._load_notes()
        self._after_change()

    def on_answers_changed(self, message: AnswersChanged) -> None:
        self.refresh_view()

    # --- changes -------------------------------------------------------------------------------

    def _change(self, change: Callable[[], object]) -> bool:
        if self.session.read_only:
            self.notify(
                "This report is open read-only: another guaranteekit has it open for changes.",
                severity="warning",
                markup=False,
            )
            return False
        self.flush_notes()
        try:
            change()
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=8)
            # The change is kept in memory even when the draft could not be written.
        self._after_change()
        return True

    def choose(self, choice: str) -> None:
        """Choose a level id, not applicable (asks for a reason) or unknown for this criterion."""
        criterion = self.criterion
        if choice == CHOICE_NOT_APPLICABLE:
            self.ask_not_applicable()
        elif choice == CHOICE_UNKNOWN:
            self._change(lambda: self.session.mark_unknown(criterion.id))
        else:
            self._change(lambda: self.session.choose_level(criterion.id, choice))

    def choose_confidence(self, confidence: Confidence | None) -> None:
        """Set (or unset) the confidence of the answer at a level."""
        answer = self.session.answer(self.criterion.id)
        if answer is None or answer.status is not AnswerStatus.LEVEL:
            self.notify(
                "A confidence goes with a level: choose one in the rubric first.",
                severity="warning",
                markup=False,
            )
            return
        criterion = self.criterion
        self._change(lambda: self.session.set_confidence(criterion.id, confidence))

    def ask_not_applicable(self) -> None:
        if self.session.read_only:
            self._change(lambda: None)
            return
        criterion = self.criterion
        answer = self.session.answer(criterion.id)
        current = answer.reason if answer else ""

        def done(reason: str | None) -> None:
            if reason and self.criterion is criterion:
                self._change(lambda: self.session.mark_not_applicable(criterion.id, reason))

        from guaranteekit.tui.screens.dialogs import ReasonScreen  # the dialogs, when asked for

        self.flush_notes()
        self.app.push_screen(ReasonScreen(criterion.title, current), done)

    def action_confidence(self, value: str) -> None:
        self.choose_confidence(Confidence(value))

    def action_reply(self) -> None:
        """Answer the review thread of this criterion (e.g. a reviewer's dispute)."""
        self.flush_notes()
        reply_to(self, self.session, self.criterion)

    def action_clear(self) -> None:
        criterion = self.criterion
        if self.session.answer(criterion.id) is not None:
            self._change(lambda: self.session.clear_answer(criterion.id))

    def action_undo(self) -> None:
        self._undo(self.session.undo, "Nothing to undo.")

    def action_redo(self) -> None:
        self._undo(self.session.redo, "Nothing to redo.")

    def _undo(self, step: Callable[[], str | None], nothing: str) -> None:
        if self.session.read_only:
            return
        self.flush_notes()
        try:
            criterion_id = step()
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=8)
            criterion_id = None
        if criterion_id is None:
            self.notify(nothing, markup=False)
            return
        ids = [c.id for c in self.session.criteria.criteria]
        index = ids.index(criterion_id)
        if index != self.index:
            self.show_criterion(index)
        else:
            self._after_change()

    # --- notes ---------------------------------------------------------------------------------

    @on(TextArea.Changed, "#rationale, #evidence")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        # Only starts the clock: no whole-report work per keystroke, however long the text.
        if event.text_area.read_only or self._notes_for is None:
            return
        if self._notes_timer is None:
            self._notes_timer = self.set_timer(NOTES_EVERY, self.flush_notes)

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
        rationale = answer.rationale
        if "rationale" not in self._too_long:
            rationale = self.query_one("#rationale", TextArea).text
        evidence = answer.evidence
        if "evidence" not in self._too_long:
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

    # --- navigation ----------------------------------------------------------------------------

    def action_next(self) -> None:
        if self.index + 1 < len(self.session.criteria.criteria):
            self.show_criterion(self.index + 1)
        else:
            self.flush_notes()
            self.notify("Last criterion: ctrl+o shows the summary.", markup=False)

    def action_previous(self) -> None:
        if self.index > 0:
            self.show_criterion(self.index - 1)
        else:
            self.flush_notes()

    def action_jump(self) -> None:
        from guaranteekit.tui.screens.dialogs import JumpScreen  # see ask_not_applicable

        self.flush_notes()

        def done(index: int | None) -> None:
            if index is not None:
                self.show_criterion(index)

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
            self._change(lambda: self.session.confirm(criterion.id))

    def action_focus_rubric(self) -> None:
        self.flush_notes()
        self.set_focus(self.rubric)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape back to the rubric is shown (and acts) only away from the rubric; the letter keys
        # of the draft view (d, c) act only where level keys do, when the rubric has the focus, so
        # a letter typed in a text box (even a read-only one) is never taken as a command.
        on_rubric = self.is_mounted and self.focused is self.rubric
        if action in ("draft", "confirm"):
            return on_rubric
        return not (action == "focus_rubric" and on_rubric)
