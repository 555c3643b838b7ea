"""The start screen: new assessment, recent assessments, open a file, compare.

Enter opens the highlighted line, and the latest recent assessment is highlighted first when there
is one (as the README says: Enter opens a recent one); `n`, `o` and `c` act from anywhere on it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from guaranteekit.textsafe import one_line
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.messages import OpenReport
from guaranteekit.tui.recent import RecentEntry
from guaranteekit.tui.widgets import KeyBar

INTRO = (
    "Score a proposed security-guarantee package against criteria drawn from policy research:"
    " one criterion at a time, with the live score beside it. Every change is kept in a draft"
    " until you save."
)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


class StartScreen(Screen[None]):
    """What to do first."""

    HELP_SECTION = "start"
    IS_START = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new", "New"),
        Binding("o", "app.open_file", "Open file"),
        Binding("c", "compare", "Compare"),
    ]

    def __init__(self, recent: list[RecentEntry], home: Path | None = None) -> None:
        super().__init__()
        self.recent = recent
        self.home = home

    def compose(self) -> ComposeResult:
        yield Static("guaranteekit", id="topbar", markup=False)
        with Vertical(id="start"):
            yield Static(INTRO, id="intro", markup=False)
            yield OptionList(id="start-menu", markup=False)
            yield Static(
                "Enter opens the highlighted line (the latest assessment first) · n new ·"
                " o open a file · c compare · F1 help",
                classes="hint",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill(self.recent)
        self.query_one("#start-menu", OptionList).focus()

    def _display_path(self, path: str) -> str:
        if self.home is not None:
            try:
                return "~/" + str(Path(path).relative_to(self.home))
            except ValueError:
                pass
        return path

    def fill(self, recent: list[RecentEntry]) -> None:
        """Show the menu and the recent assessments."""
        self.recent = recent
        menu = self.query_one("#start-menu", OptionList)
        options: list[Option | None] = [
            Option(Text.assemble(("  n  ", "bold"), "New assessment"), id="new"),
            Option(Text.assemble(("  o  ", "bold"), "Open a file…"), id="open"),
            Option(Text.assemble(("  c  ", "bold"), "Compare reports…"), id="compare"),
            None,
        ]
        if not recent:
            options.append(Option(Text("  No recent assessments yet.", style="dim"), disabled=True))
        else:
            options.append(Option(Text("  Recent assessments", style="bold"), disabled=True))
        for index, entry in enumerate(recent):
            path = Path(entry.path)
            state = ""
            if not path.exists():
                state = "  (draft only)" if draft_path(path).exists() else "  (missing)"
            line = Text("     ")
            line.append(one_line(entry.name) or path.name, style="bold")
            line.append(state)
            line.append("\n     ")
            line.append(one_line(self._display_path(entry.path)), style="dim")
            line.append(f"  · {_when(entry.opened)}", style="dim")
            options.append(Option(line, id=f"recent-{index}"))
        menu.set_options(options)
        menu.highlighted = menu.get_option_index("recent-0") if recent else 0

    @on(OptionList.OptionSelected, "#start-menu")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "new":
            await self.app.run_action("new")
        elif option_id == "open":
            await self.app.run_action("open_file")
        elif option_id == "compare":
            await self.action_compare()
        elif option_id.startswith("recent-"):
            entry = self.recent[int(option_id.removeprefix("recent-"))]
            self.post_message(OpenReport(entry.path))

    async def action_compare(self) -> None:
        """Open the compare view with the recent assessments to pick from."""
        await self.app.run_action("compare")
