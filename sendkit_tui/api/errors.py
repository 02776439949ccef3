"""The errors a SendKit call can raise. Each carries facts, never a sentence for users.

The facts say what happened: the HTTP status, the server's error code and its own message,
field messages, an excerpt of a body that was not SendKit JSON, Retry-After, whether the
request may have been carried out. ``sendkit_tui.domain.wording.explain`` is the one place
that turns them into words for a user; ``str(error)`` is a short neutral summary for logs.
``error_mapping`` builds these errors from responses and httpx failures.

Free of httpx and Textual: anything may import this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Failure(StrEnum):
    """How a request that got no HTTP answer failed (``TransportError.failure``)."""

    CONNECT = "connect failed"  # no connection could be opened
    CONNECT_TIMEOUT = "connect timeout"
    POOL_TIMEOUT = "pool timeout"  # too many requests at once; none could start in time
    NOT_SENT = "not sent"  # the request could not be sent (scheme, proxy, bad headers)
    WRITE = "write failed"  # sending the request failed part-way
    READ_TIMEOUT = "read timeout"  # sent, but no answer came within the read timeout
    LOST = "connection lost"  # sent, then the connection dropped before an answer


class SendKitError(Exception):
    """Base class; every fact is optional.

    - ``status``: the HTTP status (None when no answer came);
    - ``code``: the server's error code (shape B ``error.code``, shape A ``error``);
    - ``message``: the server's own message, cleaned and bounded; for errors raised
      without an answer, a note from the code that raised it. None when there is none;
    - ``field_errors``: request-shape field name -> the server's message for it;
    - ``details``: the envelope's ``details`` as sent (e.g. campaigns blocking a delete);
    - ``excerpt``: a safe excerpt of a body that was not a SendKit error envelope;
    - ``ambiguous``: a create/bulk call failed in a way that leaves open whether the
      server did the work (look the lead up before offering to resend);
    - ``retry_after``: seconds the server asked us to wait (Retry-After).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        field_errors: dict[str, str] | None = None,
        details: Any = None,
        excerpt: str | None = None,
        ambiguous: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(*(() if message is None else (message,)))
        self.message = message
        self.status = status
        self.code = code
        self.field_errors = dict(field_errors or {})
        self.details = details
        self.excerpt = excerpt
        self.ambiguous = ambiguous
        self.retry_after = retry_after

    def flags(self) -> list[str]:
        """Short facts for the log summary (subclasses add their own)."""
        flags = ["ambiguous"] if self.ambiguous else []
        if self.retry_after is not None:
            flags.append(f"retry after {self.retry_after:g} s")
        return flags

    def __str__(self) -> str:
        """E.g. ``HTTP 404 NOT_FOUND [route missing]: Cannot GET /v1/x`` (for logs)."""
        head = " ".join(
            part
            for part in (f"HTTP {self.status}" if self.status is not None else "", self.code or "")
            if part
        )
        flags = self.flags()
        if flags:
            head = f"{head} [{', '.join(flags)}]".strip()
        text = self.message or self.excerpt
        if text:
            return f"{head}: {text}" if head else text
        return head or type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def redact(self, secret: str, replacement: str) -> SendKitError:
        """Replace every occurrence of ``secret`` in this error's facts, in place."""
        if secret:

            def scrub(value: Any) -> Any:
                if isinstance(value, str):
                    return value.replace(secret, replacement) if secret in value else value
                if isinstance(value, dict):
                    return {scrub(k): scrub(v) for k, v in value.items()}
                if isinstance(value, list | tuple):
                    return type(value)(scrub(v) for v in value)
                return value

            self.args = scrub(self.args)
            for name, value in list(vars(self).items()):
                setattr(self, name, scrub(value))
        return self


