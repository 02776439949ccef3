"""The retry policy (docs/ARCHITECTURE.md, "Policies").

Three kinds of operation, each with its own rule:

- ``READ`` (GET): connect errors, read timeouts / resets / protocol errors, 429, 502-504.
- ``WRITE`` (PATCH, DELETE): connect errors, 429, 502-504; never after the request was sent
  and no answer came (the caller gets ``TransportError(sent=True)``).
- ``CREATE`` (POST create and bulk): only when nothing was sent (connect error), on 429,
  or on 503 carrying ``Retry-After``. Anything ambiguous is raised at once.

``RetryState.backoff`` either waits (calling ``on_retry`` first) or raises the error it was
given. This module knows nothing of the error classes, so ``errors`` can import it.
"""

from __future__ import annotations

import enum
import inspect
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

MAX_RETRY_AFTER = 60.0  # seconds; above this the caller is told instead of waiting
DEADLINE = 60.0  # seconds for a whole operation, waits included
MAX_DELAY = 8.0
INITIAL_DELAY = 0.5


class OpKind(enum.Enum):
    READ = "read"
    WRITE = "write"
    CREATE = "create"


@dataclass(frozen=True)
class RetryInfo:
    """Passed to ``on_retry`` before each wait: shown as "retrying (attempt/max_retries)…"."""

    attempt: int  # 1 for the first retry
    max_retries: int
    delay: float  # seconds about to be waited
    reason: str  # "rate limited", "server busy (503)", "connection failed", ...
    status: int | None = None


OnRetry = Callable[[RetryInfo], Any]
Sleep = Callable[[float], Awaitable[Any]]

_STATUS_REASONS = {
    429: "rate limited",
    502: "bad gateway (502)",
    503: "server busy (503)",
    504: "gateway timeout (504)",
}


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date).

    ``None`` when absent, malformed, negative or not finite; 0 is returned as 0.0 (the
    caller then uses its own backoff). Values above 60 are returned as they are.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        value = _number(raw_ms)
        if value is not None:
            return value / 1000.0
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    value = _number(raw)
    if value is not None:
        return value
    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = when.timestamp() - (time.time() if now is None else now)
    return seconds if seconds >= 0 else None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return value


def backoff_delay(retries_done: int, rng: random.Random | None = None) -> float:
    """min(8, 0.5 * 2**retries_done) * jitter, jitter uniform in [0.75, 1.0]."""
    base = min(MAX_DELAY, INITIAL_DELAY * (2.0 ** min(retries_done, 32)))
    return base * (rng or random).uniform(0.75, 1.0)


def status_retry_reason(kind: OpKind, status: int, retry_after: float | None) -> str | None:
    """Why a response with this status is worth retrying, or None."""
    if status == 429:
        return _STATUS_REASONS[429]
    if status in (502, 503, 504):
        if kind is OpKind.CREATE and not (status == 503 and retry_after is not None):
            return None
        return _STATUS_REASONS[status]
    return None


def exception_retry_reason(kind: OpKind, exc: BaseException) -> str | None:
    """Why an httpx failure is worth retrying, or None."""
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    if kind is not OpKind.READ:
        return None  # the request left: re-sending a write could do it twice
    if isinstance(exc, httpx.ReadTimeout):
        return "no answer in time"
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError | httpx.WriteError):
        return "connection lost"
    return None


class RetryState:
    """Counts the retries of one operation and enforces its deadline."""

    def __init__(
        self,
        *,
        max_retries: int,
        sleep: Sleep,
        on_retry: OnRetry | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        deadline: float = DEADLINE,
    ) -> None:
        self.max_retries = max_retries
        self.sleep = sleep
        self.on_retry = on_retry
        self.rng = rng
        self.clock = clock
        self.deadline_at = clock() + deadline
        self.retries = 0

    async def backoff(
        self,
        error: BaseException,
        reason: str | None,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        """Wait before the next attempt, or raise ``error`` when no retry is allowed."""
        if reason is None or self.retries >= self.max_retries:
            raise error
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            raise error  # do not block the UI for minutes: let it show "retry after …"
        if retry_after is not None and retry_after > 0:
            delay = retry_after
        else:
            delay = backoff_delay(self.retries, self.rng)
        if self.clock() + delay > self.deadline_at:
            raise error
        self.retries += 1
        if self.on_retry is not None:
            result = self.on_retry(
                RetryInfo(
                    attempt=self.retries,
                    max_retries=self.max_retries,
                    delay=delay,
                    reason=reason,
                    status=status,
                )
            )
            if inspect.isawaitable(result):
                await result
        await self.sleep(delay)
