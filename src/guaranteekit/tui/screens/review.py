"""Review mode: walk the answers one at a time, accept or dispute each, and sign off.

Left: the criterion (question, the rubric with the chosen level marked) and the answer as the
assessor gave it (level, confidence, rationale, evidence). Right: the review of that criterion (its
state and thread) and the latest sign-off. The answers are read-only here; every review step goes
through `guaranteekit.review.trail` and the `Session`, which writes the draft at once, and saving is
the app's save (atomic, asking first when the file changed on disk).

Accepting or disputing moves on to the next criterion, so a review is a walk of `a` and `d` presses
ending with `f` (finish: the sign-off). States are words and glyphs in the jump list and the side
panel; an accept or dispute made on an earlier version of its answer says so (stale), and only that
answer's; an approval while some accepts are stale asks first, since `verify` reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import (
    AnswerStatus,
    CriteriaSet,
    Criterion,
    Report,
    SignoffDecision,
)
from guaranteekit.review import trail as review
from guaranteekit.review.consensus import disagreement
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.messages import Choice
from guaranteekit.tui.rubric import level_prompt
from guaranteekit.tui.screens.adjudicate import PositionsView, Ruling, adjudicate_on
from guaranteekit.tui.screens.assess import topbar_content
from guaranteekit.tui.screens.dialogs import ChoiceScreen
from guaranteekit.tui.screens.review_widgets import (
    STATE_MARK,
    Note,
    NoteScreen,
    ThreadView,
    signoff_content,
    state_words,
)
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import KeyBar, confidence_word, short


@dataclass(frozen=True, slots=True)
class SignOff:
    """What the sign-off dialog returns."""

    decision: SignoffDecision
    author: str
    text: str


class SignOffScreen(ModalScreen[SignOff | None]):
    """Finish a review: approve or request changes, under the reviewer's name, with a comment.

    `check` tries the sign-off on the report (the core's rules, e.g. no approval over an open
    dispute) and returns its problems, which are shown here so the reviewer can choose again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, summary: Content, author: str, check: Callable[[SignOff], list[str]]
    ) -> None:
        super().__init__()
        self.summary = summary
        self.author = author
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign off the review", classes="dialog-title", markup=False)
            yield Static(self.summary, classes="dialog-message", markup=False)
            yield Label("Comment (optional)", classes="field-label", markup=False)
            yield Input(
                placeholder="what the assessor should know",
                id="signoff-text",
                select_on_focus=False,
            )
            yield Label("Your name", classes="field-label", markup=False)
            yield Input(
                self.author,
                placeholder="name recorded in the trail",
                id="signoff-author",
                select_on_focus=False,
            )
            yield Static("", id="signoff-problem", classes="problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Approve", id="signoff-approved", variant="success")
                yield Button("Request changes", id="signoff-changes_requested", variant="warning")
                yield Button("Cancel", id="signoff-cancel")
            yield Static(
                "Tab to a button and Enter · Escape to cancel", classes="hint", markup=False
            )

    def on_mount(self) -> None:
        # The first field, as in every dialog; Tab goes on to the name, then the buttons.
        self.query_one("#signoff-text", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("signoff-")
        if choice == "cancel":
            self.dismiss(None)
            return
        self.decide(SignoffDecision(choice))

    def decide(self, decision: SignoffDecision) -> None:
        """Sign off with `decision` if the core accepts it; else show why not."""
        signoff = SignOff(
            decision,
            one_line(self.query_one("#signoff-author", Input).value),
            self.query_one("#signoff-text", Input).value.strip(),
        )
        problem = self.query_one("#signoff-problem", Static)
        if not signoff.author:
            problem.update("✗ your name is required: it is recorded in the review trail")
            self.query_one("#signoff-author", Input).focus()
            return
        problems = self.check(signoff)
        if problems:
            problem.update(Content("\n".join(f"✗ {p}" for p in problems)))
            self.query_one("#signoff-text", Input).focus()
            return
        self.dismiss(signoff)

    def action_cancel(self) -> None:
        self.dismiss(None)


def jump_line(index: int, criterion: Criterion, report: Report) -> str:
    """One line of the review jump list: state glyph, number, title, state in words, answer."""
    reviews = review.review_state(report)
    answer = report.answer(criterion.id)
    if answer is None:
        given = "no answer"
    elif answer.status is AnswerStatus.LEVEL:
        given = criterion.level(answer.level or "").label if answer.level else ""
    else:
        given = answer.status.value.replace("_", " ")
    state = state_words(reviews.get(criterion.id))
    return f"{state[0]} {index + 1:>2}. {short(criterion.title, 40)}  — {state[2:]}  · {short(given, 24)}"


class ReviewJumpScreen(ModalScreen[int | None]):
    """Every criterion with its review state (accepted, disputed, unreviewed, resolved, stale)."""

    HELP_SECTION = "review"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(self, criteria: CriteriaSet, report: Report, current: int) -> None:
        super().__init__()
        self.criteria = criteria
        self.report = report
        self.current = current

    def compose(self) -> ComposeResult:
        counts = review.summary(self.report).states
        total = len(self.criteria.criteria)
        unreviewed = total - counts["accepted"] - counts["disputed"] - counts["resolved"]
        title = (
            f"Review of {len(self.criteria.criteria)} criteria: {counts['accepted']} accepted,"
            f" {counts['disputed']} disputed, {counts['resolved']} resolved,"
            f" {unreviewed} unreviewed"
        )
        with Vertical(classes="dialog dialog-wide"):
            yield Static(title, id="jump-title", classes="dialog-title", markup=False)
            yield OptionList(
                *(
                    Option(Content(jump_line(i, c, self.report)), id=str(i))
                    for i, c in enumerate(self.criteria.criteria)
                ),
                id="review-jump-list",
                markup=False,
            )
            legend = "  ".join(f"{mark} {state}" for state, mark in STATE_MARK.items())
            yield Static(
                f"Enter go · Esc back  ( {legend} · stale: that answer changed since )",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        jump_list = self.query_one("#review-jump-list", OptionList)
        jump_list.highlighted = self.current
        jump_list.focus()

    @on(OptionList.OptionSelected, "#review-jump-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(Screen[None]):
    """Walk the answers of a saved report as its reviewer."""

    HELP_SECTION = "review"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("d", "dispute", "Dispute"),
        Binding("c", "comment", "Comment"),
        Binding("r", "resolve", "Resolve", show=False),
        Binding("f", "finish", "Sign off"),
        Binding("n,right,ctrl+n", "next", "Next", key_display="n", priority=True),
        Binding("p,left,ctrl+b", "previous", "Prev", key_display="p", show=False, priority=True),
        Binding("ctrl+g,j", "jump", "Jump", priority=True),
        Binding("ctrl+o", "app.summary", "Summary", show=False, priority=True),
        Binding("ctrl+s", "app.save", "Save", priority=True),
    ]

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, session: Session, reviewer: str = "", index: int = 0) -> None:
        super().__init__()
        self.session = session
        self.reviewer = one_line(reviewer)
        self.index = index

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        with Horizontal(id="body"):
            with VerticalScroll(id="review-answer"):
                yield Static("", id="review-head", markup=False)
                yield Static("", id="review-title", markup=False)
                yield Static("", id="review-question", markup=False)
                yield Static("", id="review-rubric", markup=False)
                yield Static("", id="review-given", markup=False)
                yield PositionsView(id="review-positions")
            with VerticalScroll(id="review-side"):
                yield ThreadView(id="review-thread")
                yield Static("", id="review-signoff", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_criterion(self.index)
        self.query_one("#review-answer", VerticalScroll).focus()
        self.offer_recovery()

    @work(group="review-recovery")
    async def offer_recovery(self) -> None:
        """Offer back review steps left in the draft by a session that stopped before saving."""
        draft = self.session.review_recovery()
        if draft is None:
            return
        extra = len(draft.review.entries) - len(self.session.report.review.entries)
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "Recover unsaved review steps?",
                Content.assemble(
                    "The last review of ",
                    self.session.path.name,
                    f" ended without saving. Its draft holds {extra} review step(s) that the"
                    " report does not.",
                ),
                [
                    Choice("r", "Recover them", "recover", "primary"),
                    Choice("escape", "Start from the saved report", "cancel"),
                ],
            )
        )
        if answer == "recover":
            self.session.take_review(draft)
            self.notify(f"Recovered {extra} review step(s); ctrl+s saves them.", markup=False)
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    @property
    def criterion(self) -> Criterion:
        return self.session.criteria.criteria[self.index]

    # --- drawing -------------------------------------------------------------------------------

    def show_criterion(self, index: int) -> None:
        """Show criterion number `index` (0-based) with its answer and thread."""
        criteria = self.session.criteria
        self.index = max(0, min(index, len(criteria.criteria) - 1))
        self.query_one("#review-answer", VerticalScroll).scroll_home(animate=False)
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw everything from the session (after a step, a save or a jump)."""
        criteria = self.session.criteria
        report = self.session.report
        criterion = self.criterion
        reviews = review.review_state(report)
        pillar = criteria.pillar(criterion.pillar)
        self.query_one("#topbar", Static).update(topbar_content(self.session, "review"))
        self.query_one("#review-head", Static).update(
            Content.assemble(
                (one_line(pillar.title), "bold"),
                f" · {self.index + 1} of {len(criteria.criteria)} · ",
                state_words(reviews.get(criterion.id)),
            )
        )
        self.query_one("#review-title", Static).update(
            Content.styled(one_line(criterion.title), "bold")
        )
        self.query_one("#review-question", Static).update(clean(criterion.question))
        answer = report.answer(criterion.id)
        chosen = answer.level if answer and answer.status is AnswerStatus.LEVEL else None
        gate_level = criterion.gate.level if criterion.gate else None
        self.query_one("#review-rubric", Static).update(
            Group(
                *(
                    level_prompt(criterion, i, level.id == chosen, gate_level)
                    for i, level in enumerate(criterion.levels)
                )
            )
        )
        self.query_one("#review-given", Static).update(self._given(criterion))
        self.query_one("#review-positions", PositionsView).follow(report, criterion)
        self.query_one("#review-thread", ThreadView).show(reviews.get(criterion.id), report)
        self.query_one("#review-signoff", Static).update(
            Content.assemble(("Sign-off: ", "bold"), signoff_content(report))
        )

    def _given(self, criterion: Criterion) -> Content:
        answer = self.session.report.answer(criterion.id)
        if answer is None:
            return Content.assemble(("Answer: ", "bold"), "none (the assessor left it unanswered)")
        if answer.status is AnswerStatus.LEVEL and answer.level is not None:
            index = criterion.level_index(answer.level)
            given = f"{one_line(criterion.levels[index].label)} (level {index + 1} of"
            given += f" {len(criterion.levels)})"
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            given = "not applicable. Reason: " + one_line(answer.reason)
        else:
            given = "unknown (the draft is silent or unclear)"
        parts: list[str | tuple[str, str]] = [
            ("Answer: ", "bold"),
            given,
            f" · confidence {confidence_word(answer)}" if confidence_word(answer) else "",
            ("\nRationale: ", "bold"),
            clean(answer.rationale) if answer.rationale.strip() else "(none given)",
            ("\nEvidence:", "bold"),
        ]
        if answer.evidence:
            for quote in answer.evidence:
                parts += ["\n  › ", one_line(quote)]
        # Quotes anchored in the attached draft, with their unit and where they stand.
        for anchored in answer.quotes or []:
            parts += [
                f"\n  › {one_line(anchored.unit)} ({anchored.status.value}): ",
                one_line(anchored.text),
            ]
        if answer.recheck:
            parts += [("\nTo re-check: ", "bold"), one_line(answer.recheck)]
        if not answer.evidence and not answer.quotes:
            parts.append(" (no quotes from the draft)")
        return Content.assemble(*parts)

    # --- steps ---------------------------------------------------------------------------------

    def _step(self, make: Callable[[Report], Report], then_next: bool = False) -> bool:
        try:
            self.session.add_review(make)
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=8)
            return False
        if then_next and self.index + 1 < len(self.session.criteria.criteria):
            self.show_criterion(self.index + 1)
        else:
            self.refresh_view()
            if then_next:
                self.notify("Last criterion: f signs off, ctrl+s saves.", markup=False)
        return True

    def _ask(self, title: str, prompt: str, required: bool, done: Callable[[Note], None]) -> None:
        def answered(note: Note | None) -> None:
            if note is not None:
                self.reviewer = note.author
                done(note)

        screen = NoteScreen(
            title, self.criterion.title, prompt, author=self.reviewer, required=required
        )
        self.app.push_screen(screen, answered)

    def action_accept(self) -> None:
        cid = self.criterion.id
        if disagreement(self.session.report, cid) is not None:
            self.notify("The assessors disagree on this criterion: r adjudicates it.", markup=False)
            return
        if not self.reviewer:
            self._ask(
                "Accept",
                "Who accepts this answer? A comment is optional.",
                False,
                lambda note: self._accept(cid, note.author, note.text),
            )
            return
        self._accept(cid, self.reviewer, "")

    def _accept(self, cid: str, author: str, text: str) -> None:
        self._step(lambda r: review.accept(r, author, cid, text), then_next=True)

    def action_dispute(self) -> None:
        cid = self.criterion.id
        self._ask(
            "Dispute",
            "What is wrong with this answer, and what would be right? The assessor sees this"
            " when opening the report.",
            True,
            lambda note: self._step(
                lambda r: review.dispute(r, note.author, cid, note.text, criteria=self._criteria),
                then_next=True,
            ),
        )

    def action_comment(self) -> None:
        cid = self.criterion.id
        self._ask(
            "Comment",
            "A remark on this answer; it does not change its review state.",
            True,
            lambda note: self._step(
                lambda r: review.comment(r, note.author, note.text, cid, criteria=self._criteria)
            ),
        )

    def action_resolve(self) -> None:
        cid = self.criterion.id
        if adjudicate_on(self, self.session, self.criterion, self.reviewer, self._ruled):
            return
        self._ask(
            "Resolve the dispute",
            "Close the open dispute on this answer (e.g. the assessor's change settles it).",
            False,
            lambda note: self._step(lambda r: review.resolve(r, note.author, cid, note.text)),
        )

    def _ruled(self, ruling: Ruling) -> None:
        self.reviewer = ruling.author
        self.refresh_view()

    @property
    def _criteria(self) -> CriteriaSet:
        return self.session.criteria

    def action_finish(self) -> None:
        self.finish_flow()

    @work(group="signoff")
    async def finish_flow(self) -> None:
        """Sign off: the dialog, then, for an approval over accepts of answers changed since
        (stale), a question first, since `verify` reports such an approval."""
        report = self.session.report
        counts = review.summary(report).states
        pending = review.open_disputes(report)
        unreviewed = len(self.session.criteria.criteria) - counts["accepted"]
        unreviewed -= counts["disputed"] + counts["resolved"]
        summary = Content(
            f"{counts['accepted']} accepted, {counts['disputed']} disputed (open:"
            f" {len(pending)}), {counts['resolved']} resolved, {unreviewed} unreviewed."
            + (" An approval needs every dispute resolved." if pending else "")
        )

        def check(signoff: SignOff) -> list[str]:
            try:
                review.sign_off(self.session.report, signoff.author, signoff.decision, signoff.text)
            except GuaranteekitError as exc:
                return exc.problems
            return []

        signoff = await self.app.push_screen_wait(SignOffScreen(summary, self.reviewer, check))
        if signoff is None:
            return
        self.reviewer = signoff.author
        stale = self._stale_accepts()
        if signoff.decision is SignoffDecision.APPROVED and stale:
            titles = ", ".join(short(self._criteria.criterion(cid).title, 30) for cid in stale)
            answer = await self.app.push_screen_wait(
                ChoiceScreen(
                    "Approve over stale accepts?",
                    Content(
                        f"{len(stale)} answer(s) changed after you accepted them: {titles}. An"
                        " approval now does not cover them as they are, and verify reports it"
                        " (signoff-stale). Look at them again (the jump list marks them stale),"
                        " or approve anyway?"
                    ),
                    [
                        Choice("j", "Look at them", "look", "primary"),
                        Choice("a", "Approve anyway", "approve", "warning"),
                        Choice("escape", "Cancel", "cancel"),
                    ],
                )
            )
            if answer == "look":
                self.show_criterion(self._index_of(stale[0]))
                return
            if answer != "approve":
                return
        if self._step(lambda r: review.sign_off(r, signoff.author, signoff.decision, signoff.text)):
            decision = signoff.decision.value.replace("_", " ")
            self.notify(f"Signed off: {decision}. ctrl+s saves the report.", markup=False)

    def _stale_accepts(self) -> list[str]:
        """Criteria accepted (or resolved) on an earlier version of their answer."""
        return [
            cid
            for cid, found in review.review_state(self.session.report).items()
            if found.stale and found.state in (review.State.ACCEPTED, review.State.RESOLVED)
        ]

    def _index_of(self, criterion_id: str) -> int:
        return [c.id for c in self._criteria.criteria].index(criterion_id)

    # --- navigation ----------------------------------------------------------------------------

    def action_next(self) -> None:
        if self.index + 1 < len(self.session.criteria.criteria):
            self.show_criterion(self.index + 1)
        else:
            self.notify("Last criterion: f signs off, ctrl+s saves.", markup=False)

    def action_previous(self) -> None:
        if self.index > 0:
            self.show_criterion(self.index - 1)

    def action_jump(self) -> None:
        def done(index: int | None) -> None:
            if index is not None:
                self.show_criterion(index)

        self.app.push_screen(
            ReviewJumpScreen(self.session.criteria, self.session.report, self.index), done
        )
