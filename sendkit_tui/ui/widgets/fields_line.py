"""The custom-fields grid's edit line: a row's name and value in two boxes below the rows.

enter on a row opens it there (the value box has focus), enter on the add row or ctrl+g
opens an empty line for a new field; enter in the name moves to the value, enter in the
value stores the field through the form's model (a row edited goes back to the rows; the
add line stays open for the next field). Mixed into ``CustomFieldsGrid``
(ui/widgets/custom_fields.py), as ``fields_bulk.BulkMode`` is.
"""

from __future__ import annotations

from typing import Any

from sendkit_tui.ui.keys import caught_up


class FieldLine:
    """Needs the grid's ``model``, ``table``, boxes, ``show_error`` and ``_changed``."""

    model: Any
    table: Any
    key_input: Any
    value_input: Any
    screen: Any
    query_one: Any
    call_after_refresh: Any
    show_error: Any
    _changed: Any
    _show_mode: Any
    editing: int | None
    line_open: bool

    async def action_enter(self) -> None:
        focused = self.screen.focused
        if focused is self.table:
            self.open_row(self.table.cursor_row)
            return
        await caught_up(focused)  # the name or value typed before enter is in the box
        if focused is self.key_input and self.editing is None:
            problem = self.model.check_custom(self.key_input.value, "")
            if problem and "value" not in problem.lower():
                self.show_error(problem)
                return
            self.show_error(None)
            self.screen.set_focus(self.value_input)
            return
        self.commit()

    def open_row(self, index: int) -> None:
        """Edit row ``index`` in the boxes below (the add row: start a new field)."""
        rows = self.model.rows()
        self.line_open = True
        self.show_error(None)
        if index >= len(rows):
            self.editing = None
            self._show_mode()
            self.screen.set_focus(self.key_input)
            self._bring_line_into_view()
            return
        marker, key, value, _ = rows[index]
        if marker == "-":
            self.line_open = False
            self.show_error("This field is marked for deletion; press delete to keep it.")
            return
        self.editing = index
        self.key_input.value, self.value_input.value = key, value
        self._show_mode()
        self.screen.set_focus(self.value_input)
        self._bring_line_into_view()

    def close_line(self) -> None:
        """Back to the rows only (a new lead starts with the add line closed)."""
        self.editing = None
        self.line_open = False
        self._show_mode()

    def _bring_line_into_view(self) -> None:
        """The boxes were just shown: scroll the form to them once they have a place."""
        self.call_after_refresh(self.query_one(".kv-inputs").scroll_visible, animate=False)

    def open_add_line(self) -> None:
        """ctrl+g: straight to a new field's name."""
        self.open_row(len(self.model.rows()))

    def commit(self) -> bool:
        """Store what the boxes hold (as a new field, or into the row being edited)."""
        key, value = self.key_input.value, self.value_input.value
        if self.editing is None:
            problem = self.model.add_custom(key, value)
        else:
            problem = self.model.edit_custom(self.editing, key, value)
        if problem:
            self.show_error(problem)
            if self.line_open:
                wrong_name = "name" in problem or "field" in problem
                self.screen.set_focus(self.key_input if wrong_name else self.value_input)
            return False
        edited = self.editing
        self.editing = None
        self.key_input.value = self.value_input.value = ""
        self.show_error(None)
        keys = [row[1] for row in self.model.rows()]
        self._changed()
        if edited is None:
            if self.line_open:  # keep the add line open for the next field
                self.screen.set_focus(self.key_input)
            else:
                self.table.move_cursor(row=keys.index(key.strip()))
        else:
            self.line_open = False
            self._show_mode()
            self.table.move_cursor(row=keys.index(key.strip()))
            self.screen.set_focus(self.table)
        return True
