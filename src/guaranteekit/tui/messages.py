"""Custom messages of the terminal UI, and the answers of its questions, as dataclasses (fields are
the payload, nothing hidden)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

CHOICE_NOT_APPLICABLE = "not_applicable"
"""`LevelChosen.choice` for "does not apply" (the screen then asks for a reason)."""
CHOICE_UNKNOWN = "unknown"
"""`LevelChosen.choice` for "the draft is silent or unclear"."""


@dataclass
class LevelChosen(Message):
    """The analyst picked a rubric level (or not applicable / unknown) in the rubric list."""

    criterion: str
    """The criterion's id."""
    choice: str
    """A level id, `CHOICE_NOT_APPLICABLE` or `CHOICE_UNKNOWN`."""


@dataclass
class AnswersChanged(Message):
    """The session's answers or package changed; views showing results should refresh."""

    criterion: str | None = None
    """The criterion whose answer changed, or None for a change of the package or many answers."""


@dataclass
class OpenReport(Message):
    """Open a saved report (from the start screen's recent list or its open-file prompt)."""

    path: str
    """Path of the report as typed or remembered."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a question (`ChoiceScreen`): the key that picks it, its label, the value
    returned, and the button's variant."""

    key: str
    label: str
    value: str
    variant: str = "default"
