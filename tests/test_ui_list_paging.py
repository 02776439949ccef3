"""The leads list pages through a big workspace with only the pages near the view in memory."""

from __future__ import annotations

from sendkit_tui.api import RowPage
from sendkit_tui.domain.lead_pages import KEEP_PAGES, PAGE_SIZE
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.ui_support import open_app, requests_to, server_leads, settle

LEADS = 900


async def page_to_the_end(pilot, screen: LeadsScreen) -> None:
    while screen.pages.has_more or screen.table.cursor_row < screen.pages.row_count - 1:
        await pilot.press("end")
        await settle(pilot)


async def test_paging_to_the_end_keeps_a_bounded_window(sandbox, tmp_path):
    sandbox.reset(LEADS)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        assert screen.pages.row_count == PAGE_SIZE and screen.total == LEADS
        await page_to_the_end(pilot, screen)
        assert screen.pages.row_count == LEADS and not screen.pages.has_more
        assert screen.pages.kept_rows <= (2 * KEEP_PAGES + 2) * PAGE_SIZE  # + the first page
        assert screen.pages.row(PAGE_SIZE) is None  # the second page was let go
        assert "900 of 900 leads" in str(screen.status.render())
        cursors = [r.query.get("cursor") for r in requests_to(sandbox, "GET")]
        assert len(cursors) == len(set(cursors)) == LEADS // PAGE_SIZE  # each page once


async def test_scrolling_back_fetches_a_page_again_with_its_own_cursor(sandbox, tmp_path):
    sandbox.reset(LEADS)
    newest = server_leads(sandbox, limit=PAGE_SIZE)
    newest += server_leads(sandbox, limit=3, cursor=newest[-1]["_id"])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen, table = app.screen, app.screen.table
        await pilot.press("end", "end")  # into page 1
        await settle(pilot)
        table.move_cursor(row=PAGE_SIZE)
        marked = table.current()
        await pilot.press("space")  # mark the first lead of page 1, then travel far away
        await page_to_the_end(pilot, screen)
        assert screen.pages.find(marked.id) is None and screen.marked == {marked.id}
        sandbox.clear_requests()
        table.move_cursor(row=PAGE_SIZE)
        await settle(pilot)
        (again,) = requests_to(sandbox, "GET")
        assert again.query["cursor"] == newest[PAGE_SIZE - 1]["_id"]  # after page 0, as before
        rows = [row.email for row in screen.rows[PAGE_SIZE : PAGE_SIZE + 3]]
        assert rows == [lead["email"] for lead in newest[PAGE_SIZE:]]
        assert table.get_row(marked.id)[0] == "●"  # still marked
        assert table.current() is not None and table.current().id == marked.id
        assert screen.rows[0].email == newest[0]["email"]  # the first page was never let go


async def test_enter_opens_the_lead_under_the_cursor_after_paging(sandbox, tmp_path):
    sandbox.reset(LEADS)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        await pilot.press("end")
        await settle(pilot)
        target = screen.table.current()
        assert target is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditLeadScreen) and app.screen.lead.id == target.id


async def test_a_view_far_from_the_cursor_fetches_each_missing_page_once(sandbox, tmp_path):
    """The mouse wheel moves the view and not the cursor: only the view's page is fetched."""
    sandbox.reset(LEADS)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        await page_to_the_end(pilot, screen)
        sandbox.clear_requests()
        screen.table.scroll_to(y=2 * PAGE_SIZE + 10, animate=False, immediate=True)
        await settle(pilot)
        await settle(pilot)
        gets = requests_to(sandbox, "GET")
        assert len(gets) == 1 and not screen.fetching  # page 2, once, and nothing in between
        assert screen.pages.row(2 * PAGE_SIZE + 10) is not None
        assert screen.table.cursor_row == LEADS - 1


async def test_the_cursor_stays_on_its_lead_when_a_page_above_comes_back_shorter(sandbox, tmp_path):
    sandbox.reset(LEADS)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        await page_to_the_end(pilot, screen)
        table, pages = screen.table, screen.pages
        table.move_cursor(row=3 * PAGE_SIZE + 5)  # page 3 ...
        table.scroll_to(y=3 * PAGE_SIZE - 20, animate=False, immediate=True)  # ... under page 2
        await settle(pilot)
        lead = table.current()
        assert lead is not None and pages.slots[2].rows is not None
        page_two = pages.slots[2]
        shorter = RowPage(page_two.rows[3:], total=LEADS - 3, has_more=True)
        screen._arrived(2, page_two.request, shorter)  # as if three were deleted elsewhere
        await settle(pilot)
        assert table.cursor_row == 3 * PAGE_SIZE + 2 and table.current() is lead


async def test_a_page_that_fails_waits_for_r_and_keeps_the_place(sandbox, tmp_path):
    sandbox.reset(LEADS)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        await pilot.press("space")  # a mark, to see it kept
        sandbox.inject("status", status=500, count=10, method="GET")
        for _ in range(3):
            await pilot.press("end")
            await settle(pilot)
        assert screen.stalled and "Press r" in str(screen.status.render())
        failed = len(requests_to(sandbox, "GET"))
        await pilot.press("down", "up", "end")
        await settle(pilot)
        assert len(requests_to(sandbox, "GET")) == failed  # no retry on every move
        sandbox.clear_faults()
        await pilot.press("r")
        await settle(pilot)
        assert not screen.stalled and screen.pages.row_count == 2 * PAGE_SIZE
        assert len(screen.marked) == 1 and screen.table.cursor_row == PAGE_SIZE - 1
