"""The bulk-edit runner against the real sandbox: concurrency, 429s, cancel, crash, retry."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest

from sendkit_tui.api.client import SendKitClient
from sendkit_tui.bulk.edit_resume import Journal, journal_path, load_batch, new_batch
from sendkit_tui.bulk.edit_runner import collect, run_batch
from sendkit_tui.bulk.resume import Target
from sendkit_tui.domain.bulk_edit import BulkOp
from tests.ui_support import requests_to, server_leads

pytestmark = pytest.mark.asyncio


class Counting:
    """The real client, counting PATCHes in flight at once."""

    def __init__(self, client: SendKitClient) -> None:
        self.client = client
        self.in_flight = 0
        self.most = 0
        self.patches = 0

    def __getattr__(self, name):
        return getattr(self.client, name)

    async def update_lead(self, lead_id, patch, **options):
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            return await self.client.update_lead(lead_id, patch, **options)
        finally:
            self.in_flight -= 1
            self.patches += 1


def _setup(sandbox, tmp_path):
    client = SendKitClient(sandbox.api_key, base_url=sandbox.url)
    target = Target.of(client.base_url, None, sandbox.api_key)
    return client, target, journal_path(target, tmp_path)


def _tagged(sandbox, tag):
    return {lead["_id"] for lead in server_leads(sandbox) if tag in lead["tags"]}


async def _start(client, target, path, op):
    ids, copies = await collect(client, {})
    journal = Journal.open_new(path, new_batch(target, ids, op=op))
    return journal, copies


async def test_concurrency_stays_within_its_bound(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject("slow", method="PATCH", delay=0.05, count=1000)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["c"]))
    counting = Counting(client)
    report = await run_batch(counting, journal, copies=copies, concurrency=3)
    assert report.complete and report.changed == len(journal.batch.ids)
    assert 2 <= counting.most <= 3
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    await client.aclose()


async def test_429s_are_waited_out_and_every_lead_is_tagged_once(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject("status", status=429, method="PATCH", retry_after=0.01, count=6)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["rl"]))
    report = await run_batch(client, journal, copies=copies, concurrency=4)
    ids = set(journal.batch.ids)
    sent = [r for r in sandbox.requests if r.method == "PATCH"]
    assert report.complete and report.changed == len(ids)
    assert report.rate_limited == 6
    assert len([r for r in sent if r.status == 200]) == len(ids)
    assert len([r for r in sent if r.status == 429]) == 6
    assert _tagged(sandbox, "rl") == ids
    await client.aclose()


async def test_steady_rate_limit_is_backed_off(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["steady"]))
    sandbox.set_rate_limit(40)
    report = await run_batch(client, journal, copies=copies, concurrency=4)
    assert report.complete and not report.failures
    assert report.rate_limited == sandbox.rate_limited
    assert _tagged(sandbox, "steady") == set(journal.batch.ids)
    await client.aclose()


async def test_cancel_stops_cleanly_and_counts_what_was_done(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject("slow", method="PATCH", delay=0.05, count=1000)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["cx"]))
    cancel = asyncio.Event()

    def progress(step):
        if step.done >= 5:
            cancel.set()

    report = await run_batch(client, journal, copies=copies, progress=progress, cancel=cancel)
    assert report.cancelled and report.not_started > 0
    assert len(_tagged(sandbox, "cx")) == report.changed
    assert report.changed + report.not_started == len(journal.batch.ids)
    assert load_batch(path, target).ended == "cancelled"
    await client.aclose()


async def test_resume_after_a_crash_finishes_without_sending_twice(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject("slow", method="PATCH", delay=0.02, count=1000)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["crash"]))
    ids = list(journal.batch.ids)
    reached = asyncio.Event()

    def progress(step):
        if step.done >= 6:
            reached.set()

    task = asyncio.ensure_future(run_batch(client, journal, copies=copies, progress=progress))
    await reached.wait()
    task.cancel()  # as if the process died: no "end" line, PATCHes in flight unanswered
    with pytest.raises(asyncio.CancelledError):
        await task
    done_before = _tagged(sandbox, "crash")
    assert 0 < len(done_before) < len(ids)

    batch = load_batch(path, target)
    assert batch is not None and batch.ended is None
    answered = set(batch.done)
    assert answered and len(answered) < len(ids)
    sandbox.clear_requests()
    report = await run_batch(client, Journal.reopen(path, batch), prefer_fresh=True)
    print(sorted({(r.method, r.path[:20]) for r in sandbox.requests}))
    patched = [r.path.rsplit("/", 1)[1] for r in requests_to(sandbox, "PATCH")]
    assert report.complete
    assert _tagged(sandbox, "crash") == set(ids)
    assert not set(patched) & answered  # nothing answered before is sent again
    assert len(patched) == len(set(patched)) <= len(ids) - len(done_before)

    undo = new_batch(target, [c.lead_id for c in batch.changes()], undo_of=batch)
    report = await run_batch(client, Journal.open_new(path, undo))
    assert report.complete and _tagged(sandbox, "crash") == set()
    await client.aclose()


async def test_a_lead_that_fails_is_listed_then_retried(sandbox, tmp_path):
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject("status", status=400, method="PATCH", count=1)
    journal, copies = await _start(client, target, path, BulkOp.set_field("source", "expo"))
    report = await run_batch(client, journal, copies=copies)
    assert len(report.failures) == 1 and not report.complete
    ((failed_id, reason),) = report.failures.items()
    assert reason
    assert load_batch(path, target).failed == {failed_id: reason}

    sandbox.clear_requests()
    report = await run_batch(client, Journal.reopen(path, load_batch(path, target)))
    assert report.complete and report.changed == 1
    assert [r.path.rsplit("/", 1)[1] for r in requests_to(sandbox, "PATCH")] == [failed_id]
    sandbox.clear_requests()
    assert all(lead["customFields"].get("source") == "expo" for lead in server_leads(sandbox))
    await client.aclose()


@pytest.mark.parametrize("kind", ["drop_after", "drop_before"])
async def test_a_lost_answer_is_read_again_and_never_sent_twice(sandbox, tmp_path, kind):
    """The connection drops on the first PATCH: after it landed (drop_after) the lead is
    read again and found done, so nothing is sent twice; before it landed (drop_before) the
    lead still lacks the tag and is sent again. Either way every lead is tagged, none failed,
    and undo knows every lead touched."""
    client, target, path = _setup(sandbox, tmp_path)
    sandbox.inject(kind, method="PATCH", count=1)
    journal, copies = await _start(client, target, path, BulkOp.add_tags(["lost"]))
    ids = set(journal.batch.ids)
    report = await run_batch(client, journal, copies=copies, concurrency=1)
    patched = [r.path.rsplit("/", 1)[1] for r in requests_to(sandbox, "PATCH")]
    read = [r.path.rsplit("/", 1)[1] for r in requests_to(sandbox, "GET", "/v1/leads/")]
    assert report.complete and not report.failures
    assert report.changed == len(ids) and report.unchanged == 0
    first = patched[0]
    assert read == [first]  # read again after its lost answer (the others had copies)
    twice = {lead_id for lead_id in patched if patched.count(lead_id) > 1}
    assert twice == (set() if kind == "drop_after" else {first})
    assert _tagged(sandbox, "lost") == ids
    assert {change.lead_id for change in load_batch(path, target).changes()} == ids
    await client.aclose()
