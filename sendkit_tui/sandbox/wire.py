"""Wire helpers: timestamps, ids, JSON bodies and the two error envelopes."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ID_RE = re.compile(r"^[0-9a-f]{24}$")

Clock = Callable[[], datetime]


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("the sandbox clock must return timezone-aware datetimes")
    return (moment - EPOCH) // timedelta(milliseconds=1)


def iso(ms: int) -> str:
    """``2025-06-10T10:30:00.000Z`` for milliseconds since the epoch."""
    moment = EPOCH + timedelta(milliseconds=ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def parse_iso(text: str) -> int:
    return to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def is_id(value: object) -> bool:
    return isinstance(value, str) and ID_RE.match(value) is not None


class IdGenerator:
    """24-hex ids: 8 hex of unix seconds + a 16-hex counter, strictly increasing.

    The seconds never go backwards (a clock behind the newest id reuses its seconds),
    and the counter grows on every id, so ``_id`` order is creation order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self, last_id: str | None = None) -> None:
        with self._lock:
            self._secs = int(last_id[:8], 16) if last_id else 0
            self._counter = int(last_id[8:], 16) if last_id else 0

    def next(self, now_ms: int) -> str:
        with self._lock:
            self._secs = max(self._secs, now_ms // 1000)
            self._counter += 1
            return f"{self._secs:08x}{self._counter:016x}"


# --- responses -------------------------------------------------------------------------


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def ok(data: Any, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"success": True, "data": data, **extra}, status_code=status)


def error_a(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Shape A: ``{"error": "Unauthorized", "message": "...", "code": 401}``."""
    body = {"error": reason(status), "message": message, "code": status}
    return JSONResponse(body, status_code=status, headers=headers)


def error_b(
    status: int, code: str, message: str, details: Any = None, **extra: Any
) -> JSONResponse:
    """Shape B: ``{"success": false, "error": {"code": "NOT_FOUND", "message": "..."}}``."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    error.update(extra)
    return JSONResponse({"success": False, "error": error}, status_code=status)


class ApiError(Exception):
    """Raised anywhere in a handler; the app turns it into its response."""

    def __init__(self, response: JSONResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


class Invalid(ApiError):
    """400 VALIDATION_ERROR with per-field details (request-shape field names)."""

    def __init__(self, details: list[dict[str, str]], message: str | None = None) -> None:
        if message is None:
            if len(details) == 1:
                message = details[0]["message"]
            else:
                message = f"{len(details)} fields are invalid."
        self.details = details
        super().__init__(error_b(400, "VALIDATION_ERROR", message, details))


def detail(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def not_found_lead() -> ApiError:
    return ApiError(error_b(404, "NOT_FOUND", "Lead not found"))


def route_not_found() -> ApiError:
    return ApiError(error_a(404, "Route not found"))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads_strict(raw: bytes | str) -> Any:
    """``json.loads`` without NaN/Infinity, which JSON does not have and we cannot echo."""
    value = json.loads(raw, parse_constant=_no_constant)
    # Lone surrogates ("\\ud800") parse but cannot be stored or sent back as UTF-8.
    json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


def parse_json(raw: bytes) -> Any:
    """The parsed body, or ApiError 400 INVALID_JSON (never an exception escaping)."""
    if not raw.strip():
        raise ApiError(error_b(400, "INVALID_JSON", "The request body is empty; send JSON."))
    try:
        value = loads_strict(raw)
    except (ValueError, RecursionError, UnicodeError):
        raise ApiError(
            error_b(400, "INVALID_JSON", "The request body is not valid JSON.")
        ) from None
    return value


def parse_object(raw: bytes) -> dict[str, Any]:
    value = parse_json(raw)
    if not isinstance(value, dict):
        raise ApiError(
            error_b(400, "VALIDATION_ERROR", "The request body must be a JSON object.", [])
        )
    return value
