"""Signing in: keyring present or absent, platform keys, env precedence."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest
from textual.widgets import Input, OptionList, Static

from sendkit_tui.cli.entry import connection_from_env
from sendkit_tui.storage.credentials import KeySource
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.screens.login import LoginScreen
from tests.ui_support import open_app, requests_to, settle


@pytest.fixture
def fail_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


async def type_key(pilot, key: str) -> None:
    pilot.app.screen.query_one("#login-key", Input).value = key
    await pilot.press("enter")
    await settle(pilot)


async def test_no_keyring_keeps_the_key_for_this_run_and_says_so(sandbox, tmp_path, fail_keyring):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        assert isinstance(app.screen, LoginScreen)
        await type_key(pilot, sandbox.api_key)
        note = str(app.screen.query_one("#login-note", Static).render())
        assert "this run only" in note and "SENDKIT_API_KEY" in note
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert app.connection.credential.source == KeySource.SESSION
        assert "this run only" in app.sub_title
        assert app.screen.table.row_count == 25


async def test_key_is_verified_then_stored_in_the_keyring(sandbox, tmp_path, memory_keyring):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        await type_key(pilot, sandbox.api_key)
        assert isinstance(app.screen, LeadsScreen)
        assert memory_keyring.get_password("sendkit-tui", "test") == sandbox.api_key
        assert app.connection.credential.source == KeySource.KEYRING
        assert "system keyring" in app.sub_title


async def test_a_stored_key_is_used_without_asking(sandbox, tmp_path, memory_keyring):
    memory_keyring.set_password("sendkit-tui", "test", sandbox.api_key)
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.table.row_count == 25


async def test_refused_key_is_not_stored(sandbox, tmp_path, memory_keyring):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        await type_key(pilot, "sk_" + "9" * 48)
        assert isinstance(app.screen, LoginScreen)
        error = str(app.screen.query_one("#login-error", Static).render())
        assert "did not accept" in error
        assert memory_keyring.get_password("sendkit-tui", "test") is None


async def test_bad_key_shape_is_explained_before_any_request(sandbox, tmp_path, memory_keyring):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        sandbox.clear_requests()
        await type_key(pilot, "pk_live_12345678901234567890")
        error = str(app.screen.query_one("#login-error", Static).render())
        assert "sk_user_" in error
        assert sandbox.requests == []


async def test_platform_key_picks_a_workspace(sandbox, tmp_path, memory_keyring):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        await type_key(pilot, sandbox.platform_key)
        options = app.screen.query_one(OptionList)
        assert options.display and options.option_count == len(sandbox.workspaces)
        options.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        second = sandbox.workspaces[1]
        assert app.connection.workspace_id == second["id"]
        assert second["name"] in app.sub_title
        listing = requests_to(sandbox, "GET")[-1]
        assert listing.headers.get("x-workspace-id") == second["id"]


def test_env_key_wins_and_is_marked_as_env():
    env = {"SENDKIT_API_KEY": " sk_" + "1" * 48 + " ", "SENDKIT_WORKSPACE_ID": "w" * 24}
    conn = connection_from_env("https://api.sendkit.ai", "default", env)
    assert conn.credential.source == KeySource.ENV
    assert conn.credential.key == "sk_" + "1" * 48
    assert conn.workspace_id == "w" * 24
    assert connection_from_env("https://api.sendkit.ai", "default", {}).credential is None


async def test_expired_key_brings_login_back_over_the_list(sandbox, tmp_path, memory_keyring):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        sandbox.inject("status", status=401, count=1)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await type_key(pilot, sandbox.api_key)
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.table.row_count == 25
