"""A hand edit of any single value in a saved report makes `verify` exit 1 and say what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

MINI_REPORT = Path(__file__).parent.parent / "data" / "reports" / "mini-complete.toml"

EDITS = {
    "level": ('level = "some"', 'level = "many"', ["results.score", "digest no longer matches"]),
    "score": (
        "score = 50.0",
        "score = 55.0",
        ["results.score: stored 55.0 but the answers give 50.0"],
    ),
    "rationale": ("A small contingent.", "A large contingent.", ["digest no longer matches"]),
    "confidence": ('confidence = "medium"', 'confidence = "high"', ["results.low", "digest"]),
    "package": ('name = "Mini package"', 'name = "Mini packagE"', ["digest no longer matches"]),
    "evidence": ("a contingent of 5,000", "a contingent of 50,000", ["digest no longer matches"]),
    "verdict": ('verdict = "mid"', 'verdict = "high"', ["results.verdict"]),
}


def test_untouched_report_passes(fixture_sets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(MINI_REPORT)]) == 0
    assert "ok (mid, score 50.00)" in capsys.readouterr().out


@pytest.mark.parametrize("what", sorted(EDITS))
def test_hand_edit_is_detected(
    what: str, tmp_path: Path, fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, words = EDITS[what]
    target = tmp_path / "edited.toml"
    shutil.copy(MINI_REPORT, target)
    text = target.read_text()
    assert text.count(old) >= 1
    target.write_text(text.replace(old, new, 1))
    assert main(["verify", str(target)]) == 1
    out = capsys.readouterr().out
    for word in words:
        assert word in out, out


def test_digest_edit_is_detected(
    tmp_path: Path, fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "edited.toml"
    text = MINI_REPORT.read_text()
    target.write_text(text.replace('digest = "sha256:0', 'digest = "sha256:1', 1))
    assert main(["verify", str(target)]) == 1
    assert "digest no longer matches" in capsys.readouterr().out


def test_every_problem_is_reported_not_just_the_first(
    tmp_path: Path, fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "edited.toml"
    text = (
        MINI_REPORT.read_text()
        .replace("score = 50.0", "score = 1.0")
        .replace('rationale = "A small contingent."', 'rationale = ""')
    )
    target.write_text(text)
    assert main(["verify", str(target), "--format", "json"]) == 1
    import json

    codes = {p["code"] for p in json.loads(capsys.readouterr().out)["files"][0]["problems"]}
    assert {"digest-mismatch", "results-mismatch", "no-rationale"} <= codes


def test_exit_codes(tmp_path: Path, fixture_sets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "missing.toml")]) == 2
    with pytest.raises(SystemExit) as info:
        main(["verify", "--format", "yaml", str(MINI_REPORT)])
    assert info.value.code == 2


def test_criteria_content_changed_under_the_same_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sets = tmp_path / "sets"
    sets.mkdir()
    mini = (MINI_REPORT.parent.parent / "sets" / "mini.toml").read_text()
    (sets / "mini.toml").write_text(mini.replace("Without one nobody is bound.", "Changed."))
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(sets))
    assert main(["verify", str(MINI_REPORT)]) == 1
    assert "criteria.digest" in capsys.readouterr().out
