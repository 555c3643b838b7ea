"""The compare view: pick several saved reports and see them side by side.

Top: the reports to choose from (the recent assessments, plus any file, folder or glob typed in
the path field), each ticked (✓) or not (·), in a few lines. Below, taking the rest of the screen
even at 80x24: the criteria-by-package table of the ticked reports, with pillar scores, verdicts,
the provisional ranges, the gates that fire and the rank; its criterion column stays in view while
the table scrolls sideways. The table is rebuilt whenever the choice changes.

The numbers come from `guaranteekit.documents.model` (the same document `guaranteekit compare` renders),
so the view and the CLI agree; this screen only lays them out. Reports scored against different
criteria sets or profiles are refused with the same problem lines as the CLI. Every cell is file
text shown as data (`rich.text.Text`), never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import DataTable, Input, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.selection_list import Selection

from guaranteekit.errors import GuaranteekitError
from guaranteekit.textsafe import one_line
from guaranteekit.tui.compare_paths import expand_reports
from guaranteekit.tui.recent import RecentEntry
from guaranteekit.tui.widgets import KeyBar

CRITERION_WIDTH = 30
"""Cap on the criterion column's width, in cells."""
CELL_WIDTH = 44
"""Cap on a package column's width: a level label, its position and its points fit."""

HINT = "Space ticks ✓ · the path: a file, a folder or a glob · Tab: list, path, table"


def range_cell(low: float, high: float, provisional: bool) -> str:
    """`provisional 12.00–58.00`, `range 40.10–42.30` or `exact`."""
    if provisional:
        return f"provisional {low:.2f}–{high:.2f}"
    return "exact" if low == high else f"range {low:.2f}–{high:.2f}"


def table_data(paths: list[Path]) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, rows and ranking lines of the compared reports, as plain text.

    Rows: one per criterion (level, position and contribution), then score, verdict, one per
    pillar, gates fired, rank. Raises `GuaranteekitError` with the problem lines (a file that
    does not load, or reports scored against different criteria or profiles).
    """
    from guaranteekit.documents.build import compare_files
    from guaranteekit.documents.table import table

    document, _notes = compare_files(paths, "compare")
    data = table(document)
    titles = {row.criterion: row.title for row in document.rows}
    gates = [
        "Gates fired",
        *(
            ", ".join(one_line(titles.get(cid, cid)) for cid in entry.gates_fired) or "none"
            for entry in document.entries
        ),
    ]
    ranges = [
        "Range",
        *(range_cell(entry.low, entry.high, entry.provisional) for entry in document.entries),
    ]
    rows = [[one_line(cell) for cell in row] for row in (*data.rows, *data.summary, ranges, gates)]
    ranking = [
        f"{item.rank}. {one_line(item.name)}: "
        + ("n/a" if item.score is None else f"{item.score:.2f}")
        + f" · {one_line(item.verdict_label)}"
        for item in document.ranking
    ]
    return [one_line(h) for h in data.header], rows, ranking


class TickList(SelectionList[str]):
    """A selection list whose box shows ✓ when ticked and stays empty when not: the choice reads
    without colour (the stock list draws the same X in both, coloured differently)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        ticked = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment("✓" if ticked else "·", segments[1].style)
        return Strip(segments, strip.cell_length)


