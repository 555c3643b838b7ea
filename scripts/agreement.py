"""How far two independent analysts agree when they score the same cases with the same criteria set.

    .venv/bin/python scripts/agreement.py DIR_A DIR_B [--criteria ID[@VERSION]|FILE] [--json]

Each folder holds one TOML file per case, named after the case's fact sheet (`seato-1954.toml`), as
`examples/facts/ANALYSTS.md` tells the analysts to write them:

    case = "seato-1954"
    [answers.named-guarantors]
    status = "level"          # "level", "unknown" or "not_applicable"
    level = "all-named"       # only with status "level"
    silent = false            # optional
    rationale = "one line"

For every case found in both folders, and over all of them, it prints:

- Krippendorff's alpha with the ordinal metric over all answers, each answer one unit. The answer's
  status is part of it: a level counts as its position on the rubric (its score fraction, so levels
  of different criteria line up by how good or costly they are), `unknown` and `not_applicable` as
  two values below every level (not applicable lowest). Two analysts who answer one unknown and the
  other the lowest level therefore disagree, a little; a criterion one analyst left out is missing
  data, not a disagreement, and is listed.
- Whether the two verdicts (the headline credibility verdict, scoring each analyst's answers with the
  set) are the same, and the number of cases where they are.
- The gap between the two credibility scores, and the largest gap.

Alpha uses the `krippendorff` package (a dev dependency). Bad input (a folder that does not exist, a
file that is not TOML, an unknown criterion or level) is reported one line per problem, naming the file
and the place, with exit code 1 and nothing else printed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from guaranteekit.errors import GuaranteekitError
from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria
from guaranteekit.formats.models import Answer, AnswerStatus, CriteriaSet
from guaranteekit.scoring import core as scoring
from guaranteekit.textsafe import clean

# Statuses as values on the ordinal scale, below every level (levels run from 0 to 1).
UNKNOWN = -0.1
NOT_APPLICABLE = -0.2
STATUSES = {AnswerStatus.UNKNOWN.value, AnswerStatus.NOT_APPLICABLE.value, AnswerStatus.LEVEL.value}


class InputError(Exception):
    """Bad input: one line per problem, each naming the file and the place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Sheet:
    """One analyst's answers to one case: values for alpha, answers for scoring."""

    case: str
    values: dict[str, float] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class CaseResult:
    case: str
    units: int
    alpha: float | None
    verdicts: tuple[str, str]
    scores: tuple[float | None, float | None]
    missing: list[str]

    @property
    def same_verdict(self) -> bool:
        return self.verdicts[0] == self.verdicts[1]

    @property
    def gap(self) -> float | None:
        a, b = self.scores
        return None if a is None or b is None else round(abs(a - b), 2)


def read_sheet(path: Path, criteria: CriteriaSet) -> tuple[Sheet, list[str]]:
    """An analyst's file as values and answers, and the problems found in it."""
    problems: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Sheet(path.stem), [f"{path}: {error}"]
    sheet = Sheet(str(data.get("case") or path.stem))
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return sheet, [f"{path}: answers: missing, or not a table of criteria"]
    known = {c.id: c for c in criteria.criteria}
    for criterion_id, raw in answers.items():
        where = f"{path}: answers.{criterion_id}"
        criterion = known.get(criterion_id)
        if criterion is None:
            problems.append(f"{where}: no such criterion in {criteria.id} {criteria.version}")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a table")
            continue
        status = raw.get("status", AnswerStatus.LEVEL.value)
        if status not in STATUSES:
            problems.append(f"{where}.status: {status!r} is not level, unknown or not_applicable")
            continue
        level = raw.get("level")
        rationale = str(raw.get("rationale", ""))
        if status == AnswerStatus.LEVEL.value:
            levels = {lvl.id: lvl for lvl in criterion.levels}
            if level not in levels:
                problems.append(f"{where}.level: {level!r} is not a level of {criterion_id}")
                continue
            sheet.values[criterion_id] = levels[level].score
            answer = Answer(criterion=criterion_id, level=level, rationale=rationale)
        elif level is not None:
            problems.append(f"{where}.level: status {status!r} takes no level")
            continue
        elif status == AnswerStatus.UNKNOWN.value:
            sheet.values[criterion_id] = UNKNOWN
            answer = Answer(criterion=criterion_id, status=AnswerStatus.UNKNOWN)
        else:
            sheet.values[criterion_id] = NOT_APPLICABLE
            reason = rationale.strip() or "not applicable"
            answer = Answer(
                criterion=criterion_id, status=AnswerStatus.NOT_APPLICABLE, reason=reason
            )
        sheet.answers.append(answer)
    return sheet, problems


def read_folder(folder: Path, criteria: CriteriaSet) -> tuple[dict[str, Sheet], list[str]]:
    if not folder.is_dir():
        return {}, [f"{folder}: not a folder"]
    sheets: dict[str, Sheet] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        sheet, found = read_sheet(path, criteria)
        problems += found
        sheets[path.stem] = sheet
    if not sheets and not problems:
        problems.append(f"{folder}: no .toml files")
    return sheets, problems


