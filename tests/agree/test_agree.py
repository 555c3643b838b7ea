"""`guaranteekit agree` as people run it: two copies of a worked example that differ in three
answers, their figures in text, Markdown and JSON, `--min-alpha` exit codes, and refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import finalize, load_scored, save_report, with_answer
from guaranteekit.formats.models import Answer
from guaranteekit.scoring.agreement import AgreementError, agreement

from .conftest import ANN, BOB, BOB_RATIONALE, DIFFERENT, Pair

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *argv: object) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse refuses bad options by exiting
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_three_differences_gated_first_with_both_rationales(
    pair: Pair, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The answers stand side by side in columns as wide as the terminal: at 100 columns the
    # first four words of each rationale share a line, whatever terminal the suite runs on.
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(capsys, "agree", pair.ann, pair.bob)
    assert code == 0, err
    assert "3 disagreement(s), gated criteria first:" in out
    headings = [line for line in out.splitlines() if line[:3] in ("1. ", "2. ", "3. ", "4. ")]
    assert [h.split("(")[1].split(";")[0].rstrip(")") for h in headings] == DIFFERENT
    assert "gated; the gate fires for Bob Analyst only" in headings[0]
    example = load_scored(pair.ann).report
    flat = " ".join(out.split())  # the columns wrap the rationales
    for cid in DIFFERENT:
        ann_words = " ".join(example.answer(cid).rationale.split()[:4])  # type: ignore[union-attr]
        assert ann_words in flat
        assert " ".join(BOB_RATIONALE[cid].split()[:4]) in flat
    assert "Identical answers: 28 of 31 (90%)" in out
    assert "Verdicts agree: Conditional" in out
    found = agreement([load_scored(pair.ann), load_scored(pair.bob)])
    assert f"Krippendorff's alpha {found.alpha:.3f}" in out
    assert f"Score gap: {found.score_gap:.2f} points" in out


def test_json_carries_the_same_figures(pair: Pair, capsys: Capsys) -> None:
    _, text, _ = run(capsys, "agree", pair.ann, pair.bob)
    code, out, _ = run(capsys, "agree", pair.ann, pair.bob, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format_version"] == 1
    assert [d["criterion"] for d in data["disagreements"]] == DIFFERENT
    assert [d["gated"] for d in data["disagreements"]] == [True, False, False]
    assert f"Krippendorff's alpha {data['alpha']:.3f}" in text
    assert f"ordinal over levels alone {data['alpha_levels']:.3f}" in text
    assert f"nominal over the kind of answer {data['alpha_kinds']:.3f}" in text
    assert data["identical"] == pytest.approx(28 / 31)
    assert data["criteria_compared"] == 31
    assert data["verdicts_agree"] is True
    assert f"Score gap: {data['score_gap']:.2f} points" in text
    assert [a["analyst"] for a in data["assessments"]] == [ANN, BOB]
    for pillar in data["pillars"]:
        shown = "not defined" if pillar["alpha"] is None else f"{pillar['alpha']:.3f}"
        assert shown in text
    first = data["disagreements"][0]
    assert [p["level"] for p in first["positions"]] == ["binding-agreement", "political"]
    assert [p["gate"] for p in first["positions"]] == ["passes", "fires"]
    assert first["positions"][1]["rationale"] == BOB_RATIONALE["legal-basis"]
    monitoring = data["disagreements"][1]
    assert [p["status"] for p in monitoring["positions"]] == ["level", "unknown"]
    # alpha as scripts read it is exactly what --min-alpha compares
    assert 0 < data["alpha"] < 1


def test_markdown_lists_the_answers_side_by_side_escaped(pair: Pair, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "agree", pair.ann, pair.bob, "--format", "md")
    assert code == 0
    assert f"| | {ANN} | {BOB} |" in out
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert [h.split("`")[1] for h in headings] == DIFFERENT
    assert "gate fires for Bob Analyst only" in headings[0]
    assert r"\[b\]political\[/b\] \| the binding" in out  # a pipe cannot break the table
    assert "| Gate | passes | fires |" in out


@pytest.mark.parametrize(("threshold", "expected"), [("0.5", 0), ("-1", 0), ("0.99", 1), ("1", 1)])
def test_min_alpha_exit_codes(pair: Pair, capsys: Capsys, threshold: str, expected: int) -> None:
    code, out, err = run(capsys, "agree", pair.ann, pair.bob, "--min-alpha", threshold)
    assert code == expected
    assert "disagreement(s)" in out  # the figures are printed either way
    assert ("is below --min-alpha" in err) == (expected == 1)


@pytest.mark.parametrize("bad", ["nan", "inf", "x", "1.5"])
def test_min_alpha_must_be_a_number_up_to_one(pair: Pair, capsys: Capsys, bad: str) -> None:
    code, out, err = run(capsys, "agree", pair.ann, pair.bob, "--min-alpha", bad)
    assert code == 2 and out == ""
    assert "--min-alpha" in err and err.count("\n") == 1


def test_identical_copies_agree_fully(pair: Pair, capsys: Capsys, tmp_path: Path) -> None:
    copy = Path(shutil.copy(pair.ann, tmp_path / "copy.toml"))
    code, out, _ = run(capsys, "agree", pair.ann, copy, "--min-alpha", "1")
    assert code == 0
    assert "Krippendorff's alpha 1.000" in out
    assert "No disagreements" in out
    assert "Verdicts agree: Conditional" in out and "Score gap: 0.00 points" in out
    # The same assessor in both: the file names tell them apart.
    assert f"{ANN} (ann.toml)" in out and f"{ANN} (copy.toml)" in out


def test_verdicts_that_differ_are_named(pair: Pair, capsys: Capsys) -> None:
    scored = load_scored(pair.bob)
    ann = load_scored(pair.ann).report.answer("legal-basis")
    assert ann is not None
    lifted = with_answer(scored.report, Answer(criterion="us-participation", level="guarantor"))
    save_report(pair.bob, finalize(with_answer(lifted, ann), scored.criteria))
    code, out, _ = run(capsys, "agree", pair.ann, pair.bob, "--format", "json")
    assert code == 0 and json.loads(out)["verdicts_agree"] is False
    _, out, _ = run(capsys, "agree", pair.ann, pair.bob)
    assert "Verdicts differ: Conditional (Ann Analyst), Substantial (Bob Analyst)" in out
    assert "3 disagreement(s)" in out
    assert (
        "1. US participation (us-participation; gated; the gate fires for Ann Analyst only)" in out
    )


def test_different_packages_are_refused_in_one_line(pair: Pair, capsys: Capsys) -> None:
    scored = load_scored(pair.bob)
    package = scored.report.package.model_copy(update={"name": "Another draft"})
    save_report(
        pair.bob, finalize(scored.report.model_copy(update={"package": package}), scored.criteria)
    )
    code, out, err = run(capsys, "agree", pair.ann, pair.bob)
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert str(pair.ann) in err and str(pair.bob) in err
    assert "'Another draft'" in err and "--allow-mixed" in err
    code, out, err = run(capsys, "agree", pair.ann, pair.bob, "--allow-mixed")
    assert code == 0
    assert "Mixed (--allow-mixed): package" in out


def test_a_missing_file_a_bad_file_and_the_same_file_twice(
    pair: Pair, capsys: Capsys, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "agree", pair.ann, tmp_path / "nope.toml")
    assert code == 2 and "nope.toml: no such file" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("format_version = 1\n[package]\n", encoding="utf-8")
    code, out, err = run(capsys, "agree", pair.ann, bad)
    assert code == 1 and out == "" and "bad.toml" in err and "Traceback" not in err
    code, _, err = run(capsys, "agree", pair.ann, pair.ann)
    assert code == 1 and "given twice" in err
    code, _, err = run(capsys, "agree", pair.ann)
    assert code == 2


def test_hostile_text_is_cleaned_for_the_terminal(pair: Pair, capsys: Capsys) -> None:
    scored = load_scored(pair.bob)
    answer = scored.report.answer("duration-withdrawal")
    assert answer is not None
    hostile = answer.model_copy(update={"rationale": "\x1b[2J\x1b]0;owned\x07cleared \x1b[31mred"})
    answers = [
        hostile if a.criterion == "duration-withdrawal" else a for a in scored.report.answers
    ]
    save_report(
        pair.bob, finalize(scored.report.model_copy(update={"answers": answers}), scored.criteria)
    )
    code, out, _ = run(capsys, "agree", pair.ann, pair.bob)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "cleared red" in out


def test_agreement_refuses_fewer_than_two(pair: Pair) -> None:
    with pytest.raises(AgreementError):
        agreement([load_scored(pair.ann)])


EXTRA = """
[[criteria]]
id = "extra"
pillar = "what"
title = "Extra"
question = "Is there more?"
why = "A criterion version 2 adds."
weight = 1
citations = [{ source = "paper", section = "§4" }]

