"""The API key never shows up: logs, errors, toasts, drafts, config, screenshots, output.

A recognisable fake key runs through a full session (create, failed create, edit,
error banners, a draft, a screenshot), then every place text can end up is searched.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sendkit_tui.api import SendKitClient, SendKitError
from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY, SandboxServer
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY
from tests.ui_support import fill, make_app, settle

KEY = "sk_" + "c0ffee" * 8
PIECES = (KEY, KEY[4:-4], KEY[10:30])
ROOT = Path(__file__).resolve().parent.parent


def read_all(folder: Path) -> list[str]:
    return [
        path.read_text(encoding="utf-8", errors="replace")
        for path in folder.rglob("*")
        if path.is_file()
    ]


def leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


@pytest.fixture(scope="module")
def secret_sandbox():
    with SandboxServer(api_key=KEY, seed=10) as server:
        yield server


@pytest.fixture
def user_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


async def test_a_full_session_leaves_the_key_nowhere(
    secret_sandbox, user_dirs, caplog, monkeypatch
):
    from textual.app import App

    caplog.set_level(logging.DEBUG)
    said: list[str] = []
    original = App.notify

    def record(self: Any, message: str, *args: Any, **kwargs: Any) -> None:
        said.append(f"{kwargs.get('title', '')} {message}")
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", record)
    sandbox = secret_sandbox
    sandbox.reset()
    app = make_app(sandbox, user_dirs)
    texts: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        fill(form, {"email": "secret.one@x.io", "firstName": "One"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        for kind, status in (("status", 500), ("html", 502), ("status", 401)):
            sandbox.inject(kind, method="POST", status=status)
            fill(form, {"email": f"secret.{status}@x.io", "firstName": "Two"})
            await pilot.press("ctrl+s")
            await settle(pilot)
            texts.append(form.banner.message)
            form.save_draft()
            if app.screen is not form:  # 401 opened the login screen over the form
                texts.append(app.export_screenshot())
                await pilot.press("escape")
                await settle(pilot)
        texts.extend(read_all(user_dirs))  # the draft of the failed lead is on disk now
        assert any("secret.401@x.io" in text for text in texts)
        await pilot.press("escape", "y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        edit = app.screen
        edit.form.box("jobTitle").value = "Keeper"
        await pilot.press("ctrl+s")
        await settle(pilot)
        texts.append(app.export_screenshot())
        texts.append(app.sub_title)
    texts.extend(said)
    texts.append(caplog.text)
    texts.extend(read_all(user_dirs))
    assert [leaks(text) for text in texts if leaks(text)] == []


@pytest.mark.parametrize(
    ("kind", "status"),
    [("status", 401), ("status", 500), ("html", 502), ("truncated", None), ("drop_after", None)],
)
async def test_client_errors_never_carry_the_key(secret_sandbox, kind, status):
    secret_sandbox.inject(kind, status=status, count=10)
    try:
        async with SendKitClient(KEY, base_url=secret_sandbox.url, max_retries=0) as client:
            with pytest.raises(SendKitError) as caught:
                await client.create_lead({"email": "err@x.io"})
            assert leaks(repr(client)) == []
    finally:
        secret_sandbox.clear_faults()
    error = caught.value
    for text in (str(error), repr(error), repr(error.args), str(error.details)):
        assert leaks(text) == []


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sendkit_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_plain_http_to_a_remote_host_is_refused(tmp_path):
    out = run_cli(
        "--base-url",
        "http://api.sendkit.ai",
        env={"SENDKIT_API_KEY": KEY, "XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert out.returncode == 2
    assert "Refusing to send the API key over plain http://" in out.stderr
    assert leaks(out.stdout + out.stderr) == []


def test_auth_status_shows_only_the_masked_key(secret_sandbox, tmp_path):
    out = run_cli(
        "--base-url",
        secret_sandbox.url,
        "auth",
        "status",
        env={
            "SENDKIT_API_KEY": KEY,
            "XDG_CONFIG_HOME": str(tmp_path / "c"),
            "XDG_DATA_HOME": str(tmp_path / "d"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        },
    )
    assert out.returncode == 0, out.stderr
    assert f"{KEY[:4]}…{KEY[-4:]}" in out.stdout
    assert "SENDKIT_API_KEY" in out.stdout
    assert leaks(out.stdout + out.stderr) == []


def test_no_committed_snapshot_or_screenshot_holds_a_key():
    keys = (TEST_WORKSPACE_KEY, TEST_PLATFORM_KEY, DEMO_WORKSPACE_KEY, KEY)
    files = [*ROOT.glob("tests/__snapshots__/**/*.svg"), *ROOT.glob("screenshots/*.svg")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert [key for key in keys if key in text or key[4:-4] in text] == [], path
