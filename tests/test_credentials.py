"""credentials.py: precedence, keyring failures, read-back, the plaintext opt-in, no leaks."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from sendkit_tui.storage.credentials import (
    SERVICE,
    Credential,
    CredentialStore,
    KeySource,
    StoreResult,
    default_key_file,
)

FAKE_KEY = "sk_user_" + "c0ffee" * 8
OTHER_KEY = "sk_" + "beef" * 6


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class ExplodingKeyring(KeyringBackend):
    """Any call is a test failure; also used to prove the keyring was not touched."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get_password(self, service: str, username: str, *more: str) -> str | None:
        self.calls += 1
        raise AssertionError("the keyring was touched")

    set_password = delete_password = get_password  # type: ignore[assignment]


class LockedKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str, *more: str) -> str | None:
        raise KeyringLocked(f"locked while handling {FAKE_KEY}")  # a leaky backend message

    set_password = delete_password = get_password  # type: ignore[assignment]


class BlockingKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str, *more: str) -> str | None:
        self.release.wait()  # never set during the test: a hung D-Bus call
        return None

    set_password = delete_password = get_password  # type: ignore[assignment]


class WriteOnlyKeyring(MemoryKeyring):
    """Accepts writes but gives back something else (a broken backend)."""

    def get_password(self, service: str, username: str) -> str | None:
        return "sk_something_else"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SENDKIT_API_KEY", raising=False)
    # Restore whatever backend was there (possibly none yet) after the test.
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    keyring.set_keyring(MemoryKeyring())  # never the real keyring, even by accident


def use(backend: KeyringBackend) -> KeyringBackend:
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def memory() -> MemoryKeyring:
    return use(MemoryKeyring())  # type: ignore[return-value]


def make_store(tmp_path: Path, env: dict[str, str] | None = None, **kw) -> CredentialStore:
    return CredentialStore("default", env=env or {}, key_file=tmp_path / "keys" / "cred", **kw)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_no_leak(*things: object) -> None:
    for thing in things:
        assert FAKE_KEY not in repr(thing)
        assert FAKE_KEY not in str(thing)


# -- precedence ---------------------------------------------------------------------------------


async def test_nothing_stored_resolves_to_none(tmp_path: Path, memory: MemoryKeyring) -> None:
    assert await make_store(tmp_path).resolve() is None


async def test_env_wins_and_never_touches_the_keyring(tmp_path: Path) -> None:
    backend = use(ExplodingKeyring())
    store = make_store(tmp_path, env={"SENDKIT_API_KEY": f"  {FAKE_KEY}\n"})
    credential = await store.resolve()
    assert credential == Credential(FAKE_KEY, KeySource.ENV, "default")
    assert store.env_key_present
    assert backend.calls == 0


async def test_empty_env_value_counts_as_unset(tmp_path: Path, memory: MemoryKeyring) -> None:
    store = make_store(tmp_path, env={"SENDKIT_API_KEY": "  "})
    assert not store.env_key_present
    assert await store.resolve() is None


async def test_keyring_beats_file(tmp_path: Path, memory: MemoryKeyring) -> None:
    store = make_store(tmp_path)
    store.key_file.parent.mkdir()
    store.key_file.write_text(OTHER_KEY)
    assert (await store.resolve()).source is KeySource.FILE
    memory.items[(SERVICE, "default")] = FAKE_KEY
    credential = await store.resolve()
    assert credential.source is KeySource.KEYRING
    assert credential.key == FAKE_KEY
    assert credential.detail == MemoryKeyring.name


async def test_env_beats_keyring(tmp_path: Path, memory: MemoryKeyring) -> None:
    memory.items[(SERVICE, "default")] = OTHER_KEY
    store = make_store(tmp_path, env={"SENDKIT_API_KEY": FAKE_KEY})
    assert (await store.resolve()).source is KeySource.ENV


async def test_profiles_are_separate_items(tmp_path: Path, memory: MemoryKeyring) -> None:
    work = CredentialStore("work", env={}, key_file=tmp_path / "w")
    assert (await work.store(FAKE_KEY)).ok
    assert memory.items == {(SERVICE, "work"): FAKE_KEY}
    assert await make_store(tmp_path).resolve() is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LockedKeyring()])
async def test_unavailable_keyring_falls_through_to_file(
    tmp_path: Path, backend: KeyringBackend
) -> None:
    use(backend)
    store = make_store(tmp_path)
    assert await store.resolve() is None
    store.key_file.parent.mkdir()
    store.key_file.write_text(FAKE_KEY + "\n")
    credential = await store.resolve()
    assert credential.source is KeySource.FILE
    assert credential.key == FAKE_KEY
    assert credential.detail == str(store.key_file)


# -- storing ------------------------------------------------------------------------------------


async def test_store_writes_and_reads_back(tmp_path: Path, memory: MemoryKeyring) -> None:
    result = await make_store(tmp_path).store(f" {FAKE_KEY} ")
    assert result.ok and result.source is KeySource.KEYRING
    assert "system keyring" in result.message
    assert memory.items[(SERVICE, "default")] == FAKE_KEY
    assert_no_leak(result)


