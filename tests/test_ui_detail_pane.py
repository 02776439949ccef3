"""The leads list's detail pane (p): the highlighted lead's every field, against the sandbox.

The list row is drawn at once; the full lead (``GET /v1/leads/{id}``) is asked for only once
the highlight rests, cached, and dropped on news of a save. Keys are typed in bursts.
"""

from __future__ import annotations

from sendkit_tui.api.models import Lead
from sendkit_tui.storage.config import load_config
from sendkit_tui.ui.news import LeadSaved
from sendkit_tui.ui.widgets.lead_detail import DetailSplit, LeadDetail
from sendkit_tui.ui.widgets.lead_detail_rows import NOT_SENT, PENDING, DetailRows
from tests.typing_support import burst
from tests.ui_support import make_app, open_app, requests_to, settle

WAIT_STEPS = 400  # bound on the polls for a condition (each a short pause)


def pane(app) -> LeadDetail:
    # The list's pane, not app.screen's: a form composed ahead of time (ui/spare_form.py)
    # is on top of the stack for the moment it takes, while these tests wait.
    return app.leads.query_one(LeadDetail)


def texts(app) -> dict[str, str]:
    """The pane's rows as drawn: label -> value text."""
    return {row.label: row.text for row in pane(app).rows.rows if not row.heading}


def drawn(app) -> str:
    """The pane's lines as the terminal gets them."""
    rows = pane(app).rows
    return "\n".join(rows.render_line(y).text for y in range(len(rows.rows)))


def single_gets(sandbox, lead_id: str | None = None) -> list[str]:
    paths = [r.path for r in requests_to(sandbox, "GET", "/v1/leads/")]
    return [p for p in paths if lead_id is None or p == f"/v1/leads/{lead_id}"]


async def until(pilot, condition, what: str) -> None:
    """Wait (bounded) for ``condition()``; the pane asks once the highlight has rested."""
    for _ in range(WAIT_STEPS):
        await pilot.app.workers.wait_for_complete()
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def full_for(app, lead_id: str):
    def check() -> bool:
        detail = pane(app)
        return detail.row is not None and detail.row.id == lead_id and detail.full is not None

    return check


