"""The next lead starts at ctrl+s (ui/base/next_lead.py): a lead that is not created comes
back into the form, what was typed for the next one is set aside and comes back after, and a
ctrl+s typed while a lead is on its way sends the next one right after it. Keys go in with
``burst`` (no pause), against the sandbox slowed down so they arrive during the save."""

from __future__ import annotations

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import (
    open_app,
    requests_to,
    server_leads,
    settle,
    typed_while_creates_are_slow,
)

BLOCKED = {
    "success": False,
    "error": {
        "code": "VALIDATION_ERROR",
        "message": "Invalid lead",
        "details": [{"field": "companyName", "message": "Company is on a blocklist."}],
    },
}


def boxes(form: CreateLeadScreen, *fields: str) -> list[str]:
    return [form.form.box(field).value for field in fields]


def emails_sent(sandbox) -> list[str]:
    return [r.body["email"] for r in requests_to(sandbox, "POST")]


async def test_a_lead_refused_while_the_next_is_typed_waits_for_it(sandbox, tmp_path):
    """The answer comes while the next lead is being typed: the form stays the typist's
    (no key lands in the refused lead), the refused one is set aside, said in the banner, and
    comes back into the form, with why, once the lead being typed is saved."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("json", method="POST", status=400, body=BLOCKED, delay=0.3)
        burst(app, "n", "=first@lead.io", "tab", "tab", "tab", "=Blocked Ltd", "ctrl+s")
        burst(app, "=second@lead.io", "tab", "=Sam")  # the next lead, while it is sent
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        assert boxes(form, "email", "firstName", "companyName") == ["second@lead.io", "Sam", ""]
        assert "first@lead.io was not created" in str(form.banner.render())
        assert [p.draft.values["email"] for p in form.set_aside] == ["first@lead.io"]
        kept = {d.values["email"]: d for d in app.drafts.load_all()}
        assert kept["first@lead.io"].outcome == "failed"  # on disk too
        burst(app, "ctrl+s")  # the lead being typed: created, then the refused one is back
        await settle(pilot)
        assert boxes(form, "email", "companyName") == ["first@lead.io", "Blocked Ltd"]
        assert "Company is on a blocklist" in str(form.banner.render())
        burst(app, "tab", "tab", "tab", "ctrl+u", "=Fine Ltd", "ctrl+s")
        await settle(pilot)
        assert emails_sent(sandbox) == ["first@lead.io", "second@lead.io", "first@lead.io"]
        assert [lead["email"] for lead in server_leads(sandbox)[:2]] == [
            "first@lead.io",
            "second@lead.io",
        ]
        assert app.drafts.load_all() == [] and form.form.is_blank()


async def test_a_lead_refused_before_the_next_is_started_comes_back(sandbox, tmp_path):
    """No key since ctrl+s: the refused lead comes back into the form, its message under its
    field, to be fixed and sent again."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("json", method="POST", status=400, body=BLOCKED, delay=0.2)
        burst(app, "n", "=first@lead.io", "tab", "tab", "tab", "=Blocked Ltd", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert boxes(form, "email", "companyName") == ["first@lead.io", "Blocked Ltd"]
        assert form.form.box("companyName").error == "Company is on a blocklist."
        assert app.focused is form.form.box("companyName").input
        burst(app, "ctrl+u", "=Fine Ltd", "ctrl+s")
        await settle(pilot)
        assert emails_sent(sandbox) == ["first@lead.io", "first@lead.io"]
        assert form.form.is_blank() and app.drafts.load_all() == []


async def test_a_lead_refused_just_as_typing_goes_on_is_set_aside(sandbox, tmp_path):
    """The form is still blank but a key came after ctrl+s (more may be in flight): the
    refused lead is set aside rather than put where those keys land."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("json", method="POST", status=400, body=BLOCKED, delay=0.3)
        burst(app, "n", "=first@lead.io", "ctrl+s")
        await pilot.pause()
        burst(app, "shift+tab")  # a key, and no text yet: the form is still blank
        await settle(pilot)
        form = app.screen
        assert form.form.is_blank()
        assert [p.draft.values["email"] for p in form.set_aside] == ["first@lead.io"]


async def test_ctrl_s_while_a_lead_is_on_its_way_sends_the_next_right_after(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="POST", delay=0.3)
        burst(app, "n", "=one@queue.io", "ctrl+s", "=two@queue.io", "ctrl+s", "=three@q")
        await settle(pilot)
        form = app.screen
        assert emails_sent(sandbox) == ["one@queue.io", "two@queue.io"]  # one at a time
        assert boxes(form, "email") == ["three@q"]
        assert {lead["email"] for lead in server_leads(sandbox)} >= {
            "one@queue.io",
            "two@queue.io",
        }


async def test_a_queued_lead_is_set_aside_when_the_one_before_fails(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("json", method="POST", status=400, body=BLOCKED, delay=0.3)
        burst(app, "n", "=bad@queue.io", "ctrl+s", "=good@queue.io", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert emails_sent(sandbox) == ["bad@queue.io"]  # the queued one was not sent
        assert boxes(form, "email") == ["bad@queue.io"]
        assert [p.draft.values["email"] for p in form.set_aside] == ["good@queue.io"]


async def test_a_duplicate_found_while_the_next_is_typed_is_set_aside(sandbox, tmp_path):
    existing = server_leads(sandbox)[2]["email"]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="POST", delay=0.3)
        burst(app, "n", f"={existing}", "tab", "=Dup", "ctrl+s", "=next@dup.io")
        await settle(pilot)
        form = app.screen
        assert boxes(form, "email") == ["next@dup.io"]
        assert f"{existing} was not created" in str(form.banner.render())
        assert [p.draft.values["email"] for p in form.set_aside] == [existing]


async def test_quitting_while_a_lead_is_on_its_way_counts_as_unsent(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await typed_while_creates_are_slow(
            app, pilot, sandbox, "n", "=wait@quit.io", "ctrl+s", delay=0.5, settled=False
        )
        assert form.form.is_blank() and form.saving
        assert app.unsent_screens() == [form]  # the quit guard asks: the answer has not come
        await settle(pilot)
        assert app.unsent_screens() == []


async def test_escape_after_the_last_ctrl_s_goes_back_once_the_leads_are_saved(sandbox, tmp_path):
    """A paste that ends with escape: the leads on their way are saved (not cancelled), then
    the list shows, with them in it."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="POST", delay=0.3, count=2)
        burst(app, "n", "=one@paste.io", "ctrl+s", "=two@paste.io", "ctrl+s", "escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CreateLeadScreen) and form.leaving
        assert "Back to the list once one@paste.io and 1 more is saved" in str(form.status.render())
        await settle(pilot)
        assert emails_sent(sandbox) == ["one@paste.io", "two@paste.io"]
        assert isinstance(app.screen, LeadsScreen)
        assert [row.email for row in app.screen.rows[:2]] == ["two@paste.io", "one@paste.io"]
        assert app.drafts.load_all() == []


async def test_a_key_after_that_escape_keeps_the_form(sandbox, tmp_path):
    """escape, then more typing before the save is in: the form is the typist's again."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("slow", method="POST", delay=0.3)
        burst(app, "n", "=one@paste.io", "ctrl+s", "escape", "=three@paste.io")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen) and not form.leaving
        assert boxes(form, "email") == ["three@paste.io"]
        assert "Saved one@paste.io." in str(form.status.render())


async def test_a_lead_refused_after_that_escape_comes_back_and_the_form_stays(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("json", method="POST", status=400, body=BLOCKED, delay=0.3)
        burst(app, "n", "=first@lead.io", "tab", "tab", "tab", "=Blocked Ltd", "ctrl+s", "escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen) and not form.leaving
        assert boxes(form, "email", "companyName") == ["first@lead.io", "Blocked Ltd"]
        assert form.form.box("companyName").error == "Company is on a blocklist."
