"""`guaranteekit rescore`: a report made with criteria 1.0.0 moves to a 2.x set, carrying the answers
whose criterion and level ids still exist and listing the rest to answer again.

Until guarantee-credibility 2.0.0 is installed, `tests/data/sets-next` holds a small stand-in
(2.0.0-test): named-guarantors, us-participation (without 1.0.0's `proposed`), article5-commitment,
two price criteria (alliance-ban, sanctions-relief) and a new entry-into-force.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import AnswerStatus
from guaranteekit.verify.checks import Severity, verify_file

DATA = Path(__file__).parent.parent / "data"
NEXT = DATA / "sets-next"
# The worked examples as scored with criteria 1.0.0 (the examples themselves move on with the set).
V1 = DATA / "reports" / "v1"
EXAMPLES = sorted(V1.glob("*.toml"))
PARIS = V1 / "paris-declaration-2026-01-06.toml"


@pytest.fixture
def next_set(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(NEXT))
    return NEXT


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_report_made_with_1_0_0_verifies_beside_a_2x_set(next_set: Path, example: Path) -> None:
    result = verify_file(example)
    assert result.ok, [p.message for p in result.problems if p.severity is Severity.ERROR]
    assert result.summary.criteria == "guarantee-credibility 1.0.0"


def test_rescore_carries_what_maps_and_lists_the_rest(
    next_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = PARIS.read_bytes()
    target = tmp_path / "paris-2.toml"
    assert (
        main(
            [
                "rescore",
                str(PARIS),
                "--criteria",
                "guarantee-credibility@2.0.0-test",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert PARIS.read_bytes() == before

    again = out[out.index("To answer again:") : out.index("To check:")]
    # 1.0.0's `proposed` US role has no level in 2.0.0-test; entry-into-force is new.
    assert "us-participation: level 'proposed' is not in the new rubric" in again
    assert "entry-into-force: no answer in the old report (new criterion)" in again
    assert "4 answers carried over, 2 to answer again" in out

    report = load_report(target)
    assert (report.criteria.id, report.criteria.version) == ("guarantee-credibility", "2.0.0-test")
    carried = {a.criterion: a.level for a in report.answers}
    assert carried == {
        "named-guarantors": "some-named",
        "article5-commitment": "force-listed",
        "alliance-ban": "open",
        "sanctions-relief": "no-relief",
    }
    assert report.results is not None and report.results.unanswered == [
        "entry-into-force",
        "us-participation",
    ]
    # The new report verifies but for the answers it still needs.
    result = verify_file(target)
    errors = sorted((p.code, p.where) for p in result.problems if p.severity is Severity.ERROR)
    assert errors == [
        ("unanswered", "answers (entry-into-force)"),
        ("unanswered", "answers (us-participation)"),
    ]


def test_rescore_lists_carried_answers_the_new_rules_question(
    next_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    budapest = V1 / "budapest-memorandum-1994.toml"
    target = tmp_path / "budapest-2.toml"
    assert (
        main(
            [
                "rescore",
                str(budapest),
                "--criteria",
                "guarantee-credibility@2.0.0-test",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    check = out[out.index("To check:") :]
    assert "sanctions-relief: marked not applicable, which the new rule forbids" in check
    # us-participation `undefined` exists in both, but is worded differently.
    assert "us-participation: level 'undefined' is worded or scored differently" in check


def test_rescore_reads_a_silent_answer_under_the_new_silence_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # two-axis 2.1.0: silence on the force cap now means a loose cap, not none.
    text = (DATA / "sets" / "two-axis.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2.0.0"', 'version = "2.1.0"').replace(
        'when_silent = "no-cap"', 'when_silent = "loose"'
    )
    (tmp_path / "two-axis-2.1.0.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(tmp_path))
    old = DATA / "reports" / "two-axis-silent-contradiction.toml"
    target = tmp_path / "moved.toml"
    assert main(["rescore", str(old), "--criteria", "two-axis@2.1.0", "-o", str(target)]) == 0
    moved = {a.criterion: a for a in load_report(target).answers}
    assert moved["cap"].silent and moved["cap"].level == "loose"
    assert moved["monitor"].status is AnswerStatus.UNKNOWN
    assert moved["pledge"].level == "none"  # silent: silence on the pledge still means none


def test_rescore_never_overwrites_without_force_nor_writes_over_its_input(
    next_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "there.toml"
    target.write_text("keep me", encoding="utf-8")
    args = [
        "rescore",
        str(PARIS),
        "--criteria",
        "guarantee-credibility@2.0.0-test",
        "-o",
        str(target),
    ]
    assert main(args) != 0
    assert target.read_text(encoding="utf-8") == "keep me"
    assert "exists" in capsys.readouterr().err
    copy = tmp_path / "paris.toml"
    copy.write_bytes(PARIS.read_bytes())
    assert (
        main(
            [
                "rescore",
                str(copy),
                "--criteria",
                "guarantee-credibility",
                "-o",
                str(copy),
                "--force",
            ]
        )
        != 0
    )
    assert copy.read_bytes() == PARIS.read_bytes()
    assert "must name another file" in capsys.readouterr().err


def test_a_rescored_report_goes_into_the_documents(
    next_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = []
    for name in ("us-28-point-plan-2025-11.toml", "nato-article-5.toml"):
        target = tmp_path / name
        source = V1 / name
        assert (
            main(
                [
                    "rescore",
                    str(source),
                    "--criteria",
                    "guarantee-credibility@2.0.0-test",
                    "-o",
                    str(target),
                ]
            )
            == 0
        )
        moved.append(str(target))
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["report", moved[0], "--format", fmt, "-o", str(out)]) == 0
    assert main(["compare", *moved, "--format", "json", "--draws", "100"]) == 0
    assert main(["diff", *moved, "-o", str(tmp_path / "diff.md")]) == 0
    capsys.readouterr()
