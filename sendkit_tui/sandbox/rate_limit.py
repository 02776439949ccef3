"""An opt-in steady rate limit for the sandbox: a token bucket over every /v1 request.

``SandboxServer(rate_limit=50)`` or ``sendkit-tui sandbox --rate-limit 50`` lets 50 requests a
second through (bursts of up to one second's worth); a request that finds the bucket empty is
answered 429 with ``Retry-After`` (whole seconds, at least 1, as HTTP has it) and
``retry-after-ms`` (the exact wait until the next token). Off by default: the sandbox then
answers as fast as it can, as before. The limit is per server, not per key or workspace.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``rate`` tokens a second, holding at most ``burst`` (default: ``rate``, at least 1)."""

    def __init__(self, rate: float, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        if not rate > 0 or not math.isfinite(rate):
            raise ValueError("rate_limit must be a positive number of requests per second")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst if burst is not None else rate))
        self.clock = clock
        self._tokens = self.burst
        self._at = clock()
        self._lock = threading.Lock()
        self.refused = 0  # 429s answered so far

    def take(self) -> float:
        """0.0 when a token was taken; otherwise the seconds until the next one."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            self.refused += 1
            return (1.0 - self._tokens) / self.rate


def limited_answer(wait: float) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The 429 for a request that found the bucket empty (shape A envelope)."""
    body = (
        b'{"error":"Too Many Requests","message":"Rate limit exceeded. Retry after the '
        b'Retry-After delay.","code":429}'
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"retry-after", str(max(1, math.ceil(wait))).encode()),
        (b"retry-after-ms", str(max(1, math.ceil(wait * 1000))).encode()),
    ]
    return 429, headers, body
