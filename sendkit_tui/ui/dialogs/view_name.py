"""Asks for the name to save the list's current view under."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput


class ViewNameScreen(ModalScreen[str | None]):
    """Answers the name typed (trimmed, not empty) on enter, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, what: str, names: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.what = what  # the filters, in words
        self.names = names  # the views already saved: a name among them is replaced

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save this view", classes="dialog-title")
            yield Static(safe(f"Filters: {self.what}", single_line=True), classes="dialog-text")
            yield SafeInput(placeholder="name, e.g. Event leads", id="view-name")
            yield Static("enter saves · escape cancels", id="view-name-note", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#view-name", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.value.strip()
        note = "enter saves · escape cancels"
        if name in self.names:
            note = "A view of this name exists: enter replaces it · escape cancels"
        self.query_one("#view-name-note", Static).update(note)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.query_one("#view-name-note", Static).update("Type a name first.")

    def action_cancel(self) -> None:
        self.dismiss(None)
