"""Reliability of the app shell: a bad theme name in the settings file does not stop the app;
the palette's screenshot command writes where it can and says so in plain text."""

from __future__ import annotations

import stat
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


# -- item 14: the palette's Screenshot command --------------------------------------------------


async def screenshot_from_palette(pilot) -> None:
    """Ctrl+P, "Screenshot", Enter, as a user would; then wait for Textual's 0.1 s timer."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.press(*"screenshot")
    await pilot.press("enter")
    for _ in range(500):  # until the toast is up (polling frames, not sleeping a fixed time)
        if any("screenshot" in message.lower() for message, _ in app.recorded):
            return
        await pilot.pause()
    raise AssertionError("no screenshot toast")


def recording(app: SendKitApp) -> SendKitApp:
    app.recorded = []  # type: ignore[attr-defined]
    notify = app.notify

    def record(message: str, **kwargs: Any) -> None:
        app.recorded.append((message, kwargs.get("severity", "information")))  # type: ignore[attr-defined]
        notify(message, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return app


async def test_the_screenshot_goes_to_the_current_directory_with_a_plain_toast(
    sandbox, tmp_path, monkeypatch
):
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    app, _ = app_from_settings(sandbox, tmp_path)
    recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await screenshot_from_palette(pilot)
    [svg] = here.glob("*.svg")
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert stat.S_IMODE(svg.stat().st_mode) == 0o600
    assert app.recorded == [(f"Screenshot saved to {svg}", "information")]
    assert not (tmp_path / "home" / "Downloads").exists()


async def test_without_a_current_directory_it_goes_to_the_data_directory(
    sandbox, tmp_path, monkeypatch
):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the shell's directory was deleted under it
    app, _ = app_from_settings(sandbox, tmp_path)
    recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await screenshot_from_palette(pilot)
    [svg] = (tmp_path / "data" / "sendkit-tui" / "screenshots").glob("*.svg")
    assert app.recorded == [(f"Screenshot saved to {svg}", "information")]


async def test_when_nothing_can_be_written_the_toast_says_why(sandbox, tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    (tmp_path / "data").write_text("a file where the data directory should be")
    app, _ = app_from_settings(sandbox, tmp_path)
    recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await screenshot_from_palette(pilot)
    [(message, severity)] = app.recorded
    assert severity == "error"
    assert message.startswith("Could not save the screenshot (the current directory: ")
    assert message.endswith(f"; {tmp_path / 'data' / 'sendkit-tui'}: Not a directory).")
    assert "[" not in message  # plain text, no markup
