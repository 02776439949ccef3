"""The sandbox's opt-in steady rate limit (sandbox/rate_limit.py)."""

from __future__ import annotations

import httpx

from sendkit_tui.sandbox.rate_limit import TokenBucket


def test_off_by_default_and_429_with_retry_after_above_the_limit(sandbox):
    with httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": sandbox.api_key}) as client:
        assert {client.get("/v1/leads").status_code for _ in range(30)} == {200}
        sandbox.set_rate_limit(5)
        answers = [client.get("/v1/leads") for _ in range(30)]
    refused = [r for r in answers if r.status_code == 429]
    assert len(refused) >= 20 and sandbox.rate_limited == len(refused)
    assert int(refused[0].headers["retry-after"]) >= 1
    assert 0 < int(refused[0].headers["retry-after-ms"]) <= 200
    assert refused[0].json()["code"] == 429
    logged = [r for r in sandbox.requests if r.status == 429]
    assert len(logged) == len(refused) and logged[0].fault == "rate_limit"
    sandbox.reset()
    with httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": sandbox.api_key}) as client:
        assert {client.get("/v1/leads").status_code for _ in range(30)} == {200}


def test_bucket_refills_at_its_rate():
    now = [0.0]
    bucket = TokenBucket(10, clock=lambda: now[0])
    assert [bucket.take() for _ in range(10)] == [0.0] * 10
    wait = bucket.take()
    assert abs(wait - 0.1) < 1e-9
    now[0] += 0.1
    assert bucket.take() == 0.0
    assert bucket.refused == 1
