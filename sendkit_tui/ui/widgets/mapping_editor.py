"""The import's column mapping, edited from the keyboard: one row per CSV column.

Each row shows the column's header, a few of its values (file data, drawn with ``ui/safe.py``),
where it goes (a lead field, a custom field, or skipped) and why (the file's layout, a noise
column, a change you made, a clash).

- up/down move between columns; enter opens the picker under the table: every lead field,
  "custom field…" and "skip". Typing narrows the list (text that names no field offers itself
  as a custom-field name), up/down choose, enter picks, escape cancels.
- "custom field…" asks for the name, the column's header already typed; enter keeps it.
- delete skips a column, or brings a skipped one back (a noise column comes back kept).
- Two columns on a field that takes one value are marked on both rows and said below the
  table; ``problem`` is not None until that (or a missing email column) is resolved.

The enter, arrow and escape keys are priority bindings that first wait for the focused box to
take the keys typed before them, so "⏎city⏎" typed fast picks City (see ui/keys.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk.headers_known import LAYOUT_TARGETS, custom_name, norm
from sendkit_tui.ui.keys import caught_up
from sendkit_tui.ui.safe import safe, safe_cell
from sendkit_tui.ui.widgets.target_picker import ASK_NAME, TargetPicker

SKIP, NOISE, CUSTOM = bulk_mapping.SKIP, bulk_mapping.NOISE, bulk_mapping.CUSTOM_PREFIX


def fill_table(table: DataTable, columns: list[tuple[str, int]], rows: list[list[Text]]) -> None:
    """Draw ``rows`` under ``columns`` (label, width). Columns are rebuilt only when they
    changed, and rows of the same number are updated in place: a cleared table is measured
    again on its next idle, so a frame drawn meanwhile could show it empty. The height is set
    here (header and rows): ``height: auto`` reads a size measured on that idle, after the
    layout that used it, and could keep the table 0 lines high."""
    table.styles.height = len(rows) + 1
    current = [(str(column.label), column.width) for column in table.columns.values()]
    if current == columns and table.row_count == len(rows):
        for y, cells in enumerate(rows):
            for x, cell in enumerate(cells):
                table.update_cell_at(Coordinate(y, x), cell)
        return
    if current != columns:
        table.clear(columns=True)
        for label, width in columns:
            table.add_column(label, width=width)
    else:
        table.clear()
    for cells in rows:
        table.add_row(*cells)


class MapTable(DataTable):
    """The columns; arrows are priority bindings so they keep their place among enters."""

    HELP_GROUP = "Import mapping"
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, priority=True),
        Binding("down", "cursor_down", "Down", show=False, priority=True),
        Binding("home", "scroll_top", "First", show=False, priority=True),
        Binding("end", "scroll_bottom", "Last", show=False, priority=True),
    ]


class MappingEditor(Vertical):
    HELP_GROUP = "Import mapping"
    DEFAULT_CSS = """
    MappingEditor { height: auto; margin-bottom: 1; }
    MappingEditor #map-layout { height: auto; }
    MappingEditor #map-table { height: auto; max-height: 14; }
    MappingEditor #map-problem { height: auto; color: $error; }
    MappingEditor #map-problem.-none { display: none; }
    """
    BINDINGS = [
        Binding("enter", "enter", "Change target", id="mapping.pick", priority=True),
        Binding("delete", "toggle_skip", "Skip / keep", id="mapping.skip", priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", id="mapping.cancel", priority=True),
    ]

    class Changed(Message):
        """The mapping changed (a target picked, skipped or kept)."""

        def __init__(self, editor: MappingEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> MappingEditor:
            return self.editor

    def __init__(self, *, id: str | None = "mapping-editor") -> None:
        super().__init__(id=id)
        self.headers: list[str] = []
        self.guess = bulk_mapping.Guess(mapping={})
        self.mapping: dict[int, str] = {}
        self._samples: list[list[str]] = []
        self.column = 0  # the column whose target is being changed
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="map-layout", markup=False)
        yield MapTable(id="map-table", cursor_type="row", zebra_stripes=True)
        yield TargetPicker()
        yield Static("", id="map-problem", markup=False, classes="-none")

    # -- parts and state --------------------------------------------------------------------

    @property
    def table(self) -> MapTable:
        return self.query_one(MapTable)

    @property
    def picker(self) -> TargetPicker:
        return self.query_one(TargetPicker)

    @property
    def mode(self) -> str | None:
        """None, or the picker's: ``"pick"`` or ``"name"``."""
        return self.picker.mode

    @property
    def filter(self) -> Input:
        return self.picker.filter

    @property
    def name_box(self) -> Input:
        return self.picker.name_box

    def load(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A new file: guess its mapping and draw it."""
        self.headers = list(headers)
        self.guess = bulk_mapping.guess(self.headers)
        self.mapping = dict(self.guess.mapping)
        self._samples = [bulk_mapping.samples(rows, i) for i in range(len(self.headers))]
        self._close()
        layout = self.guess.layout
        noise = len(self.guess.noise)
        lines = [f"Looks like a {layout} export: columns mapped for it." if layout else ""]
        if noise:
            lines.append(
                f"{noise} noise column{'s' if noise != 1 else ''} (ids, owners, dates) skipped "
                "unless kept (delete keeps one)."
            )
        said = " ".join(x for x in lines if x)
        box = self.query_one("#map-layout", Static)
        box.update(safe(said))
        box.display = bool(said)
        self.table.move_cursor(row=0, scroll=False)
        self.redraw()

    def set_target(self, column: int, target: str) -> None:
        self.mapping[column] = target
        self.redraw()
        self.post_message(self.Changed(self))

    def problem(self) -> str | None:
        """Why the import cannot start yet, or None."""
        if not self.headers:
            return None
        for target, columns in bulk_mapping.clashes(self.mapping).items():
            names = " and ".join(repr(self.headers[i].strip()) for i in columns)
            return (
                f"{names} both go to {bulk_mapping.describe_target(target)}, which takes one "
                "value: pick another target for one of them (enter) or skip it (delete)."
            )
        if "email" not in self.mapping.values():
            return "No column goes to Email: enter on the email column and pick Email."
        return None

    # -- drawing ----------------------------------------------------------------------------

    def _widths(self) -> tuple[int, int, int, int]:
        width = max(60, (self.size.width or self.app.size.width) - 6)
        header, target = min(28, width // 6), min(30, width // 4 - 1)
        rest = width - header - target - 8
        return header, max(10, rest // 3), target, max(12, rest - rest // 3)

    def redraw(self) -> None:
        table = self.table
        cursor = table.cursor_row
        widths = h_w, s_w, t_w, n_w = self._widths()
        rows = []
        clashing = {i: cols for cols in bulk_mapping.clashes(self.mapping).values() for i in cols}
        for index, header in enumerate(self.headers):
            target = self.mapping.get(index, SKIP)
            goes = safe_cell(self._target_text(target), t_w)
            others = [self.headers[i].strip() for i in clashing.get(index, []) if i != index]
            why = safe_cell(self._why(index, target, others), n_w)
            if index in clashing:
                why.stylize("bold red")
                goes.stylize("bold red")
            elif target in (SKIP, NOISE):
                goes.stylize("dim")
            values = safe_cell(" · ".join(self._samples[index]) or "(empty)", s_w)
            values.stylize("italic")
            rows.append([safe_cell(header, h_w), values, goes, why])
        labels = ("Column", "Values", "Goes to", "Why")
        fill_table(table, list(zip(labels, widths, strict=True)), rows)
        if self.headers:
            table.move_cursor(row=min(cursor, len(self.headers) - 1), scroll=False)
        problem = self.problem()
        box = self.query_one("#map-problem", Static)
        box.update(safe(problem or ""))
        box.set_class(problem is None, "-none")

    @staticmethod
    def _target_text(target: str) -> str:
        if target == NOISE:
            return "(skipped: noise)"
        return bulk_mapping.describe_target(target)

    def _why(self, index: int, target: str, clash: list[str]) -> str:
        guessed = self.guess.mapping.get(index, SKIP)
        if clash:
            names = ", ".join(repr(name) for name in clash)
            return f"clash: {names} goes there too; change one"
        if guessed == NOISE:
            reason = self.guess.notes.get(index, "not lead data")
            return f"noise ({reason})" if target == NOISE else f"kept noise ({reason})"
        if target != guessed:
            return f"changed by you (was {self._target_text(guessed)})"
        note = self.guess.notes.get(index)
        special = LAYOUT_TARGETS.get(self.guess.layout or "", {})
        how = "layout" if norm(self.headers[index]) in special else "auto"
        return f"{how}: {note}" if note else how

    def on_resize(self) -> None:
        self.table.styles.max_height = max(6, self.app.size.height - 22)
        if self.size.width != self._width and self.headers:
            self._width = self.size.width
            self.redraw()

    # -- the picker -------------------------------------------------------------------------

    def _open(self) -> None:
        self.column = self.table.cursor_row
        self.picker.open(self.headers[self.column] if self.column < len(self.headers) else "")

    def _close(self) -> None:
        self.picker.close()
        if self.is_mounted:
            self.screen.set_focus(self.table, scroll_visible=False)  # the picker restores it

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.screen.focused
        if action == "enter":
            return focused in (self.table, self.filter, self.name_box) and bool(self.headers)
        if action == "toggle_skip":
            return focused is self.table and bool(self.headers)
        if action == "move":
            return self.mode == "pick" and focused is self.filter
        if action == "cancel":
            return self.mode is not None
        return True

    async def action_enter(self) -> None:
        focused = self.screen.focused
        await caught_up(focused)
        if self.mode is None:
            self._open()
        elif self.mode == "pick":
            target = self.picker.chosen()
            if target is None:
                return
            if target == ASK_NAME:
                self.picker.ask_name(self.mapping.get(self.column, SKIP))
                return
            if target.startswith(CUSTOM) and not self.picker.custom_ok(target[len(CUSTOM) :]):
                return
            self._close()
            self.set_target(self.column, target)
        elif self.mode == "name":
            name = self.name_box.value
            if self.picker.custom_ok(name):
                self._close()
                self.set_target(self.column, CUSTOM + name.strip())

    async def action_move(self, step: int) -> None:
        await caught_up(self.filter)
        self.picker.move(step)

    async def action_cancel(self) -> None:
        await caught_up(self.screen.focused)
        self._close()

    async def action_toggle_skip(self) -> None:
        await caught_up(self.table)
        column = self.table.cursor_row
        if not 0 <= column < len(self.headers):
            return
        current, guessed = self.mapping.get(column, SKIP), self.guess.mapping.get(column, SKIP)
        if current not in (SKIP, NOISE):
            target = NOISE if guessed == NOISE else SKIP
        elif guessed in (SKIP, NOISE):
            target = CUSTOM + custom_name(self.headers[column])  # kept
        else:
            target = guessed
        self.set_target(column, target)
