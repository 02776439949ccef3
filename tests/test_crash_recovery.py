"""A real app process under tmux: type half a lead, kill -9, start again, get it all back.

The app runs as ``python -m sendkit_tui`` in a tmux session on a private tmux socket
(``-L``), against the session sandbox on loopback, with its XDG data/config dirs in
``tmp_path``. Every wait is a bounded poll of ``tmux capture-pane`` or of the drafts dir.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
POLL = 0.1  # seconds between polls of an outside process (not a fixed wait)
LIMIT = 30.0  # seconds before a poll gives up

LEAD = {
    "email": "crash.test@recovery.io",
    "firstName": "Crash",
    "lastName": "Survivor",
}
TAG = "halfway"
CUSTOM = ("stage", "typed-before-kill")


class Tmux:
    def __init__(self) -> None:
        assert TMUX is not None
        self.socket = f"sendkit-crash-{uuid.uuid4().hex[:10]}"

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, session: str, command: str) -> None:
        self.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
        # Keep the pane after the app dies, so a crash shows up in the capture.
        self.run("set-option", "-t", session, "remain-on-exit", "on", check=False)

    def screen(self, session: str) -> str:
        return self.run("capture-pane", "-p", "-t", session, check=False)

    def pid(self, session: str) -> int:
        return int(self.run("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])

    def keys(self, session: str, *keys: str) -> None:
        self.run("send-keys", "-t", session, *keys)

    def type(self, session: str, text: str) -> None:
        self.run("send-keys", "-t", session, "-l", text)

    def kill(self) -> None:
        self.run("kill-server", check=False)


def wait_for(condition: Callable[[], object], what: str, dump: Callable[[], str]) -> object:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{dump()}")


def app_command(sandbox, data_home: Path, config_home: Path) -> str:
    env = {
        "SENDKIT_API_KEY": sandbox.api_key,
        "SENDKIT_BASE_URL": sandbox.url,
        "XDG_DATA_HOME": str(data_home),
        "XDG_CONFIG_HOME": str(config_home),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    # exec: the pane's process is the app itself, so kill -9 hits the app.
    return f"exec env {assignments} {shlex.quote(sys.executable)} -m sendkit_tui"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_kill_minus_9_then_restart_offers_the_draft_with_every_value(sandbox, tmp_path):
    data_home, config_home = tmp_path / "data", tmp_path / "config"
    data_home.mkdir()
    config_home.mkdir()
    drafts_dir = data_home / "sendkit-tui" / "drafts"
    command = app_command(sandbox, data_home, config_home)
    tmux = Tmux()
    first, second = "first", "second"
    try:
        tmux.start(first, command)
        show = lambda: tmux.screen(first)  # noqa: E731
        wait_for(lambda: "25 of 25 leads" in show(), "the leads list", show)

        tmux.keys(first, "n")
        wait_for(lambda: "name@company.com" in show(), "the create form", show)
        tmux.type(first, LEAD["email"])
        tmux.keys(first, "Tab")
        tmux.type(first, LEAD["firstName"])
        tmux.keys(first, "Tab")
        tmux.type(first, LEAD["lastName"])
        # lastName → 7 more standard fields → the tag input
        tmux.keys(first, *["Tab"] * 8)
        tmux.type(first, TAG)
        # One key burst at a time: enter is sent once the text is on screen.
        wait_for(lambda: f"Tags            {TAG}" in show(), "the typed tag", show)
        tmux.keys(first, "Enter")
        wait_for(lambda: "no tags" not in show(), "the tag chip", show)
        # tag input → tag chips → the custom-field grid; enter on its add row opens the name
        tmux.keys(first, "Tab", "Tab", "Enter")
        wait_for(lambda: "new field:" in show(), "the add line", show)
        tmux.type(first, CUSTOM[0])
        wait_for(lambda: f"+ {CUSTOM[0]}" in show(), "the typed field name", show)
        tmux.keys(first, "Enter")
        tmux.type(first, CUSTOM[1])
        wait_for(lambda: CUSTOM[1] in show(), "the typed field value", show)
        tmux.keys(first, "Enter")

        def saved_draft() -> dict | None:
            for path in drafts_dir.glob("*.json"):
                try:
                    document = json.loads(path.read_text("utf-8"))
                except (OSError, ValueError):
                    continue  # never half-written (atomic), but be safe
                values = document.get("values", {})
                if values.get("customFields") == {CUSTOM[0]: CUSTOM[1]}:
                    return document
            return None

        document = wait_for(saved_draft, "the draft file", show)
        assert isinstance(document, dict)
        for field, value in LEAD.items():
            assert document["values"][field] == value
        assert document["values"]["tags"] == [TAG]
        assert oct(drafts_dir.stat().st_mode & 0o777) == oct(0o700)
        for path in drafts_dir.glob("*.json"):
            assert path.stat().st_mode & 0o777 == 0o600
        assert sandbox.find_leads(email=LEAD["email"]) == []  # never sent

        pid = tmux.pid(first)
        os.kill(pid, 9)
        wait_for(
            lambda: (
                tmux.run("display-message", "-p", "-t", first, "#{pane_dead}", check=False)
                .strip()
                .startswith("1")
            ),
            "the killed app to be gone",
            show,
        )

        tmux.start(second, command)
        show2 = lambda: tmux.screen(second)  # noqa: E731
        wait_for(lambda: "Unsent work from an earlier session" in show2(), "restore prompt", show2)
        prompt = show2()
        assert LEAD["email"] in prompt and "not sent" in prompt
        tmux.keys(second, "Enter")
        wait_for(lambda: "Draft restored" in show2(), "the restored form", show2)
        for field, value in LEAD.items():
            wait_for(lambda v=value: v in show2(), f"restored {field} {value!r}", show2)
        # The tags and custom fields are at the bottom of the form: focus the last input.
        tmux.keys(second, "BTab")
        wait_for(lambda: "Custom fields" in show2(), "the bottom of the form", show2)
        wait_for(lambda: TAG in show2(), f"restored tag {TAG!r}", show2)
        wait_for(
            lambda: any(CUSTOM[0] in line and CUSTOM[1] in line for line in show2().splitlines()),
            "the restored custom-field row",
            show2,
        )
        assert "no tags" not in show2()
    finally:
        tmux.kill()
