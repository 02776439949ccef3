"""Figure 1: cold start to an interactive leads list vs a bare Textual app (fresh processes).

Each run starts a fresh process on a pseudo-terminal of 120x40 and reads what it writes:
``python -m sendkit_tui`` exactly as a user runs it (``--demo``, or ``SENDKIT_API_KEY`` for a
running sandbox), with empty config and data directories, against the bare app of
``startup_child.py``. The time is from the spawn to the moment the terminal receives the text
the run waits for (the bare app's label, or the newest lead's email in the list). Nothing
inside the process is timed, so the figure is what a user waits for: interpreter start,
imports, the request, the frame.
"""

from __future__ import annotations

import os
import tempfile

import httpx

from benchmarks.common import PY, Report, Row, SandboxProcess, Settings, median
from benchmarks.pty_run import Pty
from benchmarks.startup_child import BARE_TEXT

COMMANDS = {
    "bare": [PY, "-m", "benchmarks.startup_child"],
    "demo": [PY, "-m", "sendkit_tui", "--demo"],
    "env": [PY, "-m", "sendkit_tui"],
}


def spawn(mode: str, env: dict[str, str], expect: bytes, timeout: float = 30.0) -> float:
    """ms from spawn until ``expect`` has been written to the terminal."""
    with Pty(COMMANDS[mode], env) as term:
        try:
            shown = term.wait_for(expect, timeout)
        except TimeoutError:
            raise RuntimeError(f"startup {mode}: {expect!r} not shown in {timeout} s") from None
    return (shown - term.started) * 1000


def first_email(sandbox: SandboxProcess) -> bytes:
    """The newest lead's email as the list draws it (the cell is 25 wide; ASCII seed data)."""
    data = httpx.get(f"{sandbox.url}/v1/leads", params={"limit": 1}, headers=sandbox.headers)
    email = data.json()["data"][0]["email"]
    return email[:20].encode()


def run(settings: Settings, report: Report, demo_sandbox: SandboxProcess) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        _run(settings, report, demo_sandbox, home)


def _run(settings: Settings, report: Report, demo_sandbox: SandboxProcess, home: str) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": f"{home}/config", "XDG_DATA_HOME": f"{home}/data"}
    for name in ("SENDKIT_API_KEY", "SENDKIT_BASE_URL", "SENDKIT_WORKSPACE_ID", "SENDKIT_PROFILE"):
        env.pop(name, None)
    env_key = {
        **env,
        "SENDKIT_API_KEY": demo_sandbox.api_key,
        "SENDKIT_BASE_URL": demo_sandbox.url,
    }
    email = first_email(demo_sandbox)  # --demo seeds the same leads in its own sandbox
    modes = {"bare": (env, BARE_TEXT.encode()), "demo": (env, email), "env": (env_key, email)}
    times: dict[str, list[float]] = {m: [] for m in modes}
    for mode, (mode_env, expect) in modes.items():  # warm-up: page cache, not bytecode
        spawn(mode, mode_env, expect)
    for _ in range(settings.runs(9, 3)):
        for mode, (mode_env, expect) in modes.items():  # interleaved: drift hits all alike
            times[mode].append(spawn(mode, mode_env, expect))
    bare = median(times["bare"])
    for mode, label in (
        ("demo", "cold start → leads drawn, --demo (sandbox in a child process)"),
        ("env", "cold start → leads drawn, env key (sandbox pre-started)"),
    ):
        ours = median(times[mode])
        report.add(Row(label, ours, bare, "ms", "≤ 1.5x", ours / bare <= 1.5))
    spread = ", ".join(f"{m} [{min(v):.0f}-{max(v):.0f}]" for m, v in times.items())
    report.notes.append(
        f"startup ms (spawn → text on a 120x40 pty) min-max over {len(times['bare'])} runs: "
        f"{spread}"
    )
