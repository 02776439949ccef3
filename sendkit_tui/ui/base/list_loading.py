"""The leads list's pages: asked for, drawn, retried; plus export and import of the list.

Mixed into ``LeadsScreen`` (ui/screens/leads.py), which owns the widgets, the filters and
the cursor; ``LeadPages`` (domain/lead_pages.py) holds the pages in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import Input

from sendkit_tui.domain.lead_pages import PAGE_SIZE, LeadPages
from sendkit_tui.ui.keys import focused_caught_up
from sendkit_tui.ui.requests import FirstPageShown

if TYPE_CHECKING:
    from sendkit_tui.api import RowPage
    from sendkit_tui.api.first_page import FirstPage


class ListLoading:
    """Needs the screen's ``pages``, ``table``, ``status``, ``filters``, ``marked``, ``app``."""

    pages: LeadPages
    shown_filters: dict | None
    marked: set[str]
    email_verified: bool | None
    generation: int
    stalled: bool
    table: Any
    status: Any
    app: Any
    total: Any
    post_message: Any
    query_one: Any
    notify: Any
    _keep_near_view: Any
    _want: Any

    # -- loading ---------------------------------------------------------------

    _fetching = False
    _idle: asyncio.Event | None = None  # set while no page is on its way

    @property
    def fetching(self) -> bool:
        """A page is on its way (not ``Widget.loading``: that covers the screen)."""
        return self._fetching

    @fetching.setter
    def fetching(self, value: bool) -> None:
        self._fetching = value
        if self._idle is None:
            self._idle = asyncio.Event()
        if value:
            self._idle.clear()
        else:
            self._idle.set()

    async def rows_soon(self, timeout: float) -> None:
        """Wait, ``timeout`` seconds at most, for the page on its way (if any) to be in."""
        if self.fetching and self._idle is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout)

    def filters(self) -> dict:
        search = self.query_one("#search", Input).value.strip()
        raw_tags = self.query_one("#tag-filter", Input).value
        tags = [t.strip() for t in raw_tags.split(",") if t.strip()]
        return {
            "search": search or None,
            "tags": tags or None,
            "email_verified": self.email_verified,
        }

    def reload(self) -> None:
        self.shown_filters = self.filters()
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

    def start_from_now(self, first_page: FirstPage) -> bool:
        """The page asked for during start-up, already answered: drawn now, before the
        screen's first frame (a worker would only draw it some frames later)."""
        try:
            result = first_page.rows()
        except Exception:  # a head start only: the worker path asks the client
            return False
        if result is None:
            return False
        self._arrived(0, {}, result)
        return True

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
        from sendkit_tui.domain.wording import explain

        client = await self.app.client_soon()  # (during start-up: the thread's, awaited)
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
            self.post_message(FirstPageShown())
        self._want()

    def _count_text(self) -> str:
        shown = self.pages.row_count
        if not shown and self.pages.unreadable:
            return f"No leads to show{_unreadable(self.pages.unreadable)}"
        if not shown:
            filtered = any(value is not None for value in self.filters().values())
            return "No leads match." if filtered else "No leads yet: press n."
        total = max(self.pages.total or 0, shown)
        more = " (scroll for more)" if self.pages.has_more else ""
        marked = f" · {len(self.marked)} marked (d deletes)" if self.marked else ""
        only = {True: " · verified emails only", False: " · unverified emails only", None: ""}[
            self.email_verified
        ]
        unreadable = _unreadable(self.pages.unreadable)
        return f"{shown:,} of {total:,} leads{only}{more}{marked}{unreadable}"

    # -- import / export -------------------------------------------------------

    async def action_import_csv(self) -> None:
        await focused_caught_up(self.app)
        await self.app.open_import()

    def action_export(self) -> None:
        from datetime import datetime
        from pathlib import Path

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self._export(Path.cwd() / f"sendkit-leads-{stamp}.csv")

    @work(group="export", exclusive=True, exit_on_error=False)
    async def _export(self, path) -> None:
        from sendkit_tui.bulk.export import export_leads
        from sendkit_tui.domain.wording import explain

        def progress(done: int, total: int | None) -> None:
            of = f" / {total:,}" if total else ""
            self.status.say(f"Exporting {done:,}{of} leads to {path.name}…", busy=True)

        progress(0, self.total)
        try:
            count = await export_leads(
                self.app.require_client(), path, progress=progress, **self.filters()
            )
        except Exception as error:
            self.status.say(f"Export stopped: {explain(error)} Nothing was written.")
            return
        self.status.say(f"Exported {count:,} leads to {path}")
        self.notify(f"Exported {count:,} leads to {path}", title="Export", markup=False)


def _unreadable(count: int) -> str:
    """ " · 2 leads could not be read" (sent without an id or email), or nothing."""
    if not count:
        return ""
    return f" · {count:,} lead{'s' if count != 1 else ''} could not be read"
