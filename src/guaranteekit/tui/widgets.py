"""Widgets shared by the screens: the score panel, the confidence choice, the key bar (the rubric is
`guaranteekit.tui.rubric`).

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

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    CriteriaSet,
    Results,
)
from guaranteekit.textsafe import one_line

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


class ScorePanel(Widget):
    """The live score: verdict, score or provisional range, a bar per pillar, the gates that fire.

    Its text depends on its width (bars, names cut to fit), so it is made when the panel is drawn,
    at the width it is drawn at: the first frame already shows it as it stays. It is drawn line by
    line, and a change redraws only the lines whose text changed (an answer moves a figure or two).
    """

    DEFAULT_CSS = """
    ScorePanel { height: auto; }
    """

    def __init__(self, criteria: CriteriaSet, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.criteria = criteria
        self.last: Results | None = None
        self._made: tuple[Results | None, int, Content, list[Content]] | None = None
        self._strips: dict[tuple[str, tuple[Span, ...], int], Strip] = {}

    def show(self, results: Results) -> None:
        """Redraw for new results: the lines that changed, or everything (with a layout) when
        their number changes or the panel has not been laid out yet."""
        width = self.content_region.width
        before = self._made[3] if self._made is not None and self._made[1] == width else None
        self.last = results
        if width <= 0 or before is None:
            self.refresh(layout=True)
            return
        after = self._lines(width)
        if len(after) != len(before):
            self.refresh(layout=True)
            return
        changed = [
            Region(0, y, width, 1)
            for y, (new, old) in enumerate(zip(after, before, strict=True))
            if new.plain != old.plain or new.spans != old.spans
        ]
        if changed:
            self.refresh(*changed)

    def _made_at(self, width: int) -> tuple[Content, list[Content]]:
        made = self._made
        if made is None or made[0] is not self.last or made[1] != width:
            content = Content("") if self.last is None else self.render_results(self.last, width)
            made = self._made = (self.last, width, content, content.wrap(max(width, 1)))
        return made[2], made[3]

    def _lines(self, width: int) -> list[Content]:
        return self._made_at(width)[1]

    def render(self) -> Content:
        return self._made_at(max(self.content_region.width, 24))[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width) if width > 0 else []
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        line = lines[y]
        key = (line.plain, tuple(line.spans), width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 512:  # lines of earlier results and widths
                self._strips.clear()
            strip = Visual.to_strips(self, line, width, 1, self.visual_style)[0]
            self._strips[key] = strip
        return strip

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
