"""Figure 5: the sandbox on loopback with raw httpx: creates/s, list pages/s at 100,000 leads."""

from __future__ import annotations

import time

import httpx

from benchmarks.common import Report, Row, SandboxProcess, Settings, median
from benchmarks.save import body


def creates_per_second(sandbox: SandboxProcess, count: int) -> float:
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers) as client:
        client.post("/v1/leads", json=body()).raise_for_status()
        start = time.perf_counter()
        for _ in range(count):
            client.post("/v1/leads", json=body()).raise_for_status()
        return count / (time.perf_counter() - start)


def pages_per_second(sandbox: SandboxProcess, count: int, *, deep: bool) -> float:
    """``deep``: follow nextCursor (keyset paging); else the first page again and again.
    Both read each answer's JSON, as a client does: only the server's work differs."""
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers) as client:
        client.get("/v1/leads", params={"limit": 100}).raise_for_status()
        cursor = None
        start = time.perf_counter()
        for _ in range(count):
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            response = client.get("/v1/leads", params=params)
            response.raise_for_status()
            after = response.json()["pagination"]["nextCursor"]
            if deep:
                cursor = after
        return count / (time.perf_counter() - start)


def run(settings: Settings, report: Report, small: SandboxProcess, big: SandboxProcess) -> None:
    runs, n = settings.runs(3, 2), settings.runs(200, 60)
    big_pages = median([pages_per_second(big, n, deep=True) for _ in range(runs)])
    first_pages = median([pages_per_second(big, n, deep=False) for _ in range(runs)])
    report.add(
        Row(
            "sandbox list pages/s at 100k: cursor walk vs page 1",
            big_pages,
            first_pages,
            "/s",
            "≥ 0.8x (keyset)",
            big_pages / first_pages >= 0.8,
        )
    )
    big_creates = median([creates_per_second(big, n) for _ in range(runs)])
    small_creates = median([creates_per_second(small, n) for _ in range(runs)])
    report.add(
        Row(
            "sandbox creates/s, 100k vs 25-lead workspace",
            big_creates,
            small_creates,
            "/s",
            "≥ 0.5x (no cliff)",
            big_creates / small_creates >= 0.5,
        )
    )
