"""The rubric of a criterion: its levels as the rubric list shows them, and the list itself.

Each level is drawn as one piece of `Content` (its mark, number, label and description, wrapped with
a hanging indent), cheaper to draw than a table, and of the same height whether chosen or not, so a
change of level redraws two options and lays nothing out again. The review screen shows the same
levels as rich tables (`level_prompt`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from guaranteekit.formats.models import Answer, AnswerStatus, Criterion
from guaranteekit.textsafe import clean
from guaranteekit.tui.messages import CHOICE_NOT_APPLICABLE, CHOICE_UNKNOWN


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

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As the option list's, but a move redraws only the option it leaves and the one it reaches
    (`watch_highlighted`), not the whole list."""

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
        self._levels: dict[tuple[str, int, bool, int], Content] = {}
        """Levels as drawn, by criterion, index, chosen and width: a change of level marks two of
        them anew, and a level is wrapped once, not on every change."""

    def _prompt_width(self) -> int:
        width = self.scrollable_content_region.width
        # Before the first layout: an estimate, right on a narrow terminal (the score panel, the
        # pane's padding and scrollbar and the list's border take 38 cells), so that the levels
        # are wrapped once there; on a wide one the panel widens and they are wrapped again.
        return width if width > 0 else max(40, self.app.size.width - 38)

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
        self._refresh_option(index)

    def _refresh_option(self, index: int) -> None:
        """Draw one option's own lines again (the whole list when they are not known)."""
        try:
            top = self._index_to_line[index] - self.scroll_offset.y
            height = self._heights[index]
        except (AttributeError, KeyError):
            self.refresh()
            return
        self.refresh(Region(0, top, self.size.width, height))

    def _level(
        self, criterion: Criterion, index: int, chosen: bool, gate_level: str | None, width: int
    ) -> Content:
        key = (criterion.id, index, chosen, width)
        made = self._levels.get(key)
        if made is None:
            if len(self._levels) > 64:  # another criterion or width: the old ones are done with
                self._levels.clear()
            made = self._levels[key] = level_content(criterion, index, chosen, gate_level, width)
        return made

    def _prompts_for(
        self, criterion: Criterion, answer: Answer | None, width: int
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
            prompts.append(self._level(criterion, index, chosen, gate_level, width))
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

    def watch_highlighted(self, old: int | None, highlighted: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(highlighted)
        for index in {old, highlighted} - {None}:
            self._refresh_option(index)  # type: ignore[arg-type]
        # Only a move of the highlight scrolls the pane: showing, resizing or redrawing must not
        # carry the analyst away from the question at the top.
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
