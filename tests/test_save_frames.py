"""ctrl+s clears the form and sends the lead: the screen's next frame is held for a moment so
that a quick answer ("Saved …") and the cleared form are drawn together (ui/frame_hold.py).
The hold never outlives its timer, the answer or the form, and keys typed meanwhile are kept.
The list beneath the form learns of the lead at once, without handling a message (a message
handled by a covered screen makes Textual redraw the whole form over it)."""

from __future__ import annotations

import pytest

from sendkit_tui.ui import frame_hold
from sendkit_tui.ui.news import LeadSaved
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.typing_support import burst
from tests.ui_support import open_app, settle, typed_while_creates_are_slow


def watch_answers(form: CreateLeadScreen) -> list[bool]:
    """Whether frames were held at the moment each created lead's answer was shown."""
    held: list[bool] = []
    created = form._created

    def record(lead, **options):
        held.append(form.frames is not None and form.frames.holding)
        return created(lead, **options)

    form._created = record  # type: ignore[method-assign]
    return held


async def test_the_answer_and_the_cleared_form_share_a_frame(sandbox, tmp_path, monkeypatch):
    """Held until SendKit answers (a long hold here, so a busy test machine cannot make the
    answer miss it), then released: "Saved" is drawn with the blank form."""
    monkeypatch.setattr(frame_hold, "HOLD", 30.0)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        held = watch_answers(form)
        burst(app, "=quick@lead.io", "ctrl+s", "=next@lead.io")
        await settle(pilot)
        assert held == [True]
        assert form.frames is not None and not form.frames.holding
        assert "Saved quick@lead.io" in str(form.status.render())
        assert form.form.box("email").value == "next@lead.io"  # typed while held: kept


async def test_a_slow_answer_does_not_hold_the_form_back(sandbox, tmp_path):
    """SendKit answers after the hold's timer: the cleared form was drawn first, on time."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await typed_while_creates_are_slow(
            app, pilot, sandbox, "n", "=slow@lead.io", "ctrl+s", delay=0.3, settled=False
        )
        assert isinstance(form, CreateLeadScreen)
        held = watch_answers(form)
        await settle(pilot)
        assert held == [False]
        assert "Saved slow@lead.io" in str(form.status.render())


async def test_a_hold_ends_with_a_cancelled_save(sandbox, tmp_path, monkeypatch):
    """escape twice right after ctrl+s stops waiting for the answer, and the hold with it
    (the first escape only asks for the list once the lead is saved)."""
    monkeypatch.setattr(frame_hold, "HOLD", 30.0)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await typed_while_creates_are_slow(
            app, pilot, sandbox, "n", "=gone@lead.io", "ctrl+s", delay=0.5, settled=False
        )
        assert isinstance(form, CreateLeadScreen)
        assert form.frames is not None and form.frames.holding
        burst(app, "escape", "escape")
        for _ in range(3):
            await pilot.pause()
        assert not form.frames.holding and not form.saving


async def held_form(app, pilot) -> CreateLeadScreen:
    """The create form, its next frame held (for as long as the test sets ``HOLD``)."""
    burst(app, "n")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CreateLeadScreen)
    form.frames = frame_hold.FrameHold(app)
    form.frames.hold()
    return form


async def test_a_hold_ends_with_the_form(sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(frame_hold, "HOLD", 30.0)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await held_form(app, pilot)
        burst(app, "escape")  # a blank form closes at once
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert not form.frames.holding


async def test_the_list_under_the_form_learns_of_a_lead_at_once(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "n")
        await settle(pilot)
        leads = app.screen_stack[-2]
        assert isinstance(leads, LeadsScreen)
        burst(app, "=news@lead.io", "ctrl+s")
        await settle(pilot)
        assert leads.rows_stale  # set while the form covers it, drawn when it shows again
        assert leads.pages.row(0).email == "news@lead.io"
        lead = leads.pages.row(0).to_lead().model_copy(update={"email": "told@lead.io"})
        leads.rows_stale = False
        app.news.lead_saved.publish(LeadSaved(lead, created=False))
        assert leads.rows_stale and leads.pages.row(0).email == "told@lead.io"  # no await
        burst(app, "escape")
        await settle(pilot)
        assert app.screen is leads and not leads.rows_stale


@pytest.mark.parametrize("seconds", [None, 0.0])
async def test_release_is_safe_twice_and_without_a_hold(sandbox, tmp_path, seconds):
    """(None: the default hold.)"""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        hold = frame_hold.FrameHold(app)
        hold.release()
        hold.hold(seconds)
        hold.hold(seconds)  # one hold at a time
        assert hold.holding
        hold.release()
        hold.release()
        assert not hold.holding
        burst(app, "n")
        await settle(pilot)
        assert isinstance(app.screen, CreateLeadScreen)  # drawing goes on


async def test_the_app_quits_cleanly_during_a_hold(sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(frame_hold, "HOLD", 30.0)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        form = await held_form(app, pilot)
        app.exit()
        await pilot.pause()
    assert app.return_code == 0 and not form.frames.holding
