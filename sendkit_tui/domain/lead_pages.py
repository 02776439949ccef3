"""The rows of the leads list, page by page, with only the pages near the cursor in memory.

A workspace can hold 100,000 leads; the list never holds them all. Pages are fetched as the
cursor gets near them and each one remembers the request that fetched it (the cursor after
the previous page, or its page number in the older pagination form), so a page that was let
go to keep memory bounded can be fetched again when the user scrolls back. A page not in
memory still counts its rows, so row numbers and the scrollbar stay put; those rows draw as
placeholders until it is back.

The first page is never let go: it is where leads created meanwhile appear, and it has no
cursor of its own to ask for "the same rows again".

No Textual here: the widget (``widgets/lead_list.py``) draws what this holds.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sendkit_tui.api import LeadRow, RowPage

PAGE_SIZE = 100
KEEP_PAGES = 2  # pages kept on each side of the cursor's page and of the view's pages


@dataclass(slots=True)
class Slot:
    """One page: the request that fetched it, its row count, and its rows while kept."""

    request: dict[str, Any]
    count: int = 0
    rows: list[LeadRow] | None = None
    unreadable: int = 0  # items the server sent that are not leads (no id or email)


@dataclass
class LeadPages:
    """Rows fetched in order (newest first); the list's cursor is a row number in them."""

    keep: int = KEEP_PAGES
    slots: list[Slot] = field(default_factory=list)
    total: int | None = None
    next_request: dict[str, Any] | None = field(default_factory=dict)  # None: no more pages
    _starts: list[int] = field(default_factory=lambda: [0])  # row number of each page, + end

    def _counted(self) -> None:
        """Row counts changed: recompute where each page starts (drawing reads it often)."""
        starts = [0]
        for slot in self.slots:
            starts.append(starts[-1] + slot.count)
        self._starts = starts

    # -- reading -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._starts[-1]

    def start_of(self, page: int) -> int:
        return self._starts[page]

    @property
    def has_more(self) -> bool:
        return self.next_request is not None

    @property
    def unreadable(self) -> int:
        """Items of the pages fetched so far that could not be read as leads (left out)."""
        return sum(slot.unreadable for slot in self.slots)

    @property
    def kept_rows(self) -> int:
        return sum(len(slot.rows) for slot in self.slots if slot.rows is not None)

    def locate(self, index: int) -> tuple[int, int] | None:
        """``(page, offset)`` of row ``index``, or None past the end."""
        if index < 0 or index >= self._starts[-1]:
            return None
        page = bisect_right(self._starts, index) - 1
        return page, index - self._starts[page]

    def row(self, index: int) -> LeadRow | None:
        """The row at ``index``; None if its page is not in memory (or past the end)."""
        where = self.locate(index)
        if where is None:
            return None
        rows = self.slots[where[0]].rows
        return None if rows is None else rows[where[1]]

    def rows(self) -> list[LeadRow]:
        """Every row in memory, in list order."""
        return [row for slot in self.slots if slot.rows is not None for row in slot.rows]

    def index_of(self, lead_id: str) -> int | None:
        start = 0
        for slot in self.slots:
            if slot.rows is not None:
                for offset, row in enumerate(slot.rows):
                    if row.id == lead_id:
                        return start + offset
            start += slot.count
        return None

    def find(self, lead_id: str) -> LeadRow | None:
        index = self.index_of(lead_id)
        return None if index is None else self.row(index)

    def missing(self, first: int, last: int) -> int | None:
        """The first page holding rows ``first..last`` that is not in memory."""
        start = 0
        for page, slot in enumerate(self.slots):
            end = start + slot.count
            if slot.rows is None and end > first and start <= last:
                return page
            start = end
        return None

    # -- changing ------------------------------------------------------------------------

    def reset(self) -> None:
        self.slots, self.total, self.next_request = [], None, {}
        self._counted()

    def add(self, page: int, request: dict[str, Any], result: RowPage) -> None:
        """Store ``result``, fetched with ``request``, as page ``page`` (new or refetched)."""
        if page == len(self.slots):
            self.slots.append(Slot(request))
        elif not 0 <= page < len(self.slots):
            raise IndexError(f"page {page} does not follow the {len(self.slots)} known")
        if page == len(self.slots) - 1:
            self.next_request = _next_request(result)
        others = {row.id for i, s in enumerate(self.slots) if i != page for row in s.rows or ()}
        rows = [row for row in result.rows if row.id not in others]
        slot = self.slots[page]
        slot.rows, slot.count = rows, len(rows)
        slot.unreadable = result.unreadable
        if result.total is not None:
            self.total = result.total
        self._counted()

    def let_go(self, *near: int) -> int:
        """Drop the rows of pages far from rows ``near`` (the cursor, the first and last row
        on screen); returns how many pages went."""
        last = self.row_count - 1
        centers = {where[0] for n in near if (where := self.locate(min(n, last)))}
        if not centers and self.slots:
            centers = {len(self.slots) - 1}
        gone = 0
        for page, slot in enumerate(self.slots):
            far = all(abs(page - c) > self.keep for c in centers)
            if page and slot.rows is not None and far:
                slot.rows = None
                gone += 1
        return gone

    def insert_first(self, row: LeadRow) -> None:
        """A lead created here: newest, so it goes first (page 0 grows by one row)."""
        if not self.slots or self.slots[0].rows is None:
            return  # the first page is on its way, and it brings the new lead
        first = self.slots[0]
        first.rows.insert(0, row)  # type: ignore[union-attr]
        first.count += 1
        if self.total is not None:
            self.total += 1
        self._counted()

    def replace(self, row: LeadRow) -> bool:
        """Put an edited copy in place of the row with the same id; False if not in memory."""
        for slot in self.slots:
            for offset, old in enumerate(slot.rows or ()):
                if old.id == row.id:
                    slot.rows[offset] = row  # type: ignore[index]
                    return True
        return False

    def remove(self, ids: set[str], deleted: int) -> None:
        """Leads deleted on the server: out of every page in memory, ``deleted`` off the total."""
        for slot in self.slots:
            if slot.rows is not None:
                slot.rows = [row for row in slot.rows if row.id not in ids]
                slot.count = len(slot.rows)
        if self.total is not None:
            self.total = max(0, self.total - deleted)
        self._counted()


def _next_request(result: RowPage) -> dict[str, Any] | None:
    if not result.has_more:
        return None
    if result.next_cursor is not None:
        return {"cursor": result.next_cursor}
    if result.page is not None:
        return {"page": result.page + 1}
    return None  # "more" without a way to ask for it: stop rather than loop
