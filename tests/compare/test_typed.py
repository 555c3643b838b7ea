"""The document is built as its models: what is built is what reading its JSON back gives.

`assemble` makes the entries, cells and rows as pydantic models rather than validating a dict of
the whole at the end, so these tests hold the built models to the same checks a read-back passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.documents.build import build
from guaranteekit.documents.columns import load_many
from guaranteekit.documents.model import Document, Kind

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAIR = [EXAMPLES / "budapest-memorandum-1994.toml", EXAMPLES / "paris-declaration-2026-01-06.toml"]


@pytest.mark.parametrize(
    ("kind", "paths"),
    [
        ("compare", sorted(EXAMPLES.glob("*.toml"))),
        ("rounds", PAIR),
        ("diff", PAIR),
        ("report", PAIR[:1]),
    ],
)
def test_a_built_document_equals_its_json_read_back(kind: Kind, paths: list[Path]) -> None:
    scored, _ = load_many(paths)
    document = build(scored, kind, allow_mixed=True)
    again = Document.model_validate_json(document.model_dump_json())
    assert again == document
    assert [e.key for e in document.entries] == [f"p{i + 1}" for i in range(len(paths))]
    assert all(
        cell.package == e.key
        for row in document.rows
        for cell, e in zip(row.cells, document.entries, strict=True)
    )


def test_shortfall_gains_are_the_gains_scoring_gives_an_ask(
    report_files: dict[str, Path],
) -> None:
    """A shortfall to the level an ask demands gains what the ask says (one rescoring rule). The
    fixtures use a format-1 set: in a format-2 set the score counts open criteria at a level of
    their own, which shortfalls, as contributions, leave out."""
    scored, _ = load_many(list(report_files.values()))
    compare = build(scored, "compare", allow_mixed=True)
    checked = 0
    for index, item in enumerate(scored):
        asks = build([item], "report").entries[0].asks
        for shortfall in compare.entries[index].shortfalls:
            row = next(r for r in compare.rows if r.criterion == shortfall.criterion)
            than = next(i for i, e in enumerate(compare.entries) if e.key == shortfall.than)
            for ask in asks:
                if ask.criterion == shortfall.criterion and ask.to_level == row.cells[than].level:
                    assert ask.gain == shortfall.gain
                    checked += 1
    assert checked > 0
