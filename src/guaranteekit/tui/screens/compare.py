"""The compare view: pick several saved reports and see them side by side.

Top: the reports to choose from (the recent assessments, plus any file typed in the path field),
each ticked or not. Below: the criteria-by-package table of the ticked reports, with pillar
scores, verdicts, the gates that fire and the ranking under it. The table is rebuilt whenever the
choice changes.

The numbers come from `guaranteekit.documents.model` (the same document `guaranteekit compare` renders),
so the view and the CLI agree; this screen only lays them out. Reports scored against different
criteria sets or profiles are refused with the same problem lines as the CLI. Every cell is file
text shown as data (`rich.text.Text`), never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from guaranteekit.errors import GuaranteekitError
from guaranteekit.textsafe import one_line
from guaranteekit.tui.session import RecentEntry

CRITERION_WIDTH = 30
"""Cap on the criterion column's width, in cells."""
CELL_WIDTH = 44
"""Cap on a package column's width: a level label, its position and its points fit."""

HINT = (
    "Space ticks a report · Enter in the path field adds a file · Tab moves between list, field and"
    " table · ctrl+r reloads · Escape back"
)


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
    rows = [[one_line(cell) for cell in row] for row in (*data.rows, *data.summary, gates)]
    ranking = [
        f"{item.rank}. {one_line(item.name)}: "
        + ("n/a" if item.score is None else f"{item.score:.2f}")
        + f" · {one_line(item.verdict_label)}"
        for item in document.ranking
    ]
    return [one_line(h) for h in data.header], rows, ranking


class CompareScreen(Screen[None]):
    """Several reports side by side."""

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
            yield SelectionList[str](id="compare-files")  # prompts are Text: never markup
            yield Input(placeholder="add a report file (path, Enter)", id="compare-path")
            yield Static("", id="compare-problems", classes="problem", markup=False)
            yield Static("", id="compare-ranking", markup=False)
            yield DataTable(id="compare-table", zebra_stripes=True, cursor_type="cell")
            yield Static(HINT, classes="hint", markup=False)
        yield Footer(compact=True)

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

    @staticmethod
    def _selection(path: Path, name: str, ticked: bool) -> Selection[str]:
        prompt = Text(one_line(name) or path.name, style="bold")
        prompt.append(f"  {one_line(str(path))}", style="dim")
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
        """Add a typed report path to the list, ticked; False (and the reason shown) if refused."""
        problems = self.query_one("#compare-problems", Static)
        typed = Path(text.strip()).expanduser()
        path = typed if typed.is_absolute() else self.base / typed
        if not text.strip():
            problems.update("✗ type the path of a report file")
            return False
        if not path.is_file():
            problems.update(Content.assemble("✗ not a report file: ", str(path)))
            return False
        files = self.query_one("#compare-files", SelectionList)
        if str(path) in self._values():
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
