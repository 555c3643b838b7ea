"""Whatever a report holds, what guaranteekit prints is safe on a terminal: any string, fed as a package
name, a rationale or an unknown key, reaches stdout and stderr of `score`, `verify` and `compare` with
no byte below 0x20 but newline and tab, no DEL, no C1 control and no bidi or zero-width character."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import tomllib
import unicodedata
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from guaranteekit.cli.parser import main

DATA = Path(__file__).parent.parent / "data"
MINI = tomllib.loads((DATA / "reports" / "mini-complete.toml").read_text(encoding="utf-8"))
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

PIECES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6
) | st.sampled_from(
    [
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\x1b[31m",
        "\x1b",
        "\x07",
        "\x00",
        "\x7f",
        "\x9b31m",
        "\x85",
        "\r",
        "\u202e",
        "\u2066",
        "\u200f",
        "\u061c",
        "\u200b",
        "\ufeff",
        "\u2060",
        "\U000e0041",
        "\u2028",
        "\n",
        "\t",
        "[x](y)",
        "<b>",
        "| *_`",
    ]
)
HOSTILE = st.lists(PIECES, min_size=1, max_size=6).map("".join)


def unsafe(output: str) -> list[str]:
    raw = output.encode("utf-8")
    found = [f"byte 0x{b:02x}" for b in raw if (b < 0x20 and b not in b"\n\t") or b == 0x7F]
    found += [
        f"U+{ord(ch):04X}"
        for ch in output
        if ch in BIDI or 0x80 <= ord(ch) <= 0x9F or unicodedata.category(ch) == "Cf"
    ]
    return found


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=HOSTILE, rationale=HOSTILE, key=HOSTILE)
def test_any_string_reaches_the_terminal_cleaned(name: str, rationale: str, key: str) -> None:
    assume(name and key not in MINI["package"])
    data = json.loads(json.dumps(MINI, default=str))  # a deep copy
    data["provenance"] = MINI["provenance"]
    data["package"]["name"] = name
    data["answers"][1]["rationale"] = rationale
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.toml"
        report.write_text(tomli_w.dumps(data), encoding="utf-8")
        data["package"][key] = 1
        unknown = Path(folder) / "unknown.toml"
        unknown.write_text(tomli_w.dumps(data), encoding="utf-8")
        runs = [  # (argv, exit code 0 expected): the report's digest no longer fits, for verify
            (("score", str(report), "--draws", "0"), True),
            (("score", str(report), "--draws", "0", "--json"), True),
            (("verify", str(report)), False),
            (("compare", str(report), "--draws", "0", "--allow-unverified"), True),
            (("score", str(unknown)), False),
            (("verify", str(unknown)), False),
            (("compare", str(unknown), "--draws", "0", "--allow-unverified"), False),
        ]
        old = os.environ.get("GUARANTEEKIT_CRITERIA_PATH")
        os.environ["GUARANTEEKIT_CRITERIA_PATH"] = str(DATA / "sets")
        try:
            for argv, passes in runs:
                code, out, err = run(*argv)
                assert unsafe(out) == [] and unsafe(err) == [], (argv, out, err)
                assert "Traceback" not in err
                assert (code == 0) is passes, (argv, code, err)
                if "--json" in argv:  # valid JSON: no NaN or Infinity either
                    json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
        finally:
            if old is None:
                del os.environ["GUARANTEEKIT_CRITERIA_PATH"]
            else:
                os.environ["GUARANTEEKIT_CRITERIA_PATH"] = old
