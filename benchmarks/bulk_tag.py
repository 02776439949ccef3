"""Figure: 10,000 leads tagged by the bulk-edit runner against a rate-limiting sandbox.

The sandbox runs in its own process, seeded with 10,000 leads, with ``--rate-limit`` set
(429 + Retry-After above it). Ours: ``bulk/edit_runner.py`` (list the leads, then one minimal
PATCH each, 4 at a time, pacing itself after 429s). Baseline, same run, same limit: raw
sequential httpx, one PATCH per lead, sleeping out each 429's ``Retry-After`` before trying
again. Requests and 429s are counted by the sandbox itself (its request log).
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import PY, ROOT, Report, Row, SandboxProcess, Settings, median

LEADS = 10_000
RATE = 150  # requests a second the sandbox lets through


class LimitedSandbox(SandboxProcess):
    """``sendkit-tui sandbox --rate-limit N`` in its own process."""

    def __init__(self, seed: int, key: str, rate: float) -> None:
        super().__init__(seed, key)
        self.proc.terminate()  # the plain one just started: replace it with a limited one
        self.proc.wait(10)
        args = [PY, "-m", "sendkit_tui", "sandbox", "--port", str(self.port), "--seed",
                str(seed), "--api-key", key, "--rate-limit", str(rate)]  # fmt: skip
        self.proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait(self) -> LimitedSandbox:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"{self.url}/v1/leads", params={"limit": 1}, headers=self.headers)
                if r.status_code in (200, 429):
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("the rate-limited sandbox exited")
            time.sleep(0.05)
        raise RuntimeError("the rate-limited sandbox did not start")

    def log(self) -> tuple[int, int]:
        """(requests, 429s) the sandbox logged since the last ``clear``."""
        items = httpx.get(f"{self.url}/_sandbox/requests", timeout=60).json()["data"]
        return len(items), sum(1 for item in items if item["status"] == 429)

    def clear(self) -> None:
        httpx.delete(f"{self.url}/_sandbox/requests").raise_for_status()


async def ours(box: LimitedSandbox, tag: str) -> float:
    from sendkit_tui.api.client import SendKitClient
    from sendkit_tui.bulk.edit_resume import Journal, journal_path, new_batch
    from sendkit_tui.bulk.edit_runner import Pace, collect, run_batch
    from sendkit_tui.bulk.resume import Target
    from sendkit_tui.domain.bulk_edit import BulkOp

    with tempfile.TemporaryDirectory() as tmp:
        async with SendKitClient(box.api_key, base_url=box.url) as client:
            target = Target.of(client.base_url, None, box.api_key)
            start = time.perf_counter()
            pace = Pace()
            ids, copies = await collect(client, {}, pace)
            batch = new_batch(target, ids, op=BulkOp.add_tags([tag]))
            journal = Journal.open_new(journal_path(target, Path(tmp)), batch)
            report = await run_batch(client, journal, copies=copies, pace=pace)
            elapsed = time.perf_counter() - start
    if not report.complete or report.changed != LEADS:
        raise RuntimeError(f"bulk tag incomplete: {report.changed} changed, {report.failures}")
    return elapsed


def baseline(box: LimitedSandbox, tag: str) -> float:
    """Sequential httpx: list every lead, then PATCH each, sleeping out every 429."""

    def send(client: httpx.Client, method: str, url: str, **kw) -> httpx.Response:
        while True:
            response = client.request(method, url, **kw)
            if response.status_code != 429:
                response.raise_for_status()
                return response
            wait_ms = response.headers.get("retry-after-ms")
            wait = float(wait_ms) / 1000 if wait_ms else float(response.headers["retry-after"])
            time.sleep(wait)

    start = time.perf_counter()
    with httpx.Client(base_url=box.url, headers=box.headers) as client:
        leads, cursor = [], None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            body = send(client, "GET", "/v1/leads", params=params).json()
            leads += body["data"]
            if not body["pagination"]["hasMore"]:
                break
            cursor = body["pagination"]["nextCursor"]
        for lead in leads:
            send(client, "PATCH", f"/v1/leads/{lead['_id']}", json={"tags": [*lead["tags"], tag]})
    return time.perf_counter() - start


def run(settings: Settings, report: Report, key: str) -> None:
    runs = settings.runs(2, 1)
    box = LimitedSandbox(LEADS, key, RATE).wait()
    try:
        times, base_times, counts, base_counts = [], [], [], []
        for n in range(runs):
            box.clear()
            times.append(asyncio.run(ours(box, f"bench-ours-{n}")))
            counts.append(box.log())
            box.clear()
            base_times.append(baseline(box, f"bench-raw-{n}"))
            base_counts.append(box.log())
    finally:
        box.stop()
    took, base = median(times), median(base_times)
    requests, limited = counts[-1]
    base_requests, base_limited = base_counts[-1]
    floor = (LEADS + LEADS // 100) / RATE
    report.add(
        Row(
            f"bulk tag {LEADS:,} leads at {RATE}/s limit: ours (4 at a time) vs raw sequential",
            took,
            base,
            "s",
            f"≤ 1.25x the limit's floor ({floor:.0f} s)",
            took <= 1.25 * floor,
            note="",
        )
    )
    report.add(Row("bulk tag: leads/s", LEADS / took, LEADS / base, "/s"))
    report.add(Row("bulk tag: requests sent (incl. 429s)", requests, base_requests, ""))
    report.add(Row("bulk tag: 429s received", limited, base_limited, ""))
