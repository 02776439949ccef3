"""The completion cache (storage/completion_cache.py): per workspace, private, bounded."""

from __future__ import annotations

import json

from sendkit_tui.domain.completion import MAX_TERMS, TAGS
from sendkit_tui.storage.completion_cache import (
    MAX_BYTES,
    CachedCompletion,
    CacheScope,
    CompletionCache,
)
from sendkit_tui.storage.files import is_private_file
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY

URL = "https://api.sendkit.ai"


def filled(*tags: str) -> CachedCompletion:
    cached = CachedCompletion()
    cached.vocabulary.learn_lead({"tags": list(tags), "companyName": "Globex"})
    cached.walk.top, cached.walk.resume = "2026-11-20T12:00:00.000Z", "665d4e5f6a7b8c9d0e1f2a3c"
    return cached


def test_round_trip_private_and_without_the_key(tmp_path):
    cache = CompletionCache(tmp_path)
    scope = CacheScope.of(URL, None, TEST_WORKSPACE_KEY)
    assert cache.save(scope, filled("vip", "enterprise"))
    again = cache.load(scope)
    assert again.vocabulary.suggest(TAGS, "ent") == "enterprise"
    assert again.vocabulary.suggest("companyName", "glo") == "Globex"
    assert again.walk.top == "2026-11-20T12:00:00.000Z"
    assert again.walk.resume == "665d4e5f6a7b8c9d0e1f2a3c" and not again.walk.complete
    path = cache.path(scope)
    assert is_private_file(path)
    assert TEST_WORKSPACE_KEY not in path.read_text() and TEST_WORKSPACE_KEY not in str(path)


def test_default_place_is_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    cache = CompletionCache()
    scope = CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY)
    assert cache.save(scope, filled("vip"))
    assert cache.path(scope).parent == tmp_path / "sendkit-tui" / "completion"


def test_one_cache_per_server_and_workspace(tmp_path):
    cache = CompletionCache(tmp_path)
    one = CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY)
    two = CacheScope.of(URL, "ws_2", TEST_PLATFORM_KEY)
    other_server = CacheScope.of("http://127.0.0.1:8765", "ws_1", TEST_PLATFORM_KEY)
    other_key = CacheScope.of(URL, None, "sk_" + "1" * 48)
    assert cache.save(one, filled("alpha"))
    assert cache.save(two, filled("beta"))
    assert cache.load(one).vocabulary.suggest(TAGS, "b") is None
    assert cache.load(two).vocabulary.suggest(TAGS, "b") == "beta"
    assert len(cache.load(other_server).vocabulary) == 0
    assert len(cache.load(other_key).vocabulary) == 0
    assert len({s.ident for s in (one, two, other_server, other_key)}) == 4
    # The same server spelt differently is the same cache.
    assert CacheScope.of("HTTPS://API.sendkit.ai/v1/", "ws_1", TEST_PLATFORM_KEY) == one


def test_bounded(tmp_path):
    cache = CompletionCache(tmp_path)
    scope = CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY)
    cached = CachedCompletion()
    for n in range(3 * MAX_TERMS):
        cached.vocabulary.learn_lead(
            {"companyName": f"Company {n}", "tags": [f"tag-{n}"], "customFields": {f"k{n}": "v"}}
        )
    assert cache.save(scope, cached)
    assert cache.path(scope).stat().st_size < MAX_BYTES
    kinds = cache.load(scope).vocabulary.kinds
    assert all(len(kind.terms) <= MAX_TERMS for kind in kinds.values())


def test_a_corrupt_file_is_set_aside_and_the_cache_starts_empty(tmp_path):
    cache = CompletionCache(tmp_path)
    scope = CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY)
    path = cache.path(scope)
    for bad in (b"{not json", b'{"schema": 1, "vocabulary": {"schema": 1}}', b"\xff\xfe"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bad)
        loaded = cache.load(scope)
        assert len(loaded.vocabulary) == 0 and loaded.walk.top is None
        assert not path.exists() and path.with_name(path.name + ".corrupt").exists()
        assert cache.last_error and ".corrupt" in cache.last_error
    assert cache.save(scope, filled("vip"))  # and it is written afresh
    assert cache.load(scope).vocabulary.suggest(TAGS, "v") == "vip"


def test_a_wrong_walk_type_is_corrupt_too(tmp_path):
    cache = CompletionCache(tmp_path)
    scope = CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY)
    assert cache.save(scope, filled("vip"))
    document = json.loads(cache.path(scope).read_text())
    document["walk"]["resume_page"] = "two"
    cache.path(scope).write_text(json.dumps(document))
    assert len(cache.load(scope).vocabulary) == 0
    assert cache.path(scope).with_name(cache.path(scope).name + ".corrupt").exists()


def test_an_unwritable_place_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = CompletionCache(blocker / "completion")
    assert not cache.save(CacheScope.of(URL, "ws_1", TEST_PLATFORM_KEY), filled("vip"))
    assert cache.last_error
