"""The guaranteekit terminal app and its one factory.

`create_app` takes every path explicitly (state folder, working folder, report), so the CLI and the
tests build the same app and a test never touches the user's home. It resolves the criteria set,
the profile and the report before the app starts, so bad input is a one-line error on the command
line rather than a broken screen.

Flows that ask questions on the way (open with recovery or read-only, save after the list of what
verify would report, save over a changed file, quit with unsaved changes) run as workers and await
their modal answers with `push_screen_wait`, so each reads top to bottom. The app never parses,
scores or writes a file itself: `guaranteekit.tui.session` does. Keys reach it one at a time, in
order (`guaranteekit.tui.keys`).

Nothing typed is lost when the app is stopped: on SIGHUP (the terminal closed, or its session leader
exited), on SIGTERM, and when the terminal is found gone, what is being typed goes to the draft
before the app leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
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
from guaranteekit.tui.drafts import DraftLocked, draft_path, find_recovery
from guaranteekit.tui.keys import OrderedKeys
from guaranteekit.tui.messages import AnswersChanged, Choice, OpenReport
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import ChangedOnDisk, Session

if TYPE_CHECKING:
    from guaranteekit.drafts.read import Extracted
    from guaranteekit.tui.recent import RecentEntry

Mode = Literal["start", "new", "open", "review", "compare"]


@dataclass(slots=True)
class Plan:
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


HANGUP_CHECK = 0.5
"""Seconds between checks that the app's terminal is still there (`terminal_hung_up`)."""

HUNG_UP = 128 + signal.SIGHUP
"""The exit code when the terminal went away (128 + SIGHUP, as a shell reports it)."""

STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
"""Signals after which the app writes what is being typed to the draft and leaves (128 + signal)."""

STOP_WAIT = 1.0
"""Seconds at most that such a signal waits for the keys typed before it to be handled."""


def controlling_terminal() -> int | None:
    """The descriptor of the terminal the app draws on, when it is this process's controlling
    terminal (None when there is none: headless, piped, or a platform without job control)."""
    for stream in (sys.__stdin__, sys.__stdout__):
        try:
            fd = stream.fileno() if stream is not None else -1
            os.tcgetpgrp(fd)
        except (AttributeError, OSError, ValueError):
            continue
        return fd
    return None


def terminal_hung_up(fd: int) -> bool:
    """Whether the controlling terminal on `fd` has gone: its window closed or its SSH link dropped.

    The kernel sends SIGHUP to the terminal's session leader (a shell, or `make` under `make run`),
    and to the foreground group only when that leader exits; a program left running keeps a
    terminal whose every read returns at once with nothing, and Textual's input thread would spin
    on that at full speed, for good.
    """
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return True
    return False


