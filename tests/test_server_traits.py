"""server_traits: what was learnt per server and workspace, private, atomic, corruption-proof."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sendkit_tui.storage.server_traits import ServerTraits, TraitsStore, server_key

URL = "http://127.0.0.1:8765"
WS = "665a1b2c3d4e5f6a7b8c9d0e"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_lives_in_the_data_dir_private_and_round_trips(tmp_path: Path):
    store = TraitsStore()
    assert store.path == tmp_path / "data" / "sendkit-tui" / "server-traits.json"
    assert store.load(URL) == ServerTraits()
    assert store.update(URL, phone_key="phoneNumber", single_lead_get=False, create_status=200)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    traits = TraitsStore().load(URL + "/v1/")
    assert traits.known == {"phone_key": "phoneNumber", "single_lead_get": False,
                            "create_status": 200}  # fmt: skip
    assert traits.sources == dict.fromkeys(traits.known, "doctor")
    assert traits.adaptations() == {"phone_key": "phoneNumber"}
    assert traits.updated_at


def test_workspace_entry_wins_over_the_server_entry():
    store = TraitsStore()
    store.update(URL, auth_headers="x-api-key", tags_patch="replace")
    store.update(URL, WS, source="write-probe", tags_patch="merge")
    assert store.load(URL).tags_patch == "replace"
    both = store.load(URL, WS)
    assert (both.auth_headers, both.tags_patch) == ("x-api-key", "merge")
    assert both.sources == {"auth_headers": "doctor", "tags_patch": "write-probe"}
    assert store.load("https://api.sendkit.ai", WS) == ServerTraits()


def test_none_forgets_a_trait_and_forget_drops_the_server():
    store = TraitsStore()
    store.update(URL, phone_key="phone", custom_null="ignored")
    store.update(URL, phone_key=None)
    assert store.load(URL).known == {"custom_null": "ignored"}
    assert store.forget(URL)
    assert store.load(URL) == ServerTraits()


def test_unknown_traits_and_values_are_refused_when_written():
    with pytest.raises(ValueError, match="not a server trait"):
        TraitsStore().update(URL, phone_key="telephone")
    with pytest.raises(ValueError, match="not a server trait"):
        TraitsStore().update(URL, colour="blue")


def test_a_file_with_odd_values_keeps_only_valid_ones():
    store = TraitsStore()
    store.path.parent.mkdir(parents=True)
    document = {"schema": 1, "servers": {URL: {"": {
        "phone_key": "phoneNumber", "tags_patch": 3, "create_status": True, "x": 1,
        "sources": {"phone_key": "doctor", "tags_patch": "doctor"}}}, "junk": []}}  # fmt: skip
    store.path.write_text(json.dumps(document))
    traits = store.load(URL)
    assert traits.known == {"phone_key": "phoneNumber"}
    assert traits.sources == {"phone_key": "doctor"}


@pytest.mark.parametrize(
    "content", [b"{not json", b"\xff\xfe", b"[]", b'{"schema": 99, "servers": {}}', b""]
)
def test_a_corrupt_file_is_kept_aside_and_treated_as_empty(content: bytes):
    store = TraitsStore()
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    assert store.load(URL) == ServerTraits()
    assert "unreadable" in (store.last_error or "")
    assert store.path.with_name("server-traits.json.corrupt").read_bytes() == content
    assert store.update(URL, list_paging="cursor")
    assert store.load(URL).list_paging == "cursor"


def test_a_failed_write_reports_and_leaves_the_old_file(tmp_path: Path):
    store = TraitsStore()
    store.update(URL, list_paging="page")
    blocked = TraitsStore(tmp_path / "file-not-dir" / "server-traits.json")
    (tmp_path / "file-not-dir").write_text("")
    assert blocked.update(URL, list_paging="cursor") is False
    assert blocked.last_error and "Could not write" in blocked.last_error
    assert store.load(URL).list_paging == "page"


def test_never_stores_anything_key_shaped():
    store = TraitsStore()
    assert store.update("http://127.0.0.1:1/sk_live_" + "a" * 24, list_paging="cursor") is False
    assert not store.path.exists()


def test_server_key_normalises_the_base_url():
    assert server_key("HTTPS://API.SendKit.ai/v1/") == "https://api.sendkit.ai"
    assert server_key("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert server_key("https://proxy.example/sendkit/v1") == "https://proxy.example/sendkit"
