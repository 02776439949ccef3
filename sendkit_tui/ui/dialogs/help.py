"""``?`` / ``f1``: the keys of the screen that is open, and where to remap them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from sendkit_tui.ui.safe import safe, safe_cell


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(safe(f"Keys: {self.title_text}"), classes="dialog-title")
            table = DataTable(id="help-table", cursor_type="row", show_cursor=False)
            table.add_column("Key", width=14)
            table.add_column("Action", width=30)
            table.add_column(safe_cell("Binding id (config.toml [keymap])"), width=40)
            for key, action, binding_id in self.rows:
                table.add_row(safe_cell(key), safe_cell(action), safe_cell(binding_id))
            yield table
            yield Static(  # safe(): the brackets are text, not markup
                safe('Remap a key in config.toml, e.g.  [keymap]  leads.new = "ctrl+n"'),
                classes="dialog-text",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def bindings_of(screen) -> list[tuple[str, str, str]]:
    """(key, description, id) for every binding active on ``screen`` right now."""
    rows: dict[tuple[str, str], tuple[str, str, str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        display = screen.app.get_key_display(binding)
        rows.setdefault((binding.action, display), (display, binding.description, binding.id or ""))
    return sorted(rows.values(), key=lambda row: row[1].lower())
