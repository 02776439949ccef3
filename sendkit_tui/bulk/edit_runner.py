"""The bulk-edit runner: one minimal PATCH per lead, a few at a time. No Textual.

- **Per lead** (``domain/bulk_edit.py``): the lead's current copy (from the list that chose
  the batch, or ``GET /v1/leads/{id}`` when that copy lacks the field or a fresh one is
  wanted), then ``plan`` (or ``undo_patch`` for an undo batch); no PATCH when nothing changes.
- **Concurrency** is bounded by ``concurrency`` workers. **Backoff**: the client already
  retries a 429 after its ``Retry-After`` (``api/retry.py``); its ``on_retry`` tells the
  shared ``Pace``, which holds every worker until that moment and spaces later requests
  further apart (the spacing shrinks again as answers succeed). A lead still refused after the
  client's retries goes back in the queue, up to ``REQUEUE_LIMIT`` times. **A lost answer**
  (the PATCH left, no answer came: it may have landed) goes back too, up to ``LOST_RETRIES``
  times: the lead is read again and only what it still lacks is sent (nothing if it landed).
- **Cancel**: setting ``cancel`` stops workers from starting another lead; PATCHes in flight
  are answered first, so every outcome is known.
- **Journal** (``edit_resume.py``): before each PATCH what the lead had, after it the answer;
  a crash loses nothing, and the same ``Batch`` can be run again to resume or retry failures.
- **Failures** are per lead, worded by ``domain/wording.py``; a refused key stops the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sendkit_tui.api.errors import AuthError, NotFound, RateLimited, SendKitError, TransportError
from sendkit_tui.api.retry import RetryInfo
from sendkit_tui.bulk.edit_resume import Batch, Journal
from sendkit_tui.domain.bulk_edit import PlanRefused, before_of, plan, undo_patch
from sendkit_tui.domain.patch import LIST_FIELD, MAP_FIELD
from sendkit_tui.domain.wording import explain, lead_gone, no_copy_for_bulk_edit

CONCURRENCY = 4
REQUEUE_LIMIT = 5
LOST_RETRIES = 2
MIN_INTERVAL = 0.002  # seconds between request starts once a 429 was seen
MAX_INTERVAL = 2.0
LONGEST_PAUSE = 300.0  # a Retry-After longer than this stops the run instead


class _Stopped(Exception):
    """The run was cancelled while this lead waited for its turn: it goes back unsent."""


@dataclass(frozen=True)
class EditProgress:
    total: int
    done: int  # answered, changed or not
    changed: int
    failed: int
    elapsed: float
    rate_limited: int

    @property
    def eta(self) -> float | None:
        """Seconds left at the pace so far (None until the first lead is done)."""
        if self.done <= 0 or self.elapsed <= 0:
            return None
        return max(0.0, (self.total - self.done - self.failed) * self.elapsed / self.done)


@dataclass
class EditReport:
    batch: Batch
    total: int = 0
    changed: int = 0
    unchanged: int = 0
    not_started: int = 0
    cancelled: bool = False
    stopped_reason: str | None = None
    requests: int = 0  # requests sent, retries included
    rate_limited: int = 0  # 429s seen
    failed_now: int = 0  # leads that failed in this run
    elapsed: float = 0.0

    @property
    def failures(self) -> dict[str, str]:
        return dict(self.batch.failed)

    @property
    def complete(self) -> bool:
        return not self.cancelled and not self.stopped_reason and not self.batch.pending()


class Pace:
    """Shared by the workers: a pause after each 429 and a spacing between request starts."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.interval = 0.0
        self.limited = 0
        self._next = 0.0
        self._paused_until = 0.0

    async def turn(self, cancel: asyncio.Event) -> bool:
        """Wait for this request's slot; False when the run was cancelled meanwhile."""
        while not cancel.is_set():
            now = self.clock()
            start = max(self._next, self._paused_until)
            if start <= now:
                self._next = max(now, self._next) + self.interval
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(cancel.wait(), start - now)
        return False

    def on_retry(self, info: RetryInfo) -> None:
        if info.status != 429:
            return
        self.slow_down(info.delay)

    def slow_down(self, delay: float) -> None:
        """A 429: pause everyone for ``delay``; space requests further apart, once per pause
        (the other requests refused in the same moment say nothing new)."""
        self.limited += 1
        now = self.clock()
        if now >= self._paused_until:
            # The wait until the next token hints at the server's spacing; a whole-second
            # Retry-After would overstate it, so it counts for at most half a second.
            hint = min(delay, 1.0) / 2
            self.interval = min(MAX_INTERVAL, max(self.interval * 1.5, hint, MIN_INTERVAL))
        self._paused_until = max(self._paused_until, now + delay)

    def succeeded(self) -> None:
        self.interval = self.interval * 0.99 if self.interval > MIN_INTERVAL / 2 else 0.0


