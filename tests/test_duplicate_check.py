"""The create form looks the email up while the rest is typed: a lead that already has it is
said under the email, ctrl+o opens it (the form stays as typed underneath), and a burst of
keys sends one lookup, never one per keystroke. Against the real sandbox, keys in bursts."""

from __future__ import annotations

from typing import Any

import pytest

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.login import LoginScreen
from tests.typing_support import burst
from tests.ui_support import focused_id, open_app, requests_to, server_leads, settle, wait_until

DIALECTS = pytest.mark.parametrize("sandbox", ["", "docs-only"], indirect=True)


async def open_form(app: Any, pilot: Any) -> CreateLeadScreen:
    burst(app, "n")
    await settle(pilot)
    assert isinstance(app.screen, CreateLeadScreen)
    return app.screen


def lookups(sandbox: Any) -> list[Any]:
    return requests_to(sandbox, "GET")


def email_hint(form: CreateLeadScreen) -> str:
    return form.form.box("email").hint


def typed(form: CreateLeadScreen) -> dict[str, str]:
    fields = ("email", "firstName", "lastName", "companyName")
    return {field: form.form.box(field).value for field in fields}


def can_open(form: CreateLeadScreen) -> bool:
    return bool(form.check_action("open_existing", ()))


@DIALECTS
async def test_duplicate_found_while_typing_opens_with_one_key(sandbox, tmp_path):
    existing = server_leads(sandbox)[3]
    email = existing["email"]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        sandbox.clear_requests()
        # The email, then straight on into the next fields: one burst, no pauses.
        burst(app, "=" + email.upper(), "tab", "=Ada", "tab", "=Lovelace", "tab", "=Acme")
        await wait_until(pilot, lambda: form.duplicate is not None, "the duplicate")
        await settle(pilot)
        who = f"{existing['firstName']} {existing['lastName']} ({existing['companyName']})"
        assert email_hint(form) == f"{email} is already a lead: {who} · ctrl+o opens it"
        assert form.form.box("email").has_class("-has-hint", "-hint-warning")
        # One lookup for the whole burst, searching the list for the whole address.
        (lookup,) = lookups(sandbox)
        assert lookup.query.get("search") == email
        assert "email" not in lookup.query
        before = {"email": email.upper(), "firstName": "Ada", "lastName": "Lovelace"}
        assert typed(form) == {**before, "companyName": "Acme"}
        assert focused_id(app) == "field-companyName" and can_open(form)

        burst(app, "ctrl+o")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, EditLeadScreen) and edit.lead.id == existing["_id"]
        assert edit.form.box("firstName").value == existing["firstName"]
        # What was typed is also on disk, in the create form's draft.
        (draft,) = [d for d in app.drafts.load_all() if d.kind == "create"]
        assert draft.values["firstName"] == "Ada" and draft.values["companyName"] == "Acme"

        burst(app, "escape")
        await settle(pilot)
        assert app.screen is form
        assert typed(form) == {**before, "companyName": "Acme"}
        assert email_hint(form).startswith(f"{email} is already a lead")
        assert requests_to(sandbox, "POST") == []


