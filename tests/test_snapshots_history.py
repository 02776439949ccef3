"""Snapshot of the history dialog (f2 on the edit form) at 80x24.

Deterministic like tests/test_snapshots.py: seeded sandbox, steady cursor, fixed size; the
entries are written with fixed times and shown in UTC (``TZ`` set for the test).
"""

from __future__ import annotations

import time

import pytest

from sendkit_tui.storage.history import HistoryEntry, HistoryStore
from tests.ui_support import make_app, settle

LEAD = {
    "email": "history@example.io",
    "firstName": "Hana",
    "jobTitle": "Ops",
    "tags": ["alpha", "vip"],
    "customFields": {"plan": "pro", "users": "3"},
}


def entries() -> list[HistoryEntry]:
    created = HistoryEntry(
        "create",
        {"email": "history@example.io", "firstName": "Hana"},
        {},
        {"email": "history@example.io", "firstName": "Hana"},
        at="2026-11-28T09:00:00+00:00",
        id="e1",
    )
    edit = HistoryEntry(
        "edit",
        {
            "jobTitle": "Ops",
            "tags": ["alpha", "vip"],
            "customFields": {"users": "3", "seats": None},
        },
        {"jobTitle": "Engineer", "tags": ["alpha", "beta"], "customFields": {"seats": "3"}},
        {"jobTitle": "Ops", "tags": ["alpha", "vip"], "customFields": {"users": "3"}},
        at="2026-11-29T14:05:09+00:00",
        id="e2",
    )
    plan = HistoryEntry(
        "edit",
        {"customFields": {"plan": "pro"}, "city": None},
        {"customFields": {"plan": "free"}, "city": "Oslo"},
        {"customFields": {"plan": "pro"}, "city": None},
        at="2026-11-30T06:30:00+00:00",
        id="e3",
    )
    return [created, edit, plan]


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_history_dialog_80x24(sandbox, tmp_path, snap_compare, utc):
    """Newest first: the plan change and cleared city, the rename with tags, the create."""
    (lead_id,) = sandbox.add_leads([LEAD])
    store = HistoryStore()
    for entry in entries():
        assert store.add(sandbox.url, None, lead_id, entry)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")  # the newest lead is first: the one added above
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)

    app = make_app(sandbox, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
