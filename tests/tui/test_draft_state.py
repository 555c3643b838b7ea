"""The top bar says "draft kept" only while the draft file holds the changes: on a disk that refuses
the draft (full, read-only), it says the changes are in memory only, until a draft is written again."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.errors import WriteError
from guaranteekit.formats.catalog import load_criteria
from guaranteekit.tui.screens.assess import topbar_content
from guaranteekit.tui.session import Session

from .conftest import MINI_PACKAGE, MINI_SET


def test_draft_kept_is_said_only_when_the_draft_was_written(tmp_path: Path) -> None:
    session = Session.start(tmp_path / "r.toml", MINI_PACKAGE, load_criteria(MINI_SET))
    assert session.draft_kept
    assert "draft kept" in topbar_content(session, "").plain

    # The disk refuses the draft (here: a folder stands where the draft goes; root ignores modes).
    session.draft.unlink()
    session.draft.mkdir()
    with pytest.raises(WriteError):
        session.choose_level("guarantor", "bound")
    assert session.dirty and not session.draft_kept
    bar = topbar_content(session, "").plain
    assert "draft kept" not in bar and "no draft" in bar

    session.draft.rmdir()
    session.choose_level("guarantor", "named")
    assert session.draft_kept and "draft kept" in topbar_content(session, "").plain
