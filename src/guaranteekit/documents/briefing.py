"""What a decision maker reads first: each verdict's robustness in words, the planned asks, the
price, what the numbers rest on, and whether every report passed `verify`.

`finish` adds these to a built `Document` (`documents.build`), from the reports themselves and the
decision support run over them (`cli.analysis_text.compare_extras`), and puts a comparison's
packages in their ranked order, so that every table, chart and list of one document shows them in
the same order. The words are chosen here, once, so that every format says the same.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from guaranteekit.documents.columns import level_label
from guaranteekit.documents.decision import DecisionSupport, PackageSupport
from guaranteekit.documents.model import (
    Document,
    Entry,
    Plan,
    PlanChange,
    Reference,
    Robustness,
    Unverified,
)
from guaranteekit.formats.assessment import Scored
from guaranteekit.formats.models import CriteriaSet
from guaranteekit.scoring.plans import AskPlan

SPREAD_WORDS = "each weight moved by up to a quarter either way"


def generated_date() -> str:
    """Today (UTC), or the day `SOURCE_DATE_EPOCH` names: the convention of reproducible builds,
    which also keeps the documents the tests compare byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return datetime.now(UTC).date().isoformat()


def robustness_words(probability: float, otherwise: str) -> str:
    """`holds in 7 of 10 plausible weightings; otherwise Thin`: a share a reader can picture.

    Tenths where they are exact enough to say, hundredths near the ends (97 of 100 is not "10 of
    10"), and "every ... drawn" only when no draw gave another verdict; how many were drawn, and
    what they leave out, is said once for the document (`uncertainty`).
    """
    if probability >= 1.0:
        return "holds in every plausible weighting drawn"
    tenths = round(probability * 10)
    if 1 <= tenths <= 9 and abs(probability * 10 - tenths) < 0.25:
        share = f"{tenths} of 10"
    else:
        hundredths = min(99, max(1, round(probability * 100)))
        share = f"{hundredths} of 100"
    if probability < 0.005:
        share = "fewer than 1 in 100"
    tail = f"; otherwise {otherwise}" if otherwise else ""
    return f"holds in {share} plausible weightings{tail}"


def _robustness(package: PackageSupport, criteria: CriteriaSet) -> Robustness:
    verdict = package.verdict
    probability = package.verdict_probability
    shares = package.verdict_probabilities
    others = sorted(
        ((share, band) for band, share in shares.items() if band != verdict and share > 0),
        key=lambda item: -item[0],
    )
    otherwise = ""
    if others:
        try:
            otherwise = criteria.band(others[0][1]).label
        except KeyError:
            otherwise = others[0][1]
    return Robustness(
        words=robustness_words(probability, otherwise),
        probability=probability,
        otherwise=otherwise,
        fragile=package.fragile,
        reasons=list(package.fragile_reasons),
    )


def plan(criteria: CriteriaSet, data: AskPlan) -> Plan:
    """A planned ask (`scoring.plans.AskPlan`) with labels for people."""

    def band_label(band: str) -> str:
        try:
            return criteria.band(band).label
        except KeyError:
            return band

    changes = []
    for change in data.changes:
        cid = change.criterion
        try:
            title = criteria.criterion(cid).title
        except KeyError:
            title = cid
        changes.append(
            PlanChange(
                criterion=cid,
                title=title,
                from_label=level_label(criteria, cid, change.from_level),
                to_label=level_label(criteria, cid, change.to_level),
                text=change.text,
                lifts_gate=change.lifts_gate,
            )
        )
    after = data.verdict_after
    return Plan(
        target=data.target,
        band=data.band,
        band_label=band_label(data.band),
        reachable=data.reachable,
        reason=data.reason,
        changes=changes,
        score_after=data.score_after,
        verdict_after_label=band_label(after) if after else "",
    )


def _overlapping(entries: Sequence[Entry]) -> bool:
    """Whether any two packages' score ranges overlap (so their order is not settled)."""
    reach = None
    for low, high in sorted((e.low, e.high) for e in entries):
        if reach is not None and low <= reach:
            return True
        reach = high if reach is None else max(reach, high)
    return False


