"""The edit screen sends only what changed: asserted on what the sandbox received."""

from __future__ import annotations

import pytest

from sendkit_tui.ui.dialogs.review import ReviewScreen
from sendkit_tui.ui.screens.edit_lead import PARTIAL_NOTE, EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.widgets.banner import Banner
from tests.ui_support import open_app, requests_to, settle

BASE = {
    "email": "edit.me@example.io",
    "firstName": "Edit",
    "lastName": "Me",
    "jobTitle": "Engineer",
    "tags": ["alpha"],
    "customFields": {"plan": "free", "seats": "3", "region": "eu"},
}


@pytest.fixture(params=[False, True], ids=["full-api", "docs-only"])
def docs_only(request, sandbox):
    sandbox.set_docs_only(request.param)
    return request.param


async def open_lead(sandbox, app, pilot, lead_id: str) -> EditLeadScreen:
    listing = app.screen
    assert isinstance(listing, LeadsScreen)
    row = listing.table.get_row_index(lead_id)
    listing.table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, EditLeadScreen)
    sandbox.clear_requests()
    return screen


def patches(sandbox):
    return [r.body for r in requests_to(sandbox, "PATCH")]


async def save(pilot):
    await pilot.press("ctrl+s")
    await settle(pilot)


def grid_row(screen, key):
    rows = screen.form.grid.model.rows()
    return next(i for i, row in enumerate(rows) if row[1] == key)


async def test_focus_starts_on_first_name_and_email_is_read_only(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        assert app.focused is screen.form.box("firstName").input
        assert screen.form.box("email").input.disabled
        assert screen.form.box("email").value == "edit.me@example.io"


async def test_one_custom_value_changed_sends_only_that_key(sandbox, tmp_path, docs_only):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        if docs_only:
            assert screen.form.grid.note == PARTIAL_NOTE
            screen.form.grid.key_input.value = "plan"
            screen.form.grid.value_input.value = "pro"
            assert screen.form.grid.commit()
        else:
            index = grid_row(screen, "plan")
            screen.form.grid.model.set_custom_value(index, "pro")
            screen.form.grid.refresh_view()
        await save(pilot)
        assert patches(sandbox) == [{"customFields": {"plan": "pro"}}]
        assert sandbox.get_lead(lead_id)["customFields"] == {
            "plan": "pro",
            "seats": "3",
            "region": "eu",
        }


async def test_deleting_a_key_sends_null_and_removes_it(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        table = screen.form.grid.table
        table.focus()
        table.move_cursor(row=grid_row(screen, "seats"))
        await pilot.press("delete")
        assert screen.form.grid.model.rows()[grid_row(screen, "seats")][0] == "-"
        await save(pilot)
        assert patches(sandbox) == [{"customFields": {"seats": None}}]
        assert "seats" not in sandbox.get_lead(lead_id)["customFields"]


async def test_renaming_a_key_sends_old_as_null_and_new_with_value(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        grid = screen.form.grid
        grid.table.focus()
        grid.table.move_cursor(row=grid_row(screen, "region"))
        await pilot.press("enter")
        assert grid.key_input.value == "region"
        grid.key_input.value = "territory"
        await pilot.press("enter")  # in the value input: apply
        await settle(pilot)
        assert grid.model.rows()[grid_row(screen, "territory")][0] == "~"
        await save(pilot)
        assert patches(sandbox) == [{"customFields": {"territory": "eu", "region": None}}]
        stored = sandbox.get_lead(lead_id)["customFields"]
        assert stored == {"plan": "free", "seats": "3", "territory": "eu"}


async def test_editing_job_title_sends_only_job_title(sandbox, tmp_path, docs_only):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        screen.form.box("jobTitle").value = "CTO"
        await save(pilot)
        assert patches(sandbox) == [{"jobTitle": "CTO"}]
        assert sandbox.get_lead(lead_id)["jobTitle"] == "CTO"


async def test_editing_nothing_sends_no_request(sandbox, tmp_path, docs_only):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        await save(pilot)
        assert patches(sandbox) == []
        assert "No changes" in str(screen.status.render())


async def test_second_save_sends_only_the_newer_change(sandbox, tmp_path, docs_only):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        screen.form.box("jobTitle").value = "CTO"
        await save(pilot)
        screen.form.box("city").value = "Lisbon"
        await save(pilot)
        assert patches(sandbox) == [{"jobTitle": "CTO"}, {"city": "Lisbon"}]


async def test_the_done_when_scenario(sandbox, tmp_path):
    """Change one field, add one, delete one, add a tag, review, save."""
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        grid = screen.form.grid
        grid.model.set_custom_value(grid_row(screen, "plan"), "pro")
        grid.model.delete_custom(grid_row(screen, "region"))
        grid.refresh_view()
        grid.key_input.value, grid.value_input.value = "owner", "sam"
        assert grid.commit()
        screen.form.tags.add("vip")
        markers = {row[1]: row[0] for row in grid.model.rows()}
        assert markers == {"plan": "~", "seats": " ", "region": "-", "owner": "+"}
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        expected = {
            "tags": ["alpha", "vip"],
            "customFields": {"plan": "pro", "owner": "sam", "region": None},
        }
        assert review.patch == expected
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert patches(sandbox) == [expected]
        stored = sandbox.get_lead(lead_id)
        assert stored["customFields"] == {"plan": "pro", "seats": "3", "owner": "sam"}
        assert stored["tags"] == ["alpha", "vip"]
        assert {row[0] for row in grid.model.rows()} == {" "}


async def test_deleted_lead_shows_a_banner_and_keeps_the_edit(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        screen.form.box("jobTitle").value = "Gone"
        sandbox.inject(
            "json",
            method="PATCH",
            status=404,
            body={"success": False, "error": {"code": "NOT_FOUND", "message": "Lead not found"}},
        )
        await save(pilot)
        banner = screen.query_one(Banner)
        assert banner.display and "no longer exists" in banner.message
        assert screen.form.box("jobTitle").value == "Gone"
        assert screen.draft is not None


async def test_changed_on_server_since_opened_saves_when_no_field_clashes(sandbox, tmp_path):
    # Someone else changed another field: our PATCH carries only ours, so both are kept
    # and there is nothing to ask (a clash is asked about: tests/test_concurrent_edits.py).
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(sandbox, app, pilot, lead_id)
        import httpx

        httpx.patch(
            f"{sandbox.url}/v1/leads/{lead_id}",
            json={"lastName": "Other"},
            headers={"X-Api-Key": sandbox.api_key},
        ).raise_for_status()
        sandbox.clear_requests()
        screen.form.box("jobTitle").value = "Mine"
        await save(pilot)
        assert app.screen is screen  # no question
        assert patches(sandbox) == [{"jobTitle": "Mine"}]
        stored = sandbox.get_lead(lead_id)
        assert stored["lastName"] == "Other" and stored["jobTitle"] == "Mine"
