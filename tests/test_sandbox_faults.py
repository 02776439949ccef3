"""Sandbox fault injection, the request log and the /_sandbox control routes."""

from __future__ import annotations

import json

import httpx
import pytest

from sendkit_tui.sandbox import FAULT_KINDS
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY


@pytest.fixture
def api(sandbox):
    with httpx.Client(
        base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}, timeout=10
    ) as client:
        yield client


def create(api, email, **kwargs):
    return api.post("/v1/leads", json={"email": email}, **kwargs)


# --- answers without side effects ------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 401])
def test_status_fault_answers_shape_a_and_has_no_side_effect(sandbox, api, status):
    sandbox.inject("status", method="POST", status=status)
    response = create(api, "status@x.io")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "message", "code"} and body["code"] == status
    assert sandbox.find_leads("status@x.io") == []
    assert ("retry-after" in response.headers) is (status == 429)
    if status == 429:
        assert response.headers["retry-after"] == "1"
    # The fault was used up: the same request now goes through.
    assert create(api, "status@x.io").status_code == 201


def test_retry_after_is_sent_as_given(sandbox, api):
    sandbox.inject("status", status=429, retry_after=7)
    sandbox.inject("status", status=503, retry_after=2)
    sandbox.inject("status", status=503)
    assert api.get("/v1/leads").headers["retry-after"] == "7"
    assert api.get("/v1/leads").headers["retry-after"] == "2"
    assert "retry-after" not in api.get("/v1/leads").headers


def test_json_fault_answers_the_body_verbatim(sandbox, api):
    body = {"success": False, "error": {"code": "WEIRD", "message": "odd ünïcode"}, "n": [1]}
    sandbox.inject("json", status=418, body=body)
    response = create(api, "json@x.io")
    assert response.status_code == 418 and response.json() == body
    sandbox.inject("json", body=["not", "an", "envelope"])
    response = api.get("/v1/leads")
    assert response.status_code == 200 and response.json() == ["not", "an", "envelope"]
    assert sandbox.find_leads("json@x.io") == []


def test_html_fault_looks_like_a_proxy_error_page(sandbox, api):
    sandbox.inject("html")
    response = create(api, "html@x.io")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text and "502 Bad Gateway" in response.text
    sandbox.inject("html", status=504)
    assert api.get("/v1/leads").status_code == 504
    assert sandbox.find_leads("html@x.io") == []


def test_empty_fault_sends_no_body(sandbox, api):
    sandbox.inject("empty")
    response = api.get("/v1/leads")
    assert response.status_code == 200 and response.content == b""
    sandbox.inject("empty", status=500, method="POST")
    response = create(api, "empty@x.io")
    assert response.status_code == 500 and response.content == b""
    assert sandbox.find_leads("empty@x.io") == []


def test_truncated_fault_sends_half_a_json_document(sandbox, api):
    sandbox.inject("truncated", method="POST")
    response = create(api, "cut@x.io")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert response.text.startswith('{"success": true')
    assert sandbox.find_leads("cut@x.io") == []


# --- timing and dropped connections ------------------------------------------------------------


def test_slow_fault_waits_then_answers_normally(sandbox, api):
    sandbox.inject("slow", delay=0.2, method="POST")
    response = create(api, "slow@x.io")
    assert response.status_code == 201
    assert response.elapsed.total_seconds() >= 0.2
    assert sandbox.requests[-1].fault == "slow" and sandbox.requests[-1].status == 201


def test_slow_fault_has_no_side_effect_before_the_wait(sandbox, api):
    sandbox.inject("slow", delay=2, method="POST")
    with pytest.raises(httpx.ReadTimeout):
        create(api, "late@x.io", timeout=0.1)
    assert sandbox.find_leads("late@x.io") == []


def test_slow_after_creates_the_lead_though_the_client_times_out(sandbox, api):
    sandbox.inject("slow_after", delay=2, method="POST")
    with pytest.raises(httpx.ReadTimeout):
        create(api, "ambiguous@x.io", timeout=0.3)
    assert len(sandbox.find_leads("ambiguous@x.io")) == 1


