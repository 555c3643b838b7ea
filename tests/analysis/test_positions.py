"""Planning within parties' positions: hand-worked cases on the parties set, bad positions files,
and the reachable band, the fewest changes and the smallest blocking sets against brute force on
generated sets.

parties (tests/data/sets/parties.toml): troops w 2 (none 0, small 0.5, large 1), pledge w 2 (none 0,
article5 1), monitor w 1 (none 0, full 1), total 5; price ban (open, banned). Bands weak 0, mid 40,
strong 80. East rules out troops (red line), insists on the ban (red line) and prefers no
monitoring; West rules out the pledge (red line).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from guaranteekit.errors import LoadError, NotFoundError
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import Answer, CriteriaSet
from guaranteekit.formats.positions import (
    Firmness,
    LoadedPositions,
    Position,
    PositionsFile,
    load_positions,
)
from guaranteekit.scoring import format2
from guaranteekit.scoring.core import compute
from guaranteekit.scoring.positions import plan_within

DATA = Path(__file__).parent.parent / "data"
PARTIES = load_criteria(DATA / "sets" / "parties.toml")
EAST = str(DATA / "positions" / "east.toml")
WEST = str(DATA / "positions" / "west.toml")
NORTH = str(DATA / "positions" / "north.toml")
BAD = DATA / "positions" / "bad"


def lv(cid: str, level: str) -> Answer:
    return Answer(criterion=cid, level=level)


def moves(asks) -> list[tuple[str, str, str]]:
    return [(a.criterion, a.from_level, a.to_level) for a in asks]


def groups(blocked) -> list[list[tuple[str, str]]]:
    return [[(s.party, s.position.criterion) for s in group] for group in blocked.blocking]


# --------------------------------------------------------------------------------------------------
# Worked by hand
# --------------------------------------------------------------------------------------------------


def test_within_east_and_west_only_weak_is_reachable_and_the_ban_must_be_conceded() -> None:
    within = plan_within(PARTIES, [lv("troops", "none")], load_positions([EAST, WEST], PARTIES))
    assert within.satisfiable and within.band == "weak"
    # Troops and pledge stay at 0; the open door crosses East's red line, so the ban is the one
    # change (monitoring alone would score 20, still weak, and crosses East's preference).
    assert moves(within.asks) == [("ban", "unanswered", "banned")]
    mid, strong = within.higher
    # Mid needs 2 of 5 points: a large force (East must move) or the pledge (West must move).
    assert mid.band == "mid" and groups(mid) == [[("East", "troops")], [("West", "pledge")]]
    assert moves(mid.asks) == [("troops", "none", "large"), ("ban", "unanswered", "banned")]
    assert mid.asks[0].parties == ("East",)
    # Strong needs 4 of 5: both the force and the pledge, so both red lines must move.
    assert groups(strong) == [[("East", "troops"), ("West", "pledge")]]


def test_preferences_are_reported_not_obeyed() -> None:
    prefers = _file(
        "West",
        Position(criterion="pledge", rules_out=["article5"], source="s", firmness="preference"),
    )
    within = plan_within(PARTIES, [lv("troops", "large")], [prefers])
    # A large force alone is 2 of 5 = 40 (mid); strong needs the pledge too (4 of 5 = 80), the one
    # change, which crosses West's preference: reported, not obeyed.
    assert within.band == "strong" and within.higher == ()
    assert moves(within.asks) == [("pledge", "unanswered", "article5")]
    assert [(s.party, s.position.firmness) for s in within.asks[0].crosses] == [
        ("West", Firmness.PREFERENCE)
    ]


def test_a_band_already_reached_needs_no_change_within_the_red_lines() -> None:
    within = plan_within(
        PARTIES, [lv("pledge", "article5"), lv("ban", "banned")], load_positions([EAST], PARTIES)
    )
    # The pledge alone is 2 of 5 = 40: mid, and monitoring (3 of 5) cannot reach strong.
    assert within.band == "mid" and within.asks == ()
    (strong,) = within.higher
    assert groups(strong) == [[("East", "troops")]]


def test_a_package_that_crosses_a_red_line_is_brought_back_within_it() -> None:
    answers = [lv("troops", "large"), lv("pledge", "article5"), lv("ban", "open")]
    assert compute(PARTIES, answers).verdict == "strong"
    within = plan_within(PARTIES, answers, load_positions([EAST], PARTIES))
    assert [s.position.criterion for s in within.drafted_crosses] == ["troops", "ban"]
    # Troops go back to none (2 of 5 left = 40: mid) and the ban is conceded.
    assert within.band == "mid"
    assert sorted(moves(within.asks)) == [("ban", "open", "banned"), ("troops", "large", "none")]


def test_no_position_means_the_plain_plan() -> None:
    within = plan_within(PARTIES, [], [])
    assert within.band == "strong" and within.higher == ()
    assert sorted(moves(within.asks)) == [
        ("pledge", "unanswered", "article5"),
        ("troops", "unanswered", "large"),
    ]


def _file(party: str, *positions: Position) -> LoadedPositions:
    data = PositionsFile(
        format_version=1,
        party=party,
        as_of="2025-01-01",
        criteria="parties",
        positions=list(positions),
    )
    return LoadedPositions(f"{party}.toml", data)


def test_red_lines_that_leave_no_level_mean_no_package_satisfies_all() -> None:
    # Checked on load; the core says it too when handed such files directly.
    red = Firmness.RED_LINE
    within = plan_within(
        PARTIES,
        [],
        [
            _file("a", Position(criterion="ban", insists_on=["open"], source="s", firmness=red)),
            _file("b", Position(criterion="ban", rules_out=["open"], source="s", firmness=red)),
            _file("c", Position(criterion="ban", insists_on=["open"], source="s", firmness=red)),
        ],
    )
    assert not within.satisfiable
    assert within.reason == "no package satisfies all positions: the red lines leave ban no level"


# --------------------------------------------------------------------------------------------------
# Bad positions files: one line each, naming the file and the place
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("unknown-criterion", "positions[0].criterion: unknown criterion 'navy' in parties"),
        ("unknown-level", "positions[0].rules_out[0]: unknown level 'huge' of troops"),
        ("both", "positions[0] (troops): the party both rules out and insists on large"),
        ("no-level-left", "positions[0], positions[1]: the red lines on pledge leave it no level"),
        ("bad-firmness", "positions[0] (pledge).firmness: Input should be 'red-line'"),
    ],
)
def test_a_bad_positions_file_gives_one_line_naming_file_and_place(name: str, line: str) -> None:
    path = BAD / f"{name}.toml"
    with pytest.raises(LoadError) as caught:
        load_positions([str(path)], PARTIES)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}: ") and line in problem


def test_contradictory_files_name_both_places() -> None:
    with pytest.raises(LoadError) as caught:
        load_positions([EAST, NORTH], PARTIES)
    (problem,) = caught.value.problems
    assert problem == (
        f"{NORTH}: positions[0] (North): contradicts {EAST}: positions[1] (East) on ban:"
        " no level is left, so no package satisfies all positions"
    )


def test_a_missing_file_is_not_found() -> None:
    with pytest.raises(NotFoundError) as caught:
        load_positions([EAST, str(BAD / "nope.toml")], PARTIES)
    assert caught.value.problems == [f"{BAD / 'nope.toml'}: no such file"]


def test_positions_for_another_set_are_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_positions(["us"], PARTIES)
    assert (
        "criteria: positions use 'guarantee-credibility', not 'parties'" in caught.value.problems[0]
    )


def test_the_shipped_positions_load_together_against_the_built_in_set() -> None:
    from guaranteekit.formats.catalog import find_criteria

    loaded = load_positions(
        ["us", "russia", "coalition", "ukraine"], find_criteria("guarantee-credibility")
    )
    assert [item.data.party for item in loaded] == [
        "United States",
        "Russia",
        "Coalition of the Willing",
        "Ukraine",
    ]


# --------------------------------------------------------------------------------------------------
# Against brute force on generated sets
# --------------------------------------------------------------------------------------------------


def _generated(rng: random.Random) -> tuple[CriteriaSet, list[Answer], list[LoadedPositions]]:
    band_count = rng.randint(2, 4)
    mins = sorted(rng.sample(range(1, 100), band_count - 1))
    bands = [
        {"id": f"b{i}", "label": f"B{i}", "meaning": "m", "min_score": m}
        for i, m in enumerate([0, *mins])
    ]
    criteria = []
    answers = []
    for index in range(rng.randint(1, 4)):
        price = index > 0 and rng.random() < 0.25
        inner = sorted(rng.sample(range(1, 20), rng.randint(0, 2)))
        scores = [0.0, *(s / 20 for s in inner), 1.0]
        ids = [f"l{n}" for n in range(len(scores))]
        criterion = {
            "id": f"c{index}",
            "pillar": "price" if price else "p",
            "title": f"C{index}",
            "question": "?",
            "why": "w",
            "weight": rng.choice([0.5, 1, 2, 3]),
            "citations": [{"source": "s", "section": "1"}],
            "levels": [
                {"id": lid, "label": lid, "description": "d", "score": s, "demand": "t"}
                for lid, s in zip(ids, scores, strict=True)
            ],
            "when_silent": rng.choice(ids),
            "not_applicable": {"allowed": False},
        }
        if price:
            criterion["axis"] = "price"
        criteria.append(criterion)
        answers.append(lv(f"c{index}", rng.choice(ids)))
    data = {
        "format_version": 2,
        "id": "gen",
        "version": "2",
        "title": "generated",
        "sources": [{"id": "s", "title": "S"}],
        "pillars": [{"id": "p", "title": "P"}, {"id": "price", "title": "Price"}],
        "bands": bands,
        "price_bands": [{"id": "cheap", "label": "Cheap", "meaning": "m", "min_score": 0}],
        "criteria": criteria,
    }
    if not any(c.get("axis") for c in criteria):
        data["pillars"] = data["pillars"][:1]
        del data["price_bands"]
    built = CriteriaSet.model_validate(data)
    files = []
    for party in range(rng.randint(1, 3)):
        positions = []
        for _ in range(rng.randint(1, 2)):
            criterion = rng.choice(built.criteria)
            ids = [level.id for level in criterion.levels]
            picked = rng.sample(ids, rng.randint(1, len(ids) - 1))
            key = "rules_out" if rng.random() < 0.6 else "insists_on"
            firmness = rng.choice([Firmness.RED_LINE, Firmness.RED_LINE, Firmness.PREFERENCE])
            positions.append(
                Position(criterion=criterion.id, source="s", firmness=firmness, **{key: picked})
            )
        files.append(_file(f"p{party}", *positions))
    return built, answers, files


def _options(criteria: CriteriaSet, answers: list[Answer], allowed: dict[str, set[int]]):
    """Per criterion: None (keep, when allowed) or (level, steps), as a plan may change it: toward
    better levels, or to any allowed level when the current one is not allowed."""
    weights = {c.id: c.weight for c in criteria.criteria}
    items = format2.items(criteria, weights, {a.criterion: a for a in answers})
    choices = []
    for item in items:
        ok = allowed.get(item.crit.id, set(range(len(item.crit.criterion.levels))))
        now = item.index
        options: list = [None] if now in ok else []
        for j in sorted(ok):
            better = j < now if item.crit.price else j > now
            if j != now and (better or now not in ok):
                options.append((j, abs(j - now)))
        choices.append((item.crit.criterion, options))
    return choices


def _brute(criteria: CriteriaSet, answers: list[Answer], allowed: dict[str, set[int]]):
    """By band index: the best (changes, steps, -score) of any plan reaching it."""
    choices = _options(criteria, answers, allowed)
    best: dict[int, tuple] = {}
    for combo in itertools.product(*(options for _, options in choices)):
        changed = {
            c.id: c.levels[pick[0]].id
            for (c, _), pick in zip(choices, combo, strict=True)
            if pick is not None
        }
        trial = [a for a in answers if a.criterion not in changed]
        trial += [lv(cid, level) for cid, level in changed.items()]
        results = compute(criteria, trial)
        key = (len(changed), sum(p[1] for p in combo if p is not None), -(results.score or 0.0))
        for band in range(criteria.band_index(results.verdict) + 1):
            if band not in best or key < best[band]:
                best[band] = key
    return best


def _allowed(criteria: CriteriaSet, stances) -> dict[str, set[int]]:
    """By criterion, the level indices the (position, party) pairs leave."""
    out: dict[str, set[int]] = {}
    for item in stances:
        criterion = criteria.criterion(item[0].criterion)
        ids = [level.id for level in criterion.levels]
        left = {i for i, lid in enumerate(ids) if lid not in (item[0].rules_out or [])}
        if item[0].insists_on:
            left &= {i for i, lid in enumerate(ids) if lid in item[0].insists_on}
        out[criterion.id] = out.get(criterion.id, left) & left
    return out


@pytest.mark.parametrize("seed", range(60))
def test_reachable_band_changes_and_blocking_sets_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    criteria, answers, files = _generated(rng)
    red = [
        (p, f.data.party)
        for f in files
        for p in f.data.positions
        if p.firmness is Firmness.RED_LINE
    ]
    allowed = _allowed(criteria, red)
    within = plan_within(criteria, answers, files)
    if any(not levels for levels in allowed.values()):
        assert not within.satisfiable and "no package satisfies all positions" in within.reason
        return
    best = _brute(criteria, answers, allowed)
    reached = max(best)
    assert within.band == criteria.bands[reached].id
    assert (
        len(within.asks),
        within.plan.steps,
        -(within.plan.score_after or 0.0),
    ) == pytest.approx(best[reached])
    free = _brute(criteria, answers, {})
    constraining = [
        r
        for r in red
        if len(_allowed(criteria, [r])[r[0].criterion])
        < len(criteria.criterion(r[0].criterion).levels)
    ]
    for blocked in within.higher:
        band = criteria.band_index(blocked.band)
        assert blocked.reachable_without_positions == (band in free)
        if band not in free:
            continue
        expected = None
        for size in range(1, len(constraining) + 1):
            found = [
                sorted((p.criterion, party) for p, party in group)
                for group in itertools.combinations(constraining, size)
                if band
                in _brute(
                    criteria,
                    answers,
                    _allowed(criteria, [r for r in constraining if r not in group]),
                )
            ]
            if found:
                expected = found
                break
        got = [sorted((s.position.criterion, s.party) for s in g) for g in blocked.blocking]
        assert sorted(got) == sorted(expected)
