"""Widgets shared by the screens: the live score panel and the rubric list.

Every string that comes from a file (package names, criteria text, answers) reaches the screen as
`Content(text)` or `rich.text.Text(text)`, never as markup, so `[@click=app.quit]` in a package name
is shown as typed. Meaning is carried by words and glyphs (FIRES, open, (•)), colour only repeats it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.widgets import OptionList, RadioButton, Static
from textual.widgets.option_list import Option

from guaranteekit.formats.models import Answer, AnswerStatus, CriteriaSet, Criterion, Results
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.messages import CHOICE_NOT_APPLICABLE, CHOICE_UNKNOWN, LevelChosen

BAR_FULL = "█"
BAR_EMPTY = "░"


def bar(score: float | None, width: int) -> str:
    """`█████░░░░░` for a 0-100 score; all empty for None."""
    if score is None:
        return BAR_EMPTY * width
    filled = max(0, min(width, round(score / 100 * width)))
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def fmt(score: float | None) -> str:
    """`52.5`, or `--` when there is no score yet."""
    return "--" if score is None else f"{score:.1f}"


def short(text: str, width: int) -> str:
    """One line of file text, cut to `width` cells with an ellipsis."""
    line = one_line(text)
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"


def status_of(answer: Answer | None) -> str:
    """A word for how a criterion stands: `done`, `todo`, `n/a` or `unknown`."""
    if answer is None:
        return "todo"
    if answer.status is AnswerStatus.NOT_APPLICABLE:
        return "n/a"
    if answer.status is AnswerStatus.UNKNOWN:
        return "unknown"
    return "done"


STATUS_MARK = {"done": "✓", "todo": "·", "n/a": "–", "unknown": "?"}


def verdict_lines(criteria: CriteriaSet, results: Results) -> list[Content]:
    """Verdict and score (or provisional range), as the score panel and the summary show them."""
    band = criteria.band(results.verdict)
    lines = [Content.assemble(("Verdict ", "bold"), (one_line(band.label), "bold reverse"))]
    if results.score is not None:
        lines.append(Content.assemble(("Score   ", "bold"), f"{results.score:.1f} / 100"))
    if results.provisional or results.low != results.high:
        label = "Provisional" if results.provisional else "Range"
        lines.append(Content(f"{label} {results.low:.1f}–{results.high:.1f}"))
    if results.verdict_low != results.verdict_high:
        low = one_line(criteria.band(results.verdict_low).label)
        high = one_line(criteria.band(results.verdict_high).label)
        lines.append(Content(f"could be {low} … {high}"))
    if results.verdict != results.uncapped_verdict:
        uncapped = one_line(criteria.band(results.uncapped_verdict).label)
        lines.append(Content(f"capped by a gate (else {uncapped})"))
    return lines


class ScorePanel(Static):
    """The live score: verdict, score or provisional range, a bar per pillar, the gates that fire."""

    DEFAULT_CSS = """
    ScorePanel { height: auto; }
    """

    def __init__(self, criteria: CriteriaSet, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.criteria = criteria
        self.last: Results | None = None

    def show(self, results: Results) -> None:
        """Redraw for new results."""
        self.last = results
        width = self.content_region.width if self.is_mounted else 0
        self.update(self.render_results(results, max(width, 24)))

    def on_resize(self) -> None:
        if self.last is not None:
            self.update(self.render_results(self.last, max(self.content_region.width, 24)))

    def render_results(self, results: Results, width: int) -> Content:
        """The panel's text for `results` at `width` cells.

        Gates come before pillars: a gate that fires caps the verdict, so it must stay in view even
        on a small terminal where the pillar list may have to scroll.
        """
        criteria = self.criteria
        lines: list[Content] = verdict_lines(criteria, results)
        total = len(criteria.criteria)
        lines.append(Content(f"Answered {total - len(results.unanswered)} of {total}"))
        lines.append(Content(""))
        lines.append(Content.styled("Gates", "bold underline"))
        if not results.gates_fired and not results.gates_open:
            lines.append(Content("none fires"))
        for cid in results.gates_fired:
            criterion = criteria.criterion(cid)
            lines.append(
                Content.assemble(("✗ FIRES ", "bold $error"), short(criterion.title, width - 8))
            )
        if results.gates_open:
            count = len(results.gates_open)
            lines.append(
                Content.styled(
                    f"? {count} open (not answered yet)"
                    if count > 1
                    else "? 1 open: "
                    + short(criteria.criterion(results.gates_open[0]).title, width - 10),
                    "dim",
                )
            )
        lines.append(Content(""))
        lines.append(Content.styled("Pillars", "bold underline"))
        name_width = max(8, width - 16)
        bar_width = max(4, width - name_width - 6)
        by_pillar = {p.pillar: p for p in results.pillars}
        for pillar in criteria.pillars:
            result = by_pillar.get(pillar.id)
            score = result.score if result else None
            lines.append(
                Content.assemble(
                    short(pillar.title, name_width).ljust(name_width),
                    " ",
                    (bar(score, bar_width), "$accent" if score is not None else "dim"),
                    " ",
                    f"{score:4.0f}" if score is not None else "  --",
                )
            )
        return Content("\n").join(lines)


class MarkedRadioButton(RadioButton):
    """A radio button whose dot is drawn only when it is on: the choice reads without colour."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


