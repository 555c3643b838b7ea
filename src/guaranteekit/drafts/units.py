"""Splitting a draft's text into citable units, numbered as the draft numbers them.

A unit begins at a line that starts with a number the draft gives itself: `Point 5`, `Article 3` or
`Art. 3` (labelled `Art. 3`), `§2` or `Section 2` (labelled `§2`), or a numbered paragraph `1.` /
`1)`. Points, articles and sections are the major units; a numbered paragraph inside one is labelled
after it (`Art. 3(2)`), and stands alone (`1.`) in a draft that has no major units. Text before the
first unit is the `Preamble`. A draft numbered in none of these ways is split into its paragraphs
(blocks between blank lines), `¶1`, `¶2`...

A heading must look like one: `Article 5 of the Washington Treaty` at the start of a wrapped line
is running text, so the number must be followed by the end of the line, punctuation, or a word
that starts with a capital letter. Labels are unique: a second `1.` list in a draft without
articles is `1. (2)`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from guaranteekit.formats.models import DraftUnit

_AFTER = r"(?=[ \t]*(?:$|[.:;,)\]\u2013\u2014-]|[ \t]+[A-Z\u0400-\u042f(\"'\u201c\u00ab]))"
_MAJOR = re.compile(
    r"[ \t]*(?:"
    r"(?P<point>(?i:Point|Pt\.))[ \t]*(?P<pn>\d{1,4}[a-z]?)"
    r"|(?i:Article|Art\.?)[ \t]*(?P<an>\d{1,4}[a-z]?)"
    r"|(?:§|(?i:Section))[ \t]*(?P<sn>\d{1,4}[a-z]?)"
    r")" + _AFTER
)
_MINOR = re.compile(r"[ \t]*(?P<n>\d{1,3})[.)](?=[ \t]+\S)")
_HEAD = frozenset("0123456789PpAaSs§")
"""The characters a unit's first line can start with (after spaces): only those lines are
matched against the patterns, which keeps a long draft quick to split."""
_BLOCK = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", re.M)

PREAMBLE = "Preamble"


def split_units(text: str, page_starts: list[int] | None = None) -> list[DraftUnit]:
    """The citable units of `text`, in order, each with its label, span and page (when known)."""
    heads = list(_heads(text))
    majors = [(at, _major_label(m)) for at, line in heads if (m := _MAJOR.match(line))]
    minors = [(at, m["n"]) for at, line in heads if (m := _MINOR.match(line))]
    starts: list[tuple[int, str]] = []
    if majors:
        starts = list(majors)
        major_at = [start for start, _ in majors]
        for at, number in minors:
            owner = bisect.bisect_right(major_at, at) - 1
            if owner >= 0 and major_at[owner] == at:
                continue  # "1. Article 3 ..." is the article
            label = f"{majors[owner][1]}({number})" if owner >= 0 else f"{number}."
            starts.append((at, label))
        starts.sort()
    else:
        starts = [(at, f"{number}.") for at, number in minors]
    if not starts:
        blocks = [(m.start(), m.end()) for m in _BLOCK.finditer(text)]
        return _units([(s, e, f"¶{i}") for i, (s, e) in enumerate(blocks, 1)], text, page_starts)
    spans: list[tuple[int, int, str]] = []
    if text[: starts[0][0]].strip():
        spans.append((0, starts[0][0], PREAMBLE))
    for index, (start, label) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        spans.append((start, end, label))
    return _units(spans, text, page_starts)


def _heads(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line that may start a unit."""
    offset = 0
    for line in text.split("\n"):
        first = line.lstrip(" \t")[:1]
        if first in _HEAD and first:
            yield offset, line
        offset += len(line) + 1


def _major_label(match: re.Match[str]) -> str:
    if match["point"]:
        return f"Point {match['pn']}"
    if match["an"]:
        return f"Art. {match['an']}"
    return f"§{match['sn']}"


def _units(
    spans: list[tuple[int, int, str]], text: str, page_starts: list[int] | None
) -> list[DraftUnit]:
    """Units with their spans trimmed of surrounding whitespace and their labels made unique."""
    seen: dict[str, int] = {}
    units: list[DraftUnit] = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        count = seen[label] = seen.get(label, 0) + 1
        units.append(
            DraftUnit(
                label=label if count == 1 else f"{label} ({count})",
                start=start,
                end=end,
                page=bisect.bisect_right(page_starts, start) if page_starts else None,
            )
        )
    return units


def unit_at(units: list[DraftUnit], offset: int) -> DraftUnit | None:
    """The unit holding the character at `offset` (the one before it, between two units)."""
    index = bisect.bisect_right([u.start for u in units], offset) - 1
    return units[index] if index >= 0 else (units[0] if units else None)
