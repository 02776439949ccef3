"""Bulk edit from the leads list, typed fast against the real sandbox."""

from __future__ import annotations

import pytest

from sendkit_tui.ui.dialogs.bulk_edit import BulkEditDialog
from sendkit_tui.ui.dialogs.bulk_progress import BulkProgressScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, server_leads, settle

pytestmark = pytest.mark.asyncio


def _tags_by_id(sandbox) -> dict[str, list[str]]:
    return {lead["_id"]: lead["tags"] for lead in server_leads(sandbox)}


async def test_mark_three_add_a_tag_then_undo_the_batch(sandbox, tmp_path):
    before = _tags_by_id(sandbox)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        listing = app.screen
        assert isinstance(listing, LeadsScreen)
        first_three = [row.id for row in listing.rows[:3]]
        sandbox.clear_requests()
        burst(app, "space", "space", "space", "b", "=bulk-vip", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkProgressScreen)
        report = app.screen.report
        assert report is not None and report.changed == 3 and not report.failures
        patches = requests_to(sandbox, "PATCH")
        assert sorted(r.path.rsplit("/", 1)[1] for r in patches) == sorted(first_three)
        for request in patches:
            lead_id = request.path.rsplit("/", 1)[1]
            assert request.body == {"tags": [*before[lead_id], "bulk-vip"]}

        burst(app, "u")
        await settle(pilot)
        assert app.screen.report.changed == 3
        assert _tags_by_id(sandbox) == before

        burst(app, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert not app.screen.marked


async def test_nothing_marked_asks_with_the_count_and_escape_backs_out(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        listing = app.screen
        total = listing.total
        burst(app, "b")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditDialog)
        assert f"all {total:,} leads" in app.screen.target
        burst(app, "=everyone", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditDialog) and app.screen.asking is not None
        question = str(app.screen.query_one("#bulk-question").render())
        assert f"all {total:,} leads" in question and "'everyone'" in question
        sandbox.clear_requests()
        burst(app, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert requests_to(sandbox, "PATCH") == []


async def test_escape_cancels_a_running_batch_and_reports_what_was_done(sandbox, tmp_path):
    total = len(server_leads(sandbox))
    sandbox.inject("slow", method="PATCH", delay=0.3, count=1000)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "b", "=slowtag", "enter", "y")
        for _ in range(200):
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, BulkProgressScreen) and screen.running and sandbox.requests:
                break
        burst(app, "escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BulkProgressScreen) and not screen.running
        report = screen.report
        assert report.cancelled
        tagged = sum("slowtag" in tags for tags in _tags_by_id(sandbox).values())
        assert tagged == report.changed
        assert report.changed + report.not_started == total
        assert report.not_started > 0


async def test_down_chooses_set_field_in_a_burst(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        listing = app.screen
        lead_id = listing.rows[0].id
        sandbox.clear_requests()
        burst(app, "space", "b", "down", "down", "=source=expo", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkProgressScreen)
        patches = requests_to(sandbox, "PATCH")
        assert [(r.path.rsplit("/", 1)[1], r.body) for r in patches] == [
            (lead_id, {"customFields": {"source": "expo"}})
        ]
