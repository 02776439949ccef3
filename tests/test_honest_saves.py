"""Every edit save is checked against SendKit's answer, under every reading of the docs.

The sandbox plays a dialect (null ignored, phone taken only as phoneNumber, tags merged…);
the app must never say a change was saved when the server did not apply it: the message
goes next to the field, the change stays unsaved and in the draft, and what was learnt
about the server adapts the next PATCH where that can work.
"""

from __future__ import annotations

import pytest

from sendkit_tui.sandbox import DIALECTS
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, server_leads, settle
from tests.ui_support import open_lead_by_keys as open_lead

BASE = {
    "email": "honest@save.io",
    "firstName": "Ada",
    "phone": "+14155550100",
    "tags": ["alpha", "beta"],
    "customFields": {"plan": "free", "seats": "3"},
}


def edits(screen: EditLeadScreen) -> None:
    """One of each kind: a field set, a phone changed, a tag removed, a custom field removed."""
    screen.form.box("jobTitle").value = "CTO"
    screen.form.box("phone").value = "+14155550142"
    screen.model.remove_tag("beta")
    screen.model.delete_custom("seats")
    screen.form.tags.refresh_view()
    screen.form.grid.refresh_view()


def stored_as_asked(lead: dict) -> dict[str, bool]:
    return {
        "jobTitle": lead.get("jobTitle") == "CTO",
        "phone": lead.get("phoneNumber") == "+14155550142",
        "tags": lead.get("tags") == ["alpha"],
        "customFields": "seats" not in (lead.get("customFields") or {}),
    }


@pytest.mark.parametrize("sandbox", ["", *DIALECTS], indirect=True)
async def test_the_user_is_never_told_a_change_was_saved_when_it_was_not(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        edits(screen)
        asked = screen.current_patch()  # docs-only: no custom fields shown, none removed
        burst(app, "ctrl+s")
        await settle(pilot)
        took = {k: ok for k, ok in stored_as_asked(sandbox.get_lead(lead_id)).items() if k in asked}
        status = str(screen.status.render())
        if all(took.values()):
            assert "Nothing left to send" in status
            assert screen.model.patch() == {}
            return
        assert "Nothing left to send" not in status and "Not all saved" in status
        assert screen.banner.display and "not everything took" in screen.banner.message
        left = screen.model.patch()
        for field, ok in took.items():
            assert (field in left) is not ok, (field, left)  # exactly what did not take
        (draft,) = app.drafts.load_all()
        assert draft.outcome == "failed"


@pytest.mark.parametrize("sandbox", ["phone-number-only"], indirect=True)
async def test_what_was_learnt_makes_the_next_save_work(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("phone").value = "+14155550142"
        burst(app, "ctrl+s")
        await settle(pilot)
        assert "phone" in screen.model.patch()  # did not take the first time
        sandbox.clear_requests()
        burst(app, "ctrl+s")
        await settle(pilot)
        assert [r.body for r in requests_to(sandbox, "PATCH")] == [{"phoneNumber": "+14155550142"}]
        assert sandbox.get_lead(lead_id)["phoneNumber"] == "+14155550142"
        assert screen.model.patch() == {}
        assert "Nothing left to send" in str(screen.status.render())


@pytest.mark.parametrize("sandbox", ["", *DIALECTS], indirect=True)
async def test_a_create_that_took_is_reported_saved_under_every_dialect(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n", "=every@dialect.io", "tab", "=Fay", "ctrl+t", "=vip", "enter", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert "Saved every@dialect.io" in str(form.status.render())
        assert not form.banner.display  # no false alarm
        (created,) = [lead for lead in server_leads(sandbox) if lead["email"] == "every@dialect.io"]
        assert (created.get("firstName"), created.get("tags")) == ("Fay", ["vip"])
