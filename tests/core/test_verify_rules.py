"""`verify` holds answers to their criterion's silence and applicability rules (format-2 sets)."""

from __future__ import annotations

from pathlib import Path

from guaranteekit.verify.checks import Options, Severity, verify_file

DATA = Path(__file__).parent.parent / "data"
SET = DATA / "sets" / "two-axis.toml"


def _problems(name: str) -> list[tuple[str, str, Severity]]:
    result = verify_file(DATA / "reports" / name, Options(criteria=str(SET)))
    return [(p.code, p.where, p.severity) for p in result.problems]


def test_unknown_where_silence_means_a_level_and_a_forbidden_not_applicable_are_warned() -> None:
    problems = _problems("two-axis-against-rules.toml")
    assert ("unknown-not-silence", "answers[1] (pledge)", Severity.WARNING) in problems
    assert ("not-applicable-not-allowed", "answers[3] (cap)", Severity.WARNING) in problems
    # monitor may be not applicable (no ceasefire in scope), and `ban` is silent at its rule's level.
    assert not [p for p in problems if p[1].startswith(("answers[2]", "answers[4]"))]
    assert all(severity is Severity.WARNING for _, _, severity in problems)


def test_the_warning_names_the_silence_level() -> None:
    result = verify_file(
        DATA / "reports" / "two-axis-against-rules.toml", Options(criteria=str(SET))
    )
    [message] = [p.message for p in result.problems if p.code == "unknown-not-silence"]
    assert "'none'" in message


def test_a_silent_answer_at_another_level_is_an_error() -> None:
    result = verify_file(
        DATA / "reports" / "two-axis-silent-contradiction.toml", Options(criteria=str(SET))
    )
    errors = [(p.code, p.where) for p in result.problems if p.severity is Severity.ERROR]
    # pledge is marked silent at `consult`; silence means `none`. monitor (silent, unknown, where
    # silence is `unknown`) and cap (silent at no-cap) keep to their rules.
    assert errors == [("silence-contradiction", "answers[1] (pledge).silent")]
    assert not result.ok
