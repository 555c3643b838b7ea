"""The numbers in every comparison format equal what `guaranteekit score --json` gives, and the TOML
and JSON documents read back into the same document.

Runs over this folder's fixture reports, and over the worked examples in `examples/*.toml` when
they are there (they are compared with --allow-mixed, in case some use a profile).
"""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.documents.model import Document
from guaranteekit.formats.catalog import resource_dir

FIXTURES = ["plan-a", "plan-b", "plan-c", "hostile", "round1", "round2", "round3"]
EXAMPLES = sorted(resource_dir("examples").glob("*.toml"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    return captured.out


def expected(capsys: pytest.CaptureFixture[str], path: Path) -> dict[str, Any]:
    """`score --json` results for one report: score, range, verdict, pillar scores."""
    results = json.loads(run(capsys, "score", str(path), "--json", "--draws", "0"))["results"]
    return {
        "score": results.get("score"),
        "low": results["low"],
        "high": results["high"],
        "verdict": results["verdict"],
        "pillars": {p["pillar"]: p.get("score") for p in results["pillars"]},
    }


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def md_table(text: str, heading: str) -> list[list[str]]:
    """Body rows of the first table under `## heading`, cells split on unescaped pipes."""
    lines = text[text.index(f"\n## {heading}\n") :].splitlines()[2:]
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


class _Cells(HTMLParser):
    """Collects, per table class and `data-package` row, the text of cells with `data-field`."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, dict[str, str]]] = {}
        self.verdicts: dict[str, str] = {}
        self._table = ""
        self._row = ""
        self._field = ""
        self._tag = ""
        self._depth = 0
        self._text: list[str] = []
        self._outer: tuple[str, list[str], str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("class") or ""
        elif tag == "tr":
            self._row = a.get("data-package") or ""
        elif tag in ("td", "th", "span") and a.get("data-field") and self._row:
            if self._field:  # a field inside a field (the range beside the score): its own
                self._outer = (self._field, self._text, self._tag, self._depth)
            self._field, self._text, self._tag, self._depth = a["data-field"] or "", [], tag, 0
            if a.get("data-verdict") and self._table == "summary":
                self.verdicts[self._row] = a["data-verdict"] or ""
        elif self._field and tag == self._tag:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._field or tag != self._tag:
            return
        if self._depth:
            self._depth -= 1
            return
        row = self.tables.setdefault(self._table, {}).setdefault(self._row, {})
        row[self._field] = "".join(self._text).strip()
        self._field = ""
        if self._outer is not None:
            self._field, self._text, self._tag, self._depth = self._outer
            self._outer = None

    def handle_data(self, data: str) -> None:
        if self._field:
            self._text.append(data)


def check(capsys: pytest.CaptureFixture[str], paths: list[Path], extra: list[str]) -> None:
    want = [expected(capsys, p) for p in paths]
    names = [str(p) for p in paths]
    common = ["compare", *names, "--draws", "0", *extra]
    json_text = run(capsys, *common, "--format", "json")
    toml_text = run(capsys, *common, "--format", "toml")
    md_text = run(capsys, *common, "--format", "md")
    html_text = run(capsys, *common, "--format", "html")

    # TOML and JSON read back, into the same document.
    from_json = Document.model_validate(json.loads(json_text))
    from_toml = Document.model_validate(tomllib.loads(toml_text))
    assert from_json == from_toml

    # The document lists the packages in one order throughout (ranked); keys name the inputs.
    def wanted(key: str) -> dict[str, Any]:
        return want[int(key.removeprefix("p")) - 1]

    for doc in (from_json, from_toml):
        assert sorted(e.key for e in doc.entries) == sorted(f"p{i + 1}" for i in range(len(want)))
        for entry in doc.entries:
            exp = wanted(entry.key)
            assert entry.score == exp["score"]
            assert (entry.low, entry.high, entry.verdict) == (
                exp["low"],
                exp["high"],
                exp["verdict"],
            )
            assert {p.pillar: p.score for p in entry.pillars} == exp["pillars"]

    doc = from_json
    position = {entry.key: index for index, entry in enumerate(doc.entries)}
    ranked = [position[item.package] for item in doc.ranking]
    pillar_ids = [p.id for p in doc.pillars]

    # Markdown: the ranking and pillar tables list the packages best first.
    ranking_rows = md_table(md_text, "Ranking")
    pillar_rows = md_table(md_text, "Pillar scores")
    assert len(ranking_rows) == len(pillar_rows) == len(paths)
    for index, rank_row, pillar_row in zip(ranked, ranking_rows, pillar_rows, strict=True):
        exp = wanted(doc.entries[index].key)
        assert rank_row[2] == f"{fmt(exp['score'])} ({fmt(exp['low'])}–{fmt(exp['high'])})"
        label = doc.entries[index].verdict_label
        assert rank_row[3].startswith(f"**{label}**")
        assert pillar_row[1] == fmt(exp["score"])
        assert pillar_row[2:] == [fmt(exp["pillars"][pid]) for pid in pillar_ids]

    # HTML: rows carry the package key, cells the field they show.
    parser = _Cells()
    parser.feed(html_text)
    for entry in doc.entries:
        exp = wanted(entry.key)
        summary = parser.tables["summary"][entry.key]
        assert summary["score"] == fmt(exp["score"])
        assert summary["range"] == f"({fmt(exp['low'])}–{fmt(exp['high'])})"
        assert parser.verdicts[entry.key] == exp["verdict"]
        pillars = parser.tables["pillars"][entry.key]
        assert pillars["score"] == fmt(exp["score"])
        assert {pid: pillars[f"pillar-{pid}"] for pid in pillar_ids} == {
            pid: fmt(exp["pillars"][pid]) for pid in pillar_ids
        }


def test_fixture_reports_agree_with_score_in_every_format(
    capsys: pytest.CaptureFixture[str], report_files: dict[str, Path]
) -> None:
    check(capsys, [report_files[name] for name in FIXTURES], [])


@pytest.mark.skipif(not EXAMPLES, reason="no worked examples in examples/ yet")
def test_worked_examples_agree_with_score_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    check(capsys, EXAMPLES, ["--allow-mixed"])
