"""The guaranteekit terminal app and its one factory.

`create_app` takes every path explicitly (state folder, working folder, report), so the CLI and the
tests build the same app and a test never touches the user's home. It resolves the criteria set,
the profile and the report before the app starts, so bad input is a one-line error on the command
line rather than a broken screen.

The flows that ask questions on the way live in `guaranteekit.tui.flows`; keys reach the app one
at a time, in order (`guaranteekit.tui.keys`); the app never parses, scores or writes a file
itself: `guaranteekit.tui.session` does.

Nothing typed is lost when the app is stopped: on SIGHUP (the terminal closed, or its session leader
exited), on SIGTERM, and when the terminal is found gone (`guaranteekit.tui.terminal`), what is
being typed goes to the draft before the app leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from guaranteekit.errors import GuaranteekitError, NotFoundError, WriteError
from guaranteekit.formats.models import CriteriaSet, Profile
from guaranteekit.textsafe import one_line
from guaranteekit.tui.drafts import DraftLocked, draft_path
from guaranteekit.tui.flows import Flows
from guaranteekit.tui.messages import OpenReport
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import Session
from guaranteekit.tui.terminal import (
    HANGUP_CHECK,
    HUNG_UP,
    STOP_SIGNALS,
    STOP_WAIT,
    controlling_terminal,
    let_go_of_the_terminal,
    terminal_hung_up,
)

if TYPE_CHECKING:
    from guaranteekit.drafts.read import Extracted

Mode = Literal["start", "new", "open", "review", "compare"]


@dataclass(slots=True)
class Launch:
    """What the app opens first, resolved before it starts."""

    mode: Mode = "start"
    report: Path | None = None
    """The report to open (open, review) or to create (new, optional)."""
    session: Session | None = None
    """The report, already loaded (open, review), unless only its draft exists or another
    guaranteekit has it open (the app then asks)."""
    criteria: CriteriaSet | None = None
    """The criteria set for a new assessment."""
    profile: Profile | None = None
    profile_path: Path | None = None
    reviewer: str = ""
    """The reviewer's name in review mode (asked in the dialogs when empty)."""
    compare: list[Path] = field(default_factory=list)
    """The reports to show side by side (compare)."""
    draft: Extracted | None = None
    """The draft to attach to a new assessment, already read (new)."""


