"""The leads list and the create form, driven like a user, against the real sandbox."""

from __future__ import annotations

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.screens.login import LoginScreen
from sendkit_tui.ui.widgets.banner import Banner
from tests.ui_support import fill, focused_id, open_app, requests_to, server_leads, settle

JANE = {
    "email": "Jane.Roe@Example-Corp.io",
    "firstName": "Jane",
    "lastName": "Roe",
    "companyName": "Example Corp",
    "jobTitle": "Head of Sales",
    "phone": "+1 555 010 0199",
    "linkedinUrl": "https://www.linkedin.com/in/janeroe",
    "city": "Austin",
    "state": "TX",
    "country": "US",
}


async def open_form(pilot) -> CreateLeadScreen:
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateLeadScreen)
    return screen


async def test_list_starts_focused_on_the_first_seeded_lead(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        table = screen.table
        assert table.row_count == 25
        assert app.focused is table and table.cursor_row == 0
        newest = server_leads(sandbox)[0]
        assert screen.rows[0].id == newest["_id"]
        assert "25 of 25 leads" in str(screen.status.render())


async def test_create_a_lead_by_typing(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        assert focused_id(app) == "field-email"
        await pilot.press(*"ann@typed.io", "tab", *"Ann")
        assert focused_id(app) == "field-firstName"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = sandbox.find_leads(email="ann@typed.io")
        assert len(stored) == 1 and stored[0]["firstName"] == "Ann"
        assert form.form.box("email").value == "" and focused_id(app) == "field-email"
        await pilot.press("escape")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, LeadsScreen)
        assert listing.rows[0].email == "ann@typed.io"
        assert listing.table.row_count == 26


async def test_every_field_tag_and_custom_field_reaches_the_server(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, JANE)
        form.form.tags.add("vip")
        form.form.tags.add("q4")
        grid = form.form.grid
        grid.key_input.value, grid.value_input.value = "plan", "enterprise"
        assert grid.commit()
        await pilot.press("ctrl+s")
        await settle(pilot)
        (post,) = requests_to(sandbox, "POST")
        assert post.body == {
            **JANE,
            "email": "jane.roe@example-corp.io",  # cleaned as SendKit stores it
            "tags": ["vip", "q4"],
            "customFields": {"plan": "enterprise"},
        }
        (stored,) = sandbox.find_leads(email="jane.roe@example-corp.io")
        assert stored["phoneNumber"] == JANE["phone"]
        assert stored["customFields"] == {"plan": "enterprise"}


async def test_bad_email_is_shown_under_the_field_and_nothing_is_sent(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        await pilot.press(*"not-an-email", "tab")
        await settle(pilot)
        email = form.form.box("email")
        assert email.error and "name@example.com" in email.error
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert requests_to(sandbox, "POST") == []
        assert focused_id(app) == "field-email"
        assert email.value == "not-an-email"


async def test_duplicate_email_is_shown_under_email_and_opens_the_existing_lead(sandbox, tmp_path):
    existing = server_leads(sandbox)[3]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": existing["email"].upper(), "firstName": "Dup"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        email = form.form.box("email")
        assert "already exists" in (email.error or "")
        assert form.form.box("firstName").value == "Dup"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, EditLeadScreen)
        assert app.screen.lead.id == existing["_id"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.form.box("firstName").value == "Dup"


async def test_server_field_errors_go_under_their_fields(sandbox, tmp_path):
    sandbox.inject(
        "json",
        method="POST",
        status=400,
        body={
            "success": False,
            "error": {
                "code": "VALIDATION_ERROR",
                "message": "Invalid lead",
                "details": [{"field": "companyName", "message": "Company is on a blocklist."}],
            },
        },
    )
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "x@blocked.io", "companyName": "Blocked Ltd"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.form.box("companyName").error == "Company is on a blocklist."
        assert form.form.box("companyName").value == "Blocked Ltd"
        assert focused_id(app) == "field-companyName"


async def test_server_error_shows_a_banner_and_retry_keeps_values(sandbox, tmp_path):
    sandbox.inject("status", method="POST", status=500)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "retry@x.io", "firstName": "Rita"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        banner = form.query_one(Banner)
        assert banner.display and "ctrl+s" in str(banner.render())
        assert form.form.box("firstName").value == "Rita"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sandbox.find_leads(email="retry@x.io")) == 1
        assert not banner.display


async def test_html_error_page_becomes_a_plain_banner(sandbox, tmp_path):
    sandbox.inject("html", method="POST", status=502)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "html@x.io"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        banner = form.query_one(Banner)
        assert banner.display
        assert "<" not in banner.message
        assert form.form.box("email").value == "html@x.io"


async def test_rate_limit_is_retried_and_shown(sandbox, tmp_path):
    sandbox.inject("status", method="POST", status=429, retry_after=2)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "slow@x.io"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sandbox.find_leads(email="slow@x.io")) == 1
        assert app.client is not None
        assert len(requests_to(sandbox, "POST")) == 2


