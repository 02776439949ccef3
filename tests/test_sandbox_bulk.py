"""Sandbox bulk import and bulk delete (with the active-campaign guard)."""

from __future__ import annotations

import time

import httpx
import pytest

from sendkit_tui.domain import rules
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY


@pytest.fixture
def api(sandbox):
    with httpx.Client(
        base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}, timeout=30
    ) as client:
        yield client


def bulk(api, leads, **options):
    response = api.post("/v1/leads/bulk", json={"leads": leads, **options})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    return body["data"]


def delete(api, body):
    return api.request("DELETE", "/v1/leads", json=body)


def invalid_fields(response):
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    return [d["field"] for d in error["details"]]


# --- bulk import ---------------------------------------------------------------------------


def test_bulk_counts_imported_skipped_and_failed(sandbox, api):
    existing = sandbox.add_leads([{"email": "old@x.io", "firstName": "Old"}])[0]
    data = bulk(
        api,
        [
            {"email": "new1@x.io", "firstName": "New"},
            {"email": "OLD@x.io", "firstName": "Changed"},
            {"email": "not-an-email"},
            {"email": "new2@x.io"},
            {"email": "New1@X.io", "city": "Oslo"},
            {"firstName": "No email"},
            "not an object",
            {"email": "cf@x.io", "customFields": "plan=pro"},
        ],
    )
    assert data["imported"] == 2 and data["skipped"] == 2 and data["failed"] == 4
    assert data["updated"] == 0
    assert data["errors"] == [
        {"email": "not-an-email", "error": rules.check_email("not-an-email")},
        {"email": None, "error": rules.check_email(None)},
        {"email": None, "error": "Each lead must be an object."},
        {"email": "cf@x.io", "error": "Custom fields must be an object of text values."},
    ]
    ids = data["importedLeadIds"]
    assert [sandbox.get_lead(i)["email"] for i in ids] == ["new1@x.io", "new2@x.io"]
    assert ids == sorted(ids)
    assert sandbox.get_lead(existing)["firstName"] == "Old"
    assert sandbox.get_lead(ids[0])["city"] is None
    assert sandbox.count_leads() == 28


def test_bulk_without_skip_updates_existing_and_repeated_leads(sandbox, api):
    (existing,) = sandbox.add_leads(
        [
            {
                "email": "keep@x.io",
                "firstName": "Kept",
                "jobTitle": "CTO",
                "tags": ["old"],
                "customFields": {"plan": "free", "seats": "3"},
            }
        ]
    )
    before = sandbox.get_lead(existing)
    data = bulk(
        api,
        [
            {
                "email": "KEEP@x.io",
                "jobTitle": "CEO",
                "firstName": "",
                "plan": "pro",
                "tags": ["New"],
            },
            {"email": "fresh@x.io", "city": "Rome"},
            {"email": "fresh@x.io", "city": "Milan", "region": "eu"},
        ],
        skipDuplicates=False,
        tag="imported",
    )
    assert (data["imported"], data["updated"], data["skipped"], data["failed"]) == (1, 2, 0, 0)
    kept = sandbox.get_lead(existing)
    assert kept["jobTitle"] == "CEO" and kept["firstName"] == "Kept"
    assert kept["customFields"] == {"plan": "pro", "seats": "3"}
    assert kept["tags"] == ["old", "New", "imported"]
    assert kept["updatedAt"] > before["updatedAt"] and kept["createdAt"] == before["createdAt"]
    (fresh,) = sandbox.find_leads("fresh@x.io")
    assert fresh["_id"] == data["importedLeadIds"][0]
    assert fresh["city"] == "Milan" and fresh["customFields"] == {"region": "eu"}
    assert fresh["tags"] == ["imported"]


def test_bulk_tag_goes_on_imported_leads_once_and_not_on_skipped_ones(sandbox, api):
    (existing,) = sandbox.add_leads([{"email": "skip@x.io", "tags": ["x"]}])
    data = bulk(
        api,
        [{"email": "t1@x.io", "tags": ["Launch"]}, {"email": "skip@x.io"}],
        tag=" launch ",
    )
    assert data["imported"] == 1 and data["skipped"] == 1
    assert sandbox.find_leads("t1@x.io")[0]["tags"] == ["Launch"]
    assert sandbox.get_lead(existing)["tags"] == ["x"]