def test_drop_before_is_a_transport_error_and_creates_nothing(sandbox, api):
    sandbox.inject("drop_before", method="POST")
    with pytest.raises(httpx.TransportError) as caught:
        create(api, "dropped@x.io")
    assert isinstance(caught.value, httpx.RemoteProtocolError | httpx.ReadError)
    assert sandbox.find_leads("dropped@x.io") == []
    record = sandbox.requests[-1]
    assert record.fault == "drop_before" and record.status is None
    # The server is fine afterwards.
    assert create(api, "dropped@x.io").status_code == 201


def test_drops_close_the_connection_before_a_single_byte(sandbox, api):
    # The clean path (closing uvicorn's transport); the fallback sends headers first.
    for kind in ("drop_before", "drop_after"):
        sandbox.inject(kind)
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            api.get("/v1/leads")


def test_drop_after_creates_the_lead_but_the_client_gets_no_response(sandbox, api):
    sandbox.inject("drop_after", method="POST")
    with pytest.raises(httpx.TransportError):
        create(api, "half@x.io")
    assert len(sandbox.find_leads("half@x.io")) == 1
    record = sandbox.requests[-1]
    assert record.fault == "drop_after" and record.status is None
    assert create(api, "half@x.io").status_code == 409


def test_drops_also_break_async_clients(sandbox):
    import asyncio

    async def go():
        async with httpx.AsyncClient(
            base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}
        ) as client:
            for kind in ("drop_before", "drop_after"):
                sandbox.inject(kind)
                with pytest.raises(httpx.TransportError):
                    await client.get("/v1/leads")
            return (await client.get("/v1/leads")).status_code

    assert asyncio.run(go()) == 200


# --- matching --------------------------------------------------------------------------------


def test_count_method_and_path_select_the_requests(sandbox, api):
    sandbox.inject("status", status=503, count=2, method="patch", path="/v1/leads/")
    assert api.get("/v1/leads").status_code == 200
    assert create(api, "m@x.io").status_code == 201
    (lead_id,) = [lead["_id"] for lead in sandbox.find_leads("m@x.io")]
    codes = [api.patch(f"/v1/leads/{lead_id}", json={"city": "X"}).status_code for _ in range(3)]
    assert codes == [503, 503, 200]


def test_faults_apply_in_order_and_clear(sandbox, api):
    sandbox.inject("status", status=500)
    sandbox.inject("status", status=502)
    sandbox.inject("status", status=429, count=5)
    assert [api.get("/v1/leads").status_code for _ in range(3)] == [500, 502, 429]
    sandbox.clear_faults()
    assert api.get("/v1/leads").status_code == 200


def test_rate_faults_hit_a_fraction_until_cleared(sandbox, api):
    sandbox.inject("status", status=503, rate=1.0)
    assert {api.get("/v1/leads").status_code for _ in range(5)} == {503}
    sandbox.clear_faults()
    sandbox.inject("status", status=503, rate=0.0)
    assert {api.get("/v1/leads").status_code for _ in range(5)} == {200}
    sandbox.clear_faults()
    sandbox.inject("status", status=503, rate=0.5)
    codes = [api.get("/v1/leads").status_code for _ in range(40)]
    assert 5 < codes.count(503) < 35
    sandbox.clear_faults()
    sandbox.inject("status", status=503, rate=0.5)
    assert [api.get("/v1/leads").status_code for _ in range(40)] == codes  # seeded


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("nope", {}),
        ("status", {"count": 0}),
        ("status", {"rate": 1.5}),
        ("status", {"status": 99}),
        ("slow", {"delay": -1}),
    ],
)
def test_bad_fault_options_are_refused(sandbox, kind, options):
    with pytest.raises(ValueError):
        sandbox.inject(kind, **options)


def test_every_fault_kind_is_known():
    assert set(FAULT_KINDS) == {
        "slow",
        "slow_after",
        "status",
        "json",
        "html",
        "empty",
        "truncated",
        "drop_before",
        "drop_after",
    }


# --- request log --------------------------------------------------------------------------------


def test_request_log_records_redacted_headers_and_bodies(sandbox, api):
    sandbox.clear_requests()
    create(api, "log@x.io", headers={"Authorization": f"Bearer {TEST_WORKSPACE_KEY}"})
    api.get("/v1/leads", params={"search": "log", "limit": "5"})
    api.post("/v1/leads", content=b"not json")
    first, second, third = sandbox.requests
    assert (first.method, first.path, first.status, first.fault) == (
        "POST",
        "/v1/leads",
        201,
        None,
    )
    assert first.body == {"email": "log@x.io"}
    assert first.raw_body == '{"email":"log@x.io"}'
    assert first.headers["x-api-key"] == "<redacted>"
    assert first.headers["authorization"] == "<redacted>"
    assert first.headers["content-type"] == "application/json"
    assert first.workspace_id == sandbox.workspaces[0]["id"]
    assert TEST_WORKSPACE_KEY not in repr(sandbox.requests)
    assert second.query == {"search": "log", "limit": "5"} and second.body is None
    assert (third.body, third.raw_body, third.status) == (None, "not json", 400)