class CriterionCommands(Provider):
    """Command palette: go to a criterion by its title (titles are file text, shown literally)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, GuaranteekitApp) or app.session is None:
            return
        matcher = self.matcher(query)
        for index, criterion in enumerate(app.session.criteria.criteria):
            text = f"Go to {index + 1}: {one_line(criterion.title)}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, Content(text), partial(app.go_to, index), text=text)


class GuaranteekitApp(Flows):
    """Score a guarantee package criterion by criterion, keyboard first."""

    CSS_PATH = "app.tcss"
    TITLE = "guaranteekit"
    COMMANDS = Flows.COMMANDS | {CriterionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, plan: Launch, *, state_dir: Path, workdir: Path, home: Path | None) -> None:
        super().__init__()
        self.plan = plan
        self.state_dir = Path(state_dir)
        self.workdir = Path(workdir)
        self.home = home
        self.session: Session | None = None

    # --- start-up and the end ------------------------------------------------------------------

    def on_mount(self) -> None:
        if not self.is_headless:
            self._watch_the_terminal()
        plan = self.plan
        if not (plan.mode in ("open", "review") and plan.report is not None):
            from guaranteekit.tui.screens.start import StartScreen  # opening a report skips it

            self.push_screen(StartScreen(self._recent(), self.home))
        # Opening a report goes straight to it: the start screen is made only when the user goes
        # back to it (`_back_to_start`), which saves a fifth of the time to the first criterion.
        if plan.mode == "new":
            self.new_flow(plan.criteria, plan.profile, plan.profile_path, plan.report, plan.draft)
        elif plan.mode == "compare":
            from guaranteekit.tui.screens.compare import CompareScreen  # only when asked for

            self.push_screen(CompareScreen(self._recent(), self.workdir, plan.compare))
        elif plan.mode in ("open", "review") and plan.report is not None:
            self.open_flow(
                plan.report,
                session=plan.session,
                profile_path=plan.profile_path,
                review=plan.mode == "review",
            )

    def _watch_the_terminal(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            # Not in the main thread, or a platform without these signals: left as they are.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._stopped, 128 + signum)
        terminal = controlling_terminal()
        if terminal is not None:
            self.set_interval(HANGUP_CHECK, partial(self._check_terminal, terminal))

    def _stopped(self, code: int, since: float | None = None) -> None:
        # SIGHUP or SIGTERM: nobody may be left to answer a question. The keys typed before it
        # land first (for up to a second), then what is being typed goes to the draft (which
        # holds every other change already), to be offered back when the report is next
        # opened; then leave.
        since = time.monotonic() if since is None else since
        if self.keys_pending and time.monotonic() - since < STOP_WAIT:
            self.set_timer(0.02, partial(self._stopped, code, since))
            return
        self.flush_notes()
        if self.session is not None:
            with contextlib.suppress(GuaranteekitError):
                self.session.flush_draft()
        terminal = controlling_terminal()
        if code == HUNG_UP and (terminal is None or terminal_hung_up(terminal)):
            let_go_of_the_terminal()
        self.exit(return_code=code)

    def _check_terminal(self, fd: int) -> None:
        if terminal_hung_up(fd):
            self._stopped(HUNG_UP)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    # --- actions -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        self.quit_flow()

    def action_save(self) -> None:
        self.save_flow()

    def action_details(self) -> None:
        self.details_flow()

    def action_help(self) -> None:
        from guaranteekit.tui.screens.help import HelpScreen  # only when asked for

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        self.push_screen(HelpScreen(getattr(screen, "HELP_SECTION", "everywhere")))

    def action_new(self) -> None:
        self.new_flow()

    @work(group="flow")
    async def action_open_file(self) -> None:
        from guaranteekit.tui.screens.dialogs import OpenFileScreen  # see `ask`

        path = await self.push_screen_wait(OpenFileScreen(self.workdir))
        if path is not None:
            self.open_flow(path)

    def action_compare(self) -> None:
        from guaranteekit.tui.screens.compare import CompareScreen  # only when asked for

        self.push_screen(CompareScreen(self._recent(), self.workdir))

    def action_summary(self) -> None:
        from guaranteekit.tui.screens.summary import SummaryScreen  # only when asked for

        for screen in self._assess_screens():
            if self.screen is screen:
                screen.action_summary()
                return
        if self.session is not None and not isinstance(self.screen, SummaryScreen):
            self.push_screen(SummaryScreen(self.session))

    def action_jump(self) -> None:
        if isinstance(self.screen, AssessScreen):
            self.screen.action_jump()

    @on(OpenReport)
    def _open_report(self, message: OpenReport) -> None:
        self.open_flow(Path(message.path))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # it writes a file without asking
                yield command
        yield SystemCommand("Help", "Keys of every screen, drafts and saving", self.action_help)
        if self.session is None:
            yield SystemCommand("New assessment", "Start a new assessment", self.action_new)
            yield SystemCommand("Open a file", "Open a saved report", self.action_open_file)
            yield SystemCommand(
                "Compare reports", "Several saved reports side by side", self.action_compare
            )
            return
        yield SystemCommand("Save report", "Write the report file (ctrl+s)", self.action_save)
        yield SystemCommand("Summary", "Verdict, gaps and asks (ctrl+o)", self.action_summary)
        yield SystemCommand("Jump list", "All criteria with their state (ctrl+g)", self.action_jump)
        yield SystemCommand(
            "Package details", "Edit name, date, parties… (F2)", self.action_details
        )
        yield SystemCommand("New assessment", "Close this one and start another", self.action_new)
        yield SystemCommand("Open a file", "Close this one and open another", self.action_open_file)


def create_app(
    *,
    state_dir: Path,
    workdir: Path,
    mode: Mode = "start",
    report: Path | None = None,
    criteria: str | Path | None = None,
    profile: Path | None = None,
    home: Path | None = None,
    reviewer: str = "",
    compare: list[Path] | None = None,
    draft: Path | None = None,
) -> GuaranteekitApp:
    """The app, with its inputs resolved; raises `GuaranteekitError` for bad input.

    - `state_dir`: where the recent-assessments list lives (tests pass a temporary folder).
    - `workdir`: where new reports are suggested and relative paths are resolved.
    - `mode`: `start` (start screen), `new` (package details, then criteria), `open` or `review`
      (the report, read-only for review).
    - `report`: the report to open, or where to save a new one.
    - `criteria`, `profile`: the criteria set (id or file) and profile file for a new assessment;
      `profile` also overrides the report's profile hint when opening.
    - `home`: shown as `~` in the recent list (None: paths shown in full).
    - `reviewer`: the reviewer's name in review mode (recorded in the review trail).
    - `compare`: the reports the compare view opens with (mode `compare`): files, folders (their
      reports) or globs; each must match a report.
    - `draft`: a draft file to attach to the new assessment (mode `new`), read before starting.
    """
    from guaranteekit.formats.catalog import DEFAULT_CRITERIA, find_criteria, load_profile

    plan = Launch(mode=mode, report=Path(report) if report is not None else None, reviewer=reviewer)
    workdir = Path(workdir)
    if plan.report is not None and not plan.report.is_absolute():
        plan.report = workdir / plan.report
    if profile is not None and not Path(profile).is_absolute():
        profile = workdir / profile
    plan.profile_path = profile
    if mode == "new":
        if plan.report is not None and plan.report.exists():
            raise WriteError(
                f"{plan.report}: already exists; open it with `guaranteekit open {plan.report}`"
            )
        if plan.report is not None and not plan.report.parent.is_dir():
            raise WriteError(f"{plan.report}: folder {plan.report.parent} does not exist")
        plan.criteria = find_criteria(criteria or DEFAULT_CRITERIA)
        if profile is not None:
            plan.profile, _ = load_profile(profile, plan.criteria)
        if draft is not None:
            from guaranteekit.drafts.read import read_draft

            plan.draft = read_draft(draft if Path(draft).is_absolute() else workdir / draft)
    elif mode == "compare":
        from guaranteekit.tui.compare_paths import expand_reports

        found, problems = expand_reports([str(p) for p in compare or []], workdir)
        if problems:
            raise NotFoundError(problems)
        plan.compare = found
    elif mode in ("open", "review"):
        if plan.report is None:
            raise NotFoundError("no report given")
        if plan.report.exists():
            try:
                plan.session = (
                    Session.for_review(plan.report, profile_path=profile)
                    if mode == "review"
                    else Session.open(plan.report, profile_path=profile)
                )
            except DraftLocked:
                plan.session = None  # another guaranteekit has it: the app asks what to do
        elif mode == "review" or not draft_path(plan.report).exists():
            raise NotFoundError(f"{plan.report}: no such file")
    return GuaranteekitApp(plan, state_dir=state_dir, workdir=workdir, home=home)
