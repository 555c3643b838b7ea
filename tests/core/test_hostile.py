"""Hostile files, templates and folders: each finding of the attack on guaranteekit, as a fixture in
tests/data/hostile (paired in cases.toml with the words its error must contain) or made here.

Every run must end with a clear line, never a traceback; show nothing on the terminal that could
move the cursor, retitle the window or reorder text; and write or delete nothing it should not.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.catalog import resource_dir

DATA = Path(__file__).parent.parent / "data"
HOSTILE = DATA / "hostile"
MINI_REPORT = DATA / "reports" / "mini-complete.toml"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))
SUFFIXES = (".toml", ".j2")


def unsafe_characters(text: str) -> list[str]:
    """What must never reach a terminal: controls but newline and tab, DEL, C1, format characters
    (bidi controls, zero-width characters)."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if (ord(ch) < 0x20 and ch not in "\n\t")
        or 0x7F <= ord(ch) <= 0x9F
        or unicodedata.category(ch) == "Cf"
    ]


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_fixture_has_a_case() -> None:
    fixtures = {
        p.name.removesuffix(".toml").removesuffix(".md.j2")
        for p in HOSTILE.iterdir()
        if p.name.endswith(SUFFIXES) and p.name != "cases.toml"
    }
    assert fixtures == set(CASES), "each hostile fixture needs its runs and words in cases.toml"


def _fixture(name: str) -> Path:
    for suffix in (".toml", ".md.j2"):
        if (HOSTILE / f"{name}{suffix}").exists():
            return HOSTILE / f"{name}{suffix}"
    raise AssertionError(name)


RUNS = [(name, index) for name, case in sorted(CASES.items()) for index in range(len(case["runs"]))]


@pytest.mark.parametrize(("name", "index"), RUNS, ids=[f"{n}-{i}" for n, i in RUNS])
def test_hostile_input_is_one_clear_refusal(
    name: str, index: int, fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    fields = {"file": str(_fixture(name)), "report": str(MINI_REPORT)}
    argv = [arg.format(**fields) for arg in case["runs"][index]]
    before = listing(HOSTILE)
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code == 0) == (case.get("code", 1) == 0), (argv, out, err)
    for word in case["words"]:
        assert word in out + err, f"{word!r} missing from {argv}: {out[-2000:]}{err}"
    assert "Traceback" not in out + err
    assert unsafe_characters(out) == [] and unsafe_characters(err) == []
    if code != 0:
        assert out == "" or argv[0] == "verify", out
        assert len(err.strip().splitlines()) <= 2, (
            err
        )  # one line each (a diff reads the file twice)
    if code == 0 and ("--json" in argv or "json" in argv):
        json.loads(out, parse_constant=lambda constant: pytest.fail(f"{constant} in JSON"))
    assert listing(HOSTILE) == before


