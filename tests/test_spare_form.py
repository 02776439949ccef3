"""The create form composed ahead of time (ui/spare_form.py): never seen, never in the way,
always blank, styled for the theme it is shown in."""

from __future__ import annotations

import asyncio

import pytest

from sendkit_tui.ui import spare_form
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import open_app, server_leads, settle


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
    app.install_screen(spare, "spare-create-form")  # put back as it was
    app._spare = spare
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
        assert app._spare is not None  # it was made, with the keys arriving meanwhile
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.query_one("#search").value == "acme"
        assert app._spare.form.box("email").value == ""


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
        assert app._spare is None  # a key came just now
        for _ in range(round(spare_form.QUIET / 0.02) * 5):  # until made, bounded
            if app._spare is not None:
                break
            await pilot.pause(0.02)
        assert app._spare is not None


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
            assert app._spare is None or app._spare is not spare
