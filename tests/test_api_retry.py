"""The retry policy (docs/ARCHITECTURE.md): what is retried, delays, Retry-After, deadline."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from sendkit_tui.api import (
    AuthError,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    RetryInfo,
    SendKitClient,
    ServerError,
    TransportError,
    ValidationFailed,
    parse_retry_after,
)
from sendkit_tui.api.retry import (
    OpKind,
    backoff_delay,
    exception_retry_reason,
    status_retry_reason,
)

KEY = "sk_test_SECRETKEY_0123456789abcdef"
LEAD = {"_id": "665d4e5f6a7b8c9d0e1f2a3b", "email": "jane@acme.com"}
OK = {"success": True, "data": LEAD}
PAGE = {"success": True, "data": [LEAD], "pagination": {"hasMore": False}}
NOW = 1_750_000_000.0


class Script:
    """A MockTransport handler that plays a list of outcomes, then repeats the last one."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.outcomes)) - 1
        outcome = self.outcomes[index]
        if isinstance(outcome, type) and issubclass(outcome, Exception):
            raise outcome("simulated failure", request=request)
        status, body, headers = outcome if len(outcome) == 3 else (*outcome, {})
        return httpx.Response(status, json=body, headers=headers)


def status(code, headers=None, body=None):
    return (
        code,
        body or {"error": "Error", "message": f"HTTP {code}", "code": code},
        headers or {},
    )


class Harness:
    def __init__(self, script: Script, **kw):
        self.script = script
        self.sleeps: list[float] = []
        self.infos: list[RetryInfo] = []
        self.now = 0.0  # a fake clock that only moves when the client "sleeps"
        kw.setdefault("on_retry", self.infos.append)
        self.client = SendKitClient(
            KEY,
            transport=httpx.MockTransport(script),
            sleep=self.sleep,
            rng=random.Random(7),
            clock=lambda: self.now,
            **kw,
        )

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay

    @property
    def attempts(self) -> int:
        return len(self.script.requests)


OPS = {
    "get": lambda c: c.get_lead("x"),
    "list": lambda c: c.list_leads(),
    "account": lambda c: c.get_account(),
    "patch": lambda c: c.update_lead("x", {"city": "Austin"}),
    "delete": lambda c: c.delete_leads(["x"]),
    "create": lambda c: c.create_lead({"email": "jane@acme.com"}),
    "bulk": lambda c: c.bulk_create([{"email": "jane@acme.com"}]),
}
SUCCESS = {
    "get": (200, OK),
    "list": (200, PAGE),
    "account": (200, {"success": True, "data": {"id": "u1"}}),
    "patch": (200, OK),
    "delete": (200, {"success": True, "data": {"deletedCount": 1}}),
    "create": (201, OK),
    "bulk": (200, {"success": True, "data": {"imported": 1}}),
}
READS, WRITES, CREATES = ("get", "list", "account"), ("patch", "delete"), ("create", "bulk")


# -- Retry-After parsing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": " 2.5 "}, 2.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "-1"}, None),
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "Fri, 32 Foo 2025 99:00:00 GMT"}, None),
        ({"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 20, UTC), True)}, 20.0),
        ({"Retry-After": format_datetime(datetime.fromtimestamp(NOW - 20, UTC), True)}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"retry-after-ms": "junk", "Retry-After": "9"}, 9.0),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


def test_backoff_grows_with_jitter_and_is_capped():
    rng = random.Random(3)
    for retries_done, base in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        for _ in range(50):
            assert 0.75 * base <= backoff_delay(retries_done, rng) <= base


@pytest.mark.parametrize(
    ("kind", "code", "retry_after", "retried"),
    [
        (OpKind.READ, 429, None, True),
        (OpKind.READ, 500, None, False),
        (OpKind.READ, 502, None, True),
        (OpKind.READ, 503, None, True),
        (OpKind.READ, 504, None, True),
        (OpKind.READ, 401, None, False),
        (OpKind.READ, 404, None, False),
        (OpKind.WRITE, 429, None, True),
        (OpKind.WRITE, 502, None, True),
        (OpKind.WRITE, 500, None, False),
        (OpKind.WRITE, 409, None, False),
        (OpKind.CREATE, 429, None, True),
        (OpKind.CREATE, 503, 2.0, True),
        (OpKind.CREATE, 503, None, False),
        (OpKind.CREATE, 500, 2.0, False),
        (OpKind.CREATE, 502, None, False),
        (OpKind.CREATE, 504, None, False),
        (OpKind.CREATE, 400, None, False),
    ],
)
def test_status_policy_table(kind, code, retry_after, retried):
    assert (status_retry_reason(kind, code, retry_after) is not None) is retried


@pytest.mark.parametrize(
    ("exc", "read", "write", "create"),
    [
        (httpx.ConnectError, True, True, True),
        (httpx.ConnectTimeout, True, True, True),
        (httpx.PoolTimeout, True, True, True),
        (httpx.ReadTimeout, True, False, False),
        (httpx.ReadError, True, False, False),
        (httpx.RemoteProtocolError, True, False, False),
        (httpx.WriteTimeout, False, False, False),
    ],
)
def test_exception_policy_table(exc, read, write, create):
    instance = exc("x")
    assert (exception_retry_reason(OpKind.READ, instance) is not None) is read
    assert (exception_retry_reason(OpKind.WRITE, instance) is not None) is write
    assert (exception_retry_reason(OpKind.CREATE, instance) is not None) is create


# -- the loop, through the client ---------------------------------------------------------


async def test_get_fails_twice_then_succeeds():
    h = Harness(Script(status(503), status(502), (200, OK)))
    lead = await h.client.get_lead("x")
    assert lead.email == "jane@acme.com"
    assert h.attempts == 3
    assert len(h.sleeps) == 2
    assert 0.375 <= h.sleeps[0] <= 0.5 and 0.75 <= h.sleeps[1] <= 1.0
    assert [(i.attempt, i.max_retries, i.reason) for i in h.infos] == [
        (1, 3, "server busy (503)"),
        (2, 3, "bad gateway (502)"),
    ]
    assert [i.delay for i in h.infos] == h.sleeps
    assert [i.status for i in h.infos] == [503, 502]


@pytest.mark.parametrize(
    ("header", "slept"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "60"}, 60.0),
        ({"retry-after-ms": "250"}, 0.25),
    ],
)
async def test_retry_after_replaces_the_backoff(header, slept):
    h = Harness(Script(status(429, header), (200, OK)))
    await h.client.get_lead("x")
    assert h.sleeps == [slept]
    assert h.infos[0].reason == "rate limited"


