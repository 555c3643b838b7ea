"""The app's flows: opening, starting, saving and leaving an assessment, each asking on the way.

Each flow runs as a worker and awaits its modal answers with `push_screen_wait`, so it reads top to
bottom: open (recover a draft, or open read-only while another guaranteekit has the report), new
(the package details, then the criteria), save (first the list of what verify would report, then
asking before overwriting a file changed on disk), quit and close (save or discard what is
unsaved). The flows never parse, score or write a file themselves: the `Session` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from guaranteekit.errors import GuaranteekitError, NotFoundError, WriteError
from guaranteekit.formats.models import CriteriaSet, Profile
from guaranteekit.tui.drafts import DraftLocked, draft_path, find_recovery
from guaranteekit.tui.keys import OrderedKeys
from guaranteekit.tui.messages import AnswersChanged, Choice
from guaranteekit.tui.screens.assess import AssessScreen
from guaranteekit.tui.session import ChangedOnDisk, Session

if TYPE_CHECKING:
    from guaranteekit.drafts.read import Extracted
    from guaranteekit.tui.app import Launch
    from guaranteekit.tui.recent import RecentEntry


class Flows(OrderedKeys):
    """The flows of `GuaranteekitApp`, and the helpers they share."""

    session: Session | None
    state_dir: Path
    workdir: Path
    home: Path | None
    plan: Launch

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

    def go_to(self, index: int) -> None:
        """Show criterion `index` (from the command palette or the list before saving)."""
        screens = self._assess_screens()
        if not screens:
            return
        while self.screen is not screens[-1] and len(self.screen_stack) > 1:
            self.pop_screen()
        screens[-1].show_criterion(index)
