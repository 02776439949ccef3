"""Sandbox list: filters, limits, keyset paging newest first, seed data and speed."""

from __future__ import annotations

import statistics
import time

import httpx
import pytest

from sendkit_tui.sandbox import SandboxServer
from sendkit_tui.sandbox.seed import COMPANIES
from tests.conftest import TEST_WORKSPACE_KEY

SEED_TAGS = {"vip", "enterprise", "smb", "partner", "webinar", "warm", "cold", "decision-maker"}


@pytest.fixture
def api(sandbox):
    with httpx.Client(
        base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}, timeout=10
    ) as client:
        yield client


def all_leads(api, **params):
    """Every matching lead, following nextCursor until hasMore is false."""
    leads, cursor = [], None
    while True:
        query = {"limit": 100, **params, **({"cursor": cursor} if cursor else {})}
        body = api.get("/v1/leads", params=query).json()
        leads.extend(body["data"])
        if not body["pagination"]["hasMore"]:
            return leads
        cursor = body["pagination"]["nextCursor"]


def invalid_field(response):
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    return [d["field"] for d in error["details"]]


def test_default_page_and_pagination_object(api):
    body = api.get("/v1/leads").json()
    assert body["success"] is True
    assert len(body["data"]) == 25
    assert body["pagination"] == {
        "limit": 25,
        "total": 25,
        "hasMore": False,
        "nextCursor": body["data"][-1]["_id"],
    }


def test_newest_first_and_the_seed_ends_at_a_fixed_time(api):
    leads = api.get("/v1/leads", params={"limit": 100}).json()["data"]
    ids = [lead["_id"] for lead in leads]
    assert ids == sorted(ids, reverse=True)
    created = [lead["createdAt"] for lead in leads]
    assert created == sorted(created, reverse=True)
    assert created[0] == "2026-11-20T12:00:00.000Z"


SEARCHABLE = ("email", "firstName", "lastName", "companyName", "jobTitle")


@pytest.mark.parametrize("field", SEARCHABLE)
def test_search_is_a_case_insensitive_substring_of_each_field(sandbox, api, field):
    sandbox.add_leads(
        [
            {
                "email": "needle.person@haystack.io",
                "firstName": "Zebulon",
                "lastName": "Quixotic",
                "companyName": "Xylophone Works",
                "jobTitle": "Chief Yodeler",
            }
        ]
    )
    value = {
        "email": "LE.PERSON@HAY",
        "firstName": "zebul",
        "lastName": "UIXOT",
        "companyName": "phone wor",
        "jobTitle": "yodel",
    }[field]
    body = api.get("/v1/leads", params={"search": value}).json()
    assert [lead["email"] for lead in body["data"]] == ["needle.person@haystack.io"]
    assert body["pagination"]["total"] == 1


def test_search_folds_non_ascii_case_and_ignores_other_fields(sandbox, api):
    sandbox.add_leads([{"email": "z@umlaut.io", "firstName": "Zoë", "city": "Uniquecity"}])
    assert api.get("/v1/leads", params={"search": "ZOË"}).json()["pagination"]["total"] >= 1
    body = api.get("/v1/leads", params={"search": "uniquecity"}).json()
    assert body == {
        "success": True,
        "data": [],
        "pagination": {"limit": 25, "total": 0, "hasMore": False, "nextCursor": None},
    }


def test_search_matches_what_a_brute_force_scan_finds(api):
    everything = all_leads(api)
    for term in ("an", "Example", "CEO", "zzz"):
        expected = [
            lead["_id"]
            for lead in everything
            if any(term.casefold() in (lead[f] or "").casefold() for f in SEARCHABLE)
        ]
        found = all_leads(api, search=term)
        assert [lead["_id"] for lead in found] == expected, term