def current_of(copy: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a bulk edit reads, as far as ``copy`` carries them."""
    return {k: copy[k] for k in (LIST_FIELD, MAP_FIELD) if k in copy and copy[k] is not None}


async def collect(client: Any, filters: Mapping[str, Any], pace: Pace | None = None) -> tuple[
    list[str], dict[str, dict[str, Any]]
]:  # fmt: skip
    """Every lead matching ``filters`` (``search``, ``tags``, ``email_verified``): ids in list
    order and the tags and custom fields each copy carried."""
    ids: list[str] = []
    copies: dict[str, dict[str, Any]] = {}
    on_retry = pace.on_retry if pace is not None else None
    async for page in client.iter_pages(**filters, on_retry=on_retry):
        for lead in page.items:
            if lead.id in copies:
                continue
            ids.append(lead.id)
            known = lead.known_fields()
            copy: dict[str, Any] = {}
            if "tags" in known:
                copy[LIST_FIELD] = list(lead.tags or [])
            if "customFields" in known:
                copy[MAP_FIELD] = dict(lead.custom_fields or {})
            copies[lead.id] = copy
    return ids, copies


async def run_batch(
    client: Any,
    journal: Journal,
    *,
    copies: dict[str, dict[str, Any]] | None = None,
    prefer_fresh: bool = False,
    concurrency: int = CONCURRENCY,
    progress: Callable[[EditProgress], Any] | None = None,
    cancel: asyncio.Event | None = None,
    pace: Pace | None = None,
) -> EditReport:
    """Run (or resume, or retry) ``journal.batch``: every lead not answered yet."""
    batch = journal.batch
    cancel = cancel or asyncio.Event()
    pace = pace or Pace()
    copies = copies if copies is not None else {}
    queue = deque(batch.pending())
    report = EditReport(batch, total=len(queue))
    requeued: dict[str, int] = {}
    lost: dict[str, int] = {}  # leads whose PATCH lost its answer, and how often
    started = time.monotonic()
    needs = _needs(batch)

    def on_retry(info: RetryInfo) -> None:
        report.requests += 1
        pace.on_retry(info)

    async def call(method: Callable[..., Any], *args: Any) -> Any:
        report.requests += 1
        result = await method(*args, on_retry=on_retry)
        pace.succeeded()
        return result

    async def current(lead_id: str) -> dict[str, Any]:
        copy = copies.pop(lead_id, None)
        if copy is not None and not prefer_fresh and needs <= copy.keys():
            return copy
        try:
            if not await pace.turn(cancel):
                raise _Stopped
            return current_of((await call(client.get_lead, lead_id)).to_request_dict())
        except NotFound as error:
            if error.route_missing and copy is not None and needs <= copy.keys():
                return copy
            why = no_copy_for_bulk_edit() if error.route_missing else lead_gone()
            raise PlanRefused(why) from None
        except RateLimited:
            if copy is not None:
                copies[lead_id] = copy
            raise

    def fail(lead_id: str, reason: str) -> None:
        journal.failed(lead_id, reason)
        report.failed_now += 1

    async def one(lead_id: str) -> None:
        patching = False  # the PATCH has left (a lost answer then may mean it landed)
        try:
            now = await current(lead_id)
            if batch.op is not None:
                patch = plan(batch.op, now)
            else:
                patch = undo_patch(batch.undo_changes[lead_id], now)
            if patch is None:
                journal.answered(lead_id, None)
                if lead_id in lost:  # the PATCH whose answer was lost had landed
                    report.changed += 1
                else:
                    report.unchanged += 1
                return
            if not await pace.turn(cancel):
                raise _Stopped
            journal.sending(lead_id, _before(now, patch), patch)
            patching = True
            await call(client.update_lead, lead_id, patch)
            journal.answered(lead_id, patch)
            report.changed += 1
        except _Stopped:
            queue.appendleft(lead_id)
        except PlanRefused as refused:
            fail(lead_id, str(refused))
        except AuthError as error:
            report.stopped_reason = explain(error)
            cancel.set()
            queue.appendleft(lead_id)
        except RateLimited as error:
            wait = error.retry_after or 1.0
            if wait > LONGEST_PAUSE:
                report.stopped_reason = explain(error)
                cancel.set()
                queue.appendleft(lead_id)
                return
            requeued[lead_id] = requeued.get(lead_id, 0) + 1
            pace.slow_down(wait)
            if requeued[lead_id] > REQUEUE_LIMIT:
                fail(lead_id, explain(error))
            else:
                queue.append(lead_id)
        except TransportError as error:
            if patching and error.sent and lost.get(lead_id, 0) < LOST_RETRIES:
                lost[lead_id] = lost.get(lead_id, 0) + 1
                copies.pop(lead_id, None)  # read it again: did the PATCH land?
                queue.append(lead_id)
            else:
                fail(lead_id, explain(error))
        except SendKitError as error:
            fail(lead_id, explain(error))

    async def worker() -> None:
        while queue and not cancel.is_set():
            await one(queue.popleft())
            if progress is not None:
                await _maybe_await(progress(_progress(report, started, pace)))

    try:
        await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
    finally:
        report.elapsed = time.monotonic() - started
        report.rate_limited = pace.limited
        report.not_started = len(queue)
        report.cancelled = cancel.is_set() and report.stopped_reason is None
        if report.cancelled:
            journal.end("cancelled")
        elif report.stopped_reason is None and not queue:
            journal.end("complete")
        else:
            journal.close()
    return report


def _needs(batch: Batch) -> set[str]:
    if batch.op is not None:
        return {batch.op.field}
    fields: set[str] = set()
    for change in batch.undo_changes.values():
        fields |= change.patch.keys()
    return fields


def _before(current: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    before: dict[str, Any] = {}
    for key in patch:
        before.update(before_of(key, current, patch))
    return before


def _progress(report: EditReport, started: float, pace: Pace) -> EditProgress:
    done = report.changed + report.unchanged
    return EditProgress(
        total=report.total,
        done=done,
        changed=report.changed,
        failed=report.failed_now,
        elapsed=time.monotonic() - started,
        rate_limited=pace.limited,
    )


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value