def test_a_template_that_unpickles_runs_nothing(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(marker),))

    data = pickle.dumps(Payload(), protocol=0).decode("ascii")
    template = tmp_path / "pickle.md.j2"
    template.write_text(
        "{{ doc.parse_raw(" + json.dumps(data) + ", proto='pickle', allow_pickle=True) }}\n",
        encoding="utf-8",
    )
    code = main(["report", str(MINI_REPORT), "--template", str(template)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"guaranteekit: {template}:1: template error: access to attribute 'parse_raw' of"
        " 'Document' object is unsafe."
    ]
    assert not marker.exists()


def test_a_template_reads_no_file_through_parse_file(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "s3cr3t-value"}', encoding="utf-8")
    template = tmp_path / "read.md.j2"
    template.write_text("{{ doc.parse_file(" + json.dumps(str(secret)) + ") }}\n", encoding="utf-8")
    assert main(["report", str(MINI_REPORT), "--template", str(template)]) == 1
    out, err = capsys.readouterr()
    assert "s3cr3t" not in out + err
    assert len(err.strip().splitlines()) == 1 and "'parse_file'" in err and "unsafe" in err


def test_a_template_may_still_read_its_document(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "_part.md.j2").write_text("part {{ doc.kind }}\n", encoding="utf-8")
    template = tmp_path / "fine.md.j2"
    template.write_text(
        '{% include "_part.md.j2" %}{% include "_footer.md.j2" %}'
        "{{ doc.ranked_entries()[0].name }} {{ doc.entry('p1').score }}"
        " {{ doc.entries | map(attribute='name') | join(',') }}\n",
        encoding="utf-8",
    )
    assert main(["report", str(MINI_REPORT), "--template", str(template)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("part report\n") and "Mini package 50.0 Mini package" in out


def test_an_include_through_a_link_out_of_the_folder_is_refused(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id_ed25519").write_text("PRIVATE KEY\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "_header.md.j2").symlink_to(outside / "id_ed25519")
    template = folder / "mine.md.j2"
    template.write_text('{% include "_header.md.j2" %}\n', encoding="utf-8")
    assert main(["report", str(MINI_REPORT), "--template", str(template)]) == 1
    out, err = capsys.readouterr()
    assert "PRIVATE" not in out + err
    assert "leads out of its folder" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------------------------------
# A folder that holds a file named like a criteria set
# --------------------------------------------------------------------------------------------------


def test_verify_in_a_folder_holding_a_file_named_like_the_criteria_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = resource_dir("examples") / "us-28-point-plan-2025-11.toml"
    report = Path(shutil.copy(plan, tmp_path / "plan.toml"))
    criteria_id = tomllib.loads(report.read_text(encoding="utf-8"))["criteria"]["id"]
    installed = json.loads(_run_json(capsys, "verify", "--format", "json", str(report)))
    # A doctored copy of the set, every criterion weighing the same and every level scoring 1.
    builtin = (resource_dir("criteria") / f"{criteria_id}.toml").read_text(encoding="utf-8")
    doctored = builtin.replace("score = 0.0", "score = 0.99").replace(
        "score = 0\n", "score = 0.99\n"
    )
    (tmp_path / criteria_id).write_text(doctored, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUARANTEEKIT_CRITERIA_PATH", raising=False)

    here = json.loads(_run_json(capsys, "verify", "--format", "json", "plan.toml"))
    assert here["files"][0]["summary"] == installed["files"][0]["summary"]
    assert here["ok"] is installed["ok"] is True
    assert here["files"][0]["summary"]["verdict"] == "declaratory"
    # The file is still there for whoever means it, written as a path.
    assert main(["criteria", "show", criteria_id]) == 0
    assert main(["criteria", "check", f"./{criteria_id}"]) == 1
    capsys.readouterr()


def _run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


# --------------------------------------------------------------------------------------------------
# FIFOs, devices and links: one clean line, within a second of a normal run
# --------------------------------------------------------------------------------------------------


def _cli(
    *argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guaranteekit", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def baseline(args: list[str], folder: Path, env: dict[str, str]) -> float:
    """Seconds the same command takes in a new process on this machine now when the special file
    is a missing one instead: the time within a second of which the special file must be refused.
    Measured just before, so that both runs meet the same load on a shared machine."""
    missing = [
        str(folder / "missing.toml") if Path(arg).parent in (folder, Path("/dev")) else arg
        for arg in args
    ]
    start = time.perf_counter()
    _cli(*missing, cwd=folder, env=env)
    return time.perf_counter() - start


def _specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    report = tmp_path / "report.toml"
    text = MINI_REPORT.read_text(encoding="utf-8")
    report.write_text(
        text.replace(
            "[[answers]]",
            f'[profile]\nname = "p"\ndigest = "sha256:{"0" * 64}"\npath = "zero.toml"\n\n[[answers]]',
            1,
        ),
        encoding="utf-8",
    )
    return {"fifo": fifo, "zero": zero, "report": report}


SPECIAL_RUNS = [
    (["score", "{fifo}"], "pipe.toml: is a FIFO (named pipe), not a regular file"),
    (["verify", "{fifo}"], "is a FIFO (named pipe), not a regular file"),
    (["compare", "{fifo}", "{fifo}"], "pipe.toml: is a FIFO (named pipe), not a regular file"),
    (["score", "/dev/zero"], "/dev/zero: is a character device, not a regular file"),
    (["score", "{mini}", "--profile", "/dev/zero"], "/dev/zero: is a character device"),
    (["score", "{mini}", "--profile", "{fifo}"], "pipe.toml: is a FIFO"),
    (["verify", "{mini}", "--profile", "{fifo}"], "pipe.toml: is a FIFO"),
    (["score", "{report}"], "zero.toml: is a character device"),
    (["verify", "{report}"], "zero.toml: is a character device"),
    (["score", "{mini}", "--criteria", "{fifo}"], "pipe.toml: is a FIFO"),
    (["criteria", "check", "{zero}"], "zero.toml: is a character device"),
    (["report", "{mini}", "--template", "{fifo}"], "pipe.toml: is a FIFO"),
    (["open", "{fifo}"], "pipe.toml: is a FIFO"),
    (["open", "{report}"], "zero.toml: is a character device"),
]


@pytest.mark.parametrize(
    ("argv", "words"), SPECIAL_RUNS, ids=[" ".join(a) for a, _ in SPECIAL_RUNS]
)
def test_a_fifo_or_a_device_gives_one_clean_line_within_a_second(
    argv: list[str], words: str, tmp_path: Path
) -> None:
    paths = {name: str(path) for name, path in _specials(tmp_path).items()}
    paths["mini"] = str(MINI_REPORT)
    args = [arg.format(**paths) for arg in argv]
    env = {"GUARANTEEKIT_CRITERIA_PATH": str(DATA / "sets")}
    # Twice the normal run, plus the second: a FIFO blocked for ever, /dev/zero grew without end.
    result = _cli(*args, cwd=tmp_path, env=env, timeout=2 * baseline(args, tmp_path, env) + 1)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert words in output, output
    assert "Traceback" not in output
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr


def test_a_fifo_or_a_device_in_the_criteria_path_is_skipped(tmp_path: Path) -> None:
    sets = tmp_path / "sets"
    sets.mkdir()
    shutil.copy(DATA / "sets" / "mini.toml", sets)
    os.mkfifo(sets / "pipe.toml")
    (sets / "zero.toml").symlink_to("/dev/zero")
    (sets / "loop.toml").symlink_to("loop.toml")
    (tmp_path / "loop-dir").symlink_to(tmp_path / "loop-dir")
    search = os.pathsep.join([str(tmp_path / "loop-dir"), str(sets)])
    env = {"GUARANTEEKIT_CRITERIA_PATH": search}
    limit = 2 * baseline(["criteria", "list"], tmp_path, {}) + 1
    listed = _cli("criteria", "list", cwd=tmp_path, env=env, timeout=limit)
    assert listed.returncode == 0 and "mini" in listed.stdout
    assert "pipe.toml: is a FIFO" in listed.stderr
    assert "zero.toml: is a character device" in listed.stderr
    assert "loop.toml: too many levels of symbolic links" in listed.stderr
    assert "Traceback" not in listed.stderr
    checked = _cli("verify", str(MINI_REPORT), cwd=tmp_path, env=env, timeout=limit + 1)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_criteria_list_shows_a_hostile_folder_name_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sets\x1b]0;pwned\x07\u202e"
    folder.mkdir()
    shutil.copy(DATA / "sets" / "mini.toml", folder)
    monkeypatch.setenv("GUARANTEEKIT_CRITERIA_PATH", str(folder))
    assert main(["criteria", "list"]) == 0
    out, err = capsys.readouterr()
    assert "mini" in out and "sets\\u202e" in out
    assert unsafe_characters(out) == [] and unsafe_characters(err) == []


# --------------------------------------------------------------------------------------------------
# A failing file in a batch never stops the others
# --------------------------------------------------------------------------------------------------


def test_a_deeply_nested_file_in_a_batch_stops_no_other(
    fixture_sets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [MINI_REPORT, HOSTILE / "report-deeply-nested.toml", MINI_REPORT]
    code = main(["verify", "--format", "json", "--jobs", "1", *map(str, files)])
    found = json.loads(capsys.readouterr().out)["files"]
    assert code == 1
    assert [f["ok"] for f in found] == [True, False, True]
    assert [p["code"] for p in found[1]["problems"]] == ["schema"]


def test_a_path_too_long_and_a_link_loop_are_one_line_each(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = tmp_path / ("x" * 300 + ".toml")
    assert main(["score", str(MINI_REPORT), "--profile", str(long)]) == 1
    assert "path too long" in capsys.readouterr().err
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert main(["score", str(loop)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.endswith(
        "loop.toml: too many levels of symbolic links (a link that leads back to itself?)"
    )
    assert main(["verify", "--format", "json", str(loop)]) == 1
    [problem] = json.loads(capsys.readouterr().out)["files"][0]["problems"]
    assert problem["code"] == "unreadable" and "symbolic links" in problem["message"]


# --------------------------------------------------------------------------------------------------
# Writing: -o and score --write refuse devices, FIFOs and folders, and write through links
# --------------------------------------------------------------------------------------------------


def _report_argv(output: Path, *more: str) -> list[str]:
    return ["report", str(MINI_REPORT), "-o", str(output), *more]


@pytest.mark.parametrize("force", [False, True])
def test_output_onto_a_fifo_or_a_folder_is_refused_and_left_alone(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], force: bool
) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    extra = ["--force"] if force else []
    assert main(_report_argv(fifo, *extra)) == 1
    assert capsys.readouterr().err.strip() == (
        f"guaranteekit: {fifo}: is a FIFO (named pipe), not a regular file; not written"
    )
    assert main(_report_argv(folder, *extra)) == 1
    assert "is a directory, not a file; not written" in capsys.readouterr().err
    assert (
        fifo.is_fifo()
        and folder.is_dir()
        and sorted(os.listdir(tmp_path))
        == [
            "folder.md",
            "out.md",
        ]
    )


def test_output_onto_a_device_is_refused(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | 0o020000, os.makedev(1, 3))  # a character device, like /dev/null
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    assert main(_report_argv(device, "--force")) == 1
    assert "null: is a character device, not a regular file; not written" in capsys.readouterr().err
    assert device.is_char_device()


def test_output_through_a_link_writes_its_target_and_says_so(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.md"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(_report_argv(link)) == 1  # exists: --force is still needed
    assert "already exists" in capsys.readouterr().err
    assert main(_report_argv(link, "--force")) == 0
    assert capsys.readouterr().err.strip() == (
        f"guaranteekit: wrote {link} (to {target}, where the link points)"
    )
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# ")

    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere" / "x.md")
    assert main(_report_argv(dangling, "--force")) == 1
    assert "a symbolic link to" in capsys.readouterr().err
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert main(_report_argv(loop, "--force")) == 1
    assert "too many levels of symbolic links" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["dangling.md", "link.md", "loop.md", "real.md"]


def test_score_write_through_a_link_updates_its_target(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.toml"
    target.write_text(
        MINI_REPORT.read_text(encoding="utf-8").replace("score = 50.0\n", "score = 49.0\n", 1),
        encoding="utf-8",
    )
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert main(["score", str(link), "--write"]) == 0
    assert f"(in {target}, where the link points)" in capsys.readouterr().err
    assert link.is_symlink()
    assert main(["verify", str(link)]) == 0, capsys.readouterr().out


# --------------------------------------------------------------------------------------------------
# score --profile P --write records where P is, and compare can be told the profile
# --------------------------------------------------------------------------------------------------

PROFILE = DATA.parent / "compare" / "data" / "profile-aid-off.toml"


def test_a_report_scored_with_a_profile_beside_it_compares(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = Path(shutil.copy(MINI_REPORT, tmp_path / "r.toml"))
    profile = Path(shutil.copy(PROFILE, tmp_path / "aid-off.toml"))
    assert main(["score", str(report), "--profile", str(profile), "--write"]) == 0
    recorded = tomllib.loads(report.read_text(encoding="utf-8"))["profile"]
    assert recorded["path"] == "aid-off.toml"
    capsys.readouterr()
    assert main(["compare", str(report), "--draws", "0", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["profiles"] == [recorded["name"]]
    assert main(["verify", str(report)]) == 0


def test_a_profile_elsewhere_is_recorded_and_passed_with_profile(
    fixture_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "profiles").mkdir()
    report = Path(shutil.copy(MINI_REPORT, tmp_path / "reports" / "r.toml"))
    profile = Path(shutil.copy(PROFILE, tmp_path / "profiles" / "aid-off.toml"))
    assert main(["score", str(report), "--profile", str(profile), "--write"]) == 0
    assert tomllib.loads(report.read_text(encoding="utf-8"))["profile"]["path"] == (
        "../profiles/aid-off.toml"
    )
    capsys.readouterr()
    # A path out of the report's folder is not followed on the report's word...
    assert main(["compare", str(report), "--draws", "0"]) == 1
    assert "'../profiles/aid-off.toml' is not followed" in capsys.readouterr().err
    # ... but on the user's.
    for command in (["compare", str(report), "--draws", "0"], ["report", str(report)]):
        assert main([*command, "--profile", str(profile)]) == 0, capsys.readouterr().err
    assert main(["diff", str(report), str(report), "--profile", str(profile)]) == 0
    assert main(["verify", str(report), "--profile", str(profile)]) == 0
    capsys.readouterr()
