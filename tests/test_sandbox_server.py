"""Sandbox lifecycle: start/stop, keys, file databases, run_sandbox, and no 500 on bad input."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY, SandboxServer
from tests.conftest import TEST_WORKSPACE_KEY

LISTENING = re.compile(r"^SendKit sandbox listening on (http://127\.0\.0\.1:(\d+))$")


def test_demo_key_is_a_fixed_fake_workspace_key():
    assert re.fullmatch(r"sk_demo_[0-9a-f]{40}", DEMO_WORKSPACE_KEY)
    with SandboxServer(api_key=DEMO_WORKSPACE_KEY, seed=3) as server:
        response = httpx.get(f"{server.url}/v1/leads", headers={"X-Api-Key": DEMO_WORKSPACE_KEY})
        assert response.json()["pagination"]["total"] == 3


def test_default_keys_are_random_and_shaped_like_real_ones():
    one, two = SandboxServer(), SandboxServer()
    assert re.fullmatch(r"sk_test_[0-9a-f]{48}", one.api_key)
    assert re.fullmatch(r"sk_user_[0-9a-f]{48}", one.platform_key)
    assert one.api_key != two.api_key and one.platform_key != two.platform_key


def test_key_kinds_are_checked():
    with pytest.raises(ValueError):
        SandboxServer(api_key="sk_user_" + "1" * 48)
    with pytest.raises(ValueError):
        SandboxServer(platform_key="sk_" + "1" * 48)


def test_start_stop_and_context_manager():
    server = SandboxServer(seed=1)
    assert server.start() is server
    assert server.start() is server  # already running
    url = server.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and not url.endswith(":0")
    assert httpx.get(f"{url}/v1/leads", headers={"X-Api-Key": server.api_key}).status_code == 200
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/v1/leads")
    with SandboxServer(seed=2) as again:
        assert again.count_leads() == 2


def test_a_file_database_survives_a_restart_without_reseeding(tmp_path):
    path = str(tmp_path / "sandbox.db")
    with SandboxServer(api_key=TEST_WORKSPACE_KEY, db=path, seed=5) as server:
        (first,) = server.add_leads([{"email": "kept@x.io"}])
    with SandboxServer(api_key=TEST_WORKSPACE_KEY, db=path, seed=50) as server:
        assert server.count_leads() == 6
        assert server.get_lead(first)["email"] == "kept@x.io"
        response = httpx.post(
            f"{server.url}/v1/leads",
            json={"email": "next@x.io"},
            headers={"X-Api-Key": TEST_WORKSPACE_KEY},
        )
        assert response.json()["data"]["_id"] > first
        server.reset(seed=4)
        assert server.count_leads() == 4


def test_find_and_add_leads_helpers(sandbox):
    acme = sandbox.workspaces[1]["id"]
    ids = sandbox.add_leads([{"email": "Helper@X.io", "emailVerified": True}], workspace_id=acme)
    (lead,) = sandbox.find_leads("  HELPER@x.io ")
    assert lead["_id"] == ids[0] and lead["workspaceId"] == acme and lead["emailVerified"] is True
    assert sandbox.count_leads(acme) == 4 and sandbox.count_leads() == 25
    with pytest.raises(ValueError):
        sandbox.add_leads([{"email": "helper@x.io"}], workspace_id=acme)
    with pytest.raises(ValueError):
        sandbox.add_leads([{"email": "not an email"}])
    assert sandbox.get_lead("nope") is None and sandbox.get_lead("0" * 24) is None


# --- run_sandbox in a real process ---------------------------------------------------------


def start_process(*args: str) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import faulthandler, signal, sys
        faulthandler.register(signal.SIGUSR1)  # every thread's stack, if it does not stop
        from sendkit_tui.sandbox import run_sandbox
        sys.exit(run_sandbox(port=0, seed=7{"".join(args)}))
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def read_banner(process: subprocess.Popen[str]) -> tuple[str, list[str]]:
    assert process.stdout is not None
    first = process.stdout.readline().rstrip("\n")
    match = LISTENING.match(first)
    assert match, f"first line was {first!r}"
    lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
    return match.group(1), lines


def stop_process(process: subprocess.Popen[str], sig: int) -> tuple[str, str]:
    process.send_signal(sig)
    try:
        out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)  # where each thread is waiting, on stderr
        try:
            out, err = process.communicate(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        pytest.fail(f"run_sandbox did not stop: {err}")
    return out, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_run_sandbox_prints_the_url_first_and_serves_it(sig):
    process = start_process()
    try:
        url, lines = read_banner(process)
        key = re.search(r"Workspace API key: (sk_\S+)", lines[0]).group(1)
        platform = re.search(r"Platform API key: (sk_user_\S+)", lines[1]).group(1)
        assert "665a1b2c3d4e5f6a7b8c9d02" in lines[1]
        response = httpx.get(f"{url}/v1/leads", headers={"X-Api-Key": key})
        assert response.json()["pagination"]["total"] == 7
        headers = {"X-Api-Key": platform}
        assert httpx.get(f"{url}/v1/account", headers=headers).status_code == 200
        # Faults and bad input print nothing on the terminal.
        httpx.post(f"{url}/_sandbox/faults", json={"kind": "drop_after"})
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/v1/leads", headers={"X-Api-Key": key})
        httpx.post(f"{url}/v1/leads", content=b"{bad", headers={"X-Api-Key": key})
    finally:
        out, err = stop_process(process, sig)
    assert process.returncode == 0
    assert "Traceback" not in out + err
    assert "GET /v1" not in out + err  # no access log


def test_run_sandbox_treats_a_platform_api_key_as_the_platform_key():
    key = "sk_user_" + "ab" * 24
    process = start_process(f", api_key={key!r}")
    try:
        url, lines = read_banner(process)
        assert key in lines[1] and key not in lines[0]
        headers = {"X-Api-Key": key}
        assert httpx.get(f"{url}/v1/workspaces", headers=headers).json()["data"][1]["name"] == (
            "Acme Sales"
        )
    finally:
        stop_process(process, signal.SIGINT)


# --- never a 500 for bad input ------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["email", "firstName", "phone", "phoneNumber", "linkedinUrl", "tags", "customFields",
     "leads", "leadIds", "deleteAll", "filters", "force", "tag", "skipDuplicates", "x"]
)  # fmt: skip
bodies = st.dictionaries(field_names, json_values, max_size=5) | json_values
TARGETS = [
    ("POST", "/v1/leads"),
    ("PATCH", "/v1/leads/{id}"),
    ("POST", "/v1/leads/bulk"),
    ("DELETE", "/v1/leads"),
]


@pytest.fixture(scope="module")
def fuzz_client(sandbox_server):
    sandbox_server.reset(seed=25)
    headers = {"X-Api-Key": sandbox_server.api_key}
    with httpx.Client(base_url=sandbox_server.url, headers=headers, timeout=10) as client:
        client.lead_id = client.get("/v1/leads").json()["data"][0]["_id"]
        yield client
    sandbox_server.reset(seed=25)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    target=st.sampled_from(TARGETS),
    body=bodies,
    query=st.dictionaries(
        st.sampled_from(["limit", "cursor", "search", "tags", "emailVerified", "page"]),
        st.text(max_size=12),
        max_size=3,
    ),
)
def test_no_input_makes_the_server_answer_500(fuzz_client, target, body, query):
    method, path = target
    response = fuzz_client.request(method, path.format(id=fuzz_client.lead_id), json=body)
    listing = fuzz_client.get("/v1/leads", params=query)
    for answer in (response, listing):
        assert answer.status_code < 500, answer.text
        answer.json()
