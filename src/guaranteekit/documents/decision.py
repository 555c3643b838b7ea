"""Decision support as a document carries it: the pydantic models of `Document.decision_support`.

`cli.analysis_text.compare_extras` (several packages) and `report_extras` (one) fill them from
`scoring.montecarlo` and `scoring.thresholds`; `documents.briefing` words them for people. Parts a
run does not give are None, so that `model_dump(exclude_none=True)` (what every format writes)
leaves them out: no run at all is an empty table.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from guaranteekit.scoring.thresholds import WeightLimits


class _Part(BaseModel):
    """Unknown keys are errors, as in `documents.model`, so a document read back is checked."""

    model_config = ConfigDict(extra="forbid")


class RunSettings(_Part):
    """How the Monte Carlo run was made."""

    draws: int
    seed: int
    spread: float
    """Each weight is multiplied by a uniform draw in [1 - spread, 1 + spread]."""
    method: str
    """The method in words."""
    fragile_below: float
    """A verdict (or ranking) holding in fewer of the draws than this is fragile."""
    unknowns_drawn: bool
    """Whether every run drew the unknown and unanswered answers too."""


class PackageSupport(_Part):
    """One package's verdict under the run: how often it holds and why it may be fragile."""

    name: str
    index: int
    """The package's place in the input order (the document's entries may be ranked)."""
    verdict: str
    verdict_label: str
    verdict_probability: float
    verdict_probabilities: dict[str, float]
    """Band id -> share of the draws, every band listed."""
    fragile: bool
    fragile_reasons: list[str]
    rank: int | None = None
    """Comparisons only: the package's place, 1 first."""
    rank_probabilities: list[float] | None = None
    """Comparisons only: the share of draws at each rank."""
    unknowns_drawn: bool
    """Whether this run drew the unknown answers too (the documents word it from this)."""
    score: float | None = None
    """Absent when nothing is answered."""
    closest_weight: WeightLimits | None = None
    """Comparisons only: the weight closest to changing the verdict; absent when none can."""


class RankingSupport(_Part):
    """How the comparison's order holds under the run."""

    order: list[str]
    """Package names, best first."""
    probability: float
    """Share of the draws giving exactly that order."""
    fragile: bool
    reasons: list[str]


class ReorderingWeight(_Part):
    """A criterion whose weight, scaled in every package, reorders them."""

    criterion: str
    title: str
    lower: float
    """Below this multiplier the order changes (0: no lower multiplier does)."""
    lower_swap: list[str] | None = None
    """The two packages that swap below `lower` (absent when `lower` is 0)."""
    upper: float | None = None
    """Above this multiplier the order changes (absent: no higher multiplier does)."""
    upper_swap: list[str] | None = None
    within_range: bool
    """Whether a multiplier within the run's spread reorders them."""


class DecisionSupport(_Part):
    """Fragility flags and probabilities; every part absent when decision support did not run."""

    settings: RunSettings | None = None
    packages: list[PackageSupport] | None = None
    """In input order."""
    ranking: RankingSupport | None = None
    """Comparisons only."""
    rank_thresholds: list[ReorderingWeight] | None = None
    """Comparisons only: the criteria whose weight reorders the packages soonest."""
