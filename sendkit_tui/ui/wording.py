"""User-facing sentences for API errors (no Textual, no key)."""

from __future__ import annotations

from sendkit_tui.api import (
    AuthError,
    BadResponse,
    Conflict,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
)
from sendkit_tui.api.limits import ResponseTooSlow


def explain(error: BaseException) -> str:
    """One or two sentences saying what happened, for a banner."""
    if isinstance(error, RateLimited):
        wait = f" Try again in {error.retry_after:.0f} s." if error.retry_after else ""
        return f"SendKit is rate limiting requests.{wait}"
    if isinstance(error, OutcomeUnknown):
        return (
            "SendKit did not answer after the request was sent, so it may or may not "
            "have been saved."
        )
    if isinstance(error, ResponseTooSlow):  # it did answer, too slowly: not "could not reach"
        return error.message
    if isinstance(error, TransportError):
        return f"Could not reach SendKit: {error.message}"
    if isinstance(error, ServerError):
        return f"SendKit had a problem (HTTP {error.status}): {error.message}"
    if isinstance(error, BadResponse):
        return error.message
    if isinstance(error, AuthError):
        return f"SendKit refused the API key (HTTP {error.status}): {error.message}"
    if isinstance(error, NotFound):
        return error.message or "Not found."
    if isinstance(error, Conflict | ValidationFailed):
        return error.message
    if isinstance(error, SendKitError):
        return error.message
    return f"Unexpected error: {type(error).__name__}: {error}"


def retryable(error: BaseException) -> bool:
    """Whether offering "retry" makes sense (the same request may succeed later)."""
    return isinstance(error, TransportError | ServerError | BadResponse | RateLimited)
