"""Reliability of the app shell: a bad theme name in the settings file does not stop the app;
the palette's screenshot command writes where it can and says so in plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sendkit_tui.storage.config import config_path
from sendkit_tui.storage.credentials import Credential, CredentialStore, KeySource
from sendkit_tui.storage.drafts import DraftStore
from sendkit_tui.ui.app import Connection, SendKitApp
from tests.ui_support import Sleeps, settle


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def app_from_settings(sandbox: Any, tmp_path: Path) -> tuple[SendKitApp, list[tuple[str, str]]]:
    """The app as ``sendkit-tui`` builds it: the settings file read from disk."""
    connection = Connection(base_url=sandbox.url, profile="test")
    connection.credential = Credential(sandbox.api_key, KeySource.SESSION, "test")
    app = SendKitApp(
        connection,
        credentials=CredentialStore("test", env={}),
        drafts=DraftStore(tmp_path / "drafts"),
        client_options={"sleep": Sleeps()},
    )
    toasts: list[tuple[str, str]] = []
    notify = app.notify

    def record(message: str, **kwargs: Any) -> None:
        toasts.append((message, kwargs.get("severity", "information")))
        notify(message, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return app, toasts


def write_settings(text: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def test_an_unknown_theme_warns_and_the_default_is_used(sandbox, tmp_path):
    write_settings('theme = "no-such-theme"\n')
    app, toasts = app_from_settings(sandbox, tmp_path)
    default = app.theme
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == default
        assert app.screen.pages.row_count > 0  # the app is up and showing leads
        assert toasts == [
            ('There is no theme "no-such-theme"; using the default theme.', "warning")
        ]
    assert 'theme = "no-such-theme"' in config_path().read_text()  # the file is not rewritten


async def test_a_known_theme_from_the_settings_is_used(sandbox, tmp_path):
    write_settings('theme = "nord"\n')
    app, toasts = app_from_settings(sandbox, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "nord" and toasts == []
