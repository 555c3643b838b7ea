"""Quotes anchored in a draft's text, and found again in the next round's text.

A quote is a span of the extracted text: its unit, its offsets, the text itself and the text's
digest. Finding it again in another text (`DraftText.find`) tries, in order:

- **exact**: the same words in the unit with the same label;
- **moved**: the same words in another unit (the point was renumbered, or the text moved);
- **changed**: the closest passage by fuzzy alignment (rapidfuzz), when its similarity to the
  quote is at least `SIMILARITY` (`fuzz.ratio` of the quote and the passage, 0-1);
- **missing** otherwise.

"The same words" ignores how the text is broken into lines and spaced: a PDF reflowed between two
rounds breaks its lines elsewhere, and that is no change of wording. Everything is compared on a
copy of the text with each run of white space made one space, with a map back to the offsets of the
real text (one entry per run of white space, not per character, so a 200-page text maps cheaply).

Fuzzy alignment of every quote against a whole long draft would be slow, so the units worth aligning
are picked first by where the quote's pairs of consecutive words occur, and only the best few are
aligned.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from guaranteekit.drafts.read import text_digest
from guaranteekit.formats.models import DraftUnit, Quote, QuoteStatus

SIMILARITY = 0.8
"""The least similarity (`fuzz.ratio` / 100 of the old wording and the new) at which a quote not
found unchanged counts as found with changed wording; below it the quote is missing."""

CANDIDATES = 6
"""How many units, picked by the word pairs they share with it, are aligned with a quote not found
unchanged."""

NEAR = 3
"""A quote is first looked for in the unit with its old label and this many units either side."""

PROBES = 6
"""How many of a quote's pairs of consecutive words are looked up to pick those units."""

COMMON = 40
"""A pair of words found in more places than this is too common to say where a quote went."""

