"""A real Secret Service keyring (gnome-keyring in a private D-Bus session): store a key with
`auth login`, read it back from new processes (and after the keyring daemon restarts), then
lock the keyring and check what `auth status` says.

Skipped, with the reason, where gnome-keyring or dbus-run-session is not installed
(Debian: ``apt-get install --no-install-recommends gnome-keyring``; dbus-run-session comes with
``dbus-daemon``). Nothing here touches the user's own keyring: HOME, the XDG directories and
the D-Bus session bus are private to the test.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_reliability_auth import closed_port_url

MISSING = [
    tool for tool in ("gnome-keyring-daemon", "dbus-run-session") if shutil.which(tool) is None
]
if importlib.util.find_spec("secretstorage") is None:
    MISSING.append("the secretstorage Python package")
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"no Secret Service to test against: {', '.join(MISSING)} not installed",
)

# Runs inside `dbus-run-session`: a fresh session bus, with a keyring daemon unlocked by a
# throw-away password. Each step is a new process and prints "== name" and then "rc=N".
STEPS = r"""
set -u
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
unset PYTHON_KEYRING_BACKEND SENDKIT_API_KEY SENDKIT_WORKSPACE_ID SENDKIT_BASE_URL
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null \
    | sed 's/^/export /')"
step() { echo "== $1"; shift; "$@" 2>&1; echo "rc=$?"; }
tui() { "$PY" -m sendkit_tui "$@"; }
step login sh -c 'printf "%s\n" "$KEY" | "$PY" -m sendkit_tui --base-url "$URL" auth login'
step status tui --base-url "$URL" auth status
step restart sh -c 'printf pw | gnome-keyring-daemon --replace --unlock --components=secrets'
step after-restart tui --base-url "$URL" auth status
step unreachable tui --base-url "$DEAD" auth status
step lock "$PY" -c "import secretstorage as s
c = s.get_default_collection(s.dbus_init())
c.lock()
print('locked' if c.is_locked() else 'still unlocked')"
step locked tui --base-url "$URL" auth status
"""


def run_steps(sandbox, tmp_path: Path) -> dict[str, tuple[int, str]]:
    env = {
        **os.environ,
        "WORK": str(tmp_path),
        "PY": sys.executable,
        "URL": sandbox.url,
        "DEAD": closed_port_url(),
        "KEY": sandbox.api_key,
    }
    out = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", STEPS],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert sandbox.api_key not in out.stdout + out.stderr  # only ever the masked key
    steps: dict[str, tuple[int, str]] = {}
    for block in re.split(r"^== ", out.stdout, flags=re.MULTILINE)[1:]:
        name, _, rest = block.partition("\n")
        text, _, code = rest.rpartition("rc=")
        steps[name] = (int(code.strip()), text)
    assert list(steps) == [
        "login", "status", "restart", "after-restart", "unreachable", "lock", "locked"
    ], out.stdout + out.stderr  # fmt: skip
    return steps


def test_store_restart_read_back_then_lock(sandbox, tmp_path: Path) -> None:
    steps = run_steps(sandbox, tmp_path)
    masked = f"{sandbox.api_key[:4]}…{sandbox.api_key[-4:]}"

    code, text = steps["login"]
    assert code == 0 and "Key stored in the system keyring (SecretService Keyring)" in text
    assert list((tmp_path / "data" / "keyrings").glob("*.keyring"))  # on disk, not in memory
    for name in ("status", "after-restart"):  # new processes; then a new keyring daemon too
        code, text = steps[name]
        assert code == 0, text
        assert f"Key: {masked} from system keyring" in text
        assert "✓ Verified with SendKit" in text

    code, text = steps["unreachable"]
    assert code == 1 and f"Key: {masked} from system keyring" in text
    assert "✗ The key could not be checked: Could not connect" in text
    assert "does not work" not in text

    assert steps["lock"] == (0, "locked\n")
    code, text = steps["locked"]
    assert code == 1
    assert "✗ The system keyring is locked, so a key stored there cannot be read." in text
    assert "no stored key" not in text
