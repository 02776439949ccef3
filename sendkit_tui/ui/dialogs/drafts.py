"""Drafts left from an earlier run (a quit, a crash, a failed save): restore or discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sendkit_tui.storage.drafts import Draft

OUTCOME_TEXT = {
    "never": "not sent",
    "pending": "was being sent when the app stopped",
    "unknown": "sent, answer unknown",
    "failed": "last save failed",
}


class DraftsScreen(ModalScreen[tuple[str, "Draft"] | None]):
    """Dismisses ``("restore", draft)``, or None when the user closes it.

    Drafts typed for another server or workspace (``foreign``, with a note saying where)
    are listed apart; restoring one says so on the form, and an edit of a lead elsewhere
    is not opened here at all (its lead is not on this server).
    """

    app = getters.app(AppContext)

    BINDINGS = [
        Binding("enter", "restore", "Restore", id="drafts.restore"),
        Binding("d,delete", "discard", "Discard", id="drafts.discard"),
        Binding("escape", "later", "Later", id="drafts.later"),
    ]

    def __init__(self, drafts: list[Draft], foreign: dict[str, str] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.drafts = list(drafts)
        self.foreign = dict(foreign or {})  # draft id -> where it was typed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Unsent work from an earlier session", classes="dialog-title")
            yield Static(
                "enter restores the highlighted draft into its form · d discards it · "
                "escape keeps them all for later",
                classes="dialog-text",
            )
            yield OptionList(id="drafts-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for draft in self.drafts:
            state = OUTCOME_TEXT.get(draft.outcome, draft.outcome)
            where = self.foreign.get(draft.id)
            text = f"{draft.label} — {state}" + (f" — {where}" if where else "")
            options.add_option(Option(safe(text), id=draft.id))
        if self.drafts:
            options.highlighted = 0

    def _current(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.drafts:
            return None
        return self.drafts[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        draft = self._current()
        if draft is not None:
            self.dismiss(("restore", draft))

    def action_discard(self) -> None:
        draft = self._current()
        if draft is None:
            return
        self.app.drafts.delete(draft.id)
        self.drafts.remove(draft)
        if not self.drafts:
            self.dismiss(None)
            return
        self._fill()

    def action_later(self) -> None:
        self.dismiss(None)
