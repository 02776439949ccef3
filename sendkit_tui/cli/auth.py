"""``sendkit-tui auth login|logout|status``: the key from the shell, like ``gh auth``."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from typing import Any

from sendkit_tui.domain.rules import check_api_key, key_kind, mask_key
from sendkit_tui.identity import ENV_WORKSPACE_ID


def run(command: str, profile: str, base_url: str, args: argparse.Namespace) -> int:
    from sendkit_tui.storage.credentials import CredentialStore

    store = CredentialStore(profile)
    if command == "login":
        return login(store, profile, base_url, insecure=args.insecure_storage)
    if command == "logout":
        return logout(store, profile)
    return status(store, profile, base_url)


def _say(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _read_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Paste your SendKit API key (input hidden): ")
    return sys.stdin.readline()


def _verify(key: str, base_url: str, workspace_id: str | None = None) -> tuple[Any, Any]:
    """Returns (workspaces, error)."""
    from sendkit_tui.api import SendKitClient

    async def check() -> Any:
        async with SendKitClient(key, base_url=base_url, workspace_id=workspace_id) as client:
            return await client.list_workspaces()

    try:
        return asyncio.run(check()), None
    except Exception as error:  # reported to the user as a sentence
        return None, error


def login(store: Any, profile: str, base_url: str, *, insecure: bool) -> int:
    from sendkit_tui.domain.wording import explain
    from sendkit_tui.storage.config import load_config, save_config

    if store.env_key_present:
        _err(
            "The value of SENDKIT_API_KEY is being used for authentication. To store a key "
            "instead, first clear SENDKIT_API_KEY from the environment."
        )
        return 1
    key = _read_key().strip()
    problem = check_api_key(key)
    if problem:
        _err(problem)
        return 1
    workspaces, error = _verify(key, base_url)
    if error is not None:
        _err(f"The key was not stored: {explain(error)}")
        return 1
    workspace = None
    if key_kind(key) == "platform":
        workspace = _pick_workspace(workspaces)
        if workspace is None:
            return 1
    result = store.store_insecure_sync(key) if insecure else store.store_sync(key)
    if not result.ok and result.locked:
        _err(
            "The key works, but the system keyring is locked, so it was not stored. Unlock it "
            "(for example by logging in to the desktop) and run this again."
        )
        return 1
    if not result.ok:
        _err(
            "The key works, but no system keyring is available here, so it was not stored. "
            "Either export SENDKIT_API_KEY in your shell profile, or run "
            "`sendkit-tui auth login --insecure-storage` to keep it in a 0600 plaintext file."
        )
        return 1
    _say(f"✓ {result.message}")
    if workspace is not None:
        config = load_config()
        entry = config.profile(profile)
        entry.workspace_id, entry.workspace_name = workspace.id, workspace.name
        save_config(config)
        _say(f"✓ Workspace: {workspace.name} ({workspace.id})")
    return 0


def _pick_workspace(workspaces: list[Any]) -> Any:
    if not workspaces:
        _err("This platform key has no workspaces; create one in SendKit first.")
        return None
    env_choice = os.environ.get(ENV_WORKSPACE_ID)
    for workspace in workspaces:
        if workspace.id == env_choice:
            return workspace
    if len(workspaces) == 1 or not sys.stdin.isatty():
        return workspaces[0]
    for number, workspace in enumerate(workspaces, 1):
        _say(f"  {number}. {workspace.name} ({workspace.id})")
    while True:
        answer = input(f"Workspace to use [1-{len(workspaces)}]: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(workspaces):
            return workspaces[int(answer) - 1]


def logout(store: Any, profile: str) -> int:
    removed = store.delete_sync()
    if store.env_key_present:
        _say("SENDKIT_API_KEY is set in the environment; unset it yourself to stop using it.")
    if removed:
        for item in removed:
            _say(f"✓ Removed {item}")
    else:
        _say(f"No stored key for profile {profile!r}.")
    return 0


def status(store: Any, profile: str, base_url: str) -> int:
    """Where the key comes from and whether SendKit takes it, saying what is true: a locked
    keyring is not "no stored key", and an unreachable server is not a key that does not work."""
    from sendkit_tui.storage.config import load_config

    lookup = store.lookup_sync()
    credential, keyring = lookup.credential, lookup.keyring
    host = base_url.split("://", 1)[-1]
    _say(f"{host} (profile {profile})")
    if credential is None:
        _say(f"  ✗ {_no_key(keyring)}")
        if keyring is not None and keyring.locked:
            _say("  Unlock the keyring (for example by logging in to the desktop) and try again.")
        else:
            _say("  Run: sendkit-tui auth login")
        return 1
    where = credential.source.describe(credential.detail)
    if credential.source == "file":
        where += " (stored in plain text)"
    _say(f"  - Key: {mask_key(credential.key)} from {where}")
    if keyring is not None and not keyring.available and not keyring.absent:
        _say(f"  ! {keyring.reason} A key stored there could not be checked.")
    workspace_id = os.environ.get(ENV_WORKSPACE_ID) or load_config().profile(profile).workspace_id
    kind = key_kind(credential.key) or "unknown"
    _say(f"  - Key type: {kind}" + (f", workspace {workspace_id}" if workspace_id else ""))
    workspaces, error = _verify(credential.key, base_url, workspace_id)
    if error is not None:
        return _not_verified(error, where)
    names = ", ".join(w.name for w in workspaces) or "none"
    _say(f"  ✓ Verified with SendKit; workspaces: {names}")
    return 0


def _no_key(keyring: Any) -> str:
    """Why no key was found, in one sentence."""
    if keyring is not None and keyring.locked:
        return "The system keyring is locked, so a key stored there cannot be read."
    if keyring is not None and not keyring.available and not keyring.absent:
        return f"{keyring.reason[:-1]}, so a key stored there cannot be read."
    note = f" ({keyring.reason[:-1]})" if keyring is not None and keyring.absent else ""
    return f"Not logged in: no SENDKIT_API_KEY and no stored key{note}."


def _not_verified(error: BaseException, where: str) -> int:
    """The key could not be verified: refused by SendKit, or not asked at all."""
    from sendkit_tui.api import AuthError, SendKitError
    from sendkit_tui.domain.wording import explain

    if isinstance(error, AuthError):
        _say(f"  ✗ SendKit refused the key in {where}: {explain(error)}")
        _say("  Run: sendkit-tui auth login")
        return 1
    said = explain(error) if isinstance(error, SendKitError) else str(error)
    _say(f"  ✗ The key could not be checked: {said}")
    _say("  The key itself may be fine; check the connection and the base URL, then try again.")
    return 1