async def test_a_new_email_says_nothing_after_one_lookup(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        sandbox.clear_requests()
        burst(app, "=new.person@fresh.example", "tab", "=New", "tab", "=Person")
        await wait_until(pilot, lambda: len(lookups(sandbox)) == 1, "the lookup")
        await settle(pilot)
        assert form.duplicate is None and email_hint(form) == "" and not can_open(form)
        assert len(lookups(sandbox)) == 1
        assert typed(form)["lastName"] == "Person"


async def test_editing_the_email_clears_the_hint_and_a_known_answer_is_not_asked_again(
    sandbox, tmp_path
):
    email = server_leads(sandbox)[0]["email"]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        sandbox.clear_requests()
        burst(app, "=" + email)
        await wait_until(pilot, lambda: form.duplicate is not None, "the duplicate")
        burst(app, "=x")  # another address now
        await settle(pilot)
        assert form.duplicate is None and email_hint(form) == "" and not can_open(form)
        await wait_until(pilot, lambda: len(lookups(sandbox)) == 2, "the second lookup")
        await settle(pilot)
        assert form.duplicate is None and email_hint(form) == ""
        burst(app, "backspace")  # back to the address already looked up: no request
        await wait_until(pilot, lambda: form.duplicate is not None, "the remembered answer")
        await settle(pilot)
        assert email_hint(form).startswith(f"{email} is already a lead")
        assert [r.query["search"] for r in lookups(sandbox)] == [email, email + "x"]


async def test_typing_on_cancels_a_lookup_in_flight(sandbox, tmp_path):
    email = server_leads(sandbox)[0]["email"]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        sandbox.clear_requests()
        sandbox.inject("slow", method="GET", path="/v1/leads", delay=1.5)
        burst(app, "=" + email)
        await wait_until(pilot, lambda: len(lookups(sandbox)) == 1, "the slow lookup")
        (in_flight,) = [w for w in app.workers if w.group == "duplicate-check"]
        burst(app, "=z")
        await wait_until(pilot, lambda: in_flight.is_finished, "the first lookup to stop")
        assert in_flight.is_cancelled
        await wait_until(pilot, lambda: len(lookups(sandbox)) == 2, "the next lookup")
        await settle(pilot)
        assert form.duplicate is None and email_hint(form) == ""


@pytest.mark.parametrize("status", [500, 401])
async def test_a_failed_lookup_is_quiet_and_saving_still_works(sandbox, tmp_path, status):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        sandbox.inject("status", method="GET", path="/v1/leads", status=status)
        burst(app, "=quiet@fail.example", "tab", "=Quinn")
        await wait_until(pilot, lambda: email_hint(form) != "", "the quiet hint")
        await settle(pilot)
        assert email_hint(form) == "could not check for duplicates"
        box = form.form.box("email")
        assert not box.has_class("-hint-warning") and box.error is None
        assert app.screen is form and not _has_login(app)
        assert not form.banner.display
        burst(app, "ctrl+s")
        await settle(pilot)
        (stored,) = sandbox.find_leads(email="quiet@fail.example")
        assert stored["firstName"] == "Quinn"


async def test_a_saved_lead_resets_the_hint_and_its_email_is_then_known(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(app, pilot)
        burst(app, "=fresh@saved.example", "tab", "=Fresh", "ctrl+s")
        await settle(pilot)
        assert sandbox.find_leads(email="fresh@saved.example")
        assert typed(form)["email"] == "" and email_hint(form) == ""
        sandbox.clear_requests()
        burst(app, "=fresh@saved.example")
        await wait_until(pilot, lambda: form.duplicate is not None, "the known duplicate")
        assert email_hint(form).startswith("fresh@saved.example is already a lead: Fresh ·")
        assert lookups(sandbox) == []  # the create's answer said so: nothing asked


async def test_the_edit_form_does_not_look_its_email_up(sandbox, tmp_path):
    lead = server_leads(sandbox)[0]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "enter")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, EditLeadScreen) and edit.lead.id == lead["_id"]
        burst(app, "=Renamed")
        await settle(pilot)
        assert not [r for r in lookups(sandbox) if "search" in r.query]
        assert edit.form.box("email").hint == ""


def _has_login(app: Any) -> bool:
    return any(isinstance(screen, LoginScreen) for screen in app.screen_stack)


def test_the_notice_shows_server_text_as_data_on_one_line():
    from sendkit_tui.domain.wording import duplicate_notice

    hostile = duplicate_notice(
        "a@b.io", first="[bold]Eve[/bold]", last="\x1b[31mX\u202e", company=None, key="ctrl+o"
    )
    assert (
        hostile == "a@b.io is already a lead: [bold]Eve[/bold] \\x1b[31mX<U+202E> · ctrl+o opens it"
    )
    assert "no name ·" in duplicate_notice("a@b.io", first=" ", last=None, company="", key="k")
    long = duplicate_notice("a@b.io", first="A" * 60, last=None, company="Acme", key="k")
    assert long == f"a@b.io is already a lead: {'A' * 39}… (Acme) · k opens it"