def test_bulk_data_cleanup(sandbox, api):
    row = {
        "email": "  Clean.Me@Example.COM ",
        "firstName": " J@ne!! ",
        "lastName": "O'Brien-Smith Jr.",
        "phone": "+1 (555) 010-9999",
        "linkedinUrl": "www.linkedin.com/in/jane/?utm_source=x",
        "companyName": "  ACME  ",
    }
    bulk(api, [row])
    (lead,) = sandbox.find_leads("clean.me@example.com")
    assert lead["email"] == "clean.me@example.com"
    assert lead["firstName"] == "Jne"
    assert lead["lastName"] == "O'Brien-Smith Jr."
    assert lead["phoneNumber"] == "+15550109999"
    assert lead["linkedinUrl"] == "https://www.linkedin.com/in/jane"
    assert lead["companyName"] == "ACME"


def test_bulk_without_cleanup_keeps_values_as_given(sandbox, api):
    row = {"email": "raw@x.io", "firstName": "J.-P. (Jr)", "phone": "+1 (555) 010-9999"}
    bulk(api, [row, {"email": "bad@x.io", "linkedinUrl": "linkedin.com/in/x"}], dataCleanup=False)
    (lead,) = sandbox.find_leads("raw@x.io")
    assert lead["firstName"] == "J.-P. (Jr)" and lead["phoneNumber"] == "+1 (555) 010-9999"
    assert sandbox.find_leads("bad@x.io") == []


def test_bulk_unknown_keys_become_custom_fields_and_phone_number_is_accepted(sandbox, api):
    bulk(
        api,
        [
            {
                "email": "cf@x.io",
                "phoneNumber": "+44 20 7946 0000",
                "industry": "Retail",
                "employees": 250,
                "active": True,
                "customFields": {"plan": "pro", "gone": None},
                "notes": None,
            },
            {"email": "both@x.io", "phone": "+1 555", "phoneNumber": "+2 666"},
        ],
        dataCleanup=False,
    )
    (lead,) = sandbox.find_leads("cf@x.io")
    assert lead["phoneNumber"] == "+44 20 7946 0000"
    assert lead["customFields"] == {
        "industry": "Retail",
        "employees": "250",
        "active": "true",
        "plan": "pro",
    }
    assert sandbox.find_leads("both@x.io")[0]["phoneNumber"] == "+1 555"


def test_bulk_over_5000_is_400_and_imports_nothing(sandbox, api):
    leads = [{"email": f"x{i}@big.io"} for i in range(5001)]
    assert invalid_fields(api.post("/v1/leads/bulk", json={"leads": leads})) == ["leads"]
    assert sandbox.count_leads() == 25


@pytest.mark.timed
def test_bulk_of_5000_is_fast(sandbox, api):
    leads = [
        {"email": f"user{i}@fast.io", "firstName": "Ann", "company": "Co", "tags": ["a"]}
        for i in range(5000)
    ]
    started = time.perf_counter()
    data = bulk(api, leads)
    elapsed = time.perf_counter() - started
    assert data["imported"] == 5000 and len(data["importedLeadIds"]) == 5000
    assert sandbox.count_leads() == 5025
    assert elapsed < 3, f"5,000 rows took {elapsed:.2f}s"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "leads"),
        ({"leads": {"email": "a@b.io"}}, "leads"),
        ({"leads": [], "skipDuplicates": "no"}, "skipDuplicates"),
        ({"leads": [], "dataCleanup": 1}, "dataCleanup"),
        ({"leads": [], "tag": "a,b"}, "tag"),
        ({"leads": [], "tag": 5}, "tag"),
        ({"leads": [], "extra": True}, "extra"),
    ],
)
def test_bulk_body_validation(api, body, field):
    assert invalid_fields(api.post("/v1/leads/bulk", json=body)) == [field]


def test_bulk_empty_list_is_a_no_op(api):
    assert bulk(api, []) == {
        "imported": 0,
        "updated": 0,
        "skipped": 0,
        "failed": 0,
        "importedLeadIds": [],
        "errors": [],
    }


# --- delete --------------------------------------------------------------------------------


