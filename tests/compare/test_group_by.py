"""`compare --group-by package`: several assessments of one package grouped, with how far their
analysts agree, in every format; hostile names stay data; without the option nothing changes.

Ann and Bob assess Plan A (mini criteria set: guarantor gated, force, aid) independently: they
differ on the guarantor (bound against named), and on aid (yes against unknown); Plan B is assessed
once. The figures come from `scoring.agreement`, which the section must show unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats import assessment
from guaranteekit.formats.assessment import (
    finalize,
    load_scored,
    new_report,
    save_report,
    with_answer,
)
from guaranteekit.formats.models import Answer, Package
from guaranteekit.scoring.agreement import agreement

from .conftest import FIXED, FIXED_TOOL, HOSTILE_NAME, MINI, MINI_2, level, unknown
from .test_escaping import _Page
from .test_golden import GENERATED, GOLDEN

Capsys = pytest.CaptureFixture[str]
PLAN_A = Package(name="Plan A", date="2026-01-02", guarantors=["UK", "France"])
ANN = [
    level("guarantor", "bound", "Both commit to respond."),
    level("force", "some"),
    level("aid", "yes"),
]
BOB = [
    level("guarantor", "named", "Only named."),
    level("force", "some"),
    unknown("aid", "Unclear."),
]
HOSTILE_ANALYST = "| *Eve* [x](javascript:alert(1)) <img src=x onerror=alert(1)>"


def _write(
    path: Path, package: Package, answers: list[Answer], assessor: str, criteria: Any = MINI
) -> Path:
    """A finalized report with fixed provenance (as the fixtures of conftest, another assessor)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assessment, "TOOL", FIXED_TOOL)
        report = new_report(package, criteria, assessor=assessor)
        for answer in answers:
            report = with_answer(report, answer)
        provenance = report.provenance.model_copy(update={"created": FIXED, "modified": FIXED})
        report = finalize(report.model_copy(update={"provenance": provenance}), criteria)
    save_report(path, report, overwrite=True)
    return path


@pytest.fixture
def grouped(tmp_path: Path, report_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """ann.toml and bob.toml (Plan A), plan-b.toml (assessed once), and a hostile pair; run from
    inside the folder with relative names, as the golden documents are."""
    _write(tmp_path / "ann.toml", PLAN_A, ANN, "Ann Analyst")
    _write(tmp_path / "bob.toml", PLAN_A, BOB, "Bob Analyst")
    shutil.copyfile(report_files["plan-b"], tmp_path / "plan-b.toml")
    hostile = Package(name=HOSTILE_NAME, date="2026-01-05")
    _write(tmp_path / "eve.toml", hostile, ANN, HOSTILE_ANALYST)
    _write(tmp_path / "mal.toml", hostile, BOB, "# Mal\n- list")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GENERATED)
    return tmp_path


def run(capsys: Capsys, *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


GROUPED = [
    "compare",
    "ann.toml",
    "bob.toml",
    "plan-b.toml",
    "--draws",
    "0",
    "--group-by",
    "package",
]


def test_grouped_markdown_matches_its_golden_file(grouped: Path, capsys: Capsys) -> None:
    text = run(capsys, *GROUPED)
    golden = GOLDEN / "compare-grouped.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8"), (
        "compare --group-by package differs from compare-grouped.md; if the change is intended,"
        " regenerate with UPDATE_GOLDEN=1 and review the diff"
    )


def test_every_format_carries_the_figures_of_agree(grouped: Path, capsys: Capsys) -> None:
    found = agreement([load_scored(Path("ann.toml")), load_scored(Path("bob.toml"))])
    assert found.alpha is not None and not found.verdicts_agree
    data = json.loads(run(capsys, *GROUPED, "--format", "json"))["agreement"]
    as_toml = tomllib.loads(run(capsys, *GROUPED, "--format", "toml"))["agreement"]
    for section in (data, as_toml):
        assert section["single"] == ["Plan B"]
        (group,) = section["groups"]
        assert [a["analyst"] for a in group["analysts"]] == ["Ann Analyst", "Bob Analyst"]
        assert [a["package"] for a in group["analysts"]] == ["p1", "p2"]
        assert group["alpha"] == pytest.approx(found.alpha)
        assert group["identical"] == pytest.approx(found.identical)
        assert group["identical_count"] == 1 and group["criteria_compared"] == 3
        assert group["verdicts_agree"] is found.verdicts_agree
        assert group["spread"] == pytest.approx(found.score_gap)
        assert group["low"] == min(a.low for a in found.assessments)
        assert group["high"] == max(a.high for a in found.assessments)
        assert [d["criterion"] for d in group["disagreements"]] == ["guarantor", "aid"]
    md = run(capsys, *GROUPED)
    html = run(capsys, *GROUPED, "--format", "html")
    for text in (md, html):
        assert f"Krippendorff's alpha {found.alpha:.3f}" in text
        assert f"{found.score_gap:.2f} points" in text
        assert "1 of 3 (33%)" in text
        assert "Assessed once (nothing to measure): Plan B." in text
        assert "Verdicts differ: High (Ann Analyst), Mid (Bob Analyst)" in text


