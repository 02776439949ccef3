"""Paste a contact (a vCard or an email signature) and see the fields it gives before use.

The parse is ``domain/contact_paste.py``; this dialog only shows it. ctrl+s (or the Fill
button) answers with the ``PastedContact``; escape answers None. Empty or unparseable text
gets a message and answers nothing. Everything shown comes from the paste: it is rendered
as data, never as markup.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from sendkit_tui.domain.contact_paste import PastedContact, parse_contact
from sendkit_tui.domain.rules import FIELD_LABELS, STANDARD_FIELDS
from sendkit_tui.ui.safe import safe, safe_cell

EMPTY = "Paste a vCard (.vcf text) or an email signature above."
NOTHING = (
    "No contact found: no vCard, and no email, phone or LinkedIn URL in the text. "
    "Nothing will be filled."
)


class PasteContactScreen(ModalScreen[PastedContact | None]):
    """A paste area and a preview; answers the parsed contact, or None."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Fill the form", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.parsed = PastedContact()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog paste-contact"):
            yield Static("Paste a contact", classes="dialog-title")
            yield TextArea(id="paste-text", soft_wrap=True, show_line_numbers=False)
            yield Static(safe(EMPTY), id="paste-preview")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Fill the form", id="fill", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(
                "ctrl+s fills the form (nothing is saved) · escape cancels",
                classes="paste-hint",
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one(TextArea))

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.parsed = parse_contact(self.query_one(TextArea).text)
        self.query_one("#paste-preview", Static).update(self._preview())

    def _preview(self) -> Table | Content:
        parsed, text = self.parsed, self.query_one(TextArea).text
        if not text.strip():
            return safe(EMPTY)
        if parsed.empty:
            return safe(NOTHING)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        table.add_row(Text("Read as"), safe_cell(parsed.kind))
        for name in STANDARD_FIELDS:
            if name in parsed.fields:
                table.add_row(Text(FIELD_LABELS[name]), safe_cell(parsed.fields[name], 60))
        for line in parsed.left_out[:6]:
            table.add_row(Text("Not used"), safe_cell(line, 60))
        if len(parsed.left_out) > 6:
            table.add_row(Text("Not used"), Text(f"… and {len(parsed.left_out) - 6} more"))
        return table

    def action_apply(self) -> None:
        if self.parsed.empty:
            text = self.query_one(TextArea).text
            self.query_one("#paste-preview", Static).update(
                safe(NOTHING if text.strip() else EMPTY)
            )
            self.notify("Nothing to fill from this text.", severity="warning", markup=False)
            return
        self.dismiss(self.parsed)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#fill")
    def _fill(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
