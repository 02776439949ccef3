"""Clean values in the form (issue 15 item 3): the hint under the field, what is sent, ctrl+l."""

from __future__ import annotations

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from tests.ui_support import focused_id, open_app, requests_to, settle


async def open_form(pilot) -> CreateLeadScreen:
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateLeadScreen)
    return screen


async def test_e164_is_shown_before_save_and_sent(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        await pilot.press(*"Ann@Typed.io", "tab", "tab", "tab", "tab", "tab")
        assert focused_id(app) == "field-phone"
        await pilot.press(*"(415) 555-0142", "tab", *"linkedin.com/in/ann?trk=x")
        await settle(pilot)
        phone, url = form.form.box("phone"), form.form.box("linkedinUrl")
        assert phone.hint == "will be sent as +14155550142 · ctrl+l keeps it as typed"
        assert url.hint.startswith("will be sent as https://www.linkedin.com/in/ann ·")
        assert form.form.box("email").hint == "will be sent as ann@typed.io"
        assert phone.value == "(415) 555-0142"  # the box keeps what was typed
        assert requests_to(sandbox, "POST") == []  # nothing is sent before ctrl+s
        await pilot.press("ctrl+s")
        await settle(pilot)
        (post,) = requests_to(sandbox, "POST")
        assert post.body["phone"] == "+14155550142"
        assert post.body["linkedinUrl"] == "https://www.linkedin.com/in/ann"
        assert post.body["email"] == "ann@typed.io"
        (stored,) = sandbox.find_leads(email="ann@typed.io")
        assert stored["phoneNumber"] == "+14155550142"


async def test_ctrl_l_keeps_the_phone_as_typed(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        form.form.box("country").value = "United Kingdom"
        await pilot.press(*"bo@typed.io")
        form.form.focus_field("phone")
        await pilot.press(*"020 7946 0958")
        await settle(pilot)
        phone = form.form.box("phone")
        assert phone.hint.startswith("will be sent as +442079460958")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert phone.hint == "will be sent as typed · ctrl+l sends +442079460958"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (post,) = requests_to(sandbox, "POST")
        assert post.body["phone"] == "020 7946 0958"


async def test_an_invalid_phone_is_explained_when_leaving_the_field(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        form.form.focus_field("phone")
        await pilot.press(*"555-0100")
        await settle(pilot)
        phone = form.form.box("phone")
        assert phone.hint == ""  # not mid-word
        await pilot.press("tab")
        await settle(pilot)
        assert "not a valid US phone number" in phone.hint and phone.has_class("-hint-warning")
        assert phone.error is None  # a warning, not a refusal: it may be saved as typed


async def test_the_default_region_setting_reads_a_national_number(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        app.config.default_region = "GB"
        form = await open_form(pilot)
        form.form.focus_field("phone")
        await pilot.press(*"020 7946 0958")
        await settle(pilot)
        assert form.form.box("phone").hint.startswith("will be sent as +442079460958")
        assert form.form.sync().cleaned("phone").value == "+442079460958"