def alpha(pairs: list[tuple[float, float]]) -> float | None:
    """Krippendorff's ordinal alpha over (analyst A, analyst B) values; 1.0 when all agree."""
    if not pairs:
        return None
    if all(a == b for a, b in pairs):
        return 1.0
    # Imported here: the package pulls in numpy, which only this computation needs.
    import krippendorff
    import numpy as np

    data = np.array([[a for a, _ in pairs], [b for _, b in pairs]], dtype=float)
    domain = sorted({v for pair in pairs for v in pair})
    return float(
        krippendorff.alpha(
            reliability_data=data, level_of_measurement="ordinal", value_domain=domain
        )
    )


def compare(
    a: dict[str, Sheet], b: dict[str, Sheet], criteria: CriteriaSet
) -> tuple[list[CaseResult], float | None, list[str]]:
    """Per-case results, alpha over every answer of every common case, and the cases not in both."""
    order = [c.id for c in criteria.criteria]
    common = sorted(set(a) & set(b))
    unmatched = sorted(set(a) ^ set(b))
    results: list[CaseResult] = []
    every: list[tuple[float, float]] = []
    for case in common:
        left, right = a[case], b[case]
        pairs = [
            (left.values[c], right.values[c])
            for c in order
            if c in left.values and c in right.values
        ]
        missing = [
            c for c in order if (c in left.values) != (c in right.values) or c not in left.values
        ]
        every += pairs
        ra, rb = scoring.compute(criteria, left.answers), scoring.compute(criteria, right.answers)
        results.append(
            CaseResult(
                case,
                len(pairs),
                alpha(pairs),
                (ra.verdict, rb.verdict),
                (ra.score, rb.score),
                missing,
            )
        )
    return results, alpha(every), unmatched


def _figure(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def report_text(results: list[CaseResult], overall: float | None, unmatched: list[str]) -> str:
    lines = [
        f"{'case':38} {'units':>5} {'alpha':>6}  {'verdict A':12} {'verdict B':12} {'score A':>7} {'score B':>7} {'gap':>6}"
    ]
    for r in results:
        a, b = r.scores
        lines.append(
            f"{clean(r.case)[:38]:38} {r.units:5d} {_figure(r.alpha):>6}  {r.verdicts[0]:12} {r.verdicts[1]:12}"
            f" {_figure(a, 2):>7} {_figure(b, 2):>7} {_figure(r.gap, 2):>6}{'' if r.same_verdict else '  *'}"
        )
    same = sum(r.same_verdict for r in results)
    gaps = [(r.gap, r.case) for r in results if r.gap is not None]
    largest = max(gaps) if gaps else None
    lines.append("")
    lines.append(
        f"overall: Krippendorff's alpha (ordinal, status counted) {_figure(overall)} over {sum(r.units for r in results)} answers"
    )
    lines.append(
        f"same verdict: {same} of {len(results)} cases"
        + ("" if same == len(results) else " (* marks the others)")
    )
    if largest:
        lines.append(f"largest score gap: {largest[0]:.2f} ({clean(largest[1])})")
    for r in results:
        if r.missing:
            lines.append(
                f"missing answers in {clean(r.case)} (left out of alpha): {', '.join(r.missing)}"
            )
    if unmatched:
        lines.append(
            f"cases in only one folder (left out): {', '.join(clean(c) for c in unmatched)}"
        )
    return "\n".join(lines)


def report_json(results: list[CaseResult], overall: float | None, unmatched: list[str]) -> str:
    gaps = [r.gap for r in results if r.gap is not None]
    document = {
        "cases": [
            {
                "case": r.case,
                "units": r.units,
                "alpha": r.alpha,
                "verdicts": list(r.verdicts),
                "scores": list(r.scores),
                "same_verdict": r.same_verdict,
                "gap": r.gap,
                "missing": r.missing,
            }
            for r in results
        ],
        "alpha": overall,
        "same_verdict": sum(r.same_verdict for r in results),
        "cases_compared": len(results),
        "largest_gap": max(gaps) if gaps else None,
        "unmatched": unmatched,
    }
    return json.dumps(document, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir_a", type=Path)
    parser.add_argument("dir_b", type=Path)
    parser.add_argument(
        "--criteria", default=DEFAULT_CRITERIA, help="criteria set id[@version] or file"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    try:
        ident, _, version = args.criteria.partition("@")
        criteria = find_criteria(ident, version or None)
        a, problems_a = read_folder(args.dir_a, criteria)
        b, problems_b = read_folder(args.dir_b, criteria)
        if problems_a or problems_b:
            raise InputError(problems_a + problems_b)
        results, overall, unmatched = compare(a, b, criteria)
        if not results:
            raise InputError([f"{args.dir_a}, {args.dir_b}: no case is in both folders"])
    except InputError as error:
        for problem in error.problems:
            print(f"agreement: {clean(problem)}", file=sys.stderr)
        return 1
    except GuaranteekitError as error:
        print(f"agreement: {clean(str(error))}", file=sys.stderr)
        return 1
    print(
        report_json(results, overall, unmatched)
        if args.json
        else report_text(results, overall, unmatched)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
