"""Big documents from the built-in templates are rendered in two processes (each split block,
and the rest, taken by whichever is free): the document is the same as in one process, and the
split falls back to one process whenever it cannot be made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from guaranteekit.documents import render as documents
from guaranteekit.documents.build import compare_files

PLANS = ["plan-a.toml", "plan-b.toml", "hostile.toml", "profiled.toml"]
ROUNDS = ["round1.toml", "round2.toml", "round3.toml"]


def _documents(folder: Path) -> list[tuple[Any, str]]:
    return [
        (compare_files([folder / n for n in PLANS], allow_mixed=True)[0], "compare"),
        (compare_files([folder / n for n in ROUNDS], "rounds")[0], "rounds"),
        (compare_files([folder / n for n in ROUNDS[:2]], "diff")[0], "diff"),
        (compare_files([folder / PLANS[0]], "report")[0], "report"),
    ]


@pytest.fixture
def forks(spy_fork_map: Callable[[ModuleType], list[Any]]) -> list[Any]:
    """The parts the renderer hands fork_map (the call still goes through)."""
    return spy_fork_map(documents)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_split_document_is_the_document(
    in_reports: Path, monkeypatch: pytest.MonkeyPatch, forks: list[Any], fmt: str
) -> None:
    for document, kind in _documents(in_reports):
        monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 10**9)
        whole = documents.render(document, fmt)
        monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 1)
        assert documents.render(document, fmt) == whole, kind
    # Only the compare templates name a block to split off, and theirs was.
    assert [call.items for call in forks] == [
        [*documents.SPLIT_BLOCKS[f"compare.{fmt}.j2"], "rest"]
    ]


@pytest.mark.parametrize(
    ("name", "value", "forked"),
    [
        # The template has no such block: nothing to split off.
        ("SPLIT_BLOCKS", {"compare.md.j2": ("answers", "no-such-block")}, 0),
        # The mark is in the rest many times (a block rendered twice, or text like it): the two
        # parts cannot be put together safely, so the whole renders again in one process.
        ("_split_mark", lambda block: "|", 1),
    ],
)
def test_a_split_that_cannot_be_made_renders_in_one_process(
    in_reports: Path,
    monkeypatch: pytest.MonkeyPatch,
    forks: list[Any],
    name: str,
    value: object,
    forked: int,
) -> None:
    document = _documents(in_reports)[0][0]
    whole = documents.render(document, "md")
    monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 1)
    monkeypatch.setattr(documents, name, value)
    assert documents.render(document, "md") == whole
    assert len(forks) == forked


def test_one_job_keeps_the_rendering_in_this_process(
    in_reports: Path, monkeypatch: pytest.MonkeyPatch, forks: list[Any]
) -> None:
    document = _documents(in_reports)[0][0]
    monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 1)
    split = documents.render(document, "md")
    assert documents.render(document, "md", jobs=1) == split
    assert len(forks) == 1  # the first render only


def test_split_toml_is_the_toml(
    in_reports: Path, monkeypatch: pytest.MonkeyPatch, forks: list[Any]
) -> None:
    """A big document's TOML is written in two processes (the rows and the tables after them, and
    the rest): the same text as in one, for every kind, with decision support's nested tables too."""
    docs = [document for document, _ in _documents(in_reports)]
    support = {"packages": [{"fragile": True, "ranks": {"1": 0.5}}], "settings": {"draws": 5}}
    docs.append(docs[0].model_copy(update={"decision_support": support}))
    for document in docs:
        monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 10**9)
        whole = documents.render(document, "toml")
        monkeypatch.setattr(documents, "SPLIT_MIN_CELLS", 1)
        assert documents.render(document, "toml") == whole, document.kind
        assert documents.render(document, "toml", jobs=1) == whole
    assert [call.items for call in forks] == [["rows", "others"]] * len(docs)