def test_without_group_by_the_document_has_no_agreement(grouped: Path, capsys: Capsys) -> None:
    plain = GROUPED[:-2]
    assert "agreement" not in json.loads(run(capsys, *plain, "--format", "json"))
    assert "agreement" not in tomllib.loads(run(capsys, *plain, "--format", "toml"))
    assert "Agreement between analysts" not in run(capsys, *plain)
    assert "Agreement between analysts" not in run(capsys, *plain, "--format", "html")


def test_hostile_names_stay_data_in_the_agreement(grouped: Path, capsys: Capsys) -> None:
    argv = ["compare", "eve.toml", "mal.toml", "--draws", "0", "--group-by", "package"]
    md = run(capsys, *argv)
    section = md[md.index("## Agreement between analysts") : md.index("## Pillar scores")]
    assert "<img" not in section and "<script" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert r"\| \*Eve\* \[x\](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;" in section
    assert "\n# Mal" not in section and "\n- list" not in section
    assert r"\# Mal - list" in section  # folded to one line, no heading opened
    html = run(capsys, *argv, "--format", "html")
    page = _Page()
    page.feed(html)
    text = "".join(page.text)
    assert HOSTILE_NAME in text and HOSTILE_ANALYST in text
    assert not {"script", "img", "a"} & set(page.tags)
    assert not [name for name in page.attributes if name.startswith("on")]
    data = json.loads(run(capsys, *argv, "--format", "json"))["agreement"]["groups"][0]
    assert [a["analyst"] for a in data["analysts"]] == [HOSTILE_ANALYST, "# Mal - list"]


def test_group_by_with_rounds_is_refused(grouped: Path, capsys: Capsys) -> None:
    code = main(["compare", "--rounds", "ann.toml", "bob.toml", "--group-by", "package"])
    assert code == 2
    assert "--group-by package" in capsys.readouterr().err


def test_mixed_criteria_are_refused_and_with_allow_mixed_said_in_the_group(
    grouped: Path, capsys: Capsys
) -> None:
    _write(grouped / "cyd.toml", PLAN_A, BOB, "Cyd Analyst", criteria=MINI_2)
    argv = ["compare", "ann.toml", "cyd.toml", "--draws", "0", "--group-by", "package"]
    assert main(argv) == 1
    assert "different criteria sets" in capsys.readouterr().err
    data = json.loads(run(capsys, *argv, "--allow-mixed", "--format", "json"))
    (group,) = data["agreement"]["groups"]
    assert [a["analyst"] for a in group["analysts"]] == ["Ann Analyst", "Cyd Analyst"]
    assert group["mixed"] and group["mixed"][0].startswith("criteria ")
    assert group["criteria_compared"] == 3
    assert "Mixed (--allow-mixed): criteria" in run(capsys, *argv, "--allow-mixed")


def test_a_group_that_cannot_be_measured_says_why(
    grouped: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports with no criterion of the same rubric in common (possible with --allow-mixed):
    the group keeps its analysts and scores and says why there is no alpha."""
    from guaranteekit.scoring import agreement as module

    def refuse(*args: object, **kwargs: object) -> None:
        raise module.AgreementError("ann.toml, bob.toml: no criterion with the same rubric")

    monkeypatch.setattr(module, "agreement", refuse)
    data = json.loads(run(capsys, *GROUPED, "--format", "json"))["agreement"]["groups"][0]
    assert data["refused"] == "ann.toml, bob.toml: no criterion with the same rubric"
    assert "alpha" not in data and data["spread"] == 37.5
    assert [a["score"] for a in data["analysts"]] == [87.5, 50.0]
    md = run(capsys, *GROUPED)
    assert "| not measured | n/a |" in md
    assert "- Not measured: ann.toml, bob.toml: no criterion with the same rubric" in md