async def test_401_opens_login_over_the_form_and_keeps_it(sandbox, tmp_path):
    sandbox.inject("status", method="POST", status=401)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "auth@x.io", "city": "Oslo"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert form in app.screen_stack
        assert form.form.box("city").value == "Oslo"


async def test_escape_asks_before_discarding(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "keep@x.io"})
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not form  # the question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and form.form.box("email").value == "keep@x.io"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)


async def test_search_filters_on_the_server(sandbox, tmp_path):
    sandbox.add_leads([{"email": "needle@haystack.io", "firstName": "Needle"}])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("slash", *"needle", "enter")
        await settle(pilot)
        screen = app.screen
        assert [lead.email for lead in screen.rows] == ["needle@haystack.io"]
        assert app.focused is screen.table
        gets = requests_to(sandbox, "GET")
        assert gets[-1].query.get("search") == "needle"


async def test_markup_in_lead_data_is_shown_literally(sandbox, tmp_path):
    sandbox.add_leads(
        [{"email": "markup@x.io", "firstName": "[bold]x", "companyName": "[@click=app.q]"}]
    )
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        row = screen.table.get_row(screen.rows[0].id)
        assert row[2].rstrip() == "[bold]x"
        assert row[3].rstrip() == "[@click=app.q]"
        drawn = screen.table.render_line(1).text  # line 0 is the header
        assert "[bold]x" in drawn and "[@click=app.q]" in drawn
        assert app.is_running


async def test_fast_typing_across_tab_and_save_keeps_every_key_in_place(sandbox, tmp_path):
    """Keys sent back to back (as a fast typist or a paste would) land where meant."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        await pilot.press(*"bob@", "tab", *"Bob", "tab", *"Builder", "tab", *"Acme")
        await pilot.press("shift+tab", "shift+tab", "shift+tab", *"acme.io", "ctrl+s")
        await settle(pilot)
        (stored,) = sandbox.find_leads(email="bob@acme.io")
        assert (stored["firstName"], stored["lastName"], stored["companyName"]) == (
            "Bob",
            "Builder",
            "Acme",
        )
        assert not form.banner.display


async def test_escape_twice_cancels_a_slow_create_and_checks_what_happened(sandbox, tmp_path):
    """Cancel while SendKit is slow (escape waits to go back to the list, escape again stops
    waiting): the app looks the email up instead of guessing."""
    sandbox.inject("slow", method="POST", delay=5)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "cancel@x.io", "firstName": "Cancel"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.saving
        await pilot.press("escape")
        await pilot.pause()
        assert form.saving and "Back to the list once cancel@x.io is saved" in str(
            form.status.render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert not form.saving and app.screen is form
        assert form.form.box("firstName").value == "Cancel"
        assert "no lead with this email" in form.banner.message
        assert form.draft is not None and form.draft.outcome == "failed"


async def test_retries_are_shown_in_the_status_line(sandbox, tmp_path):
    sandbox.inject("status", method="POST", status=503, retry_after=1, count=2)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        said: list[str] = []
        original = form.status.say
        form.status.say = lambda text, busy=False: (said.append(text), original(text, busy=busy))
        fill(form, {"email": "busy@x.io"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        retries = [line for line in said if "retrying" in line]
        assert [line.split("retrying ")[1][:5] for line in retries] == ["(1/3)", "(2/3)"]
        assert all("escape cancels" in line for line in retries)
        assert len(sandbox.find_leads(email="busy@x.io")) == 1
