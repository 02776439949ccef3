"""Every key lands where it was typed, in order, even when keys come faster than the app.

Keys are queued all at once (``burst``), as a paste or a fast typist delivers them; the
app must route each one after the keys before it have taken effect (see ui/keys.py).
"""

from __future__ import annotations

from textual.widgets import Input

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import make_app, open_app, server_leads, settle


async def test_n_and_a_lead_typed_at_once_after_start_up_is_created_exactly(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, "n", "=fast.typer@example.com", "tab", "=Fay", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CreateLeadScreen)
        created = [lead for lead in server_leads(sandbox) if lead["email"].startswith("fast")]
        assert [(lead["email"], lead.get("firstName")) for lead in created] == [
            ("fast.typer@example.com", "Fay")
        ]


async def test_arrows_then_enter_open_the_lead_the_cursor_reached(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        leads = app.screen
        assert isinstance(leads, LeadsScreen)
        third = leads.rows[2]
        burst(app, "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditLeadScreen)
        assert app.screen.lead.id == third.id


async def test_slash_then_typing_goes_into_the_search_box(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "slash", "=ada")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "ada"


async def test_letters_typed_in_the_search_box_are_text_not_commands(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "slash", "=nit")  # n, i and t are list commands elsewhere
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.query_one("#search", Input).value == "nit"


async def test_backspace_typed_fast_deletes_the_character_before_it(sandbox, tmp_path):
    # Textual runs Input's editing bindings when the key has bubbled back to the App,
    # behind the characters typed after it; SafeInput handles them in order.
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "slash", "=abc", "backspace", "=d", "left", "left", "=X", "end", "=!")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "aXbd!"


async def test_enter_in_the_search_box_moves_to_the_list_before_the_next_key(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        leads = app.screen
        assert isinstance(leads, LeadsScreen)
        burst(app, "slash", "=zzz-no-match", "enter", "n")
        await settle(pilot)
        assert leads.query_one("#search", Input).value == "zzz-no-match"
        assert isinstance(app.screen, CreateLeadScreen)  # n acted on the list, not as text


async def test_enter_twice_after_a_search_opens_the_first_lead_it_finds(sandbox, tmp_path):
    """Typed at once, "/zed⏎⏎": the first enter searches, the second opens the first match,
    though the matches are still on their way when it comes (the sandbox answers slowly)."""
    (wanted,) = sandbox.add_leads([{"email": "zed.only@typed.io", "firstName": "Zed"}])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="GET", path="/v1/leads", delay=0.3)
        burst(app, "slash", "=zed.only", "enter", "enter", "=Zedd")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditLeadScreen) and form.lead.id == wanted
        assert form.form.box("firstName").value == "ZedZedd"  # typed on, into the form


async def test_escape_from_a_search_being_typed_then_enter_opens_a_match(sandbox, tmp_path):
    """Typed at once, "/zed", escape, enter: escape applies the search now (not after the
    typing pause), so enter opens a lead it found, never the one highlighted before."""
    (wanted,) = sandbox.add_leads([{"email": "zed.only@typed.io", "firstName": "Zed"}])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "down", "down", "slash", "=zed.only", "escape", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditLeadScreen) and form.lead.id == wanted


async def test_help_lists_the_screens_own_keys_first_and_editing_keys_last(sandbox, tmp_path):
    from sendkit_tui.ui.dialogs.help import TEXT_EDITING, HelpScreen

    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        groups = list(dict.fromkeys(row.group for row in app.screen.rows))
        assert groups[0] == "Form"
        assert groups[-2:] == ["Everywhere", TEXT_EDITING]
        assert {"Tags", "Custom fields"} <= set(groups)
        first = app.screen.rows[0]
        assert first.binding_id == "form.save"


async def test_escape_then_a_letter_typed_fast_is_two_keys(sandbox, tmp_path):
    """The terminal sends escape then p within Textual's escape delay as alt+p (tmux holds
    escape 0.5 s): read as escape, then p. Back on the list, p shows the detail pane."""
    from textual import events

    from sendkit_tui.ui.widgets.lead_detail import LeadDetail

    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n")
        await settle(pilot)
        assert isinstance(app.screen, CreateLeadScreen)
        app.post_message(events.Key("alt+p", "p"))  # as the driver posts "\x1bp"
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.query_one(LeadDetail).display
