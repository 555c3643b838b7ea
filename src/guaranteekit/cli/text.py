"""Plain-text and Markdown renderings of criteria sets and score results (no TUI, no templates).

Used by `criteria show`, `score`, and the generated `docs/criteria.md`. Every string that comes from
a file passes through `textsafe.clean` (terminal) or `md` (Markdown), never printed raw.
"""

from __future__ import annotations

import textwrap

from guaranteekit.formats.models import Ask, CriteriaSet, Criterion, Profile, Report, Results
from guaranteekit.textsafe import clean, one_line


def md(text: str) -> str:
    """Escape text for Markdown: HTML-significant characters and table pipes."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
    )


def _wrap(text: str, indent: str = "", width: int = 100) -> str:
    return textwrap.fill(
        one_line(text), width=width, initial_indent=indent, subsequent_indent=indent
    )


def criterion_text(criteria: CriteriaSet, criterion: Criterion, position: int | None = None) -> str:
    """One criterion as text: question, why, citations, rubric, gate, guidance."""
    pillar = criteria.pillar(criterion.pillar).title
    head = f"{clean(criterion.title)}  [{criterion.id}]"
    if position is not None:
        head = f"{position}. {head}"
    lines = [head, f"  pillar: {clean(pillar)}    weight: {criterion.weight:g}"]
    lines.append(_wrap(f"Question: {criterion.question}", "  "))
    lines.append(_wrap(f"Why: {criterion.why}", "  "))
    cites = "; ".join(
        clean(c.short()) + (f" ({one_line(c.point)})" if c.point else "")
        for c in criterion.citations
    )
    lines.append(_wrap(f"Sources: {cites}", "  "))
    lines.append("  Rubric (weakest first):")
    for index, level in enumerate(criterion.levels):
        gate_mark = ""
        if criterion.gate is not None and criterion.gate.level == level.id:
            gate_mark = "  <- gate passes from here"
        lines.append(
            f"    {index + 1}. {clean(level.label)} [{level.id}] score {level.score:g}{gate_mark}"
        )
        lines.append(_wrap(level.description, "       "))
    if criterion.gate is not None:
        cap = criteria.band(criterion.gate.cap).label
        lines.append(
            _wrap(
                f"Gate: below {criterion.gate.level!r} the verdict cannot rise above {cap!r}."
                + (f" {criterion.gate.reason}" if criterion.gate.reason else ""),
                "  ",
            )
        )
    if criterion.guidance:
        lines.append(_wrap(f"Guidance: {criterion.guidance}", "  "))
    return "\n".join(lines)


def criteria_text(criteria: CriteriaSet, only: str | None = None) -> str:
    """A whole criteria set as text."""
    out = [
        f"{clean(criteria.title)}  ({criteria.id} {clean(criteria.version)})",
        _wrap(criteria.description) if criteria.description else "",
        "",
        "Verdict bands (lowest first):",
    ]
    for band in criteria.bands:
        out.append(
            f"  {band.min_score:>5g}+  {clean(band.label)} [{band.id}]: {one_line(band.meaning)}"
        )
    out.append("")
    position = 0
    for pillar in criteria.pillars:
        members = [c for c in criteria.criteria if c.pillar == pillar.id]
        if only is None:
            out.append(f"== {clean(pillar.title)} [{pillar.id}] ==")
        for criterion in members:
            position += 1
            if only is not None and criterion.id != only:
                continue
            out.append(criterion_text(criteria, criterion, position))
            out.append("")
    return "\n".join(line for line in out).rstrip() + "\n"


def criteria_markdown(criteria: CriteriaSet) -> str:
    """A whole criteria set as a readable Markdown document."""
    sources = {s.id: s for s in criteria.sources}
    out = [f"# {md(criteria.title)}", ""]
    out.append(f"Criteria set `{criteria.id}`, version {md(criteria.version)}.")
    out.append("")
    if criteria.description:
        out += [md(criteria.description), ""]
    out += ["## Sources", ""]
    for source in criteria.sources:
        meta = ", ".join(x for x in (source.author, str(source.year or "")) if x)
        out.append(f"- **`{source.id}`**: {md(source.title)}" + (f" ({md(meta)})" if meta else ""))
        if source.note:
            out.append(f"  {md(one_line(source.note))}")
    out += ["", "## Verdict bands", "", "| From score | Verdict | Meaning |", "|---:|---|---|"]
    for band in criteria.bands:
        out.append(
            f"| {band.min_score:g} | **{md(band.label)}** (`{band.id}`) | {md(one_line(band.meaning))} |"
        )
    if criteria.weighting:
        out += ["", "## How the weights were chosen", "", md(criteria.weighting)]
    if criteria.scenarios:
        out += ["", "## Ceasefire scenarios", ""]
        for scenario in criteria.scenarios:
            out.append(
                f"- **{md(scenario.label)}** (`{scenario.id}`): {md(one_line(scenario.description))}"
            )
    out += [
        "",
        "## Criteria at a glance",
        "",
        "| # | Criterion | Pillar | Weight | Gate |",
        "|---:|---|---|---:|---|",
    ]
    for index, criterion in enumerate(criteria.criteria, 1):
        gate = ""
        if criterion.gate:
            gate = f"below `{criterion.gate.level}` caps at {md(criteria.band(criterion.gate.cap).label)}"
        out.append(
            f"| {index} | [{md(criterion.title)}](#{criterion.id}) | {md(criteria.pillar(criterion.pillar).title)}"
            f" | {criterion.weight:g} | {gate} |"
        )
    for pillar in criteria.pillars:
        out += ["", f"## {md(pillar.title)}", ""]
        if pillar.description:
            out += [md(pillar.description), ""]
        for criterion in (c for c in criteria.criteria if c.pillar == pillar.id):
            out += [f'<a id="{criterion.id}"></a>', "", f"### {md(criterion.title)}", ""]
            out.append(f"`{criterion.id}` · weight {criterion.weight:g}")
            if criterion.scenario_weights:
                parts = ", ".join(f"{k} {v:g}" for k, v in criterion.scenario_weights.items())
                out[-1] += f" · scenario weights: {parts}"
            out += [
                "",
                f"**Question.** {md(criterion.question)}",
                "",
                f"**Why it matters.** {md(criterion.why)}",
                "",
            ]
            out.append("**Sources.**")
            for citation in criterion.citations:
                title = (
                    sources[citation.source].title
                    if citation.source in sources
                    else citation.source
                )
                point = f": {md(one_line(citation.point))}" if citation.point else ""
                out.append(f"- `{citation.source}` {md(citation.section)} ({md(title)}){point}")
            out += ["", "| Level | Score | What the draft must say |", "|---|---:|---|"]
            for level in criterion.levels:
                mark = " (gate)" if criterion.gate and criterion.gate.level == level.id else ""
                out.append(
                    f"| **{md(level.label)}** (`{level.id}`){mark} | {level.score:g} | {md(one_line(level.description))} |"
                )
            if criterion.gate:
                cap = criteria.band(criterion.gate.cap).label
                out += [
                    "",
                    f"**Gate.** Below `{criterion.gate.level}` the verdict cannot rise above"
                    f" **{md(cap)}**."
                    + (f" {md(criterion.gate.reason)}" if criterion.gate.reason else ""),
                ]
            if criterion.guidance:
                out += ["", f"**What to look for.** {md(criterion.guidance)}"]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def demand_line(ask: Ask) -> str:
    """What an ask tables: the level's `demand`, or, where the set gives none (every format-1
    set), the target level's rubric description, labelled as such."""
    if ask.demand:
        return f"Demand: {ask.demand}"
    return f"Demand (rubric wording): {ask.text}"


