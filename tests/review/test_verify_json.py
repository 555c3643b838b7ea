"""`verify --format json` is a stable interface for scripts: its shape and its problem codes are
pinned here. Changing either means bumping `verify.JSON_FORMAT_VERSION` and the README's table."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import finalize, with_answer
from guaranteekit.formats.models import Answer, CriteriaSet, Report
from guaranteekit.review import trail as review
from guaranteekit.verify import checks as verify

ROOT = Path(__file__).parent.parent.parent
SOURCES = sorted((ROOT / "src" / "guaranteekit").rglob("*.py"))

CODES = {
    # verify's own checks
    "no-such-file": "error",
    "unreadable": "error",
    "schema": "error",
    "criteria-not-found": "error",
    "criteria-invalid": "error",
    "criteria-mismatch": "error",
    "criteria-digest": "error",
    "profile-not-found": "error",
    "profile-invalid": "error",
    "profile-digest": "error",
    "profile-mismatch": "error",
    "answer-invalid": "error",
    "digest-missing": "error",
    "digest-mismatch": "error",
    "results-missing": "error",
    "results-mismatch": "error",
    "unanswered": "error",
    "no-rationale": "error",
    "unknown-answer": "warning",
    "gate-not-applicable": "warning",
    "silence-contradiction": "error",
    "unknown-not-silence": "warning",
    "not-applicable-not-allowed": "warning",
    "draft-text": "error",
    "quote-mismatch": "error",
    "confidence-unset": "warning",
    # review checks
    "signoff-stale": "error",
    "changes-requested": "warning",
    "dispute-open": "warning",
    "no-evidence": "warning",
    "criteria-outdated": "warning",
    "allowed-signers-missing": "error",
    "ssh-keygen-missing": "error",
    "unsigned": "warning",
    "signature-invalid": "error",
    "signature-untrusted": "error",
    "signature-unchecked": "warning",
    "trail-unsigned": "warning",
    "signoff-unsigned": "error",
}
"""Every problem code and its severity (without --strict). The README documents the same table."""

TOP = {"format_version": int, "ok": bool, "exit_code": int, "files": list}
FILE = {
    "path": str,
    "ok": bool,
    "errors": int,
    "warnings": int,
    "summary": dict,
    "problems": list,
}
SUMMARY = {
    "package": str,
    "criteria": str,
    "score": (float, type(None)),
    "low": float,
    "high": float,
    "verdict": str,
    "provisional": bool,
    "review": dict,
}
REVIEW = {
    "entries": int,
    "states": dict,
    "open_disputes": int,
    "signoff": (dict, type(None)),
    "signatures": list,
}
STATES = {"unreviewed": int, "accepted": int, "disputed": int, "resolved": int}
SIGNOFF = {"author": str, "decision": str, "at": str, "stale": bool}
SIGNATURE = {"signer": str, "at": str, "valid": bool, "trusted": (bool, type(None)), "key": str}
PROBLEM = {"severity": str, "code": str, "where": str, "message": str}


def shaped(value: dict, shape: dict, what: str) -> None:
    assert list(value) == list(shape), f"{what}: keys {list(value)} != {list(shape)}"
    for key, kind in shape.items():
        assert isinstance(value[key], kind), f"{what}.{key}: {value[key]!r} is not {kind}"


@pytest.fixture
def document(
    report: Report,
    mini: CriteriaSet,
    saved: Callable[[Report, str], Path],
    make_key: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> dict:
    """verify's JSON over a reviewed and signed report, a broken file and a missing one."""
    report = review.dispute(report, "Rita", "force", "Where is this quoted?")
    report = review.accept(report, "Rita", "guarantor")
    report = review.sign_off(report, "Rita", "changes_requested")
    report = finalize(
        with_answer(
            report,
            Answer(criterion="force", level="some", rationale="No quote.", confidence="medium"),
        ),
        mini,
    )
    good = saved(report, "reviewed.toml")
    assert main(["sign", str(good), "--key", str(make_key("rita")), "--signer", "rita@x.org"]) == 0
    broken = tmp_path / "broken.toml"
    broken.write_text("format_version = 1\n")
    capsys.readouterr()
    code = main(["verify", "--format", "json", str(good), str(broken), str(tmp_path / "gone.toml")])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == data["exit_code"] == 2
    return data


def test_the_shape_is_pinned(document: dict) -> None:
    shaped(document, TOP, "document")
    assert document["format_version"] == verify.JSON_FORMAT_VERSION == 1
    assert document["ok"] is False
    reviewed, broken, gone = document["files"]
    for file in document["files"]:
        shaped(file, FILE, file["path"])
        assert file["errors"] == sum(p["severity"] == "error" for p in file["problems"])
        assert file["warnings"] == sum(p["severity"] == "warning" for p in file["problems"])
        for problem in file["problems"]:
            shaped(problem, PROBLEM, "problem")
            assert CODES[problem["code"]] == problem["severity"]

    # A report that could be scored carries a summary with its review.
    shaped(reviewed["summary"], SUMMARY, "summary")
    shaped(reviewed["summary"]["review"], REVIEW, "summary.review")
    shaped(reviewed["summary"]["review"]["states"], STATES, "summary.review.states")
    shaped(reviewed["summary"]["review"]["signoff"], SIGNOFF, "summary.review.signoff")
    [signature] = reviewed["summary"]["review"]["signatures"]
    shaped(signature, SIGNATURE, "summary.review.signatures[0]")
    assert reviewed["ok"] is True
    assert [p["code"] for p in reviewed["problems"]] == [
        "changes-requested",
        "dispute-open",
        "no-evidence",
        "signature-unchecked",
    ]

    # A file that could not be read or scored has an empty summary.
    assert broken["summary"] == {} and broken["ok"] is False
    assert {p["code"] for p in broken["problems"]} == {"schema"}
    assert gone["summary"] == {}
    assert [p["code"] for p in gone["problems"]] == ["no-such-file"]


def _codes_in_source() -> dict[str, str]:
    """`result.add(Code.NAME, where, message[, severity])` calls, read from the source."""
    from guaranteekit.errors import Code

    found: dict[str, str] = {}
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add"
                and node.args
                and isinstance(node.args[0], ast.Attribute)
                and ast.unparse(node.args[0].value) == "Code"
            ):
                severity = ast.unparse(node.args[3]) if len(node.args) > 3 else "ERROR"
                code = Code[node.args[0].attr].value
                found[code] = "warning" if "WARNING" in severity else "error"
    return found


def test_every_problem_code_is_pinned() -> None:
    assert _codes_in_source() == CODES


def test_the_readme_documents_every_code() -> None:
    readme = (ROOT / "README.md").read_text()
    if "verify --format json" not in readme:
        pytest.skip("the README has no `verify --format json` section yet")
    documented = set(
        re.findall(r"^\|\s*`([a-z]+(?:-[a-z]+)*)`\s*\|\s*(error|warning)", readme, re.M)
    )
    missing = {(code, severity) for code, severity in CODES.items()} - documented
    assert not missing, f"codes missing from the README's table: {sorted(missing)}"
