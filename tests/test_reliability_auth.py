"""Reliability of `auth status` and `auth login`: a locked keyring is not "no stored key", and a
server that cannot be reached is not a key that does not work."""

from __future__ import annotations

import socket
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from sendkit_tui.cli import entry
from sendkit_tui.storage.credentials import SERVICE
from tests.ui_support import MemoryKeyring

WRONG_KEY = "sk_" + "0badc0de" * 6


class LockedKeyring(KeyringBackend):
    """What the Secret Service backend does when its collection is locked."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, *args: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("SENDKIT_API_KEY", "SENDKIT_WORKSPACE_ID", "SENDKIT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    monkeypatch.setattr("sendkit_tui.api.retry.backoff_delay", lambda *args: 0.0)


def stored(key: str) -> KeyringBackend:
    backend = MemoryKeyring.backend()
    backend.set_password(SERVICE, "default", key)
    keyring.set_keyring(backend)
    return backend


def status(base_url: str, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    code = entry.main(["--base-url", base_url, "auth", "status"])
    out = capsys.readouterr()
    assert out.err == ""
    return code, [line.strip() for line in out.out.splitlines()]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now


def test_a_locked_keyring_is_not_called_no_stored_key(sandbox, capsys) -> None:
    keyring.set_keyring(LockedKeyring())
    code, lines = status(sandbox.url, capsys)
    assert code == 1
    assert lines[1:] == [
        "✗ The system keyring is locked, so a key stored there cannot be read.",
        "Unlock the keyring (for example by logging in to the desktop) and try again.",
    ]


def test_nothing_stored_is_still_said_plainly(sandbox, capsys) -> None:
    keyring.set_keyring(MemoryKeyring.backend())
    code, lines = status(sandbox.url, capsys)
    assert code == 1
    assert lines[1:] == [
        "✗ Not logged in: no SENDKIT_API_KEY and no stored key.",
        "Run: sendkit-tui auth login",
    ]


def test_an_unreachable_server_is_not_a_key_that_does_not_work(sandbox, capsys) -> None:
    stored(sandbox.api_key)
    url = closed_port_url()
    code, lines = status(url, capsys)
    assert code == 1
    assert lines[-2] == (
        f"✗ The key could not be checked: Could not connect to {url.split('//')[1]}."
    )
    assert "does not work" not in " ".join(lines) and "auth login" not in lines[-1]
    assert lines[-1].startswith("The key itself may be fine")


def test_a_rejected_key_is_said_to_be_rejected(sandbox, capsys) -> None:
    stored(WRONG_KEY)
    code, lines = status(sandbox.url, capsys)
    assert code == 1
    assert lines[-2].startswith("✗ SendKit refused the key in system keyring: ")
    assert lines[-1] == "Run: sendkit-tui auth login"


def test_a_working_key_is_verified(sandbox, capsys) -> None:
    stored(sandbox.api_key)
    code, lines = status(sandbox.url, capsys)
    assert code == 0 and lines[-1].startswith("✓ Verified with SendKit")


def test_login_on_a_locked_keyring_says_it_is_locked(sandbox, capsys, monkeypatch) -> None:
    keyring.set_keyring(LockedKeyring())
    monkeypatch.setattr("sys.stdin", _Lines(sandbox.api_key + "\n"))
    code = entry.main(["--base-url", sandbox.url, "auth", "login"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("The key works, but the system keyring is locked, so it was not stored.")


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.text