async def test_null_backend_write_is_not_ok(tmp_path: Path) -> None:
    use(null.Keyring())
    result = await make_store(tmp_path).store(FAKE_KEY)
    assert result == StoreResult(False, KeySource.SESSION, result.message)
    assert "for this run only" in result.message
    assert "SENDKIT_API_KEY" in result.message
    assert not (tmp_path / "keys").exists()  # no silent plaintext fallback
    assert_no_leak(result)


async def test_write_that_reads_back_different_is_not_ok(tmp_path: Path) -> None:
    use(WriteOnlyKeyring())
    result = await make_store(tmp_path).store(FAKE_KEY)
    assert not result.ok and result.source is KeySource.SESSION
    assert "did not keep the key" in result.message


@pytest.mark.parametrize(
    ("backend", "words"),
    [
        (fail.Keyring(), "No system keyring is available here"),
        (LockedKeyring(), "The system keyring is locked"),
    ],
)
async def test_store_on_unavailable_keyring(
    tmp_path: Path, backend: KeyringBackend, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    use(backend)
    result = await make_store(tmp_path).store(FAKE_KEY)
    assert not result.ok and result.source is KeySource.SESSION
    assert result.message.startswith(words)
    assert result.message.count(".") == 1 and result.message.endswith(".")  # one sentence
    assert "--insecure-storage" in result.message
    assert_no_leak(result, *(r.getMessage() for r in caplog.records))


async def test_empty_chainer_is_unavailable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    use(chainer.ChainerBackend())
    store = make_store(tmp_path)
    status = await store.keyring_status()
    assert not status.available and status.reason
    assert not (await store.store(FAKE_KEY)).ok


async def test_keyring_status(tmp_path: Path, memory: MemoryKeyring) -> None:
    status = await make_store(tmp_path).keyring_status()
    assert status.available and status.backend == MemoryKeyring.name and status.reason is None
    use(fail.Keyring())
    status = await make_store(tmp_path).keyring_status()
    assert not status.available
    assert status.backend == "fail Keyring"
    assert status.reason == "No system keyring is available here."
    use(null.Keyring())
    assert (await make_store(tmp_path).keyring_status()).backend == "null Keyring"


async def test_hung_keyring_times_out(tmp_path: Path) -> None:
    backend = use(BlockingKeyring())
    store = make_store(tmp_path, timeout=0.2)
    try:
        started = time.monotonic()
        result = await store.store(FAKE_KEY)
        assert time.monotonic() - started < 1.0
        assert not result.ok and result.source is KeySource.SESSION
        assert "did not answer within 0.2 seconds" in result.message
        started = time.monotonic()
        assert await store.resolve() is None  # no second thread piles up behind the first
        assert not (await store.keyring_status()).available
        assert time.monotonic() - started < 0.5
        workers = [t for t in threading.enumerate() if t.name == "sendkit-keyring"]
        assert workers and all(t.daemon for t in workers)
    finally:
        backend.release.set()


def test_sync_wrappers_time_out_too(tmp_path: Path) -> None:
    backend = use(BlockingKeyring())
    try:
        started = time.monotonic()
        assert make_store(tmp_path, timeout=0.2).resolve_sync() is None
        assert time.monotonic() - started < 1.0
    finally:
        backend.release.set()


async def test_too_long_key_is_refused_before_any_write(tmp_path: Path) -> None:
    backend = use(ExplodingKeyring())
    store = make_store(tmp_path)
    long_key = "sk_" + "a" * 1_000
    with pytest.raises(ValueError) as info:
        await store.store(long_key)
    assert long_key not in str(info.value)
    with pytest.raises(ValueError):
        await store.store_insecure(long_key)
    with pytest.raises(ValueError):
        await store.store("   ")
    assert backend.calls == 0
    assert not store.key_file.exists()


# -- the plaintext opt-in ----------------------------------------------------------------------


async def test_store_insecure_writes_private_file(tmp_path: Path) -> None:
    use(fail.Keyring())
    store = make_store(tmp_path)
    result = await store.store_insecure(FAKE_KEY)
    assert result.ok and result.source is KeySource.FILE
    assert "plain text" in result.message and str(store.key_file) in result.message
    assert mode(store.key_file) == 0o600
    assert mode(store.key_file.parent) == 0o700
    assert store.key_file.read_text().strip() == FAKE_KEY
    assert (await store.resolve()).source is KeySource.FILE
    assert_no_leak(result)


async def test_store_insecure_removes_shadowing_keyring_item(
    tmp_path: Path, memory: MemoryKeyring
) -> None:
    memory.items[(SERVICE, "default")] = OTHER_KEY
    store = make_store(tmp_path)
    result = await store.store_insecure(FAKE_KEY)
    assert result.ok and "removed" in result.message
    assert (await store.resolve()).key == FAKE_KEY


async def test_keyring_store_removes_plaintext_copy(tmp_path: Path, memory: MemoryKeyring) -> None:
    store = make_store(tmp_path)
    use(fail.Keyring())
    await store.store_insecure(OTHER_KEY)
    use(memory)
    result = await store.store(FAKE_KEY)
    assert result.ok and "plaintext copy" in result.message
    assert not store.key_file.exists()


def test_default_key_file_is_in_config_dir(tmp_path: Path) -> None:
    assert default_key_file("work") == tmp_path / "config" / "sendkit-tui" / "credentials-work"
    odd = default_key_file("../../etc/passwd")
    assert odd.parent == tmp_path / "config" / "sendkit-tui"
    assert "/" not in odd.name and ".." not in odd.name
    assert len(default_key_file("x" * 500).name) < 100


async def test_default_store_uses_xdg_dirs(tmp_path: Path) -> None:
    use(fail.Keyring())
    store = CredentialStore(env={})
    assert (await store.store_insecure(FAKE_KEY)).ok
    directory = tmp_path / "config" / "sendkit-tui"
    assert mode(directory) == 0o700
    assert mode(directory / "credentials-default") == 0o600


# -- deleting -----------------------------------------------------------------------------------


async def test_delete_removes_keyring_item_and_file(tmp_path: Path, memory: MemoryKeyring) -> None:
    store = make_store(tmp_path)
    memory.items[(SERVICE, "default")] = FAKE_KEY
    memory.items[(SERVICE, "other")] = OTHER_KEY
    store.key_file.parent.mkdir()
    store.key_file.write_text(OTHER_KEY)
    removed = await store.delete()
    assert len(removed) == 2
    assert "system keyring" in removed[0] and str(store.key_file) in removed[1]
    assert memory.items == {(SERVICE, "other"): OTHER_KEY}
    assert await store.delete() == []  # nothing left is not an error
    assert_no_leak(removed)


async def test_delete_never_touches_env(tmp_path: Path, memory: MemoryKeyring) -> None:
    env = {"SENDKIT_API_KEY": FAKE_KEY}
    store = make_store(tmp_path, env=env)
    assert await store.delete() == []
    assert env == {"SENDKIT_API_KEY": FAKE_KEY}
    assert (await store.resolve()).source is KeySource.ENV


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LockedKeyring()])
async def test_delete_on_unavailable_keyring_does_not_raise(
    tmp_path: Path, backend: KeyringBackend
) -> None:
    use(backend)
    store = make_store(tmp_path)
    assert await store.delete() == []
    assert (store.last_error is not None) == isinstance(backend, LockedKeyring)
    assert_no_leak(store.last_error)


