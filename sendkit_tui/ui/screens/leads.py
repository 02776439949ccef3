"""The workspace's leads: search, tag filter, and pages loaded as you scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input

from sendkit_tui.domain.lead_pages import PAGE_SIZE, LeadPages
from sendkit_tui.ui.screens.leads_delete import LeadDeletion
from sendkit_tui.ui.widgets.lead_list import WIDTH, LeadList
from sendkit_tui.ui.widgets.safe_input import SafeInput
from sendkit_tui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from sendkit_tui.api import Lead, LeadRow, RowPage
    from sendkit_tui.api.first_page import FirstPage

__all__ = ["PAGE_SIZE", "WIDTH", "LeadsScreen"]

PREFETCH_ROWS = 20  # load the next page when the cursor or the view is this close to the end
SEARCH_DEBOUNCE = 0.3


class LeadsScreen(LeadDeletion, Screen):
    BINDINGS = [
        Binding("n", "new_lead", "New lead", id="leads.new"),
        Binding("slash", "focus_search", "Search", id="leads.search"),
        Binding("t", "focus_tags", "Tag filter", id="leads.tags"),
        Binding("r", "refresh", "Refresh", id="leads.refresh"),
        Binding("x", "export", "Export CSV", id="leads.export"),
        Binding("i", "import_csv", "Import CSV", id="leads.import"),
        Binding("escape", "back_to_list", "List", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="leads-screen")
        self.pages = LeadPages()
        self.marked: set[str] = set()
        self.fetching = False  # a page is on its way (not Widget.loading: that covers the screen)
        self.stalled = False  # a page failed: wait for r rather than retry on every move
        self.generation = 0
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield SafeInput(placeholder="/ search name, email, company", id="search", compact=True)
            yield SafeInput(placeholder="t tags, comma-separated", id="tag-filter", compact=True)
        yield LeadList(self.pages, self.marked, id="leads-table")
        yield StatusLine()
        yield Footer()

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
        self.table.focus()
        first_page = self.app.take_first_page()
        if first_page is not None:
            self.generation += 1
            self.fetching = True
            self.status.say("Loading leads…", busy=True)
            self._start_from(self.generation, first_page)
        elif self.app.client is not None:
            self.reload()
        else:
            self.status.say("Connecting…", busy=True)

    def on_connection_changed(self, what: str) -> None:
        if self.is_mounted:
            self.reload()

    # -- loading ---------------------------------------------------------------

    def filters(self) -> dict:
        search = self.query_one("#search", Input).value.strip()
        raw_tags = self.query_one("#tag-filter", Input).value
        tags = [t.strip() for t in raw_tags.split(",") if t.strip()]
        return {"search": search or None, "tags": tags or None}

    def reload(self) -> None:
        self.generation += 1
        self.stalled = False
        self.pages.reset()
        self.marked.clear()
        self.table.rows_changed()
        self.status.say("Loading leads…", busy=True)
        self._fetch(0)

    def _fetch(self, page: int) -> None:
        """Ask for page ``page``: the next one, or one let go earlier (its own request)."""
        slots = self.pages.slots
        request = self.pages.next_request if page == len(slots) else slots[page].request
        if request is None:
            return
        self.fetching = True
        if self.pages.row_count:
            self.status.say(f"{self._count_text()} · loading more…", busy=True)
        self._load(self.generation, page, request)

    def load_more(self) -> None:
        if self.pages.has_more and not self.fetching:
            self._fetch(len(self.pages.slots))

    @work(group="leads-list", exclusive=True, exit_on_error=False)
    async def _start_from(self, generation: int, first_page: FirstPage) -> None:
        """Draw the page asked for during start-up; if that did not work, ask the client."""
        try:
            result = await first_page.page()
        except Exception:  # a head start only: the client asks again and explains
            result = None
        if generation != self.generation:
            return
        if result is None:
            self.fetching = False
            self.reload()  # through the client (app.client makes it now)
            return
        self._arrived(0, {}, result)

    @work(group="leads-list", exclusive=True, exit_on_error=False)
    async def _load(self, generation: int, page: int, request: dict[str, Any]) -> None:
        from sendkit_tui.api import AuthError
        from sendkit_tui.ui.wording import explain

        client = self.app.client
        if client is None:
            self.fetching = False
            return
        try:
            result = await client.list_lead_rows(limit=PAGE_SIZE, **request, **self.filters())
        except AuthError as error:
            self.fetching = False
            self.status.say(explain(error))
            self.app.handle_auth_error(error)
            return
        except Exception as error:
            self.fetching = False
            self.stalled = bool(self.pages.row_count)  # no automatic retry on every move
            self.status.say(f"{explain(error)} Press r to try again.")
            return
        if generation != self.generation:
            return  # the filters changed while this page was on its way
        self._arrived(page, request, result)

    def _arrived(self, page: int, request: dict[str, Any], result: RowPage) -> None:
        table, pages = self.table, self.pages
        refetched = page < len(pages.slots)
        before = pages.slots[page].count if refetched else 0
        pages.add(page, request, result)
        shift = pages.slots[page].count - before
        if refetched and shift and table.cursor_row >= pages.start_of(page + 1) - shift:
            # A page above the cursor came back longer or shorter (leads added or deleted
            # meanwhile): keep the cursor, and the view, on the same leads.
            table.scroll_to(y=table.scroll_y + shift, animate=False, immediate=True)
            table.move_cursor(row=table.cursor_row + shift, scroll=False)
        self.fetching = False
        self.status.say(self._count_text())
        self._keep_near_view()
        self.table.rows_changed()
        if page == 0:
            self.app.list_ready()
        self._want()

    def _count_text(self) -> str:
        shown = self.pages.row_count
        if not shown and self.pages.unreadable:
            return f"No leads to show{_unreadable(self.pages.unreadable)}"
        if not shown:
            return "No leads match." if any(self.filters().values()) else "No leads yet: press n."
        total = max(self.pages.total or 0, shown)
        more = " (scroll for more)" if self.pages.has_more else ""
        marked = f" · {len(self.marked)} marked (d deletes)" if self.marked else ""
        return f"{shown:,} of {total:,} leads{more}{marked}{_unreadable(self.pages.unreadable)}"

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

    @on(Input.Submitted, "#search, #tag-filter")
    def _filter_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_tags(self) -> None:
        self.query_one("#tag-filter", Input).focus()

    def action_back_to_list(self) -> None:
        self.table.focus()

    def action_refresh(self) -> None:
        if self.stalled:  # try the page that failed again, keeping the place and the marks
            self.stalled = False
            self._want()
        else:
            self.reload()

    # -- import / export -------------------------------------------------------

    def action_import_csv(self) -> None:
        from sendkit_tui.ui.screens.import_csv import ImportScreen

        self.app.push_screen(ImportScreen())

    def action_export(self) -> None:
        from datetime import datetime
        from pathlib import Path

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self._export(Path.cwd() / f"sendkit-leads-{stamp}.csv")

    @work(group="export", exclusive=True, exit_on_error=False)
    async def _export(self, path) -> None:
        from sendkit_tui.bulk.export import export_leads
        from sendkit_tui.ui.wording import explain

        def progress(done: int, total: int | None) -> None:
            of = f" / {total:,}" if total else ""
            self.status.say(f"Exporting {done:,}{of} leads to {path.name}…", busy=True)

        progress(0, self.total)
        try:
            count = await export_leads(self.app.client, path, progress=progress, **self.filters())
        except Exception as error:
            self.status.say(f"Export stopped: {explain(error)} Nothing was written.")
            return
        self.status.say(f"Exported {count:,} leads to {path}")
        self.notify(f"Exported {count:,} leads to {path}", title="Export", markup=False)

    # -- opening ---------------------------------------------------------------

    def action_new_lead(self) -> None:
        from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

        self.app.push_screen(CreateLeadScreen())

    @on(LeadList.Opened, "#leads-table")
    def _open(self, event: LeadList.Opened) -> None:
        from sendkit_tui.ui.wording import explain

        try:
            lead = event.row.to_lead()
        except ValueError as error:
            self.status.say(f"This lead cannot be opened: {explain(error)}")
            return
        self.open_lead(lead)

    def open_lead(self, lead: Lead) -> None:
        from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

        self.app.push_screen(EditLeadScreen(lead))

    def lead_saved(self, lead: Lead, *, created: bool) -> None:
        """A create or edit elsewhere returned ``lead``: show it without a reload.

        An edited lead replaces its row if the row is in memory (otherwise its page brings
        the new copy when fetched again); a created one goes first, as the newest.
        """
        from sendkit_tui.api import LeadRow

        self.app.remember_lead(lead)
        row = LeadRow.from_lead(lead)
        if not self.pages.replace(row) and created:
            self.pages.insert_first(row)
        self.table.rows_changed()
        self.status.say(self._count_text())


def _unreadable(count: int) -> str:
    """ " · 2 leads could not be read" (sent without an id or email), or nothing."""
    if not count:
        return ""
    return f" · {count:,} lead{'s' if count != 1 else ''} could not be read"
