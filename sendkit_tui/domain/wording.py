"""The sentence a user reads when something fails, worded here once for the TUI and the CLI.

Errors from ``sendkit_tui.api`` carry facts (status, code, the server's message, field
messages, a body excerpt, Retry-After, how a connection failed); this module is the only
place that puts them into words. Each explanation is one or two sentences, says no clause
twice (server words that only restate ours are left out) and never shows a key-shaped
string, even one the server echoed. Callers add what to do next ("Press r to try again").

Free of Textual, so the command line uses it without loading the TUI.
"""

from __future__ import annotations

import math
import re
from http import HTTPStatus

from sendkit_tui.api.errors import (
    AuthError,
    BadResponse,
    Conflict,
    Failure,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ResponseTooLarge,
    ResponseTooSlow,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
)
from sendkit_tui.domain.rules import mask_key
from sendkit_tui.domain.text import one_line
from sendkit_tui.identity import KEY_LIKE

OUTCOME_UNKNOWN = (
    "SendKit did not answer after the request was sent, so it may or may not have been saved."
)
MAX_FIELDS = 3
"""Field messages named in a validation explanation; the rest are counted."""

_HTTP = re.compile(r"\(HTTP \d{3}\)")
_CLAUSE_END = re.compile(r"[.;:!?,…](?:\s+|$)")
_WORD = re.compile(r"[^\W_]+")  # letters and digits, any script
_PHRASES: dict[int | None, str] = {status.value: status.phrase for status in HTTPStatus}


def explain(error: BaseException) -> str:
    """One or two sentences saying what happened, for a banner, a status line or stderr."""
    return KEY_LIKE.sub(lambda found: mask_key(found.group()), _words(error))


def retryable(error: BaseException) -> bool:
    """Whether offering "retry" makes sense (the same request may succeed later)."""
    return isinstance(error, TransportError | ServerError | BadResponse | RateLimited)


def _clauses(text: str) -> list[str]:
    """``text`` cut at sentence and clause ends, each part lower-cased to its words,
    "(HTTP nnn)" left out: two parts that are equal say the same thing."""
    parts = _CLAUSE_END.split(_HTTP.sub(" ", text))
    return [norm for part in parts if (norm := " ".join(_WORD.findall(part.casefold())))]


def _words(error: BaseException) -> str:
    if isinstance(error, RateLimited):
        return _rate_limited(error)
    if isinstance(error, OutcomeUnknown):
        return OUTCOME_UNKNOWN
    if isinstance(error, ResponseTooSlow):  # it did answer, too slowly: not "could not reach"
        return (
            f"The answer from {error.host or 'the server'} was still not complete after "
            f"{_seconds(error.deadline)}, so the request was stopped."
        )
    if isinstance(error, ResponseTooLarge):
        maybe = " The request may or may not have been carried out." if error.ambiguous else ""
        return (
            f"The answer from {error.host or 'the server'} is larger than "
            f"{_size(error.limit)}, so it was not read.{maybe}"
        )
    if isinstance(error, TransportError):
        return _transport(error)
    if isinstance(error, BadResponse):
        return _bad_response(error)
    if isinstance(error, ServerError):
        return _lead_and_server_words(f"SendKit had a problem{_http(error)}", error)
    if isinstance(error, AuthError):
        if error.forbidden:
            return _lead_and_server_words(
                f"This API key is not allowed to do that{_http(error)}", error
            )
        return _lead_and_server_words(f"SendKit did not accept the API key{_http(error)}", error)
    if isinstance(error, NotFound):
        if error.route_missing:
            return f"This server does not seem to offer that endpoint{_http(error)}."
        return _server_words_or(error, f"SendKit could not find that{_http(error)}")
    if isinstance(error, Conflict):
        return _server_words_or(error, f"That conflicts with data already in SendKit{_http(error)}")
    if isinstance(error, ValidationFailed):
        return _validation(error)
    if isinstance(error, SendKitError):
        status = f"SendKit answered with HTTP {error.status}" if error.status is not None else ""
        return _server_words_or(error, status or "SendKit reported an error")
    if isinstance(error, InsecureBaseURL):
        return str(error)
    return f"Unexpected error: {type(error).__name__}: {error}"


def _rate_limited(error: RateLimited) -> str:
    text = f"SendKit is rate limiting this key{_http(error)}."
    if error.retry_after:
        text += f" Try again in {_seconds(max(1, math.ceil(error.retry_after)))}."
    return text


def _transport(error: TransportError) -> str:
    host = error.host or "SendKit"
    within = f" within {_seconds(error.timeout)}" if error.timeout is not None else ""
    match error.failure:
        case Failure.CONNECT | Failure.CONNECT_TIMEOUT:
            return f"Could not connect to {host}{within}."
        case Failure.POOL_TIMEOUT:
            return f"Too many requests to {host} at once; none could start in time."
        case Failure.NOT_SENT:
            return f"Could not send the request to {host}."
        case Failure.WRITE:
            return f"Sending the request to {host} failed part-way."
        case Failure.READ_TIMEOUT:
            return f"{host} did not answer{within or ' in time'}."
        case Failure.LOST:
            return f"The connection to {host} was lost before an answer came."
    return _stop(error.message or f"Could not reach {host}")


