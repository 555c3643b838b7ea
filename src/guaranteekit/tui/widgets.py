"""Widgets shared by the screens: the score panel, the rubric, the confidence choice, the key bar.

Every string that comes from a file (package names, criteria text, answers) reaches the screen as
`Content(text)` or `rich.text.Text(text)`, never as markup, so `[@click=app.quit]` in a package name
is shown as typed. Meaning is carried by words and glyphs (FIRES, open, (•)), colour only repeats it.

The rubric and the confidence choice act on their own keys only while they have the focus, and call
their screen back at once (not through a message), so the key after a level key already finds the
answer changed and the notes boxes ready for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Criterion,
    Results,
)
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.messages import CHOICE_NOT_APPLICABLE, CHOICE_UNKNOWN

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

CONFIDENCES = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


def confidence_word(answer: Answer | None) -> str:
    """`low`, `medium`, `high` or `unset` for an answer at a level; `` for any other."""
    if answer is None or answer.status is not AnswerStatus.LEVEL:
        return ""
    return answer.confidence.value if answer.confidence is not None else "unset"


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


VERDICT_LINES = 5
"""Verdict, score, range, "could be", "capped by a gate": the most `verdict_lines` gives."""


class ScorePanel(Static):
    """The live score: verdict, score or provisional range, a bar per pillar, the gates that fire."""

    DEFAULT_CSS = """
    ScorePanel { height: auto; }
    """

    def __init__(self, criteria: CriteriaSet, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.criteria = criteria
        self.last: Results | None = None
        self._lines = -1

    def show(self, results: Results) -> None:
        """Redraw for new results (a layout only when the number of lines changes: the panel's
        size is its column's, so a new score alone is a repaint)."""
        self.last = results
        width = self.content_region.width if self.is_mounted else 0
        self._draw(self.render_results(results, max(width, 24)), width)

    def on_resize(self) -> None:
        if self.last is not None:
            width = self.content_region.width
            self._draw(self.render_results(self.last, max(width, 24)), width)

    def _draw(self, content: Content, width: int) -> None:
        lines = len(content.wrap(width)) if width > 0 else -1  # as the screen shows them
        self.update(content, layout=lines != self._lines or lines < 0)
        self._lines = lines

    def render_results(self, results: Results, width: int) -> Content:
        """The panel's text for `results` at `width` cells.

        Gates come before pillars: a gate that fires caps the verdict, so it must stay in view even
        on a small terminal where the pillar list may have to scroll.
        """
        criteria = self.criteria
        lines: list[Content] = verdict_lines(criteria, results)
        # Always as many verdict lines (blank when there is no range, no "could be", no cap), so
        # that most changes of an answer redraw the panel without laying the screen out again.
        lines += [Content("")] * (VERDICT_LINES - len(lines))
        total = len(criteria.criteria)
        lines.append(Content(f"Answered {total - len(results.unanswered)} of {total}"))
        lines.append(Content(""))
        lines.append(Content.styled("Gates", "bold underline"))
        # Two lines whatever fires (the summary and the jump list name every gate): what fires,
        # then what is still open.
        fired = [one_line(criteria.criterion(cid).title) for cid in results.gates_fired]
        if not fired:
            lines.append(Content("none fires"))
        elif len(fired) == 1:
            lines.append(Content.assemble(("✗ FIRES ", "bold $error"), short(fired[0], width - 8)))
        else:
            head = f"✗ FIRES {len(fired)}: "
            lines.append(
                Content.assemble((head, "bold $error"), short(", ".join(fired), width - len(head)))
            )
        count = len(results.gates_open)
        if count == 0:
            lines.append(Content(""))
        elif count == 1:
            title = criteria.criterion(results.gates_open[0]).title
            lines.append(Content.styled("? 1 open: " + short(title, width - 10), "dim"))
        else:
            lines.append(Content.styled(f"? {count} open (not answered yet)", "dim"))
        lines.append(Content(""))
        lines.append(Content.styled("Pillars", "bold underline"))
        by_pillar = {p.pillar: p for p in results.pillars}
        longest = max((len(one_line(p.title)) for p in criteria.pillars), default=0)
        # A bar beside each name where the whole names leave room for one; else the names whole
        # and the figures alone (the bar only repeats the figure), never "Ceasefire …".
        name_width = min(longest, max(8, width - 5))
        bar_width = width - name_width - 6
        for pillar in criteria.pillars:
            result = by_pillar.get(pillar.id)
            score = result.score if result else None
            figure = f"{score:4.0f}" if score is not None else "  --"
            name = short(pillar.title, name_width).ljust(name_width)
            if bar_width >= 5:
                drawn = (bar(score, bar_width), "$accent" if score is not None else "dim")
                lines.append(Content.assemble(name, " ", drawn, " ", figure))
            else:
                lines.append(Content.assemble(name, " ", figure))
        return Content("\n").join(lines)


class ConfidenceChoice(Widget, can_focus=True):
    """How sure the analyst is of the level: low, medium or high, unset until chosen.

    One widget, one place in the focus order (after the evidence). `l`, `m` and `h` choose, ← and →
    move the cursor, Space or Enter choose under it, Backspace unsets. The cursor starts on the
    current choice (on low when unset) on every criterion. Other keys do nothing here: the level
    keys belong to the rubric.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "choose('low')", "Low", show=False),
        Binding("m", "choose('medium')", "Medium", show=False),
        Binding("h", "choose('high')", "High", show=False),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("space,enter", "pick", "Choose"),
        Binding("backspace,delete", "unset", "Unset"),
    ]

    DEFAULT_CSS = """
    ConfidenceChoice { height: 1; width: 1fr; }
    """

    def __init__(
        self, on_choose: Callable[[Confidence | None], None], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._on_choose = on_choose
        self.value: Confidence | None = None
        self.enabled = False
        self.cursor = 0

    def show(self, value: Confidence | None, enabled: bool) -> None:
        """Show the answer's confidence (`enabled`: the answer is at a level, so it takes one)."""
        cursor = CONFIDENCES.index(value) if value is not None else 0
        if (value, enabled, cursor) != (self.value, self.enabled, self.cursor):
            self.value, self.enabled, self.cursor = value, enabled, cursor
            self.refresh()

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for index, confidence in enumerate(CONFIDENCES):
            chosen = confidence is self.value
            mark = "(•)" if chosen else "( )"
            style = "bold" if chosen else ""
            if self.has_focus and index == self.cursor:
                style += " reverse"
            parts += [(f"{mark} {confidence.value}", style.strip()), "  "]
        if not self.enabled:
            parts.append(("for an answer at a level", "dim"))
        elif self.value is None:
            parts.append(("unset", "bold"))
        return Content.assemble(*parts)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_choose(self, value: str) -> None:
        confidence = Confidence(value)
        self.cursor = CONFIDENCES.index(confidence)
        self._on_choose(confidence)

    def action_unset(self) -> None:
        self._on_choose(None)

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(CONFIDENCES)
        self.refresh()

    def action_pick(self) -> None:
        self._on_choose(CONFIDENCES[self.cursor])


class KeyBar(Static):
    """The keys that act where the focus is, F1 first: one line at any width, the rest cut with
    an ellipsis (F1 lists them all). It replaces Textual's footer, whose last keys (F1 among them)
    fall off a narrow terminal."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $panel;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.update(key_bar_content(screen))


def key_bar_content(screen: Screen) -> Content:
    """`F1 Help  1-9 Level  x N/A ...`: the bindings shown where the focus is, nearest first."""
    parts: list[str | tuple[str, str]] = [("F1", "bold"), " Help"]
    seen = {"app.help", "help"}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        parts += ["  ", (screen.app.get_key_display(binding), "bold"), " ", binding.description]
    return Content.assemble(*parts)


def level_prompt(
    criterion: Criterion, index: int, chosen: bool, gate_level: str | None
) -> RenderableType:
    """One rubric level as an option: mark, number, label and the full description, wrapped."""
    from rich.table import Table  # the review screen's, not needed to show the first criterion

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
    """One rubric level as the rubric list shows it (Content, much cheaper to draw than a table).

    The chosen level is marked `(•)`; a chosen level takes as many lines as an unchosen one, so a
    change of level redraws two options and moves nothing.
    """
    level = criterion.levels[index]
    head = Content.assemble(
        (clean(level.label), "bold"),
        ("  ⚑ gate passes from here", "italic") if gate_level == level.id else "",
    )
    key = str(index + 1) if index < 9 else ""
    return hanging(_mark(chosen, key), [head, Content(clean(level.description))], width)


def extra_content(chosen: bool, key: str, label: str, note: str, width: int) -> Content:
    """Not applicable or unknown, after the levels."""
    head = Content.assemble((label, "bold" if chosen else ""))
    blocks = [head, Content(clean(note))] if note else [head]
    return hanging(_mark(chosen, key), blocks, width)


class RubricList(OptionList):
    """The rubric of one criterion, weakest level first, with not applicable and unknown after it.

    While it has the focus: a number chooses that level, `x` not applicable, `u` unknown,
    Backspace clears, `l`/`m`/`h` set the confidence, ↑↓ and Enter highlight and choose, ← and →
    go to the previous and next criterion. A choice calls `on_choose` at once. Inside a scrolling
    pane, the highlighted level is scrolled into the pane's view.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "number(1)", "Level", key_display="1-9"),
        *[Binding(str(n), f"number({n})", show=False) for n in range(2, 10)],
        Binding("x", "pick('not_applicable')", "N/A"),
        Binding("u", "pick('unknown')", "Unknown"),
        Binding("backspace", "screen.clear", "Clear", show=False),
        Binding("l", "screen.confidence('low')", "Low", show=False),
        Binding("m", "screen.confidence('medium')", "Medium", show=False),
        Binding("h", "screen.confidence('high')", "High", show=False),
        Binding("r", "screen.reply", "Reply", show=False),
        Binding("right", "screen.next", show=False),
        Binding("left", "screen.previous", show=False),
    ]

    def __init__(
        self, on_choose: Callable[[str], None] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, markup=False)
        self.on_choose = on_choose
        self.criterion: Criterion | None = None
        self._answer: Answer | None = None
        self._width = 0
        self._quiet = False
        self._shown: list[Content] = []

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

        Re-showing the same criterion (after a change) keeps the highlight where the analyst left
        it, and replaces only the options whose mark changed when none changes its height.
        """
        same = self.criterion is criterion and self.highlighted is not None
        keep = self.highlighted
        width = self._prompt_width()
        prompts, highlight = self._prompts_for(criterion, answer, width)
        unchanged_layout = (
            same
            and width == self._width
            and len(prompts) == len(self._shown)
            and all(
                new.plain.count("\n") == old.plain.count("\n")
                for new, old in zip(prompts, self._shown, strict=True)
            )
        )
        self.criterion, self._answer, self._width = criterion, answer, width
        if unchanged_layout:
            for index, (new, old) in enumerate(zip(prompts, self._shown, strict=True)):
                if new != old:
                    self._replace_prompt(index, new)
            self._shown = prompts
            return
        ids = [f"level:{level.id}" for level in criterion.levels]
        ids += [CHOICE_NOT_APPLICABLE, CHOICE_UNKNOWN]
        self._shown = prompts
        self._quiet = True  # a redraw must not scroll the pane: only the analyst's moves do
        try:
            self.set_options(
                [
                    Option(prompt, id=option_id)
                    for prompt, option_id in zip(prompts, ids, strict=True)
                ]
            )
            self.highlighted = keep if same else highlight
        finally:
            self._quiet = False

    def _replace_prompt(self, index: int, prompt: Content) -> None:
        """Give one option a prompt of the same height, redrawing only that option.

        `replace_option_prompt_at_index` would measure and draw every option again (what a
        prompt of another height needs); here only the option's own drawing is forgotten.
        """
        option = self.get_option_at_index(index)
        try:
            cache = self._option_render_cache
            stale = [key for key in cache.keys() if key[0] is option]  # noqa: SIM118
        except AttributeError:  # another Textual: the general way
            self.replace_option_prompt_at_index(index, prompt)
            return
        option._set_prompt(prompt)
        for key in stale:
            cache.discard(key)
        try:  # only the option's own lines are drawn again
            top = self._index_to_line[index] - self.scroll_offset.y
            height = self._heights[index]
        except (AttributeError, KeyError):
            self.refresh()
            return
        self.refresh(Region(0, top, self.size.width, height))

    @staticmethod
    def _prompts_for(
        criterion: Criterion, answer: Answer | None, width: int
    ) -> tuple[list[Content], int]:
        """The options' texts, and the one to highlight on a first showing (the answer's)."""
        gate_level = criterion.gate.level if criterion.gate else None
        chosen_level = answer.level if answer and answer.status is AnswerStatus.LEVEL else None
        prompts: list[Content] = []
        highlight = 0
        for index, level in enumerate(criterion.levels):
            chosen = level.id == chosen_level
            if chosen:
                highlight = index
            prompts.append(level_content(criterion, index, chosen, gate_level, width))
        is_na = answer is not None and answer.status is AnswerStatus.NOT_APPLICABLE
        is_unknown = answer is not None and answer.status is AnswerStatus.UNKNOWN
        reason = f"Reason: {answer.reason}" if is_na and answer else ""
        prompts.append(extra_content(is_na, "x", "Not applicable", reason, width))
        prompts.append(
            extra_content(is_unknown, "u", "Unknown: the draft is silent or unclear", "", width)
        )
        if is_na:
            highlight = len(criterion.levels)
        elif is_unknown:
            highlight = len(criterion.levels) + 1
        return prompts, highlight

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

    def _choose(self, choice: str) -> None:
        if self.on_choose is not None and self.criterion is not None:
            self.on_choose(choice)

    def action_number(self, number: int) -> None:
        criterion = self.criterion
        if criterion is None:
            return
        if 1 <= number <= len(criterion.levels):
            self.highlighted = number - 1
            self._choose(criterion.levels[number - 1].id)
        else:
            self.notify(
                f"This criterion has {len(criterion.levels)} levels (1-{len(criterion.levels)}).",
                severity="warning",
                markup=False,
            )

    def action_pick(self, choice: str) -> None:
        self._choose(choice)

    def action_select(self) -> None:
        # Enter chooses the highlighted line at once, as its key does (no message round trip).
        if self.highlighted is None:
            return
        option_id = self.get_option_at_index(self.highlighted).id or ""
        self._choose(option_id.removeprefix("level:"))
