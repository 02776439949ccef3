"""A create form composed ahead of time, so ``n`` only has to show it.

Opening a form costs what its widgets cost to compose, mount and style (about 60 widgets).
Once the list is idle (after start-up, and again after each create form closes) the app
composes the next create form: it pushes it and pops it at once, inside one batch update,
so no frame shows it. The spare stays mounted (an installed screen is not removed when
popped) until ``n`` takes it; a draft to restore still gets a form of its own (the spare is
removed first: screens share the app's ids, and a form has one).

The push and pop run in an App callback: the App routes no key meanwhile, so a key typed
then reaches the list afterwards, never the hidden form. That wait (the composing, some
60 ms) is why it only starts once no key has come for ``QUIET`` seconds: someone typing is
never held up by it, and someone who pauses finds the next form ready.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

SPARE = "spare-create-form"
QUIET = 1.0
"""Seconds without a key (or click) before the spare is composed."""


class SpareForm:
    """Mixed into ``SendKitApp``."""

    _spare: Screen[Any] | None = None
    _spare_due = False
    _last_input = 0.0
    screen: Any
    screen_stack: Any
    leads: Any
    call_later: Any
    install_screen: Any
    uninstall_screen: Any
    push_screen: Any
    pop_screen: Any
    batch_update: Any
    is_running: Any
    set_timer: Any

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Key | events.MouseDown):
            self._last_input = monotonic()  # the driver posts input here, as it arrives
        return super().post_message(message)  # type: ignore[misc]

    def spare_soon(self) -> None:
        """Compose the next create form once the list is idle (a no-op if one is ready)."""
        if self._spare is None and not self._spare_due:
            if not self._last_input:
                self._last_input = monotonic()  # start-up counts: a second of quiet first
            self._spare_due = True
            # call_later on the App: the callback runs in the App's own message loop, so
            # no key is routed while it runs (call_after_refresh would run it in the
            # screen's loop, beside the App's).
            self.call_later(self._make_spare)

    async def _make_spare(self) -> None:
        if self._spare is not None or not self.is_running:
            self._spare_due = False
            return
        quiet_for = monotonic() - self._last_input
        if quiet_for < QUIET:  # someone is typing: not now
            self.set_timer(QUIET - quiet_for, lambda: self.call_later(self._make_spare))
            return
        self._spare_due = False
        if len(self.screen_stack) != 1 or self.screen is not self.leads:
            return  # something else is open: the next form closing asks again
        from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

        spare = CreateLeadScreen()
        self.install_screen(spare, SPARE)
        with self.batch_update():
            await self.push_screen(spare)
            await self.pop_screen()
        self._spare = spare

    def take_spare(self) -> Screen[Any] | None:
        """The composed create form, now the caller's (not kept once it closes)."""
        spare, self._spare = self._spare, None
        if spare is not None:
            self.uninstall_screen(spare)
        return spare
