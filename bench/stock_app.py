"""The floors of bench_tui.py: the widgets a criterion screen needs, as Textual ships them.

Same kinds and number of widgets as guaranteekit's criterion screen (a top bar, the criterion's
head, title, question and why, the rubric as an option list, two text areas, three radio buttons,
the score panel as one Static, a footer with as many keys), showing the same texts, with no
guaranteekit code and no CSS beyond two widths. `Bare` is less still: one Static, the rationale
box and the footer, the least the issue allows a criterion screen to be. It imports only textual,
so it can be timed in a fresh process too: `python bench/stock_app.py TEXTS.json [--with-pydantic]`
prints READY at the first frame with the screen complete (headless), as bench_tui.py's cold runs
expect.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, RadioButton, RadioSet, Static, TextArea


class StockScreen(Screen[None]):
    """A criterion screen made of stock widgets (texts: pillar, title, question, why, levels)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "noop", "Level"),
        Binding("x", "noop", "N/A"),
        Binding("ctrl+n", "noop", "Next"),
        Binding("ctrl+g", "noop", "Jump"),
        Binding("ctrl+o", "noop", "Summary"),
        Binding("ctrl+s", "noop", "Save"),
    ]
    DEFAULT_CSS = """
    StockScreen VerticalScroll { width: 1fr; }
    StockScreen #panel { width: 28; }
    """

    def __init__(self, texts: dict[str, Any]) -> None:
        super().__init__()
        self.texts = texts

    def compose(self) -> ComposeResult:
        texts = self.texts
        yield Static("guaranteekit · bench · bench.toml · saved")
        with Horizontal():
            with VerticalScroll():
                yield Static(f"{texts['pillar']} · 1 of 31")
                yield Static(texts["title"])
                yield Static(texts["question"])
                yield Static("")
                yield OptionList(
                    *[
                        f"( ) {i + 1} {label}: {description}"
                        for i, (label, description) in enumerate(texts["levels"])
                    ]
                )
                yield Static("")
                yield Static(texts["why"])
                yield Label("Rationale: why this level")
                yield TextArea("bench", soft_wrap=True)
                yield Label("Evidence: quotes from the draft, one per line")
                yield TextArea("", soft_wrap=True)
                yield Label("Confidence")
                with RadioSet():
                    for name in ("low", "medium", "high"):
                        yield RadioButton(name)
            yield Static(
                "Score 80.00\nVerdict Credible\n" + "\n".join(["pillar ████████ 80"] * 6),
                id="panel",
            )
        yield Footer(compact=True)


class Stock(App[None]):
    """A Textual app showing `StockScreen`."""

    def __init__(self, texts: dict[str, Any]) -> None:
        super().__init__()
        self.texts = texts

    def on_mount(self) -> None:
        self.push_screen(StockScreen(self.texts))


class Bare(App[None]):
    """The least a criterion screen can be under the issue: one Static for every text, the
    rationale box (a TextArea) and a footer with keys. No rubric list, no radio buttons."""

    BINDINGS: ClassVar[list[BindingType]] = StockScreen.BINDINGS

    def compose(self) -> ComposeResult:
        yield Static("1 of 31: the criterion, its rubric and the score as one text", id="only")
        yield TextArea("", soft_wrap=True)
        yield Footer(compact=True)


def bare_shown(app: App[None]) -> bool:
    """The bare screen is drawn."""
    text = "".join(s.text for s in app.screen._compositor.render_strips())
    return bool(app.screen.query("#only")) and "1 of 31" in text


def shown(app: App[None]) -> bool:
    """The stock screen is on screen and drawn."""
    if not isinstance(app.screen, StockScreen):
        return False
    return "1 of 31" in "".join(s.text for s in app.screen._compositor.render_strips())


def _cold(texts: dict[str, Any]) -> None:
    """Run the floor headless and print READY at the first frame handed to the terminal with the
    screen complete (its head, its first level and the footer's keys), as bench_tui.py's cold run
    of guaranteekit does, then leave."""
    app = Stock(texts)
    first_level = texts["levels"][0][0]
    display = app._display

    def timed(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        if renderable is None or not isinstance(screen, StockScreen):
            return
        lines = [strip.text for strip in screen._compositor.render_strips()]
        text = "".join(lines)
        if " of " in text and first_level in text and "Level" in lines[-1]:
            print("READY", flush=True)
            app._display = display  # type: ignore[method-assign]
            app.exit()

    app._display = timed  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))


if __name__ == "__main__":
    if "--with-pydantic" in sys.argv:
        # The stack's other start-up cost: pydantic, which every guaranteekit screen needs, with
        # one model built and used (the first model built imports the rest of pydantic and looks
        # for its plugins; merely importing the package leaves that to later).
        import pydantic

        class _One(pydantic.BaseModel):
            name: str = ""

        _One.model_validate({"name": "bench"})
    _cold(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
