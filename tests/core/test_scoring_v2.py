"""Format-2 scoring on the two-axis set, every figure worked out by hand (`docs/scoring.md`).

two-axis (tests/data/sets/two-axis.toml), bands weak 0 / mid 40 / strong 75, price bands light 0 /
heavy 50, scenarios `none` and `full`:

- entry (credibility, w 1): after-ceasefire 0 (operates only in `full`) / signature 1; silent means
  `signature`.
- pledge (credibility, w 2, follows entry): none 0 / veto .4 (ask = false) / consult .6 / bound 1;
  silent means `none`; a gate fires on none and veto, caps at weak, acceptable from bound.
- monitor (credibility, w 1, operates only in `full`): none 0 / unstated .5 (ask = false) /
  impartial 1; silence is `unknown`; not applicable allowed.
- cap (price, w 1): no-cap 0 / loose .5 / tight 1; silent means no-cap; a gate fires on tight, caps
  at mid, acceptable from loose.
- ban (price, w 1): open 0 / political .5 / legal 1; silent means open.
- lens hawk: monitor weighs 3, the pledge's gate is dropped, a gate on monitor (none, unstated) caps
  at mid.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guaranteekit.formats.catalog import load_criteria
from guaranteekit.formats.models import (
    Answer,
    AnswerStatus,
    Confidence,
    LensGate,
    Profile,
    Results,
)
from guaranteekit.scoring.core import compute

SETS = Path(__file__).parent.parent / "data" / "sets"
TWO = load_criteria(SETS / "two-axis.toml")

STRONG_START = {
    "entry": "signature",
    "pledge": "bound",
    "monitor": "impartial",
    "cap": "no-cap",
    "ban": "open",
}


def level(cid: str, lvl: str, confidence: str = "high") -> Answer:
    return Answer(criterion=cid, level=lvl, rationale="r", confidence=Confidence(confidence))


def unknown(cid: str) -> Answer:
    return Answer(criterion=cid, status=AnswerStatus.UNKNOWN, rationale="unclear")


def answers(**levels: str) -> list[Answer]:
    return [level(cid, lvl) for cid, lvl in levels.items()]


def scenario(results: Results, sid: str):
    return next(s for s in results.scenarios if s.scenario == sid)


# --- silence ----------------------------------------------------------------------------------


def test_silence_counts_every_open_criterion_at_its_silence_level() -> None:
    # Nothing answered: entry counts at signature (1), pledge at none (0), monitor at its lowest
    # (silence is `unknown`): (1*1 + 2*0 + 1*0) / 4 = 25. The range: all lowest 0, all highest 100.
    r = compute(TWO, [])
    assert (r.score, r.low, r.high) == (25.0, 0.0, 100.0)
    assert r.provisional and r.unanswered == ["entry", "pledge", "monitor", "cap", "ban"]
    counted = {c.criterion: c.counted_level for c in r.criteria}
    assert counted == {
        "entry": "signature",
        "pledge": "none",
        "monitor": "none",
        "cap": "no-cap",
        "ban": "open",
    }
    # The pledge's silence level `none` fires its gate: silence promises nothing.
    assert r.gates_fired == ["pledge"] and r.verdict == "weak"
    # Open gated criteria may still move: the pledge (answer it) and the price cap (could be tight).
    assert r.gates_open == ["pledge", "cap"]


def test_an_unknown_counts_at_its_silence_level_with_the_range_above_it() -> None:
    # monitor unknown, silence `unknown` -> its lowest level: (1 + 2*1 + 0) / 4 = 75; the range
    # runs from there (monitor at 0) to 100 (monitor at 1).
    r = compute(TWO, [level("entry", "signature"), level("pledge", "bound"), unknown("monitor")])
    assert (r.score, r.low, r.high) == (75.0, 75.0, 100.0)
    assert r.unknown == ["monitor"] and r.verdict == "strong"
    # In format 1 the unknown would have dropped out, scoring (1 + 2) / 3 = 100.


def test_an_unknown_scores_exactly_as_its_silence_level() -> None:
    base = [level("entry", "signature"), level("monitor", "impartial")]
    as_unknown = compute(TWO, [*base, unknown("pledge")])
    as_silence = compute(TWO, [*base, level("pledge", "none")])
    # (1 + 0 + 1) / 4 = 50, capped at weak by the pledge's gate either way.
    assert as_unknown.score == as_silence.score == 50.0
    assert as_unknown.verdict == as_silence.verdict == "weak"
    assert as_unknown.gates_fired == as_silence.gates_fired == ["pledge"]
    # Only the range tells them apart: the unknown could still be anything.
    assert (as_unknown.low, as_unknown.high) == (50.0, 100.0)
    assert (as_silence.low, as_silence.high) == (50.0, 50.0)


# --- the price axis ---------------------------------------------------------------------------


def test_price_is_a_second_axis_that_never_adds_credibility() -> None:
    credibility = answers(entry="signature", pledge="consult", monitor="impartial")
    r = compute(TWO, [*credibility, level("cap", "loose"), level("ban", "legal")])
    # Credibility: (1 + 2*.6 + 1) / 4 = 80, whatever the price terms.
    assert r.score == 80.0
    assert compute(TWO, [*credibility, level("cap", "no-cap"), level("ban", "open")]).score == 80.0
    # Price: (.5 + 1) / 2 = 75, heavy.
    assert r.price is not None
    assert (r.price.score, r.price.low, r.price.high) == (75.0, 75.0, 75.0)
    assert r.price.band == "heavy"
    assert [p.score for p in r.pillars] == [80.0, 75.0]
    # Contributions add up to their own axis's score.
    price_part = sum(c.contribution for c in r.criteria if c.criterion in ("cap", "ban"))
    assert price_part == pytest.approx(75.0)


def test_open_price_terms_count_at_no_cost_with_the_range_up_to_full_cost() -> None:
    r = compute(TWO, answers(entry="signature", pledge="bound", monitor="impartial"))
    assert r.price is not None
    assert (r.price.score, r.price.low, r.price.high) == (0.0, 0.0, 100.0)
    assert (r.price.band, r.price.band_low, r.price.band_high) == ("light", "light", "heavy")
    # The cap could be tight, which would cap the verdict at mid: the low end says so.
    assert (r.verdict, r.verdict_low, r.verdict_high) == ("strong", "mid", "strong")


def test_a_price_gate_caps_the_verdict() -> None:
    r = compute(TWO, [*answers(**STRONG_START), level("cap", "tight")])
    assert r.score == 100.0 and r.uncapped_verdict == "strong"
    assert r.gates_fired == ["cap"] and r.verdict == "mid"


# --- gates on several levels ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pledge", "score", "fires"),
    [
        ("none", 50.0, True),  # (1 + 0 + 1) / 4
        ("veto", 70.0, True),  # (1 + .8 + 1) / 4: an obligation the aggressor can veto
        ("consult", 80.0, False),  # (1 + 1.2 + 1) / 4
        ("bound", 100.0, False),
    ],
)
def test_a_gate_fires_on_each_of_its_levels(pledge: str, score: float, fires: bool) -> None:
    r = compute(TWO, answers(**{**STRONG_START, "pledge": pledge}))
    assert r.score == score
    assert (r.gates_fired == ["pledge"]) is fires
    assert r.verdict == ("weak" if fires else "strong")


def test_low_confidence_fires_a_multi_level_gate_at_the_low_end_only() -> None:
    # consult with low confidence could be veto (fires) or bound (does not).
    others = answers(entry="signature", monitor="impartial", cap="no-cap", ban="open")
    r = compute(TWO, [*others, level("pledge", "consult", "low")])
    # (1 + 1.2 + 1) / 4 = 80; low end at veto (1 + .8 + 1) / 4 = 70; high end at bound 100.
    assert (r.score, r.low, r.high) == (80.0, 70.0, 100.0)
    assert r.gates_fired == [] and r.verdict == "strong"
    assert (r.verdict_low, r.verdict_high) == ("weak", "strong")


# --- scenarios --------------------------------------------------------------------------------


def test_a_criterion_that_does_not_operate_scores_its_lowest_level_in_that_scenario() -> None:
    # The guarantees start only after a ceasefire: headline (0 + 2 + 1) / 4 = 75, strong.
    r = compute(TWO, answers(**{**STRONG_START, "entry": "after-ceasefire"}))
    assert r.score == 75.0 and r.verdict == "strong"
    # No ceasefire: entry's level does not operate (0); the pledge follows entry, so it scores its
    # lowest level `none` (0) and its gate fires; monitoring operates only in `full` (0): 0, weak.
    none = scenario(r, "none")
    assert (none.score, none.low, none.high, none.verdict) == (0.0, 0.0, 0.0, "weak")
    # Full ceasefire: everything operates, as in the headline.
    full = scenario(r, "full")
    assert (full.score, full.verdict) == (75.0, "strong")


def test_a_follower_operates_where_the_followed_level_does() -> None:
    # Entry on signature operates everywhere, so the pledge does; monitoring still does not in
    # `none`: (1 + 2 + 0) / 4 = 75.
    r = compute(TWO, answers(**STRONG_START))
    assert scenario(r, "none").score == 75.0 and scenario(r, "none").verdict == "strong"
    assert scenario(r, "full").score == 100.0


def test_an_unanswered_followed_criterion_counts_at_its_silence_level() -> None:
    # entry unanswered: silence means `signature`, which operates everywhere, so the pledge does.
    r = compute(TWO, answers(pledge="bound", monitor="impartial"))
    assert scenario(r, "none").score == 75.0  # (1 + 2 + 0) / 4


# --- lenses -----------------------------------------------------------------------------------


def test_a_lens_changes_the_verdict() -> None:
    r = compute(TWO, answers(**{**STRONG_START, "pledge": "veto"}))
    # Headline: 70, capped at weak by the pledge's veto.
    assert (r.score, r.verdict) == (70.0, "weak")
    # hawk: monitor weighs 3, (1 + .8 + 3) / 6 = 80; the pledge gate is dropped; its own gate on
    # monitor does not fire at impartial: strong.
    assert r.lenses is not None
    [hawk] = r.lenses
    assert (hawk.lens, hawk.score, hawk.verdict, hawk.gates_fired) == ("hawk", 80.0, "strong", [])


def test_a_lens_gate_fires_where_the_headline_has_none() -> None:
    r = compute(TWO, answers(**{**STRONG_START, "monitor": "unstated"}))
    # Headline: (1 + 2 + .5) / 4 = 87.5, strong. hawk: (1 + 2 + 1.5) / 6 = 75, capped at mid.
    assert (r.score, r.verdict) == (87.5, "strong")
    [hawk] = r.lenses or []
    assert (hawk.score, hawk.verdict, hawk.gates_fired) == (75.0, "mid", ["monitor"])


def test_a_profile_is_a_users_own_lens() -> None:
    profile = Profile(
        format_version=1,
        name="no veto worries",
        criteria="two-axis",
        drop_gates=["pledge"],
        gates=[
            LensGate(criterion="ban", fires_on=["legal"], cap="mid", acceptable="political"),
        ],
    )
    r = compute(TWO, answers(**{**STRONG_START, "pledge": "veto", "ban": "legal"}), profile)
    assert r.score == 70.0 and r.gates_fired == ["ban"] and r.verdict == "mid"


# --- asks -------------------------------------------------------------------------------------


def test_an_ask_that_lifts_a_gate_asks_for_the_acceptable_level() -> None:
    r = compute(TWO, answers(**{**STRONG_START, "pledge": "veto"}))
    [ask] = r.asks
    # Not `consult`, the next level up that fires nothing: `bound`, the gate's acceptable level.
    assert (ask.criterion, ask.from_level, ask.to_level) == ("pledge", "veto", "bound")
    assert ask.lifts_gate and ask.gain == 30.0 and ask.verdict_after == "strong"
    assert (
        ask.demand == "An obligation to respond to an attack, by force if necessary, with no veto."
    )


def test_an_ask_skips_levels_never_to_be_asked_for() -> None:
    r = compute(TWO, answers(**{**STRONG_START, "monitor": "none"}))
    [ask] = r.asks
    # `unstated` has ask = false: the ask goes to `impartial`.
    assert (ask.criterion, ask.to_level, ask.gain) == ("monitor", "impartial", 25.0)


def test_price_asks_go_toward_lower_cost() -> None:
    r = compute(TWO, answers(**{**STRONG_START, "cap": "tight", "ban": "political"}))
    cap, ban = r.asks
    # Lifting the cap's gate: to its acceptable level `loose`; price (1 + .5)/2 = 75 -> 50.
    assert (cap.criterion, cap.to_level, cap.lifts_gate, cap.price_drop) == (
        "cap",
        "loose",
        True,
        25.0,
    )
    assert cap.verdict_after == "strong" and cap.gain == 0.0
    assert (ban.criterion, ban.to_level, ban.price_drop) == ("ban", "open", 25.0)


def test_asks_of_open_criteria_start_from_the_silence_level() -> None:
    r = compute(TWO, [])
    asks = {a.criterion: a for a in r.asks}
    # pledge counts at none (gate fires): ask for bound; monitor counts at none: ask for impartial.
    # entry counts at signature and the price terms at no cost: nothing to ask.
    assert set(asks) == {"pledge", "monitor"}
    assert (asks["pledge"].from_level, asks["pledge"].to_level) == ("unanswered", "bound")
    assert asks["pledge"].gain == 50.0 and asks["pledge"].verdict_after == "strong"


# --- properties -------------------------------------------------------------------------------

ANSWERABLE = {c.id: [lvl.id for lvl in c.levels] for c in TWO.criteria}


@st.composite
def answer_sets(draw: st.DrawFn) -> list[Answer]:
    out: list[Answer] = []
    for cid, levels in ANSWERABLE.items():
        kind = draw(st.sampled_from(["level", "level", "unknown", "unanswered", "na"]))
        if kind == "level":
            out.append(
                level(cid, draw(st.sampled_from(levels)), draw(st.sampled_from(list(Confidence))))
            )
        elif kind == "unknown":
            out.append(unknown(cid))
        elif kind == "na":
            out.append(
                Answer(criterion=cid, status=AnswerStatus.NOT_APPLICABLE, reason="x", rationale="r")
            )
    return out


def _within(score: float | None, low: float, high: float) -> None:
    if score is not None:
        assert low <= score <= high


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_every_score_lies_within_its_range(given_answers: list[Answer]) -> None:
    r = compute(TWO, given_answers)
    _within(r.score, r.low, r.high)
    if r.price is not None:
        _within(r.price.score, r.price.low, r.price.high)
    for s in r.scenarios:
        _within(s.score, s.low, s.high)
    for lens in r.lenses or []:
        _within(lens.score, lens.low, lens.high)
    bands = [b.id for b in TWO.bands]
    assert bands.index(r.verdict) <= bands.index(r.uncapped_verdict)
    assert bands.index(r.verdict_low) <= bands.index(r.verdict) <= bands.index(r.verdict_high)


@settings(max_examples=300, deadline=None)
@given(answer_sets(), st.sampled_from(sorted(ANSWERABLE)))
def test_an_unknown_never_scores_above_its_silence_levels_headline(
    given_answers: list[Answer], cid: str
) -> None:
    rest = [a for a in given_answers if a.criterion != cid]
    criterion = TWO.criterion(cid)
    counted = criterion.silence_level() or (
        criterion.levels[-1].id if criterion.is_price else criterion.levels[0].id
    )
    open_ = compute(TWO, [*rest, unknown(cid)])
    silent = compute(TWO, [*rest, level(cid, counted)])
    assert open_.score == silent.score and open_.verdict == silent.verdict
    assert open_.price == silent.price or (
        open_.price is not None
        and silent.price is not None
        and open_.price.score == silent.price.score
    )
    for answered_at in criterion.levels:
        if criterion.is_price:
            continue
        better_or_equal = compute(TWO, [*rest, level(cid, answered_at.id)])
        if answered_at.score >= criterion.level(counted).score:
            assert open_.score is None or open_.score <= (better_or_equal.score or 0.0)


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_every_ask_moves_to_a_better_askable_level_that_fires_no_gate(
    given_answers: list[Answer],
) -> None:
    r = compute(TWO, given_answers)
    counted = {c.criterion: c.counted_level for c in r.criteria}
    for ask in r.asks:
        criterion = TWO.criterion(ask.criterion)
        before = criterion.level(counted[ask.criterion] or "")
        after = criterion.level(ask.to_level)
        if criterion.is_price:
            assert after.score < before.score
        else:
            assert after.score > before.score
        assert after.askable and after.demand
        assert not any(after.id in g.fires_on for g in criterion.level_gates())


# --- the format itself -------------------------------------------------------------------------


def test_a_profiles_gates_are_checked_against_its_set() -> None:
    from guaranteekit.formats.catalog import check_profile, find_criteria

    bad = Profile(
        format_version=1,
        name="p",
        criteria="two-axis",
        drop_gates=["entry"],
        gates=[LensGate(criterion="ban", fires_on=["nowhere"], cap="mid", acceptable="open")],
    )
    problems = check_profile(bad, TWO, "p.toml")
    assert any("drop_gates[0]: criterion 'entry' has no gate to drop" in p for p in problems)
    assert any("'nowhere' is not a level" in p for p in problems)
    old = find_criteria("guarantee-credibility", "1.0.0")
    one = bad.model_copy(update={"criteria": old.id, "gates": [], "drop_gates": None})
    assert any("need a format-2 criteria set" in p for p in check_profile(one, old, "p.toml"))


def test_format_2_fields_in_a_format_1_set_are_refused() -> None:
    import tomllib

    from pydantic import ValidationError

    from guaranteekit.formats.models import CriteriaSet

    data = tomllib.loads((SETS / "two-axis.toml").read_text(encoding="utf-8"))
    data["format_version"] = 1
    with pytest.raises(ValidationError, match="needs format_version = 2"):
        CriteriaSet.model_validate(data)
    data = tomllib.loads((SETS / "two-axis.toml").read_text(encoding="utf-8"))
    del data["criteria"][0]["when_silent"]
    data["criteria"][4]["levels"][2]["id"] = "unknown"  # the alliance ban's `legal`
    with pytest.raises(ValidationError) as caught:
        CriteriaSet.model_validate(data)
    assert "'entry': when_silent is required" in str(caught.value)
    assert "'ban': a level may not be called 'unknown'" in str(caught.value)


def test_a_format_2_set_reads_back_as_written(tmp_path: Path) -> None:
    from guaranteekit.formats.digest import model_digest
    from guaranteekit.formats.storage import read_model, write_model

    write_model(tmp_path / "again.toml", TWO, schema="criteria")
    again = read_model(tmp_path / "again.toml", type(TWO))
    assert again == TWO and model_digest(again) == model_digest(TWO)
