"""Snapshot tests of every screen and error state (pytest-textual-snapshot).

Deterministic by construction: seeded sandbox data with fixed timestamps, a
steady cursor (``make_app`` builds a ``SteadyCursorApp``), no clock, toasts off
(run_test's default), a fixed terminal size.
Review ``snapshot_report.html`` before accepting a new baseline with
``--snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.ui_support import make_app, open_app, settle

SIZE = (120, 40)


async def test_text_cursors_in_test_apps_do_not_blink(sandbox, tmp_path):
    """Every snapshot relies on this: each input that takes focus stops blinking."""
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("slash")
        await settle(pilot)
        search = app.focused
        await pilot.press("escape", "n")
        await settle(pilot)
        field = app.focused
        assert isinstance(search, Input) and isinstance(field, Input) and search is not field
        assert search.cursor_blink is False and field.cursor_blink is False


def first_lead_id(app) -> str:
    return app.screen.rows[0].id


class TestLeadsList:
    def test_seeded_leads(self, sandbox, tmp_path, snap_compare):
        """The list with 25 seeded leads, first row selected."""
        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=settle)

    def test_empty_workspace(self, sandbox, tmp_path, snap_compare):
        """No leads: the status line says to press n."""
        sandbox.reset(seed=0)
        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=settle)

    def test_narrow_80x24(self, sandbox, tmp_path, snap_compare):
        """80x24: email, name and company fit whole, the rest are dropped, not squeezed;
        the footer keeps enter, n, /, t, ^q and ?."""
        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=(80, 24), run_before=settle)

    def test_wide_200x50(self, sandbox, tmp_path, snap_compare):
        """200x50: every column, none cut; the footer shows every key."""
        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=(200, 50), run_before=settle)


class TestLogin:
    def test_login_screen(self, sandbox, tmp_path, snap_compare, memory_keyring):
        """No key anywhere: the login screen explains why it is open."""
        app = make_app(sandbox, tmp_path, credential=False)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_login_bad_key_shape(self, sandbox, tmp_path, snap_compare, memory_keyring):
        """A pasted value that is not a SendKit key gets a message under the input."""
        app = make_app(sandbox, tmp_path, credential=False)

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press(*"pk_live_nope", "enter")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestCreateForm:
    @staticmethod
    async def open_form(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        return pilot.app.screen

    def test_empty_form(self, sandbox, tmp_path, snap_compare):
        """Every field in order, focus on email."""

        async def run_before(pilot):
            await self.open_form(pilot)

        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_client_validation_errors(self, sandbox, tmp_path, snap_compare):
        """Bad email and phone: a message under each, a warning banner; a LinkedIn URL typed
        without https:// is accepted and its hint says how it will be sent."""

        async def run_before(pilot):
            form = await self.open_form(pilot)
            form.form.box("email").value = "jane@"
            form.form.box("phone").value = "call me"
            form.form.box("linkedinUrl").value = "linkedin.com/in/jane"
            await pilot.press("ctrl+s")
            await settle(pilot)

        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_paste_contact_preview(self, sandbox, tmp_path, snap_compare):
        """ctrl+y: a pasted vCard's fields and what was not used, before anything is filled."""
        from pathlib import Path

        from textual import events
        from textual.widgets import TextArea

        card = Path(__file__).parent / "data" / "contacts" / "vcard_4.vcf"

        async def run_before(pilot):
            await self.open_form(pilot)
            await pilot.press("ctrl+y")
            await settle(pilot)
            area = pilot.app.screen.query_one(TextArea)
            assert pilot.app.focused is area
            pilot.app.post_message(events.Paste(card.read_bytes().decode()))
            await settle(pilot)

        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_duplicate_email(self, sandbox, tmp_path, snap_compare):
        """409: the message sits under the email field and offers ctrl+o."""
        sandbox.add_leads([{"email": "taken@example.io"}])

        async def run_before(pilot):
            form = await self.open_form(pilot)
            form.form.box("email").value = "Taken@Example.io"
            form.form.box("firstName").value = "Second"
            await pilot.press("ctrl+s")
            await settle(pilot)

        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_server_error_banner(self, sandbox, tmp_path, snap_compare):
        """A 502 HTML page from a proxy: a banner with the retry hint, values kept."""
        sandbox.inject("html", method="POST", status=502)

        async def run_before(pilot):
            form = await self.open_form(pilot)
            form.form.box("email").value = "proxy@example.io"
            form.form.box("companyName").value = "[bold]Literal[/bold] Inc"
            await pilot.press("ctrl+s")
            await settle(pilot)

        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestEditScreen:
    LEAD = {
        "email": "grid@example.io",
        "firstName": "Grace",
        "lastName": "Grid",
        "companyName": "Grid Co",
        "jobTitle": "Ops",
        "tags": ["alpha", "beta"],
        "customFields": {"plan": "free", "seats": "3", "region": "eu"},
    }

    @classmethod
    async def open_edit(cls, pilot, sandbox):
        await settle(pilot)
        await pilot.press("enter")  # the newest lead is first: the one added below
        await settle(pilot)
        return pilot.app.screen

    def test_loaded(self, sandbox, tmp_path, snap_compare):
        """The lead as loaded: email read-only, grid unmarked, focus on first name."""
        sandbox.add_leads([self.LEAD])

        async def run_before(pilot):
            await self.open_edit(pilot, sandbox)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    def test_marked_changes(self, sandbox, tmp_path, snap_compare):
        """~ changed, + added, - deleted rows, and a + tag."""
        sandbox.add_leads([self.LEAD])

        async def run_before(pilot):
            screen = await self.open_edit(pilot, sandbox)
            grid = screen.form.grid
            grid.model.set_custom_value(0, "pro")
            grid.model.delete_custom(2)
            grid.refresh_view()
            grid.key_input.value, grid.value_input.value = "owner", "sam"
            grid.commit()
            screen.form.tags.add("vip")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    def test_grid_editing_a_row_in_place(self, sandbox, tmp_path, snap_compare):
        """enter on a row: "editing 'seats'", the row's name and value in the boxes."""
        sandbox.add_leads([self.LEAD])

        async def run_before(pilot):
            screen = await self.open_edit(pilot, sandbox)
            grid = screen.form.grid
            screen.set_focus(grid.table)
            await pilot.press("down", "enter", "5")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    def test_grid_bulk_mode(self, sandbox, tmp_path, snap_compare):
        """ctrl+b: the custom fields as name: value lines, with a line that is wrong."""
        sandbox.add_leads([self.LEAD])

        async def run_before(pilot):
            screen = await self.open_edit(pilot, sandbox)
            grid = screen.form.grid
            screen.set_focus(grid.table)
            await pilot.press("ctrl+b")
            grid.bulk_area.load_text("plan: pro\nseats 4\nregion: eu")
            await pilot.press("ctrl+b")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    def test_review(self, sandbox, tmp_path, snap_compare):
        """The exact JSON body a save will send (a seeded lead: its id is fixed)."""

        async def run_before(pilot):
            screen = await self.open_edit(pilot, sandbox)
            screen.form.box("jobTitle").value = "VP Ops"
            screen.form.box("city").value = ""
            grid = screen.form.grid
            grid.key_input.value, grid.value_input.value = "owner", "sam"
            grid.commit()
            await pilot.press("ctrl+r")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize(
        ("kind", "status", "body"),
        [
            (
                "json",
                404,
                {"success": False, "error": {"code": "NOT_FOUND", "message": "Lead not found"}},
            ),
            (
                "json",
                400,
                {
                    "success": False,
                    "error": {
                        "code": "VALIDATION_ERROR",
                        "message": "Invalid",
                        "details": [{"field": "jobTitle", "message": "Job title is reserved."}],
                    },
                },
            ),
            ("status", 503, None),
        ],
        ids=["deleted-404", "field-400", "server-503"],
    )
    def test_error_states(self, sandbox, tmp_path, snap_compare, kind, status, body):
        """Each save failure in its place; the typed change is kept."""
        sandbox.add_leads([self.LEAD])

        async def run_before(pilot):
            screen = await self.open_edit(pilot, sandbox)
            screen.form.box("jobTitle").value = "Chief"
            sandbox.inject(kind, method="PATCH", status=status, body=body, count=10)
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)


class TestMoreScreens:
    def test_help(self, sandbox, tmp_path, snap_compare):
        """? on the list: its keys with their binding ids."""

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)

    def test_import_preview(self, sandbox, tmp_path, snap_compare, monkeypatch):
        """A CSV read and mapped: unknown columns become custom fields; problems shown."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "leads.csv").write_text(
            "Email;First name;Company;Plan\n"
            "ann@csv.io;Ann;Acme;pro\n"
            "bad-email;Bob;Acme;free\n"
            "cy@csv.io;Cy;[bold]Lit;team\n",
            encoding="utf-8",
        )

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            pilot.app.screen.query_one("#import-path").value = "leads.csv"
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(make_app(sandbox, tmp_path), terminal_size=SIZE, run_before=run_before)
