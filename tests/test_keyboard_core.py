"""The keyboard core (one edit model per form): what a fast typist does, keys queued at once.

Each test is one symptom a typist met: text typed while a save or a load is on its way,
bursts in the tag box and the grid, a tag removed and put back, the grid's enter, the tab
order after a save. Keys go in with ``burst`` (no pause between them), against the real
sandbox, often with its ``slow`` fault so the keys arrive while a request is in flight.
"""

from __future__ import annotations

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, server_leads, settle
from tests.ui_support import open_lead_by_keys as open_lead

BASE = {
    "email": "core@example.io",
    "firstName": "Old",
    "jobTitle": "Engineer",
    "tags": ["alpha", "beta", "gamma"],
    "customFields": {"plan": "free", "seats": "3"},
}


def status_text(screen) -> str:
    return str(screen.status.render())


async def test_text_typed_after_ctrl_s_starts_the_next_lead(sandbox, tmp_path):
    """ctrl+s sends the lead and gives the form to the next one at Email, at once: the keys
    typed while the save is on its way are the next lead's, in the fields they were meant
    for (a typist's "Tab Pat ctrl+s next@..." no longer joins the first name)."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="POST", delay=0.5)
        burst(app, "n", "=ann@save.io", "tab", "=Ann", "ctrl+s", "=bob@next.io", "tab", "=Bob")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        (created,) = [lead for lead in server_leads(sandbox) if lead["email"] == "ann@save.io"]
        assert created.get("firstName") == "Ann"
        assert form.form.box("email").value == "bob@next.io"
        assert form.form.box("firstName").value == "Bob"
        assert "Saved ann@save.io." in status_text(form)
        (draft,) = app.drafts.load_all()  # the next lead is in a draft, not only on screen
        assert draft.values["email"] == "bob@next.io" and draft.outcome == "never"


async def test_an_edit_typed_while_saving_stays_as_an_unsaved_change(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        sandbox.clear_requests()
        sandbox.inject("slow", method="PATCH", delay=0.5)
        screen.set_focus(screen.form.box("jobTitle").input)
        burst(app, "=!", "ctrl+s", "tab", "=Zed")
        await settle(pilot)
        assert [r.body for r in requests_to(sandbox, "PATCH")] == [{"jobTitle": "Engineer!"}]
        assert screen.form.box("phone").value == "Zed"  # the field after job title
        assert screen.model.patch() == {"phone": "Zed"}
        assert "1 change" in status_text(screen)


async def test_typing_while_the_lead_loads_is_kept_when_it_arrives(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="GET", path=f"/v1/leads/{lead_id}", delay=0.5)
        listing = app.screen
        listing.table.move_cursor(row=listing.table.get_row_index(lead_id))
        burst(app, "enter", "=er", "tab", "=Z")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditLeadScreen)
        assert screen.form.box("firstName").value == "Older"
        assert screen.form.box("lastName").value == "Z"
        assert screen.model.patch() == {"firstName": "Older", "lastName": "Z"}


async def test_tags_typed_in_a_burst_with_enter_are_separate_tags(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "ctrl+t", "=tagone", "enter", "=tagtwo", "enter", "=hot, q4; vip", "enter")
        await settle(pilot)
        form = app.screen
        assert form.model.tags() == ["tagone", "tagtwo", "hot", "q4", "vip"]


async def test_a_custom_field_typed_in_a_burst_lands_as_typed(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "ctrl+g", "=newk", "enter", "=val", "enter", "=k2", "enter", "=v2", "enter")
        await settle(pilot)
        assert app.screen.model.custom_fields() == {"newk": "val", "k2": "v2"}


async def test_a_tag_removed_and_put_back_sends_nothing(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        sandbox.clear_requests()
        chips = screen.query_one("#tag-chips")
        screen.set_focus(chips)
        burst(app, "right", "delete", "delete")  # remove beta, then put it back
        await settle(pilot)
        assert screen.model.tag_entries() == [(" ", "alpha"), (" ", "beta"), (" ", "gamma")]
        assert "No changes" in status_text(screen)
        burst(app, "ctrl+s")
        await settle(pilot)
        assert requests_to(sandbox, "PATCH") == []


async def test_one_enter_commits_a_rename_and_focus_stays_on_the_row(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        grid = screen.form.grid
        screen.set_focus(grid.table)
        burst(app, "down", "enter", "shift+tab", "ctrl+u", "=users", "enter")
        await settle(pilot)
        assert screen.model.custom_fields() == {"plan": "free", "users": "3"}
        assert app.focused is grid.table and grid.table.cursor_row == 1
        assert screen.model.patch() == {"customFields": {"seats": None, "users": "3"}}


async def test_the_tab_order_is_the_same_on_the_next_lead(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n")
        await settle(pilot)
        form = app.screen
        before = [widget.id for widget in form.focus_chain]
        burst(app, "=next@lead.io", "ctrl+g", "=k", "enter", "=v", "enter", "ctrl+s")
        await settle(pilot)
        form.set_focus(form.form.box("email").input)
        after = [widget.id for widget in form.focus_chain]
        assert after == before
        assert "kv-table" in after and "tag-chips" in after  # empty grid and chips included
        assert "kv-key" not in after  # the add line is closed for the next lead


async def test_undo_takes_back_the_last_tag_or_field_change(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "ctrl+t", "=a, b", "enter", "ctrl+g", "=k", "enter", "=v", "enter")
        await settle(pilot)
        form = app.screen
        burst(app, "ctrl+z")
        await settle(pilot)
        assert form.model.custom_fields() == {} and form.model.tags() == ["a", "b"]
        assert "Undone" in status_text(form)


async def test_bulk_mode_edits_every_field_as_text_and_one_undo_takes_it_back(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        grid = screen.form.grid
        screen.set_focus(grid.table)
        burst(app, "ctrl+b")
        await settle(pilot)
        assert grid.bulk and grid.bulk_area.text == "plan: free\nseats: 3"
        grid.bulk_area.load_text("plan: pro\nowner: sam: the boss\n")
        burst(app, "ctrl+b")
        await settle(pilot)
        assert not grid.bulk and app.focused is grid.table
        assert screen.model.patch() == {
            "customFields": {"plan": "pro", "seats": None, "owner": "sam: the boss"}
        }
        burst(app, "ctrl+z")
        await settle(pilot)
        assert screen.model.patch() == {}


async def test_bulk_mode_says_which_line_is_wrong_and_applies_nothing(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        grid = screen.form.grid
        screen.set_focus(grid.table)
        burst(app, "ctrl+b")
        await settle(pilot)
        grid.bulk_area.load_text("plan: pro\nno colon here\nplan: twice")
        burst(app, "ctrl+b")
        await settle(pilot)
        error = str(grid.query_one(".field-error").render())
        assert "line 2: no ':'" in error and "line 3:" in error
        assert grid.bulk and screen.model.patch() == {}
        burst(app, "escape")
        await settle(pilot)
        assert not grid.bulk and screen.model.custom_fields() == {"plan": "free", "seats": "3"}


async def test_the_edit_form_stays_visible_while_the_fresh_copy_loads(sandbox, tmp_path):
    # The screen once set `self.loading`, which is Textual's Widget.loading: a loading
    # indicator covered the form while typing went on unseen.
    from textual.widgets import LoadingIndicator

    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="GET", path=f"/v1/leads/{lead_id}", delay=1.0)
        listing = app.screen
        listing.table.move_cursor(row=listing.table.get_row_index(lead_id))
        burst(app, "enter", "=X")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditLeadScreen) and screen.refreshing  # still waiting
        assert not screen.query(LoadingIndicator)
        assert not screen.loading
        await settle(pilot)
        assert screen.form.box("firstName").value == "OldX"
