"""Reference points: between which worked examples a score falls, rescored like for like."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, computed_field

from guaranteekit.errors import LoadError
from guaranteekit.formats.models import (
    CriteriaSet,
    Profile,
    Report,
)
from guaranteekit.scoring import core as scoring
from guaranteekit.textsafe import one_line


class Reference(BaseModel):
    """A worked example scored with the same criteria (and profile)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    score: float
    verdict: str
    path: str


class ReferencePoints(BaseModel):
    """Where a score falls among the worked examples; `score --json` writes it as `model_dump()`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    examples: tuple[Reference, ...] = ()
    """Every usable example, lowest score first."""
    below: tuple[Reference, ...] = ()
    """The example(s) just below the score (highest score under it)."""
    above: tuple[Reference, ...] = ()
    """The example(s) just above the score."""
    level: tuple[Reference, ...] = ()
    """Examples with the same score."""

    def sentence(self) -> str:
        """E.g. `above Budapest Memorandum (12.0), below Paris Declaration (55.3)`."""

        def names(refs: tuple[Reference, ...]) -> str:
            return " and ".join(f"{one_line(r.name)} ({r.score:.1f})" for r in refs)

        parts = []
        if self.level:
            parts.append(f"level with {names(self.level)}")
        if self.below:
            parts.append(f"above {names(self.below)}")
        if self.above:
            parts.append(f"below {names(self.above)}")
        return ", ".join(parts)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """The sentence, for readers of the data."""
        return self.sentence()


def _load_example(path: Path) -> Report | None:
    from guaranteekit.formats.assessment import load_report

    try:
        return load_report(path)
    except LoadError:
        return None


def reference_points(
    criteria: CriteriaSet,
    score: float | None,
    profile: Profile | None = None,
    examples_dir: Path | None = None,
    exclude: Path | None = None,
) -> ReferencePoints:
    """Between which worked examples a score falls.

    The examples are the `*.toml` reports in `examples_dir` (default: the built-in examples) scored
    against a criteria set with the same id; they are rescored here with `criteria` and `profile`,
    so the comparison is like for like. Files that do not load, or whose answers do not fit the
    criteria, are skipped; `exclude` (the report being scored) is left out.
    """
    from guaranteekit.formats.assessment import check_answers
    from guaranteekit.formats.catalog import resource_dir

    folder = Path(examples_dir) if examples_dir is not None else resource_dir("examples")
    if score is None or not folder.is_dir():
        return ReferencePoints()
    skip = Path(exclude).resolve() if exclude is not None else None
    found: list[Reference] = []
    for path in sorted(folder.glob("*.toml")):
        if skip is not None and path.resolve() == skip:
            continue
        report = _load_example(path)
        if report is None or report.criteria.id != criteria.id:
            continue
        if check_answers(report, criteria, str(path)):
            continue
        results = scoring.compute(criteria, report.answers, profile)
        if results.score is None:
            continue
        found.append(
            Reference(
                name=report.package.name,
                score=results.score,
                verdict=results.verdict,
                path=str(path),
            )
        )
    found.sort(key=lambda r: (r.score, r.name))
    under = [r for r in found if r.score < score]
    over = [r for r in found if r.score > score]
    best_under = tuple(r for r in under if under and r.score == under[-1].score)
    best_over = tuple(r for r in over if over and r.score == over[0].score)
    return ReferencePoints(
        examples=tuple(found),
        below=best_under,
        above=best_over,
        level=tuple(r for r in found if r.score == score),
    )


__all__ = [
    "Reference",
    "ReferencePoints",
    "reference_points",
]
