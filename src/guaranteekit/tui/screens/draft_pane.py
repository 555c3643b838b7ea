"""The draft beside the rubric: the attached draft's passages, for the criterion being answered.

A full screen over the assessment (`d` opens it from a criterion and closes it again; Escape too),
so it reads the same on an 80x24 terminal as on a wide one. The passages holding the criterion's
`look_for` terms come first, highlighted, then the whole draft in reading order, each with its
unit and page. `/` searches (the list shows only the passages holding the words typed, with the
words highlighted); Enter quotes the highlighted passage as anchored evidence of the answer, or
unquotes it when it is quoted already, in whole or in part (marked ✓).

With no draft attached, the screen asks for the path of one and attaches it. Every change goes
through the `Session`; passages and matches come from `guaranteekit.drafts.passages`. Draft text is
file text: it reaches the screen as `Content`, never as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.drafts.anchor import DraftText
from guaranteekit.drafts.passages import Passage, matching, passages, term_spans
from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import Answer, Criterion, QuoteStatus
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.rubric import hanging
from guaranteekit.tui.session import Session

SEARCH_DELAY = 0.25
"""Seconds of typing pause after which the search is run."""

PAGE = 100
"""Passages on the list at a time: a long draft has thousands, and every one on the list is
measured when the list is drawn; `▲`/`▼` entries show the ones before and after."""

LABEL_WIDTH = 16
"""Cells for `✓ Point 12 p.34` (and a space) before each passage's text."""


def passage_content(
    text: str, label: str, quoted: bool, terms: list[str], search: str, width: int
) -> Content:
    """One passage as the list shows it: mark, unit and page, then the text with the look-for
    terms in reverse video and the search words underlined (meaning not carried by colour)."""
    flat = one_line(text)
    body = Content(flat)
    for start, end in term_spans(flat, terms):
        body = body.stylize("reverse", start, end)
    if search.strip():
        for start, end in term_spans(flat, [search]):
            body = body.stylize("bold underline", start, end)
    prefix = Content.assemble(("✓ " if quoted else "  ", "bold"), label.ljust(LABEL_WIDTH - 3), " ")
    return hanging(prefix, [body], width)


