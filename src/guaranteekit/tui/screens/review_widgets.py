"""Pieces of the review trail shared by the reviewer's screen and the assessor's criterion screen.

The thread of one criterion, the words for review states, the notice an assessor gets when a
report has open disputes, and the modal that asks for a comment (with the author's name). The
state comes from `guaranteekit.review.trail`; nothing here decides it. Text from the trail is data: it
reaches the screen as `Content(text)`, never as markup, and states are words and glyphs (colour
only repeats them). The trail's module is imported where a trail is shown, so a report without
one opens without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import CriteriaSet, Criterion, Report, ReviewEntry, ReviewKind
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.session import Session

if TYPE_CHECKING:
    from guaranteekit.review.trail import CriterionReview

STATE_MARK = {"unreviewed": "·", "accepted": "✓", "disputed": "✗", "resolved": "↺"}
"""Glyphs of the review states (`guaranteekit.review.trail.State`), always shown with the word."""

KIND_WORD = {
    ReviewKind.ACCEPT: "accepted",
    ReviewKind.DISPUTE: "disputed",
    ReviewKind.REPLY: "replied",
    ReviewKind.RESOLVE: "resolved",
    ReviewKind.COMMENT: "commented",
    ReviewKind.SIGNOFF: "signed off",
}


def state_words(review: CriterionReview | None) -> str:
    """`✓ accepted`, `✗ disputed`, `· unreviewed`, `↺ resolved`, with `, stale` when the entry that
    set the state was made on an earlier version of this answer."""
    if review is None:
        return f"{STATE_MARK['unreviewed']} unreviewed"
    words = f"{STATE_MARK[review.state]} {review.state.value}"
    return words + ", stale" if review.stale else words


def stale_warning(review: CriterionReview | None) -> str:
    """A sentence saying what a stale state means, or `` when the state is current."""
    if review is None or not review.stale:
        return ""
    what = {
        "accepted": "it was accepted",
        "disputed": "it was disputed",
        "resolved": "the dispute was resolved",
    }.get(review.state, "this entry was made")
    return f"⚠ stale: this answer changed after {what}; look at it again" + (
        " and accept or resolve it" if review.state == "disputed" else " and accept it"
    )


def entry_content(entry: ReviewEntry, report: Report) -> Content:
    """One entry of a thread: what, who, when, whether stale, then its text on the next line."""
    head = KIND_WORD[entry.kind]
    if entry.decision is not None:
        head += ": " + entry.decision.value.replace("_", " ")
    parts: list[str | tuple[str, str] | Content] = [
        (head, "bold"),
        " · ",
        one_line(entry.author),
        " · ",
        entry.at.strftime("%Y-%m-%d %H:%M UTC"),
    ]
    from guaranteekit.review.trail import is_stale

    if is_stale(entry, report):
        parts.append(("  (on an earlier answer)", "italic"))
    if entry.text:
        parts += ["\n  ", clean(entry.text).replace("\n", "\n  ")]
    return Content.assemble(*parts)


def thread_content(thread: tuple[ReviewEntry, ...] | list[ReviewEntry], report: Report) -> Content:
    """A criterion's thread, oldest first, or a line saying there is none."""
    if not thread:
        return Content("No review entries yet.")
    return Content("\n").join(entry_content(entry, report) for entry in thread)


def signoff_content(report: Report) -> Content:
    """The latest sign-off in a line, with a warning when the answers changed after it."""
    from guaranteekit.review.trail import signoff_status

    status = signoff_status(report)
    entry = status.entry
    if entry is None:
        return Content("Not signed off yet.")
    decision = entry.decision.value.replace("_", " ") if entry.decision else ""
    parts: list[str | tuple[str, str]] = [
        (decision.capitalize(), "bold"),
        " by ",
        one_line(entry.author),
        " on ",
        entry.at.strftime("%Y-%m-%d %H:%M UTC"),
    ]
    if status.stale:
        parts.append(
            (
                "\n⚠ stale: the answers changed after this sign-off; it does not cover them",
                "bold",
            )
        )
    return Content.assemble(*parts)


