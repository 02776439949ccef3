"""The workspace's leads: search, tag filter, and pages loaded as you scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from sendkit_tui.domain.lead_pages import PAGE_SIZE, LeadPages
from sendkit_tui.ui.base.fresh_styles import StyledOnce
from sendkit_tui.ui.base.lead_deletion import LeadDeletion
from sendkit_tui.ui.base.list_filters import ListFilters
from sendkit_tui.ui.base.list_footer import ListFooter
from sendkit_tui.ui.base.list_loading import ListLoading
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.keys import focused_caught_up
from sendkit_tui.ui.news import ConnectionChanged, LeadSaved
from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.lead_detail import DetailSplit, LeadDetail
from sendkit_tui.ui.widgets.lead_detail_rows import DetailRows
from sendkit_tui.ui.widgets.lead_list import LeadList
from sendkit_tui.ui.widgets.safe_input import SafeInput
from sendkit_tui.ui.widgets.status_line import StatusLine
from sendkit_tui.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from sendkit_tui.api import LeadRow
    from sendkit_tui.api.first_page import FirstPage
    from sendkit_tui.storage.views import SavedView

__all__ = ["PAGE_SIZE", "LeadsScreen"]

PREFETCH_ROWS = 20  # load the next page when the cursor or the view is this close to the end
SEARCH_DEBOUNCE = 0.3


ROWS_WAIT = 2.0
"""Seconds enter on an empty list waits for the page on its way before it gives up."""

PREPARE_AFTER = 0.3
"""Seconds the highlight rests on a lead before the edit form composed ahead draws it."""


class LeadsScreen(StyledOnce, ListFooter, ListFilters, ListLoading, LeadDeletion, Screen):
    HELP_GROUP = "Leads list"
    app = getters.app(AppContext)
    # Keys that open a screen or move focus are priority bindings, so the keys typed after
    # them reach the new screen or field (see ui/keys.py); as letters they act only when
    # no text box has focus (check_action).
    BINDINGS = [
        Binding("enter", "open_highlighted", "Open", id="leads.open", priority=True),
        Binding("space", "toggle_mark", "Mark", id="leads.mark", priority=True),
        Binding("d,delete", "delete", "Delete", id="leads.delete", priority=True),
        Binding("n", "new_lead", "New lead", id="leads.new", priority=True),
        Binding("slash", "focus_search", "Search", id="leads.search", priority=True),
        Binding("t", "focus_tags", "Tag filter", id="leads.tags", priority=True),
        Binding("r", "refresh", "Refresh", id="leads.refresh"),
        Binding("x", "export", "Export CSV", id="leads.export"),
        Binding("i", "import_csv", "Import CSV", id="leads.import", priority=True),
        Binding("b", "bulk_edit", "Bulk edit", id="leads.bulk_edit", priority=True),
        Binding("p", "toggle_details", "Details", id="leads.details", priority=True),
        Binding("l,right", "focus_details", "Focus details", False, id="leads.pane", priority=True),
        Binding("escape", "back_to_list", "List", show=False, priority=True),
    ]
    ON_THE_LIST = ("delete", "toggle_mark")
    LETTERS = (
        "new_lead",
        "focus_search",
        "focus_tags",
        "import_csv",
        "bulk_edit",
        "toggle_details",
    )

    def __init__(
        self, *, first_page: FirstPage | None = None, view: SavedView | None = None
    ) -> None:
        super().__init__(id="leads-screen")
        self.first_page = first_page  # asked for during start-up (see api/first_page.py)
        self.start_view = view  # from `sendkit-tui --view NAME`: its filters from the start
        self.email_verified: bool | None = None  # set by a saved view only
        self.pages = LeadPages()
        self.marked: set[str] = set()
        self.fetching = False  # see ListLoading.fetching
        self.stalled = False  # a page failed: wait for r rather than retry on every move
        self.generation = 0
        self._debounce: Timer | None = None
        self.shown_filters: dict | None = None  # the filters of the rows shown (see reload)
        self.rows_stale = False  # leads saved while a form was on top (see _lead_saved)
        self._prepare: Timer | None = None  # see prepare_highlighted

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="filters"):
            yield SafeInput(placeholder="/ search name, email, company", id="search", compact=True)
            yield SafeInput(placeholder="t tags, comma-separated", id="tag-filter", compact=True)
        with DetailSplit(id="list-area"):
            yield LeadList(self.pages, self.marked, id="leads-table")
            yield LeadDetail(id="lead-detail")
        yield StatusLine()
        yield KeyBar()

    @property
    def table(self) -> LeadList:
        return self.query_one(LeadList)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def rows(self) -> list[LeadRow]:
        """The rows in memory, in list order (the pages near the cursor)."""
        return self.pages.rows()

    @property
    def total(self) -> int | None:
        return self.pages.total

    def on_mount(self) -> None:
        # Called at once, not posted: a message handled by this screen while a form covers
        # it makes Textual redraw the whole form (a screen beneath is repainted through it).
        self.app.news.lead_saved.subscribe(self, self._lead_saved, immediate=True)
        self.app.news.connection_changed.subscribe(self, self._connection_changed)
        self.set_focus(self.table)  # now, not after the first frame (its rows drawn twice)
        if self.start_view is not None:
            self._show_filters(self.start_view)
        self.shown_filters = self.filters()
        first_page, self.first_page = self.first_page, None
        if first_page is not None:
            self.generation += 1
            self.fetching = True
            if first_page.answered and self.start_from_now(first_page):
                return  # the rows are in the first frame
            self.status.say("Loading leads…", busy=True)
            self._start_from(self.generation, first_page)
        elif self.app.client is not None:
            self.reload()
        else:
            self.status.say("Connecting…", busy=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # self.focused, not app.focused: the footer asks while a dialog is open on top.
        if action == "open_highlighted":  # on the list, or enter in a filter box
            return self.focused is self.table or self._in_filter()
        if action in self.ON_THE_LIST:
            return self.focused is self.table
        if action in self.LETTERS:
            return not isinstance(self.focused, Input)
        if action == "focus_details":
            return self.focused is self.table and self.query_one(LeadDetail).display
        if action == "back_to_list":
            return self.focused is not self.table
        return True

    def _connection_changed(self, news: ConnectionChanged) -> None:
        if self.is_mounted:
            self.reload()

    # -- paging as the view moves ------------------------------------------------

    def _view(self) -> tuple[int, int, int]:
        return self.table.view()

    def _keep_near_view(self) -> bool:
        """Let go of pages far from the cursor and the rows on screen (memory stays bounded)."""
        return self.pages.let_go(*self._view()) > 0

    def _want(self) -> None:
        """Fetch what the view needs next: a page on screen that was let go, or the next one."""
        if self.fetching or self.stalled or not self.is_mounted:
            return
        cursor, first, last = self._view()
        # The rows on screen and the cursor's row, not what lies between them: pages in
        # between are not kept, so asking for them would fetch them again and again.
        missing = self.pages.missing(first, last)
        if missing is None:
            missing = self.pages.missing(cursor, cursor)
        if missing is not None:
            self._fetch(missing)
        elif self.pages.row_count - max(cursor, last) <= PREFETCH_ROWS:
            self.load_more()

    @on(LeadList.Viewed, "#leads-table")
    def _viewed(self) -> None:
        if self._keep_near_view():
            self.table.rows_changed()
        self._want()

    # -- filters ---------------------------------------------------------------

    @on(Input.Changed, "#search, #tag-filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self.reload)

    # -- the detail pane (ui/widgets/lead_detail.py) -------------------------------------

    async def action_toggle_details(self) -> None:
        await focused_caught_up(self.app)
        detail = self.query_one(LeadDetail)
        if self.focused is not None and detail in self.focused.ancestors:
            self.set_focus(self.table)
        detail.toggle(self.table.current())

    async def action_focus_details(self) -> None:
        await focused_caught_up(self.app)
        self.set_focus(self.query_one(DetailRows))

    @on(LeadList.Highlighted, "#leads-table")
    def _highlighted(self) -> None:
        self.query_one(LeadDetail).follow(self.table.current())
        if self._prepare is not None:  # one timer, pushed back while the cursor moves
            self._prepare.reset()
        else:
            self._prepare = self.set_timer(PREPARE_AFTER, self.prepare_highlighted)

    def prepare_highlighted(self) -> None:
        """The edit form composed ahead draws the highlighted lead (see ``prepare_edit``)."""
        self._prepare = None
        row = self.table.current()
        if row is not None and self.is_active:
            self.app.prepare_edit(row)

    def action_refresh(self) -> None:
        if self.stalled:  # try the page that failed again, keeping the place and the marks
            self.stalled = False
            self._want()
        else:
            self.reload()

    # -- opening ---------------------------------------------------------------

    async def action_new_lead(self) -> None:
        await focused_caught_up(self.app)
        await self.app.open_new_lead()

    async def action_open_highlighted(self) -> None:
        if self._in_filter():  # enter in a filter box: search now, then back to the list
            await focused_caught_up(self.app)
            self._filter_submitted()
            return
        row = self.table.current()
        if row is None and self.fetching and not self.pages.row_count:
            # "/name⏎⏎" typed at once: the matches are on their way. The keys typed after
            # this enter wait with it (at most ``ROWS_WAIT``), then the first match opens.
            await self.rows_soon(ROWS_WAIT)
            row = self.table.current()
        if row is not None:
            await self._open_row(row)

    def action_delete(self) -> None:
        self.ask_to_delete()

    async def action_bulk_edit(self) -> None:
        from sendkit_tui.ui.base.bulk_edit_flow import start_bulk_edit

        await focused_caught_up(self.app)
        await start_bulk_edit(self)

    @on(LeadList.Opened, "#leads-table")
    async def _open(self, event: LeadList.Opened) -> None:
        await self._open_row(event.row)

    async def _open_row(self, row: LeadRow) -> None:
        from sendkit_tui.domain.wording import explain

        try:
            lead = row.to_lead()
        except ValueError as error:
            self.status.say(f"This lead cannot be opened: {explain(error)}")
            return
        await self.app.open_lead(lead)

    def _lead_saved(self, news: LeadSaved) -> None:
        """A create or edit elsewhere returned a lead: show it without a reload.

        An edited lead replaces its row if the row is in memory (otherwise its page brings
        the new copy when fetched again); a created one goes first, as the newest.
        """
        from sendkit_tui.api import LeadRow

        row = LeadRow.from_lead(news.lead)
        if not self.pages.replace(row) and news.created:
            self.pages.insert_first(row)
        if self.is_active or (self.is_current and self.app.screen.styles.background.a < 1):
            self.table.rows_changed()  # on show, or under a see-through dialog
            self.status.say(self._count_text())
        else:
            # Drawn when the list shows again. Textual repaints the screen on top over any
            # change in the screen beneath it (it might show through): the form would be
            # drawn whole, up to three times, after each save.
            self.rows_stale = True

    def on_screen_resume(self) -> None:
        if self.rows_stale:
            self.rows_stale = False
            self.table.rows_changed()
            self.status.say(self._count_text())
