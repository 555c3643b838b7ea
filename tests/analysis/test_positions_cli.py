"""`guaranteekit score REPORT --positions ...`: the reachable verdict, the fewest changes and who
stands in the way, each cited, in text and JSON; bad positions give one line each and exit 1 (2 for
a file that is missing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main

ROOT = Path(__file__).parent.parent.parent
PLAN = ROOT / "examples" / "20-point-plan-2025-12.toml"


def test_the_20_point_plan_within_the_us_and_russian_positions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["score", str(PLAN), "--positions", "us,russia", "--draws", "0"]) == 0
    text = capsys.readouterr().out
    within = text[text.index("Within the positions of United States, Russia:") :]
    assert "Strongest verdict reachable without crossing a red line: Credible" in within
    assert "(as drafted: Declaratory)" in within
    # Russia's red lines the draft crosses, cited with their source.
    assert (
        "Russia (red-line): foreign-troops-ban insists on one of nato-banned, all-banned"
        " [systemic-chaos §1" in within
    )
    # The fewest changes within the red lines carry no troops and no US personnel ...
    changes = within[: within.index("Without the positions")]
    assert "troop-deployment" not in changes and "us-personnel:" not in changes
    # ... and an ask that crosses an inferred US position is annotated, with its source.
    assert "senate-ratification: none -> treaty (crosses: United States)" in changes
    assert "at least 67 votes" in changes
    # Without the positions the same band takes troops, which Russia's red line rules out.
    free = within[within.index("Without the positions") :]
    assert "troop-deployment: none -> defence-depth (crosses: Russia)" in free
    assert "Russia (red-line): troop-deployment rules out token" in free
    assert "No red line stands in the way of the top band." in within


def test_json_carries_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(PLAN), "--positions", "us,russia", "--json", "--draws", "0"]) == 0
    document = json.loads(capsys.readouterr().out)["positions"]
    assert document["parties"] == ["United States", "Russia"]
    assert document["reachable_band"] == "credible"
    assert document["higher_bands"] == []
    crossed = {c["criterion"]: c["parties"] for c in document["changes"] if c["parties"]}
    assert crossed == {"senate-ratification": ["United States"]}
    assert all("source" in s for c in document["changes"] for s in c["crosses"])


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "mine.toml"
    path.write_text(
        'format_version = 1\nparty = "Mine"\nas_of = 2025-01-01\n'
        'criteria = "guarantee-credibility"\n\n[[positions]]\n' + body,
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            'criterion = "navy"\nrules_out = ["x"]\nsource = "s"\nfirmness = "red-line"\n',
            "mine.toml: positions[0].criterion: unknown criterion 'navy' in guarantee-credibility",
        ),
        (
            'criterion = "us-personnel"\nrules_out = ["huge"]\nsource = "s"\n'
            'firmness = "red-line"\n',
            "mine.toml: positions[0].rules_out[0]: unknown level 'huge' of us-personnel",
        ),
        (
            'criterion = "us-personnel"\nrules_out = ["units"]\ninsists_on = ["units"]\n'
            'source = "s"\nfirmness = "red-line"\n',
            "mine.toml: positions[0] (us-personnel): the party both rules out and insists on units",
        ),
        (
            'criterion = "foreign-troops-ban"\ninsists_on = ["unrestricted"]\nsource = "s"\n'
            'firmness = "red-line"\n',
            "mine.toml: positions[0] (Mine): contradicts ",
        ),
    ],
)
def test_bad_positions_give_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: str
) -> None:
    mine = _write(tmp_path, body)
    assert main(["score", str(PLAN), "--positions", f"russia,{mine}", "--draws", "0"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (problem,) = [p for p in captured.err.splitlines() if p.strip()]
    assert line in problem


def test_a_missing_positions_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["score", str(PLAN), "--positions", f"us,{missing}", "--draws", "0"]) == 2
    assert f"{missing}: no such file" in capsys.readouterr().err


def test_an_unknown_party_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(PLAN), "--positions", "mars", "--draws", "0"]) == 2
    assert "positions 'mars': not a shipped party" in capsys.readouterr().err


def test_compare_shows_the_verdict_within_the_positions_beside_the_drafted_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    others = ROOT / "examples" / "nato-article-5.toml"
    args = ["compare", str(PLAN), str(others), "--draws", "0", "--positions", "us,russia"]
    assert main(args) == 0
    text = capsys.readouterr().out
    section = text[text.index("## Within the parties' positions") :]
    assert (
        "- **20-point plan**: as drafted Declaratory; within the red lines of United States,"
        " Russia: **Credible** (18 changes)." in section
    )
    assert main(["compare", str(PLAN), str(others), "--draws", "0"]) == 0
    assert "Within the parties' positions" not in capsys.readouterr().out


def test_compare_json_and_the_report_carry_the_verdict_within_the_positions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    others = ROOT / "examples" / "nato-article-5.toml"
    args = ["compare", str(PLAN), str(others), "--draws", "0", "--format", "json"]
    assert main([*args, "--positions", "russia"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    plan = next(e for e in entries if e["file"] == str(PLAN))
    assert plan["within"] == {
        "parties": ["Russia"],
        "satisfiable": True,
        "reason": "",
        "band_label": "Credible",
        "changes": 18,
        "blocked": [],
    }
    assert main(["report", str(PLAN), "--draws", "0", "--positions", "russia"]) == 0
    assert (
        "As drafted: Declaratory. Within the red lines of Russia: **Credible**, with 18 changes."
        in capsys.readouterr().out
    )


def test_report_with_contradictory_positions_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = _write(
        tmp_path,
        'criterion = "alliance-ban"\ninsists_on = ["open"]\nsource = "s"\nfirmness = "red-line"\n',
    )
    out = tmp_path / "report.md"
    args = ["report", str(PLAN), "--draws", "0", "--positions", f"russia,{mine}", "-o", str(out)]
    assert main(args) == 1
    assert "contradicts" in capsys.readouterr().err and not out.exists()
