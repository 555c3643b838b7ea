"""`--template FILE`: a user's copy of a built-in template renders as the original does; templates
written with the function or the filter form of level_text both work; a template runs in Jinja's
sandbox; every problem with a template is one line naming it, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import resource_dir

REPORTS = ["plan-a.toml", "plan-b.toml", "hostile.toml"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_copy_of_the_builtin_template_gives_the_same_document(
    in_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    copy = Path(shutil.copy(resource_dir("templates") / f"compare.{fmt}.j2", tmp_path))
    builtin = run(capsys, "compare", *REPORTS, "--format", fmt, "--draws", "0")
    mine = run(
        capsys, "compare", *REPORTS, "--format", fmt, "--draws", "0", "--template", str(copy)
    )
    assert builtin[0] == 0, builtin[2]
    assert mine == builtin


def test_level_text_as_a_function_or_a_filter_and_zip(
    in_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{% for row in doc.rows %}{% for e, c in zip(doc.entries, row.cells) %}"
        "{{ e.key }} {{ row.criterion }}: {{ level_text(c) }} = {{ c | level_text }}\n"
        "{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "compare", *REPORTS, "--format", "md", "--draws", "0", "--template", str(template)
    )
    assert code == 0, err
    # Row by row, in the document's one package order (ranked), which the keys do not follow.
    assert sorted(out.splitlines()) == sorted(
        [
            "p1 guarantor: Bound = Bound",
            "p2 guarantor: Named = Named",
            "p3 guarantor: Bound = Bound",
            "p1 force: Some = Some",
            "p2 force: Many = Many",
            "p3 force: Some = Some",
            "p1 aid: Yes = Yes",
            "p2 aid: None = None",
            "p3 aid: Yes = Yes",
        ]
    )


def test_a_template_cannot_reach_python_internals(
    in_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text("{{ doc.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    output = tmp_path / "out.md"
    code, out, err = run(
        capsys, "compare", *REPORTS, "--draws", "0", "--template", str(template), "-o", str(output)
    )
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert str(template) in err and "template error" in err and "unsafe" in err
    assert "Traceback" not in err
    assert not output.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("line one\n{% for x in %}\n", ":2: template syntax error: "),
        ("{{ doc.nothing_here }}\n", ": template error: "),
        ("{{ doc.title | num }}\n", ": template error: "),
        ('{% include "no-such-part.md.j2" %}\n', ": template 'no-such-part.md.j2' not found"),
    ],
)
def test_a_broken_template_is_one_line_naming_it(
    in_reports: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    template = tmp_path / "broken.md.j2"
    template.write_text(text, encoding="utf-8")
    output = tmp_path / "out.md"
    code, out, err = run(
        capsys, "compare", *REPORTS, "--draws", "0", "--template", str(template), "-o", str(output)
    )
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert "broken.md.j2" in err
    assert "Traceback" not in err
    assert not output.exists()


def test_a_template_is_refused_for_data_formats_and_when_missing(
    in_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ doc.title }}\n", encoding="utf-8")
    code, out, err = run(
        capsys, "compare", *REPORTS, "--format", "toml", "--template", str(template)
    )
    assert code == 2 and out == ""  # options that do not go together: a usage error
    assert err.strip().endswith("--template applies to md and html output, not toml")
    code, out, err = run(
        capsys, "compare", *REPORTS, "--draws", "0", "--template", str(tmp_path / "gone.j2")
    )
    assert code != 0 and out == ""
    assert "gone.j2: no such template file" in err


def test_a_template_can_extend_the_builtin_one_and_change_one_section(
    in_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "short.md.j2"
    template.write_text(
        '{% extends "compare.md.j2" %}\n'
        "{% block answers %}## Answers\n\nLeft out: {{ doc.rows | length }} criteria.\n\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    builtin = run(capsys, "compare", *REPORTS, "--draws", "0")[1]
    code, out, err = run(capsys, "compare", *REPORTS, "--draws", "0", "--template", str(template))
    assert code == 0, err
    head = builtin.partition("## Answers by criterion\n")[0]
    assert out.startswith(head)  # every other section as the built-in template has it
    assert "## Answers\n\nLeft out: 3 criteria.\n" in out
    assert "## Answers by criterion" not in out
    assert out.endswith(builtin[builtin.index("\n---") :])  # the footer too