def _bad_response(error: BadResponse) -> str:
    if error.undecodable:
        where = f" from {error.host}" if error.host else ""
        return f"The server sent a response{where} that could not be decoded."
    lead = f"The server sent a response that is not SendKit JSON{_http(error)}"
    if error.excerpt is not None:
        return f"{lead}: {error.excerpt}"  # the excerpt is quoted as it came: no stop added
    return _stop(error.message or lead)


def _validation(error: ValidationFailed) -> str:
    lead = _server_words(error) or f"SendKit rejected the request as invalid{_http(error)}"
    fields = _field_words(error.field_errors, said=lead)
    if not fields:
        return _stop(lead)
    return f"{lead.rstrip('.!? ')}: {fields}."


def _field_words(field_errors: dict[str, str], *, said: str) -> str:
    """``"email: Enter an email; firstName, lastName: Too long"``: each message once, none
    that repeats a clause already said, at most ``MAX_FIELDS`` of them."""
    by_message: dict[str, list[str]] = {}
    for field, message in field_errors.items():
        text = message.strip().rstrip(".")
        if text:
            by_message.setdefault(text, []).append(field)
    seen = set(_clauses(said))
    groups: list[str] = []
    for text, fields in by_message.items():
        group = f"{', '.join(fields)}: {text}"
        own = _clauses(group)
        if len(set(own)) == len(own) and not seen.intersection(own):
            groups.append(group)
            seen.update(own)
    shown = "; ".join(groups[:MAX_FIELDS])
    hidden = len(groups) - MAX_FIELDS
    return f"{shown}; and {hidden} more" if hidden > 0 else shown


def _lead_and_server_words(lead: str, error: SendKitError) -> str:
    """``lead`` (our clause) and, after a colon, the server's words when they add any."""
    words = _server_words(error, said=lead)
    return f"{lead}: {_stop(words)}" if words else f"{lead}."


def _server_words_or(error: SendKitError, fallback: str) -> str:
    return _stop(_server_words(error) or fallback)


def _server_words(error: SendKitError, *, said: str = "") -> str | None:
    """The server's own message, unless it only restates the HTTP status, the error code
    or a clause of ``said``."""
    text = (error.message or "").strip()
    if not text:
        return None
    own = _clauses(text)  # empty for text without letters or digits: shown as it came
    restated = {*_clauses(error.code or ""), *_clauses(_PHRASES.get(error.status, ""))}
    if (own and all(clause in restated for clause in own)) or set(own) & set(_clauses(said)):
        return None
    return text


def _http(error: SendKitError) -> str:
    return f" (HTTP {error.status})" if error.status is not None else ""


def _stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _seconds(value: float | None) -> str:
    if value is None:
        return "the time limit"
    number = f"{value:g}"
    return f"{number} second" if number == "1" else f"{number} seconds"


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} bytes"


# -- the create form's duplicate check while typing ------------------------------------------

DUPLICATE_CHECK_FAILED = "could not check for duplicates"
"""Said quietly under the email when the lookup failed; saving is not held up."""


def duplicate_notice(
    email: str, *, first: str | None, last: str | None, company: str | None, key: str
) -> str:
    """Under the email being typed: it belongs to a lead already, and ``key`` opens it.

    The name and company are the server's text, made safe for one line here."""
    name = one_line(" ".join(p.strip() for p in (first or "", last or "") if p.strip()), 40)
    firm = one_line((company or "").strip(), 40)
    who = f"{name} ({firm})" if name and firm else name or firm or "no name"
    return f"{one_line(email, 80)} is already a lead: {who} · {key} opens it"


# -- bulk edit (bulk/edit_runner.py and its dialog) ------------------------------------------


def lead_gone() -> str:
    return "This lead is no longer in the workspace (deleted meanwhile?); nothing was sent."


def no_copy_for_bulk_edit() -> str:
    return (
        "Its current tags or custom fields could not be read (this server has no single-lead "
        "route and the list did not carry them), so nothing was sent."
    )


def bulk_edit_summary(changed: int, unchanged: int, failed: int, not_started: int) -> str:
    """One line after a bulk edit: what changed, what needed nothing, what is left."""
    parts = [f"{changed:,} lead{'s' if changed != 1 else ''} changed"]
    if unchanged:
        parts.append(f"{unchanged:,} already as asked")
    if failed:
        parts.append(f"{failed:,} failed")
    if not_started:
        parts.append(f"{not_started:,} not started")
    return ", ".join(parts) + "."


def bulk_edit_resume_offer(what: str, left: int, where: str) -> str:
    return (
        f"A bulk edit ({what}) against {where} stopped before it finished; {left:,} "
        f"lead{'s' if left != 1 else ''} left. Resume it?"
    )
