"""From what came back (or did not) to a ``SendKitError`` full of facts.

``parse_error(response)`` reads any non-2xx response (shape A or shape B envelope, HTML,
empty or truncated body), or a 2xx carrying ``success: false``; ``error_from_exception``
reads an httpx transport failure. Both are pure and never raise; neither words anything
for users (``sendkit_tui.domain.wording`` does) and neither keeps the request, so no API
key travels with an error.
"""

from __future__ import annotations

from typing import Any

import httpx

from .errors import (
    AuthError,
    BadResponse,
    Conflict,
    Failure,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
)
from .parsing import excerpt, existing_lead_id, field_errors, is_json, load_json, short_message
from .retry import parse_retry_after

_STATUS_CLASSES: dict[int, type[SendKitError]] = {
    400: ValidationFailed,
    401: AuthError,
    403: AuthError,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
    429: RateLimited,
}
_CODE_CLASSES: dict[str, type[SendKitError]] = {
    "VALIDATION_ERROR": ValidationFailed,
    "BAD_REQUEST": ValidationFailed,
    "EMAIL_IMMUTABLE": ValidationFailed,
    "UNAUTHORIZED": AuthError,
    "FORBIDDEN": AuthError,
    "NOT_FOUND": NotFound,
    "DUPLICATE_EMAIL": Conflict,
    "CONFLICT": Conflict,
    "RATE_LIMITED": RateLimited,
    "TOO_MANY_REQUESTS": RateLimited,
    "INTERNAL_ERROR": ServerError,
}
# Codes that are about one field even when the server gives no details.
_CODE_FIELDS = {"DUPLICATE_EMAIL": "email", "EMAIL_IMMUTABLE": "email", "INVALID_EMAIL": "email"}


def _status_class(status: int | None) -> type[SendKitError] | None:
    if status is None:
        return None
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if 500 <= status <= 599:
        return ServerError
    return None


def bad_response(
    status: int, raw: bytes | str, *, problem: str | None = None, **kw: Any
) -> BadResponse:
    """An answer we cannot use: ``problem`` says why, the excerpt shows what came."""
    return BadResponse(status=status, excerpt=excerpt(raw), problem=problem, **kw)


def parse_error(response: httpx.Response) -> SendKitError:
    """The error for a failed response (or a 2xx carrying ``success: false``)."""
    status = response.status_code
    raw = response.content
    body = load_json(raw)
    retry_after = parse_retry_after(response.headers)
    if not isinstance(body, dict) or not (
        isinstance(body.get("error"), str | dict) or short_message(body.get("message"))
    ):
        return _error_without_envelope(status, raw, body, retry_after)

    error = body.get("error")
    obj = error if isinstance(error, dict) else {}
    if isinstance(error, str):  # shape A: {"error": "Not Found", "message": "...", "code": 404}
        code = short_message(error, 80)
        message = short_message(body.get("message"))
        body_status = body.get("code") if isinstance(body.get("code"), int) else None
    else:  # shape B: {"success": false, "error": {"code": "NOT_FOUND", "message": "..."}}
        code = short_message(obj.get("code"), 80)
        message = short_message(obj.get("message")) or short_message(body.get("message"))
        body_status = None

    cls = _status_class(status) if status >= 300 else None
    if cls is None and status < 300:
        cls = _CODE_CLASSES.get(code or "") or _status_class(body_status) or SendKitError
    cls = cls or (ServerError if status >= 500 else SendKitError)

    fields = field_errors(body, obj)
    if not fields and code in _CODE_FIELDS and message:
        fields = {_CODE_FIELDS[code]: message}
    kw: dict[str, Any] = {"status": status, "code": code, "field_errors": fields}
    kw["details"] = obj.get("details", body.get("details", body.get("errors")))
    if cls is AuthError:
        kw["forbidden"] = status == 403 or body_status == 403 or code == "FORBIDDEN"
    elif cls is NotFound:
        kw["route_missing"] = not (isinstance(error, dict) and _is_resource_not_found(code))
    elif cls is Conflict:
        kw["existing_lead_id"] = existing_lead_id(body, obj)
        if not fields and message and _is_lead_create(response):
            kw["field_errors"] = {"email": message}
    if cls is RateLimited or status in (429, 503):
        kw["retry_after"] = retry_after
    return cls(message, **kw)


def _error_without_envelope(
    status: int, raw: bytes, body: Any, retry_after: float | None
) -> SendKitError:
    """Bodies that are not a SendKit error envelope: HTML, empty, truncated, other JSON."""
    text = excerpt(raw)
    if status in (401, 403):
        return AuthError(status=status, forbidden=status == 403, excerpt=text)
    if status == 404:
        return NotFound(status=status, route_missing=True, excerpt=text)
    if status == 429:
        return RateLimited(status=status, retry_after=retry_after, excerpt=text)
    problem = "not JSON" if not is_json(body) else "JSON without a SendKit envelope"
    kw: dict[str, Any] = {"retry_after": retry_after} if status == 503 else {}
    return bad_response(status, raw, problem=problem, **kw)


def _is_resource_not_found(code: str | None) -> bool:
    code = (code or "").upper()
    return code.endswith("NOT_FOUND") and code != "ROUTE_NOT_FOUND"


def _is_lead_create(response: httpx.Response) -> bool:
    try:
        request = response.request
    except RuntimeError:
        return False
    return request.method == "POST" and request.url.path.rstrip("/").endswith("/v1/leads")


def error_from_exception(
    exc: httpx.HTTPError, *, host: str, timeout: httpx.Timeout, create: bool
) -> SendKitError:
    """The error for an httpx failure; never carries the request (and so never the key)."""
    kind = type(exc).__name__
    if isinstance(exc, httpx.DecodingError):
        return BadResponse(host=host, undecodable=True, problem=kind, ambiguous=create)
    limit: float | None = None
    if isinstance(exc, httpx.ConnectTimeout):
        failure, limit = Failure.CONNECT_TIMEOUT, timeout.connect
    elif isinstance(exc, httpx.ConnectError):
        failure = Failure.CONNECT
    elif isinstance(exc, httpx.PoolTimeout):
        failure, limit = Failure.POOL_TIMEOUT, timeout.pool
    elif isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError | httpx.LocalProtocolError):
        failure = Failure.NOT_SENT
    elif isinstance(exc, httpx.ReadTimeout):
        failure, limit = Failure.READ_TIMEOUT, timeout.read
    elif isinstance(exc, httpx.WriteTimeout):
        failure, limit = Failure.WRITE, timeout.write
    elif isinstance(exc, httpx.WriteError):
        failure = Failure.WRITE
    else:  # ReadError, RemoteProtocolError, anything else after the request left
        failure = Failure.LOST
    sent = failure in (Failure.WRITE, Failure.READ_TIMEOUT, Failure.LOST)
    facts: dict[str, Any] = {"failure": failure, "host": host, "timeout": limit, "exception": kind}
    if failure is Failure.CONNECT:  # e.g. "Connection refused"; other texts may quote headers
        facts["reason"] = short_message(str(exc), 160)
    if sent and create:
        return OutcomeUnknown(**facts)
    return TransportError(sent=sent, **facts)
