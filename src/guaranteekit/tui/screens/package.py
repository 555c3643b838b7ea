"""Package details: name, date, round, parties, guarantors, source and summary, checked as typed.

The same screen starts a new assessment (then it also asks for the criteria set and the report file)
and edits the details of an open one. Problems are shown under the field they concern; the checks
themselves live in `guaranteekit.tui.package_form` so they are tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from guaranteekit.formats.models import CriteriaSet, Package
from guaranteekit.textsafe import one_line
from guaranteekit.tui.package_form import (
    package_fields,
    package_from,
    package_problems,
    resolve_target,
    target_problem,
)
from guaranteekit.tui.widgets import KeyBar

FIELDS: list[tuple[str, str, str]] = [
    ("name", "Name", "e.g. US 20-point plan"),
    ("date", "Date of the draft", "YYYY-MM-DD, YYYY-MM or YYYY"),
    ("round", "Round or draft label", "e.g. round 3"),
    ("parties", "Parties (comma-separated)", "e.g. Ukraine, Russia, United States"),
    ("guarantors", "Guarantors named (comma-separated)", "empty when none is named"),
    ("source", "Source reference", "where the text comes from"),
]


@dataclass(frozen=True, slots=True)
class PackageResult:
    """What the package screen hands back."""

    package: Package
    path: Path | None = None
    """Where to save a new report (new assessments only)."""
    criteria: CriteriaSet | None = None
    """The criteria set chosen (new assessments only)."""


class PackageScreen(Screen[PackageResult | None]):
    """A form for the package details; new assessments also choose criteria and a file."""

    HELP_SECTION = "package"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Done", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        *,
        package: Package | None = None,
        new: bool = False,
        target: Path | None = None,
        base: Path | None = None,
        criteria_choices: list[CriteriaSet] | None = None,
        criteria: CriteriaSet | None = None,
    ) -> None:
        super().__init__()
        self.package = package
        self.new = new
        self.target = target
        self.base = base or Path.cwd()
        self.criteria_choices = criteria_choices or ([criteria] if criteria else [])
        self.criteria = criteria

    def compose(self) -> ComposeResult:
        values = package_fields(self.package) if self.package else {}
        title = "New assessment: package details" if self.new else "Package details"
        yield Static(title, id="topbar", markup=False)
        with VerticalScroll(id="form"):
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label", markup=False)
                    yield Input(
                        values.get(key, ""),
                        placeholder=placeholder,
                        id=f"field-{key}",
                        select_on_focus=False,
                    )
                yield Static("", id=f"problem-{key}", classes="problem form-problem", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Summary: what the package offers", classes="form-label", markup=False)
                yield TextArea(values.get("summary", ""), id="field-summary", soft_wrap=True)
            if self.new:
                with Horizontal(classes="form-row"):
                    yield Label("Criteria set", classes="form-label", markup=False)
                    yield from self._criteria_field()
                with Horizontal(classes="form-row"):
                    yield Label("Save the report as", classes="form-label", markup=False)
                    yield Input(
                        str(self.target or ""),
                        placeholder="round-3.toml",
                        id="field-path",
                        select_on_focus=False,
                    )
                yield Static("", id="problem-path", classes="problem form-problem", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Continue" if self.new else "Done", id="done", variant="primary")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def _criteria_field(self) -> ComposeResult:
        if self.criteria_choices:
            yield Select(
                [
                    (
                        Content(f"{one_line(c.title)} ({c.id} {one_line(c.version)})"),
                        index,
                    )
                    for index, c in enumerate(self.criteria_choices)
                ],
                value=self._criteria_index(),
                allow_blank=False,
                id="field-criteria",
            )
        else:
            yield Static(
                "✗ no criteria set found: install one or set GUARANTEEKIT_CRITERIA_PATH",
                classes="problem",
                markup=False,
            )

    def _criteria_index(self) -> int:
        if self.criteria is not None:
            for index, criteria in enumerate(self.criteria_choices):
                if criteria is self.criteria:
                    return index
        return 0

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()
        self._check(show_empty=False)

    def values(self) -> dict[str, str]:
        """What has been typed, by field."""
        values = {key: self.query_one(f"#field-{key}", Input).value for key, _, _ in FIELDS}
        values["summary"] = self.query_one("#field-summary", TextArea).text
        return values

    def _check(self, *, show_empty: bool = True) -> bool:
        values = self.values()
        problems = package_problems(values)
        if not show_empty and not values["name"].strip():
            problems.pop("name", None)
        for key, _, _ in FIELDS:
            text = problems.get(key, "")
            self._show_problem(key, text)
            self.query_one(f"#field-{key}", Input).set_class(bool(text), "-invalid")
        ok = not package_problems(values)
        if self.new:
            path_text = self.query_one("#field-path", Input).value
            problem = target_problem(path_text, self.base)
            self._show_problem("path", problem if show_empty or path_text.strip() else None)
            self.query_one("#field-path", Input).set_class(bool(problem and path_text), "-invalid")
            ok = ok and problem is None and bool(self.criteria_choices)
        return ok

    def _show_problem(self, key: str, text: str | None) -> None:
        # An empty problem line takes no room, so the form fits a small terminal.
        line = self.query_one(f"#problem-{key}", Static)
        line.update(f"✗ {text}" if text else "")
        line.display = bool(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._check(show_empty=False)

    @on(Button.Pressed, "#done")
    def _done_pressed(self) -> None:
        self.action_done()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_done(self) -> None:
        if not self._check(show_empty=True):
            self.notify("Fix the fields marked ✗ first.", severity="warning", markup=False)
            return
        package = package_from(self.values())
        if not self.new:
            self.dismiss(PackageResult(package))
            return
        path = resolve_target(self.query_one("#field-path", Input).value, self.base)
        index = self.query_one("#field-criteria", Select).value
        criteria = self.criteria_choices[index if isinstance(index, int) else 0]
        self.dismiss(PackageResult(package, path, criteria))

    def action_cancel(self) -> None:
        self.dismiss(None)