@pytest.mark.parametrize("value", ["0", "-3", "garbage", "nan"])
async def test_unusable_retry_after_falls_back_to_backoff(value):
    h = Harness(Script(status(429, {"Retry-After": value}), (200, OK)))
    await h.client.get_lead("x")
    assert len(h.sleeps) == 1 and 0.375 <= h.sleeps[0] <= 0.5


@pytest.mark.parametrize("value", ["61", "3600"])
async def test_retry_after_above_60_raises_at_once(value):
    h = Harness(Script(status(429, {"Retry-After": value}), (200, OK)))
    with pytest.raises(RateLimited) as info:
        await h.client.list_leads()
    assert info.value.retry_after == float(value)
    assert h.attempts == 1 and h.sleeps == [] and h.infos == []


@pytest.mark.parametrize("op", list(OPS))
async def test_exhausted_retries_raise_the_last_error(op):
    h = Harness(Script(status(429, {"Retry-After": "1"})))
    with pytest.raises(RateLimited) as info:
        await OPS[op](h.client)
    assert info.value.retry_after == 1.0
    assert h.attempts == 4
    assert h.sleeps == [1.0, 1.0, 1.0]
    assert [i.attempt for i in h.infos] == [1, 2, 3]


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("max_retries", [0, 1, 3, 5])
@pytest.mark.parametrize(
    "failure", [status(503, {"Retry-After": "1"}), status(502), httpx.ConnectError]
)
async def test_requests_never_exceed_one_plus_max_retries(op, max_retries, failure):
    h = Harness(Script(failure), max_retries=max_retries)
    with pytest.raises(Exception):  # noqa: B017 - the class depends on the op
        await OPS[op](h.client)
    assert 1 <= h.attempts <= 1 + max_retries
    assert len(h.sleeps) == h.attempts - 1


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize(
    ("code", "cls"),
    [(401, AuthError), (403, AuthError), (400, ValidationFailed), (404, NotFound)],
)
async def test_client_errors_are_never_retried(op, code, cls):
    h = Harness(Script(status(code), SUCCESS[op]))
    with pytest.raises(cls):
        await OPS[op](h.client)
    assert h.attempts == 1 and h.sleeps == []


@pytest.mark.parametrize("op", list(OPS))
async def test_connect_errors_are_retried_for_every_method(op):
    h = Harness(Script(httpx.ConnectError, httpx.ConnectTimeout, SUCCESS[op]))
    await OPS[op](h.client)
    assert h.attempts == 3
    assert [i.reason for i in h.infos] == ["connection failed", "connection timed out"]


@pytest.mark.parametrize("op", READS)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError])
async def test_reads_are_retried_after_lost_answers(op, exc):
    h = Harness(Script(exc, SUCCESS[op]))
    await OPS[op](h.client)
    assert h.attempts == 2


@pytest.mark.parametrize("op", WRITES)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError])
async def test_writes_are_not_retried_after_sending(op, exc):
    h = Harness(Script(exc, SUCCESS[op]))
    with pytest.raises(TransportError) as info:
        await OPS[op](h.client)
    assert type(info.value) is TransportError
    assert info.value.sent is True
    assert h.attempts == 1


