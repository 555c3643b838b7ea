"""verify runs the review checks because its list names them, not because something imported the
review module first: a fresh interpreter gives the same problems either way."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# The 1.0.0 version of the example: it answers a gated criterion not applicable, which only a
# review check warns about (the 2.0.0 example answers no gated criterion not applicable).
BUDAPEST = (
    Path(__file__).parent.parent / "data" / "reports" / "v1" / "budapest-memorandum-1994.toml"
)

VERIFY = (
    "import json, sys\n"
    "from guaranteekit.verify.checks import verify_file\n"
    "result = verify_file(sys.argv[1])\n"
    "print(json.dumps([[p.code, p.where, p.message, p.severity] for p in result.problems]))\n"
)


def _problems(first: str) -> list[list[str]]:
    """The problems `verify_file` finds on the Budapest example in a fresh interpreter, after
    running `first`."""
    out = subprocess.run(
        [sys.executable, "-c", first + "\n" + VERIFY, str(BUDAPEST)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_the_review_problems_do_not_depend_on_what_was_imported_before() -> None:
    alone = _problems("")
    assert alone == _problems("import guaranteekit.review.trail")
    codes = {code for code, _, _, _ in alone}
    # The example quotes no evidence for some levels above the lowest: only a review check says so.
    assert "no-evidence" in codes and "gate-not-applicable" in codes