class CompareScreen(Screen[None]):
    """Several reports side by side."""

    HELP_SECTION = "compare"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "rebuild", "Reload"),
    ]

    def __init__(self, recent: list[RecentEntry], base: Path, paths: list[Path] | None = None):
        super().__init__()
        self.recent = recent
        self.base = Path(base)
        self.initial = [Path(p) for p in paths or []]

    def compose(self) -> ComposeResult:
        yield Static("guaranteekit · compare reports", id="topbar", markup=False)
        with Vertical(id="compare"):
            yield TickList(id="compare-files")  # prompts are Text: never markup
            yield Input(
                placeholder="add reports: a file, a folder or a glob such as rounds/*.toml; Enter",
                id="compare-path",
                select_on_focus=False,
            )
            yield Static("", id="compare-problems", classes="problem", markup=False)
            yield Static("", id="compare-ranking", markup=False)
            yield DataTable(
                id="compare-table", zebra_stripes=True, cursor_type="cell", fixed_columns=1
            )
            yield Static(HINT, classes="hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        files = self.query_one("#compare-files", SelectionList)
        for entry in self.recent:
            path = Path(entry.path)
            if path.is_file():
                files.add_option(self._selection(path, entry.name, path in self.initial))
        for path in self.initial:
            if str(path) not in self._values():
                files.add_option(self._selection(path, "", True))
        if files.option_count:
            files.highlighted = 0
        files.focus()
        self.rebuild()

    def _values(self) -> set[str]:
        files = self.query_one("#compare-files", SelectionList)
        return {str(files.get_option_at_index(i).value) for i in range(files.option_count)}

    def _selection(self, path: Path, name: str, ticked: bool) -> Selection[str]:
        prompt = Text(one_line(name) or path.name, style="bold")
        try:
            shown = str(path.relative_to(self.base))  # where the path field starts from
        except ValueError:
            shown = str(path)
        prompt.append(f"  {one_line(shown)}", style="dim")
        return Selection(prompt, str(path), ticked)

    # --- choosing ------------------------------------------------------------------------------

    def chosen(self) -> list[Path]:
        """The ticked reports, in list order."""
        files = self.query_one("#compare-files", SelectionList)
        picked = set(files.selected)
        return [
            Path(str(files.get_option_at_index(i).value))
            for i in range(files.option_count)
            if files.get_option_at_index(i).value in picked
        ]

    def add_path(self, text: str) -> bool:
        """Add the reports a typed file, folder or glob stands for, ticked; False (and the reason
        shown) when it stands for none."""
        problems = self.query_one("#compare-problems", Static)
        if not text.strip():
            problems.update("✗ type a report file, a folder of reports or a glob")
            return False
        found, refused = expand_reports([text], self.base)
        if refused:
            problems.update(Content("\n".join(f"✗ {line}" for line in refused)))
            return False
        files = self.query_one("#compare-files", SelectionList)
        known = self._values()
        with self.prevent(SelectionList.SelectedChanged):
            for path in found:
                if str(path) in known:
                    files.select(str(path))
                else:
                    files.add_option(self._selection(path, "", True))
        return True

    @on(Input.Submitted, "#compare-path")
    def _path_typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.add_path(event.value):
            event.input.value = ""
            self.rebuild()

    @on(SelectionList.SelectedChanged, "#compare-files")
    def _choice_changed(self) -> None:
        self.rebuild()

    # --- the table -----------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Rebuild the table from the ticked reports (read again from disk)."""
        table = self.query_one("#compare-table", DataTable)
        problems = self.query_one("#compare-problems", Static)
        ranking = self.query_one("#compare-ranking", Static)
        table.clear(columns=True)
        ranking.update("")
        paths = self.chosen()
        if len(paths) < 2:
            problems.update(
                "Tick two or more reports to compare them"
                + (" (one is ticked)." if len(paths) == 1 else ".")
            )
            return
        try:
            header, rows, ranked = table_data(paths)
        except GuaranteekitError as exc:
            problems.update(Content("\n".join(f"✗ {line}" for line in exc.problems)))
            return
        problems.update("")
        ranking.update(Content.assemble(("Ranking: ", "bold"), "  ".join(ranked)))
        # Widths from the content, capped, set here: the table's own auto width kept the header's
        # width after a rebuild, cutting every cell to it.
        for index, label in enumerate(header):
            longest = max(
                [cell_len(label), *(cell_len(row[index]) for row in rows if index < len(row))]
            )
            table.add_column(
                Text(label), width=min(longest, CRITERION_WIDTH if index == 0 else CELL_WIDTH)
            )
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))

    def action_rebuild(self) -> None:
        self.rebuild()

    def action_back(self) -> None:
        self.app.pop_screen()
