"""Paste a contact into the create form (issue 15 item 4), driven like a user."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Static, TextArea

from sendkit_tui.ui.dialogs.paste_contact import NOTHING, PasteContactScreen
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from tests.ui_support import focused_id, open_app, requests_to, settle

APPLE = (Path(__file__).parent / "data" / "contacts" / "apple_3.vcf").read_bytes().decode()


async def open_form(pilot) -> CreateLeadScreen:
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateLeadScreen)
    return screen


async def paste(pilot, text: str) -> PasteContactScreen:
    dialog = pilot.app.screen
    assert isinstance(dialog, PasteContactScreen)
    area = dialog.query_one(TextArea)
    assert pilot.app.focused is area
    pilot.app.post_message(events.Paste(text))  # as the terminal does: the app forwards it
    await settle(pilot)
    assert area.text == text.replace("\r\n", "\n")  # pasted once (TextArea keeps \n)
    return dialog


async def test_a_pasted_vcard_fills_the_form_and_nothing_is_sent_until_ctrl_s(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        await pilot.press(*"someone@typed.io", "ctrl+y")
        await settle(pilot)
        dialog = await paste(pilot, APPLE)
        assert dialog.parsed.fields["lastName"] == "Roe"
        assert "another phone: (512) 555-0100" in dialog.parsed.left_out
        assert not any("contacts was read" in line for line in dialog.parsed.left_out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        boxes = form.form
        assert boxes.box("email").value == "Jane.Roe@Example-Corp.io"  # the paste's email
        assert boxes.box("firstName").value == "Jane" and boxes.box("lastName").value == "Roe"
        assert boxes.box("companyName").value == "Example Corp"
        assert boxes.box("jobTitle").value == "Head of Sales"
        assert boxes.box("phone").value == "(512) 555-0199"
        assert boxes.box("phone").hint.startswith("will be sent as +15125550199")
        assert boxes.box("city").value == "Austin" and boxes.box("country").value == "United States"
        assert "Filled from the vCard 3.0" in str(form.status.render())
        assert focused_id(app) == "field-email"
        assert requests_to(sandbox, "POST") == []  # filled, not saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        (post,) = requests_to(sandbox, "POST")
        assert post.body == {
            "email": "jane.roe@example-corp.io", "firstName": "Jane", "lastName": "Roe",
            "companyName": "Example Corp", "jobTitle": "Head of Sales", "phone": "+15125550199",
            "linkedinUrl": "https://www.linkedin.com/in/janeroe", "city": "Austin",
            "state": "TX", "country": "United States",
        }  # fmt: skip


async def test_escape_and_unparseable_text_change_nothing(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        await pilot.press(*"kept@typed.io", "ctrl+y")
        await settle(pilot)
        dialog = await paste(pilot, "see you at lunch tomorrow")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # nothing to fill: the dialog stays and says so
        assert NOTHING in str(dialog.query_one("#paste-preview", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        assert form.form.box("email").value == "kept@typed.io"
        assert all(form.form.box(f).value == "" for f in ("firstName", "phone", "city"))
        await pilot.press("ctrl+y")
        await settle(pilot)
        await paste(pilot, APPLE)
        await pilot.press("escape")  # a good paste, then cancelled: nothing changes either
        await settle(pilot)
        assert form.form.box("email").value == "kept@typed.io"
        assert form.form.box("firstName").value == ""
        assert requests_to(sandbox, "POST") == []
