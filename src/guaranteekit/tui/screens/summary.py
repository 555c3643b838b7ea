"""The summary: everything `guaranteekit score` shows, what verify would report, and the review.

Verdict and why, pillar scores, scenarios, gaps and the ranked asks; then the planned asks, the
weights closest to changing the verdict, the Monte Carlo robustness (fragile or not) and the
reference points among the worked examples, as `score` prints them (the same core function makes
both); then what `verify` would report about the report as it stands, and the review state with
the latest sign-off and its comment. It reads the session's report and lays it out; save from here.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.models import CriteriaSet, Report, Results
from guaranteekit.textsafe import clean, one_line
from guaranteekit.tui.session import Session
from guaranteekit.tui.widgets import KeyBar, bar, fmt, verdict_lines

DRAWS = 2000
"""Monte Carlo draws, as `guaranteekit score` runs by default (same seed, same figures)."""
SEED = 1


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


def decision_support(session: Session) -> list[Content]:
    """Planned asks, weight sensitivity, Monte Carlo and reference points, as `score` prints them."""
    from guaranteekit.cli.analysis_text import score_extras
    from guaranteekit.formats.assessment import Scored

    scored = Scored(session.path, session.report, session.criteria, session.profile, None, [])
    try:
        extras = score_extras(scored, session.results, draws=DRAWS, seed=SEED)
    except GuaranteekitError as exc:
        return [Content(""), _heading("Decision support"), *(Content(p) for p in exc.problems)]
    out = [Content(""), _heading("Decision support (as guaranteekit score gives it)")]
    for line in _unwrapped(extras.text):
        heading = line and not line.startswith(" ") and line.endswith(":")
        out.append(Content.styled(line, "bold") if heading else Content(line))
    return out


_ITEM = re.compile(r"\s*(\d+\.|- |To reach|Demand:|Gate still open|\.\.\.)")


def _unwrapped(lines: list[str], wrapped_at: int = 85) -> list[str]:
    """`score`'s lines with its own wrapping (at 100 columns) undone, so the screen wraps them to
    its width: a full line, and the next one at the same indent that starts no item, are one."""
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if (
            out
            and len(out[-1]) >= wrapped_at
            and indent == len(out[-1]) - len(out[-1].lstrip())
            and not _ITEM.match(line)
        ):
            out[-1] = out[-1] + " " + line.strip()
        else:
            out.append(line)
    return out


def verify_lines(session: Session) -> list[Content]:
    """What `guaranteekit verify` would report about the report as it stands, a line each."""
    problems = session.problems()
    errors = sum(1 for p in problems if p.severity.value == "error")
    out = [
        Content(""),
        _heading(
            f"What verify would report: {errors} error(s), {len(problems) - errors} warning(s)"
        ),
    ]
    if not problems:
        out.append(Content("nothing: the report passes verify as it stands"))
    for problem in problems:
        where = f"{one_line(problem.where)}: " if problem.where else ""
        out.append(Content(f"· {problem.severity.value}: {where}{one_line(problem.message)}"))
    return out


def review_lines(report: Report) -> list[Content]:
    """The review state by criterion, the open disputes, and the latest sign-off with its comment."""
    from guaranteekit.review import trail as review

    states = review.summary(report).states
    stale = sum(1 for r in review.review_state(report).values() if r.stale)
    out = [Content(""), _heading("Review")]
    out.append(
        Content(
            f"{states['accepted']} accepted, {states['disputed']} disputed,"
            f" {states['resolved']} resolved, {states['unreviewed']} unreviewed;"
            f" {len(review.open_disputes(report))} open dispute(s); {stale} stale"
        )
    )
    status = review.signoff_status(report)
    entry = status.entry
    if entry is None:
        out.append(Content("Sign-off: none yet"))
        return out
    decision = entry.decision.value.replace("_", " ") if entry.decision else ""
    out.append(
        Content.assemble(
            ("Sign-off: ", "bold"),
            f"{decision} by {one_line(entry.author)} on {entry.at:%Y-%m-%d %H:%M} UTC",
            (" (stale: the answers changed since, or it covers stale accepts)", "bold")
            if status.stale
            else "",
        )
    )
    if entry.text:
        out.append(Content.assemble("  Comment: ", clean(entry.text)))
    return out


class SummaryScreen(Screen[None]):
    """The whole result at a glance, with the asks ranked."""

    HELP_SECTION = "summary"

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
        yield KeyBar()

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
        body += decision_support(self.session)
        body += verify_lines(self.session)
        body += review_lines(self.session.report)
        self.query_one("#summary-body", Static).update(Content("\n").join(body))

    def action_back(self) -> None:
        self.dismiss(None)
