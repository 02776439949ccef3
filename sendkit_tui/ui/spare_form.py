"""A create form composed ahead of time, so ``n`` only has to show it.

Opening a form costs what its widgets cost to compose, mount and style (about 60 widgets).
Once the list is idle (after start-up, and again after each create form closes) the app
composes the next create form: it pushes it and pops it at once, inside one batch update,
so no frame shows it. The spare stays mounted (an installed screen is not removed when
popped) until ``n`` takes it; a draft to restore still gets a form of its own (the spare is
removed first: screens share the app's ids, and a form has one).

The push and pop run in an App callback: the App routes no key meanwhile, so a key typed
then reaches the list afterwards, never the hidden form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

SPARE = "spare-create-form"


class SpareForm:
    """Mixed into ``SendKitApp``."""

    _spare: Screen[Any] | None = None
    _spare_due = False
    screen: Any
    screen_stack: Any
    leads: Any
    call_after_refresh: Any
    install_screen: Any
    uninstall_screen: Any
    push_screen: Any
    pop_screen: Any
    batch_update: Any
    is_running: Any

    def spare_soon(self) -> None:
        """Compose the next create form once the list is idle (a no-op if one is ready)."""
        if self._spare is None and not self._spare_due:
            self._spare_due = True
            self.call_after_refresh(self._make_spare)

    async def _make_spare(self) -> None:
        self._spare_due = False
        if self._spare is not None or not self.is_running:
            return
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
