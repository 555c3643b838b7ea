"""`scripts/analyst_packet.py`: an analyst's folder holds the instructions, the set, the rules and the
twelve fact sheets, and nothing that shows an outcome or an example's answers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location(
    "analyst_packet", ROOT / "scripts" / "analyst_packet.py"
)
assert SPEC and SPEC.loader
packet = importlib.util.module_from_spec(SPEC)
sys.modules["analyst_packet"] = packet
SPEC.loader.exec_module(packet)


def test_the_packet_withholds_outcomes_and_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "analyst-a"
    assert packet.main([str(target)]) == 0
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    sheets = {p.name for p in (ROOT / "examples" / "facts").glob("*.md")} - {
        "outcomes.md",
        "ANALYSTS.md",
    }
    assert files == {
        "ANALYSTS.md",
        "rules.md",
        "criteria/guarantee-credibility.toml",
        *(f"facts/{name}" for name in sheets),
    }
    assert len(sheets) == 13  # twelve cases and their README
    assert (target / "answers").is_dir()
    rules = (target / "rules.md").read_text()
    # The wordings keep their levels but lose the column naming the cases they come from.
    assert "| `article5-commitment` | coordinated military response | `passive` |" in rules
    assert "Nixon" not in rules and "Dayton" not in rules and "held" not in rules
    for text in [p.read_text() for p in target.rglob("*.md")]:
        assert "DO NOT GIVE TO ANALYSTS" not in text
    capsys.readouterr()


def test_the_packet_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    assert packet.main([str(tmp_path / "taken")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert not any((tmp_path / "taken").iterdir())
