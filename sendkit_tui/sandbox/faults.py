"""Fault injection and the request log, as pure ASGI middleware around the app.

Only ``/v1`` requests are faulted and logged; ``/_sandbox`` control routes never are.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from sendkit_tui.sandbox.wire import loads_strict, reason

KINDS = (
    "slow",
    "slow_after",
    "status",
    "json",
    "html",
    "empty",
    "truncated",
    "drop_before",
    "drop_after",
)
DEFAULT_STATUS = {"status": 500, "json": 200, "html": 502, "empty": 200}
REDACTED = {"x-api-key", "authorization"}
FAULT_SEED = 7


@dataclass
class Fault:
    kind: str
    count: int = 1
    rate: float | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    retry_after: float | None = None
    delay: float | None = None
    body: Any = None

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return not self.path or path.startswith(self.path)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_fault(kind: str, **options: Any) -> Fault:
    """A validated fault; ValueError with a readable message otherwise."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    fault = Fault(kind=kind, **options)
    if not isinstance(fault.count, int) or isinstance(fault.count, bool) or fault.count < 1:
        raise ValueError("count must be a whole number of at least 1")
    if fault.rate is not None and not (
        isinstance(fault.rate, int | float) and 0 <= fault.rate <= 1
    ):
        raise ValueError("rate must be a number from 0 to 1")
    if fault.status is None:
        fault.status = DEFAULT_STATUS.get(kind)
    if fault.status is not None and not (
        isinstance(fault.status, int) and 200 <= fault.status <= 599
    ):
        raise ValueError("status must be an HTTP status from 200 to 599")
    if kind in ("slow", "slow_after") and fault.delay is None:
        fault.delay = 1.0
    for name in ("delay", "retry_after"):
        value = getattr(fault, name)
        if value is not None and (not isinstance(value, int | float) or value < 0):
            raise ValueError(f"{name} must be a number of seconds, at least 0")
    if fault.method is not None and not isinstance(fault.method, str):
        raise ValueError("method must be an HTTP method name")
    if fault.path is not None and not isinstance(fault.path, str):
        raise ValueError("path must be a path prefix such as /v1/leads")
    return fault


class FaultBook:
    """Queued faults: each applies to its next ``count`` matching requests, or at ``rate``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._rng = random.Random(FAULT_SEED)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._rng = random.Random(FAULT_SEED)

    def snapshot(self) -> list[Fault]:
        with self._lock:
            return [replace(f) for f in self._faults]

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if fault.rate is not None:
                    if self._rng.random() < fault.rate:
                        return fault
                    continue
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_body: str
    status: int | None = None
    fault: str | None = None
    workspace_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def add(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def update(self, item: RecordedRequest, **changes: Any) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(item, name, value)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return [replace(r, query=dict(r.query), headers=dict(r.headers)) for r in self._items]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def record_of(scope: dict[str, Any], raw: bytes) -> RecordedRequest:
    headers = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        headers[key] = "<redacted>" if key in REDACTED else value.decode("latin-1")
    try:
        body = loads_strict(raw) if raw.strip() else None
    except (ValueError, RecursionError, UnicodeError):
        body = None
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), True))
    return RecordedRequest(
        method=scope["method"],
        path=scope["path"],
        query=query,
        headers=headers,
        body=body,
        raw_body=raw.decode("utf-8", errors="replace"),
    )


def canned(fault: Fault) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body of a fault answered without touching the app."""
    status = fault.status or 200
    if fault.kind == "status":
        if status == 429:
            message = "Too many requests. Slow down and retry after the Retry-After delay."
        else:
            message = f"Simulated {status} {reason(status)} from the sandbox."
        body = json.dumps({"error": reason(status), "message": message, "code": status}).encode()
        headers = [(b"content-type", b"application/json")]
        retry = fault.retry_after if fault.retry_after is not None else (
            1 if status == 429 else None
        )  # fmt: skip
        if retry is not None:
            text = str(int(retry)) if float(retry).is_integer() else str(retry)
            headers.append((b"retry-after", text.encode()))
        return status, headers, body
    if fault.kind == "json":
        body = json.dumps(fault.body, ensure_ascii=False).encode("utf-8")
        return status, [(b"content-type", b"application/json")], body
    if fault.kind == "html":
        title = f"{status} {reason(status)}"
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        return status, [(b"content-type", b"text/html")], page.encode()
    if fault.kind == "empty":
        return status, [(b"content-type", b"application/json")], b""
    # truncated: the first half of a valid document
    whole = json.dumps(
        {"success": True, "data": [{"_id": "0" * 24, "email": "cut@example.com"}]}
    ).encode()
    return 200, [(b"content-type", b"application/json")], whole[: len(whole) // 2]
