"""The terminal text of planning within the parties' positions (`score --positions`)."""

from __future__ import annotations

from guaranteekit.scoring.positions import PositionAsk, Stance, WithinPositions
from guaranteekit.textsafe import clean, one_line


def _stance(stance: Stance) -> str:
    position = stance.position
    if position.rules_out:
        what = "rules out " + ", ".join(position.rules_out)
    else:
        what = "insists on one of " + ", ".join(position.insists_on or ())
    return clean(
        one_line(
            f"{stance.party} ({position.firmness}): {position.criterion} {what} [{position.source}]"
        )
    )


def _ask(ask: PositionAsk) -> list[str]:
    step = ask
    line = f"  - {step.criterion}: {step.from_level} -> {step.to_level}"
    if ask.parties:
        line += "  (crosses: " + ", ".join(ask.parties) + ")"
    out = [clean(one_line(line))]
    out += [f"      crosses {_stance(s)}" for s in ask.crosses]
    return out


def within_text(within: WithinPositions) -> list[str]:
    """Lines for the end of `score`'s text: the reachable verdict, the fewest changes, who stands in
    the way."""
    parties = clean(one_line(", ".join(within.parties)))
    out = [f"Within the positions of {parties}:"]
    if within.drafted_crosses:
        out.append("  As drafted, the package crosses:")
        out += [f"    {_stance(s)}" for s in within.drafted_crosses]
    if not within.satisfiable:
        out.append(f"  {clean(within.reason)}")
        return out
    out.append(
        f"  Strongest verdict reachable without crossing a red line: {clean(within.label)}"
        f" (as drafted: {clean(within.drafted_label)})"
    )
    if within.asks:
        out.append(f"  Fewest changes to get there ({len(within.asks)}):")
        for ask in within.asks:
            out += ["  " + line for line in _ask(ask)]
    else:
        out.append("  No change is needed.")
    if within.unconstrained is not None and within.unconstrained.changes != within.plan_changes:
        count = len(within.unconstrained.changes)
        out.append(f"  Without the positions, {count} change(s) would reach {clean(within.label)}:")
        for ask in within.unconstrained_asks:
            out += ["  " + line for line in _ask(ask)]
    if not within.higher:
        out.append("  No red line stands in the way of the top band.")
    for blocked in within.higher:
        label = clean(blocked.label)
        if not blocked.reachable_without_positions:
            out.append(f"  {label}: not reachable even if every position moved.")
            continue
        if blocked.more_than:
            out.append(f"  {label}: more than {blocked.more_than} red lines would have to move.")
            continue
        size = len(blocked.blocking[0])
        out.append(
            f"  {label}: {size} red line(s) stand in the way; any one of these sets must move:"
        )
        for number, group in enumerate(blocked.blocking, 1):
            out.append(f"    {number}. " + "; ".join(_stance(s) for s in group))
    return out
