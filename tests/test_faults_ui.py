# ruff: noqa: E501  (the table in this docstring is pasted into the closing note)
"""Every sandbox fault against the create form and the edit screen, driven like a user.

Each test types a lead (or a change), injects one fault on the save request, presses
ctrl+s and checks: the app is still running, nothing typed is lost (the form still holds
it, and the draft file holds it whenever the save did not go through), the message is in
the right place (the banner; never a field, never only a toast), and the server holds
exactly one lead per email after an ambiguous create. Then the user presses ctrl+s again
and the save goes through.

What the user sees (client read timeout shortened to 0.3 s for the slow faults):

| fault                          | create form                                              | edit screen                                              |
|--------------------------------|----------------------------------------------------------|----------------------------------------------------------|
| slow (1 s > read timeout)      | banner "SendKit did not answer after the request was     | banner "… did not answer within                          |
|                                | sent … no lead with this email yet." (the lookup ran before the   | 0.3 seconds."; draft kept (outcome failed); the server   |
|                                | slow request finished: the lead appears later; see the   | applies the PATCH later; resending is harmless           |
|                                | xfail test); resending gets the 409 "already exists,     |                                                          |
|                                | ctrl+o opens it" under email; one lead on the server     |                                                          |
| slow_after (saved, then slow)  | lookup finds it: toast "… was created after all;         | banner "… did not answer within                          |
|                                | opening it.", the edit screen of that lead replaces the  | 0.3 seconds."; draft kept; the change is on the server   |
|                                | form, draft deleted, one POST, one lead                  |                                                          |
| 429 + Retry-After: 2           | retried after 2 s (status "rate limited: retrying (1/3)  | same: retried after 2 s, saved, toast "Saved …"          |
|                                | in 2.0 s…"), saved, "Saved …" in the status line, form clear  |                                                          |
| 500                            | banner "SendKit had a problem (HTTP 500): … It was not   | banner "SendKit had a problem (HTTP 500): …" + "Press    |
|                                | created." + "Press ctrl+s to send it again."; draft kept | ctrl+s to try again."; not retried; draft kept           |
| 502 (once)                     | not retried (a create is never resent on 502): lookup,   | retried, saved                                           |
|                                | banner "… (HTTP 502) … It was not created."; draft kept  |                                                          |
| 502 (4 times)                  | as 502 once                                              | 3 retries, then banner "… (HTTP 502) …"; draft kept      |
| 503 without Retry-After        | banner "SendKit had a problem (HTTP 503): …" + "Press    | retried, saved (4 times: banner "… (HTTP 503) …")        |
|                                | ctrl+s to try again."; draft kept                        |                                                          |
| 503 with Retry-After: 1        | retried after 1 s, saved                                 | retried after 1 s, saved                                 |
| html error page (502)          | banner "The server sent a response that is not SendKit   | retried (502), saved                                     |
|                                | JSON (HTTP 502): 502 Bad Gateway nginx It was not        |                                                          |
|                                | created." (no HTML tags)                                 |                                                          |
| empty body (200)               | banner "… not SendKit JSON (HTTP 200): (empty body) It   | banner "… not SendKit JSON (HTTP 200): (empty body)";    |
|                                | was not created."; draft kept                            | draft kept                                               |
| truncated JSON (200)           | banner "… not SendKit JSON (HTTP 200): {"success": …     | banner "… not SendKit JSON (HTTP 200): {…"; draft kept   |
|                                | It was not created."; draft kept                         |                                                          |
| drop_before (nothing read)     | banner "SendKit did not answer after the request was     | banner "The connection to … was                          |
|                                | sent … no lead with this email yet"; draft kept; no lead| lost before an answer came."; draft kept                 |
| drop_after (done, then drop)   | lookup finds it: toast "… was created after all; opening | banner "The connection … was                             |
|                                | it.", edit screen opens, draft deleted, one lead         | lost …"; draft kept; the change is on the server         |
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.ui_support import (
    fill,
    open_app,
    record_notifications,
    requests_to,
    settle,
    wait_until,
)

FAST = {"timeout": httpx.Timeout(connect=2, read=0.3, write=2, pool=2)}
FIELDS = ("email", "firstName", "lastName", "companyName", "city")
TAG = "vip"
CUSTOM = ("plan", "enterprise")


def typed_lead(email: str) -> dict[str, str]:
    return {
        "email": email,
        "firstName": "Fay",
        "lastName": "Ult",
        "companyName": "Faults Inc",
        "city": "Oslo",
    }


async def open_create(pilot: Any, email: str) -> CreateLeadScreen:
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, CreateLeadScreen)
    fill(form, typed_lead(email))
    form.form.tags.add(TAG)
    grid = form.form.grid
    grid.key_input.value, grid.value_input.value = CUSTOM
    assert grid.commit()
    return form


def assert_form_holds(form: CreateLeadScreen, email: str) -> None:
    values = form.form.values()
    for field, value in typed_lead(email).items():
        assert values[field] == value, field
    assert values["tags"] == [TAG]
    assert values["customFields"] == {CUSTOM[0]: CUSTOM[1]}


def assert_draft_holds(app: Any, email: str, outcome: str = "failed") -> None:
    (draft,) = app.drafts.load_all()
    assert draft.kind == "create" and draft.outcome == outcome
    for field, value in typed_lead(email).items():
        assert draft.values[field] == value, field
    assert draft.values["tags"] == [TAG]
    assert draft.values["customFields"] == {CUSTOM[0]: CUSTOM[1]}


def assert_no_field_errors(form: Any) -> None:
    for field in FIELDS:
        assert not form.form.box(field).error, field


def inject(sandbox: Any, method: str, spec: dict[str, Any]) -> None:
    spec = dict(spec)
    kind = spec.pop("kind")
    sandbox.inject(kind, method=method, path="/v1/leads", **spec)


# -- create -------------------------------------------------------------------------------

# Faults after which the lead does not exist and the app says so in the banner.
CREATE_NOT_CREATED = {
    "500": ({"kind": "status", "status": 500}, "(HTTP 500)"),
    "502": ({"kind": "status", "status": 502}, "(HTTP 502)"),
    "html": ({"kind": "html"}, "not SendKit JSON (HTTP 502): 502 Bad Gateway"),
    "empty": ({"kind": "empty"}, "(HTTP 200): (empty body)"),
    "truncated": ({"kind": "truncated"}, "not SendKit JSON (HTTP 200)"),
    "drop_before": ({"kind": "drop_before"}, "may or may not have been saved"),
}


@pytest.mark.parametrize("name", list(CREATE_NOT_CREATED))
async def test_create_fault_not_created_keeps_everything_and_resend_works(sandbox, tmp_path, name):
    spec, fragment = CREATE_NOT_CREATED[name]
    email = f"create-{name}@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        form = await open_create(pilot, email)
        inject(sandbox, "POST", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is form
        assert form.banner.display
        assert fragment in form.banner.message
        # A dropped connection may still deliver the request later: "not found yet".
        maybe = name == "drop_before"
        verdict = "no lead with this email yet" if maybe else "It was not created."
        assert verdict in form.banner.message
        assert "ctrl+s" in str(form.banner.render())
        if name == "html":
            assert "<" not in form.banner.message
        assert_no_field_errors(form)
        assert_form_holds(form, email)
        assert_draft_holds(app, email, "unknown" if maybe else "failed")
        assert len(requests_to(sandbox, "POST")) == 1  # never resent on its own
        assert sandbox.find_leads(email=email) == []

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sandbox.find_leads(email=email)) == 1
        assert not form.banner.display
        assert app.drafts.load_all() == []


@pytest.mark.parametrize(
    "spec",
    [{"kind": "status", "status": 503}, {"kind": "status", "status": 503, "count": 4}],
    ids=["503", "503x4"],
)
async def test_create_503_without_retry_after_is_not_resent_and_asks_to_retry(
    sandbox, tmp_path, spec
):
    email = "create-503@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        form = await open_create(pilot, email)
        inject(sandbox, "POST", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is form
        assert "(HTTP 503)" in form.banner.message
        assert "Press ctrl+s to try again." in str(form.banner.render())
        assert_no_field_errors(form)
        assert_form_holds(form, email)
        assert_draft_holds(app, email)
        assert len(requests_to(sandbox, "POST")) == 1
        assert sandbox.find_leads(email=email) == []


@pytest.mark.parametrize(
    ("spec", "wait"),
    [
        ({"kind": "status", "status": 429, "retry_after": 2}, 2.0),
        ({"kind": "status", "status": 503, "retry_after": 1}, 1.0),
    ],
    ids=["429-retry-after", "503-retry-after"],
)
async def test_create_rate_limit_is_retried_after_the_servers_delay(
    sandbox, tmp_path, monkeypatch, spec, wait
):
    email = "create-retry@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        form = await open_create(pilot, email)
        statuses: list[str] = []
        original = form.on_retry

        def on_retry(info: Any) -> None:
            original(info)
            statuses.append(str(form.status.render()))

        monkeypatch.setattr(form, "on_retry", on_retry)
        inject(sandbox, "POST", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        assert app.client_options["sleep"].delays == [wait]
        assert statuses and "retrying (1/3)" in statuses[0]
        (stored,) = sandbox.find_leads(email=email)
        assert stored["customFields"] == {CUSTOM[0]: CUSTOM[1]}
        assert len(requests_to(sandbox, "POST")) == 2
        assert not form.banner.display and form.form.box("email").value == ""
        assert app.drafts.load_all() == []
        assert said == []  # the status line says it; no toast over the next lead's fields
        assert f"Saved {email}." in str(form.status.render())


@pytest.mark.parametrize(
    "spec", [{"kind": "slow_after", "delay": 1.0}, {"kind": "drop_after"}], ids=lambda s: s["kind"]
)
async def test_create_that_happened_without_an_answer_is_saved_once(
    sandbox, tmp_path, monkeypatch, spec
):
    """No answer, but the lookup finds the lead: it was created (said so, with a toast as
    the save was unusual), and the form goes on with the next lead as after any save."""
    email = f"create-{spec['kind']}@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        form = await open_create(pilot, email)
        inject(sandbox, "POST", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        (stored,) = sandbox.find_leads(email=email)  # exactly one: no blind resend
        assert len(requests_to(sandbox, "POST")) == 1
        assert app.screen is form and form.form.box("email").value == ""
        assert any("its answer was lost" in text for text in said)
        assert f"Saved {email}." in str(form.status.render())
        assert app.drafts.load_all() == []  # confirmed by the lookup: nothing left unsent
        await pilot.press("escape")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, LeadsScreen)
        assert any(lead.id == stored["_id"] for lead in listing.rows)


async def test_create_slow_beyond_the_timeout_then_resend_gives_one_lead(sandbox, tmp_path):
    email = "create-slow@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        form = await open_create(pilot, email)
        inject(sandbox, "POST", {"kind": "slow", "delay": 1.0})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is form
        assert "may or may not have been saved" in form.banner.message
        assert_no_field_errors(form)
        assert_form_holds(form, email)
        assert_draft_holds(app, email, "unknown")
        # The slow request is still being served; it lands after the lookup.
        await wait_until(pilot, lambda: sandbox.find_leads(email=email), "the slow create")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sandbox.find_leads(email=email)) == 1
        email_box = form.form.box("email")
        assert "already exists" in (email_box.error or "")
        assert_form_holds(form, email)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, EditLeadScreen)
        assert app.screen.lead.email == email


async def test_create_slow_beyond_the_timeout_does_not_claim_not_created(sandbox, tmp_path):
    email = "create-slow-claim@faults.io"
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        form = await open_create(pilot, email)
        inject(sandbox, "POST", {"kind": "slow", "delay": 1.0})
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_until(pilot, lambda: sandbox.find_leads(email=email), "the slow create")
        await settle(pilot)
        # The lead exists now: the app must not have told the user it does not.
        assert "not created" not in form.banner.message
        (draft,) = app.drafts.load_all()
        assert draft.outcome_detail != "not created"


# -- edit ---------------------------------------------------------------------------------

BASE = {
    "email": "edit.faults@example.io",
    "firstName": "Old",
    "lastName": "Name",
    "tags": ["alpha"],
    "customFields": {"plan": "free"},
}


async def open_edit(sandbox: Any, app: Any, pilot: Any, lead_id: str) -> EditLeadScreen:
    listing = app.screen
    assert isinstance(listing, LeadsScreen)
    listing.table.move_cursor(row=listing.table.get_row_index(lead_id))
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, EditLeadScreen)
    fill(screen, {"firstName": "New", "city": "Bergen"})
    screen.form.tags.add("beta")
    await settle(pilot)
    sandbox.clear_requests()
    return screen


def assert_edit_kept(app: Any, screen: EditLeadScreen) -> None:
    values = screen.form.values()
    assert (values["firstName"], values["city"]) == ("New", "Bergen")
    assert values["tags"] == ["alpha", "beta"]
    (draft,) = app.drafts.load_all()
    assert draft.kind == "edit" and draft.outcome == "failed"
    assert draft.lead_id == screen.lead.id
    assert (draft.values["firstName"], draft.values["city"]) == ("New", "Bergen")
    assert draft.values["tags"] == ["alpha", "beta"]
    assert draft.baseline is not None and draft.baseline["firstName"] == "Old"


EDIT_RETRIED = {
    "429": {"kind": "status", "status": 429, "retry_after": 2},
    "502": {"kind": "status", "status": 502},
    "503": {"kind": "status", "status": 503},
    "503-retry-after": {"kind": "status", "status": 503, "retry_after": 1},
    "html": {"kind": "html"},
}


@pytest.mark.parametrize("name", list(EDIT_RETRIED))
async def test_edit_transient_fault_is_retried_and_saved(sandbox, tmp_path, monkeypatch, name):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        screen = await open_edit(sandbox, app, pilot, lead_id)
        inject(sandbox, "PATCH", EDIT_RETRIED[name])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert [r.status for r in requests_to(sandbox, "PATCH")][-1] == 200
        assert len(requests_to(sandbox, "PATCH")) == 2
        stored = sandbox.get_lead(lead_id)
        assert (stored["firstName"], stored["city"], stored["tags"]) == (
            "New",
            "Bergen",
            ["alpha", "beta"],
        )
        assert not screen.banner.display
        assert app.drafts.load_all() == []
        assert any(text.startswith("Saved edit.faults@example.io") for text in said)
        if EDIT_RETRIED[name].get("retry_after"):
            assert app.client_options["sleep"].delays == [EDIT_RETRIED[name]["retry_after"]]


# name -> (fault, banner fragment, whether the server applied the change anyway)
EDIT_FAILED = {
    "slow": ({"kind": "slow", "delay": 1.0}, "did not answer within 0.3 seconds", "later"),
    "slow_after": ({"kind": "slow_after", "delay": 1.0}, "did not answer within 0.3", "yes"),
    "500": ({"kind": "status", "status": 500}, "(HTTP 500)", "no"),
    "502x4": ({"kind": "status", "status": 502, "count": 4}, "(HTTP 502)", "no"),
    "503x4": ({"kind": "status", "status": 503, "count": 4}, "(HTTP 503)", "no"),
    "empty": ({"kind": "empty"}, "not SendKit JSON (HTTP 200): (empty body)", "no"),
    "truncated": ({"kind": "truncated"}, "not SendKit JSON (HTTP 200)", "no"),
    "drop_before": ({"kind": "drop_before"}, "was lost before an answer came", "no"),
    "drop_after": ({"kind": "drop_after"}, "was lost before an answer came", "yes"),
}


@pytest.mark.parametrize("name", [n for n, spec in EDIT_FAILED.items() if spec[2] != "yes"])
async def test_edit_fault_keeps_the_change_and_resend_saves_it(sandbox, tmp_path, name):
    spec, fragment, applied = EDIT_FAILED[name]
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        screen = await open_edit(sandbox, app, pilot, lead_id)
        inject(sandbox, "PATCH", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert screen.banner.display and fragment in screen.banner.message
        assert "ctrl+s" in str(screen.banner.render())
        # The status line says again what is waiting to be sent, as before ctrl+s.
        assert "3 changes not saved" in str(screen.status.render())
        assert_no_field_errors(screen)
        assert_edit_kept(app, screen)
        first_name = lambda: sandbox.get_lead(lead_id)["firstName"]  # noqa: E731
        if applied == "no":
            assert first_name() == "Old"
        elif applied == "yes":
            assert first_name() == "New"
        else:
            await wait_until(pilot, lambda: first_name() == "New", "the slow PATCH")

        # Resend. When the lost PATCH did land, the re-check sees a newer copy and asks.
        await pilot.press("ctrl+s")
        await settle(pilot)
        if app.screen is not screen:
            await pilot.press("y")
            await settle(pilot)
        assert app.screen is screen
        stored = sandbox.get_lead(lead_id)
        assert (stored["firstName"], stored["city"], stored["tags"]) == (
            "New",
            "Bergen",
            ["alpha", "beta"],
        )
        assert not screen.banner.display
        assert app.drafts.load_all() == []


@pytest.mark.parametrize("name", [n for n, spec in EDIT_FAILED.items() if spec[2] == "yes"])
async def test_a_patch_that_landed_though_its_answer_was_lost_is_reported_saved(
    sandbox, tmp_path, name
):
    # It used to say "Could not reach SendKit" for a change the lead already showed.
    spec, _, _ = EDIT_FAILED[name]
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        screen = await open_edit(sandbox, app, pilot, lead_id)
        inject(sandbox, "PATCH", spec)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and not screen.banner.display
        assert sandbox.get_lead(lead_id)["firstName"] == "New"
        assert screen.model.patch() == {}  # nothing left to send
        assert "Saved" in str(screen.status.render())
        assert app.drafts.load_all() == []


async def test_edit_resend_after_a_landed_but_unanswered_patch_does_not_warn(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path, client_options=FAST) as (app, pilot):
        screen = await open_edit(sandbox, app, pilot, lead_id)
        inject(sandbox, "PATCH", {"kind": "drop_after"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # no "changed on SendKit" question
