"""What the form does for the user stays the same after the keystroke and save speed-ups.

The speed-ups (issue 6): inputs repaint instead of laying out the screen on every key,
errors and labels are only updated when their text changes, the draft debounce keeps one
timer per pause, "Saving…" shows only when a save is not answered at once, and the leads
list under the form is updated after the "saved" frame. None of these tests is timed.
"""

from __future__ import annotations

from typing import Any

from sendkit_tui.ui.base import form_screen
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.widgets.status_line import StatusLine
from tests.ui_support import fill, open_app, requests_to, server_leads, settle

LONG = "someone.with.a.rather.long.name@subdomain.example-corporation.io"


async def open_form(pilot) -> CreateLeadScreen:
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateLeadScreen)
    return screen


def footer_descriptions(screen) -> list[str]:
    return [key.description for key in screen.query_one("KeyBar").shown]


async def poll(pilot, check, tries: int = 400) -> bool:
    """Wait for ``check()`` one refresh at a time (bounded; never sleeps for a set time)."""
    for _ in range(tries):
        if check():
            return True
        await pilot.pause()
    return check()


async def test_a_value_longer_than_the_box_scrolls_to_keep_the_cursor_in_view(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path, size=(60, 30)) as (app, pilot):
        form = await open_form(pilot)
        field = form.form.box("email").input
        width = field.region.width
        assert len(LONG) > width
        await pilot.press(*LONG)
        await settle(pilot)
        assert field.value == LONG
        assert field.region.width == width  # the box keeps its size while typing
        assert field.scroll_offset.x > 0
        assert LONG[-12:] in field.render_line(0).text  # the end, where the cursor is
        await pilot.press("home")
        await settle(pilot)
        assert field.scroll_offset.x == 0
        assert field.render_line(0).text.startswith(LONG[:12])


async def test_an_error_shows_on_leaving_clears_when_fixed_and_comes_back(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        box = form.form.box("email")
        await pilot.press(*"not-an-email", "tab")
        await settle(pilot)
        first = box.error
        assert first and box.has_class("-has-error")
        box.input.focus()
        await pilot.press("end", *"@x.io")
        await settle(pilot)
        assert box.error is None and not box.has_class("-has-error")
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert box.error is None  # no new error mid-word
        await pilot.press("tab")
        await settle(pilot)
        assert box.error == first and box.has_class("-has-error")
        shown = box.note
        assert first in str(shown.render())


async def test_commas_and_semicolons_in_the_tag_box_make_several_tags(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        tags = form.form.tags
        form.form.focus_field("tags")
        await pilot.press(*"hot, q4; vip", "enter")
        await settle(pilot)
        assert form.model.tags() == ["hot", "q4", "vip"]
        assert tags.pending_text == ""
        assert not tags.has_class("-has-error")


async def test_the_draft_is_written_every_second_while_typing_goes_on(
    sandbox, tmp_path, monkeypatch
):
    # A throttle, not a debounce: continuous typing used to push the write out forever, so a
    # crash after 11 s of typing kept nothing. The timer is never restarted by a key.
    monkeypatch.setattr(form_screen, "DRAFT_EVERY", 60.0)  # no real timer fires here
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "draft@"})
        await settle(pilot)
        timer = form._draft_timer
        assert timer is not None
        fill(form, {"email": "draft@typed.io"})
        await settle(pilot)
        assert form._draft_timer is timer  # typing on does not push the write out
        form._draft_due()  # the second is up while typing still goes on
        (draft,) = app.drafts.load_all()
        assert draft.values["email"] == "draft@typed.io"
        assert form._draft_timer is None
        fill(form, {"firstName": "Dee"})
        await settle(pilot)
        assert form._draft_timer is not None  # typing again arms a new one


async def test_a_slow_save_says_saving_until_it_is_answered(sandbox, tmp_path):
    sandbox.inject("slow", method="POST", delay=1.0)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "slow@save.io"})
        await pilot.press("ctrl+s")
        status = form.query_one(StatusLine)
        assert await poll(pilot, lambda: "Saving slow@save.io" in str(status.render()))
        assert status.has_class("-busy")
        await settle(pilot)
        assert "Saved slow@save.io" in str(status.render())
        assert not status.has_class("-busy")
        assert len(sandbox.find_leads(email="slow@save.io")) == 1


async def test_a_busy_line_replaced_before_its_delay_never_shows(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        status = form.query_one(StatusLine)
        said: list[str] = []
        original = status.update

        def update(content: Any = "", **options: Any) -> None:
            said.append(str(content))
            original(content, **options)

        status.update = update  # type: ignore[method-assign]
        status.say_soon("Working…", delay=0.001)  # due at once, unless cancelled
        status.say("Done.")
        await poll(pilot, lambda: False, tries=20)
        assert said == ["Done."]
        status.say_soon("Working…", delay=0.001)
        assert await poll(pilot, lambda: any("Working…" in line for line in said))  # shown


async def test_the_list_learns_of_a_new_lead_even_when_the_form_closes_at_once(
    sandbox, tmp_path, monkeypatch
):
    told: list[str] = []
    original = LeadsScreen._lead_saved

    def lead_saved(self: LeadsScreen, news: Any) -> None:
        told.append(news.lead.email)
        assert news.created  # a create puts the new lead first
        original(self, news)

    monkeypatch.setattr(LeadsScreen, "_lead_saved", lead_saved)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": "quick@exit.io"})
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert told == ["quick@exit.io"]


async def test_open_existing_leaves_the_footer_after_the_next_good_save(sandbox, tmp_path):
    existing = server_leads(sandbox)[2]
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        fill(form, {"email": existing["email"]})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Open existing" in footer_descriptions(form)
        fill(form, {"email": "fresh@after-dup.io"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(requests_to(sandbox, "POST")) == 2
        assert "Open existing" not in footer_descriptions(form)


async def test_the_list_under_a_form_is_redrawn_when_it_shows_again(sandbox, tmp_path):
    """Saves while a form is on top change the list's rows, not its widgets (Textual repaints
    the form over any change beneath it); back on the list, the new lead is first."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        listing = app.screen
        assert isinstance(listing, LeadsScreen)
        form = await open_form(pilot)
        drawn: list[int] = []
        original = listing.table.rows_changed
        listing.table.rows_changed = lambda: (drawn.append(1), original())[1]  # type: ignore[method-assign]
        for email in ("one@under.io", "two@under.io"):
            fill(form, {"email": email})
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert await poll(pilot, lambda: listing.rows_stale)  # told, after the saved frame
        assert drawn == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing and drawn == [1] and not listing.rows_stale
        assert [row.email for row in listing.rows[:2]] == ["two@under.io", "one@under.io"]
        assert "of 27 leads" in str(listing.status.render())


async def test_checking_the_form_before_a_save_leaves_an_unchanged_grid_alone(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await open_form(pilot)
        table = form.form.grid.table
        cleared: list[int] = []
        original = table.clear
        table.clear = lambda *a, **k: (cleared.append(1), original(*a, **k))[1]  # type: ignore[method-assign]
        form.form.validate()
        assert cleared == []  # nothing changed: no redraw (and no frame of its own)
        form.model.add_custom("plan", "pro")
        form.form.validate()
        assert cleared == [1]
        assert form.form.grid.table.row_count == 2  # the field and the add row
