"""Reliability of the command line: a malformed SENDKIT_API_KEY is refused at start with one
sentence; a crash of the TUI ends with a non-zero exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sendkit_tui.cli import entry

SPACED_KEY = "sk_" + "5a7e1e57" * 3 + " " + "5a7e1e57" * 3  # a key pasted with a space inside


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("SENDKIT_API_KEY", raising=False)


def run_cli(*args: str, env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sendkit_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


# -- item 8: a malformed SENDKIT_API_KEY ------------------------------------------------------


def test_the_tui_does_not_start_with_a_spaced_env_key(sandbox) -> None:
    out = run_cli("--base-url", sandbox.url, env={"SENDKIT_API_KEY": SPACED_KEY})
    assert out.returncode == 2
    assert out.stdout == ""  # the TUI never drew
    assert out.stderr == (
        "sendkit-tui: SENDKIT_API_KEY is set but holds no usable API key: "
        "An API key has no spaces in it.\n"
    )
    assert SPACED_KEY[4:20] not in out.stderr  # the key itself is never echoed


@pytest.mark.parametrize(
    ("command", "sends_the_key"),
    [
        ([], True),
        (["auth", "status"], True),
        (["import", "leads.csv"], True),
        (["import", "leads.csv", "--dry-run"], False),
        (["auth", "logout"], False),
    ],
)
def test_commands_that_would_send_the_env_key_refuse_a_malformed_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, command, sends_the_key
) -> None:
    reached: list[str] = []
    monkeypatch.setattr(entry, "run_tui", lambda *a: reached.append("tui") or 0)
    monkeypatch.setattr("sendkit_tui.cli.import_cmd.run", lambda *a: reached.append("import") or 0)
    monkeypatch.setattr("sendkit_tui.cli.auth.run", lambda *a: reached.append("auth") or 0)
    monkeypatch.setenv("SENDKIT_API_KEY", "sk_not a key at all")

    status = entry.main(["--base-url", "http://127.0.0.1:9", *command])

    if sends_the_key:
        assert (status, reached) == (2, [])
        assert "SENDKIT_API_KEY is set but holds no usable API key" in capsys.readouterr().err
    else:
        assert status == 0 and len(reached) == 1


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("sk_" + "a" * 10 + "\t" + "b" * 10, "no spaces"),
        ("pk_" + "a" * 40, "start with sk_user_"),
        ("sk_abc", "too short"),
    ],
)
def test_each_malformed_shape_gets_its_sentence(key: str, says: str) -> None:
    problem = entry.env_key_problem({"SENDKIT_API_KEY": key})
    assert problem is not None and says in problem


def test_a_good_or_padded_or_missing_key_is_fine() -> None:
    good = "sk_" + "5a7e1e57" * 6
    assert entry.env_key_problem({"SENDKIT_API_KEY": f" {good}\n"}) is None
    assert entry.env_key_problem({"SENDKIT_API_KEY": "  "}) is None
    assert entry.env_key_problem({}) is None


# -- item 9: the exit status of the TUI -------------------------------------------------------

# Runs the real ``sendkit-tui`` entry point in its own process, with the app's on_mount
# replaced by what the test asks for (there is no way to make the real app crash on demand).
PROBE = """
import sys
from sendkit_tui.cli import entry
from sendkit_tui.ui.app import SendKitApp

def on_mount(self):
    {body}

SendKitApp.on_mount = on_mount
sys.exit(entry.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('raise RuntimeError("a bug")', 1),  # Textual catches it, shows it, and exits
        ('self.call_after_refresh(self.exit, 1, message="No API key given.")', 1),
        ("self.call_after_refresh(self.exit, 0)", 0),
    ],
)
def test_the_exit_status_tells_a_crash_from_a_quit(tmp_path: Path, body: str, status: int) -> None:
    script = tmp_path / "probe.py"
    script.write_text(PROBE.format(body=body), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), "--base-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        env={**os.environ},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert out.returncode == status, out.stderr[-2000:]
    if status and "a bug" in body:
        assert "RuntimeError: a bug" in out.stderr


def test_exit_status_reads_textuals_return_code() -> None:
    class Ran:
        def __init__(self, return_code: int | None, return_value: object) -> None:
            self.return_code, self.return_value = return_code, return_value

    assert entry.exit_status(Ran(1, None)) == 1  # crashed
    assert entry.exit_status(Ran(0, 1)) == 1  # exit(1, message=…)
    assert entry.exit_status(Ran(0, None)) == 0
    assert entry.exit_status(Ran(0, True)) == 0  # not a status