[[criteria.levels]]
id = "no"
label = "No"
description = "Nothing more is offered in the text."
score = 0.0

[[criteria.levels]]
id = "yes"
label = "Yes"
description = "Something more is offered in the text."
score = 1.0
"""


def test_mixed_versions_compare_the_shared_criteria_with_missing_values(
    tmp_path: Path, fixture_sets: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    """Version 2 of the mini set renames a level of `aid` (so it is left out) and adds `extra`,
    which the analyst on version 1 cannot have answered: a missing value in alpha's data."""
    from guaranteekit.formats.assessment import new_report
    from guaranteekit.formats.catalog import load_criteria
    from guaranteekit.formats.models import Package

    sets = tmp_path / "sets"
    sets.mkdir()
    v1 = (fixture_sets / "mini.toml").read_text(encoding="utf-8")
    v2 = v1.replace('version = "1"', 'version = "2"', 1).replace('id = "yes"', 'id = "committed"')
    (sets / "mini-v2.toml").write_text(v2 + EXTRA, encoding="utf-8")
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", f"{fixture_sets}:{sets}")
    package = Package(name="Mini package")
    answers = {
        "a": (fixture_sets / "mini.toml", {"guarantor": "named", "force": "some", "aid": "yes"}),
        "b": (sets / "mini-v2.toml", {"guarantor": "named", "force": "many", "extra": "yes"}),
        "c": (sets / "mini-v2.toml", {"guarantor": "bound", "force": "many", "extra": "yes"}),
    }
    paths = []
    for name, (set_path, levels) in answers.items():
        criteria = load_criteria(set_path)
        report = new_report(package, criteria, assessor=name.upper())
        for cid, level in levels.items():
            report = with_answer(report, Answer(criterion=cid, level=level, rationale="r"))
        paths.append(tmp_path / f"{name}.toml")
        save_report(paths[-1], finalize(report, criteria))
    code, _, err = run(capsys, "agree", *paths)
    assert code == 1 and "criteria mini 1" in err and "mini 2" in err
    code, out, _ = run(capsys, "agree", *paths, "--allow-mixed", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["left_out"] == ["aid: its rubric differs between the criteria sets"]
    assert data["criteria_compared"] == 3  # guarantor, force, and extra (between B and C)
    extra = {c["criterion"]: c for c in data["criteria_agreement"]}["extra"]
    assert extra["identical"] is True
    # The same figure from the reliability data written out by hand, None for A's missing value.
    from guaranteekit.scoring.agreement import alpha

    by_hand = [[0.5, 0.5, None], [0.5, 1.0, 1.0], [1.0, 1.0, 1.0]]
    assert data["alpha"] == pytest.approx(alpha(by_hand))
    assert [d["criterion"] for d in data["disagreements"]] == ["guarantor", "force"]


def test_allow_mixed_still_refuses_reports_with_no_criterion_in_common(
    pair: Pair, fixture_sets: Path, capsys: Capsys
) -> None:
    mini = fixture_sets.parent / "reports" / "mini-complete.toml"
    code, out, err = run(capsys, "agree", pair.ann, mini, "--allow-mixed")
    assert code == 1 and out == ""
    assert "no criterion with the same rubric to compare" in err and err.count("\n") == 1


@pytest.mark.parametrize("command", ["agree", "merge"])
def test_help_gives_the_defaults_and_an_example(command: str, capsys: Capsys) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert f"example: guaranteekit {command} ann.toml bob.toml" in out
    assert "default" in out
