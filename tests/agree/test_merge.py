"""`guaranteekit merge` and the adjudication of its disputes in the core (no TUI): the merged report
keeps what both analysts gave, opens a dispute per disagreement with both positions, refuses
approval until each is adjudicated, and verifies before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import finalize, load_report, load_scored, save_report
from guaranteekit.formats.models import AnswerStatus, Confidence, ReviewKind
from guaranteekit.review import consensus
from guaranteekit.review import trail as review
from guaranteekit.review.trail import ReviewError
from guaranteekit.verify.checks import verify_file

from .conftest import ANN, BOB, BOB_RATIONALE, DIFFERENT, Pair

Capsys = pytest.CaptureFixture[str]
RITA = "Rita Adjudicator"


def merged(pair: Pair, folder: Path, capsys: Capsys) -> Path:
    out = folder / "consensus.toml"
    code = main(["merge", str(pair.ann), str(pair.bob), "-o", str(out), "--by", "Mia Merger"])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert "3 disagreement(s) open as disputes" in err
    return out


def test_merge_keeps_agreed_answers_and_disputes_the_rest(
    pair: Pair, tmp_path: Path, capsys: Capsys
) -> None:
    path = merged(pair, tmp_path, capsys)
    report = load_report(path)
    ann = load_scored(pair.ann).report
    assert [a.criterion for a in report.answers] == [a.criterion for a in ann.answers]
    assert report.provenance.assessor == f"{ANN}, {BOB}"
    # Agreed answers: the level both gave; the (identical) rationale and quotes attributed to both.
    agreed = report.answer("named-guarantors")
    source = ann.answer("named-guarantors")
    assert agreed is not None and source is not None
    assert (agreed.level, agreed.confidence) == (source.level, source.confidence)
    assert agreed.rationale == f"[{ANN}, {BOB}] {source.rationale}"
    assert agreed.evidence == [f"[{ANN}, {BOB}] {q}" for q in source.evidence]
    # Every disagreement is an open dispute carrying both positions, in the criteria set's order.
    disputes = consensus.open_disagreements(report)
    assert sorted(e.criterion for _, e in disputes) == sorted(DIFFERENT)
    for _, entry in disputes:
        assert entry.author == "Mia Merger" and entry.kind is ReviewKind.DISPUTE
        assert [p.assessor for p in entry.positions or []] == [ANN, BOB]
        assert (entry.positions or [])[1].rationale == BOB_RATIONALE[entry.criterion or ""]
    # Provisional answers claim no more than the most cautious analyst.
    legal = report.answer("legal-basis")
    assert legal is not None and legal.level == "political"  # the lower of the two levels
    assert "legal-basis" in (report.results.gates_fired if report.results else [])
    unknown = report.answer("violation-determination")
    assert unknown is not None and unknown.status is AnswerStatus.UNKNOWN
    duration = report.answer("duration-withdrawal")
    assert duration is not None
    assert (duration.level, duration.confidence) == ("revocable", Confidence.LOW)
    assert duration.rationale.startswith("Provisional until adjudicated")
    assert f"[{BOB}] {BOB_RATIONALE['duration-withdrawal']}" in duration.rationale


def test_the_merged_report_verifies_with_its_disputes_reported(
    pair: Pair, tmp_path: Path, capsys: Capsys
) -> None:
    path = merged(pair, tmp_path, capsys)
    result = verify_file(path)
    assert result.ok, [p.message for p in result.problems if p.severity == "error"]
    open_ = [p for p in result.problems if p.code == "dispute-open"]
    assert len(open_) == 3
    assert "The assessors disagree" in open_[0].message
    assert main(["verify", "--strict", str(path)]) == 1
    capsys.readouterr()


def test_approval_is_refused_until_every_disagreement_is_adjudicated(
    pair: Pair, tmp_path: Path, capsys: Capsys
) -> None:
    scored = load_scored(merged(pair, tmp_path, capsys))
    report = scored.report
    with pytest.raises(ReviewError, match="cannot approve"):
        review.sign_off(report, RITA, "approved")
    # Bob's gated reading, Ann's level on the unknown, and a level neither gave.
    rulings = {
        "legal-basis": ("level", "political"),
        "violation-determination": ("level", "collective"),
        "duration-withdrawal": ("level", "durable"),
    }
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for cid, (status, level) in rulings.items():
        entry = consensus.disagreement(report, cid)
        assert entry is not None
        choice = consensus.choice(entry, status, level)
        report = consensus.adjudicate(
            report, scored.criteria, cid, RITA, choice, f"Settled {cid}.", at=at
        )
        if cid != "duration-withdrawal":
            with pytest.raises(ReviewError, match="cannot approve"):
                review.sign_off(report, RITA, "approved")
    for cid, (_, level) in rulings.items():
        answer = report.answer(cid)
        assert answer is not None and answer.level == level
        assert f"[adjudicated by {RITA}] Settled {cid}." in answer.rationale
    resolves = [e for e in report.review.entries if e.kind is ReviewKind.RESOLVE]
    assert [(e.author, e.criterion) for e in resolves] == [(RITA, c) for c in rulings]
    follows = [e.adjudication.follows for e in resolves if e.adjudication]
    assert follows == [[BOB], [ANN], []]
    assert consensus.open_disagreements(report) == []
    approved = review.sign_off(report, RITA, "approved")
    path = tmp_path / "settled.toml"
    save_report(path, approved, overwrite=False)
    result = verify_file(path)
    assert result.ok and not [p for p in result.problems if p.code == "dispute-open"]
    assert load_report(path) == approved


def test_adjudication_refuses_what_does_not_fit(pair: Pair, tmp_path: Path, capsys: Capsys) -> None:
    scored = load_scored(merged(pair, tmp_path, capsys))
    report, criteria = scored.report, scored.criteria
    entry = consensus.disagreement(report, "duration-withdrawal")
    assert entry is not None
    good = consensus.choice(entry, "level", "durable")
    with pytest.raises(ReviewError, match="no open disagreement"):
        consensus.adjudicate(report, criteria, "named-guarantors", RITA, good, "why")
    with pytest.raises(ReviewError, match="needs a comment"):
        consensus.adjudicate(report, criteria, "duration-withdrawal", RITA, good, "  ")
    with pytest.raises(ReviewError, match="name is empty"):
        consensus.adjudicate(report, criteria, "duration-withdrawal", " \x1b ", good, "why")
    wrong = good.model_copy(update={"level": "treaty"})
    with pytest.raises(ReviewError, match="not in the rubric"):
        consensus.adjudicate(report, criteria, "duration-withdrawal", RITA, wrong, "why")
    settled = consensus.adjudicate(report, criteria, "duration-withdrawal", RITA, good, "why")
    with pytest.raises(ReviewError, match="no open disagreement"):
        consensus.adjudicate(settled, criteria, "duration-withdrawal", RITA, good, "again")


def test_merge_refuses_to_overwrite_and_different_packages(
    pair: Pair, tmp_path: Path, capsys: Capsys
) -> None:
    out = merged(pair, tmp_path, capsys)
    before = out.read_bytes()
    assert main(["merge", str(pair.ann), str(pair.bob), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["merge", str(pair.ann), str(pair.bob), "-o", str(pair.bob), "--force"]) == 1
    assert "one of the reports being merged" in capsys.readouterr().err
    assert main(["merge", str(pair.ann), str(pair.bob), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    scored = load_scored(pair.bob)
    package = scored.report.package.model_copy(update={"round": "another round"})
    changed = finalize(scored.report.model_copy(update={"package": package}), scored.criteria)
    save_report(pair.bob, changed)
    elsewhere = tmp_path / "other.toml"
    assert main(["merge", str(pair.ann), str(pair.bob), "-o", str(elsewhere)]) == 1
    err = capsys.readouterr().err
    assert "cannot merge" in err and err.count("\n") == 1 and not elsewhere.exists()
    assert list(tmp_path.glob(".*.tmp")) == []


def test_merging_identical_copies_opens_no_dispute(pair: Pair, tmp_path: Path) -> None:
    ann = load_scored(pair.ann)
    copy = tmp_path / "copy.toml"
    save_report(copy, ann.report, overwrite=False)
    report = consensus.merge_reports([ann, load_scored(copy)], "Mia Merger")
    assert report.review.entries == []
    assert [a.level for a in report.answers] == [a.level for a in ann.report.answers]
    assert report.results == ann.report.results


def test_three_assessors_one_left_it_open_one_found_it_not_applicable(
    pair: Pair, tmp_path: Path, capsys: Capsys
) -> None:
    """Carl leaves `legal-basis` unanswered and finds `senate-ratification` not applicable: the
    first is held unknown (an open reading), the second at the level the others gave."""
    from guaranteekit.formats.models import Answer
    from guaranteekit.tui.screens.adjudicate import choices

    ann = load_scored(pair.ann)
    report = ann.report
    answers = [a for a in report.answers if a.criterion != "legal-basis"]
    answers = [
        Answer(
            criterion="senate-ratification",
            status=AnswerStatus.NOT_APPLICABLE,
            reason="European guarantors only.",
        )
        if a.criterion == "senate-ratification"
        else a
        for a in answers
    ]
    provenance = report.provenance.model_copy(update={"assessor": "Carl Analyst"})
    carl = tmp_path / "carl.toml"
    save_report(
        carl,
        finalize(
            report.model_copy(update={"answers": answers, "provenance": provenance}), ann.criteria
        ),
    )
    code = main(["agree", str(pair.ann), str(pair.bob), str(carl)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Identical answers, pair by pair:" in out and "4 disagreement(s)" in out
    assert "Carl Analyst" in out and "unanswered" in out and "not applicable: European" in out

    merged = consensus.merge_reports([ann, load_scored(pair.bob), load_scored(carl)], "Mia Merger")
    legal = merged.answer("legal-basis")
    assert legal is not None and legal.status is AnswerStatus.UNKNOWN
    senate = merged.answer("senate-ratification")
    assert senate is not None and senate.level == ann.report.answer("senate-ratification").level  # type: ignore[union-attr]
    entry = consensus.disagreement(merged, "legal-basis")
    assert entry is not None
    assert [p.status.value for p in entry.positions or []] == ["level", "level", "unanswered"]
    words = [w for w, _ in choices(entry, ann.criteria.criterion("legal-basis"))]
    assert not any("unanswered" in w for w in words)
    assert words[0].startswith("Ann Analyst: ") and words[1].startswith("Bob Analyst: ")
    assert len(words) == 5  # the two readings, then the rubric's three other levels
