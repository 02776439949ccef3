"""The detail pane's rows: a lead (as the server sent it) as ``label  value`` lines, and
``DetailRows``, the widget that draws them with a cursor and copies a value.

Works on the wire shape (``firstName``, ``phoneNumber``, ``customFields`` …), so a list row's
item and a full ``GET /v1/leads/{id}`` answer are drawn the same way. What a copy lacks is
drawn as ``missing`` says: still to come (a list item while its full copy is on its way), not
in the list (a server without the single-lead route), or empty (the full copy). Every key
and value is server data: sanitised here for drawing, kept as sent for copying.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.keys import caught_up
from sendkit_tui.ui.widgets.lead_columns import fit

# Wire name -> label, in the order drawn.
FIELDS = (
    ("email", "Email"),
    ("firstName", "First name"),
    ("lastName", "Last name"),
    ("companyName", "Company"),
    ("jobTitle", "Job title"),
    ("phoneNumber", "Phone"),
    ("linkedinUrl", "LinkedIn"),
    ("city", "City"),
    ("state", "State"),
    ("country", "Country"),
    ("tags", "Tags"),
    ("emailVerified", "Verified"),
    ("emailVerificationResult", "Status"),
    ("createdAt", "Created"),
    ("updatedAt", "Updated"),
    ("_id", "ID"),
)
HIDDEN = frozenset({"customFields", "userId", "workspaceId"})  # custom fields have a section
PENDING = "…"  # not in this copy yet: the full lead is on its way
NOT_SENT = "(not in the list)"  # and the server cannot send the full lead
NOT_LOADED = "(not loaded)"  # asking for the full lead failed
EMPTY = "—"
CUSTOM_HEADING = "Custom fields"
LABEL_MAX = 16  # label column width at most (a long custom-field key is cut)


class DetailRow(NamedTuple):
    label: str  # sanitised, one line
    text: str  # what is drawn: sanitised, one line
    value: str | None  # what ``y`` copies, as sent; None: nothing to copy (pending or heading)
    heading: bool = False
    muted: bool = False


def value_text(value: Any) -> str:
    """A field's value as text: strings as sent, tags joined, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def detail_rows(data: dict[str, Any], *, missing: str = EMPTY) -> list[DetailRow]:
    """Every field of ``data`` (standard ones first, then unknown ones, then custom fields);
    ``missing`` stands for a field ``data`` does not carry."""
    rows = [_row(label, data, name, missing) for name, label in FIELDS]
    known = {name for name, _label in FIELDS} | HIDDEN
    rows += [_row(str(name), data, name, missing) for name in data if name not in known]
    rows.append(DetailRow(CUSTOM_HEADING, "", None, heading=True))
    custom = data.get("customFields")
    if isinstance(custom, dict) and custom:
        rows += [_row(str(key), custom, key, EMPTY) for key in custom]
    elif "customFields" not in data and missing != EMPTY:
        rows.append(DetailRow("", missing, None, muted=True))
    else:
        rows.append(DetailRow("", "none", None, muted=True))
    return rows


def _row(label: str, data: dict[str, Any], name: str, missing: str) -> DetailRow:
    shown = sanitize(label, single_line=True)
    if name not in data and missing != EMPTY:
        return DetailRow(shown, missing, None, muted=True)
    text = value_text(data.get(name))
    if not text:
        return DetailRow(shown, EMPTY, "", muted=True)
    return DetailRow(shown, sanitize(text, single_line=True), text)


class DetailRows(ScrollView, can_focus=True):
    """The pane's ``label  value`` lines, with a cursor on a value while focused."""

    HELP_GROUP = "Details pane"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, like the list's: they act in the order typed (see ui/keys.py).
        Binding("up,k", "cursor(-1)", "Previous value", id="detail.up", priority=True),
        Binding("down,j", "cursor(1)", "Next value", id="detail.down", priority=True),
        Binding("y,c", "copy", "Copy value", id="detail.copy", priority=True),
        Binding("enter", "open", "Edit lead", id="detail.open", priority=True),
        Binding("left,h", "leave", "Back to list", id="detail.leave", priority=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lead-detail--label",
        "lead-detail--heading",
        "lead-detail--muted",
        "lead-detail--cursor",
    }

    def __init__(self, on_open: Callable[[], Awaitable[None]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DetailRow] = []
        self.cursor = 0
        self._on_open = on_open

    def show(self, rows: list[DetailRow]) -> None:
        self.rows = rows
        self.cursor = self._nearest(min(self.cursor, len(rows) - 1), 1)
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    @property
    def current(self) -> DetailRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _nearest(self, index: int, step: int) -> int:
        """``index`` or the next row from it in ``step``'s direction that holds a value."""
        for candidate in (*range(index, len(self.rows) if step > 0 else -1, step), index):
            if 0 <= candidate < len(self.rows) and self.rows[candidate].value is not None:
                return candidate
        return max(0, index)

    def action_cursor(self, step: int) -> None:
        target = self._nearest(self.cursor + step, step)
        if 0 <= target < len(self.rows) and self.rows[target].value is not None:
            self.cursor = target
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_copy(self) -> None:
        row = self.current
        if row is None or not row.value:
            self.notify("Nothing to copy here.", markup=False)
            return
        self.app.copy_to_clipboard(row.value)
        self.notify(f"Copied {row.label}", markup=False)

    async def action_open(self) -> None:
        await caught_up(self)
        await self._on_open()

    def action_leave(self) -> None:
        self.screen.focus_previous()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            index = round(self.scroll_y) + offset.y
            if index < len(self.rows) and self.rows[index].value is not None:
                self.cursor = index
                self.refresh()

    def _color(self, name: str) -> Color | None:
        return self.get_component_rich_style(name).color

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        if row.heading:
            style = self.get_component_rich_style("lead-detail--heading")
            return Strip([Segment(fit(f" {row.label}", width), style)], width)
        labels = (cell_len(r.label) for r in self.rows if not r.heading)
        label_width = min(LABEL_MAX, max(labels, default=0))
        base, label_style, value_style = self.rich_style, self.rich_style, self.rich_style
        if index == self.cursor and self.has_focus:  # the cursor's colours throughout
            base = label_style = value_style = self.get_component_rich_style("lead-detail--cursor")
        else:  # only the colours of these styles, over the pane's background
            label_style = base + Style(color=self._color("lead-detail--label"))
            if row.muted:
                value_style = base + Style(color=self._color("lead-detail--muted"))
        segments = [
            Segment(" " + fit(row.label, label_width) + "  ", label_style),
            Segment(fit(row.text, max(0, width - label_width - 3)), value_style),
        ]
        return Strip(segments).extend_cell_length(width, base).crop(0, width)
