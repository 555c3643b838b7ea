"""The positions file: what one party to a negotiation has ruled out or insists on, and loading it.

A positions file names, for a party, levels of criteria of one criteria set that the party has
ruled out or insists on (at least one of), each with its source and how firm it is. It is checked
against the set like a profile (`check_positions`), and a group of files against each other
(`check_together`): red lines of different parties that leave a criterion no level mean no
package satisfies them all. `scoring.positions` plans within them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from guaranteekit.errors import LoadError, NotFoundError
from guaranteekit.formats.models import CriteriaSet, NonEmpty, Slug, Strict
from guaranteekit.formats.storage import read_model

LevelIds = Annotated[list[Slug], Field(min_length=1)]
ShortText = Annotated[str, StringConstraints(max_length=4000)]


class Firmness(StrEnum):
    """How firmly a party holds a position; only red lines constrain the planning."""

    RED_LINE = "red-line"
    PREFERENCE = "preference"
    INFERRED = "inferred"


class Position(Strict):
    """One position of the party on one criterion."""

    criterion: Slug
    """The criterion id in the set named by `criteria`."""
    rules_out: list[Slug] | None = None
    """Level ids the party will not accept."""
    insists_on: LevelIds | None = None
    """Level ids of which the party insists on at least one."""
    source: NonEmpty
    """Where the position is stated: a paper and section, or a public statement with its date."""
    firmness: Firmness
    """`red-line` (stated as one: the planning never crosses it), `preference` (stated, not as a
    condition: reported) or `inferred` (read from the party's conduct or other positions:
    reported)."""
    note: ShortText = ""
    """What the party said, in a sentence, and why it maps to these levels."""

    @model_validator(mode="after")
    def _check(self) -> Position:
        if not self.rules_out and not self.insists_on:
            raise ValueError("a position needs rules_out or insists_on (a non-empty list)")
        both = sorted(set(self.rules_out or ()) & set(self.insists_on or ()))
        if both:
            raise ValueError(f"the party both rules out and insists on {', '.join(both)}")
        return self


class PositionsFile(Strict):
    """A party's stated positions on the criteria of one criteria set."""

    format_version: Literal[1]
    """Version of this file format; must be 1."""
    party: NonEmpty
    """The party whose positions these are, as reports name it (for example `United States`)."""
    as_of: dt.date
    """The date of the latest statement the positions record."""
    criteria: Slug
    """The `id` of the criteria set whose criterion and level ids the positions use."""
    description: ShortText = ""
    """What the file records and from which sources."""
    positions: Annotated[list[Position], Field(min_length=1)]
    """The positions, one per criterion and stance."""


@dataclass(frozen=True, slots=True)
class LoadedPositions:
    """A positions file read and checked, with the name it was read under (for messages)."""

    name: str
    data: PositionsFile


def allowed_levels(position: Position, level_ids: list[str]) -> frozenset[str]:
    """The levels of the criterion a position leaves (in the set's order, as ids)."""
    out = set(level_ids)
    if position.rules_out:
        out -= set(position.rules_out)
    if position.insists_on:
        out &= set(position.insists_on)
    return frozenset(out)


def check_positions(positions: PositionsFile, criteria: CriteriaSet, name: str) -> list[str]:
    """Problems with one positions file against the set it names: one line each."""
    if positions.criteria != criteria.id:
        return [f"{name}: criteria: positions use {positions.criteria!r}, not {criteria.id!r}"]
    problems: list[str] = []
    by_id = {c.id: c for c in criteria.criteria}
    left: dict[str, tuple[set[str], list[int]]] = {}
    for index, position in enumerate(positions.positions):
        place = f"{name}: positions[{index}]"
        criterion = by_id.get(position.criterion)
        if criterion is None:
            problems.append(
                f"{place}.criterion: unknown criterion {position.criterion!r} in {criteria.id}"
            )
            continue
        ids = [level.id for level in criterion.levels]
        for key in ("rules_out", "insists_on"):
            for at, level in enumerate(getattr(position, key) or ()):
                if level not in ids:
                    problems.append(
                        f"{place}.{key}[{at}]: unknown level {level!r} of {criterion.id}"
                        f" (levels: {', '.join(ids)})"
                    )
        if position.firmness is Firmness.RED_LINE:
            levels, places = left.setdefault(criterion.id, (set(ids), []))
            levels &= allowed_levels(position, ids)
            places.append(index)
            if not levels:
                where = ", ".join(f"positions[{i}]" for i in places)
                problems.append(
                    f"{name}: {where}: the red lines on {criterion.id} leave it no level"
                )
    return problems


def check_together(loaded: list[LoadedPositions], criteria: CriteriaSet) -> list[str]:
    """Red lines of different files that leave a criterion no level: no package satisfies all."""
    problems: list[str] = []
    by_id = {c.id: c for c in criteria.criteria}
    seen: dict[str, tuple[frozenset[str], list[str]]] = {}
    for item in loaded:
        for index, position in enumerate(item.data.positions):
            criterion = by_id.get(position.criterion)
            if criterion is None or position.firmness is not Firmness.RED_LINE:
                continue
            ids = [level.id for level in criterion.levels]
            levels, places = seen.get(criterion.id, (frozenset(ids), []))
            place = f"{item.name}: positions[{index}] ({item.data.party})"
            narrowed = levels & allowed_levels(position, ids)
            if not narrowed and levels and places:
                problems.append(
                    f"{place}: contradicts {'; '.join(places)} on {criterion.id}:"
                    f" no level is left, so no package satisfies all positions"
                )
            seen[criterion.id] = (narrowed, [*places, place])
    return problems


SHIPPED = ("us", "russia", "coalition", "ukraine")
"""The positions files shipped in `positions/`, by id."""


def shipped_path(ident: str) -> Path:
    """The file of a shipped party (`us`, `russia`, ...) in the package or the checkout."""
    from guaranteekit.formats.catalog import resource_dir

    return resource_dir("positions") / f"{ident}.toml"


def resolve(ref: str) -> Path:
    """A path as given, or the shipped file for an id such as `us` (an id never names a file in the
    current folder: write `./us` for that)."""
    if "/" in ref or ref.endswith(".toml"):
        return Path(ref)
    if ref in SHIPPED:
        return shipped_path(ref)
    raise NotFoundError(
        f"positions {ref!r}: not a shipped party ({', '.join(SHIPPED)}) nor a .toml path"
    )


def load_positions(refs: list[str], criteria: CriteriaSet) -> list[LoadedPositions]:
    """Read and check positions files (paths or shipped ids) against a set and each other.

    Every problem of every file is collected first, so one run names them all.
    """
    loaded: list[LoadedPositions] = []
    problems: list[str] = []
    missing: list[str] = []
    for ref in refs:
        path = resolve(ref)
        try:
            data = read_model(path, PositionsFile)
        except NotFoundError as exc:
            missing += exc.problems
            continue
        except LoadError as exc:
            problems += exc.problems
            continue
        found = check_positions(data, criteria, str(path))
        problems += found
        if not found:
            loaded.append(LoadedPositions(str(path), data))
    if missing:
        raise NotFoundError(missing + problems)
    if not problems:
        problems = check_together(loaded, criteria)
    if problems:
        raise LoadError(problems)
    return loaded


__all__ = [
    "SHIPPED",
    "Firmness",
    "LoadedPositions",
    "Position",
    "PositionsFile",
    "allowed_levels",
    "check_positions",
    "check_together",
    "load_positions",
    "resolve",
    "shipped_path",
]