async def test_p_shows_the_row_at_once_then_the_full_lead(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        listing = app.screen
        first = listing.rows[0]
        server = sandbox.get_lead(first.id)
        assert server["customFields"], "the seed gives the first lead custom fields"
        assert not pane(app).display
        before = dict(listing.table.widths)
        sandbox.clear_requests()
        sandbox.inject("slow", delay=1.0, method="GET", path=f"/v1/leads/{first.id}")
        burst(app, "p")
        await pilot.pause()
        detail = pane(app)
        assert detail.display and app.focused is listing.table  # the list keeps focus
        shown = texts(app)
        assert shown["Email"] == server["email"]  # from the list row, before any GET
        assert detail.full is None  # the GET waits for the highlight to rest, then is slow
        await until(pilot, full_for(app, first.id), "the full lead")
        shown = texts(app)
        assert shown["Phone"] == server["phoneNumber"]
        assert shown["LinkedIn"] == server["linkedinUrl"]
        for key, value in server["customFields"].items():
            assert shown[key] == value
        assert single_gets(sandbox) == [f"/v1/leads/{first.id}"]
        # The list re-fits its columns to the width the pane left it.
        table = listing.table
        assert table.columns.total <= table.content_region.width
        assert sum(before.values()) > sum(table.widths.values())
        burst(app, "p")
        await pilot.pause()
        assert not detail.display and app.focused is table
        assert table.columns.total <= table.content_region.width


async def test_a_burst_of_moves_asks_for_the_resting_lead_only(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        rows = app.screen.rows
        sandbox.clear_requests()
        burst(app, "p", *["down"] * 12)
        await until(pilot, full_for(app, rows[12].id), "the lead the cursor rests on")
        assert single_gets(sandbox) == [f"/v1/leads/{rows[12].id}"]
        assert texts(app)["Email"] == rows[12].email
        # Back up one row, then down again: the first is asked for once, the second is cached.
        burst(app, "up")
        await until(pilot, full_for(app, rows[11].id), "the row above")
        burst(app, "down")
        await pilot.pause()
        assert full_for(app, rows[12].id)()  # drawn from the cache, no wait
        assert single_gets(sandbox) == [f"/v1/leads/{x.id}" for x in (rows[12], rows[11])]


async def test_news_of_a_save_drops_the_cached_copy(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        first = app.screen.rows[0]
        burst(app, "p")
        await until(pilot, full_for(app, first.id), "the full lead")
        lead = Lead.model_validate(sandbox.get_lead(first.id))
        app.news.lead_saved.publish(LeadSaved(lead, created=False))
        await until(pilot, lambda: len(single_gets(sandbox, first.id)) == 2, "a fresh GET")
        await until(pilot, full_for(app, first.id), "the fresh copy")


async def test_copy_a_value_and_a_custom_field(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        first = app.screen.rows[0]
        server = sandbox.get_lead(first.id)
        burst(app, "p")
        await until(pilot, full_for(app, first.id), "the full lead")
        burst(app, "l", "down", "y")
        await pilot.pause()
        assert isinstance(app.focused, DetailRows)
        assert app.clipboard == server["firstName"]
        labels = [row.label for row in pane(app).rows.rows if row.value is not None]
        key = next(iter(server["customFields"]))
        downs = labels.index(key) - labels.index("First name")
        burst(app, *["j"] * downs, "c")
        await pilot.pause()
        assert app.clipboard == server["customFields"][key]
        burst(app, "escape", "down")  # escape: back to the list, whose cursor moves
        await pilot.pause()
        assert app.focused is app.screen.table and app.screen.table.cursor_row == 1


async def test_enter_in_the_pane_opens_the_lead_and_keeps_what_is_typed(sandbox, tmp_path):
    from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

    async with open_app(sandbox, tmp_path) as (app, pilot):
        first = app.screen.rows[0]
        burst(app, "p", "l", "enter", "=Zed")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditLeadScreen) and screen.lead.id == first.id
        assert app.focused is not None and app.focused.id == "field-firstName"
        assert app.focused.value.endswith("Zed")  # typed after enter: in the edit form


async def test_a_failed_get_is_said_in_the_pane(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        first = app.screen.rows[0]
        sandbox.inject("status", status=500, count=20, method="GET", path=f"/v1/leads/{first.id}")
        burst(app, "p")
        await until(pilot, lambda: pane(app).note != "", "the error in the pane")
        detail = pane(app)
        assert "500" in detail.note or "server" in detail.note.lower()
        assert texts(app)["Email"] == first.email  # the list's fields stay
        assert texts(app)["Phone"] == first.raw["phoneNumber"]
        assert detail.full is None and app.is_running
        # Moving away and back asks again; the server has recovered.
        sandbox.clear_faults()
        burst(app, "down")
        await until(pilot, full_for(app, app.screen.rows[1].id), "the next lead")
        burst(app, "up")
        await until(pilot, full_for(app, first.id), "the first lead again")
        assert detail.note == ""


async def test_a_server_without_the_single_lead_route(sandbox, tmp_path):
    """The documented list leaves out phone, LinkedIn and custom fields; without
    GET /v1/leads/{id} the pane says so once and asks no more."""
    sandbox.set_docs_only(True)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        rows = app.screen.rows
        sandbox.clear_requests()
        sandbox.inject("slow", delay=1.0, method="GET", path=f"/v1/leads/{rows[0].id}")
        burst(app, "p")
        await pilot.pause()
        assert texts(app)["Phone"] == PENDING and texts(app)["Email"] == rows[0].email
        await until(pilot, lambda: pane(app).note != "", "the note")
        assert texts(app)["Phone"] == NOT_SENT and texts(app)[""] == NOT_SENT
        burst(app, "down")
        await until(pilot, lambda: pane(app).row.id == rows[1].id, "the next row")
        assert texts(app)["Phone"] == NOT_SENT
        await settle(pilot)
        assert single_gets(sandbox) == [f"/v1/leads/{rows[0].id}"]


async def test_server_values_with_markup_are_shown_literally(sandbox, tmp_path):
    sandbox.add_leads(
        [
            {
                "email": "markup@example.com",
                "firstName": "[bold]Eve[/bold]",
                "companyName": "[link=https://x.example]Acme[/link]",
                "customFields": {"[red]key": "[blink]value\x1b[31m"},
            }
        ]
    )
    async with open_app(sandbox, tmp_path) as (app, pilot):
        newest = app.screen.rows[0]
        assert newest.email == "markup@example.com"
        burst(app, "p")
        await until(pilot, full_for(app, newest.id), "the full lead")
        lines = drawn(app)
        assert "[bold]Eve[/bold]" in lines
        assert texts(app)["Company"] == "[link=https://x.example]Acme[/link]"
        assert "[link=https://x.exam" in lines  # drawn as typed, cut at the pane's width
        assert "[red]key" in lines and "[blink]value" in lines
        assert "\x1b" not in lines  # the escape character is drawn as a visible symbol


async def test_narrow_terminal_stacks_the_pane_below_the_list(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path, size=(80, 24)) as (app, pilot):
        burst(app, "p")
        await until(pilot, full_for(app, app.screen.rows[0].id), "the full lead")
        split = app.screen.query_one(DetailSplit)
        table, detail = app.screen.table, pane(app)
        assert split.has_class("-stacked")
        assert detail.region.y >= table.region.bottom and detail.region.width >= 70
        assert table.columns.total <= table.content_region.width


async def test_the_pane_choice_survives_a_restart(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        burst(app, "p")
        await pilot.pause()
    assert load_config().detail_pane is True
    app = make_app(sandbox, tmp_path)
    app.config = load_config()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert pane(app).display
        await until(pilot, full_for(app, app.screen.rows[0].id), "the full lead")