def dispute_notice(report: Report, criteria: CriteriaSet) -> str | None:
    """For the assessor: which criteria a reviewer disputes and how to answer, or None."""
    if not report.review.entries:
        return None
    from guaranteekit.review.trail import open_disputes

    pending = open_disputes(report)
    if not pending:
        return None
    titles: list[str] = []
    for _, entry in pending:
        cid = entry.criterion or ""
        try:
            title = one_line(criteria.criterion(cid).title)
        except KeyError:
            title = cid
        if title not in titles:
            titles.append(title)
    return (
        f"{len(pending)} open dispute(s) from the review: {'; '.join(titles)}. The thread is shown"
        " on each criterion; press r there to reply."
    )


class ThreadView(Static):
    """The review thread of one criterion (the assessor's criterion screen shows it too)."""

    DEFAULT_CSS = """
    ThreadView { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)

    def show(self, review: CriterionReview | None, report: Report, hint: str = "") -> None:
        """Show a criterion's review state, any stale warning, and its thread."""
        lines = [Content.assemble(("Review: ", "bold"), state_words(review))]
        if warning := stale_warning(review):
            lines.append(Content.styled(warning, "bold"))
        lines.append(thread_content(review.thread if review else (), report))
        if hint:
            lines.append(Content.styled(hint, "dim"))
        self.update(Content("\n").join(lines))

    def follow(self, session: Session, criterion_id: str) -> None:
        """On the assessor's screen: show the criterion's thread, hidden when it has none (so
        reports without a review look as before)."""
        report = session.report
        if not report.review.entries:
            self.display = False
            return
        from guaranteekit.review.trail import review_state

        found = review_state(report).get(criterion_id)
        self.display = found is not None and bool(found.thread)
        if self.display:
            self.show(found, report, hint="r: reply in this thread")


@dataclass(frozen=True, slots=True)
class Note:
    """What the note dialog returns: who wrote it and what they said."""

    author: str
    text: str


class NoteScreen(ModalScreen[Note | None]):
    """Ask for a comment (required or not) and the author's name; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        about: str,
        prompt: str,
        *,
        author: str = "",
        required: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.prompt = prompt
        self.author = author
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble(self.title_text, ": ", (one_line(self.about), "bold")),
                classes="dialog-title",
            )
            yield Static(self.prompt, classes="dialog-message", markup=False)
            yield Input(
                placeholder="comment (required)" if self.required else "comment (optional)",
                id="note-text",
                select_on_focus=False,
            )
            yield Label("Your name", classes="field-label", markup=False)
            yield Input(
                self.author,
                placeholder="name recorded in the trail",
                id="note-author",
                select_on_focus=False,
            )
            yield Static("", id="note-problem", classes="problem", markup=False)
            yield Static(
                "Enter to confirm · Tab to the name · Escape to cancel",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#note-text", Input).value.strip()
        author = one_line(self.query_one("#note-author", Input).value)
        problem = self.query_one("#note-problem", Static)
        if self.required and not text:
            problem.update("✗ a comment is required: say what is wrong and why")
            self.query_one("#note-text", Input).focus()
        elif not author:
            problem.update("✗ your name is required: it is recorded in the review trail")
            self.query_one("#note-author", Input).focus()
        else:
            self.dismiss(Note(author, text))

    def action_cancel(self) -> None:
        self.dismiss(None)


def reply_to(screen: Screen, session: Session, criterion: Criterion) -> None:
    """The assessor's reply in a criterion's thread: ask the text and name, then record it.

    The reply stays in the trail; it does not close a dispute (the reviewer resolves it).
    """
    from guaranteekit.review import trail as review

    found = review.review_state(session.report).get(criterion.id)
    if found is None or not found.thread:
        screen.notify(
            "Nothing to reply to: this criterion has no review thread.",
            severity="warning",
            markup=False,
        )
        return
    if session.read_only:
        screen.notify("This report is open read-only.", severity="warning", markup=False)
        return
    cid = criterion.id

    def done(note: Note | None) -> None:
        if note is None:
            return
        try:
            session.add_review(lambda report: review.reply(report, note.author, cid, note.text))
        except GuaranteekitError as exc:
            for line in exc.problems:
                screen.notify(line, severity="error", markup=False, timeout=8)
            return
        screen.notify("Reply recorded; ctrl+s saves it in the report.", markup=False)
        refresh = getattr(screen, "refresh_view", None)
        if refresh is not None:
            refresh()

    screen.app.push_screen(
        NoteScreen(
            "Reply",
            criterion.title,
            "Your answer to the review of this criterion (e.g. what you changed, or why the answer"
            " stands). It stays in the trail; the reviewer resolves the dispute.",
            author=session.report.provenance.assessor,
        ),
        done,
    )