@pytest.mark.parametrize("op", WRITES)
@pytest.mark.parametrize("code", [429, 502, 503, 504])
async def test_writes_are_retried_on_busy_statuses(op, code):
    h = Harness(Script(status(code), SUCCESS[op]))
    await OPS[op](h.client)
    assert h.attempts == 2


@pytest.mark.parametrize("op", CREATES)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError])
async def test_create_after_sending_is_outcome_unknown_and_not_retried(op, exc):
    h = Harness(Script(exc, SUCCESS[op]))
    with pytest.raises(OutcomeUnknown) as info:
        await OPS[op](h.client)
    assert info.value.sent is True and info.value.ambiguous is True
    assert h.attempts == 1 and h.sleeps == []


@pytest.mark.parametrize("op", CREATES)
@pytest.mark.parametrize("code", [500, 502, 504])
async def test_create_server_errors_are_ambiguous_and_not_retried(op, code):
    h = Harness(Script(status(code), SUCCESS[op]))
    with pytest.raises(ServerError) as info:
        await OPS[op](h.client)
    assert info.value.ambiguous is True and info.value.status == code
    assert h.attempts == 1


@pytest.mark.parametrize("op", CREATES)
async def test_create_503_is_retried_only_with_retry_after(op):
    h = Harness(Script(status(503), SUCCESS[op]))
    with pytest.raises(ServerError) as info:
        await OPS[op](h.client)
    assert info.value.ambiguous is False and h.attempts == 1
    h = Harness(Script(status(503, {"Retry-After": "3"}), SUCCESS[op]))
    await OPS[op](h.client)
    assert h.attempts == 2 and h.sleeps == [3.0]


@pytest.mark.parametrize("op", CREATES)
async def test_create_is_retried_on_429(op):
    h = Harness(Script(status(429), SUCCESS[op]))
    await OPS[op](h.client)
    assert h.attempts == 2


async def test_reads_do_not_retry_500():
    h = Harness(Script(status(500), (200, OK)))
    with pytest.raises(ServerError) as info:
        await h.client.get_lead("x")
    assert info.value.ambiguous is False and h.attempts == 1


async def test_patch_body_is_identical_on_every_attempt():
    h = Harness(Script(status(503), httpx.ConnectError, (200, OK)))
    await h.client.update_lead("x", {"city": None, "customFields": {"a": None}})
    assert len({r.content for r in h.script.requests}) == 1


async def test_deadline_stops_before_a_wait_that_would_pass_60_seconds():
    now = [0.0]

    async def sleep(delay):
        now[0] += delay

    script = Script(status(503, {"Retry-After": "25"}))
    client = SendKitClient(
        KEY, transport=httpx.MockTransport(script), sleep=sleep, clock=lambda: now[0]
    )
    with pytest.raises(ServerError):
        await client.list_leads()
    # waits at 0->25 and 25->50 fit; a third (50->75) would pass the deadline.
    assert len(script.requests) == 3 and now[0] == 50.0


async def test_per_call_on_retry_overrides_the_clients():
    h = Harness(Script(status(502), (200, OK)))
    mine: list[RetryInfo] = []
    await h.client.get_lead("x", on_retry=mine.append)
    assert len(mine) == 1 and h.infos == []


async def test_async_on_retry_is_awaited():
    seen = []

    async def on_retry(info):
        await asyncio.sleep(0)
        seen.append(info.attempt)

    h = Harness(Script(status(502), status(502), (200, OK)), on_retry=on_retry)
    await h.client.get_lead("x")
    assert seen == [1, 2]


async def test_cancel_while_waiting_propagates_and_sends_nothing_more():
    script = Script(status(503), (200, OK))

    async def sleep(delay):
        raise asyncio.CancelledError

    client = SendKitClient(KEY, transport=httpx.MockTransport(script), sleep=sleep)
    with pytest.raises(asyncio.CancelledError):
        await client.get_lead("x")
    assert len(script.requests) == 1


async def test_cancel_while_sending_propagates_and_never_resends():
    started = asyncio.Event()
    requests = []

    async def handler(request):
        requests.append(request)
        started.set()
        await asyncio.Event().wait()  # never answers

    client = SendKitClient(KEY, transport=httpx.MockTransport(handler))
    task = asyncio.create_task(client.create_lead({"email": "a@b.co"}))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.01)
    assert len(requests) == 1
    await client.aclose()


async def test_jitter_comes_from_the_injected_rng():
    delays = []
    for _ in range(2):
        h = Harness(Script(status(502)))
        with pytest.raises(ServerError):
            await h.client.get_lead("x")
        delays.append(h.sleeps)
    assert delays[0] == delays[1]
    assert len(set(delays[0])) == 3
