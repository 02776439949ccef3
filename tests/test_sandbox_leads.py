"""Sandbox lead routes: create, PATCH merge rules, GET by id, docs-only mode."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest

from sendkit_tui.domain import rules
from sendkit_tui.sandbox import SandboxServer
from tests.conftest import TEST_WORKSPACE_KEY

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FULL_KEYS = {
    "_id", "email", "firstName", "lastName", "companyName", "jobTitle", "phoneNumber",
    "linkedinUrl", "city", "state", "country", "tags", "customFields", "emailVerified",
    "emailVerificationResult", "userId", "workspaceId", "createdAt", "updatedAt",
}  # fmt: skip
LIST_KEYS = {
    "_id", "email", "firstName", "lastName", "companyName", "jobTitle", "tags",
    "emailVerified", "emailVerificationResult", "city", "state", "country", "createdAt",
}  # fmt: skip
FULL_REQUEST = {
    "email": "  Jane.Roe@Example-Corp.IO ",
    "firstName": "Jane",
    "lastName": "Roe",
    "companyName": "Example Corp",
    "jobTitle": "CTO",
    "phone": "+1 (555) 010-9999",
    "linkedinUrl": "https://www.linkedin.com/in/jane-roe",
    "city": "Austin",
    "state": "TX",
    "country": "US",
    "tags": ["vip", " enterprise ", "VIP", ""],
    "customFields": {"plan": "pro", "seats": "12"},
}


@pytest.fixture
def api(sandbox):
    with httpx.Client(
        base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}, timeout=10
    ) as client:
        yield client


def error_b(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body["error"]


def field_errors(response):
    error = error_b(response, 400, "VALIDATION_ERROR")
    return {d["field"]: d["message"] for d in error["details"]}


# --- create ------------------------------------------------------------------------------


def test_create_returns_201_and_the_full_lead(sandbox, api):
    response = api.post("/v1/leads", json=FULL_REQUEST)
    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    lead = body["data"]
    assert set(lead) == FULL_KEYS
    assert lead["email"] == "jane.roe@example-corp.io"
    assert lead["phoneNumber"] == "+1 (555) 010-9999"
    assert lead["tags"] == ["vip", "enterprise"]
    assert lead["customFields"] == {"plan": "pro", "seats": "12"}
    assert lead["emailVerified"] is False and lead["emailVerificationResult"] is None
    assert lead["workspaceId"] == sandbox.workspaces[0]["id"]
    assert re.fullmatch(r"[0-9a-f]{24}", lead["_id"]) and re.fullmatch(
        r"[0-9a-f]{24}", lead["userId"]
    )
    assert ISO.match(lead["createdAt"]) and lead["createdAt"] == lead["updatedAt"]
    for field in ("firstName", "lastName", "companyName", "jobTitle", "city", "state", "country"):
        assert lead[field] == FULL_REQUEST[field]
    assert sandbox.get_lead(lead["_id"]) == lead


def test_create_with_only_an_email_fills_nulls_and_empties(api):
    lead = api.post("/v1/leads", json={"email": "min@x.io"}).json()["data"]
    for field in FULL_KEYS - {"_id", "email", "tags", "customFields", "emailVerified",
                              "userId", "workspaceId", "createdAt", "updatedAt"}:  # fmt: skip
        assert lead[field] is None, field
    assert lead["tags"] == [] and lead["customFields"] == {}


def test_explicit_nulls_are_accepted_on_create(api):
    body = {"email": "n@x.io", "firstName": None, "tags": None, "customFields": None}
    lead = api.post("/v1/leads", json=body).json()["data"]
    assert lead["firstName"] is None and lead["tags"] == [] and lead["customFields"] == {}


def test_ids_grow_with_creation_order_and_list_shows_newest_first(sandbox, api):
    ids = [
        api.post("/v1/leads", json={"email": f"order{i}@x.io"}).json()["data"]["_id"]
        for i in range(5)
    ]
    assert ids == sorted(ids) and len(set(ids)) == 5
    seeded = api.get("/v1/leads", params={"limit": 100}).json()["data"]
    assert [lead["_id"] for lead in seeded[:5]] == ids[::-1]
    assert all(ids[0] > lead["_id"] for lead in seeded[5:])


def test_duplicate_email_in_another_case_is_409_with_the_existing_id(sandbox, api):
    first = api.post("/v1/leads", json={"email": "dup@x.io"}).json()["data"]
    response = api.post("/v1/leads", json={"email": "  DUP@X.io", "firstName": "Again"})
    message = "A lead with this email already exists."
    assert response.status_code == 409
    assert response.json() == {
        "success": False,
        "error": {
            "code": "DUPLICATE_EMAIL",
            "message": message,
            "details": [{"field": "email", "message": message}],
            "leadId": first["_id"],
        },
    }
    assert len(sandbox.find_leads("dup@x.io")) == 1


def test_duplicate_of_a_seeded_lead_is_409(sandbox, api):
    seeded = api.get("/v1/leads", params={"limit": 1}).json()["data"][0]
    response = api.post("/v1/leads", json={"email": seeded["email"].upper()})
    assert error_b(response, 409, "DUPLICATE_EMAIL")["leadId"] == seeded["_id"]


LONG = "x" * (rules.MAX_TEXT_LEN + 1)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "email", rules.check_email(None)),
        ({"email": ""}, "email", rules.check_email("")),
        ({"email": "not-an-email"}, "email", rules.check_email("not-an-email")),
        ({"email": "a@" + "b" * 260 + ".io"}, "email", rules.check_email("a@" + "b" * 260 + ".io")),
        ({"email": 42}, "email", "Email must be text."),
        ({"phone": "call me"}, "phone", rules.check_phone("call me")),
        ({"phone": "1" * 41}, "phone", rules.check_phone("1" * 41)),
        ({"linkedinUrl": "linkedin.com/in/x"}, "linkedinUrl", rules.check_url("linkedin.com/in/x")),
        ({"linkedinUrl": "https://x y.io"}, "linkedinUrl", rules.check_url("https://x y.io")),
        ({"firstName": LONG}, "firstName", rules.check_text(LONG, "firstName")),
        ({"country": LONG}, "country", rules.check_text(LONG, "country")),
        ({"companyName": 5}, "companyName", "Company must be text."),
        ({"tags": ["a,b"]}, "tags", rules.check_tag("a,b")),
        ({"tags": ["t" * 65]}, "tags", rules.check_tag("t" * 65)),
        (
            {"tags": [f"t{i}" for i in range(101)]},
            "tags",
            rules.check_tags([f"t{i}" for i in range(101)]),
        ),
        ({"tags": "vip"}, "tags", "Tags must be a list of text."),
        ({"tags": ["ok", 3]}, "tags", "Tags must be a list of text."),
        (
            {"customFields": {"seats": 3}},
            "customFields.seats",
            rules.check_custom_fields({"seats": 3}),
        ),
        (
            {"customFields": {" plan": "x"}},
            "customFields. plan",
            rules.check_custom_fields({" plan": "x"}),
        ),
        ({"customFields": {"": "x"}}, "customFields.", rules.check_custom_key("")),
        (
            {"customFields": {"k": "v" * 10_001}},
            "customFields.k",
            rules.check_custom_value("v" * 10_001),
        ),
        (
            {"customFields": {f"k{i}": "v" for i in range(201)}},
            "customFields",
            rules.check_custom_fields({f"k{i}": "v" for i in range(201)}),
        ),
        (
            {"customFields": ["plan"]},
            "customFields",
            "Custom fields must be an object of text values.",
        ),
        (
            {"phoneNumber": "+1 555"},
            "phoneNumber",
            "Unknown field 'phoneNumber'. Send the phone number as 'phone'.",
        ),
        ({"nickname": "J"}, "nickname", "Unknown field 'nickname'."),
        ({"_id": "a" * 24}, "_id", "Unknown field '_id'."),
    ],
)
def test_create_validation_names_the_field_with_the_shared_rule_message(
    sandbox, api, body, field, message
):
    body = {"email": "valid@x.io", **body} if "email" not in body and body else body
    response = api.post("/v1/leads", json=body)
    errors = field_errors(response)
    assert errors == {field: message}
    assert response.json()["error"]["message"] == message
    assert sandbox.count_leads() == 25


def test_several_invalid_fields_are_reported_together(api):
    response = api.post(
        "/v1/leads", json={"email": "bad", "phone": "abc", "tags": ["a,b"], "extra": 1}
    )
    assert set(field_errors(response)) == {"email", "phone", "tags", "extra"}
    assert response.json()["error"]["message"] == "4 fields are invalid."


@pytest.mark.parametrize(
    "raw",
    [
        b"{bad json",
        b"",
        b"   ",
        b'{"email": "a@b.io"',
        b"\xff\xfe{}",
        b'{"email": "\\ud800@x.io"}',
        b'{"email": "a@b.io", "customFields": {"n": NaN}}',
        b'{"email": "a@b.io", "tags": [Infinity]}',
        b"[" * 100_000,
    ],
)
def test_malformed_json_is_400_invalid_json(sandbox, api, raw):
    response = api.post("/v1/leads", content=raw, headers={"Content-Type": "application/json"})
    error_b(response, 400, "INVALID_JSON")
    assert sandbox.count_leads() == 25


@pytest.mark.parametrize("raw", [b'[{"email": "a@b.io"}]', b'"a@b.io"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_400_validation_error(sandbox, api, raw):
    response = api.post("/v1/leads", content=raw)
    assert error_b(response, 400, "VALIDATION_ERROR")["message"] == (
        "The request body must be a JSON object."
    )


# --- PATCH -------------------------------------------------------------------------------


@pytest.fixture
def lead(sandbox):
    (lead_id,) = sandbox.add_leads(
        [
            {
                "email": "patch.me@x.io",
                "firstName": "Pat",
                "jobTitle": "Engineer",
                "phone": "+1 555 0100",
                "tags": ["alpha", "beta"],
                "customFields": {"plan": "free", "seats": "3", "region": "eu"},
            }
        ]
    )
    return sandbox.get_lead(lead_id)


def patch(api, lead_id, body):
    return api.patch(f"/v1/leads/{lead_id}", json=body)


def test_patch_merges_custom_fields_and_null_deletes_a_key(sandbox, api, lead):
    response = patch(
        api, lead["_id"], {"customFields": {"plan": "pro", "region": None, "new": "1"}}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["customFields"] == {"plan": "pro", "seats": "3", "new": "1"}
    assert sandbox.get_lead(lead["_id"]) == data
    # Deleting a key that does not exist is not an error.
    assert patch(api, lead["_id"], {"customFields": {"ghost": None}}).status_code == 200


def test_patch_custom_fields_null_clears_them_all(api, lead):
    assert patch(api, lead["_id"], {"customFields": None}).json()["data"]["customFields"] == {}


def test_patch_tags_replace_the_list(api, lead):
    data = patch(api, lead["_id"], {"tags": ["gamma", " Alpha", "gamma"]}).json()["data"]
    assert data["tags"] == ["gamma", "Alpha"]
    assert patch(api, lead["_id"], {"tags": None}).json()["data"]["tags"] == []


def test_patch_sets_and_null_clears_standard_fields_and_leaves_others(api, lead):
    data = patch(api, lead["_id"], {"jobTitle": None, "city": "Oslo", "phone": "+47 555"}).json()[
        "data"
    ]
    assert data["jobTitle"] is None and data["city"] == "Oslo"
    assert data["phoneNumber"] == "+47 555"
    assert data["firstName"] == "Pat" and data["tags"] == ["alpha", "beta"]
    assert data["email"] == lead["email"] and data["createdAt"] == lead["createdAt"]


@pytest.mark.parametrize("email", ["patch.me@x.io", "other@x.io", None])
def test_patch_with_email_is_400_email_immutable(sandbox, api, lead, email):
    response = patch(api, lead["_id"], {"email": email, "city": "Oslo"})
    error = error_b(response, 400, "EMAIL_IMMUTABLE")
    assert [d["field"] for d in error["details"]] == ["email"]
    assert sandbox.get_lead(lead["_id"]) == lead


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phoneNumber": "+1 555"}, "phoneNumber"),
        ({"unknown": "x"}, "unknown"),
        ({"phone": "call me"}, "phone"),
        ({"linkedinUrl": "nope"}, "linkedinUrl"),
        ({"firstName": 3}, "firstName"),
        ({"tags": ["a,b"]}, "tags"),
        ({"tags": "alpha"}, "tags"),
        ({"customFields": {"seats": 4}}, "customFields.seats"),
        ({"customFields": {"seats ": "4"}}, "customFields.seats "),
        ({"customFields": "plan=pro"}, "customFields"),
    ],
)
def test_patch_validation_is_400_and_changes_nothing(sandbox, api, lead, body, field):
    response = patch(api, lead["_id"], {"city": "Oslo", **body})
    assert set(field_errors(response)) == {field}
    assert sandbox.get_lead(lead["_id"]) == lead


def test_patch_bumps_updated_at_strictly_and_empty_patch_changes_nothing(sandbox, api, lead):
    stamps = [lead["updatedAt"]]
    for i in range(5):
        stamps.append(patch(api, lead["_id"], {"city": f"C{i}"}).json()["data"]["updatedAt"])
    assert stamps == sorted(stamps) and len(set(stamps)) == 6
    unchanged = patch(api, lead["_id"], {})
    assert unchanged.status_code == 200 and unchanged.json()["data"]["updatedAt"] == stamps[-1]
    same_value = patch(api, lead["_id"], {"city": "C4", "customFields": {"plan": "free"}})
    assert same_value.json()["data"]["updatedAt"] == stamps[-1]


def test_updated_at_is_strictly_increasing_even_with_a_frozen_clock():
    frozen = datetime(2025, 6, 10, 10, 30, tzinfo=UTC)
    with SandboxServer(api_key=TEST_WORKSPACE_KEY, clock=lambda: frozen) as server:
        headers = {"X-Api-Key": TEST_WORKSPACE_KEY}
        created = httpx.post(f"{server.url}/v1/leads", json={"email": "f@x.io"}, headers=headers)
        lead = created.json()["data"]
        assert lead["createdAt"] == lead["updatedAt"] == "2025-06-10T10:30:00.000Z"
        stamps = [
            httpx.patch(f"{server.url}/v1/leads/{lead['_id']}", json={"city": c}, headers=headers)
            .json()["data"]["updatedAt"]
            for c in "abc"
        ]  # fmt: skip
        assert stamps == [
            "2025-06-10T10:30:00.001Z",
            "2025-06-10T10:30:00.002Z",
            "2025-06-10T10:30:00.003Z",
        ]
        second = httpx.post(f"{server.url}/v1/leads", json={"email": "g@x.io"}, headers=headers)
        assert second.json()["data"]["_id"] > lead["_id"]


@pytest.mark.parametrize("lead_id", ["0" * 24, "f" * 24, "not-an-id", "ABCDEF" * 4, "a" * 25])
def test_patch_or_get_an_unknown_lead_is_404_shape_b(api, lead_id):
    for response in (
        api.patch(f"/v1/leads/{lead_id}", json={"city": "x"}),
        api.get(f"/v1/leads/{lead_id}"),
    ):
        assert response.json() == {
            "success": False,
            "error": {"code": "NOT_FOUND", "message": "Lead not found"},
        }
        assert response.status_code == 404


def test_patch_with_a_bad_body_is_400(api, lead):
    bad = api.patch(f"/v1/leads/{lead['_id']}", content=b"{oops")
    error_b(bad, 400, "INVALID_JSON")
    error_b(api.patch(f"/v1/leads/{lead['_id']}", json=["city"]), 400, "VALIDATION_ERROR")


# --- GET by id and docs-only -----------------------------------------------------------------


def test_get_by_id_returns_the_full_lead(api, lead):
    response = api.get(f"/v1/leads/{lead['_id']}")
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": lead}


def test_docs_only_hides_get_by_id_and_projects_the_list(sandbox, api, lead):
    sandbox.set_docs_only(True)
    response = api.get(f"/v1/leads/{lead['_id']}")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "Route not found", "code": 404}
    items = api.get("/v1/leads").json()["data"]
    assert items and all(set(item) == LIST_KEYS for item in items)
    assert items[0] == {k: v for k, v in lead.items() if k in LIST_KEYS}
    # PATCH and create still answer with the full lead.
    assert set(patch(api, lead["_id"], {"city": "Rome"}).json()["data"]) == FULL_KEYS
    assert set(api.post("/v1/leads", json={"email": "d@x.io"}).json()["data"]) == FULL_KEYS
    sandbox.set_docs_only(False)
    assert api.get(f"/v1/leads/{lead['_id']}").status_code == 200
    assert set(api.get("/v1/leads").json()["data"][0]) == FULL_KEYS


def test_reset_restores_the_constructor_docs_only_value(sandbox, api):
    sandbox.set_docs_only(True)
    sandbox.reset(seed=3)
    assert sandbox.docs_only is False
    assert sandbox.count_leads() == 3


def test_unknown_route_is_404_and_wrong_method_405_shape_a(api):
    for path in ("/v1/nothing", "/v2/leads", "/", "/v1/leads/a/b"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "Not Found", "message": "Route not found", "code": 404}
    for method, path in (
        ("PUT", "/v1/leads"),
        ("DELETE", "/v1/leads/" + "a" * 24),
        ("POST", "/v1/account"),
    ):
        response = api.request(method, path)
        assert response.status_code == 405
        assert response.json()["code"] == 405 and response.json()["error"] == "Method Not Allowed"
