"""Passages a reader can quote: each unit of a draft split into its sentences, and the passages
that hold a criterion's `look_for` terms or a search.

The draft view lists these and quotes the one chosen, so the splitting lives here, in plain Python,
where it is tested without a terminal. A sentence ends at `.`, `!`, `?` or `;` before a capital, a
digit or an opening bracket or quote, except after a number (`Point 5.`) or a short abbreviation
(`Art.`, `No.`, `e.g.`): a unit's heading stays with its first sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guaranteekit.drafts.anchor import DraftText

_END = re.compile(r"[.!?;](?=\s+[A-Z0-9(\[\"'\u201c\u00ab\u0400-\u042f])")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_ABBREVIATED = "art arts no nos nr pt para paras sec sect ch cf e.g i.e etc u.s u.k mr ms dr st vs"
ABBREVIATIONS = frozenset(_ABBREVIATED.split())


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a unit (or the whole unit, when it is one sentence)."""

    unit: str
    """The unit's label."""
    page: int | None
    start: int
    end: int
    """The span in the draft's text."""


def passages(text: DraftText) -> list[Passage]:
    """Every passage of the draft, in reading order."""
    out: list[Passage] = []
    for unit in text.units:
        body = text.text[unit.start : unit.end]
        begin = 0
        for match in _END.finditer(body):
            token = _TOKEN_BEFORE.search(body, 0, match.start())
            word = token.group(1).lower().strip("([\"'") if token else ""
            if word.replace(".", "").isdigit() or word in ABBREVIATIONS or len(word) <= 1:
                continue
            out += _passage(
                text, unit.label, unit.page, unit.start + begin, unit.start + match.end()
            )
            begin = match.end()
        out += _passage(text, unit.label, unit.page, unit.start + begin, unit.end)
    return out


def _passage(text: DraftText, unit: str, page: int | None, start: int, end: int) -> list[Passage]:
    while start < end and text.text[start].isspace():
        start += 1
    while end > start and text.text[end - 1].isspace():
        end -= 1
    return [Passage(unit, page, start, end)] if start < end else []


@lru_cache(maxsize=64)
def _finder(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = [r"\s+".join(map(re.escape, term.split())) for term in terms if term.strip()]
    if not patterns:
        return None
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where any of `terms` occurs in `text` (without regard to case, white space flexible),
    as sorted, non-overlapping spans."""
    finder = _finder(tuple(terms))
    return [] if finder is None else [m.span() for m in finder.finditer(text)]


def matching(text: DraftText, items: list[Passage], terms: list[str]) -> list[Passage]:
    """The passages holding any of `terms`, in reading order."""
    finder = _finder(tuple(terms))
    if finder is None:
        return []
    return [p for p in items if finder.search(text.text, p.start, p.end)]
