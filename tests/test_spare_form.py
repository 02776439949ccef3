"""The create form composed ahead of time (ui/spare_form.py): never seen, never in the way,
always blank, styled for the theme it is shown in."""

from __future__ import annotations

import asyncio

import pytest

from sendkit_tui.ui import spare_form
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, server_leads, settle


@pytest.fixture(autouse=True)
def no_quiet_wait(monkeypatch):
    """The spare waits for a second without keys; here it may start at once (the test of
    that wait sets it back)."""
    monkeypatch.setattr(spare_form, "QUIET", 0.0)


async def spare_ready(app, pilot) -> CreateLeadScreen:
    app.spare_soon()
    await settle(pilot)
    spare = app.take_spare()
    assert isinstance(spare, CreateLeadScreen)  # made while the list was idle
    app.install_screen(spare, spare_form.spare_name("create"))  # put back as it was
    app.spares["create"] = spare
    return spare


async def test_n_shows_the_spare_and_the_next_form_is_a_new_blank_one(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = await spare_ready(app, pilot)
        burst(app, "n", "=spare.one@example.com", "ctrl+s")
        await settle(pilot)
        assert app.screen is spare
        burst(app, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        burst(app, "n")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, CreateLeadScreen) and second is not spare
        assert second.form.box("email").value == ""
        assert second.model.create_body() == {}
        assert not spare.is_attached  # the used one is gone, not kept
        assert [lead["email"] for lead in server_leads(sandbox, search="spare.one")] == [
            "spare.one@example.com"
        ]


async def test_keys_typed_while_the_spare_is_made_reach_the_list(sandbox, tmp_path, monkeypatch):
    """Keys that arrive while the spare is on top of the stack (being composed) wait in
    the app's queue and reach the list afterwards, never the hidden form."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = app.take_spare()
        if spare is not None:
            await spare.remove()
        mounted = CreateLeadScreen.on_mount

        async def typed_during_compose(self) -> None:
            mounted(self)
            burst(app, "slash", "=acme")  # as the driver posts keys, mid-compose
            await asyncio.sleep(0.05)  # composing takes time: the app could route them now

        monkeypatch.setattr(CreateLeadScreen, "on_mount", typed_during_compose)
        app.spare_soon()
        await settle(pilot)
        assert "create" in app.spares  # it was made, with the keys arriving meanwhile
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.query_one("#search").value == "acme"
        assert app.spares["create"].form.box("email").value == ""


async def test_the_spare_waits_until_no_key_has_come_for_a_while(sandbox, tmp_path, monkeypatch):
    """Composing holds keys up for its duration: it never starts while someone types."""
    monkeypatch.setattr(spare_form, "QUIET", 0.5)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = app.take_spare()
        if spare is not None:
            await spare.remove()
        burst(app, "slash", "=a")
        app.spare_soon()
        await pilot.pause()
        assert "create" not in app.spares  # a key came just now
        for _ in range(round(spare_form.QUIET / 0.02) * 5):  # until made, bounded
            if "create" in app.spares:
                break
            await pilot.pause(0.02)
        assert "create" in app.spares


async def test_a_theme_changed_after_the_spare_was_made_restyles_it(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await spare_ready(app, pilot)
        app.theme = "textual-light"
        await settle(pilot)
        burst(app, "n")
        await settle(pilot)
        shown = app.screen.form.box("firstName").input.styles.background
        burst(app, "escape")
        await settle(pilot)
        spare = app.take_spare()  # made after the escape, in the light theme already
        if spare is not None:
            await spare.remove()
        fresh = CreateLeadScreen()  # composed now, in the light theme
        await app.push_screen(fresh)
        await settle(pilot)
        assert shown == fresh.form.box("firstName").input.styles.background


async def test_a_draft_to_restore_gets_a_form_of_its_own(sandbox, tmp_path):
    from sendkit_tui.storage.drafts import Draft

    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = await spare_ready(app, pilot)
        draft = Draft(kind="create", values={"email": "kept@draft.io"}, profile="test")
        await app.open_new_lead(draft=draft)
        await settle(pilot)
        assert app.screen is not spare
        assert app.screen.form.box("email").value == "kept@draft.io"
        assert not spare.is_attached  # one form id at a time: the spare made way
        burst(app, "escape")
        await settle(pilot)
        if isinstance(app.screen, CreateLeadScreen) is False:
            assert app.spares.get("create") is not spare


async def edit_spare_ready(app, pilot):
    from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

    app.spare_soon()
    await settle(pilot)
    spare = app.spares.get("edit")
    assert isinstance(spare, EditLeadScreen) and spare.is_spare  # made while the list was idle
    return spare


async def test_enter_shows_the_edit_spare_with_the_lead_and_typing_goes_into_it(sandbox, tmp_path):
    """The edit form composed ahead is given its lead on enter: the lead's values drawn,
    the keys typed right after enter in its first name, and only that change is sent."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = await edit_spare_ready(app, pilot)
        first, second = server_leads(sandbox)[:2]
        listing = app.screen
        listing.table.move_cursor(row=listing.table.get_row_index(first["_id"]))
        sandbox.clear_requests()
        burst(app, "enter", "ctrl+u", "=Spare", "ctrl+s")
        await settle(pilot)
        assert app.screen is spare and not spare.is_spare
        assert spare.form.box("email").value == first["email"]
        assert spare.form.box("lastName").value == (first.get("lastName") or "")
        assert [r.body for r in requests_to(sandbox, "PATCH")] == [{"firstName": "Spare"}]
        burst(app, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert not spare.is_attached  # the used one is gone, not kept
        listing.table.move_cursor(row=listing.table.get_row_index(second["_id"]))
        burst(app, "enter")
        await settle(pilot)
        again = app.screen
        assert again is not spare
        assert again.form.box("email").value == second["email"]
        assert again.form.box("firstName").value == (second.get("firstName") or "")
        assert again.current_patch() == {}  # nothing of the first lead carried over


async def test_an_edit_draft_to_restore_gets_a_form_of_its_own(sandbox, tmp_path):
    from sendkit_tui.api import Lead
    from sendkit_tui.storage.drafts import Draft

    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = await edit_spare_ready(app, pilot)
        lead = Lead.model_validate(server_leads(sandbox)[0])
        draft = Draft(
            kind="edit",
            values={**lead.to_request_dict(), "jobTitle": "From the draft"},
            profile="test",
            lead_id=lead.id,
            baseline=lead.to_request_dict(),
        )
        await app.open_lead(lead, draft=draft)
        await settle(pilot)
        assert app.screen is not spare
        assert app.screen.form.box("jobTitle").value == "From the draft"
        assert not spare.is_attached  # one form id at a time: the spare made way


async def test_the_edit_spare_draws_the_highlighted_lead_before_enter(sandbox, tmp_path):
    """Once the highlight rests, the edit form composed ahead holds that lead already; enter
    shows it (nothing drawn again), and a lead saved meanwhile is drawn as it is now."""
    from sendkit_tui.ui.screens import leads as leads_module

    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = await edit_spare_ready(app, pilot)
        listing = app.screen
        first, second = server_leads(sandbox)[:2]
        listing.table.move_cursor(row=listing.table.get_row_index(second["_id"]))
        listing.prepare_highlighted()  # as the timer does after PREPARE_AFTER s
        await settle(pilot)
        assert leads_module.PREPARE_AFTER > 0
        assert spare.is_spare and spare.form.box("email").value == second["email"]
        begun: list[bool] = []
        begin = spare._begin
        spare._begin = lambda *, drawn=False: (begun.append(drawn), begin(drawn=drawn))[1]
        burst(app, "enter")
        await settle(pilot)
        assert app.screen is spare and begun == [True]  # shown as prepared, not drawn again
        assert spare.form.box("firstName").value == (second.get("firstName") or "")
        burst(app, "escape")
        await settle(pilot)
        # Prepared with one copy, opened with another: drawn again from the one opened.
        again = await edit_spare_ready(app, pilot)
        listing.table.move_cursor(row=listing.table.get_row_index(first["_id"]))
        listing.prepare_highlighted()
        await settle(pilot)
        sandbox.clear_requests()
        row = listing.table.current()
        changed = row.to_lead().model_copy(update={"first_name": "Renamed"})
        await app.open_lead(changed)
        await settle(pilot)
        assert app.screen is again
        assert again.form.box("firstName").value == "Renamed"
