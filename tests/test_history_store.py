"""The per-lead history on disk: private, bounded, keyed on server + workspace + lead,
never holding anything key-shaped, and a bad file set aside with a note."""

from __future__ import annotations

import json
import os
import stat

import pytest

from sendkit_tui.domain.patch import apply_patch, build_patch
from sendkit_tui.storage import history
from sendkit_tui.storage.history import HistoryStore, make_entry, undo_target

URL = "https://api.sendkit.ai"
FAKE_KEY = "sk_live_" + "A1b2C3d4E5f6G7h8"  # shaped like a key, not one


def entry_for(before: dict, after: dict, source: str = "edit", undoes: str | None = None):
    patch = build_patch(before, after)
    return make_entry(source, patch, before, apply_patch(before, patch), undoes=undoes)


def test_an_entry_holds_only_the_touched_fields_old_and_new():
    before = {"firstName": "Ann", "city": "Oslo", "tags": ["a"], "customFields": {"x": "1"}}
    after = {**before, "city": None, "customFields": {"y": "1"}}
    entry = entry_for(before, after)
    assert entry is not None
    assert entry.before == {"city": "Oslo", "customFields": {"x": "1"}}
    assert entry.after == {"city": None, "customFields": {"y": "1"}}
    assert [(c.field, c.before, c.after) for c in entry.changes()] == [
        ("city", "Oslo", None),
        ("customFields.y", None, "1"),
        ("customFields.x", "1", None),
    ]
    assert entry.source == "edit" and entry.at.endswith("+00:00")  # UTC ISO


def test_a_save_that_changed_nothing_is_not_an_entry():
    assert entry_for({"city": "Oslo"}, {"city": "Oslo"}) is None


def test_round_trip_private_and_keyed_on_server_workspace_and_lead(tmp_path):
    store = HistoryStore(tmp_path / "history")
    first = entry_for({"city": "Oslo"}, {"city": "Bergen"})
    assert store.add(URL, "ws1", "lead1", first)
    assert store.load(URL + "/v1/", "ws1", "lead1") == [first]  # same server, spelt otherwise
    assert store.load(URL, "ws2", "lead1") == []
    assert store.load(URL, "ws1", "lead2") == []
    assert store.load("http://localhost:8080", "ws1", "lead1") == []
    (path,) = (tmp_path / "history").glob("*.json")
    assert "lead1" not in path.name  # a digest: a lead id never becomes a path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "history").stat().st_mode) == 0o700


def test_bounded_per_lead_and_in_number_of_leads(tmp_path, monkeypatch):
    monkeypatch.setattr(history, "MAX_ENTRIES", 3)
    monkeypatch.setattr(history, "MAX_LEADS", 2)
    store = HistoryStore(tmp_path)
    entries = [entry_for({"city": str(n)}, {"city": str(n + 1)}) for n in range(5)]
    for entry in entries:
        store.add(URL, None, "lead1", entry)
    assert store.load(URL, None, "lead1") == entries[-3:]  # the oldest dropped
    for n, lead in enumerate(["lead2", "lead3"]):
        path = store._path(URL, None, "lead1")
        os.utime(path, (1_000 + n, 1_000 + n))  # lead1 is the least recently written
        store.add(URL, None, lead, entries[0])
    assert store.load(URL, None, "lead1") == []
    assert len(list(tmp_path.glob("*.json"))) == 2


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[1, 2]", b'{"schema": 1, "entries": [{"id": 3}]}', b'{"schema": 9}'],
    ids=["text", "list", "bad-entry", "schema"],
)
def test_a_bad_file_is_set_aside_with_a_note_and_the_next_save_starts_afresh(tmp_path, content):
    store = HistoryStore(tmp_path)
    path = store._path(URL, None, "lead1")
    path.write_bytes(content)
    assert store.load(URL, None, "lead1") == []
    (note,) = store.take_set_aside_notes()
    assert "unreadable" in note and path.with_name(path.name + ".corrupt").exists()
    assert store.take_set_aside_notes() == []
    entry = entry_for({"city": "a"}, {"city": "b"})
    assert store.add(URL, None, "lead1", entry) and store.load(URL, None, "lead1") == [entry]


def test_nothing_key_shaped_is_written_and_such_an_entry_cannot_be_undone(tmp_path):
    store = HistoryStore(tmp_path)
    entry = entry_for({"customFields": {}}, {"customFields": {"note": f"key {FAKE_KEY}"}})
    assert entry is not None and entry.masked
    store.add(URL, None, "lead1", entry)
    (path,) = tmp_path.glob("*.json")
    assert FAKE_KEY not in path.read_text()
    assert store.load(URL, None, "lead1")[0].masked


def test_undo_target_skips_undone_saves_and_stops_at_the_create():
    created = entry_for({}, {"firstName": "Ann"}, source="create")
    one = entry_for({"city": None}, {"city": "Oslo"})
    two = entry_for({"city": "Oslo"}, {"city": "Bergen"})
    assert undo_target([created, one, two]) == two
    undo_two = entry_for({"city": "Bergen"}, {"city": "Oslo"}, source="undo", undoes=two.id)
    assert undo_target([created, one, two, undo_two]) == one
    undo_one = entry_for({"city": "Oslo"}, {"city": None}, source="undo", undoes=one.id)
    assert undo_target([created, one, two, undo_two, undo_one]) is None
    assert undo_target([]) is None


def test_the_file_records_what_the_report_promises(tmp_path):
    store = HistoryStore(tmp_path)
    store.add(URL, "ws", "lead1", entry_for({"jobTitle": "A"}, {"jobTitle": "B"}))
    (path,) = tmp_path.glob("*.json")
    document = json.loads(path.read_text())
    assert (document["server"], document["workspace"], document["lead"]) == (URL, "ws", "lead1")
    (item,) = document["entries"]
    assert set(item) == {"id", "at", "source", "patch", "before", "after", "undoes", "masked"}
    assert item["patch"] == {"jobTitle": "B"}