def test_delete_by_ids_counts_only_existing_leads_of_the_workspace(sandbox, api):
    mine = sandbox.add_leads([{"email": "d1@x.io"}, {"email": "d2@x.io"}])
    (theirs,) = sandbox.add_leads([{"email": "d3@x.io"}], workspace_id=sandbox.workspaces[1]["id"])
    response = delete(api, {"leadIds": [*mine, theirs, "0" * 24, "junk", mine[0]]})
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": {"deletedCount": 2}}
    assert sandbox.get_lead(mine[0]) is None and sandbox.get_lead(theirs) is not None
    assert delete(api, {"leadIds": mine}).json()["data"]["deletedCount"] == 0


def test_deleting_leads_in_an_active_campaign_needs_force(sandbox, api):
    blocked = sandbox.campaign_lead_ids()
    assert len(blocked) == 2
    (free,) = sandbox.add_leads([{"email": "free@x.io"}])
    body = {"leadIds": [free, *blocked]}
    response = delete(api, body)
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": {
            "code": "LEADS_IN_ACTIVE_CAMPAIGNS",
            "message": "2 leads are in active campaigns. Send force: true to delete them anyway.",
            "details": {
                "campaigns": [
                    {"id": "6660c0ffee00000000000001", "name": "Q4 Outbound", "leadCount": 2}
                ]
            },
        },
    }
    assert sandbox.get_lead(free) is not None and sandbox.count_leads() == 26
    one = delete(api, {"leadIds": blocked[:1], "force": False}).json()["error"]
    assert one["message"].startswith("1 lead is in an active campaign.")
    forced = delete(api, {**body, "force": True})
    assert forced.json() == {"success": True, "data": {"deletedCount": 3}}
    assert sandbox.campaign_lead_ids() == [] and sandbox.count_leads() == 23


def test_delete_all_with_filters_and_exclusions(sandbox, api):
    keep, drop, also = sandbox.add_leads(
        [
            {"email": "keep@f.io", "tags": ["purge"]},
            {"email": "drop@f.io", "tags": ["Purge"]},
            {"email": "also@f.io", "tags": ["purge"], "emailVerified": True},
        ]
    )
    body = {
        "deleteAll": True,
        "filters": {"tags": "purge", "emailVerified": "false"},
        "excludeIds": [keep],
    }
    assert delete(api, body).json()["data"]["deletedCount"] == 1
    assert sandbox.get_lead(drop) is None
    assert sandbox.get_lead(keep) and sandbox.get_lead(also)
    by_search = {"deleteAll": True, "filters": {"search": "F.IO"}}
    assert delete(api, by_search).json()["data"]["deletedCount"] == 2


def test_delete_all_is_guarded_then_forced(sandbox, api):
    keep = sandbox.campaign_lead_ids()[0]
    assert delete(api, {"deleteAll": True}).status_code == 400
    assert sandbox.count_leads() == 25
    response = delete(api, {"deleteAll": True, "excludeIds": [keep], "force": True})
    assert response.json()["data"]["deletedCount"] == 24
    assert sandbox.count_leads() == 1 and sandbox.get_lead(keep)
    assert sandbox.count_leads(sandbox.workspaces[1]["id"]) == 3


def test_platform_key_deletes_in_the_named_workspace_only(sandbox):
    acme = sandbox.workspaces[1]["id"]
    headers = {"X-Api-Key": TEST_PLATFORM_KEY, "X-Workspace-Id": acme}
    response = httpx.request(
        "DELETE", f"{sandbox.url}/v1/leads", json={"deleteAll": True}, headers=headers
    )
    assert response.json()["data"]["deletedCount"] == 3
    assert sandbox.count_leads(acme) == 0 and sandbox.count_leads() == 25


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "leadIds"),
        ({"leadIds": "abc"}, "leadIds"),
        ({"leadIds": [1, 2]}, "leadIds"),
        ({"leadIds": [], "force": "yes"}, "force"),
        ({"deleteAll": True, "filters": "vip"}, "filters"),
        ({"deleteAll": True, "filters": {"emailVerified": "maybe"}}, "filters.emailVerified"),
        ({"deleteAll": True, "excludeIds": "x"}, "excludeIds"),
        ({"leadIds": [], "everything": True}, "everything"),
        ({"deleteAll": "yes"}, "deleteAll"),
    ],
)
def test_delete_body_validation(sandbox, api, body, field):
    assert invalid_fields(delete(api, body)) == [field]
    assert sandbox.count_leads() == 25


def test_delete_needs_a_json_object(api):
    response = api.request("DELETE", "/v1/leads")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_JSON"
