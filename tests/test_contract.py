"""Contract tests: the real SendKitClient against the real sandbox server over loopback HTTP.

Fixtures ``sandbox`` (reset to 25 seeded leads per test) and ``sandbox_server`` come from
tests/conftest.py. Faults are injected with ``sandbox.inject``; the client gets a fake
``sleep`` so retries never wait for real.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from sendkit_tui.api import (
    AuthError,
    BadResponse,
    Conflict,
    Lead,
    NotFound,
    OutcomeUnknown,
    RetryInfo,
    SendKitClient,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
)
from sendkit_tui.api.errors import Failure
from sendkit_tui.domain.rules import check_email
from sendkit_tui.domain.wording import explain

SEEDED = 25


class Recorder:
    """A fake ``sleep`` and ``on_retry`` pair that remember what they were asked."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.retries: list[RetryInfo] = []

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)

    def on_retry(self, info: RetryInfo) -> None:
        self.retries.append(info)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def make_client(sandbox, recorder: Recorder, key: str | None = None, **kw: Any) -> SendKitClient:
    kw.setdefault("sleep", recorder.sleep)
    kw.setdefault("on_retry", recorder.on_retry)
    return SendKitClient(key or sandbox.api_key, base_url=sandbox.url, **kw)


@pytest.fixture
async def client(sandbox, recorder):
    async with make_client(sandbox, recorder) as c:
        yield c


def header(recorded, name: str) -> str | None:
    headers = recorded.headers
    items = headers.items() if hasattr(headers, "items") else headers
    for key, value in items:
        if key.lower() == name.lower():
            return value
    return None


def body_of(recorded) -> Any:
    body = recorded.body
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8")
    if isinstance(body, str):
        return json.loads(body) if body.strip() else None
    return body


def query_of(recorded) -> dict[str, str]:
    query = recorded.query
    if isinstance(query, bytes):
        query = query.decode()
    if isinstance(query, str):
        return {k: v[-1] for k, v in parse_qs(query).items()}
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(query).items()}


def recorded(sandbox, method: str, path: str | None = None) -> list:
    return [
        r
        for r in sandbox.requests
        if r.method == method and (path is None or r.path.rstrip("/") == path)
    ]


async def settled(sandbox, method: str, path: str | None = None) -> list:
    """Like ``recorded``, once the sandbox has logged each answer's status (it does so just
    after the response leaves, so a fast client can look before it is written)."""
    for _ in range(100):
        found = recorded(sandbox, method, path)
        if all(r.status is not None or (r.fault or "").startswith("drop") for r in found):
            return found
        await asyncio.sleep(0.01)
    return recorded(sandbox, method, path)


# -- auth headers --------------------------------------------------------------------------


async def test_workspace_key_sends_both_auth_headers_and_no_workspace_id(sandbox, client):
    sandbox.clear_requests()
    page = await client.list_leads()
    assert len(page.items) == SEEDED or page.has_more
    (request,) = await settled(sandbox, "GET", "/v1/leads")
    # The sandbox log redacts both auth headers; it answers 401 unless both carry the key.
    assert header(request, "X-Api-Key") is not None
    assert header(request, "Authorization") is not None
    assert header(request, "X-Workspace-Id") is None
    assert request.status == 200


async def test_platform_key_sends_workspace_id_only_on_workspace_routes(sandbox, recorder):
    sandbox.clear_requests()
    async with make_client(sandbox, recorder, key=sandbox.platform_key) as client:
        assert client.key_kind == "platform"
        with pytest.raises(ValueError, match="Choose a workspace first"):
            await client.list_leads()
        assert sandbox.requests == []

        workspaces = await client.list_workspaces()
        assert {w.id for w in workspaces} >= {w["id"] for w in sandbox.workspaces}
        account = await client.get_account()
        assert account.id
        client.workspace_id = sandbox.workspaces[0]["id"]
        page = await client.list_leads(limit=100)
        assert len(page.items) == SEEDED

    for request in recorded(sandbox, "GET", "/v1/workspaces") + recorded(
        sandbox, "GET", "/v1/account"
    ):
        assert header(request, "X-Workspace-Id") is None
    (leads,) = await settled(sandbox, "GET", "/v1/leads")
    assert header(leads, "X-Workspace-Id") == sandbox.workspaces[0]["id"]
    assert header(leads, "X-Api-Key") is not None and header(leads, "Authorization") is not None
    assert leads.status == 200


