"""Keys delivered one at a time, in order, to where the user aimed them.

Textual routes a key to the widget focused at the moment the app takes the key from its queue, and
posts it to that widget's own queue; what the key does (a binding, a focus move, a new screen)
happens later, in the turns of that widget, its parents and the app. Keys that arrive together (a
fast typist, an app busy for a moment) are all routed before the first has acted: the Tab that
should move into the rationale is still waiting while the next letters go to the rubric, where `2`
chooses a level; letters typed just after `x` reach no field because the reason dialog is not on
screen yet; the last letter typed before ctrl+s is not in the field when the form is read.

`OrderedKeys` holds the keys and lets the next one go only when the previous one has been handled
all the way: by the widget it went to and every node it may bubble through up to the app (a
callback is relayed along that path behind it, twice, for the messages the key made a widget
post), then by whatever it scheduled on the app (a focus
change), then by any flow it started (a worker that asks a question) until that flow shows its
screen or ends, and, when it changed the screen, once the new screen has been drawn. Text typed into a
text box is the one exception, since a character there moves no focus and changes no screen: it
goes straight on, so typing is not slowed to one character per screen refresh, and the next other
key waits until the box has taken every character before it.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

SCREEN_STEP = 0.005
SCREEN_TRIES = 200
"""How often, and how many times at most, to look whether a new screen has mounted and taken its
focus before the next key goes to it (a screen with nothing to focus is ready once mounted)."""

STUCK = 5.0
"""Seconds after which a key whose handling never reported back lets the next one go (a safety net:
a widget removed while it held the key would otherwise stop every key after it)."""


class OrderedKeys(App[None]):
    """An app that takes its keys (and pastes) one at a time; see the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Key | events.Paste] = deque()
        self._in_flight = 0
        """The number of the key being handled (0: none)."""
        self._sequence = 0
        self._since = 0.0
        self._watchdog_on = False
        self._typing_into: Widget | None = None
        """The text box that characters went straight to, not yet known to have taken them."""
        self.keys_taken = 0
        """How many keys and pastes the app has taken in (tests wait for a count)."""
        self._workers_before: set[Worker[Any]] = set()
        self._flows: tuple[int, Screen, list[Worker[Any]]] | None = None
        """A key's number, the screen before it, and the flows it started, still running."""
        self._screen_watched = False

    @property
    def keys_pending(self) -> bool:
        """Whether keys are held or one is still being handled (tests wait for this to end)."""
        if not self.is_running:
            return False
        return bool(self._held) or self._in_flight != 0 or self._typing_into is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self.keys_taken += 1
            self._held.append(event)
            if not self._in_flight:
                await self._release()
            return
        await super().on_event(event)

    def _is_text(self, event: events.Key | events.Paste) -> bool:
        """Whether `event` is text for the focused text box, which no binding takes."""
        focused = self.focused
        if isinstance(focused, TextArea):
            if focused.read_only:
                return False
        elif not isinstance(focused, Input):
            return False
        if isinstance(event, events.Paste):
            return True
        if not event.is_printable:
            return False
        return not any(
            event.key in bindings.key_to_bindings for _, bindings in self.screen._binding_chain
        )

    async def _release(self) -> None:
        """Let the next held key go (or note that none is in flight)."""
        while self._held and self.is_running and self._is_text(self._held[0]):
            event = self._held.popleft()
            self._typing_into = self.focused
            await super().on_event(event)  # to the text box's own queue, in order
        if not self._held or not self.is_running:
            self._in_flight = 0
            if self._typing_into is not None:
                self._start(list(self._typing_into.ancestors_with_self))
            return
        if self._typing_into is not None:
            # Before a key that may move the focus or act: let the box take what was typed.
            self._start(list(self._typing_into.ancestors_with_self))
            return
        event = self._held.popleft()
        before = self.screen
        number = self._start([])
        await super().on_event(event)  # priority bindings here, else forwarded to the focus
        path: list[MessagePump] = []
        if event.is_forwarded:
            target = self.focused or self.screen
            path = list(target.ancestors_with_self)
        self._relay(number, path, 0, before)

    def _start(self, path: list[MessagePump]) -> int:
        """Number a wait (for a key, or for a text box to drain along `path`) and start it."""
        self._sequence += 1
        number = self._in_flight = self._sequence
        self._since = time.monotonic()
        self._workers_before = set(self.workers)
        if not self._watchdog_on:
            self._watchdog_on = True
            self.set_interval(1.0, self._watch)
        if path:
            self._typing_into = None
            self._relay(number, path, 0, self.screen)
        return number

    def _relay(
        self, number: int, path: list[MessagePump], index: int, before: Screen, passes: int = 2
    ) -> None:
        """Wait for each node on the key's way to have handled what it had queued, then the app.

        Twice along the way: what a key makes a widget post (an Input's Submitted, a list's
        OptionSelected) is queued behind the first pass and bubbles up the same way, and its
        handler (the dialog that closes on Enter) must have run before the next key goes.
        """
        if number != self._in_flight:
            return
        while index < len(path):
            if path[index].call_later(self._relay, number, path, index + 1, before, passes):
                return
            index += 1  # closed (removed): nothing left to wait for there
        if passes > 1 and path:
            self._relay(number, path, 0, before, passes - 1)
            return
        # The app itself ran the key's binding last; what that scheduled on the app runs next.
        if not self.call_later(self._settled, number, before):
            self._in_flight = 0

    async def _settled(self, number: int, before: Screen) -> None:
        if number != self._in_flight:
            return
        started = [w for w in self.workers if w not in self._workers_before and not w.is_finished]
        if self.screen is before and started:
            # A flow started by the key (saving, say) will show its question in a moment: the
            # next key is for that question.
            self._flows = (number, before, started)
            if not self._screen_watched:
                self._screen_watched = True
                self.screen_change_signal.subscribe(self, self._flow_moved)
            return
        if self.screen is not before:
            # A screen was pushed or popped: let it mount and take its focus before the next
            # key, so keys typed right after `x` reach the reason field.
            self._await_screen(number, 0)
            return
        await self._next(number)

    def _await_screen(self, number: int, tries: int) -> None:
        if number != self._in_flight:
            return
        screen = self.screen
        ready = screen.is_mounted and (screen.focused is not None or not screen.focus_chain)
        if ready or tries >= SCREEN_TRIES:
            self.call_later(self._next, number)  # after what its mount scheduled on the app
            return
        self.set_timer(SCREEN_STEP, lambda: self._await_screen(number, tries + 1))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self._flow_moved(None)

    def _flow_moved(self, _screen: Screen | None) -> None:
        if self._flows is None:
            return
        number, before, started = self._flows
        if self.screen is before and not all(w.is_finished for w in started):
            return
        self._flows = None
        self.call_later(self._settled, number, before)

    async def _next(self, number: int) -> None:
        if number == self._in_flight:
            self._in_flight = 0
            await self._release()

    async def _watch(self) -> None:
        if self._in_flight and time.monotonic() - self._since > STUCK:
            self.log.warning(f"key {self._in_flight} never reported back; taking the next")
            self._in_flight = 0
            self._flows = None
            await self._release()
