"""Planned asks on format-2 sets: hand-worked cases on the two-axis set, and minimality against brute
force on generated format-2 sets (silence levels, levels never asked for, gates on several levels
with acceptable levels, price criteria).

two-axis: see tests/core/test_scoring_v2.py (bands weak 0 / mid 40 / strong 75).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, CriteriaSet
from guaranteekit.scoring import format2
from guaranteekit.scoring.core import compute
from guaranteekit.scoring.plans import plan_asks

TWO = load_criteria(Path(__file__).parent.parent / "data" / "sets" / "two-axis.toml")
STRONG_START = {
    "entry": "signature",
    "pledge": "bound",
    "monitor": "impartial",
    "cap": "no-cap",
    "ban": "open",
}


def lv(cid: str, level: str) -> Answer:
    return Answer(criterion=cid, level=level)


def answers(**levels: str) -> list[Answer]:
    return [lv(cid, level) for cid, level in levels.items()]


def moves(plan) -> list[tuple[str, str, str]]:
    return [(c.criterion, c.from_level, c.to_level) for c in plan.changes]


def test_a_plan_lifts_a_gate_to_its_acceptable_level() -> None:
    # pledge veto: (1 + .8 + 1) / 4 = 70, capped weak. Mid needs the gate lifted, and lifting it
    # goes to `bound` (acceptable), not `consult`: 2 steps, 100, strong.
    plan = plan_asks(TWO, answers(**{**STRONG_START, "pledge": "veto"}), target="next")
    assert moves(plan) == [("pledge", "veto", "bound")]
    assert plan.changes[0].lifts_gate and plan.steps == 2
    assert (plan.score_after, plan.verdict_after) == (100.0, "strong")
    assert plan.changes[0].demand == (
        "An obligation to respond to an attack, by force if necessary, with no veto."
    )


def test_silence_is_where_a_plan_starts() -> None:
    # Nothing answered: 25, the pledge's silence level `none` fires its gate. One change: the
    # pledge from none to bound (3 steps): (1 + 2 + 0) / 4 = 75, strong, both targets.
    nothing = plan_asks(TWO, [], target="next")
    assert moves(nothing) == [("pledge", "unanswered", "bound")]
    assert (nothing.steps, nothing.score_after, nothing.verdict_after) == (3, 75.0, "strong")
    assert moves(plan_asks(TWO, [], target="top")) == moves(nothing)


def test_a_price_gate_is_lifted_toward_lower_cost() -> None:
    plan = plan_asks(TWO, answers(**{**STRONG_START, "cap": "tight"}), target="next")
    assert moves(plan) == [("cap", "tight", "loose")]
    assert plan.changes[0].lifts_gate and plan.verdict_after == "strong"


# --------------------------------------------------------------------------------------------------
# Minimality against brute force
# --------------------------------------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn) -> tuple[CriteriaSet, list[Answer]]:
    band_count = draw(st.integers(2, 4))
    mins = sorted(
        draw(st.sets(st.integers(1, 99), min_size=band_count - 1, max_size=band_count - 1))
    )
    bands = [
        {"id": f"b{i}", "label": f"B{i}", "meaning": "m", "min_score": m}
        for i, m in enumerate([0, *mins])
    ]
    criteria = []
    answers: list[Answer] = []
    has_price = False
    for index in range(draw(st.integers(1, 4))):
        price = draw(st.booleans()) and index > 0
        has_price = has_price or price
        inner = sorted(draw(st.sets(st.integers(1, 19), max_size=2)))
        scores = [0.0, *(s / 20 for s in inner), 1.0]
        ids = [f"l{n}" for n in range(len(scores))]
        unaskable = set(draw(st.sets(st.sampled_from(ids[1:]), max_size=1)))
        levels = [
            {"id": lid, "label": lid, "description": f"Level {lid} of c{index}.", "score": s}
            | ({"ask": False} if lid in unaskable else {"demand": f"Table {lid} of c{index}."})
            for lid, s in zip(ids, scores, strict=True)
        ]
        criterion = {
            "id": f"c{index}",
            "pillar": "price" if price else "p",
            "title": f"C{index}",
            "question": "?",
            "why": "w",
            "weight": draw(st.sampled_from([0.5, 1, 2, 3, 5])),
            "citations": [{"source": "s", "section": "1"}],
            "levels": levels,
            "when_silent": draw(st.sampled_from([*ids, "unknown"])),
            "not_applicable": {"allowed": True, "when": "sometimes"},
        }
        if price:
            criterion["axis"] = "price"
        if draw(st.booleans()):
            acceptable = draw(st.sampled_from([i for i in ids if i not in unaskable]))
            fires = draw(st.sets(st.sampled_from([i for i in ids if i != acceptable]), min_size=1))
            criterion["gates"] = [
                {
                    "fires_on": sorted(fires),
                    "cap": f"b{draw(st.integers(0, band_count - 2))}",
                    "acceptable": acceptable,
                }
            ]
        criteria.append(criterion)
        kind = draw(st.sampled_from(["level", "level", "level", "unknown", "none", "na"]))
        if kind == "level":
            answers.append(lv(f"c{index}", draw(st.sampled_from(ids))))
        elif kind == "unknown":
            answers.append(Answer(criterion=f"c{index}", status=AnswerStatus.UNKNOWN))
        elif kind == "na":
            answers.append(
                Answer(criterion=f"c{index}", status=AnswerStatus.NOT_APPLICABLE, reason="n/a")
            )
    data = {
        "format_version": 2,
        "id": "gen",
        "version": "2",
        "title": "generated",
        "sources": [{"id": "s", "title": "S"}],
        "pillars": [{"id": "p", "title": "P"}]
        + ([{"id": "price", "title": "Price"}] if has_price else []),
        "bands": bands,
        "criteria": criteria,
    }
    if has_price:
        data["price_bands"] = [{"id": "cheap", "label": "Cheap", "meaning": "m", "min_score": 0}]
    if not any(not c.get("axis") for c in criteria):
        data["pillars"] = [p for p in data["pillars"] if p["id"] != "p"]
    return CriteriaSet.model_validate(data), answers


def brute_force(criteria: CriteriaSet, answers: list[Answer], goal: int):
    """Best (changes, steps, -score) over every combination of changes to better, askable levels
    that lift a gate only to its acceptable level or beyond (the rule asks and plans keep)."""
    weights = {c.id: c.weight for c in criteria.criteria}
    items = {
        i.crit.id: i for i in format2.items(criteria, weights, {a.criterion: a for a in answers})
    }
    choices = []
    for criterion in criteria.criteria:
        item = items.get(criterion.id)
        if item is None:
            choices.append([None])
            continue
        crit, now = item.crit, item.index
        firing = [g for g in crit.gates if now in g.fires]
        options = [None]
        for j in range(len(criterion.levels)):
            better = j < now if crit.price else j > now
            lifts_ok = all(
                j in g.fires or (j <= g.acceptable if crit.price else j >= g.acceptable)
                for g in firing
            )
            if better and crit.askable[j] and lifts_ok:
                options.append((j, abs(j - now)))
        choices.append(options)
    best = None
    for combo in itertools.product(*choices):
        changed = {
            c.id: c.levels[pick[0]].id
            for c, pick in zip(criteria.criteria, combo, strict=True)
            if pick is not None
        }
        trial = [a for a in answers if a.criterion not in changed]
        trial += [lv(cid, level) for cid, level in changed.items()]
        results = compute(criteria, trial)
        if criteria.band_index(results.verdict) < goal:
            continue
        key = (len(changed), sum(p[1] for p in combo if p is not None), -(results.score or 0.0))
        if best is None or key < best:
            best = key
    return best


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.sampled_from(["next", "top"]))
def test_the_plan_is_minimal(case: tuple[CriteriaSet, list[Answer]], target: str) -> None:
    criteria, answers = case
    plan = plan_asks(criteria, answers, target=target)  # type: ignore[arg-type]
    current = criteria.band_index(compute(criteria, answers).verdict)
    goal = criteria.band_index(plan.band)
    if current >= goal:
        assert plan.reachable and plan.changes == ()
        return
    best = brute_force(criteria, answers, goal)
    assert plan.reachable == (best is not None)
    if best is None:
        return
    assert (len(plan.changes), plan.steps, -(plan.score_after or 0.0)) == best
    changed = {c.criterion: c.to_level for c in plan.changes}
    trial = [a for a in answers if a.criterion not in changed]
    trial += [lv(cid, level) for cid, level in changed.items()]
    assert criteria.band_index(compute(criteria, trial).verdict) >= goal
    for change in plan.changes:
        assert change.demand and criteria.criterion(change.criterion).level(change.to_level).askable
