"""The import screen: read, map, preview, import with progress, report, failed rows."""

from __future__ import annotations

import csv

from sendkit_tui.ui.screens.import_csv import ImportScreen
from tests.typing_support import burst
from tests.ui_support import open_app, settle


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["E-mail", "First Name", "Company", "Mobile", "Favourite colour"])
        writer.writerows(rows)


async def test_import_a_file_from_the_tui(sandbox, tmp_path):
    source = tmp_path / "leads.csv"
    rows = [[f"imp{i}@csv.io", f"Imp{i}", "CSV Inc", "+1 555 0100", "teal"] for i in range(40)]
    rows.append(["not-an-email", "Bad", "", "", ""])
    write_csv(source, rows)
    before = sandbox.count_leads()
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path").value = str(source)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.mapping[0] == "email" and screen.mapping[3] == "phone"
        assert screen.mapping[4].startswith("custom:")
        assert app.focused is screen.editor.table
        burst(app, "down", "down", "down", "delete")  # Mobile: skipped
        await settle(pilot)
        assert screen.mapping[3] == "skip"
        await pilot.press("ctrl+s")
        await settle(pilot)
        report = screen.report
        assert (report.imported, report.failed) == (40, 1)
        assert sandbox.count_leads() == before + 40
        (stored,) = sandbox.find_leads(email="imp7@csv.io")
        assert stored["customFields"] == {"Favourite colour": "teal"}
        assert stored["phoneNumber"] is None
        failed = tmp_path / "leads.failed.csv"
        assert failed.exists() and "not-an-email" in failed.read_text(encoding="utf-8-sig")


async def test_a_file_that_is_not_utf8_is_explained(sandbox, tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("email,name\nzoe@x.io,Zo\xeb\n".encode("latin-1"))
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#import-path").value = str(source)
        await pilot.press("enter")
        await settle(pilot)
        message = str(screen.query_one("#import-message").render())
        assert "UTF-8" in message
        assert screen.data is None
