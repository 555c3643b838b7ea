"""The summary: verdict and why, pillar scores, scenarios, gaps, and the ranked asks; save from here.

It reads the session's current results (computed by the core) and only lays them out.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from guaranteekit.formats.models import CriteriaSet, Report, Results
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import bar, fmt, verdict_lines


def _heading(text: str) -> Content:
    return Content.styled(text, "bold underline")


def why_lines(criteria: CriteriaSet, results: Results) -> list[Content]:
    """Why the verdict is what it is: the band's meaning, the gates that cap it, what is missing."""
    band = criteria.band(results.verdict)
    lines = [Content.assemble(("Means: ", "bold"), one_line(band.meaning))]
    if results.score is not None:
        lines.append(
            Content(
                f"The score {results.score:.1f} falls in "
                f"{one_line(criteria.band(results.uncapped_verdict).label)}"
                f" (from {criteria.band(results.uncapped_verdict).min_score:g})."
            )
        )
    for cid in results.gates_fired:
        criterion = criteria.criterion(cid)
        if criterion.gate is None:
            continue
        lines.append(
            Content.assemble(
                ("✗ Gate fires: ", "bold"),
                one_line(criterion.title),
                f" is below {one_line(criterion.level(criterion.gate.level).label)}, so the"
                f" verdict cannot rise above {one_line(criteria.band(criterion.gate.cap).label)}.",
                f" {one_line(criterion.gate.reason)}" if criterion.gate.reason else "",
            )
        )
    if results.provisional:
        lines.append(
            Content(
                f"Provisional: {len(results.unanswered)} unanswered and {len(results.unknown)}"
                f" unknown; the score could lie anywhere from {results.low:.1f} to"
                f" {results.high:.1f}."
            )
        )
    for cid in results.gates_open:
        lines.append(
            Content.assemble(
                ("? Gate open: ", "bold"),
                one_line(criteria.criterion(cid).title),
                " is not answered yet and may cap the verdict.",
            )
        )
    return lines


def summary_content(criteria: CriteriaSet, report: Report) -> list[Content]:
    """Every block of the summary, in reading order."""
    results = report.results
    assert results is not None
    package = report.package
    out: list[Content] = []
    meta = " · ".join(one_line(x) for x in (package.round, package.date) if x)
    out.append(Content.assemble((one_line(package.name), "bold"), f"  {meta}" if meta else ""))
    if package.guarantors:
        out.append(Content("Guarantors: " + ", ".join(one_line(g) for g in package.guarantors)))
    else:
        out.append(Content("Guarantors: none named"))
    out.append(Content(""))
    out += verdict_lines(criteria, results)
    out += why_lines(criteria, results)
    out.append(Content(""))
    recheck = [a for a in report.answers if a.recheck]
    if recheck:
        out.append(_heading(f"To re-check against this round's draft: {len(recheck)}"))
        for answer in recheck:
            title = one_line(criteria.criterion(answer.criterion).title)
            out.append(Content(f"↻ {title}: {one_line(answer.recheck or '')}"))
        out.append(Content(""))

    out.append(_heading("Pillars"))
    by_pillar = {p.pillar: p for p in results.pillars}
    width = max(len(one_line(p.title)) for p in criteria.pillars)
    width = min(width, 34)
    for pillar in criteria.pillars:
        result = by_pillar.get(pillar.id)
        score = result.score if result else None
        rng = ""
        if result and result.low is not None and result.high is not None:
            rng = f"  ({result.low:.0f}–{result.high:.0f})"
        title = one_line(pillar.title)
        title = title if len(title) <= width else title[: width - 1] + "…"
        out.append(
            Content.assemble(
                title.ljust(width),
                " ",
                (bar(score, 20), "$accent" if score is not None else "dim"),
                f" {fmt(score):>5}{rng}",
            )
        )
    if results.scenarios:
        out.append(Content(""))
        out.append(_heading("Per ceasefire scenario"))
        labels = {s.id: s.label for s in criteria.scenarios}
        for scenario in results.scenarios:
            out.append(
                Content(
                    f"{one_line(labels.get(scenario.scenario, scenario.scenario))}: "
                    f"{fmt(scenario.score)}  {one_line(criteria.band(scenario.verdict).label)}"
                )
            )
    out.append(Content(""))
    count = len(results.gaps)
    out.append(
        _heading(f"Gaps: {count} {'criterion' if count == 1 else 'criteria'} below their top level")
    )
    if not results.gaps:
        out.append(Content("none"))
    for cid in results.gaps:
        criterion = criteria.criterion(cid)
        answer = report.answer(cid)
        if answer is None or answer.level is None:
            continue
        position = criterion.level_index(answer.level) + 1
        out.append(
            Content(
                f"· {one_line(criterion.title)}: {one_line(criterion.level(answer.level).label)}"
                f" (level {position} of {len(criterion.levels)})"
            )
        )
    out.append(Content(""))
    out.append(_heading("What to demand next (best first)"))
    if not results.asks:
        out.append(Content("nothing: every criterion is at its top level"))
    for index, ask in enumerate(results.asks, 1):
        criterion = criteria.criterion(ask.criterion)
        to_label = one_line(criterion.level(ask.to_level).label)
        from_label = (
            one_line(criterion.level(ask.from_level).label)
            if any(level.id == ask.from_level for level in criterion.levels)
            else ask.from_level  # unknown or unanswered
        )
        flags = "  [lifts a gate]" if ask.lifts_gate else ""
        out.append(
            Content.assemble(
                (f"{index:>2}. ", "bold"),
                (one_line(criterion.title), "bold"),
                f": {from_label} → {to_label}",
                f"  (+{ask.gain:.1f} points; verdict then"
                f" {one_line(criteria.band(ask.verdict_after).label)}){flags}",
            )
        )
        out.append(Content("    Demand: " + clean(ask.text)))
    return out


class SummaryScreen(Screen[None]):
    """The whole result at a glance, with the asks ranked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "app.save", "Save", priority=True),
        Binding("f2", "app.details", "Details"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        with VerticalScroll(id="summary"):
            yield Static("", id="summary-body", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#summary", VerticalScroll).focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw from the session's current report."""
        from guaranteekit.tui.screens.assess import topbar_content

        self.query_one("#topbar", Static).update(topbar_content(self.session, "Summary"))
        body = summary_content(self.session.criteria, self.session.report)
        self.query_one("#summary-body", Static).update(Content("\n").join(body))

    def action_back(self) -> None:
        self.dismiss(None)
