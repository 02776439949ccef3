"""``LeadList``: the leads table, drawn line by line from ``LeadPages``.

Only the rows on screen are turned into text, so a list that has paged through 10,000
leads costs the same to draw as one with 25, and the widget itself holds no rows: it reads
them from the ``LeadPages`` it is given. Rows whose page is not in memory draw as
"loading…" until the screen fetches it again.

Which columns are shown, and how wide, follows the widget's width and the rows in memory
(``lead_columns.layout``). Every cell is lead data from the server: it is sanitised (controls
and bidi characters made visible) and drawn as a plain segment, never parsed as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sendkit_tui.domain.lead_pages import LeadPages
from sendkit_tui.ui.widgets.lead_columns import (
    MARK,
    NAMES,
    Layout,
    content_widths,
    fit,
    layout,
)

if TYPE_CHECKING:
    from rich.style import Style

    from sendkit_tui.api import LeadRow

LOADING = "loading…"


def _padded(texts: list[str]) -> list[str]:
    return [f" {text} " for text in texts]


class LeadList(ScrollView, can_focus=True):
    """A header line, then one line per row of ``pages``; a row cursor; enter opens."""

    HELP_GROUP = "Leads list"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so they act in the order typed (see ui/keys.py). enter (open), space
        # (mark) and d (delete) are the screen's.
        Binding("up", "cursor(-1)", "Up", show=False, priority=True),
        Binding("down", "cursor(1)", "Down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True),
        Binding("home", "jump(0)", "First", show=False, priority=True),
        Binding("end", "jump(-1)", "Last", show=False, priority=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lead-list--header",
        "lead-list--cursor",
        "lead-list--cursor-blurred",
        "lead-list--even-row",
        "lead-list--loading",
    }

    class Viewed(Message):
        """The cursor moved or the view scrolled (``LeadList.view()`` says where to)."""

        def __init__(self, lead_list: LeadList) -> None:
            super().__init__()
            self.lead_list = lead_list

        @property
        def control(self) -> LeadList:
            return self.lead_list

    class Highlighted(Message):
        """The cursor is on another row, or its row was replaced (a save, a page loaded)."""

        def __init__(self, lead_list: LeadList, row: LeadRow | None) -> None:
            super().__init__()
            self.lead_list, self.row = lead_list, row

        @property
        def control(self) -> LeadList:
            return self.lead_list

    class Opened(Message):
        """Enter (or a click on the cursor row) on a loaded row."""

        def __init__(self, lead_list: LeadList, row: LeadRow) -> None:
            super().__init__()
            self.lead_list, self.row = lead_list, row

        @property
        def control(self) -> LeadList:
            return self.lead_list

    def __init__(self, pages: LeadPages, marked: set[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pages = pages
        self.marked = marked
        self.cursor_row = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(256)
        self._content: dict[str, int] = {}  # the widest text of each column, rows in memory
        self.columns: Layout = layout(0, {})
        self._laid_out_for = 0  # the width the columns were fitted to
        self._highlighted: LeadRow | None = None

    # -- what tests and the screen ask ---------------------------------------------------

    @property
    def row_count(self) -> int:
        return self.pages.row_count

    def get_row_index(self, lead_id: str) -> int:
        index = self.pages.index_of(lead_id)
        if index is None:
            raise KeyError(lead_id)
        return index

    def get_row(self, lead_id: str) -> list[str]:
        """A loaded lead's cells as drawn (no padding), every column in ``NAMES`` order; a
        column the width leaves out is ``""``."""
        row = self.pages.find(lead_id)
        if row is None:
            raise KeyError(lead_id)
        drawn = dict(zip(self.widths, self.columns.cells(row, row.id in self.marked), strict=True))
        return [drawn.get(name, "") for name in NAMES]

    @property
    def widths(self) -> dict[str, int]:
        """The shown columns and their widths, in drawing order."""
        return self.columns.widths

    def view(self) -> tuple[int, int, int]:
        """``(cursor, first, last)``: the cursor's row and the rows on screen."""
        first = round(self.scroll_y)
        return self.cursor_row, first, first + self.visible_rows - 1

    def current(self) -> LeadRow | None:
        return self.pages.row(self.cursor_row)

    @property
    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- changes -------------------------------------------------------------------------

    def rows_changed(self) -> None:
        """The pages changed (loaded, let go, inserted, deleted): resize and redraw."""
        self._content = content_widths(self.pages.rows())
        self._relayout()
        self.virtual_size = Size(self.columns.total, self.row_count + 1)
        self.cursor_row = max(0, min(self.cursor_row, self.row_count - 1))
        self.refresh()
        self._check_highlight()

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))
        if scroll:
            self._scroll_to_cursor()
        self.refresh()
        self._viewed()
        self._check_highlight()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        self.refresh()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._viewed()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()  # (or fitted already, by the frame drawn at the new size)
        size = Size(self.columns.total, self.row_count + 1)
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh()
        self._viewed()

    def _relayout(self) -> bool:
        """Fit the columns to the width and the content; whether they changed."""
        # The vertical scrollbar's room is kept whether or not it shows, so its coming and
        # going never pushes the last column under it or adds a horizontal scrollbar.
        width = self._width()
        self._laid_out_for = width
        new = layout(width, self._content)
        if new == self.columns:
            return False
        self.columns = new
        self._cache.clear()
        return True

    def _width(self) -> int:
        return self.content_region.width - self.styles.scrollbar_size_vertical

    def _viewed(self) -> None:
        self.post_message(self.Viewed(self))

    def _check_highlight(self) -> None:
        row = self.current()
        if row is not self._highlighted:
            self._highlighted = row
            self.post_message(self.Highlighted(self, row))

    def _scroll_to_cursor(self) -> None:
        top, height = round(self.scroll_y), self.visible_rows
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    # -- keys and mouse ------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step * self.visible_rows)

    def action_jump(self, where: int) -> None:
        self.move_cursor(row=where if where >= 0 else self.row_count - 1)

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index >= self.row_count:
            return
        if index == self.cursor_row or event.chain > 1:
            self.move_cursor(row=index)
            self.action_open()
        else:
            self.move_cursor(row=index)

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if y == 0 and self._width() != self._laid_out_for:
            # Sized since the columns were fitted (the first page arrives before the first
            # layout): fitted now, so the first frame has the rows, not one frame later. A
            # new size draws the whole list, header first, so line 0 is where to look.
            self._relayout()
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            key: tuple = ("header",)
            strip = self._cache.get(key)
            if strip is None:
                style = self.get_component_rich_style("lead-list--header")
                strip = self._strip(_padded(self.columns.header()), style)
                self._cache.set(key, strip)
        else:
            strip = self._row_line(scroll_y + y - 1)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _row_line(self, index: int) -> Strip:
        if index >= self.row_count:
            return Strip.blank(self.columns.total, self.rich_style)
        row = self.pages.row(index)
        cursor = index == self.cursor_row
        marked = row is not None and row.id in self.marked
        key = (row, cursor, marked, index % 2, self.has_focus)
        strip = self._cache.get(key) if row is not None else None
        if strip is not None:
            return strip
        if cursor:
            name = "lead-list--cursor" if self.has_focus else "lead-list--cursor-blurred"
        elif row is None:
            name = "lead-list--loading"
        else:
            name = "lead-list--even-row" if index % 2 == 0 else ""
        style = self.get_component_rich_style(name) if name else self.rich_style
        if row is None:
            rest = self.columns.total - MARK.minimum - 4
            texts = _padded([fit("", MARK.minimum), fit(LOADING, rest)])
        else:
            texts = _padded(self.columns.cells(row, marked))
        strip = self._strip(texts, style)
        if row is not None:
            self._cache.set(key, strip)
        return strip

    def _strip(self, texts: list[str], style: Style) -> Strip:
        """One segment per cell (as a terminal draws it; screenshots keep the columns)."""
        segments = [Segment(text, style) for text in texts]
        total = self.columns.total
        return Strip(segments, sum(map(cell_len, texts))).extend_cell_length(total, style)
