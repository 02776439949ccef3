"""`--demo`'s sandbox runs in a child process that never outlives the app."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import httpx
import pytest

from sendkit_tui.sandbox.companion import DEMO_WORKSPACE_KEY, DemoSandbox

HEADERS = {"X-Api-Key": DEMO_WORKSPACE_KEY}


def zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # our own child: reap it, or it lingers as a zombie
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        if zombie(pid):  # exited; only waiting for a parent (maybe none) to reap it
            return True
        time.sleep(0.02)
    return False


def test_the_url_is_known_at_once_and_the_first_request_waits_for_the_child():
    with DemoSandbox(seed=7) as box:
        assert box.url.startswith("http://127.0.0.1:")
        # Asked for the moment it starts: the connection waits in the socket's queue.
        answer = httpx.get(
            f"{box.url}/v1/leads", params={"limit": 100}, headers=HEADERS, timeout=30
        )
        assert answer.status_code == 200
        assert len(answer.json()["data"]) == 7
        assert box.running
    assert not box.running


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "spawned"])
def test_the_child_stops_when_the_app_is_killed(tmp_path, fork):
    script = (
        "import sys, time\n"
        "from sendkit_tui.sandbox.companion import DemoSandbox\n"
        f"box = DemoSandbox(seed=1, fork={fork}).start()\n"
        "print(box.pid, box.url, flush=True)\n"
        "time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child_pid, url = app.stdout.readline().split()
        answer = httpx.get(f"{url}/v1/leads", headers=HEADERS, timeout=30)
        assert answer.status_code == 200
        app.kill()  # no clean-up code runs: only the closed pipe tells the child
        app.wait(10)
        assert gone(int(child_pid))
    finally:
        app.kill()
        app.wait(10)


# The app's side as `sendkit-tui --demo` runs it: a process with one thread (the child is
# forked on Linux), with a file of its own open, and a terminal it must not pass on.
APP_SIDE = """
import json, os, sys
from sendkit_tui.sandbox.companion import DemoSandbox
held = open(sys.argv[1], "w")  # something the app holds: the child must not keep it
box = DemoSandbox(seed=3, fork={fork}).start()
print(json.dumps({{"pid": box.pid, "url": box.url, "me": os.getpid()}}), flush=True)
sys.stdin.readline()  # the test has looked at the child
box.stop()
print(json.dumps({{"running": box.running}}), flush=True)
"""


def open_files(pid: int) -> set[str]:
    """What process ``pid`` has open (an fd closed while we look is skipped)."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(FileNotFoundError):
            found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return found


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "spawned"])
def test_the_child_serves_in_a_session_of_its_own_holds_nothing_of_the_app_and_is_reaped(
    tmp_path, fork
):
    import json

    held = tmp_path / "held-by-the-app"
    app = subprocess.Popen(
        [sys.executable, "-c", APP_SIDE.format(fork=fork), str(held)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        started = json.loads(app.stdout.readline())
        child = started["pid"]
        assert child != started["me"]
        answer = httpx.get(f"{started['url']}/v1/leads", headers=HEADERS, timeout=30)
        assert answer.status_code == 200 and len(answer.json()["data"]) == 3
        assert os.getsid(child) == child  # its own session: ctrl+c in the terminal is not its
        assert str(held) not in open_files(child)
        app.stdin.write("\n")
        app.stdin.flush()
        assert json.loads(app.stdout.readline()) == {"running": False}
        assert gone(child)
        assert app.wait(10) == 0
    finally:
        app.kill()
        app.wait(10)