def _fired_line(criteria: CriteriaSet, criterion: Criterion, counted: str | None) -> str:
    """Which of a criterion's gates fire at the level it counts at, and where they cap."""
    title = clean(criterion.title)
    if criterion.gate is not None:  # format 1
        return (
            f"{title}: below {criterion.gate.level!r}, capped at"
            f" {clean(criteria.band(criterion.gate.cap).label)}"
        )
    level = criterion.level(counted) if counted else None
    caps = [g for g in criterion.level_gates() if counted in g.fires_on]
    where = f"at {clean(level.label)!r}" if level else "at its level"
    if caps:
        cap = min(caps, key=lambda g: criteria.band_index(g.cap))
        return (
            f"{title}: {where}, capped at {clean(criteria.band(cap.cap).label)}; lifted from"
            f" {clean(criterion.level(cap.acceptable).label)!r}"
        )
    return f"{title}: {where}"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def results_text(
    report: Report,
    criteria: CriteriaSet,
    results: Results,
    profile: Profile | None = None,
    extra: list[str] | None = None,
) -> str:
    """What `score` prints: verdict, range, pillars, gates, gaps and asks."""
    band = criteria.band(results.verdict)
    out = [f"{clean(report.package.name)}"]
    ref = f"criteria {criteria.id} {clean(criteria.version)}"
    if profile:
        ref += f", profile {clean(profile.name)}"
    out.append(f"  scored against {ref}")
    out.append("")
    score = _fmt(results.score)
    out.append(f"Verdict: {clean(band.label)} [{band.id}]: {one_line(band.meaning)}")
    if results.verdict != results.uncapped_verdict:
        out.append(
            f"  capped by gates: the score alone would be {clean(criteria.band(results.uncapped_verdict).label)}"
        )
    out.append(f"Score:   {score} / 100   range {results.low:.1f} .. {results.high:.1f}")
    if results.provisional:
        out.append(
            f"  PROVISIONAL: {len(results.unanswered)} unanswered, {len(results.unknown)} unknown;"
            f" verdict could be {criteria.band(results.verdict_low).label} .. {criteria.band(results.verdict_high).label}"
        )
    elif results.verdict_low != results.verdict_high:
        out.append(
            f"  with answer confidence: {criteria.band(results.verdict_low).label} .."
            f" {criteria.band(results.verdict_high).label}"
        )
    out += ["", "Pillars:"]
    for pillar in results.pillars:
        title = criteria.pillar(pillar.pillar).title
        bar = ""
        if pillar.score is not None:
            filled = round(pillar.score / 5)
            bar = "#" * filled + "." * (20 - filled)
        rng = "" if pillar.low is None else f"  ({pillar.low:.0f}..{pillar.high:.0f})"
        out.append(f"  {clean(title):<34} {bar:<20} {_fmt(pillar.score):>5}{rng}")
    if results.scenarios:
        out += ["", "Per ceasefire scenario:"]
        labels = {s.id: s.label for s in criteria.scenarios}
        for scen in results.scenarios:
            out.append(
                f"  {clean(labels.get(scen.scenario, scen.scenario)):<34} {_fmt(scen.score):>5}  "
                f"{clean(criteria.band(scen.verdict).label)}"
            )
    if results.price is not None:
        price = results.price
        price_band = criteria.price_band(price.band)
        out += [
            "",
            f"Price:   {price.score:.1f} / 100   range {price.low:.1f} .. {price.high:.1f}"
            f"   {clean(price_band.label)} [{price_band.id}]: {one_line(price_band.meaning)}",
            "  what the package costs the protected state; it caps the verdict only through gates",
        ]
    if results.lenses:
        out += ["", "Verdict under each lens of the set:"]
        for lens_result in results.lenses:
            lens = criteria.lens(lens_result.lens)
            out.append(
                f"  {clean(lens.label):<34} {_fmt(lens_result.score):>5}  "
                f"{clean(criteria.band(lens_result.verdict).label)}"
                + (
                    f"  (gates: {', '.join(lens_result.gates_fired)})"
                    if lens_result.gates_fired
                    else ""
                )
            )
    out += ["", "Gates:"]
    if not results.gates_fired and not results.gates_open:
        out.append("  none fires")
    counted = {c.criterion: c.counted_level for c in results.criteria}
    answers = {a.criterion: a for a in report.answers}
    for cid in results.gates_fired:
        out.append("  FIRES  " + _fired_line(criteria, criteria.criterion(cid), counted.get(cid)))
    for cid in results.gates_open:
        criterion = criteria.criterion(cid)
        line = f"  OPEN   {clean(criterion.title)}: unanswered or unknown"
        if counted.get(cid) is not None:
            line += f", counted at {clean(criterion.level(counted[cid] or '').label)}"
        out.append(line)
    out += ["", f"Gaps ({len(results.gaps)} criteria below their best level):"]
    for cid in results.gaps:
        criterion = criteria.criterion(cid)
        answer = answers[cid]
        level = criterion.level(answer.level or "")
        out.append(
            f"  {clean(criterion.title)}: {clean(level.label)} (of {len(criterion.levels)} levels)"
        )
    out += ["", "Asks, best first (what to demand next), by the verdict each reaches alone:"]
    if not results.asks:
        out.append("  none: every criterion is at its best level")
    group = None
    for index, ask in enumerate(results.asks[:10], 1):
        criterion = criteria.criterion(ask.criterion)
        if ask.verdict_after != group:
            group = ask.verdict_after
            out.append(f"  verdict {clean(criteria.band(group).label)}:")
        flags = " [lifts gate]" if ask.lifts_gate else ""
        change = f"+{ask.gain:.1f}"
        if ask.price_drop is not None:
            change = f"price -{ask.price_drop:.1f}" + (f", {change}" if ask.gain else "")
        out.append(
            f"  {index:>2}. {clean(criterion.title)}: {ask.from_level} -> {ask.to_level}"
            f"  ({change}){flags}"
        )
        out.append(_wrap(demand_line(ask), "      "))
    if len(results.asks) > 10:
        out.append(f"  ... and {len(results.asks) - 10} more (--json lists all)")
    if extra:
        out += ["", *extra]
    return "\n".join(out) + "\n"
