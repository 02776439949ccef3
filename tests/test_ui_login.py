"""Signing in: keyring present or absent, platform keys, env precedence."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest
from textual.widgets import Input, OptionList, Static

from sendkit_tui.cli.entry import connection_from_env
from sendkit_tui.storage.credentials import KeySource
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from sendkit_tui.ui.screens.login import LoginScreen
from tests.typing_support import burst
from tests.ui_support import open_app, record_notifications, requests_to, settle, wait_until


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


async def test_no_keyring_keeps_the_key_for_this_run_and_says_so(
    sandbox, tmp_path, fail_keyring, monkeypatch
):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        assert isinstance(app.screen, LoginScreen)
        said = record_notifications(app, monkeypatch)
        await type_key(pilot, sandbox.api_key)
        assert isinstance(app.screen, LeadsScreen)  # no second enter to read the note
        assert any("this run only" in text and "SENDKIT_API_KEY" in text for text in said)
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


async def test_keys_typed_after_enter_wait_for_the_check_and_go_to_the_list(
    sandbox, tmp_path, memory_keyring
):
    """A paste of the key, enter, then a new lead at once: the key sent is the one typed
    before enter, and what follows opens the form and fills it once signed in."""
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        assert isinstance(app.screen, LoginScreen)
        burst(app, f"={sandbox.api_key}", "enter", "n", "=ahead@typed.io")
        await settle(pilot)
        assert memory_keyring.get_password("sendkit-tui", "test") == sandbox.api_key
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        assert form.form.box("email").value == "ahead@typed.io"


async def test_keys_typed_after_enter_without_a_keyring_skip_the_extra_enter(
    sandbox, tmp_path, fail_keyring
):
    """No keyring: the "kept for this run only" note waits for enter, unless keys were typed
    ahead (the note is shown on the list then): they go to the list, not into the key."""
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        burst(app, f"={sandbox.api_key}", "enter", "n", "=ahead@typed.io")
        await settle(pilot)
        assert app.connection.credential.key == sandbox.api_key
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        assert form.form.box("email").value == "ahead@typed.io"


async def test_a_refused_key_is_shown_as_typed_and_keys_after_enter_do_not_join_it(
    sandbox, tmp_path, memory_keyring
):
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        wrong = "sk_" + "0" * 48
        burst(app, f"={wrong}", "enter", "=more")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert "did not accept" in str(screen.query_one("#login-error", Static).render())
        assert screen.query_one("#login-key", Input).value == wrong


async def test_a_slow_check_closes_the_key_box_to_keys_typed_meanwhile(
    sandbox, tmp_path, memory_keyring, monkeypatch
):
    """Past the hold (shortened here), keys typed while the check goes on do not join the
    key; the list opens when SendKit answers."""
    monkeypatch.setattr("sendkit_tui.ui.screens.login.HOLD", 0.05)
    sandbox.inject("slow", method="GET", path="/v1/workspaces", delay=0.5)
    async with open_app(sandbox, tmp_path, credential=False) as (app, pilot):
        screen = app.screen
        burst(app, f"={sandbox.api_key}", "enter")
        await wait_until(pilot, lambda: screen.key_input.disabled, "the hold to end")
        assert isinstance(app.screen, LoginScreen)
        assert "Still checking" in str(screen.query_one("#login-note", Static).render())
        burst(app, "=typed meanwhile")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert memory_keyring.get_password("sendkit-tui", "test") == sandbox.api_key
