"""Reliability: drafts with fields of the wrong type are set aside with a note, never restored
(and never offered again); drafts are bound to the server, workspace and profile they were
typed for."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sendkit_tui.storage.drafts import Draft, DraftStore

BASELINE = {"email": "jane@acme.io", "firstName": "Jane", "tags": ["a"], "customFields": {}}


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def write(store: DraftStore, name: str, document: dict) -> Path:
    store.directory.mkdir(parents=True, exist_ok=True)
    path = store.directory / f"{name}.json"
    path.write_text(json.dumps({"schema": 1, **document}), encoding="utf-8")
    return path


# The three drafts of the report: valid JSON, wrong types.
WRONG_TYPES = {
    "custom-fields-list": (
        {"kind": "create", "values": {"email": "a@b.co", "customFields": [1, 2]}},
        "'values.customFields' is a list, not an object of texts",
    ),
    "baseline-custom-fields-text": (
        {
            "kind": "edit",
            "lead_id": "L1",
            "values": {**BASELINE, "firstName": "Janet"},
            "baseline": {**BASELINE, "customFields": "x"},
        },
        "'baseline.customFields' is text, not an object of texts",
    ),
    "tags-text": (
        {"kind": "create", "values": {"email": "a@b.co", "tags": "abc"}},
        "'values.tags' is text, not a list of texts",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG_TYPES))
def test_a_draft_with_wrong_types_is_set_aside_with_a_note(store: DraftStore, name: str) -> None:
    document, reason = WRONG_TYPES[name]
    good = Draft(kind="create", values={"email": "kept@acme.io"})
    assert store.save(good)
    path = write(store, name, document)

    assert store.load_all() == [good]  # the bad one is not offered, the good one is
    moved = path.with_name(path.name + ".corrupt")
    assert not path.exists() and moved.exists()
    assert json.loads(moved.read_text(encoding="utf-8"))["kind"] == document["kind"]  # kept
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    [note] = store.take_set_aside_notes()
    assert reason in note and str(moved) in note and "will not be offered again" in note

    again = DraftStore(store.directory)  # the next start
    assert again.load_all() == [good]
    assert again.take_set_aside_notes() == []
    assert store.take_set_aside_notes() == []  # taken once


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"firstName": 5}, "'values.firstName' is a number, not text"),
        ({"tags": ["ok", 1]}, "'values.tags' is a list, not a list of texts"),
        ({"customFields": {"plan": 3}}, "'values.customFields' is an object, not an object"),
        ({"_pendingTag": ["x"]}, "'values._pendingTag' is a list, not text"),
        ({"_pendingField": ["only one"]}, "'values._pendingField' is a list, not a name"),
        ({"phoneNumber": "1"}, "'values.phoneNumber' is not a field this version knows"),
    ],
)
def test_every_value_is_checked(store: DraftStore, values: dict, reason: str) -> None:
    write(store, "bad", {"kind": "create", "values": values})
    assert store.load_all() == []
    [note] = store.take_set_aside_notes()
    assert reason in note


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"kind": "edit", "values": {}}, "does not say which lead"),
        ({"kind": "create", "values": {}, "outcome": "sent"}, "'outcome' is not one"),
        ({"kind": "create", "values": {}, "profile": None}, "'profile' is null, not text"),
        ({"kind": "create", "values": {}, "base_url": 1}, "'base_url' is a number, not text"),
    ],
)
def test_every_field_is_checked(store: DraftStore, document: dict, reason: str) -> None:
    write(store, "bad", document)
    assert store.load_all() == []
    assert reason in store.take_set_aside_notes()[0]


def test_a_file_name_that_is_not_an_id_is_set_aside(store: DraftStore) -> None:
    # Its id could not be deleted after a send, so it would come back every time.
    write(store, "not an id", {"kind": "create", "values": {"email": "a@b.co"}})
    assert store.load_all() == []
    assert (store.directory / "not an id.json.corrupt").exists()


def test_a_draft_that_would_not_read_back_is_not_written(store: DraftStore) -> None:
    assert store.save(Draft(kind="create", values={"tags": "abc"})) is False
    assert "'values.tags' is text" in store.last_error
    assert not store.directory.exists()


def test_a_set_aside_file_that_cannot_be_moved_is_still_never_offered(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(store, "stuck", {"kind": "create", "values": {"tags": "abc"}})

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sendkit_tui.storage.drafts.os.replace", refuse)
    assert store.load_all() == []
    assert store.load_all() == []
    [note] = store.take_set_aside_notes()  # one note, however often it is met
    assert path.exists() and f"left at {path}" in note
