"""The custom-fields grid's bulk mode: every field as a ``name: value`` line in a text area.

ctrl+b in the grid opens it with the current fields; ctrl+b again applies the text to the
form's model as one change (one ctrl+z undoes it), or, when a line is wrong, says which line
and why and applies nothing; escape leaves the fields as they were. Mixed into
``CustomFieldsGrid`` (ui/widgets/custom_fields.py).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from sendkit_tui.domain.field_text import format_fields, parse_fields
from sendkit_tui.ui.keys import caught_up
from sendkit_tui.ui.safe import safe

BULK_HELP = "bulk edit: one 'name: value' per line · ctrl+b applies · escape cancels"


class BulkMode:
    """Needs the grid's ``model``, ``table``, ``screen``, ``show_error`` and ``_changed``."""

    model: Any
    table: Any
    screen: Any
    line_open: bool
    editing: int | None
    query_one: Any
    set_class: Any
    show_error: Any
    _changed: Any
    _show_mode: Any
    _mode: str | None
    mount: Any
    bulk = False
    _area: TextArea | None = None

    @property
    def bulk_area(self) -> TextArea | None:
        """The text box of bulk mode: made on the first ctrl+b, not with every form (a
        TextArea is one of the costliest widgets to style and lay out)."""
        return self._area

    async def action_bulk(self) -> None:
        if self.bulk and self._area is not None:
            await caught_up(self._area)  # what was typed before ctrl+b is in the text
            self.apply_bulk()
        else:
            await self.open_bulk()

    async def open_bulk(self) -> None:
        if self._area is None:
            self._area = TextArea(id="kv-bulk", soft_wrap=False, show_line_numbers=True)
            await self.mount(self._area, before=self.query_one(".field-error"))
        area = self._area
        self.bulk = True
        self.line_open, self.editing = False, None
        area.load_text(format_fields(self.model.custom_fields()))
        self.show_error(None)
        self._show_bulk()
        area.move_cursor(area.document.end)
        self.screen.set_focus(area)

    def apply_bulk(self) -> bool:
        """The text becomes the custom fields; False (nothing applied) when a line is wrong."""
        fields, problems = parse_fields(self._area.text if self._area is not None else "")
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            said = "; ".join(problems[:3]) + more
            self.show_error(said)
            # Said on the line above the text too, where the eye is (the error line is below).
            self._mode = f"{said} · fix it and press ctrl+b, or escape"
            self.query_one("#kv-mode").update(safe(self._mode))
            return False
        self.model.replace_custom_fields(fields)
        self.close_bulk()
        self._changed()
        return True

    def close_bulk(self) -> None:
        self.bulk = False
        self.show_error(None)
        self._show_bulk()
        self.screen.set_focus(self.table)

    def _show_bulk(self) -> None:
        self.set_class(self.bulk, "-bulk")
        if self.bulk:
            self._mode = BULK_HELP
            self.query_one("#kv-mode").update(safe(BULK_HELP))
        else:
            self._show_mode()
