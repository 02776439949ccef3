"""Custom fields as an editable key/value grid.

The table lists one row per key with a change marker. Below it, a key and a
value input add a row (enter in the key moves to the value, enter in the value
commits). ``enter`` on a row loads it into the inputs for editing (rename the
key or change the value, enter to apply, escape to cancel); ``delete`` marks a
row deleted (or drops a row added in this edit); ``u`` undoes a row's changes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from sendkit_tui.ui.safe import safe, safe_cell
from sendkit_tui.ui.widgets.kv_rows import KVRows
from sendkit_tui.ui.widgets.safe_input import SafeInput

MARKER_STYLE = {"+": "bold green", "~": "bold yellow", "-": "bold red", " ": ""}


class KVTable(DataTable):
    HELP_GROUP = "Custom fields"
    BINDINGS = [
        Binding("enter", "edit_row", "Edit field", id="fields.edit"),
        Binding("delete,backspace", "delete_row", "Delete field", id="fields.delete"),
        Binding("u", "revert_row", "Undo field", id="fields.undo"),
    ]

    class RowAction(Message):
        def __init__(self, action: str, index: int) -> None:
            super().__init__()
            self.action = action
            self.index = index

    def _post(self, action: str) -> None:
        if self.row_count:
            self.post_message(self.RowAction(action, self.cursor_row))

    def action_edit_row(self) -> None:
        self._post("edit")

    def action_delete_row(self) -> None:
        self._post("delete")

    def action_revert_row(self) -> None:
        self._post("revert")


class CustomFieldsGrid(Vertical):
    HELP_GROUP = "Custom fields"
    BINDINGS = [
        Binding("escape", "cancel_edit", "Cancel field edit", show=False),
        # Priority, and active only in the name input: focus moves to the value input while
        # the App handles enter, so a value typed right after it lands in the value box.
        Binding("enter", "name_entered", "Next: value", show=False, priority=True),
    ]

    class Changed(Message):
        def __init__(self, grid: CustomFieldsGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> CustomFieldsGrid:
            return self.grid

    def __init__(self, *, id: str | None = "custom-fields") -> None:
        super().__init__(id=id, classes="field-box kv-grid")
        self.model = KVRows()
        self.editing: int | None = None
        self.note: str = ""
        self._error: str | None = None
        self._mode = "+"
        self._shown_note: str | None = None  # None: not loaded yet

    def compose(self) -> ComposeResult:
        yield Label("Custom fields", classes="section-title")
        yield Static("", id="kv-note", markup=False)
        table = KVTable(id="kv-table", cursor_type="row", zebra_stripes=True)
        table.add_column("", width=1, key="marker")
        table.add_column("Field", width=24, key="key")
        table.add_column("Value", width=60, key="value")
        yield table
        with Horizontal(classes="kv-inputs"):
            yield Label("+", id="kv-mode", classes="kv-mode")
            yield SafeInput(placeholder="field name", id="kv-key", compact=True)
            yield SafeInput(placeholder="value (enter to add)", id="kv-value", compact=True)
        yield Static("", classes="field-error", markup=False)

    @property
    def table(self) -> KVTable:
        return self.query_one(KVTable)

    @property
    def key_input(self) -> Input:
        return self.query_one("#kv-key", Input)

    @property
    def value_input(self) -> Input:
        return self.query_one("#kv-value", Input)

    def load(self, values: dict[str, object], *, track: bool, note: str = "") -> None:
        self.model.load(values, track=track)
        self.editing = None
        self.note = note
        if note != self._shown_note:  # an update asks for a layout of the whole screen
            self._shown_note = note
            self.query_one("#kv-note", Static).update(safe(note))
            self.query_one("#kv-note").display = bool(note)
        self._redraw()

    def values(self) -> dict[str, str]:
        return self.model.current()

    @property
    def pending(self) -> tuple[str, str]:
        """Key and value typed into the inputs but not committed."""
        return self.key_input.value, self.value_input.value

    def show_error(self, message: str | None) -> None:
        message = message or None
        if message == self._error:
            return  # already shown (or already clear): no update, no layout
        self._error = message
        self.query_one(".field-error", Static).update(safe(message or ""))
        self.set_class(message is not None, "-has-error")

    def refresh_rows(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for row in self.model.rows:
            marker = safe_cell(row.marker)
            marker.stylize(MARKER_STYLE[row.marker])
            key = safe_cell(row.key, 24)
            value = safe_cell(row.value, 200)
            if row.original_key is not None and row.key != row.original_key:
                key = safe_cell(f"{row.key} (was {row.original_key})", 24)
            if row.deleted:
                key.stylize("strike dim")
                value.stylize("strike dim")
            table.add_row(marker, key, value)
        table.can_focus = table.row_count > 0
        table.display = table.row_count > 0
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        mode = "~" if self.editing is not None else "+"
        if mode != self._mode:  # a Label update asks for a layout of the whole screen
            self._mode = mode
            self.query_one("#kv-mode", Label).update(mode)
        self.value_input.placeholder = (
            "value (enter to apply, escape to cancel)"
            if self.editing is not None
            else "value (enter to add)"
        )

    def _changed(self) -> None:
        self._redraw()
        self.post_message(self.Changed(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "name_entered":
            return self.app.focused is self.key_input
        return True

    def action_name_entered(self) -> None:
        problem = self.model.check(self.key_input.value, self.value_input.value, self.editing)
        if problem and "value" not in problem:
            self.show_error(problem)
            return
        self.show_error(None)
        self.screen.set_focus(self.value_input)  # now, not after the queued keys (focus() defers)

    @on(Input.Submitted, "#kv-value")
    def _value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()

    def commit(self) -> bool:
        """Store what the inputs hold; returns False (and says why) when refused."""
        key, value = self.key_input.value, self.value_input.value
        problem = self.model.check(key, value, self.editing)
        if problem:
            self.show_error(problem)
            (
                self.key_input if "name" in problem or "field" in problem else self.value_input
            ).focus()
            return False
        index = self.model.put(key, value, self.editing)
        self.editing = None
        self.key_input.value = self.value_input.value = ""
        self.show_error(None)
        self._changed()
        self.table.move_cursor(row=index)
        self.key_input.focus()
        return True

    @on(KVTable.RowAction)
    def _row_action(self, event: KVTable.RowAction) -> None:
        event.stop()
        row = self.model.rows[event.index]
        if event.action == "edit":
            if row.deleted:
                self.show_error("This field is marked for deletion; press delete to keep it.")
                return
            self.editing = event.index
            self.key_input.value, self.value_input.value = row.key, row.value
            self.show_error(None)
            self._redraw()
            self.value_input.focus()
            return
        if event.action == "delete":
            self.model.delete(event.index)
        else:
            self.model.revert(event.index)
        if self.editing == event.index:
            self.editing = None
        self._changed()

    def action_cancel_edit(self) -> None:
        if self.editing is None and not (self.key_input.value or self.value_input.value):
            self.screen.post_message(CancelFromGrid())
            return
        index = self.editing
        self.editing = None
        self.key_input.value = self.value_input.value = ""
        self.show_error(None)
        self._redraw()
        if index is not None and self.table.row_count:
            self.table.move_cursor(row=index)
            self.table.focus()


class CancelFromGrid(Message):
    """Escape with nothing to cancel in the grid: let the screen handle it."""
