"""Forms composed ahead of time, so ``n`` or enter only has to show one; opening a form.

Opening a form costs what its widgets cost to compose, mount and style (about 60 widgets).
Once the list is idle (after start-up, and again after each form closes) the app composes
the next create form and the next edit form, one at a time: it pushes the form and pops it
at once, inside one batch update, so no frame shows it. A spare stays mounted (an installed
screen is not removed when popped) until ``n`` or enter takes it; the edit spare is composed
without a lead and given one when taken (``EditLeadScreen.take``). A draft to restore still
gets a form of its own (the spare is removed first: screens share the app's ids, and a form
has one).

The push and pop run in an App callback: the App routes no key meanwhile, so a key typed
then reaches the list afterwards, never the hidden form. That wait (the composing, some
60 ms) is why it only starts once no key has come for ``QUIET`` seconds: someone typing is
never held up by it, and someone who pauses finds the next form ready.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from sendkit_tui.api import Lead, LeadRow
    from sendkit_tui.storage.drafts import Draft

KINDS = ("create", "edit")
"""The spares, in the order they are made (``n`` is the likelier first key)."""
QUIET = 1.0
"""Seconds without a key (or click) before a spare is composed."""


def spare_name(kind: str) -> str:
    return f"spare-{kind}-form"


class SpareForm:
    """Mixed into ``SendKitApp``."""

    _spares: dict[str, Screen[Any]] | None = None
    _spare_due = False
    _opening = 0  # forms being opened (see opening_form)
    last_input: Any  # a read-only property of KeyArrival (ui/key_arrival.py)
    count_start_as_input: Any
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
    switch_screen: Any
    best_copy: Any

    @property
    def spares(self) -> dict[str, Screen[Any]]:
        if self._spares is None:
            self._spares = {}
        return self._spares

    def spare_soon(self) -> None:
        """Compose the missing spares once the list is idle (a no-op if both are ready)."""
        if len(self.spares) < len(KINDS) and not self._spare_due:
            self.count_start_as_input()  # start-up counts: a second of quiet first
            self._spare_due = True
            # call_later on the App: the callback runs in the App's own message loop, so
            # no key is routed while it runs (call_after_refresh would run it in the
            # screen's loop, beside the App's).
            self.call_later(self._make_spare)

    async def _make_spare(self) -> None:
        missing = [kind for kind in KINDS if kind not in self.spares]
        if not missing or not self.is_running:
            self._spare_due = False
            return
        quiet_for = monotonic() - self.last_input
        if quiet_for < QUIET:  # someone is typing: not now
            self.set_timer(QUIET - quiet_for, lambda: self.call_later(self._make_spare))
            return
        self._spare_due = False
        if len(self.screen_stack) != 1 or self.screen is not self.leads:
            return  # something else is open: the next form closing asks again
        kind = missing[0]
        spare = _compose(kind)
        self.install_screen(spare, spare_name(kind))
        with self.batch_update():
            await self.push_screen(spare)
            await self.pop_screen()
        self.spares[kind] = spare
        if kind == "edit":
            self.leads.prepare_highlighted()  # the lead enter would open, drawn now
        self.spare_soon()  # the next one after another quiet moment

    # -- opening a form (see AppContext) --------------------------------------------

    async def open_new_lead(
        self, *, draft: Draft | None = None, elsewhere: str | None = None
    ) -> None:
        self._opening += 1  # see opening_form
        try:
            from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

            screen = self.take_spare("create")
            if screen is not None and (draft is not None or elsewhere is not None):
                await screen.remove()  # a draft gets a form of its own (one id at a time)
                screen = None
            if isinstance(screen, CreateLeadScreen):
                screen.apply_settings()  # the config may have changed since it was composed
            screen = screen or CreateLeadScreen(draft=draft, elsewhere=elsewhere)
            await self.push_screen(screen, lambda _: self.spare_soon())
        finally:
            self._opening -= 1

    async def open_lead(
        self, lead: Lead, *, draft: Draft | None = None, replace: bool = False
    ) -> None:
        self._opening += 1  # see opening_form
        try:
            from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

            spare = self.take_spare("edit")
            if spare is not None and (draft is not None or replace):
                await spare.remove()  # one form id at a time (see open_new_lead)
                spare = None
            if isinstance(spare, EditLeadScreen):
                spare.take(self.best_copy(lead))
                screen = spare
            else:
                screen = EditLeadScreen(self.best_copy(lead), draft=draft)
            if replace:
                await self.switch_screen(screen)
            else:
                await self.push_screen(screen, lambda _: self.spare_soon())
        finally:
            self._opening -= 1

    def opening_form(self) -> bool:
        """Whether a form is being opened (composed, mounted) now; safe on any thread."""
        return self._opening > 0

    def prepare_edit(self, row: LeadRow) -> None:
        spare = self.spares.get("edit")
        if spare is None or not self.is_running:
            return  # (none before start-up is over: the models it needs are loaded by then)
        from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

        if not isinstance(spare, EditLeadScreen) or not spare.is_spare:
            return
        try:
            lead = row.to_lead()
        except ValueError:
            return  # opening it says why
        spare.prepare(self.best_copy(lead))

    def take_spare(self, kind: str = "create") -> Screen[Any] | None:
        """The composed form of ``kind``, now the caller's (not kept once it closes)."""
        spare = self.spares.pop(kind, None)
        if spare is not None:
            self.uninstall_screen(spare)
        return spare


def _compose(kind: str) -> Screen[Any]:
    if kind == "edit":
        from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

        return EditLeadScreen(None)
    from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

    return CreateLeadScreen()