class GuaranteekitApp(OrderedKeys):
    """Score a guarantee package criterion by criterion, keyboard first."""

    CSS_PATH = "app.tcss"
    TITLE = "guaranteekit"
    COMMANDS = OrderedKeys.COMMANDS | {CriterionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, plan: Plan, *, state_dir: Path, workdir: Path, home: Path | None) -> None:
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
        # What start-up made (modules, criteria, the report, the screen) lives as long as the
        # app: out of the collector's way, a full collection looks only at what changed since,
        # instead of stopping the screen for a tenth of a second every so often.
        self.call_after_refresh(gc.freeze)
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
            # The terminal is gone: there is nothing to restore on it, and Textual's shutdown
            # writes to it regardless, which can wait for good (the hang-up also brings a SIGCONT
            # that starts its output again). The draft is on disk and the kernel drops the lock.
            os._exit(code)
        self.exit(return_code=code)

    def _check_terminal(self, fd: int) -> None:
        if terminal_hung_up(fd):
            self._stopped(HUNG_UP)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    def _adopt(self, session: Session) -> None:
        """Make `session` the app's, its draft written right after the screen shows a change."""
        self.session = session
        session.write_soon = self._write_soon

    def _write_soon(self, write: Callable[[], None]) -> None:
        def later() -> None:
            try:
                write()
            except GuaranteekitError as exc:
                # Nothing is lost yet: the change is kept, and saving reports the disk's problem.
                self.say(exc.problems)

        self.call_after_refresh(later)

    # --- questions -----------------------------------------------------------------------------

    async def ask(self, title: str, message: Content | str, choices: list[Choice]) -> str:
        """Ask a question in a modal and wait for the answer (inside a worker)."""
        from guaranteekit.tui.screens.dialogs import ChoiceScreen  # the dialogs, when one is asked

        return await self.push_screen_wait(ChoiceScreen(title, message, choices))

    def say(self, lines: Iterable[str], *, severity: str = "error") -> None:
        """Show problem lines from the core as notifications (literally: no markup)."""
        for line in lines:
            self.notify(line, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]

    def _recent(self) -> list[RecentEntry]:
        from guaranteekit.tui.recent import load_recent  # the start and compare screens' list

        return load_recent(self.state_dir)

    def _remember(self, session: Session) -> None:
        from guaranteekit.tui.recent import remember  # after the report is on screen

        try:
            remember(self.state_dir, session.path, session.report.package.name)
        except GuaranteekitError as exc:
            self.say(exc.problems, severity="warning")

    def refresh_views(self) -> None:
        """Redraw every screen that shows the session (after a save or a change elsewhere)."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_view", None)
            if refresh is not None and screen.is_mounted:
                refresh()

    def _assess_screens(self) -> list[AssessScreen]:
        return [s for s in self.screen_stack if isinstance(s, AssessScreen)]

    def flush_notes(self) -> None:
        """Hand any rationale being typed to the session (and the draft) before saving or leaving."""
        for screen in self._assess_screens():
            screen.flush_notes()

    async def _back_to_start(self) -> None:
        from guaranteekit.tui.screens.start import StartScreen  # opening a report skips it

        # The stack is [default, StartScreen, ...], or [default, ...] when the app was started on a
        # report: the start screen is then made now.
        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            await self.pop_screen()
        await self._ensure_start()

    async def _ensure_start(self) -> None:
        """Show the start screen when nothing else is (refreshing its list of recent files)."""
        start = self.screen_stack[-1]
        if getattr(start, "IS_START", False):  # the start screen, known without importing it
            if start.is_mounted:
                start.fill(self._recent())  # type: ignore[attr-defined]
        elif len(self.screen_stack) == 1:
            from guaranteekit.tui.screens.start import StartScreen  # opening a report skips it

            await self.push_screen(StartScreen(self._recent(), self.home))

    async def settle_unsaved(
        self, title: str, message: Content, save_label: str, discard_label: str
    ) -> bool:
        """Before leaving the assessment: save it, discard its draft, or cancel (False).

        True at once when there is nothing unsaved; False when the user cancels or saving fails.
        """
        session = self.session
        if session is None:
            return True
        self.flush_notes()
        if not session.dirty or session.read_only:
            return True
        answer = await self.ask(
            title,
            message,
            [
                Choice("s", save_label, "save", "primary"),
                Choice("d", discard_label, "discard", "error"),
                Choice("escape", "Cancel", "cancel"),
            ],
        )
        if answer == "save":
            return await self.save()
        if answer == "discard":
            session.discard_draft()
            return True
        return False

    async def close_session(self) -> bool:
        """Leave the current assessment, asking about unsaved changes; False when cancelled."""
        session = self.session
        if session is None:
            return True
        message = Content.assemble(
            "Save ", session.path.name, " before leaving it? Discarding removes the draft too."
        )
        if not await self.settle_unsaved("Unsaved changes", message, "Save", "Discard"):
            return False
        session.close()
        self.session = None
        await self._back_to_start()
        return True

    # --- flows ---------------------------------------------------------------------------------

    @work(group="flow")
    async def open_flow(
        self,
        path: Path,
        *,
        session: Session | None = None,
        profile_path: Path | None = None,
        review: bool = False,
    ) -> None:
        """Open a report: recover its draft if the last session did not end cleanly."""
        await self._open(path, session=session, profile_path=profile_path, review=review)
        # Refused, cancelled by the user or failed with nothing else on screen: the start screen.
        # (Not in a `finally`: a worker cancelled because the app is quitting must not push it.)
        await self._ensure_start()

    async def _read_only_instead(self, locked: DraftLocked) -> bool:
        """Another guaranteekit has the report open for changes: may it be opened to look only?"""
        answer = await self.ask(
            "Open in another guaranteekit",
            Content.assemble(
                locked.report.name,
                " is open for changes in another guaranteekit (",
                locked.holder,
                "). Its unsaved answers are in that one's draft, which is left alone. Open the"
                " saved report here read-only?",
            ),
            [
                Choice("r", "Open read-only", "read-only", "primary"),
                Choice("escape", "Cancel", "cancel"),
            ],
        )
        return answer == "read-only"

    def _load(
        self, path: Path, profile_path: Path | None, review: bool, read_only: bool
    ) -> Session:
        if review:
            return Session.for_review(path, profile_path=profile_path, read_only=read_only)
        return Session.open(path, profile_path=profile_path, read_only=read_only)

    async def _open(
        self, path: Path, *, session: Session | None, profile_path: Path | None, review: bool
    ) -> None:
        if not await self.close_session():
            return
        path = Path(path)
        try:
            if session is None and not path.exists():
                if review or not draft_path(path).exists():
                    raise NotFoundError(f"{path}: no such file")
                recovery = find_recovery(path, None)
                answer = await self.ask(
                    "Unsaved assessment found",
                    Content.assemble(
                        path.name,
                        " was never saved, but its draft ",
                        draft_path(path).name,
                        " holds "
                        + (
                            f"{len(recovery.report.answers)} answer(s)"
                            if recovery
                            else "an unreadable draft"
                        )
                        + ". Recover it?",
                    ),
                    [
                        Choice("r", "Recover", "recover", "primary"),
                        Choice("escape", "Cancel", "cancel"),
                    ],
                )
                if answer != "recover":
                    return
                session = Session.from_draft(path, profile_path=profile_path)
            elif session is None:
                try:
                    session = self._load(path, profile_path, review, read_only=False)
                except DraftLocked as locked:
                    if not await self._read_only_instead(locked):
                        return
                    session = self._load(path, profile_path, review, read_only=True)
            recovery = None if session.read_only or session.is_new else session.recovery()
            if recovery is not None:
                stamp = (
                    recovery.modified.strftime("%Y-%m-%d %H:%M UTC") if recovery.modified else "?"
                )
                answer = await self.ask(
                    "Recover unsaved answers?",
                    Content.assemble(
                        "The last session on ",
                        path.name,
                        " ended without saving. Its draft (last change ",
                        stamp,
                        f") holds {len(recovery.changed)} answer(s)"
                        + (" and package details" if recovery.package_changed else "")
                        + " that differ from the saved report.",
                    ),
                    [
                        Choice("r", "Recover them", "recover", "primary"),
                        Choice("d", "Discard the draft", "discard", "error"),
                        Choice("escape", "Cancel", "cancel"),
                    ],
                )
                if answer == "recover":
                    session.accept_recovery(recovery)
                    self.notify(
                        f"Recovered {len(recovery.changed)} answer(s) from the draft; save to keep"
                        " them in the report.",
                        markup=False,
                    )
                elif answer == "discard":
                    session.discard_draft()
                else:
                    session.close()
                    return
        except GuaranteekitError as exc:
            if session is not None:
                session.close()
            self.say(exc.problems)
            return
        self.say(session.notes, severity="warning")
        self._adopt(session)
        if not session.read_only:
            # The recent list is written once the report is on screen, not before.
            self.call_after_refresh(self._remember, session)
        if session.reviewing:
            from guaranteekit.tui.screens.review import ReviewScreen

            await self.push_screen(ReviewScreen(session, self.plan.reviewer))
            return
        await self.push_screen(AssessScreen(session))
        from guaranteekit.tui.screens.review_widgets import dispute_notice

        if (notice := dispute_notice(session.report, session.criteria)) is not None:
            self.notify(notice, title="Review", severity="warning", markup=False, timeout=15)

    @work(group="flow")
    async def new_flow(
        self,
        criteria: CriteriaSet | None = None,
        profile: Profile | None = None,
        profile_path: Path | None = None,
        output: Path | None = None,
        draft: Extracted | None = None,
    ) -> None:
        """Ask for the package details, then start assessing (with `draft` attached, if given)."""
        if not await self.close_session():
            return
        from guaranteekit.formats.catalog import available

        if output is not None and not output.exists() and draft_path(output).exists():
            # The last session on this file was never saved: offer it back rather than clobber it.
            self.open_flow(output, profile_path=profile_path)
            return
        from guaranteekit.tui.screens.package import PackageScreen  # only for a new assessment

        choices = [criteria] if criteria is not None else [c for _, c in available()]
        package = None
        if draft is not None:
            from guaranteekit.drafts.attach import package_for  # only with a draft to attach

            package = package_for(draft)
        screen = PackageScreen(
            package=package,
            new=True,
            target=output or self._suggested_target(),
            base=self.workdir,
            criteria_choices=choices,
            criteria=criteria,
        )
        result = await self.push_screen_wait(screen)
        if result is None or result.path is None or result.criteria is None:
            return
        use_profile = profile if result.criteria is criteria else None
        try:
            session = Session.start(
                result.path,
                result.package,
                result.criteria,
                use_profile,
                profile_path=profile_path if use_profile else None,
                attached=draft,
            )
        except GuaranteekitError as exc:
            self.say(exc.problems)
            return
        self._adopt(session)
        self._remember(session)
        await self.push_screen(AssessScreen(session))

    def _suggested_target(self) -> Path:
        from guaranteekit.tui.package_form import suggest_target  # only for a new assessment

        return suggest_target(self.workdir)

    async def _check_before_saving(self, session: Session) -> bool:
        """List what verify would report about the report as it is; True to save it so.

        Going to a listed criterion saves nothing (the draft keeps every change).
        """
        problems = session.problems()
        if not problems:
            return True
        from guaranteekit.tui.screens.dialogs import SAVE_ANYWAY, PresaveScreen  # see `ask`

        choice = await self.push_screen_wait(
            PresaveScreen(problems, session.criteria, session.path.name)
        )
        if choice == SAVE_ANYWAY:
            return True
        if isinstance(choice, int):
            self.go_to(choice)
            self.notify(
                "Not saved yet: ctrl+s when ready (every change is in the draft).", markup=False
            )
        else:
            self.notify("Not saved.", severity="warning", markup=False)
        return False

    async def save(self) -> bool:
        """Save the report, after the list of what verify would report (assessing), and asking
        before overwriting a file changed on disk; True when saved."""
        session = self.session
        if session is None:
            return False
        self.flush_notes()
        if session.read_only:
            self.notify("Read-only: nothing to save.", severity="warning", markup=False)
            return False
        if not session.reviewing and not await self._check_before_saving(session):
            return False
        try:
            try:
                session.save()
            except ChangedOnDisk:
                answer = await self.ask(
                    "The report changed on disk",
                    Content.assemble(
                        str(session.path),
                        " was changed (or created) by someone else after you opened it."
                        " Overwrite it with your version? If you cancel, nothing is written and"
                        " your answers stay in the draft ",
                        session.draft.name,
                        ".",
                    ),
                    [
                        Choice("o", "Overwrite", "overwrite", "error"),
                        Choice("escape", "Cancel", "cancel"),
                    ],
                )
                if answer != "overwrite":
                    self.notify("Not saved.", severity="warning", markup=False)
                    return False
                session.save(force=True)
        except GuaranteekitError as exc:
            self.say(exc.problems)
            return False
        self.notify(f"Saved {session.path}", markup=False)
        self._remember(session)
        self.refresh_views()
        return True

    @work(group="flow")
    async def save_flow(self) -> None:
        await self.save()

    @work(group="flow")
    async def quit_flow(self) -> None:
        session = self.session
        message = Content.assemble(
            "Your changes to ",
            session.path.name if session is not None else "",
            " are not saved in the report (they are in its draft).",
        )
        if await self.settle_unsaved(
            "Quit with unsaved changes?", message, "Save and quit", "Quit and discard"
        ):
            self.exit()

    @work(group="flow")
    async def details_flow(self) -> None:
        session = self.session
        if session is None:
            return
        if session.read_only or session.reviewing:
            self.notify("The details cannot be changed here.", markup=False)
            return
        from guaranteekit.tui.screens.package import PackageScreen  # only when asked for

        result = await self.push_screen_wait(PackageScreen(package=session.report.package))
        if result is None:
            return
        try:
            session.set_package(result.package)
        except WriteError as exc:
            self.say(exc.problems)
        self.refresh_views()
        self.screen.post_message(AnswersChanged(None))

    # --- actions -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        self.quit_flow()

    def action_save(self) -> None:
        self.save_flow()

    def action_details(self) -> None:
        self.details_flow()

    def action_help(self) -> None:
        from guaranteekit.tui.screens.dialogs import HelpScreen  # see `ask`

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

    def go_to(self, index: int) -> None:
        """Show criterion `index` (from the command palette or the list before saving)."""
        screens = self._assess_screens()
        if not screens:
            return
        while self.screen is not screens[-1] and len(self.screen_stack) > 1:
            self.pop_screen()
        screens[-1].show_criterion(index)

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

    plan = Plan(mode=mode, report=Path(report) if report is not None else None, reviewer=reviewer)
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
