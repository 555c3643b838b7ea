"""Make the folder one independent analyst works from: the instructions, the criteria set and the
twelve fact sheets, and nothing else (never `examples/facts/outcomes.md`, never the examples).

    .venv/bin/python scripts/analyst_packet.py DIR

DIR must not exist yet. It receives `ANALYSTS.md`, `criteria/guarantee-credibility.toml`,
`rules.md` (from `docs/criteria.md`, only the two tables that are rules: what silence means and when a
criterion is not applicable, and the typical wordings with their levels, without the column that names
the cases they come from), `facts/*.md` (the case sheets and their README) and an empty `answers/`
folder for the analyst's files. The rest of `docs/criteria.md` shows the examples' verdicts and the
cases' outcomes, which the analysts must not see. Prints what it wrote.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "examples" / "facts"
DOCS = ROOT / "docs" / "criteria.md"
# Kept from analysts: the calibration outcomes (ANALYSTS.md is copied to the top of the packet).
WITHHELD = {"outcomes.md", "ANALYSTS.md"}
CRITERIA_TABLE = (
    "<!-- criteria table: checked against the set by tests/criteria/test_builtin_set.py -->"
)
WORDINGS_TABLE = "<!-- wordings table: parsed by tests/criteria/test_consistency.py -->"


def table_after(text: str, marker: str) -> list[str]:
    """The Markdown table right after a marker, up to the first blank line."""
    after = text[text.index(marker) + len(marker) :].lstrip("\n")
    return after.split("\n\n")[0].splitlines()


def rules() -> str:
    text = DOCS.read_text(encoding="utf-8")
    # The wordings table without its last column, which names the cases the wordings come from.
    wordings = ["|".join(line.split("|")[:4]) + "|" for line in table_after(text, WORDINGS_TABLE)]
    return "\n".join(
        [
            "# Rules of guarantee-credibility 2.0.0 for analysts",
            "",
            "## What silence means, and when a criterion may be not applicable",
            "",
            *table_after(text, CRITERIA_TABLE),
            "",
            "## Typical wordings and the level each gets",
            "",
            "Where your evidence for a criterion quotes one of these wordings, answer the level given.",
            "",
            *wordings,
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: analyst_packet.py DIR", file=sys.stderr)
        return 2
    target = Path(argv[0])
    if target.exists():
        print(f"analyst_packet: {target}: already exists; give a new folder", file=sys.stderr)
        return 1
    sheets = sorted(p for p in FACTS.glob("*.md") if p.name not in WITHHELD)
    # Built beside the target and renamed at the end, so a failure leaves no half-made packet.
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for sub in ("facts", "criteria", "answers"):
            (work / sub).mkdir()
        shutil.copy2(FACTS / "ANALYSTS.md", work / "ANALYSTS.md")
        shutil.copy2(ROOT / "criteria" / "guarantee-credibility.toml", work / "criteria")
        (work / "rules.md").write_text(rules(), encoding="utf-8")
        for sheet in sheets:
            shutil.copy2(sheet, work / "facts" / sheet.name)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