class DraftScreen(Screen[None]):
    """The attached draft, its passages for one criterion, and quoting them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("d", "close", "Close draft"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("ctrl+s", "app.save", "Save", priority=True),
    ]

    def __init__(self, session: Session, criterion: Criterion) -> None:
        super().__init__()
        self.session = session
        self.criterion = criterion
        self.searched = ""
        self._text: DraftText | None = None
        self._items: list[Passage] = []
        """Every passage of the draft."""
        self._matches: list[Passage] = []
        """The passages holding the criterion's look-for terms."""
        self._shown: list[Passage] = []
        """The passages the search leaves (all of them without a search)."""
        self._offset = 0
        """The first of `_shown` on the list (a page of `PAGE` at a time)."""
        self._by_id: dict[str, Passage] = {}
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="draft-head", markup=False)
        yield Input(placeholder="Search the draft", id="draft-search", compact=True)
        yield Input(
            placeholder="No draft attached: its path (.txt, .md, .pdf, .docx), then Enter",
            id="draft-attach",
            compact=True,
        )
        yield OptionList(id="draft-passages", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    @property
    def terms(self) -> list[str]:
        return list(self.criterion.look_for or [])

    def _load(self) -> None:
        """Read the passages of the attached draft (or ask for one) and draw them."""
        attached = self.session.report.draft is not None
        self.query_one("#draft-attach", Input).display = not attached
        self.query_one("#draft-search", Input).display = attached
        text = None
        if attached:
            try:
                text = self.session.attached_text()
            except GuaranteekitError as exc:
                for line in exc.problems:
                    self.notify(line, severity="error", markup=False, timeout=10)
        self._text = text
        self._items = passages(text) if text is not None else []
        self._matches = matching(text, self._items, self.terms) if text is not None else []
        self._shown = self._items
        self._offset = 0
        self.fill()
        if not attached:
            self.query_one("#draft-attach", Input).focus()
        else:
            self.query_one("#draft-passages", OptionList).focus()

    def _quoted(self, passage: Passage) -> list[tuple[int, int]]:
        """The spans of the answer's quotes that overlap `passage`."""
        answer = self.session.answer(self.criterion.id)
        spans = [(q.start, q.end) for q in (answer.quotes or [])] if answer else []
        return [
            (start, end)
            for start, end in spans
            if start is not None and end is not None and start < passage.end and passage.start < end
        ]

    def on_resize(self) -> None:
        # Passages are wrapped to the list's width.
        if self.is_mounted:
            self.call_after_refresh(self.fill)

    def fill(self, highlight: str | None = None) -> None:
        """Draw the list: matches for the criterion first, then the draft (or the search hits),
        `PAGE` passages at a time; `highlight` names the option to highlight (else the one that
        was, else the first passage)."""
        text = self._text
        listing = self.query_one("#draft-passages", OptionList)
        keep = listing.highlighted
        width = listing.scrollable_content_region.width or self.app.size.width - 4
        width = max(30, width - 1)
        options: list[Option | None] = []
        self._by_id = {}
        shown = self._shown

        def add(prefix: str, index: int, passage: Passage) -> None:
            option_id = f"{prefix}{index}"
            self._by_id[option_id] = passage
            label = passage.unit + (f" p.{passage.page}" if passage.page else "")
            content = passage_content(
                text.text[passage.start : passage.end],  # type: ignore[union-attr]
                label,
                bool(self._quoted(passage)),
                self.terms,
                self.searched,
                width,
            )
            options.append(Option(content, id=option_id))

        if self._matches and not self.searched.strip():
            looked = ", ".join(one_line(t) for t in self.terms)
            options.append(
                Option(
                    Content.styled(f"For this criterion ({len(self._matches)}): {looked}", "bold"),
                    disabled=True,
                )
            )
            for index, passage in enumerate(self._matches[:PAGE]):
                add("m", index, passage)
            if len(self._matches) > PAGE:
                more = len(self._matches) - PAGE
                options.append(
                    Option(
                        f"… {more} more hold these terms: / search to narrow them", disabled=True
                    )
                )
            options.append(None)
        if text is not None:
            heading = (
                f"Passages with “{one_line(self.searched)}” ({len(shown)})"
                if self.searched.strip()
                else f"The whole draft ({len(shown)} passages)"
            )
            options.append(Option(Content.styled(heading, "bold"), disabled=True))
        offset = self._offset
        if offset > 0:
            options.append(Option(f"▲ the {offset} passages before these (Enter)", id="earlier"))
        for index in range(offset, min(len(shown), offset + PAGE)):
            add("p", index, shown[index])
        if offset + PAGE < len(shown):
            later = len(shown) - offset - PAGE
            options.append(Option(f"▼ {later} more passages (Enter)", id="later"))
        listing.set_options(options)  # type: ignore[arg-type]
        first = next(
            (i for i, o in enumerate(options) if o is not None and o.id in self._by_id), None
        )
        if highlight is not None and highlight in (o.id for o in options if o is not None):
            listing.highlighted = listing.get_option_index(highlight)
        elif (
            keep is not None
            and keep < listing.option_count
            and not listing.get_option_at_index(keep).disabled
        ):
            listing.highlighted = keep
        else:
            listing.highlighted = first
        self._draw_head(text is not None, len(self._matches))

    def _draw_head(self, attached: bool, matches: int) -> None:
        draft = self.session.report.draft
        answer = self.session.answer(self.criterion.id)
        parts: list[str | tuple[str, str] | Content] = [("Draft ", "bold")]
        if draft is not None and attached:
            pages = f" · {draft.pages} pages" if draft.pages else ""
            parts += [clean(draft.file), f" · {len(draft.units)} units{pages}"]
        else:
            parts.append("none attached")
        parts += ["\n", ("For ", "bold"), one_line(self.criterion.title)]
        if answer is None:
            parts.append(" · choose a level first, then quote")
        else:
            count = len(answer.quotes or [])
            parts.append(f" · {count} quote{'s' if count != 1 else ''}; Enter quotes or unquotes")
        if self.terms and attached and not matches:
            parts.append(" · no passage holds its look-for terms")
        self.query_one("#draft-head", Static).update(Content.assemble(*parts))

    # --- actions -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#draft-passages")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in ("earlier", "later"):
            step = PAGE if event.option.id == "later" else -PAGE
            self._offset = max(0, self._offset + step)
            edge = self._offset if step > 0 else min(len(self._shown), self._offset + PAGE) - 1
            self.fill(highlight=f"p{edge}")
            return
        passage = self._by_id.get(event.option.id or "")
        if passage is None or self.session.read_only:
            return
        criterion = self.criterion.id
        try:
            if quoted := self._quoted(passage):
                for start, end in quoted:
                    self.session.remove_quote(criterion, start, end)
                self.notify(f"Quote from {passage.unit} removed.", markup=False)
            else:
                quote = self.session.add_quote(criterion, passage.start, passage.end)
                self.notify(
                    f"Quoted {quote.unit} for {one_line(self.criterion.title)}.", markup=False
                )
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="warning", markup=False, timeout=8)
            return
        self.fill()

    @on(Input.Changed, "#draft-search")
    def _typed(self, event: Input.Changed) -> None:
        # The list is redrawn once typing pauses (or at Enter), not on every key: a long draft
        # takes a moment to search and draw.
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    def _apply_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        value = self.query_one("#draft-search", Input).value
        if value == self.searched:
            return
        self.searched = value
        text = self._text
        found = text is not None and bool(value.strip())
        self._shown = matching(text, self._items, [value]) if found else self._items  # type: ignore[arg-type]
        self._offset = 0
        self.fill()

    @on(Input.Submitted, "#draft-search")
    def _search_done(self, event: Input.Submitted) -> None:
        self._apply_search()
        self.query_one("#draft-passages", OptionList).focus()

    @on(Input.Submitted, "#draft-attach")
    def _attach_typed(self, event: Input.Submitted) -> None:
        from guaranteekit.drafts.read import read_draft

        typed = event.value.strip()
        if not typed:
            return
        path = Path(typed).expanduser()
        if not path.is_absolute():
            path = self.session.path.parent / path
        try:
            self.session.attach_draft(read_draft(path))
        except GuaranteekitError as exc:
            for line in exc.problems:
                self.notify(line, severity="error", markup=False, timeout=10)
            return
        self.notify(f"Attached {path.name}.", markup=False)
        self._load()

    def action_search(self) -> None:
        if self.session.report.draft is not None:
            self.query_one("#draft-search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#draft-search", Input)
        if search.has_focus and search.value:
            search.value = ""  # Escape in the search clears it first
            self._apply_search()
            return
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def quotes_content(answer: Answer | None) -> Content:
    """An answer's re-check note and anchored quotes, as the criterion screen of a report with a
    draft attached shows them under the evidence box, with the key to the draft."""
    lines: list[Content] = []
    if answer is None:
        return Content.styled("d: the draft (choose a level, then quote a passage)", "dim")
    if answer.recheck:
        lines.append(
            Content.assemble(
                ("↻ Re-check: ", "bold"), one_line(answer.recheck), " (c: it still holds)"
            )
        )
    for quote in answer.quotes or []:
        state = quote.status.value
        if quote.status is QuoteStatus.CHANGED and quote.similarity is not None:
            state += f" {quote.similarity:.2f}"
        lines.append(
            Content.assemble(
                ("Quoted ", "bold"),
                one_line(quote.unit),
                f" ({state}): “",
                one_line(quote.text),
                "”",
            )
        )
    lines.append(Content.styled("d: the draft, to quote or unquote a passage", "dim"))
    return Content("\n").join(lines)