async def test_a_wrong_key_is_an_auth_error_that_does_not_echo_the_key(sandbox, recorder):
    bad = "sk_" + "f" * 48
    async with make_client(sandbox, recorder, key=bad) as client:
        with pytest.raises(AuthError) as info:
            await client.list_leads()
    assert info.value.status == 401 and info.value.forbidden is False
    assert bad not in repr((str(info.value), info.value.args, info.value.details))
    assert recorder.sleeps == []


# -- create, conflict, validation ------------------------------------------------------------


async def test_create_then_duplicate_in_another_case_is_a_conflict(sandbox, client):
    created = await client.create_lead(
        {"email": " New.Person@Example.com ", "firstName": "New", "phone": "+1 555 0100"}
    )
    assert created.email == "new.person@example.com"
    assert created.phone_number == "+1 555 0100"
    assert sandbox.get_lead(created.id)["email"] == "new.person@example.com"

    with pytest.raises(Conflict) as info:
        await client.create_lead({"email": "NEW.PERSON@example.COM"})
    assert info.value.status == 409
    assert info.value.code == "DUPLICATE_EMAIL"
    assert "email" in info.value.field_errors
    assert info.value.existing_lead_id == created.id
    assert len(recorded(sandbox, "POST", "/v1/leads")) == 2  # a 409 is never retried


async def test_validation_errors_come_back_per_field(sandbox, client):
    with pytest.raises(ValidationFailed) as info:
        await client.create_lead({"email": "not-an-email", "phone": "call me maybe"})
    assert info.value.status == 400
    assert info.value.code == "VALIDATION_ERROR"
    assert info.value.field_errors["email"] == check_email("not-an-email")
    assert "phone" in info.value.field_errors


# -- PATCH -----------------------------------------------------------------------------------


async def test_patch_sends_exactly_the_given_body(sandbox, client):
    lead = await client.create_lead(
        {"email": "patch.me@example.com", "city": "Austin", "customFields": {"a": "1"}}
    )
    sandbox.clear_requests()
    patch = {"jobTitle": "VP Sales", "city": None, "tags": ["b", "a"], "customFields": {"n": "2"}}
    updated = await client.update_lead(lead.id, patch)
    (request,) = recorded(sandbox, "PATCH", f"/v1/leads/{lead.id}")
    assert body_of(request) == patch
    assert updated.job_title == "VP Sales" and updated.city is None
    assert updated.tags == ["b", "a"]
    assert updated.custom_fields == {"a": "1", "n": "2"}


async def test_custom_field_null_deletes_it_on_the_server(sandbox, client):
    lead = await client.create_lead(
        {"email": "cf@example.com", "customFields": {"keep": "1", "drop": "2"}}
    )
    updated = await client.update_lead(lead.id, {"customFields": {"drop": None}})
    assert updated.custom_fields == {"keep": "1"}
    assert sandbox.get_lead(lead.id)["customFields"] == {"keep": "1"}


async def test_email_in_a_patch_is_refused(sandbox, client):
    lead = await client.create_lead({"email": "fixed@example.com"})
    with pytest.raises(ValidationFailed) as info:
        await client.update_lead(lead.id, {"email": "other@example.com"})
    assert info.value.code == "EMAIL_IMMUTABLE"
    assert "email" in info.value.field_errors
    assert sandbox.get_lead(lead.id)["email"] == "fixed@example.com"


async def test_patch_of_an_unknown_lead_is_not_found(client):
    with pytest.raises(NotFound) as info:
        await client.update_lead("0" * 24, {"city": "Austin"})
    assert info.value.route_missing is False


# -- single lead and docs-only mode ---------------------------------------------------------


async def test_get_lead_and_not_found_vs_route_missing(sandbox, client):
    lead = await client.create_lead({"email": "single@example.com", "customFields": {"k": "v"}})
    fetched = await client.get_lead(lead.id)
    assert fetched.custom_fields == {"k": "v"}
    assert "customFields" in fetched.known_fields()
    with pytest.raises(NotFound) as missing:
        await client.get_lead("0" * 24)
    assert missing.value.route_missing is False

    sandbox.set_docs_only(True)
    try:
        with pytest.raises(NotFound) as route:
            await client.get_lead(lead.id)
        assert route.value.route_missing is True
        (row,) = [x async for x in client.iter_leads(search="single@example.com")]
        assert row.id == lead.id
        assert "customFields" not in row.known_fields()
        assert "customFields" not in row.to_request_dict()
    finally:
        sandbox.set_docs_only(False)


