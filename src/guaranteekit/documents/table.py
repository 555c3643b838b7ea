"""The comparison document as a plain-text table, for the TUI's compare view (no textual here)."""

from __future__ import annotations

from dataclasses import dataclass

from guaranteekit.documents.model import Cell, Document, level_text


def cell_text(cell: Cell) -> str:
    """A cell as one short line: `Named 2/3 · 33.33`, `unknown`, `not applicable`, ..."""
    if cell.status == "level":
        return f"{cell.label} {cell.position}/{cell.levels} · {cell.contribution:.2f}"
    return level_text(cell)


@dataclass(frozen=True, slots=True)
class Table:
    """The criteria-by-package table as plain text (not markup): header, rows, then summary rows."""

    header: list[str]
    rows: list[list[str]]
    summary: list[list[str]]


def table(document: Document) -> Table:
    """Plain-text cells for a table widget: one row per criterion, one column per package.

    Cells hold text from files; a UI must show them as data (`rich.text.Text(cell)`), never markup.
    """
    header = ["Criterion", *(e.label for e in document.entries)]
    rows = []
    for row in document.rows:
        title = row.title + (" (gate)" if row.gate_level else "")
        cells = []
        for cell in row.cells:
            text = cell_text(cell)
            if cell.gate == "fires":
                text += " · gate fires"
            if cell.best:
                text += " · best"
            cells.append(text)
        rows.append([title, *cells])
    summary = [
        ["Score", *("n/a" if e.score is None else f"{e.score:.2f}" for e in document.entries)],
        ["Verdict", *(e.verdict_label for e in document.entries)],
    ]
    for index, pillar in enumerate(document.pillars):
        summary.append(
            [
                pillar.title,
                *(
                    "n/a" if e.pillars[index].score is None else f"{e.pillars[index].score:.2f}"
                    for e in document.entries
                ),
            ]
        )
    if document.ranking:
        summary.append(["Rank", *(str(e.rank) for e in document.entries)])
    return Table(header=header, rows=rows, summary=summary)
