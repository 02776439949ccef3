"""drafts.py: round trips, private atomic files, corrupt files, ordering, the no-key rule."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sendkit_tui.domain.rules import STANDARD_FIELDS
from sendkit_tui.storage.drafts import Draft, DraftStore, holds_api_key

FAKE_KEY = "sk_user_" + "c0ffee" * 8


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def create(**values: object) -> Draft:
    return Draft(kind="create", values={"email": "jane@acme.io", **values})


def edit() -> Draft:
    baseline = {"email": "jane@acme.io", "firstName": "Jane", "tags": ["a"], "customFields": {}}
    return Draft(
        kind="edit",
        values={**baseline, "firstName": "Janet", "customFields": {"plan": "pro"}},
        lead_id="lead_1",
        baseline=baseline,
        baseline_updated_at="2025-01-01T00:00:00Z",
        profile="work",
        workspace_id="ws_1",
        base_url="https://api.sendkit.ai",
        outcome="failed",
        outcome_detail="auth",
    )


def test_default_directory_follows_xdg(tmp_path: Path) -> None:
    assert DraftStore().directory == tmp_path / "data" / "sendkit-tui" / "drafts"


def test_round_trip(store: DraftStore) -> None:
    draft = edit()
    assert store.save(draft)
    assert store.last_error is None
    assert store.get(draft.id) == draft
    assert store.load_all() == [draft]


def test_file_format(store: DraftStore) -> None:
    draft = create(firstName="Zoë")
    store.save(draft)
    path = store.directory / f"{draft.id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == DraftStore.SCHEMA_VERSION == 1
    assert data["kind"] == "create" and data["values"]["firstName"] == "Zoë"
    assert data["outcome"] == "never"


def test_modes(tmp_path: Path) -> None:
    store = DraftStore()
    draft = create()
    store.save(draft)
    assert mode(store.directory) == 0o700
    assert mode(store.directory.parent) == 0o700  # the app data dir we created
    assert mode(store.directory / f"{draft.id}.json") == 0o600


def test_save_updates_updated_at(store: DraftStore) -> None:
    draft = create()
    draft.updated_at = "2000-01-01T00:00:00+00:00"
    store.save(draft)
    assert draft.updated_at > "2024"
    assert store.get(draft.id).updated_at == draft.updated_at


def test_crash_during_replace_keeps_previous_file(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = create(firstName="Before")
    assert store.save(draft)
    path = store.directory / f"{draft.id}.json"
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    draft.values["firstName"] = "After"
    assert store.save(draft) is False
    assert "No space left on device" in store.last_error
    assert path.read_bytes() == before
    assert sorted(p.name for p in store.directory.iterdir()) == [path.name]  # no temp file
    monkeypatch.undo()
    assert store.get(draft.id).values["firstName"] == "Before"


def test_save_never_raises_when_directory_is_unusable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    store = DraftStore(tmp_path / "file" / "drafts")
    assert store.save(create()) is False
    assert store.last_error
    assert store.load_all() == []


def test_unserialisable_value_is_reported(store: DraftStore) -> None:
    assert store.save(create(when=datetime.now(UTC))) is False
    assert store.last_error
    assert store.load_all() == []


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"schema": 0, "kind": "create", "values": {}}',
        b'{"schema": "1", "kind": "create", "values": {}}',
        b'{"schema": true, "kind": "create", "values": {}}',
        b'{"schema": 1, "kind": "delete", "values": {}}',
        b'{"schema": 1, "kind": "create", "values": []}',
        b'{"schema": 1, "kind": "edit", "values": {}, "baseline": "x"}',
        b'{"schema": 1, "kind": "create", "values": {}, "lead_id": 5}',
    ],
)
def test_corrupt_files_are_set_aside(store: DraftStore, content: bytes) -> None:
    good = create()
    store.save(good)
    bad = store.directory / "bad.json"
    bad.write_bytes(content)
    assert store.load_all() == [good]
    assert not bad.exists()
    assert (store.directory / "bad.json.corrupt").read_bytes() == content
    assert store.load_all() == [good]


def test_newer_schema_is_skipped_and_kept(store: DraftStore) -> None:
    store.directory.mkdir(parents=True)
    newer = store.directory / "future.json"
    newer.write_text('{"schema": 2, "kind": "create", "values": {}}')
    assert store.load_all() == []
    assert newer.exists()


def test_unknown_fields_are_ignored(store: DraftStore) -> None:
    store.directory.mkdir(parents=True)
    (store.directory / "abc.json").write_text(
        '{"schema": 1, "kind": "create", "values": {"email": "a@b.co"}, "extra": 1, "id": "x"}'
    )
    [draft] = store.load_all()
    assert draft.id == "abc" and draft.values == {"email": "a@b.co"}


def test_newest_first_and_profile_filter(store: DraftStore) -> None:
    drafts = [create(firstName=str(n)) for n in range(4)]
    drafts[1].profile = drafts[3].profile = "work"
    for draft in drafts:
        assert store.save(draft)
    assert [d.id for d in store.load_all()] == [d.id for d in reversed(drafts)]
    assert [d.id for d in store.load_all(profile="work")] == [drafts[3].id, drafts[1].id]
    assert store.load_all(profile="nobody") == []


def test_missing_directory_is_empty(store: DraftStore) -> None:
    assert store.load_all() == []
    assert store.get("0" * 32) is None


def test_delete(store: DraftStore) -> None:
    draft = create()
    store.save(draft)
    assert store.delete(draft.id)
    assert store.get(draft.id) is None
    assert store.delete(draft.id)  # already gone is fine
    assert store.delete("../../etc/passwd")  # nothing to do, nothing touched


def test_unsafe_ids_are_refused(store: DraftStore) -> None:
    draft = create()
    draft.id = "../escape"
    assert store.save(draft) is False
    assert store.get("../escape") is None
    assert not store.directory.exists()


@pytest.mark.parametrize(
    "place",
    ["values", "nested", "tag", "custom_key", "baseline", "detail"],
)
def test_refuses_key_looking_values(store: DraftStore, place: str) -> None:
    draft = edit()
    if place == "values":
        draft.values["firstName"] = FAKE_KEY
    elif place == "nested":
        draft.values["customFields"] = {"note": f"my key is {FAKE_KEY} ok"}
    elif place == "tag":
        draft.values["tags"] = ["x", FAKE_KEY]
    elif place == "custom_key":
        draft.values["customFields"] = {FAKE_KEY: "x"}
    elif place == "baseline":
        draft.baseline = {"phone": "sk_" + "a" * 12}
    else:
        draft.outcome_detail = FAKE_KEY
    assert store.save(draft) is False
    assert "API key" in store.last_error
    assert FAKE_KEY not in store.last_error
    assert not store.directory.exists()


def test_key_detection_boundaries() -> None:
    assert holds_api_key("sk_" + "a" * 12)
    assert not holds_api_key("sk_" + "a" * 11)
    assert not holds_api_key({"task_description_field": "ask_questionnaire_daily"})


def test_unicode_and_large_values(store: DraftStore) -> None:
    big = "é漢🙂\u202e\x00\n" * (1_000_000 // 8)
    draft = create(firstName="Zoë 漢字 🙂", customFields={"notes": big, "ключ": "значение"})
    assert store.save(draft)
    assert store.get(draft.id) == draft


def test_lone_surrogates_still_round_trip(store: DraftStore) -> None:
    draft = create(firstName="broken \udc80 text")
    assert store.save(draft)
    assert store.get(draft.id) == draft


def test_label_and_is_empty() -> None:
    now = datetime.now(UTC)
    draft = create()
    draft.updated_at = (now - timedelta(minutes=3, seconds=5)).isoformat()
    assert draft.label_at(now) == "New lead jane@acme.io (typed 3 min ago)"
    draft.values = {"firstName": " Jane ", "lastName": "Doe"}
    assert draft.label_at(now).startswith("New lead Jane Doe (typed")
    assert Draft(kind="create", values={}).label.startswith("New lead (typed just now")
    assert edit().label.startswith("Edit of jane@acme.io")
    assert Draft(kind="edit", values={}, lead_id="L1").label.startswith("Edit of lead L1")
    assert Draft(kind="create", values={"email": "x" * 500}).label.count("x") < 80
    assert Draft(kind="create", values={"email": " ", "tags": [], "customFields": {}}).is_empty()
    assert Draft(kind="create", values={"customFields": {"": " "}}).is_empty()
    assert not Draft(kind="create", values={"tags": ["vip"]}).is_empty()
    assert not create().is_empty()
    unchanged = edit()
    unchanged.values = {**unchanged.baseline, "lastName": ""}
    assert unchanged.is_empty()
    assert not edit().is_empty()


json_text = st.text(max_size=50)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_text, inner, max_size=4),
    max_leaves=12,
)
form_values = st.fixed_dictionaries(
    {},
    optional={
        **{name: st.none() | json_text for name in STANDARD_FIELDS},
        "tags": st.none() | st.lists(json_text, max_size=4),
        "customFields": st.none() | st.dictionaries(json_text, json_text, max_size=4),
        "_pendingTag": st.none() | json_text,
        "_pendingField": st.none() | st.lists(json_text, min_size=2, max_size=2),
    },
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=form_values, profile=json_text)
def test_round_trip_property(store: DraftStore, values: dict, profile: str) -> None:
    draft = Draft(kind="create", values=values, profile=profile)
    assume(not holds_api_key(values) and not holds_api_key(profile))
    assert store.save(draft), store.last_error
    assert store.get(draft.id) == draft
    assert store.delete(draft.id)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=json_values, baseline=json_values)
def test_any_json_is_a_valid_draft_or_set_aside(
    store: DraftStore, values: object, baseline: object
) -> None:
    store.directory.mkdir(parents=True, exist_ok=True)
    path = store.directory / "d1.json"
    document = {"schema": 1, "kind": "edit", "lead_id": "L1", "values": values}
    path.write_text(json.dumps({**document, "baseline": baseline}), encoding="utf-8")
    loaded = store.load_all()
    if loaded:  # then every field has the type the forms write: saving it again works
        assert store.save(loaded[0]), store.last_error
    else:
        assert not path.exists() and path.with_name("d1.json.corrupt").exists()
    for leftover in store.directory.iterdir():
        leftover.unlink()