class AuthError(SendKitError):
    """401 (key not accepted) or 403 (``forbidden``: key valid but not allowed)."""

    def __init__(self, message: str | None = None, *, forbidden: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.forbidden = forbidden

    def flags(self) -> list[str]:
        return [*(["forbidden"] if self.forbidden else []), *super().flags()]


class NotFound(SendKitError):
    """404. ``route_missing``: the answer was not SendKit's NOT_FOUND, so the endpoint
    itself may not exist on this server (e.g. ``GET /v1/leads/{id}`` on the real API)."""

    def __init__(self, message: str | None = None, *, route_missing: bool = False, **kw: Any):
        super().__init__(message, **kw)
        self.route_missing = route_missing

    def flags(self) -> list[str]:
        return [*(["route missing"] if self.route_missing else []), *super().flags()]


class Conflict(SendKitError):
    """409. ``existing_lead_id``: the lead a duplicate email belongs to, when named."""

    def __init__(
        self, message: str | None = None, *, existing_lead_id: str | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.existing_lead_id = existing_lead_id

    def flags(self) -> list[str]:
        lead = [f"existing lead {self.existing_lead_id}"] if self.existing_lead_id else []
        return [*lead, *super().flags()]


class ValidationFailed(SendKitError):
    """400/422: the request was refused as invalid; see ``field_errors`` and ``code``."""


class RateLimited(SendKitError):
    """429; ``retry_after`` when the server said how long to wait."""


class ServerError(SendKitError):
    """5xx with a SendKit envelope."""


class TransportError(SendKitError):
    """No HTTP answer.

    ``failure`` says how (a ``Failure``); ``host`` is the server's host label; ``timeout``
    the limit in seconds that ran out, if one did; ``sent`` whether the request may have
    reached the server; ``exception`` the httpx exception's class name and ``reason`` its
    text (for logs: it can be long or technical).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        failure: Failure | None = None,
        host: str | None = None,
        timeout: float | None = None,
        sent: bool = False,
        exception: str | None = None,
        reason: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.failure = failure
        self.host = host
        self.timeout = timeout
        self.sent = sent
        self.exception = exception
        self.reason = reason

    def __str__(self) -> str:
        """E.g. ``api.sendkit.ai: read timeout after 30 s (ReadTimeout) [sent]`` (for logs)."""
        text = " ".join(
            part
            for part in (
                str(self.failure or "transport error"),
                f"after {self.timeout:g} s" if self.timeout is not None else "",
                f"({self.exception})" if self.exception else "",
            )
            if part
        )
        if self.host:
            text = f"{self.host}: {text}"
        flags = [*(["sent"] if self.sent else []), *self.flags()]
        if flags:
            text += f" [{', '.join(flags)}]"
        extra = self.message or self.reason
        return f"{text}: {extra}" if extra else text


class OutcomeUnknown(TransportError):
    """A create/bulk request was sent but no answer came: it may or may not have happened."""

    def __init__(self, message: str | None = None, **kw: Any) -> None:
        kw.update(sent=True, ambiguous=True)
        super().__init__(message, **kw)


class BadResponse(SendKitError):
    """An answer that is not SendKit JSON, or JSON of the wrong shape.

    ``excerpt`` shows what came; ``problem`` says what is wrong with it (for logs);
    ``undecodable``: the body could not even be decoded (``host`` says from where).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        problem: str | None = None,
        host: str | None = None,
        undecodable: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.problem = problem
        self.host = host
        self.undecodable = undecodable

    def flags(self) -> list[str]:
        problem = [self.problem] if self.problem else []
        if self.undecodable:
            problem.append(f"undecodable from {self.host}" if self.host else "undecodable")
        return [*problem, *super().flags()]


class InsecureBaseURL(ValueError):
    """Plain http:// to a host that is not loopback: the key would travel in clear."""


class ResponseTooLarge(BadResponse):
    """The answer was larger than ``limit`` bytes (decoded); it was not read."""

    def __init__(self, message: str | None = None, *, limit: int, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class ResponseTooSlow(TransportError):
    """The whole answer did not arrive within ``deadline`` seconds (the request had left)."""

    def __init__(self, message: str | None = None, *, deadline: float, **kw: Any) -> None:
        kw.setdefault("sent", True)
        super().__init__(message, **kw)
        self.deadline = deadline
