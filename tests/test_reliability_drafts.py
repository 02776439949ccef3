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


# -- item 2: a draft belongs to the server, workspace and profile it was typed for ----------

HOST = "https://api.sendkit.ai"


def typed(email: str, *, base_url: str | None = HOST, workspace: str | None = "ws_1", **kw):
    return Draft(
        kind="create",
        values={"email": email},
        base_url=base_url,
        workspace_id=workspace,
        profile=kw.pop("profile", "default"),
        **kw,
    )


def test_drafts_are_split_by_server_and_workspace(store: DraftStore) -> None:
    drafts = {
        "same": typed("same@a.io"),
        "same-written-otherwise": typed("same2@a.io", base_url="HTTPS://API.SendKit.ai:443/"),
        "other-host": typed("host@a.io", base_url="https://staging.example:8443"),
        "other-workspace": typed("ws@a.io", workspace="ws_2"),
        "no-workspace": typed("nows@a.io", workspace=None),
        "older-version": typed("old@a.io", base_url=None),
        "other-profile": typed("prof@a.io", profile="work"),
        "empty": typed(""),
    }
    for draft in drafts.values():
        assert store.save(draft), store.last_error

    split = store.for_connection(HOST, "ws_1", "default")

    assert {d.id for d in split.here} == {drafts["same"].id, drafts["same-written-otherwise"].id}
    notes = {f.draft.id: f.note for f in split.foreign}
    assert notes == {
        drafts["other-host"].id: "typed for workspace ws_1 on staging.example:8443",
        drafts["other-workspace"].id: "typed for workspace ws_2 on api.sendkit.ai",
        drafts["no-workspace"].id: "typed on api.sendkit.ai, with no workspace recorded",
        drafts["older-version"].id: (
            "typed for workspace ws_1 on a host this draft does not record "
            "(saved by an older version)"
        ),
    }
    # Another profile's drafts wait for that profile; empty drafts are not offered at all.
    assert store.for_connection(HOST, None, "work").foreign[0].draft.id == (
        drafts["other-profile"].id
    )
    with_empty = store.for_connection(HOST, "ws_1", "default", skip_empty=False)
    assert drafts["empty"].id in {d.id for d in with_empty.here}


def test_a_workspace_key_connection_keeps_its_own_drafts(store: DraftStore) -> None:
    mine = typed("mine@a.io", base_url="http://127.0.0.1:8765", workspace=None)
    assert store.save(mine)
    split = store.for_connection("http://127.0.0.1:8765/", None, "default")
    assert [d.id for d in split.here] == [mine.id] and split.foreign == []
    other_port = store.for_connection("http://127.0.0.1:9999", None, "default")
    assert other_port.here == []
    assert other_port.foreign[0].note == "typed on 127.0.0.1:8765, with no workspace recorded"


def test_the_note_is_one_plain_line(store: DraftStore) -> None:
    odd = typed("odd@a.io", workspace="ws\x1b]2;title\x07\n[b]x[/b]", base_url="https://h.io")
    assert store.save(odd)
    [foreign] = store.for_connection(HOST, "ws_1", "default").foreign
    assert "\x1b" not in foreign.note and "\n" not in foreign.note
    assert foreign.note.startswith("typed for workspace ws\\x1b]2;title\\x07⏎[b]x[/b] on h.io")
