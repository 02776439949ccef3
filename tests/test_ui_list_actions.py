"""List actions: mark and delete (with the active-campaign rule), help, workspaces."""

from __future__ import annotations

from sendkit_tui.ui.dialogs.confirm import ConfirmScreen
from sendkit_tui.ui.dialogs.help import HelpScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.screens.login import LoginScreen
from tests.ui_support import open_app, requests_to, settle


def row_of(screen, lead_id):
    return screen.table.get_row_index(lead_id)


async def test_mark_three_and_delete_them(sandbox, tmp_path):
    protected = set(sandbox.campaign_lead_ids())
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        free = [lead.id for lead in screen.rows if lead.id not in protected][:3]
        for lead_id in free:
            screen.table.move_cursor(row=row_of(screen, lead_id))
            await pilot.press("space")
        assert screen.marked == set(free)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and "3 marked leads" in dialog.question
        await pilot.press("y")
        await settle(pilot)
        (delete,) = requests_to(sandbox, "DELETE")
        assert sorted(delete.body["leadIds"]) == sorted(free)
        assert all(sandbox.get_lead(lead_id) is None for lead_id in free)
        assert isinstance(app.screen, LeadsScreen)
        assert screen.table.row_count == 22 and not screen.marked


async def test_active_campaign_leads_need_an_explicit_force(sandbox, tmp_path):
    protected = sandbox.campaign_lead_ids()
    assert protected, "the seed puts some leads in an active campaign"
    target = protected[0]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        screen.table.move_cursor(row=row_of(screen, target))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "Q4 Outbound" in dialog.question and "force" in dialog.question
        assert sandbox.get_lead(target) is not None
        await pilot.press("y")
        await settle(pilot)
        bodies = [r.body for r in requests_to(sandbox, "DELETE")]
        assert bodies[-1]["force"] is True
        assert sandbox.get_lead(target) is None


async def test_declining_force_deletes_nothing(sandbox, tmp_path):
    target = sandbox.campaign_lead_ids()[0]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        screen.table.move_cursor(row=row_of(screen, target))
        await pilot.press("d", "y")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert sandbox.get_lead(target) is not None
        assert "Nothing was deleted" in str(screen.status.render())


async def test_help_lists_the_keys_of_the_current_screen(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        ids = {row[2] for row in help_screen.rows}
        assert {"leads.new", "leads.refresh", "leads.search"} <= ids
        await pilot.press("escape", "n")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert {"form.save", "form.close"} <= {row[2] for row in app.screen.rows}


async def test_keymap_from_config_remaps_a_binding(sandbox, tmp_path):
    from tests.ui_support import make_app

    app = make_app(sandbox, tmp_path)
    app.config.keymap = {"leads.new": "ctrl+n"}
    app.set_keymap(app.config.keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.id == "create-screen"


async def test_platform_key_switches_workspace_from_the_palette_action(sandbox, tmp_path):
    first, second = sandbox.workspaces[0], sandbox.workspaces[1]
    async with open_app(sandbox, tmp_path, key=sandbox.platform_key, workspace_id=first["id"]) as (
        app,
        pilot,
    ):
        assert app.screen.table.row_count == 25
        app.switch_workspace()
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        options = login.query_one("#login-workspaces")
        options.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.connection.workspace_id == second["id"]
        assert second["name"] in app.sub_title
        assert app.screen.table.row_count == 3  # the second workspace's seeded leads
