"""Sandbox auth: both key headers, key kinds, X-Workspace-Id, workspace isolation, account."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY

DEMO_WS = "665a1b2c3d4e5f6a7b8c9d01"
ACME_WS = "665a1b2c3d4e5f6a7b8c9d02"


def call(sandbox, method, path, headers=None, **kwargs):
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        return client.request(method, path, headers=headers or {}, **kwargs)


def assert_shape_a(response, status, message=None):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "message", "code"}
    assert body["code"] == status
    assert isinstance(body["error"], str) and body["error"]
    if message is not None:
        assert body["message"] == message


def test_workspaces_match_the_documented_ids(sandbox):
    assert sandbox.workspaces == [
        {"id": DEMO_WS, "name": "Demo Workspace"},
        {"id": ACME_WS, "name": "Acme Sales"},
    ]
    assert sandbox.api_key == TEST_WORKSPACE_KEY
    assert sandbox.platform_key == TEST_PLATFORM_KEY


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Api-Key": TEST_WORKSPACE_KEY},
        {"Authorization": f"Bearer {TEST_WORKSPACE_KEY}"},
        {"Authorization": f"bearer {TEST_WORKSPACE_KEY}"},
        {"X-Api-Key": TEST_WORKSPACE_KEY, "Authorization": f"Bearer {TEST_WORKSPACE_KEY}"},
    ],
    ids=["x-api-key", "bearer", "bearer-lowercase", "both-equal"],
)
def test_either_header_or_both_equal_authenticate(sandbox, headers):
    response = call(sandbox, "GET", "/v1/leads", headers)
    assert response.status_code == 200
    assert response.json()["pagination"]["total"] == 25


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Api-Key": ""},
        {"X-Api-Key": "sk_" + "0" * 48},
        {"Authorization": "Bearer sk_user_" + "1" * 48},
        {"Authorization": f"Basic {TEST_WORKSPACE_KEY}"},
        {"Authorization": "Bearer"},
        {"X-Api-Key": TEST_WORKSPACE_KEY, "Authorization": "Bearer sk_" + "0" * 48},
        {"X-Api-Key": TEST_WORKSPACE_KEY, "Authorization": f"Bearer {TEST_PLATFORM_KEY}"},
    ],
    ids=[
        "missing",
        "empty",
        "unknown",
        "unknown-platform",
        "not-bearer",
        "bearer-without-key",
        "mismatch",
        "mismatch-both-valid",
    ],
)
def test_missing_unknown_or_mismatching_keys_are_401_shape_a(sandbox, headers):
    response = call(sandbox, "GET", "/v1/leads", headers)
    assert_shape_a(response, 401)
    assert response.json()["error"] == "Unauthorized"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/leads", None),
        ("POST", "/v1/leads", {"email": "x@y.io"}),
        ("DELETE", "/v1/leads", {"leadIds": []}),
        ("POST", "/v1/leads/bulk", {"leads": []}),
        ("PATCH", "/v1/leads/" + "a" * 24, {}),
        ("GET", "/v1/leads/" + "a" * 24, None),
        ("GET", "/v1/account", None),
        ("GET", "/v1/workspaces", None),
    ],
)
def test_every_route_needs_a_key_and_nothing_happens_without_one(sandbox, method, path, body):
    response = call(sandbox, method, path, {"X-Api-Key": "sk_nope_123456789"}, json=body)
    assert_shape_a(response, 401)
    assert sandbox.find_leads("x@y.io") == []
    assert sandbox.count_leads() == 25


def test_platform_key_needs_x_workspace_id_on_lead_routes(sandbox):
    response = call(sandbox, "GET", "/v1/leads", {"X-Api-Key": TEST_PLATFORM_KEY})
    assert_shape_a(response, 400, "X-Workspace-Id header is required with a platform key")
    response = call(
        sandbox, "POST", "/v1/leads", {"X-Api-Key": TEST_PLATFORM_KEY}, json={"email": "a@b.io"}
    )
    assert_shape_a(response, 400)
    assert sandbox.find_leads("a@b.io") == []


@pytest.mark.parametrize("workspace_id", ["f" * 24, "ws_123", "665A1B2C3D4E5F6A7B8C9D01 x"])
def test_platform_key_with_a_foreign_workspace_is_403(sandbox, workspace_id):
    headers = {"X-Api-Key": TEST_PLATFORM_KEY, "X-Workspace-Id": workspace_id}
    assert_shape_a(call(sandbox, "GET", "/v1/leads", headers), 403)


def test_platform_key_sees_each_workspace_it_names(sandbox):
    for workspace_id, total in ((DEMO_WS, 25), (ACME_WS, 3)):
        headers = {"Authorization": f"Bearer {TEST_PLATFORM_KEY}", "X-Workspace-Id": workspace_id}
        response = call(sandbox, "GET", "/v1/leads", headers)
        assert response.status_code == 200
        assert response.json()["pagination"]["total"] == total
        assert {lead["workspaceId"] for lead in response.json()["data"]} == {workspace_id}


def test_workspace_key_with_its_own_workspace_id_is_fine_another_is_403(sandbox):
    own = {"X-Api-Key": TEST_WORKSPACE_KEY, "X-Workspace-Id": DEMO_WS}
    assert call(sandbox, "GET", "/v1/leads", own).status_code == 200
    other = {"X-Api-Key": TEST_WORKSPACE_KEY, "X-Workspace-Id": ACME_WS}
    assert_shape_a(call(sandbox, "GET", "/v1/leads", other), 403)
    response = call(sandbox, "POST", "/v1/leads", other, json={"email": "sneak@acme.io"})
    assert_shape_a(response, 403)
    assert sandbox.find_leads("sneak@acme.io") == []


def test_workspaces_are_isolated(sandbox):
    acme = {"X-Api-Key": TEST_PLATFORM_KEY, "X-Workspace-Id": ACME_WS}
    demo = {"X-Api-Key": TEST_WORKSPACE_KEY}
    created = call(sandbox, "POST", "/v1/leads", acme, json={"email": "Same@Both.io"})
    assert created.status_code == 201
    lead = created.json()["data"]
    assert lead["workspaceId"] == ACME_WS
    # The same email is not a duplicate in the other workspace.
    again = call(sandbox, "POST", "/v1/leads", demo, json={"email": "same@both.io"})
    assert again.status_code == 201
    assert again.json()["data"]["workspaceId"] == DEMO_WS
    assert len(sandbox.find_leads("SAME@both.io")) == 2
    # The workspace key cannot see, change or delete the Acme lead.
    assert call(sandbox, "GET", f"/v1/leads/{lead['_id']}", demo).status_code == 404
    patched = call(sandbox, "PATCH", f"/v1/leads/{lead['_id']}", demo, json={"city": "Oslo"})
    assert patched.status_code == 404
    assert patched.json()["error"]["code"] == "NOT_FOUND"
    listed = call(sandbox, "GET", "/v1/leads", demo, params={"limit": 100}).json()["data"]
    assert lead["_id"] not in {item["_id"] for item in listed}
    deleted = call(sandbox, "DELETE", "/v1/leads", demo, json={"leadIds": [lead["_id"]]})
    assert deleted.json() == {"success": True, "data": {"deletedCount": 0}}
    assert sandbox.get_lead(lead["_id"])["city"] is None
    assert sandbox.count_leads(ACME_WS) == 4


def test_account_for_the_platform_key(sandbox):
    response = call(sandbox, "GET", "/v1/account", {"X-Api-Key": TEST_PLATFORM_KEY})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert set(data) == {"id", "name", "email", "image", "tier", "workspaces"}
    assert data["image"] is None and data["tier"] == "starter"
    assert len(data["id"]) == 24
    assert [w["workspaceId"] for w in data["workspaces"]] == [DEMO_WS, ACME_WS]
    for membership in data["workspaces"]:
        assert membership["role"] == "owner"
        assert membership["joinedAt"].endswith("Z")


def test_account_does_not_need_a_workspace_id_and_refuses_workspace_keys(sandbox):
    response = call(sandbox, "GET", "/v1/account", {"X-Api-Key": TEST_WORKSPACE_KEY})
    assert_shape_a(response, 403)
    assert response.json()["error"] == "Forbidden"


def test_workspaces_list_per_key_kind(sandbox):
    platform = call(sandbox, "GET", "/v1/workspaces", {"X-Api-Key": TEST_PLATFORM_KEY}).json()
    assert [w["id"] for w in platform["data"]] == [DEMO_WS, ACME_WS]
    workspace = call(sandbox, "GET", "/v1/workspaces", {"X-Api-Key": TEST_WORKSPACE_KEY}).json()
    assert [w["id"] for w in workspace["data"]] == [DEMO_WS]
    item = workspace["data"][0]
    assert set(item) == {"id", "name", "ownerId", "memberCount", "usage", "createdAt"}
    assert set(item["usage"]) == {
        "totalCampaigns",
        "totalLeads",
        "totalMailboxes",
        "totalEmailsSent",
    }
    assert item["usage"]["totalLeads"] == 25
    sandbox.add_leads([{"email": "one.more@x.io"}])
    again = call(sandbox, "GET", "/v1/workspaces", {"X-Api-Key": TEST_WORKSPACE_KEY}).json()
    assert again["data"][0]["usage"]["totalLeads"] == 26
