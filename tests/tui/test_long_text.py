"""A rationale of megabytes: the screen stays responsive, nothing of it is lost, and no keystroke
does work on the whole report; long strings are written byte for byte as tomli-w writes them."""

from __future__ import annotations

from pathlib import Path

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import TextArea

from guaranteekit.formats.assessment import load_report
from guaranteekit.formats.models import Answer, Package
from guaranteekit.formats.storage import LONG_STRING, dump_model
from guaranteekit.tui.drafts import draft_path
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import Session

from .conftest import burst, until, write_mini_report

TRICKY = [
    '"',
    "\\",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "é",
    "\u202e",
    "\ue000",
    "a",
    " ",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), min_size=1, max_size=40), st.booleans())
def test_a_long_string_is_written_as_tomli_w_writes_it(pieces: list[str], crlf_free: bool) -> None:
    text = ("".join(pieces) * (LONG_STRING // len(pieces) + 1))[: LONG_STRING + 17]
    if crlf_free:
        text = text.replace("\r", "")
    package = Package(name="P", summary=text, parties=[text, "short"])
    data = package.model_dump(mode="python", exclude_none=True)
    expected = tomli_w.dumps(data, multiline_strings="\r\n" not in text)
    assert dump_model(package) == expected


BIG = "x" * 4_000_000


async def test_a_4_mb_rationale_is_kept_and_typing_beside_it_stays_light(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    target = write_mini_report(
        tmp_path / "r.toml",
        answers=[Answer(criterion="guarantor", level="named", rationale=BIG)],
    )
    notes = []
    set_notes = Session.set_notes

    def counted(self: Session, *args: object, **kwargs: object) -> object:
        notes.append(1)
        return set_notes(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "set_notes", counted)
    app = make_app(mode="open", report=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "assessment screen")
        screen = app.screen
        rationale = screen.query_one("#rationale", TextArea)
        assert rationale.read_only and rationale.text == ""
        assert "4,000,000 characters, too long to edit here" in str(rationale.placeholder)
        typed = "the annex, point 4"
        await burst(pilot, app, ["tab", *"ignored", "tab", *typed])
        assert screen.query_one("#evidence", TextArea).text == typed
        assert len(notes) <= 1  # the keys only started the clock

        def drafted() -> bool:
            try:
                answer = load_report(draft_path(target)).answer("guarantor")
            except Exception:
                return False
            return answer is not None and answer.evidence == [typed]

        await until(pilot, drafted, "the evidence in the draft", rounds=400)
        assert len(notes) <= 2
    answer = load_report(draft_path(target)).answer("guarantor")
    assert answer is not None and answer.rationale == BIG  # kept, byte for byte
