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
are picked first by the quote's rarer words (those in at most a quarter of the units), and only the
best few are aligned.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from guaranteekit.drafts.read import text_digest
from guaranteekit.formats.models import DraftUnit, Quote, QuoteStatus

SIMILARITY = 0.8
"""The least similarity (`fuzz.ratio` / 100 of the old wording and the new) at which a quote not
found unchanged counts as found with changed wording; below it the quote is missing."""

CANDIDATES = 6
"""How many units, picked by shared rare words, are aligned with a quote not found unchanged."""

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w{3,}")


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
        pieces: list[str] = []
        # Segment k of the flat text begins at flat offset flat_at[k], real offset real_at[k]; in a
        # segment, both advance together.
        self._flat_at = [0]
        self._real_at = [0]
        last = 0
        flat = 0
        for match in _SPACE.finditer(text):
            pieces.append(text[last : match.start()])
            pieces.append(" ")
            flat += match.start() - last + 1
            last = match.end()
            self._flat_at.append(flat)
            self._real_at.append(last)
        pieces.append(text[last:])
        self.flat = "".join(pieces)
        self._words: dict[str, list[int]] | None = None

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
        for unit in self.units:
            if unit.label == label:
                return unit
        return None

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
        """Where `text`, quoted from unit `unit` of an earlier text, stands in this one."""
        needle = _SPACE.sub(" ", text).strip()
        if not needle:
            return Found(QuoteStatus.MISSING)
        first: tuple[int, int, DraftUnit | None] | None = None
        at = self.flat.find(needle)
        while at >= 0:
            start, end = self.real_span(at, at + len(needle))
            found_in = self.unit_at(start)
            if found_in is not None and found_in.label == unit:
                return Found(QuoteStatus.EXACT, start, end, unit, self.text[start:end])
            if first is None:
                first = (start, end, found_in)
            at = self.flat.find(needle, at + 1)
        if first is not None:
            start, end, found_in = first
            label = found_in.label if found_in else unit
            return Found(QuoteStatus.MOVED, start, end, label, self.text[start:end])
        return self._fuzzy(needle, unit, threshold)

    def _fuzzy(self, needle: str, unit: str, threshold: float) -> Found:
        from rapidfuzz import fuzz  # only when a quote is not found unchanged

        best: tuple[float, int, int] | None = None
        cutoff = threshold * 100
        for index in self._candidates(needle, unit):
            candidate = self.units[index]
            lo = max(0, self.flat_offset(candidate.start) - len(needle) // 2)
            hi = min(len(self.flat), self.flat_offset(candidate.end) + len(needle) // 2)
            window = self.flat[lo:hi]
            # partial_ratio finds the window's passage of the quote's length closest to it; the
            # new wording may be longer or shorter, so the ends are then moved word by word.
            aligned = fuzz.partial_ratio_alignment(needle, window, score_cutoff=cutoff - 15)
            if aligned is None:
                continue
            score, start, end = _refine(
                needle, window, aligned.dest_start, aligned.dest_end, cutoff
            )
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
        """The units most worth aligning with `needle`: the most of its rarer words, the unit with
        its old label first among equals."""
        if self._words is None:
            words: dict[str, list[int]] = {}
            for index, u in enumerate(self.units):
                for word in set(_WORD.findall(self.flat_text(u).lower())):
                    words.setdefault(word, []).append(index)
            self._words = words
        rare_limit = max(2, len(self.units) // 4)
        counts: Counter[int] = Counter()
        quote_words = set(_WORD.findall(needle.lower()))
        rare = [w for w in quote_words if len(self._words.get(w, ())) <= rare_limit]
        for word in rare or quote_words:
            counts.update(self._words.get(word, ()))
        same = self.unit(unit)
        same_index = self.units.index(same) if same is not None else -1
        ranked = sorted(counts, key=lambda i: (-counts[i], i != same_index, i))
        return ranked[:CANDIDATES]

    def flat_text(self, unit: DraftUnit) -> str:
        """A unit's text with its white space made single spaces."""
        return _SPACE.sub(" ", self.text[unit.start : unit.end])


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
