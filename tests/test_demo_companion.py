"""`--demo`'s sandbox runs in a child process that never outlives the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

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


def test_the_child_stops_when_the_app_is_killed(tmp_path):
    script = (
        "import sys, time\n"
        "from sendkit_tui.sandbox.companion import DemoSandbox\n"
        "box = DemoSandbox(seed=1).start()\n"
        "print(box._proc.pid, box.url, flush=True)\n"
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