# -- paging ----------------------------------------------------------------------------------


async def test_iter_leads_visits_every_lead_exactly_once(sandbox, client):
    added = sandbox.add_leads([{"email": f"bulk{i:04d}@example.com"} for i in range(1000)])
    assert len(added) == 1000
    sandbox.clear_requests()
    pages = [p async for p in client.iter_pages(limit=100)]
    ids = [lead.id for page in pages for lead in page.items]
    counts = Counter(ids)
    assert len(ids) == SEEDED + 1000
    assert max(counts.values()) == 1
    assert set(added) <= set(counts)
    assert not pages[-1].has_more
    requests = recorded(sandbox, "GET", "/v1/leads")
    assert len(requests) == len(pages) == 11
    assert all(query_of(r)["limit"] == "100" for r in requests)
    assert [lead.id async for lead in client.iter_leads(limit=100)] == ids


async def test_find_lead_by_email(sandbox, client):
    lead = await client.create_lead({"email": "find.me@example.com"})
    found = await client.find_lead_by_email("FIND.ME@example.com")
    assert found is not None and found.id == lead.id
    assert await client.find_lead_by_email("nobody.here@example.com") is None


# -- retries against injected faults ----------------------------------------------------------


async def test_get_is_retried_through_503s(sandbox, client, recorder):
    sandbox.inject("status", count=2, method="GET", path="/v1/leads", status=503)
    sandbox.clear_requests()
    page = await client.list_leads()
    assert page.items
    assert [r.status for r in await settled(sandbox, "GET", "/v1/leads")] == [503, 503, 200]
    assert [(i.attempt, i.reason) for i in recorder.retries] == [
        (1, "server busy (503)"),
        (2, "server busy (503)"),
    ]
    assert len(recorder.sleeps) == 2


async def test_429_retry_after_is_honoured(sandbox, client, recorder):
    sandbox.inject("status", count=1, method="GET", path="/v1/leads", status=429, retry_after=2)
    await client.list_leads()
    assert recorder.sleeps == [2.0]
    assert recorder.retries[0].reason == "rate limited"


async def test_retries_are_bounded(sandbox, client):
    sandbox.inject("status", count=10, method="GET", path="/v1/leads", status=502)
    sandbox.clear_requests()
    with pytest.raises(ServerError):
        await client.list_leads()
    assert len(recorded(sandbox, "GET", "/v1/leads")) == 4


async def test_create_is_not_retried_on_a_plain_503(sandbox, client):
    sandbox.inject("status", count=1, method="POST", path="/v1/leads", status=503)
    sandbox.clear_requests()
    with pytest.raises(ServerError) as info:
        await client.create_lead({"email": "busy@example.com"})
    assert info.value.ambiguous is False
    assert len(recorded(sandbox, "POST", "/v1/leads")) == 1


async def test_create_is_retried_on_503_with_retry_after(sandbox, client, recorder):
    sandbox.inject("status", count=1, method="POST", path="/v1/leads", status=503, retry_after=1)
    sandbox.clear_requests()
    lead = await client.create_lead({"email": "later@example.com"})
    assert len(recorded(sandbox, "POST", "/v1/leads")) == 2
    assert recorder.sleeps == [1.0]
    assert sandbox.get_lead(lead.id) is not None


async def test_create_with_a_late_answer_is_outcome_unknown_but_done(sandbox, recorder):
    timeout = httpx.Timeout(5.0, read=0.3)
    async with make_client(sandbox, recorder, timeout=timeout) as client:
        sandbox.inject("slow_after", count=1, method="POST", path="/v1/leads", delay=1.5)
        sandbox.clear_requests()
        with pytest.raises(OutcomeUnknown) as info:
            await client.create_lead({"email": "maybe@example.com"})
        assert info.value.sent is True and info.value.ambiguous is True
        assert (info.value.failure, info.value.timeout) == (Failure.READ_TIMEOUT, 0.3)
        assert len(recorded(sandbox, "POST", "/v1/leads")) == 1
        assert recorder.sleeps == []
        found = None
        for _ in range(40):  # the server finished the work before its slow answer
            found = await client.find_lead_by_email("maybe@example.com")
            if found:
                break
            await asyncio.sleep(0.05)
        assert found is not None


