"""Custom fields as a grid you edit like a spreadsheet row, from the keyboard.

A view of the form's ``LeadEdit``: the rows (with ``+`` added, ``~`` changed or renamed,
``-`` deleted) come from ``model.rows()``, and every change is a model command, so the
PATCH, the markers, undo and the draft agree.

- The row table is one tab stop, always shown (with its header, even when empty); its last
  row adds a field. Up/down move between rows.
- enter on a row edits it in place: the line below says "editing 'budget'", the value box
  has focus (shift+tab reaches the name); one enter commits the name and the value, and
  focus goes back to that row. escape cancels.
- enter on the add row (or ctrl+g anywhere in the form) opens the add line: enter in the
  name moves to the value, enter in the value adds the field and waits for the next one.
- delete removes a field (or restores a removed one); ctrl+z undoes the last change.
  No plain letter changes anything.

The enter keys are priority bindings that first wait for the box to take the keys typed
before them, so "newk⏎val⏎" typed fast gives the field newk = val (see ui/keys.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from sendkit_tui.domain.completion import CUSTOM_KEYS
from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.ui.completion import field_suggester, value_suggester
from sendkit_tui.ui.safe import safe, safe_cell
from sendkit_tui.ui.widgets.fields_bulk import BulkMode
from sendkit_tui.ui.widgets.fields_line import FieldLine
from sendkit_tui.ui.widgets.safe_input import SafeInput

MARKER_STYLE = {"+": "bold green", "~": "bold yellow", "-": "bold red", " ": ""}
ADD_ROW = "+ add a field (enter)"


class FieldTable(DataTable):
    """The rows; the grid owns its keys (priority, in the order typed)."""

    HELP_GROUP = "Custom fields"
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, priority=True),
        Binding("down", "cursor_down", "Down", show=False, priority=True),
        Binding("home", "scroll_top", "First", show=False, priority=True),
        Binding("end", "scroll_bottom", "Last", show=False, priority=True),
    ]


class CustomFieldsGrid(FieldLine, BulkMode, Vertical):
    HELP_GROUP = "Custom fields"
    BLANK = True  # nothing drawn of its own (see LeadForm.BLANK)
    BINDINGS = [
        # Named on the grid's own mode line, so kept out of the crowded footer (help has them).
        Binding("enter", "enter", "Edit / add field", id="fields.edit", priority=True, show=False),
        Binding(
            "delete", "toggle_delete", "Delete / restore field", id="fields.delete", priority=True
        ),
        Binding("ctrl+b", "bulk", "Bulk edit fields", id="fields.bulk", priority=True, show=False),
        Binding("escape", "cancel_edit", "Cancel field edit", show=False, priority=True),
    ]

    class Changed(Message):
        def __init__(self, grid: CustomFieldsGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> CustomFieldsGrid:
            return self.grid

    def __init__(self, model: LeadEdit, *, id: str | None = "custom-fields") -> None:
        super().__init__(id=id, classes="field-box kv-grid")
        self.model = model
        self.editing: int | None = None  # the row being edited; None: the add line
        self.line_open = False  # the name/value boxes take focus (editing or adding)
        self._error: str | None = None
        self._note: str | None = None
        self._mode: str | None = None
        self._sign: str | None = None
        self._drawn: list[tuple[str, str, str, str | None]] | None = None  # the rows drawn

    def compose(self) -> ComposeResult:
        yield Label("Custom fields", classes="section-title")
        yield Static("", id="kv-note", markup=False)
        table = FieldTable(id="kv-table", cursor_type="row", zebra_stripes=True)
        table.add_column("", width=1, key="marker")
        table.add_column("Field", width=24, key="key")
        table.add_column("Value", width=60, key="value")
        yield table
        yield Label("", id="kv-mode", classes="kv-mode")
        with Horizontal(classes="kv-inputs"):
            yield Label("", id="kv-sign", classes="kv-sign")
            yield SafeInput(
                placeholder="field name",
                id="kv-key",
                compact=True,
                select_on_focus=False,
                suggester=field_suggester(self, CUSTOM_KEYS),
            )
            yield SafeInput(
                placeholder="value",
                id="kv-value",
                compact=True,
                select_on_focus=False,
                suggester=value_suggester(self, lambda: self.key_input.value),
            )
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()

    # -- parts ------------------------------------------------------------------------------

    @property
    def table(self) -> FieldTable:
        return self.query_one(FieldTable)

    @property
    def key_input(self) -> Input:
        return self.query_one("#kv-key", Input)

    @property
    def value_input(self) -> Input:
        return self.query_one("#kv-value", Input)

    @property
    def pending(self) -> tuple[str, str]:
        """Key and value typed into the boxes but not committed."""
        return self.key_input.value, self.value_input.value

    @property
    def note(self) -> str:
        return self._note or ""

    def set_note(self, note: str) -> None:
        if note != self._note:  # an update asks for a layout of the whole screen
            self._note = note
            self.query_one("#kv-note", Static).update(safe(note))
            self.query_one("#kv-note").display = bool(note)

    def show_error(self, message: str | None) -> None:
        message = message or None
        if message == self._error:
            return  # already shown (or already clear): no update, no layout
        self._error = message
        self.query_one(".field-error", Static).update(safe(message or ""))
        self.set_class(message is not None, "-has-error")

    # -- drawing ----------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Draw the model's rows, the add row, and the edit line's state.

        The table is built again only when the rows changed: a save checks the form first
        (``LeadForm.validate``), and a table redrawn for nothing was a frame of its own,
        which held the saved frame back to Textual's next frame slot."""
        rows = self.model.rows()
        if rows == self._drawn:
            self._show_mode()
            return
        self._drawn = rows
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for marker, key, value, original in rows:
            mark = safe_cell(marker)
            mark.stylize(MARKER_STYLE[marker])
            shown = key if original in (None, key) else f"{key} (was {original})"
            key_cell, value_cell = safe_cell(shown, 24), safe_cell(value, 200)
            if marker == "-":
                key_cell.stylize("strike dim")
                value_cell.stylize("strike dim")
            table.add_row(mark, key_cell, value_cell)
        add = safe_cell(ADD_ROW)
        add.stylize("dim italic")
        table.add_row(safe_cell(""), add, safe_cell(""))
        table.move_cursor(row=min(cursor, table.row_count - 1), scroll=False)
        self._show_mode()

    def _show_mode(self) -> None:
        if self.editing is not None:
            rows = self.model.rows()
            name = rows[self.editing][1] if self.editing < len(rows) else "?"
            mode = f"editing {name!r}: enter saves, escape cancels"
        elif self.line_open:
            mode = "new field: enter in the name moves to the value, enter there adds it"
        else:
            mode = "enter on a row edits it · delete removes · ctrl+z undoes · ctrl+b bulk edit"
        if mode != self._mode:  # a Label update asks for a layout of the whole screen
            self._mode = mode
            self.query_one("#kv-mode", Label).update(safe(mode))
        for box in (self.key_input, self.value_input):
            box.can_focus = self.line_open
        sign = "~" if self.editing is not None else "+"
        if self.line_open and sign != self._sign:
            self._sign = sign
            self.query_one("#kv-sign", Label).update(sign)
        self.set_class(self.line_open, "-line-open")

    def _changed(self) -> None:
        self.refresh_view()
        self.post_message(self.Changed(self))

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.screen.focused
        if action == "enter":
            return focused in (self.table, self.key_input, self.value_input)
        if action == "toggle_delete":
            return focused is self.table
        if action == "bulk":
            return focused is not None and focused in (
                self.table,
                self.key_input,
                self.value_input,
                self.bulk_area,
            )
        if action == "cancel_edit":
            return self.wants_escape()
        return True

    def wants_escape(self) -> bool:
        """Whether escape cancels something here (bulk mode, a row edit, the add line)."""
        focused = self.screen.focused
        if self.bulk:
            return focused is not None and focused is self.bulk_area
        return self.line_open and focused in (self.key_input, self.value_input)

    def action_toggle_delete(self) -> None:
        index = self.table.cursor_row
        rows = self.model.rows()
        if index >= len(rows):
            return
        marker, _, _, original = rows[index]
        target = original if marker == "-" and original is not None else index
        if marker == "-":
            self.model.restore_custom(target)
        else:
            self.model.delete_custom(target)
        self._changed()

    def action_cancel_edit(self) -> None:
        if self.bulk:
            self.close_bulk()
            return
        index = self.editing
        self.editing = None
        self.line_open = False
        self.key_input.value = self.value_input.value = ""
        self.show_error(None)
        self._show_mode()
        if index is not None:
            self.table.move_cursor(row=index)
        self.screen.set_focus(self.table)