_SPACE = re.compile(r"\s+")
_TO_SPACE = str.maketrans(dict.fromkeys(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
    " ",
))  # fmt: skip
"""Every white-space character but the space itself (those `str.isspace` and `\\s` know), to a
space."""


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quote stands in a text."""

    status: QuoteStatus
    start: int | None = None
    end: int | None = None
    unit: str | None = None
    """The label of the unit it starts in (None when missing)."""
    text: str | None = None
    """The text between `start` and `end` (None when missing)."""
    similarity: float | None = None
    """For `changed`: fuzz.ratio / 100 of the quote and the passage found."""


class DraftText:
    """A draft's text with its units, ready to anchor quotes in and to find them again."""

    def __init__(self, text: str, units: list[DraftUnit]) -> None:
        self.text = text
        self.units = units
        self._unit_starts = [u.start for u in units]
        self._by_label = {u.label: index for index, u in enumerate(units)}
        # Every white-space character becomes a space, which keeps every offset; then each run of
        # two spaces or more becomes one. Only those runs shift offsets, and a text has few (its
        # paragraph breaks, mostly), so the map back is small and quick to make.
        spaced = text.translate(_TO_SPACE)
        # Segment k of the flat text begins at flat offset flat_at[k], real offset real_at[k]; in a
        # segment, both advance together. (str.find and translate run in C; a regular expression
        # over the whole text took ten times as long.)
        self._flat_at = [0]
        self._real_at = [0]
        pieces: list[str] = []
        removed = last = 0
        at = spaced.find("  ")
        while at >= 0:
            end = at + 2
            while end < len(spaced) and spaced[end] == " ":
                end += 1
            pieces += [spaced[last:at], " "]
            removed += end - at - 1
            self._flat_at.append(end - removed)
            self._real_at.append(end)
            last = end
            at = spaced.find("  ", end)
        pieces.append(spaced[last:])
        self.flat = "".join(pieces)
        self._lower: str | None = None
        self._shifts: list[tuple[int, int]] = []
        """(index of the unit with a quote's old label, how many units on it was found), sorted."""
        self._flat_starts = [self.flat_offset(u.start) for u in units]
        self._flat_ends = [self.flat_offset(u.end) for u in units]

    # --- offsets -------------------------------------------------------------------------------

    def real(self, flat: int) -> int:
        """The offset in the text of a flat offset."""
        k = bisect.bisect_right(self._flat_at, flat) - 1
        return self._real_at[k] + (flat - self._flat_at[k])

    def flat_offset(self, real: int) -> int:
        """The flat offset of a real one (inside a run of white space: where its one space is)."""
        k = bisect.bisect_right(self._real_at, real) - 1
        return min(self._flat_at[k] + (real - self._real_at[k]), self._next_flat(k))

    def _next_flat(self, k: int) -> int:
        return self._flat_at[k + 1] - 1 if k + 1 < len(self._flat_at) else len(self.flat)

    def real_span(self, flat_start: int, flat_end: int) -> tuple[int, int]:
        """The real span of a flat one (`flat_end` exclusive)."""
        return self.real(flat_start), self.real(flat_end - 1) + 1

    def unit_at(self, offset: int) -> DraftUnit | None:
        """The unit holding `offset` (or the one before it, between units)."""
        if not self.units:
            return None
        index = bisect.bisect_right(self._unit_starts, offset) - 1
        return self.units[max(index, 0)]

    def unit(self, label: str) -> DraftUnit | None:
        """The unit with this label."""
        index = self._by_label.get(label)
        return None if index is None else self.units[index]

    # --- anchoring -----------------------------------------------------------------------------

    def anchor(self, start: int, end: int) -> Quote:
        """The quote of the text between `start` and `end`, trimmed of surrounding white space."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}-{end} is not inside the text (0-{len(self.text)})")
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start == end:
            raise ValueError("the span holds only white space")
        unit = self.unit_at(start)
        quoted = self.text[start:end]
        return Quote(
            unit=unit.label if unit else "¶1",
            start=start,
            end=end,
            text=quoted,
            digest=text_digest(quoted),
        )

    def holds(self, quote: Quote) -> bool:
        """Whether an anchored quote stands in this text where it says, as it says."""
        if quote.start is None or quote.end is None or quote.end > len(self.text):
            return False
        return self.text[quote.start : quote.end] == quote.text

    # --- finding again -------------------------------------------------------------------------

    def find(self, text: str, unit: str, *, threshold: float = SIMILARITY) -> Found:
        """Where `text`, quoted from unit `unit` of an earlier text, stands in this one.

        Looked for in the unit with the old label, then near it, then near where the quotes found
        so far say that part of the draft went (a point deleted early renumbers every point after
        it by the same amount), and only then in the whole text.
        """
        needle = _SPACE.sub(" ", text).strip()
        if not needle:
            return Found(QuoteStatus.MISSING)
        same = self._by_label.get(unit)
        near = self._near(same)
        if same is not None:
            guess = self._near(same + self._shift_at(same))
            for window in ([same], near, guess):
                if not window:
                    continue
                found = self._exact(
                    needle, unit, *self._flat_window(window[0], window[-1] + 1, len(needle))
                )
                if found is not None:
                    self._learn(same, found)
                    return found
            centre = guess[len(guess) // 2] if guess else same
            near = [same, centre] + [i for i in near + guess if i not in (same, centre)]
        found = self._exact(needle, unit, 0, len(self.flat))
        if found is not None:
            if same is not None:
                self._learn(same, found)
            return found
        found = self._fuzzy(needle, unit, near, threshold)
        if same is not None and found.status is QuoteStatus.CHANGED:
            self._learn(same, found)
        return found

    def _shift_at(self, index: int) -> int:
        """How far the units around `index` moved, by the nearest quote found so far (0 if none)."""
        shifts = self._shifts
        if not shifts:
            return 0
        at = bisect.bisect_left(shifts, (index, -(1 << 30)))
        nearest = min(
            (shifts[i] for i in (at - 1, at) if 0 <= i < len(shifts)),
            key=lambda item: abs(item[0] - index),
        )
        return nearest[1]

    def _learn(self, same: int, found: Found) -> None:
        """Remember how far the unit of old label `same` moved, where `found` says."""
        moved_to = self._by_label.get(found.unit or "")
        if moved_to is not None:
            bisect.insort(self._shifts, (same, moved_to - same))

    def _near(self, index: int | None) -> list[int]:
        if index is None:
            return []
        return list(range(max(0, index - NEAR), min(len(self.units), index + NEAR + 1)))

    def _flat_window(self, first: int, stop: int, reach: int) -> tuple[int, int]:
        """Flat offsets from the start of unit `first` to past unit `stop - 1` (and `reach`
        more, so a quote that runs over the end is inside)."""
        return self._flat_starts[first], min(len(self.flat), self._flat_ends[stop - 1] + reach)

    def _exact(self, needle: str, unit: str, lo: int, hi: int) -> Found | None:
        """`needle` unchanged between flat offsets `lo` and `hi`: exact when in unit `unit`,
        else moved (the first place found)."""
        first: tuple[int, int, DraftUnit | None] | None = None
        at = self.flat.find(needle, lo, hi)
        while at >= 0:
            start, end = self.real_span(at, at + len(needle))
            found_in = self.unit_at(start)
            if found_in is not None and found_in.label == unit:
                return Found(QuoteStatus.EXACT, start, end, unit, self.text[start:end])
            if first is None:
                first = (start, end, found_in)
            at = self.flat.find(needle, at + 1, hi)
        if first is None:
            return None
        start, end, found_in = first
        label = found_in.label if found_in else unit
        return Found(QuoteStatus.MOVED, start, end, label, self.text[start:end])

    def _fuzzy(self, needle: str, unit: str, near: list[int], threshold: float) -> Found:
        from rapidfuzz import fuzz  # only when a quote is not found unchanged

        cutoff = threshold * 100
        best: tuple[float, int, int] | None = None
        tried: set[int] = set()
        # The unit of the old label and the one the quotes found so far point to, then their
        # neighbours, then the units anywhere that share the quote's word pairs.
        for group in (near[:2], near[2:], None):
            if best is not None and best[0] >= cutoff:
                break
            candidates = group if group is not None else self._candidates(needle, unit)
            aligned: list[tuple[float, int, str, int, int]] = []
            for index in candidates:
                if index in tried:
                    continue
                tried.add(index)
                lo, hi = self._flat_window(index, index + 1, len(needle) // 2)
                lo = max(0, lo - len(needle) // 2)
                window = self.flat[lo:hi]
                # partial_ratio finds the window's passage of the quote's length closest to it;
                # the new wording may be longer or shorter, so the ends are then moved word by
                # word, for the closest two windows only (that costs a hundred times more).
                found = fuzz.partial_ratio_alignment(needle, window, score_cutoff=cutoff - 15)
                if found is not None:
                    aligned.append((found.score, lo, window, found.dest_start, found.dest_end))
            for _, lo, window, start, end in sorted(aligned, reverse=True)[:2]:
                score, start, end = _refine(needle, window, start, end, cutoff)
                if best is None or score > best[0]:
                    best = (score, lo + start, lo + end)
        if best is None or best[0] < cutoff:
            return Found(QuoteStatus.MISSING)
        score, flat_start, flat_end = best
        start, end = self.real_span(flat_start, flat_end)
        found_in = self.unit_at(start)
        return Found(
            QuoteStatus.CHANGED,
            start,
            end,
            found_in.label if found_in else unit,
            self.text[start:end],
            round(score / 100, 3),
        )

    def _candidates(self, needle: str, unit: str) -> list[int]:
        """The units most worth aligning with `needle`: those holding the most of its pairs of
        consecutive words (pairs tell passages apart far better than single words), each pair
        looked up in the whole text; the unit of its old label is among them when it holds any.

        A pair found in very many places says nothing of where the quote went, and is not
        counted. Nothing is built beforehand, so a round whose quotes are all found unchanged
        pays nothing for this.
        """
        if self._lower is None:
            self._lower = self.flat.lower()
        words = needle.lower().split()
        # The longest pairs are the likeliest to be rare.
        pairs = sorted({f"{a} {b}" for a, b in itertools.pairwise(words)}, key=len, reverse=True)
        counts: Counter[int] = Counter()
        for probe in pairs[:PROBES] or [" ".join(words)]:
            hits: list[int] = []
            at = self._lower.find(probe)
            while at >= 0 and len(hits) <= COMMON:
                hits.append(bisect.bisect_right(self._flat_starts, at) - 1)
                at = self._lower.find(probe, at + 1)
            if len(hits) <= COMMON:
                counts.update(set(hits))
        ranked = [index for index, _ in counts.most_common(CANDIDATES)]
        same = self._by_label.get(unit)
        if same is not None and same in counts and same not in ranked:
            ranked[-1:] = [same]
        return [index for index in ranked if index >= 0]

    def flat_text(self, unit: DraftUnit) -> str:
        """A unit's text with its white space made single spaces."""
        return self.flat[self.flat_offset(unit.start) : self.flat_offset(unit.end)]