async def test_slow_get_is_retried_after_a_read_timeout(sandbox, recorder):
    timeout = httpx.Timeout(5.0, read=0.3)
    async with make_client(sandbox, recorder, timeout=timeout) as client:
        sandbox.inject("slow", count=1, method="GET", path="/v1/leads", delay=1.0)
        page = await client.list_leads()
    assert page.items
    assert [i.reason for i in recorder.retries] == ["no answer in time"]


# -- bodies that are not SendKit JSON, dropped connections -------------------------------------


@pytest.mark.parametrize(
    ("kind", "status"), [("html", 502), ("html", 200), ("truncated", 200), ("empty", 200)]
)
async def test_unreadable_bodies_are_bad_responses(sandbox, client, kind, status):
    sandbox.inject(kind, count=10, method="GET", path="/v1/leads", status=status)
    with pytest.raises(BadResponse) as info:
        await client.list_leads()
    said = explain(info.value)
    assert said.startswith("The server sent a response that is not SendKit JSON")
    assert len(said) < 300
    assert "<" not in said.split(": ", 1)[1] or kind != "html"


async def test_html_answer_to_a_create_is_ambiguous(sandbox, client):
    sandbox.inject("html", count=1, method="POST", path="/v1/leads", status=502)
    sandbox.clear_requests()
    with pytest.raises(SendKitError) as info:
        await client.create_lead({"email": "html@example.com"})
    assert isinstance(info.value, BadResponse | ServerError)
    assert info.value.ambiguous is True
    assert len(recorded(sandbox, "POST", "/v1/leads")) == 1


async def test_dropped_connections(sandbox, client):
    sandbox.inject("drop_before", count=1, method="GET", path="/v1/leads")
    assert (await client.list_leads()).items  # a GET is retried

    sandbox.inject("drop_before", count=4, method="GET", path="/v1/leads")  # 1 + max_retries
    with pytest.raises(TransportError) as info:
        await client.list_leads()
    assert info.value.sent is True

    sandbox.inject("drop_before", count=1, method="POST", path="/v1/leads")
    with pytest.raises(OutcomeUnknown):
        await client.create_lead({"email": "dropped.before@example.com"})
    assert await client.find_lead_by_email("dropped.before@example.com") is None

    sandbox.inject("drop_after", count=1, method="POST", path="/v1/leads")
    with pytest.raises(OutcomeUnknown):
        await client.create_lead({"email": "dropped.after@example.com"})
    assert await client.find_lead_by_email("dropped.after@example.com") is not None


async def test_dropped_patch_is_not_resent(sandbox, client):
    lead = await client.create_lead({"email": "drop.patch@example.com"})
    sandbox.inject("drop_after", count=1, method="PATCH")
    sandbox.clear_requests()
    with pytest.raises(TransportError) as info:
        await client.update_lead(lead.id, {"city": "Austin"})
    assert type(info.value) is TransportError and info.value.sent is True
    assert len(recorded(sandbox, "PATCH")) == 1


async def test_the_key_stays_out_of_errors_and_logs(sandbox, client, caplog):
    caplog.set_level(logging.DEBUG)
    key = sandbox.api_key
    failures: list[BaseException] = []
    for kind, kw in [
        ("status", {"status": 500}),
        ("html", {"status": 502}),
        ("truncated", {"status": 200}),
        ("drop_after", {}),
    ]:
        sandbox.inject(kind, count=1, method="POST", path="/v1/leads", **kw)
        try:
            await client.create_lead({"email": f"{kind}.leak@example.com"})
        except SendKitError as exc:
            failures.append(exc)
    assert [type(e) for e in failures] == [ServerError, BadResponse, BadResponse, OutcomeUnknown]
    with pytest.raises(NotFound) as missing:
        await client.get_lead("0" * 24)
    failures.append(missing.value)
    assert len(failures) == 5
    for exc in failures:
        assert key not in repr((str(exc), repr(exc), exc.args, exc.details, exc.field_errors))
    assert all(key not in record.getMessage() for record in caplog.records)
    assert key not in repr(client)


def test_lead_model_matches_the_sandbox_shape(sandbox):
    ids = sandbox.add_leads([{"email": "shape@example.com", "customFields": {"x": "1"}}])
    raw = sandbox.get_lead(ids[0])
    lead = Lead.model_validate(raw)
    assert lead.id == ids[0] and lead.email == "shape@example.com"
