"""The leads list's search and tag filter boxes, and saved views put into them.

Mixed into ``LeadsScreen``: ``/`` and ``t`` focus the boxes, enter in one searches at once
and goes back to the rows (typing searches after a pause: ``LeadsScreen._filter_changed``),
and a saved view fills both boxes and loads the list it matches, with one reload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from sendkit_tui.ui.keys import focused_caught_up

if TYPE_CHECKING:
    from sendkit_tui.storage.views import SavedView


class ListFilters:
    """Needs the list screen's ``table``, ``reload``, ``filters`` and its debounce timer."""

    app: Any
    table: Any
    focused: Any
    email_verified: bool | None
    _debounce: Any
    shown_filters: dict | None
    filters: Any
    reload: Any
    set_focus: Any
    query_one: Any
    prevent: Any

    def current_view(self) -> SavedView:
        """The filters in force, as a view to save."""
        from sendkit_tui.storage.views import SavedView

        filters = self.filters()
        return SavedView(filters["search"], filters["tags"] or [], filters["email_verified"])

    def apply_view(self, view: SavedView) -> None:
        """Put a saved view's filters in the boxes and load the list they match."""
        if self._debounce is not None:
            self._debounce.stop()
        self._show_filters(view)
        self.reload()
        self.set_focus(self.table)

    def _show_filters(self, view: SavedView) -> None:
        with self.prevent(Input.Changed):  # one reload, not one more per box after a pause
            self.query_one("#search", Input).value = view.search or ""
            self.query_one("#tag-filter", Input).value = ", ".join(view.tags)
        self.email_verified = view.email_verified

    def _filter_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.set_focus(self.table)

    async def action_focus_search(self) -> None:
        await focused_caught_up(self.app)
        self.set_focus(self.query_one("#search", Input))

    async def action_focus_tags(self) -> None:
        await focused_caught_up(self.app)
        self.set_focus(self.query_one("#tag-filter", Input))

    async def action_back_to_list(self) -> None:
        await focused_caught_up(self.app)
        if self.filters() != self.shown_filters:  # typed, not searched yet: search now
            self._filter_submitted()
        else:
            self.set_focus(self.table)

    def _in_filter(self) -> bool:
        focused = self.focused
        return focused is not None and focused.id in ("search", "tag-filter")