def test_request_log_names_the_platform_workspace_and_auth_failures(sandbox):
    acme = sandbox.workspaces[1]["id"]
    sandbox.clear_requests()
    headers = {"X-Api-Key": TEST_PLATFORM_KEY, "X-Workspace-Id": acme}
    httpx.get(f"{sandbox.url}/v1/leads", headers=headers)
    httpx.get(f"{sandbox.url}/v1/leads", headers={"X-Api-Key": "sk_wrong_123456789"})
    ok, denied = sandbox.requests
    assert ok.workspace_id == acme and ok.headers["x-workspace-id"] == acme
    assert denied.status == 401 and denied.workspace_id is None


def test_request_log_is_a_snapshot_and_can_be_cleared(sandbox, api):
    api.get("/v1/leads")
    snapshot = sandbox.requests
    snapshot.clear()
    assert len(sandbox.requests) == 1
    sandbox.requests[0].headers["x"] = "changed"
    assert "x" not in sandbox.requests[0].headers
    sandbox.clear_requests()
    assert sandbox.requests == []


def test_unexpected_errors_are_500_shape_a_and_the_server_keeps_going(sandbox, api, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(sandbox.state, "list", boom)
    response = api.get("/v1/leads")
    assert response.status_code == 500
    assert response.json() == {
        "error": "Internal Server Error",
        "message": "Unexpected server error",
        "code": 500,
    }
    assert "kaboom" not in response.text
    assert sandbox.requests[-1].status == 500
    monkeypatch.undo()
    assert api.get("/v1/leads").status_code == 200


# --- /_sandbox control routes ----------------------------------------------------------------


def test_control_routes_manage_faults_over_http(sandbox, api):
    control = httpx.Client(base_url=f"{sandbox.url}/_sandbox")
    response = control.post(
        "/faults", json={"kind": "status", "status": 503, "retry_after": 3, "path": "/v1/leads"}
    )
    assert response.status_code == 201 and response.json()["data"]["kind"] == "status"
    assert control.get("/faults").json()["data"][0]["status"] == 503
    # Control routes are never faulted.
    assert control.get("/requests").status_code == 200
    faulted = api.get("/v1/leads")
    assert faulted.status_code == 503 and faulted.headers["retry-after"] == "3"
    control.post("/faults", json={"kind": "status", "status": 500})
    assert control.delete("/faults").status_code == 200
    assert api.get("/v1/leads").status_code == 200
    for bad in ({"kind": "meteor"}, {"kind": "status", "colour": "red"}, ["status"]):
        refused = control.post("/faults", json=bad)
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "VALIDATION_ERROR"


def test_control_routes_show_and_clear_the_log_and_are_not_logged(sandbox, api):
    control = httpx.Client(base_url=f"{sandbox.url}/_sandbox")
    sandbox.clear_requests()
    create(api, "seen@x.io")
    logged = control.get("/requests").json()["data"]
    assert [(r["method"], r["path"], r["status"]) for r in logged] == [("POST", "/v1/leads", 201)]
    assert logged[0]["headers"]["x-api-key"] == "<redacted>"
    assert control.delete("/requests").status_code == 200
    assert control.get("/requests").json()["data"] == []
    assert sandbox.requests == []


def test_control_reset_reseeds(sandbox, api):
    control = httpx.Client(base_url=f"{sandbox.url}/_sandbox")
    create(api, "gone@x.io")
    sandbox.inject("status", status=500)
    assert control.post("/reset", json={"seed": 5}).json()["data"]["leads"] == 5
    assert sandbox.find_leads("gone@x.io") == [] and sandbox.count_leads() == 5
    assert api.get("/v1/leads").status_code == 200  # faults were cleared too
    assert control.post("/reset").json()["data"]["leads"] == 25  # the constructor's seed
    assert control.post("/reset", json={"seed": -1}).status_code == 400
