"""`-` as an input is standard input, where a command reads a report: score, verify, report,
compare and diff."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from guaranteekit.formats.catalog import resource_dir

NATO = resource_dir("examples") / "nato-article-5.toml"
BUDAPEST = resource_dir("examples") / "budapest-memorandum-1994.toml"


def _run(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "guaranteekit", *argv],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["score", "-", "--json", "--draws", "0"], b'"name": "NATO Article 5"'),
        (["verify", "-", "--format", "json"], b'"path": "-"'),
        (["report", "-", "--draws", "0"], b"# NATO Article 5"),
        (["compare", "-", str(BUDAPEST), "--draws", "0"], b"| NATO Article 5 |"),
        (["diff", str(BUDAPEST), "-"], b"NATO Article 5"),
    ],
    ids=["score", "verify", "report", "compare", "diff"],
)
def test_a_report_piped_in_is_read_as_a_file(argv: list[str], expect: bytes) -> None:
    done = _run(*argv, stdin=NATO.read_bytes())
    assert done.returncode == 0, done.stderr
    assert expect in done.stdout


def test_the_document_names_standard_input_as_dash() -> None:
    done = _run(
        "compare", "-", str(BUDAPEST), "--draws", "0", "--format", "json", stdin=NATO.read_bytes()
    )
    files = {e["name"]: e["file"] for e in json.loads(done.stdout)["entries"]}
    assert files["NATO Article 5"] == "-"


def test_standard_input_given_twice_or_empty_is_one_clear_line() -> None:
    twice = _run("compare", "-", "-", "--draws", "0", stdin=NATO.read_bytes())
    assert twice.returncode == 2
    assert twice.stderr.decode().strip() == (
        "guaranteekit: -: standard input can be read once; give it as one report only"
    )
    empty = _run("score", "-", stdin=b"")
    assert empty.returncode == 1
    assert empty.stderr.decode().strip() == "guaranteekit: -: file is empty"