def test_tags_filter_matches_any_case_insensitively(sandbox, api):
    a, b, c = sandbox.add_leads(
        [
            {"email": "a@t.io", "tags": ["Alpha"]},
            {"email": "b@t.io", "tags": ["beta", "other"]},
            {"email": "c@t.io", "tags": ["gamma"]},
        ]
    )
    body = api.get("/v1/leads", params={"tags": " alpha, BETA ,,"}).json()
    assert [lead["_id"] for lead in body["data"]] == [b, a]
    assert body["pagination"]["total"] == 2
    assert api.get("/v1/leads", params={"tags": "gamma"}).json()["data"][0]["_id"] == c


def test_tags_and_verified_filters_match_a_brute_force_scan(api):
    everything = all_leads(api)
    for tags in ("vip", "vip,cold", "partner,webinar,smb"):
        wanted = set(tags.split(","))
        expected = [lead["_id"] for lead in everything if wanted & set(lead["tags"])]
        body = api.get("/v1/leads", params={"tags": tags, "limit": 100}).json()
        assert [lead["_id"] for lead in body["data"]] == expected
        assert body["pagination"]["total"] == len(expected)
    for flag in (True, False):
        expected = [lead["_id"] for lead in everything if lead["emailVerified"] is flag]
        found = all_leads(api, emailVerified=str(flag).lower())
        assert [lead["_id"] for lead in found] == expected
        assert 0 < len(expected) < 25
    combined = all_leads(api, emailVerified="true", tags="vip,cold,warm", search="e")
    assert [lead["_id"] for lead in combined] == [
        lead["_id"]
        for lead in everything
        if lead["emailVerified"]
        and {"vip", "cold", "warm"} & set(lead["tags"])
        and any("e" in (lead[f] or "").casefold() for f in SEARCHABLE)
    ]


@pytest.mark.parametrize("value", ["yes", "1", "maybe"])
def test_email_verified_must_be_true_or_false(api, value):
    assert invalid_field(api.get("/v1/leads", params={"emailVerified": value})) == ["emailVerified"]


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", "", "9" * 40])
def test_limit_out_of_range_or_not_an_integer_is_400(api, limit):
    assert invalid_field(api.get("/v1/leads", params={"limit": limit})) == ["limit"]


def test_limit_bounds_are_accepted(api):
    for limit, size in ((1, 1), (100, 25), (7, 7)):
        body = api.get("/v1/leads", params={"limit": limit}).json()
        assert len(body["data"]) == size and body["pagination"]["limit"] == limit
        assert body["pagination"]["hasMore"] is (size < 25)


@pytest.mark.parametrize("cursor", ["abc", "z" * 24, "a" * 23, "a" * 25])
def test_malformed_cursor_is_400(api, cursor):
    assert invalid_field(api.get("/v1/leads", params={"cursor": cursor})) == ["cursor"]


def test_cursor_is_exclusive_and_page_is_ignored(api):
    first = api.get("/v1/leads", params={"limit": 10, "page": 3}).json()
    everything = api.get("/v1/leads", params={"limit": 100}).json()["data"]
    assert first["data"] == everything[:10]
    cursor = first["pagination"]["nextCursor"]
    second = api.get("/v1/leads", params={"limit": 10, "cursor": cursor}).json()
    assert second["data"] == everything[10:20]
    assert second["pagination"]["total"] == 25
    # A cursor that is no lead's id still pages by order.
    between = api.get("/v1/leads", params={"cursor": "f" * 24, "limit": 1}).json()
    assert between["data"] == everything[:1]
    bottom = api.get("/v1/leads", params={"cursor": "0" * 24}).json()
    assert bottom["data"] == [] and bottom["pagination"]["nextCursor"] is None


def test_paging_through_1000_leads_visits_each_once_newest_first(sandbox, api):
    sandbox.add_leads([{"email": f"bulk{i:04d}@page.io"} for i in range(975)])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        body = api.get("/v1/leads", params=params).json()
        pages += 1
        assert body["pagination"]["total"] == 1000
        seen.extend(lead["_id"] for lead in body["data"])
        if not body["pagination"]["hasMore"]:
            break
        assert len(body["data"]) == 100
        cursor = body["pagination"]["nextCursor"]
        assert cursor == body["data"][-1]["_id"]
    assert pages == 10 and len(seen) == 1000 and len(set(seen)) == 1000
    assert seen == sorted(seen, reverse=True)
    assert body["pagination"]["nextCursor"] == seen[-1]


