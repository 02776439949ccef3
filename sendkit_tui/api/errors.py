"""One error hierarchy for everything that can go wrong talking to SendKit.

``str(exc)`` is always ``exc.message``: a short, user-facing sentence with no API key
in it. ``parse_error(response)`` turns any non-2xx response (shape A or shape B
envelope, HTML, empty or truncated body) into the matching error; it is pure and
never raises. ``error_from_exception`` does the same for httpx transport failures.
"""

from __future__ import annotations

import math
from typing import Any

import httpx

from .parsing import excerpt, existing_lead_id, field_errors, is_json, load_json, short_message
from .retry import parse_retry_after


class SendKitError(Exception):
    """Base class. ``status`` is the HTTP status (None for transport failures).

    ``ambiguous`` is True when a create/bulk call failed in a way that leaves open whether
    the server did the work (the UI should look the lead up before offering to resend).
    """

    default_message = "SendKit reported an error."

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        field_errors: dict[str, str] | None = None,
        details: Any = None,
        ambiguous: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
        self.status = status
        self.code = code
        self.field_errors = dict(field_errors or {})
        self.details = details
        self.ambiguous = ambiguous
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status={self.status!r}, code={self.code!r})"
        )

    def redact(self, secret: str, replacement: str) -> SendKitError:
        """Replace every occurrence of ``secret`` in this error's text, in place."""
        if secret:

            def scrub(value: Any) -> Any:
                if isinstance(value, str):
                    return value.replace(secret, replacement)
                if isinstance(value, dict):
                    return {scrub(k): scrub(v) for k, v in value.items()}
                if isinstance(value, list | tuple):
                    return type(value)(scrub(v) for v in value)
                return value

            self.message = scrub(self.message)
            self.args = scrub(self.args)
            self.code = scrub(self.code)
            self.field_errors = scrub(self.field_errors)
            self.details = scrub(self.details)
        return self


class AuthError(SendKitError):
    """401 (key not accepted) or 403 (``forbidden``: key valid but not allowed)."""

    default_message = (
        "SendKit did not accept the API key (HTTP 401). Check the key, or log in again."
    )

    def __init__(self, message: str | None = None, *, forbidden: bool = False, **kw: Any) -> None:
        if message is None and forbidden:
            message = "This API key is not allowed to do that (HTTP 403)."
        super().__init__(message, **kw)
        self.forbidden = forbidden


class NotFound(SendKitError):
    """404. ``route_missing``: the answer was not SendKit's NOT_FOUND, so the endpoint
    itself may not exist on this server (e.g. ``GET /v1/leads/{id}`` on the real API)."""

    default_message = "SendKit could not find that (HTTP 404)."

    def __init__(self, message: str | None = None, *, route_missing: bool = False, **kw: Any):
        if message is None and route_missing:
            message = "This server does not seem to offer that endpoint (HTTP 404)."
        super().__init__(message, **kw)
        self.route_missing = route_missing


class Conflict(SendKitError):
    default_message = "That conflicts with data already in SendKit (HTTP 409)."

    def __init__(
        self, message: str | None = None, *, existing_lead_id: str | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.existing_lead_id = existing_lead_id


class ValidationFailed(SendKitError):
    default_message = "SendKit rejected the request as invalid (HTTP 400)."


class RateLimited(SendKitError):
    default_message = "SendKit is rate limiting this key (HTTP 429). Wait a moment and try again."


class ServerError(SendKitError):
    default_message = "SendKit had a server error. Try again in a moment."


class TransportError(SendKitError):
    """No HTTP answer. ``sent``: the request may have reached the server."""

    default_message = "Could not reach SendKit."

    def __init__(self, message: str | None = None, *, sent: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.sent = sent


class OutcomeUnknown(TransportError):
    """A create/bulk request was sent but no answer came: it may or may not have happened."""

    def __init__(self, message: str | None = None, **kw: Any) -> None:
        kw.update(sent=True, ambiguous=True)
        super().__init__(message, **kw)


class BadResponse(SendKitError):
    default_message = "The server sent a response that is not SendKit JSON."


class InsecureBaseURL(ValueError):
    """Plain http:// to a host that is not loopback: the key would travel in clear."""


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
    text = excerpt(raw)
    message = f"The server sent a response that is not SendKit JSON (HTTP {status}): {text}"
    return BadResponse(message, status=status, details={"problem": problem, "excerpt": text}, **kw)


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
    if message is None and cls is RateLimited and retry_after:
        message = _rate_limited_message(retry_after)
    if message is None and cls is SendKitError:
        message = f"SendKit answered with HTTP {status}."
    if message is None and cls is ServerError:
        message = f"SendKit had a server error (HTTP {status}). Try again in a moment."
    return cls(message, **kw)


def _error_without_envelope(
    status: int, raw: bytes, body: Any, retry_after: float | None
) -> SendKitError:
    """Bodies that are not a SendKit error envelope: HTML, empty, truncated, other JSON."""
    details = {"excerpt": excerpt(raw)}
    if status in (401, 403):
        return AuthError(status=status, forbidden=status == 403, details=details)
    if status == 404:
        return NotFound(status=status, route_missing=True, details=details)
    if status == 429:
        message = _rate_limited_message(retry_after) if retry_after else None
        return RateLimited(message, status=status, retry_after=retry_after, details=details)
    problem = "not JSON" if not is_json(body) else "JSON without a SendKit envelope"
    kw: dict[str, Any] = {"retry_after": retry_after} if status == 503 else {}
    return bad_response(status, raw, problem=problem, **kw)


def _rate_limited_message(retry_after: float) -> str:
    wait = _seconds(float(max(1, math.ceil(retry_after))))
    return f"SendKit is rate limiting this key (HTTP 429). Try again in {wait}."


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
        return BadResponse(
            f"The server sent a response from {host} that could not be decoded.",
            details={"exception": kind},
            ambiguous=create,
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return TransportError(
            f"Could not connect to {host} within {_seconds(timeout.connect)}.",
            details={"exception": kind},
        )
    if isinstance(exc, httpx.ConnectError):
        reason = short_message(str(exc), 160)
        return TransportError(
            f"Could not connect to {host}.", details={"exception": kind, "reason": reason}
        )
    if isinstance(exc, httpx.PoolTimeout):
        return TransportError(
            f"Too many requests to {host} at once; none could start in time.",
            details={"exception": kind},
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError | httpx.LocalProtocolError):
        return TransportError(f"Could not send the request to {host}.", details={"exception": kind})
    if isinstance(exc, httpx.ReadTimeout):
        message = f"{host} did not answer within {_seconds(timeout.read)}."
    elif isinstance(exc, httpx.WriteTimeout | httpx.WriteError):
        message = f"Sending the request to {host} failed part-way."
    else:  # ReadError, RemoteProtocolError, anything else after the request left
        message = f"The connection to {host} was lost before an answer came."
    details = {"exception": kind}
    if create:
        message += " The request may or may not have been carried out."
        return OutcomeUnknown(message, details=details)
    return TransportError(message, sent=True, details=details)


def _seconds(value: float | None) -> str:
    if value is None:
        return "the time limit"
    number = f"{value:g}"
    return f"{number} second" if number == "1" else f"{number} seconds"