def level_prompt(criterion: Criterion, index: int, chosen: bool, gate_level: str | None) -> Table:
    """One rubric level as an option: mark, number, label and the full description, wrapped."""
    level = criterion.levels[index]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=5, no_wrap=True)
    grid.add_column(ratio=1)
    mark = Text("(•)" if chosen else "( )", style="bold" if chosen else "")
    mark.append(f"{index + 1:>2}" if index < 9 else "  ")
    body = Text()
    body.append(clean(level.label), style="bold")
    if chosen:
        body.append("  ← chosen", style="bold")
    if gate_level == level.id:
        body.append("  ⚑ gate passes from here", style="italic")
    body.append("\n")
    body.append(clean(level.description))
    grid.add_row(mark, body)
    return grid


def hanging(prefix: Content, blocks: list[Content], width: int) -> Content:
    """`prefix` then `blocks`, wrapped to `width` cells with every further line indented under the
    first: the rubric's `( ) 2 Label` with its description aligned beside the mark."""
    indent = prefix.cell_length
    room = max(12, width - indent)
    lines = [line for block in blocks for line in block.wrap(room)] or [Content("")]
    pad = Content(" " * indent)
    return Content("\n").join(
        [Content.assemble(prefix, lines[0]), *(Content.assemble(pad, line) for line in lines[1:])]
    )


def _mark(chosen: bool, key: str) -> Content:
    return Content.assemble(("(•)" if chosen else "( )", "bold" if chosen else ""), f"{key:>2} ")


def level_content(
    criterion: Criterion, index: int, chosen: bool, gate_level: str | None, width: int
) -> Content:
    """One rubric level as the rubric list shows it (Content, much cheaper to draw than a table)."""
    level = criterion.levels[index]
    head = Content.assemble(
        (clean(level.label), "bold"),
        ("  ← chosen", "bold") if chosen else "",
        ("  ⚑ gate passes from here", "italic") if gate_level == level.id else "",
    )
    key = str(index + 1) if index < 9 else ""
    return hanging(_mark(chosen, key), [head, Content(clean(level.description))], width)


def extra_content(chosen: bool, key: str, label: str, note: str, width: int) -> Content:
    """Not applicable or unknown, after the levels."""
    head = Content.assemble(
        (label, "bold" if chosen else ""), ("  ← chosen", "bold") if chosen else ""
    )
    blocks = [head, Content(clean(note))] if note else [head]
    return hanging(_mark(chosen, key), blocks, width)


class RubricList(OptionList):
    """The rubric of one criterion, weakest level first, with not applicable and unknown after it.

    Arrows move the highlight, Enter chooses; the screen maps number keys to levels. Inside a scrolling
    pane, the highlighted level is also scrolled into the pane's view.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.criterion: Criterion | None = None
        self._answer: Answer | None = None
        self._width = 0
        self._quiet = False

    def _prompt_width(self) -> int:
        width = self.scrollable_content_region.width
        # Before the first layout: an estimate (the score panel takes about 36 cells).
        return width if width > 0 else max(40, self.app.size.width - 36)

    def on_resize(self) -> None:
        # Levels are wrapped to the width, so a new width means new prompts.
        if self.criterion is not None and self._prompt_width() != self._width:
            self.show(self.criterion, self._answer)
            self.call_after_refresh(self.refresh, layout=True)  # wrapped levels: new height

    def show(self, criterion: Criterion, answer: Answer | None) -> None:
        """Show a criterion's rubric with the current answer marked.

        Re-showing the same criterion (after a change) keeps the highlight where the analyst left it.
        """
        same = self.criterion is criterion and self.highlighted is not None
        keep = self.highlighted
        self.criterion = criterion
        self._answer = answer
        self._width = width = self._prompt_width()
        gate_level = criterion.gate.level if criterion.gate else None
        chosen_level = answer.level if answer and answer.status is AnswerStatus.LEVEL else None
        options: list[Option] = []
        highlight = 0
        for index, level in enumerate(criterion.levels):
            chosen = level.id == chosen_level
            if chosen:
                highlight = index
            options.append(
                Option(
                    level_content(criterion, index, chosen, gate_level, width),
                    id=f"level:{level.id}",
                )
            )
        is_na = answer is not None and answer.status is AnswerStatus.NOT_APPLICABLE
        is_unknown = answer is not None and answer.status is AnswerStatus.UNKNOWN
        options.append(
            Option(
                extra_content(
                    is_na,
                    "x",
                    "Not applicable",
                    f"Reason: {answer.reason}" if is_na and answer else "",
                    width,
                ),
                id=CHOICE_NOT_APPLICABLE,
            )
        )
        options.append(
            Option(
                extra_content(
                    is_unknown, "u", "Unknown: the draft is silent or unclear", "", width
                ),
                id=CHOICE_UNKNOWN,
            )
        )
        if is_na:
            highlight = len(criterion.levels)
        elif is_unknown:
            highlight = len(criterion.levels) + 1
        self._quiet = True  # a redraw must not scroll the pane: only the analyst's moves do
        try:
            self.set_options(options)
            self.highlighted = keep if same else highlight
        finally:
            self._quiet = False

    def watch_highlighted(self, highlighted: int | None) -> None:
        # Only a move of the highlight scrolls the pane: showing, resizing or redrawing must not
        # carry the analyst away from the question at the top.
        super().watch_highlighted(highlighted)
        if not self._quiet:
            self.call_after_refresh(self._scroll_pane)

    def _scroll_pane(self) -> None:
        parent = self.parent
        if self.highlighted is None or parent is None or not self.is_mounted:
            return
        try:
            y = self._index_to_line[self.highlighted]
            height = self._heights[self.highlighted]
        except KeyError:
            return
        region = Region(0, self.virtual_region.y + y, 1, height)
        parent.scroll_to_region(region, animate=False, immediate=True, force=True)  # type: ignore[attr-defined]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.criterion is None or event.option.id is None:
            return
        choice = event.option.id.removeprefix("level:")
        self.post_message(LevelChosen(self.criterion.id, choice))
