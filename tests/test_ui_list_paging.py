"""The leads list pages through a big workspace with only the pages near the view in memory."""

from __future__ import annotations

from sendkit_tui.lead_pages import KEEP_PAGES, PAGE_SIZE
from sendkit_tui.screens.edit_lead import EditLeadScreen
from sendkit_tui.screens.leads import LeadsScreen
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
        assert screen.pages.kept_rows <= (2 * KEEP_PAGES + 1) * PAGE_SIZE
        assert screen.pages.row(0) is None  # the first page was let go
        assert "900 of 900 leads" in str(screen.status.render())
        cursors = [r.query.get("cursor") for r in requests_to(sandbox, "GET")]
        assert len(cursors) == len(set(cursors)) == LEADS // PAGE_SIZE  # each page once


async def test_scrolling_back_fetches_a_page_again_with_its_own_cursor(sandbox, tmp_path):
    sandbox.reset(LEADS)
    newest = server_leads(sandbox, limit=3)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        first = screen.rows[0]
        await pilot.press("space")  # mark the first lead, then travel far away from it
        await page_to_the_end(pilot, screen)
        assert screen.pages.find(first.id) is None and screen.marked == {first.id}
        sandbox.clear_requests()
        await pilot.press("home")
        await settle(pilot)
        (again,) = requests_to(sandbox, "GET")
        assert "cursor" not in again.query  # page 0 is asked for as it was the first time
        assert [row.email for row in screen.rows[:3]] == [lead["email"] for lead in newest]
        assert screen.table.get_row(first.id)[0] == "●"  # still marked
        assert screen.table.cursor_row == 0 and app.focused is screen.table


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
