"""Drafts in the app: bound to the server they were typed for, and honest when unwritable."""

from __future__ import annotations

import os

import pytest

from sendkit_tui.identity import DEMO_PROFILE
from sendkit_tui.storage.drafts import Draft
from sendkit_tui.ui.dialogs.confirm import ConfirmScreen
from sendkit_tui.ui.dialogs.drafts import DraftsScreen
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from tests.typing_support import burst
from tests.ui_support import make_app, open_app, record_notifications, requests_to, settle

ELSEWHERE = {
    # a draft of this profile typed on another server and workspace
    "another server": (
        "test",
        {"base_url": "https://api.sendkit.ai", "workspace_id": "ws_other"},
        "typed for workspace ws_other on api.sendkit.ai",
        "Nothing has been sent",
    ),
    # each demo runs a fresh sandbox on a new port
    "an earlier demo": (
        DEMO_PROFILE,
        {"base_url": "http://127.0.0.1:1"},
        "typed in an earlier run of the demo, whose sandbox is gone",
        "earlier run of the demo",
    ),
}


@pytest.mark.parametrize("where", list(ELSEWHERE))
async def test_a_lead_typed_elsewhere_is_offered_with_a_note_and_not_sent(sandbox, tmp_path, where):
    profile, origin, note, banner = ELSEWHERE[where]
    app = make_app(sandbox, tmp_path)
    if profile == DEMO_PROFILE:
        app.connection.profile, app.connection.demo = DEMO_PROFILE, True
    elsewhere = Draft(kind="create", values={"email": "far@away.io"}, profile=profile, **origin)
    assert app.drafts.save(elsewhere)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        offer = app.screen
        assert isinstance(offer, DraftsScreen)
        assert offer.foreign[elsewhere.id].startswith(note)
        burst(app, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        assert form.form.box("email").value == "far@away.io"
        assert banner in str(form.banner.render())
        assert requests_to(sandbox, "POST") == []  # restored, not sent


async def test_an_edit_typed_for_another_server_is_not_opened_here(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    elsewhere = Draft(
        kind="edit",
        values={"email": "far@away.io", "firstName": "New"},
        lead_id="665a1b2c3d4e5f6a7b8c9d0e",
        baseline={"email": "far@away.io", "firstName": "Old"},
        profile="test",
        base_url="https://api.sendkit.ai",
    )
    assert app.drafts.save(elsewhere)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, DraftsScreen | CreateLeadScreen)
        assert requests_to(sandbox, "PATCH") == []
        assert [d.id for d in app.drafts.load_all()] == [elsewhere.id]  # kept


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
async def test_quit_does_not_promise_a_draft_it_could_not_write(sandbox, tmp_path):
    await _quit_with_unwritable_drafts(sandbox, tmp_path)


async def test_quit_does_not_promise_a_draft_it_could_not_write_as_root(sandbox, tmp_path):
    # Root ignores directory modes, so the drafts "folder" is a file: nothing can go in it.
    await _quit_with_unwritable_drafts(sandbox, tmp_path, blocked_by_file=True)


async def _quit_with_unwritable_drafts(sandbox, tmp_path, *, blocked_by_file=False):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "=half@typed.io")
        await settle(pilot)
        drafts_dir = app.drafts.directory
        if blocked_by_file:
            if drafts_dir.exists():
                for child in drafts_dir.glob("*"):
                    child.unlink()
                drafts_dir.rmdir()
            drafts_dir.write_text("not a folder")
        else:
            drafts_dir.mkdir(parents=True, exist_ok=True)
            drafts_dir.chmod(0o500)
        try:
            burst(app, "ctrl+q")
            await settle(pilot)
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert "could not be kept as a draft" in question.question
            assert question.yes == "Quit and lose it"
        finally:
            if not blocked_by_file:
                drafts_dir.chmod(0o700)


async def test_drafts_put_off_at_start_come_back_from_the_palette(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    kept = Draft(kind="create", values={"email": "later@typed.io"}, profile="test")
    assert app.drafts.save(kept)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        burst(app, "escape")  # "later"
        await settle(pilot)
        assert not isinstance(app.screen, DraftsScreen)
        burst(app, "ctrl+p", "=Drafts")
        await settle(pilot)  # Textual's palette takes enter once its search is in
        burst(app, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        assert [d.id for d in app.screen.drafts] == [kept.id]
        burst(app, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        assert form.form.box("email").value == "later@typed.io"
        assert requests_to(sandbox, "POST") == []  # restored, not sent


async def test_the_palette_says_so_when_no_draft_is_kept(sandbox, tmp_path, monkeypatch):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        burst(app, "ctrl+p", "=Drafts")
        await settle(pilot)  # Textual's palette takes enter once its search is in
        burst(app, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, DraftsScreen)
        assert any("No unsent work" in text for text in said)


async def test_the_palette_offers_no_drafts_while_a_form_is_open(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "=half@typed.io")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Drafts" not in titles and "New lead" in titles
        burst(app, "escape", "y")  # discard the half-typed lead
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Drafts" in titles


async def test_an_edit_typed_in_an_earlier_demo_is_not_opened_and_can_be_discarded(
    sandbox, tmp_path, monkeypatch
):
    app = make_app(sandbox, tmp_path)
    app.connection.profile, app.connection.demo = DEMO_PROFILE, True  # as --demo makes it
    edit = Draft(
        kind="edit",
        values={"email": "gone@demo.io", "firstName": "New"},
        lead_id="665a1b2c3d4e5f6a7b8c9d0e",
        baseline={"email": "gone@demo.io", "firstName": "Old"},
        profile=DEMO_PROFILE,
        base_url="http://127.0.0.1:1",  # each demo runs its sandbox on a new port
    )
    assert app.drafts.save(edit)
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, DraftsScreen | CreateLeadScreen)
        assert any("cannot be saved anywhere now" in text for text in said)
        assert requests_to(sandbox, "PATCH") == []
        burst(app, "ctrl+p", "=Drafts")
        await settle(pilot)  # Textual's palette takes enter once its search is in
        burst(app, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        burst(app, "d")  # discarded, as the message says
        await settle(pilot)
        assert app.drafts.load_all() == []
