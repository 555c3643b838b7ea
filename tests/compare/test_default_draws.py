"""`compare` without `--draws`: decision support for a handful of reports, left out (with a note
saying how to ask for it) over DRAWS_UP_TO, where it would take a minute; `--draws N` always wins."""

from __future__ import annotations

import json
import shutil

import pytest

from guaranteekit.cli.compare import DRAWS, DRAWS_UP_TO
from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import resource_dir


@pytest.fixture(scope="module")
def over_the_limit(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    examples = sorted(resource_dir("examples").glob("*.toml"))
    folder = tmp_path_factory.mktemp("many")
    return [
        str(shutil.copy(examples[n % len(examples)], folder / f"{n:03d}.toml"))
        for n in range(DRAWS_UP_TO + 1)
    ]


def compare_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:
    code = main(["compare", *argv, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out), captured.err


def test_a_few_reports_get_decision_support_by_default(
    over_the_limit: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    document, err = compare_json(capsys, *over_the_limit[:3])
    assert document["decision_support"]["settings"]["draws"] == DRAWS
    assert len(document["decision_support"]["packages"]) == 3
    assert "decision support" not in err


def test_over_the_limit_it_is_left_out_with_a_note(
    over_the_limit: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    document, err = compare_json(capsys, *over_the_limit)
    assert document["decision_support"] == {}
    assert len(document["entries"]) == DRAWS_UP_TO + 1
    assert err.splitlines() == [
        f"guaranteekit: note: decision support left out for {DRAWS_UP_TO + 1} reports (it runs by"
        f" default for up to {DRAWS_UP_TO}, and takes about a minute for 1,000);"
        f" --draws {DRAWS} runs it"
    ]


def test_draws_asked_for_run_over_the_limit(
    over_the_limit: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    document, err = compare_json(capsys, *over_the_limit, "--draws", "20")
    assert document["decision_support"]["settings"]["draws"] == 20
    assert len(document["decision_support"]["packages"]) == DRAWS_UP_TO + 1
    assert "decision support" not in err


def test_negative_draws_are_refused(
    over_the_limit: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["compare", *over_the_limit[:2], "--draws", "-1"])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--draws: must be 0 (no decision support) to 1,000,000, not -1" in captured.err
