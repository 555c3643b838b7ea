"""Only verified reports by default: compare, diff and report refuse a report that fails verify,
naming the problem; with --allow-unverified the document says so on every page and in its data."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

# The worked examples as scored with criteria 1.0.0 (still installed): the figures these tests
# pin were worked out on them.
_V1 = Path(__file__).parent.parent / "data" / "reports" / "v1"

EXAMPLES = sorted(_V1.glob("*.toml"))


@pytest.fixture
def edited(tmp_path: Path) -> list[Path]:
    """Three worked examples, one of them changed by hand after it was saved (a level raised)."""
    paths = [Path(shutil.copy(p, tmp_path / p.name)) for p in EXAMPLES[:3]]
    budapest = tmp_path / "budapest-memorandum-1994.toml"
    text = budapest.read_text(encoding="utf-8")
    changed = text.replace('level = "undefined"', 'level = "guarantor"', 1)
    assert changed != text
    budapest.write_text(changed, encoding="utf-8")
    return paths


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", ["compare", "diff", "report"])
def test_a_hand_edited_report_is_refused_naming_it_and_the_problem(
    command: str, edited: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    budapest = next(p for p in edited if p.name.startswith("budapest"))
    other = next(p for p in edited if p != budapest)
    args = {
        "compare": ["compare", *map(str, edited), "--draws", "0"],
        "diff": ["diff", str(other), str(budapest)],
        "report": ["report", str(budapest), "--draws", "0"],
    }[command]
    code, out, err = _run(capsys, *args)
    assert code == 1
    assert out == ""
    assert f"{budapest}: digest: the report digest no longer matches its content" in err
    assert "--allow-unverified" in err
    assert "Traceback" not in err


def test_allowed_unverified_is_marked_in_every_format(
    edited: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["compare", *map(str, edited), "--draws", "0", "--allow-unverified"]
    outputs = {}
    for fmt in ("md", "html", "toml", "json"):
        code, out, err = _run(capsys, *common, "--format", fmt)
        assert code == 0, err
        assert "used unverified" in err
        outputs[fmt] = out
    assert "**UNVERIFIED.**" in outputs["md"]
    assert "**UNVERIFIED:** Budapest Memorandum fails `guaranteekit verify`" in outputs["md"]
    assert "(**unverified**)" in outputs["md"]
    html = outputs["html"]
    # On every printed page: the page margins carry the mark.
    assert "@top-center { content: " in html and "UNVERIFIED" in html.split("@top-center")[1][:400]
    assert '<div class="unverified" role="alert">' in html
    for data in (json.loads(outputs["json"]), tomllib.loads(outputs["toml"])):
        (mark,) = data["unverified"]
        assert mark["name"] == "Budapest Memorandum"
        assert any("digest" in problem for problem in mark["problems"])
        flags = {e["name"]: e["verified"] for e in data["entries"]}
        assert flags["Budapest Memorandum"] is False
        assert sum(flags.values()) == 2
        assert "FAIL verify" in data["rests_on"]


def test_a_draft_with_criteria_not_yet_answered_is_used_and_called_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = EXAMPLES[0]
    text = source.read_text(encoding="utf-8")
    # Drop the first answer and save as the tool would (score --write): a draft, not a tampering.
    start = text.index("[[answers]]")
    end = text.index("[[answers]]", start + 1)
    draft = tmp_path / "draft.toml"
    draft.write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["score", str(draft), "--write", "--draws", "0"]) == 0
    capsys.readouterr()
    code, out, err = _run(capsys, "compare", str(draft), str(EXAMPLES[1]), "--draws", "0")
    assert code == 0, err
    assert "is an incomplete draft, with criteria not yet answered or explained" in out
    assert "UNVERIFIED" not in out
