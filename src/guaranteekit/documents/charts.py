"""The SVG charts of the HTML documents: pillar bars, the trajectory of rounds, each step's changes.

Every text is escaped, and the charts are passed to the HTML templates as `Markup`; their numbers are
also in tables, and every bar carries its label and value as text, so no meaning rests on colour.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from guaranteekit.documents.escape import signed
from guaranteekit.documents.model import Document, Entry, Step
from guaranteekit.textsafe import clean, one_line

MAX_CHART_PACKAGES = 12
"""The pillar chart shows at most this many packages (the best-ranked); the tables list all."""

PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
    "#7F7F7F",
    "#8C564B",
]
"""Colour-blind-safe (Okabe-Ito, then Tol); colour only repeats what the labels say."""

_WIDTH = 760


def _t(text: object, limit: int = 0) -> str:
    """Text for an SVG text node or attribute: terminal-clean, one line, shortened, escaped."""
    value = one_line(clean(str(text)))
    if limit and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return str(escape(value))


def _label(text: object, limit: int) -> str:
    """A text node's content shortened to `limit`, with the full text as its `<title>` (shown on
    hover, read by screen readers) when it was shortened."""
    full = one_line(clean(str(text)))
    if len(full) <= limit:
        return _t(full)
    return f"{_t(full, limit)}<title>{_t(full)}</title>"


def _wrapped(text: object, width: int, most: int = 2) -> list[str]:
    """A label in at most `most` lines of about `width` characters, so that it prints whole; only a
    label longer than that is shortened (and then carries its full text as a `<title>`)."""
    full = one_line(clean(str(text)))
    lines = textwrap.wrap(full, width, break_on_hyphens=False) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return lines


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{_t(title)}</title>'
        f'<desc id="{chart_id}-desc">{_t(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


Bar = tuple[str, float | None, float | None, float | None, str]
"""label, value, low, high, colour."""


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    groups: list[tuple[str, list[Bar]]],
    bands: Sequence[tuple[float, str]] = (),
    banded: int = 1,
) -> Markup:
    """Horizontal bars on a 0-100 scale in labelled groups, each bar with its value and range.

    Verdict bands apply to the overall score only, so their lines cross only the first `banded`
    groups, not the pillars' bars.
    """
    label_w, value_w, top = 210, 64, 42
    x0, x1 = label_w + 8, _WIDTH - value_w
    span = x1 - x0
    bar_h, row_h, line_h, head_h, gap = 12, 17, 11, 18, 8
    labels = {label: _wrapped(label, 34) for _, bars in groups for label, *_ in bars}

    def rows(bars: list[Bar]) -> float:
        return sum(row_h + line_h * (len(labels[label]) - 1) for label, *_ in bars)

    height = top + sum((head_h if g else 0) + rows(bars) + gap for g, bars in groups) + 22

    def x(score: float) -> float:
        return x0 + span * max(0.0, min(100.0, score)) / 100

    body = [
        f'<rect x="{x0}" y="{top - 4}" width="{span}" height="{height - top - 18}"'
        ' fill="#f7f8fa" stroke="none"/>'
    ]
    for tick in (0, 25, 50, 75, 100):
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{height - 22}"'
            ' stroke="#dde1e6" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" font-size="10"'
            f' fill="#555">{tick}</text>'
        )
    # Band labels alternate between two lines, so that close boundaries don't overprint; the
    # lines end below the groups the bands apply to.
    band_end = top + sum((head_h if g else 0) + rows(bars) + gap for g, bars in groups[:banded])
    shown = [(m, label) for m, label in bands if m > 0]
    for number, (min_score, label) in enumerate(shown):
        line_y = top - 8 - 12 * ((len(shown) - 1 - number) % 2)
        body.append(
            f'<line x1="{x(min_score):.1f}" y1="{line_y}" x2="{x(min_score):.1f}"'
            f' y2="{band_end - gap / 2:.1f}" stroke="#444" stroke-width="1"'
            ' stroke-dasharray="4 3"/>'
            f'<text x="{x(min_score) + 3:.1f}" y="{line_y - 3}" font-size="10" fill="#333">'
            f"{_label(label, 18)} ≥ {min_score:g}</text>"
        )
    y = top
    for group, bars in groups:
        if group:
            body.append(
                f'<text x="0" y="{y + 12}" font-size="12" font-weight="bold" fill="#111">'
                f"{_label(group, 60)}</text>"
            )
            y += head_h
        for label, value, low, high, colour in bars:
            lines = labels[label]
            mid = y + (row_h + line_h * (len(lines) - 1)) / 2
            first = mid + 4 - line_h * (len(lines) - 1) / 2
            body.append(
                f'<text x="{label_w}" y="{first:.1f}" text-anchor="end" font-size="11"'
                ' fill="#222">'
                + "".join(
                    f'<tspan x="{label_w}" dy="{0 if i == 0 else line_h}">{_label(line, 60)}</tspan>'
                    for i, line in enumerate(lines)
                )
                + "</text>"
            )
            if value is not None:
                body.append(
                    f'<rect x="{x0}" y="{mid - bar_h / 2:.1f}" width="{x(value) - x0:.1f}"'
                    f' height="{bar_h}" fill="{colour}"/>'
                )
            if low is not None and high is not None and high > low:
                body.append(
                    f'<path d="M{x(low):.1f} {mid - 4:.1f}v8M{x(low):.1f} {mid:.1f}H{x(high):.1f}'
                    f'M{x(high):.1f} {mid - 4:.1f}v8" stroke="#111" stroke-width="1.2"'
                    ' fill="none"/>'
                )
            body.append(
                f'<text x="{x1 + 6}" y="{mid + 4:.1f}" font-size="11" fill="#111">'
                f"{_fmt(value)}</text>"
            )
            y += row_h + line_h * (len(lines) - 1)
        y += gap
    return _svg(chart_id, _WIDTH, int(height), title, desc, body)


def _chart_entries(document: Document) -> list[Entry]:
    return document.ranked_entries()[:MAX_CHART_PACKAGES]


def _bands(document: Document) -> list[tuple[float, str]]:
    return [] if document.mixed else [(b.min_score, b.label) for b in document.bands]


def pillar_chart(document: Document, chart_id: str = "chart-pillars") -> Markup:
    """Overall and pillar scores per package: one group per pillar, one bar per package."""
    entries = _chart_entries(document)
    colour = {e.key: PALETTE[i % len(PALETTE)] for i, e in enumerate(entries)}
    desc = (
        "Horizontal bars from 0 to 100: the overall score, then each pillar's score, for each"
        " package; the black line across a bar is the range the score could move over (unknown"
        " answers and confidence). Dashed lines across the overall scores mark where verdict bands"
        " start (bands apply to the overall score only). The same numbers are in the tables."
    )
    if len(entries) == 1:
        entry = entries[0]
        overall: list[Bar] = [("Overall", entry.score, entry.low, entry.high, PALETTE[0])]
        pillars: list[Bar] = [
            (p.title, p.score, p.low, p.high, PALETTE[(i + 1) % len(PALETTE)])
            for i, p in enumerate(entry.pillars)
            if p.in_set
        ]
        return bar_chart(
            chart_id,
            f"Scores of {entry.name}",
            desc,
            [("", overall), ("Pillars", pillars)],
            _bands(document),
        )
    groups: list[tuple[str, list[Bar]]] = [
        ("Overall", [(e.label, e.score, e.low, e.high, colour[e.key]) for e in entries])
    ]
    for index, pillar in enumerate(document.pillars):
        groups.append(
            (
                pillar.title,
                [
                    (
                        e.label,
                        e.pillars[index].score,
                        e.pillars[index].low,
                        e.pillars[index].high,
                        colour[e.key],
                    )
                    for e in entries
                ],
            )
        )
    title = "Overall and pillar scores per package"
    if len(document.entries) > len(entries):
        title += f" (the {len(entries)} best-ranked of {len(document.entries)})"
    return bar_chart(chart_id, title, desc, groups, _bands(document))


def trajectory_chart(document: Document, chart_id: str = "chart-trajectory") -> Markup:
    """The score across rounds: a line through the scores, whiskers for the ranges, band lines."""
    entries = document.entries
    width, height = _WIDTH, 320
    left, right, top, bottom = 48, 150, 18, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(entries)

    inset = 36  # keep the first and last points (and their labels) off the plot's edges

    def x(i: int) -> float:
        if count == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * i / (count - 1)

    def y(score: float) -> float:
        return top + plot_h * (100 - max(0.0, min(100.0, score))) / 100

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f7f8fa"/>']
    for tick in range(0, 101, 20):
        body.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}"'
            ' stroke="#dde1e6"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="10"'
            f' fill="#555">{tick}</text>'
        )
    for min_score, label in _bands(document):
        if min_score <= 0:
            continue
        body.append(
            f'<line x1="{left}" y1="{y(min_score):.1f}" x2="{left + plot_w}" y2="{y(min_score):.1f}"'
            ' stroke="#444" stroke-dasharray="4 3"/>'
            f'<text x="{left + plot_w + 6}" y="{y(min_score) + 4:.1f}" font-size="10" fill="#333">'
            f"{_label(label, 20)} ≥ {min_score:g}</text>"
        )
    segments: list[list[str]] = [[]]
    for i, entry in enumerate(entries):
        if entry.score is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(i):.1f},{y(entry.score):.1f}")
    for points in segments:
        if len(points) > 1:
            body.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}"'
                ' stroke-width="2.5"/>'
            )
    rotate = count > 6
    for i, entry in enumerate(entries):
        if entry.high > entry.low:
            body.append(
                f'<path d="M{x(i) - 4:.1f} {y(entry.high):.1f}h8M{x(i):.1f} {y(entry.high):.1f}'
                f'V{y(entry.low):.1f}M{x(i) - 4:.1f} {y(entry.low):.1f}h8" stroke="#111"'
                ' stroke-width="1.2" fill="none"/>'
            )
        if entry.score is not None:
            body.append(
                f'<circle cx="{x(i):.1f}" cy="{y(entry.score):.1f}" r="4.5" fill="{PALETTE[0]}"'
                ' stroke="#fff" stroke-width="1.5"/>'
                f'<text x="{x(i) + 7:.1f}" y="{y(entry.score) - 7:.1f}" font-size="11"'
                f' font-weight="bold" fill="#111">{_fmt(entry.score)}</text>'
            )
        label_y = top + plot_h + 16
        anchor = "end" if rotate else "middle"
        transform = f' transform="rotate(-30 {x(i):.1f} {label_y})"' if rotate else ""
        body.append(
            f'<text x="{x(i):.1f}" y="{label_y}" text-anchor="{anchor}" font-size="11"'
            f' fill="#222"{transform}>{_label(entry.label, 22)}</text>'
        )
    desc = (
        "The overall score (0 to 100) of each round, in order, joined by a line; the vertical black"
        " line at each round is the range the score could move over. Dashed lines mark where verdict"
        " bands start. The same numbers are in the trajectory table."
    )
    return _svg(chart_id, width, height, "Score across rounds", desc, body)


def step_chart(step: Step, chart_id: str) -> Markup:
    """The score change of one step split by criterion: bars right (up) or left (down) of zero."""
    moved = [c for c in step.changes if c.delta != 0]
    label_w, value_w, top, row_h = 230, 70, 24, 18
    x0, x1 = label_w + 10, _WIDTH - value_w
    centre = (x0 + x1) / 2
    scale = max([abs(c.delta) for c in moved] + [abs(step.delta), 1.0])
    half = (x1 - x0) / 2
    rows = [*((c.title, c.delta) for c in moved), ("Total change", step.delta)]
    height = top + row_h * len(rows) + 16
    body = [
        f'<line x1="{centre:.1f}" y1="{top - 6}" x2="{centre:.1f}" y2="{height - 10}"'
        ' stroke="#333"/>'
        f'<text x="{centre:.1f}" y="{top - 10}" text-anchor="middle" font-size="10"'
        ' fill="#555">0</text>'
    ]
    for index, (label, delta) in enumerate(rows):
        mid = top + row_h * index + row_h / 2
        total = index == len(rows) - 1
        weight_attr = ' font-weight="bold"' if total else ""
        body.append(
            f'<text x="{label_w}" y="{mid + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#222"{weight_attr}>{_label(label, 38)}</text>'
        )
        length = half * abs(delta) / scale
        start = centre if delta >= 0 else centre - length
        colour = "#0072B2" if delta >= 0 else "#D55E00"
        if total:
            colour = "#333"
        body.append(
            f'<rect x="{start:.1f}" y="{mid - 6:.1f}" width="{length:.1f}" height="12"'
            f' fill="{colour}"/>'
        )
        body.append(
            f'<text x="{x1 + 6}" y="{mid + 4:.1f}" font-size="11" fill="#111"{weight_attr}>'
            f"{signed(delta)}</text>"
        )
    desc = (
        "Points each criterion added to (bar to the right) or took from (bar to the left) the score"
        " between the two rounds; the last bar is the total change, which the others add up to. The"
        " same numbers are in the table."
    )
    title = f"Score change by criterion: {step.old_label} to {step.new_label}"
    return _svg(chart_id, _WIDTH, int(height), title, desc, body)


@dataclass(frozen=True, slots=True)
class Charts:
    """Every chart a document's HTML shows, as inline SVG (templates read `charts.pillars`, ...)."""

    pillars: Markup
    trajectory: Markup | None
    """Rounds only."""
    steps: list[Markup]
    """One per step (rounds and diff)."""
    overall: Markup | None
    """First round to last, when there are more than two rounds."""


def charts(document: Document) -> Charts:
    """Every chart a document's HTML shows."""
    return Charts(
        pillars=pillar_chart(document),
        trajectory=trajectory_chart(document) if document.kind == "rounds" else None,
        steps=[
            step_chart(step, f"chart-step-{index + 1}") for index, step in enumerate(document.steps)
        ]
        if document.kind in ("rounds", "diff")
        else [],
        overall=step_chart(document.overall, "chart-overall") if document.overall else None,
    )
