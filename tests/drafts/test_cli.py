"""The draft commands as people type them: `new --draft`, `new --from`, `evidence`, and `verify` of
quotes, checked through the files they write and the lines they print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import DraftFormat, QuoteStatus
from guaranteekit.verify.checks import verify_file

from .conftest import DRAFTS, write_round3


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def draft_codes(path: Path) -> list[str]:
    return [
        p.code
        for p in verify_file(path).problems
        if p.code in ("draft-text", "quote-mismatch", "digest-mismatch")
    ]


@pytest.mark.parametrize("fmt", ["txt", "md", "pdf", "docx"])
def test_new_with_a_draft_writes_a_report_that_keeps_its_text(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "round3.toml"
    code, _, err = run(
        capsys, "new", "--criteria", "drafts-mini", "--draft", str(DRAFTS / f"round3.{fmt}"),
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {target}: draft round3.{fmt} attached (9 units" in err
    report = load_report(target)
    assert report.package.name == "Framework on Security Guarantees for Ukraine"
    assert report.package.source == f"round3.{fmt}"
    draft = report.draft
    assert draft is not None and draft.format is DraftFormat(fmt)
    assert [u.label for u in draft.units][:3] == ["Preamble", "Point 1", "Point 2"]
    assert draft.text is not None and "Point 8. This Framework enters into force" in " ".join(
        draft.text.split()
    )
    assert (draft.pages == 2) is (fmt == "pdf")
    assert draft_codes(target) == []


def test_the_text_can_live_beside_the_report(tmp_path: Path, capsys) -> None:
    target = tmp_path / "r.toml"
    code, _, err = run(
        capsys, "new", "--criteria", "drafts-mini", "--draft", str(DRAFTS / "round3.pdf"),
        "-o", str(target), "--text-beside", "--name", "Round 3",
    )  # fmt: skip
    assert code == 0, err
    report = load_report(target)
    assert report.package.name == "Round 3"
    assert report.draft is not None and report.draft.text is None
    assert report.draft.text_file == "r.draft-text.txt"
    beside = tmp_path / "r.draft-text.txt"
    assert "Point 5. A multinational" in beside.read_text()
    assert draft_codes(target) == []
    beside.write_text(beside.read_text().replace("twenty", "forty"))
    problems = [p for p in verify_file(target).problems if p.code == "draft-text"]
    assert [p.where for p in problems] == ["draft.text_file"]
    assert "not the text the report was made from" in problems[0].message
    beside.unlink()
    [problem] = [p for p in verify_file(target).problems if p.code == "draft-text"]
    assert "no such file" in problem.message


@pytest.mark.parametrize(
    ("draft", "words"),
    [
        ("scanned.pdf", "no text layer"),
        ("encrypted.pdf", "encrypted PDF"),
        ("not-a-docx.docx", "not a Word document"),
        ("latin1.txt", "not UTF-8 text"),
    ],
)
def test_a_bad_draft_writes_nothing(draft: str, words: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "r.toml"
    code, out, err = run(capsys, "new", "--draft", str(DRAFTS / draft), "-o", str(target))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"guaranteekit: {DRAFTS / draft}: ") and words in line
    assert list(tmp_path.iterdir()) == []


def test_new_from_needs_a_draft_and_an_output(tmp_path: Path, capsys) -> None:
    old = write_round3(tmp_path / "round3.toml")
    code, _, err = run(capsys, "new", "--from", str(old), "-o", str(tmp_path / "r4.toml"))
    assert code == 2 and "needs --draft FILE" in err
    code, _, err = run(capsys, "new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"))
    assert code == 2 and "needs -o FILE" in err
    code, _, err = run(
        capsys, "new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(old)
    )
    assert code == 1 and "already exists" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["round3.toml"]


def test_the_next_round_marks_exactly_the_reworded_and_the_deleted_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_round3(tmp_path / "round3.toml")
    assert draft_codes(old) == []
    new = tmp_path / "round4.toml"
    code, _, err = run(
        capsys, "new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(new)
    )
    assert code == 0, err
    assert "quotes: 1 exact, 1 moved, 1 changed, 1 missing" in err
    assert "2 to re-check: commitment, ratification" in err

    report = load_report(new)
    recheck = {a.criterion: a.recheck for a in report.answers if a.recheck}
    assert sorted(recheck) == ["commitment", "ratification"]
    assert recheck["commitment"] == "the quote from Point 3 is no longer in the draft"
    assert recheck["ratification"].startswith(
        "the quote from Point 6 (now Point 5) is reworded (similarity 0."
    )
    # Levels, rationales and typed evidence come over unchanged; the trail starts afresh.
    before = load_report(old)
    assert [(a.criterion, a.level, a.rationale, a.evidence) for a in report.answers] == [
        (a.criterion, a.level, a.rationale, a.evidence) for a in before.answers
    ]
    assert report.draft is not None and report.draft.file == "round4.txt"
    assert draft_codes(new) == []
    # The missing quote no longer counts as evidence; the moved and changed ones still do.
    _, out, _ = run(capsys, "verify", "--format", "json", str(new))
    problems = json.loads(out)["files"][0]["problems"]
    no_evidence = [p["where"] for p in problems if p["code"] == "no-evidence"]
    assert no_evidence == ["answers[1] (commitment).evidence"]

    code, out, _ = run(capsys, "evidence", str(new), "--json")
    assert code == 0
    document = json.loads(out)
    rows = {(row["criterion"], row["status"]): row for row in document["evidence"]}
    assert sorted(rows) == [
        ("commitment", "missing"),
        ("force", "unanchored"),
        ("guarantor", "exact"),
        ("monitoring", "moved"),
        ("ratification", "changed"),
    ]
    assert rows[("monitoring", "moved")]["unit"] == "Point 3"
    assert rows[("monitoring", "moved")]["previous_unit"] == "Point 4"
    changed = rows[("ratification", "changed")]
    assert changed["unit"] == "Point 5" and 0.8 <= changed["similarity"] < 1
    assert "excluding the United States Senate." in changed["text"]
    assert "including the United States Senate." in changed["previous_text"]
    assert rows[("commitment", "missing")]["start"] is None
    assert document["counts"] == {
        "exact": 1, "moved": 1, "changed": 1, "missing": 1, "not-in-text": 0, "unanchored": 1,
    }  # fmt: skip

    # The same, asked of round 3's report against round 4's draft, without writing anything.
    code, out, _ = run(capsys, "evidence", str(old), "--draft", str(DRAFTS / "round4.txt"))
    assert code == 0
    lines = out.splitlines()
    similarity = f"{changed['similarity']:.2f}"
    assert any(line.split()[:4] == ["guarantor", "exact", "Point", "2"] for line in lines)
    assert any(
        line.split()[:4] == ["monitoring", "moved", "Point", "3"] and "(was in Point 4)" in line
        for line in lines
    )
    assert any(
        line.split()[:5] == ["ratification", "changed", similarity, "Point", "5"] for line in lines
    )
    assert any(line.split()[:4] == ["commitment", "missing", "Point", "3"] for line in lines)
    assert any(line.split()[:2] == ["force", "unanchored"] for line in lines)
    assert lines[-1].startswith("4 quote(s): 1 exact, 1 moved, 1 changed, 1 missing; 1 typed")


def test_evidence_of_a_fresh_round_lists_every_quote_as_exact(tmp_path: Path, capsys) -> None:
    old = write_round3(tmp_path / "round3.toml", draft=DRAFTS / "round3.pdf")
    code, out, _ = run(capsys, "evidence", str(old))
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[:2] for line in lines[:-1] if not line.startswith(" ")] == [
        ["guarantor", "exact"],
        ["commitment", "exact"],
        ["monitoring", "exact"],
        ["force", "unanchored"],
        ["ratification", "exact"],
    ]
    assert "Point 6 p. 2" in lines[-2]


def test_verify_reports_a_quote_edited_by_hand(tmp_path: Path, capsys) -> None:
    path = write_round3(tmp_path / "round3.toml")
    text = path.read_text()
    quoted = 'text = "The United States, the United Kingdom and France shall act as guarantors'
    assert text.count(quoted) == 1  # the quote's own line; the draft's text is a multi-line string
    path.write_text(text.replace(quoted, quoted.replace("France", "Germany")))
    problems = verify_file(path).problems
    codes = [(p.code, p.where) for p in problems if p.code in ("quote-mismatch", "digest-mismatch")]
    assert codes == [
        ("digest-mismatch", "digest"),
        ("quote-mismatch", "answers[0] (guarantor).quotes[0]"),
        ("quote-mismatch", "answers[0] (guarantor).quotes[0]"),
    ]
    messages = [p.message for p in problems if p.code == "quote-mismatch"]
    assert messages[0] == "the quoted text does not match the quote's digest"
    assert messages[1].startswith("the quote is not in the draft's text at Point 2 (characters")

    # Re-stamping the report's digest hides the edit from the digest, not from the quote check.
    assert main(["score", str(path), "--write"]) == 0
    codes = [p.code for p in verify_file(path).problems]
    assert "digest-mismatch" not in codes and codes.count("quote-mismatch") == 2
    code, out, _ = run(capsys, "evidence", str(path))
    assert code == 1 and out.splitlines()[0].split()[:2] == ["guarantor", "not-in-text"]


def test_verify_json_carries_a_quote_whose_span_moved(tmp_path: Path, capsys) -> None:
    from guaranteekit.formats.assessment import finalize, save_report
    from guaranteekit.formats.catalog import load_criteria

    from .conftest import SET

    path = write_round3(tmp_path / "round3.toml")
    report = load_report(path)
    answer = report.answers[0]
    [quote] = answer.quotes or []
    shifted = quote.model_copy(update={"start": quote.start + 1, "end": quote.end + 1})
    answers = [answer.model_copy(update={"quotes": [shifted]}), *report.answers[1:]]
    # Saved through the core, so the report's digest is right: only the quote is wrong.
    save_report(path, finalize(report.model_copy(update={"answers": answers}), load_criteria(SET)))
    code, out, _ = run(capsys, "verify", "--format", "json", str(path))
    assert code == 1
    problems = json.loads(out)["files"][0]["problems"]
    [problem] = [p for p in problems if p["severity"] == "error"]  # warnings (confidence) aside
    assert problem == {
        "severity": "error",
        "code": "quote-mismatch",
        "where": "answers[0] (guarantor).quotes[0]",
        "message": problem["message"],
    }
    assert problem["message"].startswith("the quote is not in the draft's text at Point 2")


def test_old_reports_load_and_verify_unchanged() -> None:
    from guaranteekit.formats.catalog import resource_dir

    for example in sorted(resource_dir("examples").glob("*.toml")):
        report = load_report(example)
        assert report.draft is None and all(a.quotes is None for a in report.answers)
        assert verify_file(example).ok, example


def test_a_quote_status_round_trips(tmp_path: Path) -> None:
    path = write_round3(tmp_path / "round3.toml")
    report = load_report(path)
    assert {q.status for a in report.answers for q in a.quotes or []} == {QuoteStatus.EXACT}


def two_rounds(tmp_path: Path) -> tuple[Path, Path]:
    """Round 3's report and round 4's, carried over by `new --from` to the next draft."""
    old = write_round3(tmp_path / "round3.toml")
    new = tmp_path / "round4.toml"
    assert (
        main(["new", "--from", str(old), "--draft", str(DRAFTS / "round4.txt"), "-o", str(new)])
        == 0
    )
    return old, new


def test_diff_shows_each_quote_old_and_new_wording(tmp_path: Path, capsys) -> None:
    old, new = two_rounds(tmp_path)
    code, out, _ = run(capsys, "diff", str(old), str(new))
    assert code == 0
    section = out[out.index("## Evidence quoted from the draft") :].splitlines()
    rows = {line.split(" | ")[0].lstrip("| "): line for line in section if line.startswith("| ")}
    assert "unchanged (Point 2)" in rows["Named guarantors"]
    assert "moved (Point 4 → Point 3)" in rows["Who monitors"]
    assert "gone (Point 3)" in rows["Article 5-like commitment"]
    ratification = rows["Senate ratification"]
    assert "reworded, similarity 0." in ratification and "(Point 6 → Point 5)" in ratification
    assert "including the United States Senate." in ratification
    assert "excluding the United States Senate." in ratification
    # Reports without drafts diff as before, with no such section.
    code, out, _ = run(
        capsys,
        "diff",
        "examples/budapest-memorandum-1994.toml",
        "examples/nato-article-5.toml",
        "--allow-mixed",
    )
    assert code == 0 and "Evidence quoted from the draft" not in out


def test_diff_carries_the_quotes_in_html_json_and_toml(tmp_path: Path, capsys) -> None:
    import json
    import tomllib

    old, new = two_rounds(tmp_path)
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 0
    quotes = json.loads(out)["quotes"]
    assert (quotes["old_file"], quotes["new_file"]) == ("round3.toml", "round4.toml")
    by_title = {row["title"]: row for row in quotes["rows"]}
    assert by_title["Who monitors"]["status"] == "moved"
    assert by_title["Article 5-like commitment"]["status"] == "missing"
    changed = by_title["Senate ratification"]
    assert changed["status"] == "changed" and 0.8 <= changed["similarity"] < 1
    assert "including the United States Senate." in changed["before"]
    assert "excluding the United States Senate." in changed["after"]
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "toml")
    assert code == 0 and tomllib.loads(out)["quotes"] == quotes
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "html")
    assert code == 0
    section = out[out.index('<section id="quotes">') :]
    assert (
        '<tr data-status="changed">' in section and "excluding the United States Senate." in section
    )
    assert "reworded, similarity 0." in section and "gone (Point 3)" in section
    # Reports without drafts carry no quotes in any format.
    code, out, _ = run(
        capsys,
        "diff",
        "examples/budapest-memorandum-1994.toml",
        "examples/nato-article-5.toml",
        "--allow-mixed",
        "--format",
        "json",
    )
    assert code == 0 and "quotes" not in json.loads(out)


def test_a_text_too_long_to_keep_inside_must_go_beside(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guaranteekit.drafts import attach

    monkeypatch.setattr(attach, "MAX_KEPT_TEXT", 500)
    target = tmp_path / "r.toml"
    argv = [
        "new",
        "--criteria",
        "drafts-mini",
        "--draft",
        str(DRAFTS / "round3.txt"),
        "-o",
        str(target),
    ]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert "too long to keep in the report (the limit is 500); keep it in a file beside" in err
    assert list(tmp_path.iterdir()) == []
    code, _, err = run(capsys, *argv, "--text-beside")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.draft-text.txt", "r.toml"]


def test_a_text_file_in_the_way_is_not_overwritten(tmp_path: Path, capsys) -> None:
    beside = tmp_path / "r.draft-text.txt"
    beside.write_text("someone's notes")
    argv = ["new", "--draft", str(DRAFTS / "round3.txt"), "-o", str(tmp_path / "r.toml")]
    code, _, err = run(capsys, *argv, "--text-beside")
    assert code == 1 and f"{beside}: already exists; not overwritten" in err
    assert beside.read_text() == "someone's notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.draft-text.txt"]