def uncertainty(entries: Sequence[Entry], support: DecisionSupport) -> str:
    """What the robustness figures cover, worded from what the run reports about itself."""
    settings = support.settings
    if settings is None:
        return (
            "How robust the verdicts are was not worked out for this document (decision support"
            " was off); the score ranges show what the unknown answers and the analysts'"
            " confidence could do."
        )
    draws = settings.draws
    open_answers = sum(len(e.unknown) + len(e.unanswered) for e in entries)
    drawn = settings.unknowns_drawn
    how = (
        f"The robustness figures come from {draws:,} plausible weightings: {SPREAD_WORDS}, and the"
        " answers given with low or medium confidence moved within it."
    )
    if not open_answers:
        return how + " Every criterion is answered, so nothing else is uncertain."
    if drawn:
        return (
            how + f" The {open_answers} unknown or unanswered answers are drawn too, each at any of"
            " its levels, so the figures cover the same uncertainty as the score ranges."
        )
    overlap = (
        " Here some score ranges overlap: those packages' order is not settled, however often it"
        " held in the draws."
        if len(entries) > 1 and _overlapping(entries)
        else ""
    )
    return (
        how + f" They leave out the {open_answers} unknown or unanswered answers, which the score"
        " ranges do cover, so a verdict or a ranking can hold in every draw while the ranges"
        f" overlap.{overlap}"
    )


def rests_on(document: Document) -> str:
    """One sentence: the criteria (and version), the lens (profile), and verification."""
    sets = "; ".join(f"{s.title} ({s.id} {s.version})" for s in document.criteria_sets)
    lens = (
        f"profile {', '.join(document.profiles)}"
        if document.profiles
        else "the set's own weights (no profile)"
    )
    count = len(document.entries)
    parts = []
    if document.unverified:
        parts.append(
            f"{_of(len(document.unverified), count)} FAIL verify and"
            f" {_be(len(document.unverified))} used unverified ({_names(document.unverified)})"
        )
    if document.incomplete:
        parts.append(
            f"{_of(len(document.incomplete), count)}"
            f" {'is an incomplete draft' if len(document.incomplete) == 1 else 'are incomplete drafts'},"
            " with criteria not yet"
            f" answered or explained ({_names(document.incomplete)})"
        )
    if not parts:
        checked = (
            "the report passes verify"
            if count == 1
            else ("both reports pass verify" if count == 2 else f"all {count} reports pass verify")
        )
    else:
        passed = count - len(document.unverified) - len(document.incomplete)
        checked = (
            f"{_of(passed, count)} {'passes' if passed == 1 else 'pass'} verify; "
            + "; ".join(parts)
        )
    return f"Criteria: {sets}. Lens: {lens}. Verification: {checked}."


def _of(part: int, count: int) -> str:
    return f"{part} of {count}"


def _be(count: int) -> str:
    return "is" if count == 1 else "are"


def _names(reports: Sequence[Unverified]) -> str:
    """The packages' names, or their files where names repeat (the rounds of one draft)."""
    names = [u.name for u in reports]
    if len(set(names)) < len(names):
        names = [Path(u.file).name for u in reports]
    return ", ".join(names)


def finish(
    document: Document,
    scored: Sequence[Scored],
    *,
    support: DecisionSupport | None = None,
    plans: Sequence[Sequence[AskPlan]] = (),
    unverified: Sequence[Unverified] = (),
    incomplete: Sequence[Unverified] = (),
    marking: str = "",
    references: Sequence[Sequence[Reference]] = (),
) -> Document:
    """The document with its briefing: the decision support, robustness, plans, marks, what it
    rests on; a comparison's entries (and each row's cells) in ranked order.

    `scored` and `plans` (and `references`) are in the order the document's entries were built in.
    """
    support = support if support is not None else DecisionSupport()
    document.decision_support = support
    packages = {p.index: p for p in support.packages or []}
    bad = {u.file for u in unverified}
    for index, (entry, item) in enumerate(zip(document.entries, scored, strict=True)):
        if index in packages:
            entry.robustness = _robustness(packages[index], item.criteria)
        if index < len(plans):
            entry.plans = [plan(item.criteria, data) for data in plans[index]]
        if index < len(references):
            entry.references = list(references[index])
        entry.verified = entry.file not in bad
    document.unverified = list(unverified)
    document.incomplete = list(incomplete)
    document.marking = marking
    document.generated = generated_date()
    if document.kind == "compare" and document.ranking:
        _rank_order(document)
    document.rests_on = rests_on(document)
    document.uncertainty = uncertainty(document.entries, support)
    return document


def _rank_order(document: Document) -> None:
    """Entries and every row's cells in ranked order: one package order throughout."""
    place = {entry.key: i for i, entry in enumerate(document.entries)}
    order = [place[item.package] for item in document.ranking]
    document.entries = [document.entries[i] for i in order]
    for row in document.rows:
        row.cells = [row.cells[i] for i in order]
