"""The mapping editor's picker: where one CSV column goes, chosen from a filtered list.

A view with its state; the keys that drive it are the editor's (``mapping_editor.py``), which
catch up with the box first. ``mode`` is None (closed), ``"pick"`` (the filter box and the
list) or ``"name"`` (a custom field's name, the column's header already typed).
"""

from __future__ import annotations

from typing import cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.bulk.headers_known import custom_name
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput

ASK_NAME = "custom:?"  # the picker's "custom field…": a name is asked next
SKIP, CUSTOM = bulk_mapping.SKIP, bulk_mapping.CUSTOM_PREFIX


def choices(query: str, header: str) -> list[tuple[str, str]]:
    """The picker's ``(target, label)`` list for what was typed into its filter: the lead
    fields whose label or name holds it, "custom field…", "skip"; text that names none of
    these is offered as a custom field's name."""
    text = query.strip()
    q = text.casefold()
    out = [
        (target, label)
        for target, label in bulk_mapping.lead_fields()
        if q in label.casefold() or q in target.casefold()
    ]
    ask = not q or q in "custom field"
    if ask:
        out.append((ASK_NAME, f"custom field… (name it; default {custom_name(header)!r})"))
    if q and not ask and q not in "skip" and not any(label.casefold() == q for _t, label in out):
        out.append((CUSTOM + text, f"custom field {text!r}"))
    if q in "skip":
        out.append((SKIP, "skip (not imported)"))
    return out


class TargetPicker(Vertical):
    DEFAULT_CSS = """
    TargetPicker { height: auto; display: none; border: round $accent; padding: 0 1; }
    TargetPicker.-open { display: block; }
    TargetPicker #map-options { height: auto; max-height: 8; border: none; padding: 0; }
    TargetPicker .map-name { height: auto; display: none; }
    TargetPicker.-naming .map-name { display: block; }
    TargetPicker.-naming #map-options { display: none; }
    TargetPicker .map-name Label { width: auto; padding: 0 1 0 0; }
    TargetPicker .map-name SafeInput { width: 1fr; }
    TargetPicker #map-name-error { height: auto; color: $error; }
    TargetPicker #map-picker-title { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="map-picker")
        self.mode: str | None = None
        self.header = ""
        self._index = 0  # the highlighted choice …
        self._index_query = ""  # … for this filter text (a new text starts at the top)
        self._scroll_before: float | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="map-picker-title")
        yield SafeInput(
            placeholder="type to narrow: email, city, custom…", id="map-filter", compact=True
        )
        yield OptionList(id="map-options")
        with Horizontal(classes="map-name"):
            yield Label("Custom field name")
            yield SafeInput(id="map-name", select_on_focus=False, compact=True)
        yield Static("", id="map-name-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        for box in (self.filter, self.name_box):
            box.can_focus = False

    @property
    def filter(self) -> Input:
        return self.query_one("#map-filter", Input)

    @property
    def name_box(self) -> Input:
        return self.query_one("#map-name", Input)

    def choices(self) -> list[tuple[str, str]]:
        """The choices for the filter's text now (its Changed may not have arrived yet)."""
        query = self.filter.value
        if query != self._index_query:
            self._index_query, self._index = query, 0
        found = choices(query, self.header)
        self._index = max(0, min(self._index, len(found) - 1))
        return found

    def chosen(self) -> str | None:
        found = self.choices()
        return found[self._index][0] if found else None

    def move(self, step: int) -> None:
        self.choices()
        self._index += step
        self._draw()

    def _draw(self) -> None:
        found = self.choices()
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(safe(label, single_line=True)) for _t, label in found])
        if found:
            options.highlighted = self._index

    @on(Input.Changed, "#map-filter")
    def _filtered(self) -> None:
        if self.mode == "pick":
            self._draw()

    def open(self, header: str) -> None:
        """Show the list for the column ``header``; focus the filter box."""
        self.header, self.mode = header, "pick"
        box, _top = self._box()
        self._scroll_before = box.scroll_y if box is not None else None
        title = f"{header.strip()!r} goes to: type to narrow · ↑↓ · enter picks · esc cancels"
        self.query_one("#map-picker-title", Label).update(safe(title))
        self.filter.value = ""
        self._index_query, self._index = "", 0
        self.show_error("")
        self.filter.can_focus = True
        self.set_class(True, "-open")
        self._draw()
        self.screen.set_focus(self.filter, scroll_visible=False)  # on_resize scrolls

    def _box(self) -> tuple[ScrollableContainer | None, int]:
        """The scrolling box around the picker, and where the picker starts in its content."""
        top, node = 0, cast(Widget, self)
        for ancestor in self.ancestors:
            if not isinstance(ancestor, Widget):
                break  # the screen: no scrolling box above
            top += node.virtual_region.y
            if isinstance(ancestor, ScrollableContainer):
                return ancestor, top
            node = ancestor
        return None, 0

    def on_resize(self) -> None:
        """Shown or resized (the list narrowed, the name line): scrolled just far enough for
        the picker's last line, from the laid-out sizes (scrolling at ``open`` would use the
        sizes before the layout, and the result would depend on when that ran)."""
        box, top = self._box()
        if self.mode is None or box is None:
            return
        bottom = top + self.outer_size.height
        limit = box.scrollable_content_region.height
        box.scroll_to(y=max(0, bottom - limit), animate=False, immediate=True)

    def ask_name(self, current: str) -> None:
        """Ask for a custom field's name: the current one, else the header's."""
        self.mode = "name"
        default = current[len(CUSTOM) :] if current.startswith(CUSTOM) else None
        self.name_box.value = default or custom_name(self.header)
        self.name_box.cursor_position = len(self.name_box.value)
        self.name_box.can_focus = True
        self.set_class(True, "-naming")
        self.screen.set_focus(self.name_box, scroll_visible=False)

    def close(self) -> None:
        """Hidden; the box scrolled back to where it was when the picker opened."""
        self.mode = None
        box, _top = self._box()
        if box is not None and self._scroll_before is not None:
            box.scroll_to(y=self._scroll_before, animate=False, immediate=True)
        self._scroll_before = None
        self.set_class(False, "-open")
        self.set_class(False, "-naming")
        for box in (self.filter, self.name_box):
            box.can_focus = False

    def custom_ok(self, name: str) -> bool:
        """The name can be a custom field's; otherwise why not is shown."""
        try:
            bulk_mapping.custom_target(name)
        except ImportProblem as problem:
            self.show_error(str(problem))
            return False
        return True

    def show_error(self, text: str) -> None:
        box = self.query_one("#map-name-error", Static)
        box.update(safe(text))
        box.display = bool(text)