def test_seed_is_deterministic_across_servers_and_resets(sandbox):
    with SandboxServer(seed=40) as one, SandboxServer(seed=40) as two:
        pages = []
        for server in (one, two):
            headers = {"X-Api-Key": server.api_key}
            pages.append(
                httpx.get(f"{server.url}/v1/leads", params={"limit": 100}, headers=headers).json()
            )
        assert pages[0] == pages[1]
        assert len(pages[0]["data"]) == 40
    first = [sandbox.get_lead(i) for i in [lead["_id"] for lead in _page(sandbox)]]
    sandbox.reset(seed=25)
    assert [sandbox.get_lead(lead["_id"]) for lead in _page(sandbox)] == first


def _page(sandbox):
    response = httpx.get(
        f"{sandbox.url}/v1/leads", params={"limit": 100}, headers={"X-Api-Key": sandbox.api_key}
    )
    return response.json()["data"]


def test_seed_data_is_varied_and_realistic(sandbox):
    sandbox.reset(seed=300)
    leads = [sandbox.get_lead(lead["_id"]) for lead in all_leads_of(sandbox)]
    assert len(leads) == 300
    assert len({lead["email"] for lead in leads}) == 300
    assert all(lead["email"] == lead["email"].lower() for lead in leads)
    names = {lead["firstName"] for lead in leads}
    assert {"José", "Zoë", "Łukasz"} & names and any(not n.isascii() for n in names)
    assert all(set(lead["tags"]) <= SEED_TAGS and len(lead["tags"]) <= 3 for lead in leads)
    assert {len(lead["tags"]) for lead in leads} == {0, 1, 2, 3}
    assert all(len(lead["customFields"]) <= 5 for lead in leads)
    assert any(lead["city"] is None for lead in leads) and any(lead["city"] for lead in leads)
    assert any(lead["phoneNumber"] for lead in leads) and any(lead["linkedinUrl"] for lead in leads)
    companies = {(name, domain) for name, domain, _ in COMPANIES}
    assert all((lead["companyName"], lead["email"].split("@")[1]) in companies for lead in leads)
    in_campaign = sandbox.campaign_lead_ids()
    assert 20 <= len(in_campaign) <= 30
    assert sandbox.count_leads(sandbox.workspaces[1]["id"]) == 3


def all_leads_of(sandbox):
    with httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": sandbox.api_key}) as api:
        return all_leads(api)


@pytest.mark.slow
@pytest.mark.timed
def test_100k_leads_seed_in_seconds_and_pages_in_milliseconds():
    started = time.perf_counter()
    with SandboxServer(seed=100_000) as server:
        seeded = time.perf_counter() - started
        assert server.count_leads() == 100_000
        assert seeded < 10, f"seeding 100,000 leads took {seeded:.1f}s"
        with httpx.Client(base_url=server.url, headers={"X-Api-Key": server.api_key}) as api:
            body = api.get("/v1/leads", params={"limit": 100}).json()
            assert body["pagination"]["total"] == 100_000
            timings = []
            for params in (
                {"limit": 100},
                {"limit": 100, "emailVerified": "true"},
                {"limit": 100, "tags": "vip,cold"},
                {"limit": 100, "cursor": body["data"][-1]["_id"]},
            ):
                api.get("/v1/leads", params=params)  # the total is cached from here on
                for _ in range(5):
                    begin = time.perf_counter()
                    assert api.get("/v1/leads", params=params).status_code == 200
                    timings.append(time.perf_counter() - begin)
            assert statistics.median(timings) < 0.05, timings