def test_sync_wrappers(tmp_path: Path, memory: MemoryKeyring) -> None:
    store = make_store(tmp_path)
    assert store.keyring_status_sync().available
    assert store.store_sync(FAKE_KEY).ok
    assert store.resolve_sync().key == FAKE_KEY
    assert store.delete_sync()
    assert store.resolve_sync() is None
    assert store.store_insecure_sync(FAKE_KEY).ok


# -- no leaks -----------------------------------------------------------------------------------


def test_credential_repr_is_masked() -> None:
    credential = Credential(FAKE_KEY, KeySource.KEYRING, "default", "SecretService Keyring")
    assert credential.masked == "sk_u…ffee"
    assert "sk_u…ffee" in repr(credential)
    assert f"{credential}" == str(credential) == repr(credential)
    assert_no_leak(credential, [credential], {"c": credential})


def test_describe() -> None:
    assert KeySource.ENV.describe() == "SENDKIT_API_KEY"
    assert KeySource.KEYRING.describe() == "system keyring"
    assert KeySource.FILE.describe("/x/y") == "plaintext file /x/y"
    assert KeySource.SESSION.describe() == "this run only"
    assert KeySource.DEMO.describe() == "demo sandbox"
    assert KeySource("env") is KeySource.ENV and KeySource.ENV == "env"


async def test_no_key_in_logs_or_messages(
    tmp_path: Path, memory: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = make_store(tmp_path)
    things: list[object] = [store]
    things.append(await store.store(FAKE_KEY))
    things.append(await store.resolve())
    things.append(await store.keyring_status())
    things.append(await store.store_insecure(FAKE_KEY))
    things.append(await store.delete())
    for backend in (fail.Keyring(), null.Keyring(), LockedKeyring()):
        use(backend)
        things += [await store.store(FAKE_KEY), await store.keyring_status(), await store.delete()]
    assert_no_leak(*things, *(r.getMessage() for r in caplog.records))


def test_module_import_is_lazy() -> None:
    code = (
        "import sys, sendkit_tui.storage.credentials, sendkit_tui.storage.config\n"
        "import sendkit_tui.storage.drafts\n"
        "bad = [m for m in ('keyring', 'textual', 'platformdirs') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_empty_profile_is_refused() -> None:
    with pytest.raises(ValueError):
        CredentialStore("")