_SENTENCE_END = ".!?;:"


def _refine(
    needle: str, window: str, start: int, end: int, cutoff: float
) -> tuple[float, int, int]:
    """The span near `start`-`end` of `window`, on word boundaries, most like `needle`.

    A quote of a whole sentence stays a whole sentence: when the closest span stops short of the
    sentence's end (words were added to it), it runs on to that end if it is still similar enough.
    """
    from rapidfuzz import fuzz

    slack = max(12, len(needle) // 3)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", window)]
    starts = [s for s, _ in words if start - slack <= s <= start + slack] or [start]
    ends = [e for _, e in words if end - slack <= e <= end + slack] or [end]
    best = (-1.0, start, end)
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            score = fuzz.ratio(needle, window[s:e])
            # Among equal scores, the span closest to the alignment.
            if score > best[0] or (
                score == best[0]
                and abs(s - start) + abs(e - end) < abs(best[1] - start) + abs(best[2] - end)
            ):
                best = (score, s, e)
    score, s, e = best
    if needle[-1] in _SENTENCE_END and window[e - 1] not in _SENTENCE_END:
        stop = next(
            (i for i in range(e, min(len(window), e + 3 * slack)) if window[i] in _SENTENCE_END),
            None,
        )
        if stop is not None and (longer := fuzz.ratio(needle, window[s : stop + 1])) >= cutoff:
            return longer, s, stop + 1
    return best
