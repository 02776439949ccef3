"""The leads list's columns: which are shown and how wide, from the width and the content.

Columns are served in priority order, email first: each gets what its longest value in memory
needs (up to a cap), while at least its minimum still fits; a column that does not fit is
dropped with every column after it, rather than every column squeezed. Space left over then
lets capped columns grow to their whole content, in the same order.

Every cell is lead data: sanitised (controls and bidi characters made visible) and fitted to
its width in terminal cells (wide characters counted, "…" where cut), never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size

from sendkit_tui.domain.text import sanitize

if TYPE_CHECKING:
    from sendkit_tui.api import LeadRow

PAD = 2  # one blank cell each side of a column


class Column(NamedTuple):
    name: str
    heading: str
    minimum: int
    cap: int  # what a column asks for first, at most


MARK = Column("mark", "", 1, 1)
# In priority order: the first to get space, the last to be dropped.
COLUMNS = (
    Column("email", "Email", 12, 40),
    Column("name", "Name", 8, 24),
    Column("company", "Company", 8, 20),
    Column("title", "Job title", 8, 20),
    Column("tags", "Tags", 6, 24),
    Column("created", "Created", 10, 10),
)
NAMES = ("mark", *(column.name for column in COLUMNS))  # the order cells are drawn in


class Layout(NamedTuple):
    """The shown columns in drawing order, with their widths (padding not included)."""

    columns: tuple[tuple[Column, int], ...]

    @property
    def widths(self) -> dict[str, int]:
        return {column.name: width for column, width in self.columns}

    @property
    def total(self) -> int:
        return sum(width + PAD for _column, width in self.columns)

    def header(self) -> list[str]:
        return [fit(column.heading, width) for column, width in self.columns]

    def cells(self, row: LeadRow, marked: bool) -> list[str]:
        texts = row_texts(row, marked)
        return [fit(texts[column.name], width) for column, width in self.columns]


def row_texts(row: LeadRow, marked: bool) -> dict[str, str]:
    """Each column's text for ``row``, sanitised and on one line (not yet fitted)."""
    values = {
        "email": row.email,
        "name": row.name,
        "company": row.company,
        "title": row.title,
        "tags": row.tags,
        "created": row.created,
    }
    texts = {name: sanitize(value, single_line=True) for name, value in values.items()}
    texts["mark"] = "●" if marked else ""
    return texts


def content_widths(rows: Iterable[LeadRow]) -> dict[str, int]:
    """The widest text of each column over ``rows`` (headings included)."""
    widest = {column.name: cell_len(column.heading) for column in COLUMNS}
    for row in rows:
        for name, text in row_texts(row, False).items():
            if name != "mark":
                widest[name] = max(widest[name], cell_len(text))
    return widest


def layout(available: int, content: dict[str, int]) -> Layout:
    """The columns shown in ``available`` cells, given each column's widest text."""
    left = available - (MARK.minimum + PAD)
    widths: dict[str, int] = {}
    for index, column in enumerate(COLUMNS):
        room = left - PAD
        if room < column.minimum and index > 0:  # email is always shown
            break
        want = max(column.minimum, min(content.get(column.name, 0), column.cap))
        widths[column.name] = max(column.minimum, min(want, room))
        left -= widths[column.name] + PAD
    for column in COLUMNS:  # left-over space: capped columns grow to their whole content
        if column.name in widths and left > 0:
            grow = min(left, max(0, content.get(column.name, 0) - widths[column.name]))
            widths[column.name] += grow
            left -= grow
    shown = [(MARK, MARK.minimum)]
    shown += [(column, widths[column.name]) for column in COLUMNS if column.name in widths]
    return Layout(tuple(shown))


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: wide characters counted, "…" where cut."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
