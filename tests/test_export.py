"""Export streams the filtered list through every page into a CSV file."""

from __future__ import annotations

import csv

import pytest

from sendkit_tui.api import SendKitClient, SendKitError
from sendkit_tui.bulk.export import export_leads
from tests.ui_support import open_app, requests_to, settle


async def test_export_walks_every_page_with_the_filters(sandbox, tmp_path):
    sandbox.add_leads(
        [{"email": f"bulk{i}@export.io", "tags": ["exported"]} for i in range(230)]
        + [{"email": "=cmd@export.io", "firstName": "=HYPERLINK(1)", "tags": ["exported"]}]
    )
    seen: list[tuple[int, int | None]] = []
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        count = await export_leads(
            client,
            tmp_path / "out.csv",
            tags=["exported"],
            progress=lambda done, total: seen.append((done, total)),
        )
    assert count == 231
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert len({row["email"] for row in rows}) == 231
    assert all(row["tags"] == "exported" for row in rows)
    assert [done for done, _ in seen] == [100, 200, 231]
    (formula,) = [row for row in rows if "cmd@export.io" in row["email"]]
    assert formula["email"] == "'=cmd@export.io"  # a spreadsheet shows it, never runs it
    assert formula["firstName"] == "'=HYPERLINK(1)"
    assert not (tmp_path / "out.csv.partial").exists()


async def test_a_failed_export_leaves_no_file(sandbox, tmp_path):
    sandbox.add_leads([{"email": f"p{i}@export.io"} for i in range(150)])
    sandbox.inject("status", method="GET", status=400, count=1)
    target = tmp_path / "out.csv"
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        with pytest.raises(SendKitError):
            await export_leads(client, target)
    assert not target.exists() and not (tmp_path / "out.csv.partial").exists()


async def test_x_exports_the_current_view_from_the_list(sandbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("x")
        await settle(pilot)
        (written,) = list(tmp_path.glob("sendkit-leads-*.csv"))
        assert len(list(csv.DictReader(written.open(encoding="utf-8")))) == 25
        assert "Exported 25 leads" in str(app.screen.status.render())
        assert requests_to(sandbox, "GET")
