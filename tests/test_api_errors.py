"""parse_error and friends: every status, both envelopes, HTML, empty and truncated bodies.

The errors carry facts; what a user reads is ``explain(error)`` (sentences are checked
here where they used to be the error's own text; tests/test_wording.py checks all of them).
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    parse_error,
)
from sendkit_tui.api.error_mapping import error_from_exception
from sendkit_tui.api.errors import Failure
from sendkit_tui.api.parsing import excerpt
from sendkit_tui.domain.wording import OUTCOME_UNKNOWN, explain

HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style>"
    "</head><body><h1>502 Bad Gateway</h1>\n\n<p>nginx &amp; friends</p>"
    "<script>alert(1)</script></body></html>"
)


def response(
    status: int,
    body: object = None,
    *,
    raw: bytes | None = None,
    headers: dict | None = None,
    method: str = "GET",
    path: str = "/v1/leads",
) -> httpx.Response:
    content = raw if raw is not None else json.dumps(body).encode()
    request = httpx.Request(method, "https://api.sendkit.ai" + path)
    return httpx.Response(status, content=content, headers=headers or {}, request=request)


def shape_a(status: int, phrase: str, message: str) -> dict:
    return {"error": phrase, "message": message, "code": status}


def shape_b(code: str, message: str, **extra) -> dict:
    return {"success": False, "error": {"code": code, "message": message, **extra}}


# -- shape A, every status ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "phrase", "cls"),
    [
        (400, "Bad Request", ValidationFailed),
        (401, "Unauthorized", AuthError),
        (403, "Forbidden", AuthError),
        (404, "Not Found", NotFound),
        (409, "Conflict", Conflict),
        (422, "Unprocessable Entity", ValidationFailed),
        (429, "Too Many Requests", RateLimited),
        (500, "Internal Server Error", ServerError),
        (502, "Bad Gateway", ServerError),
        (503, "Service Unavailable", ServerError),
        (504, "Gateway Timeout", ServerError),
        (418, "I'm a teapot", SendKitError),
        (405, "Method Not Allowed", SendKitError),
    ],
)
def test_shape_a_maps_status_to_class_and_keeps_message(status, phrase, cls):
    exc = parse_error(response(status, shape_a(status, phrase, "Something specific happened.")))
    assert type(exc) is cls
    assert exc.status == status
    assert exc.message == "Something specific happened."
    assert str(exc).startswith(f"HTTP {status} {phrase}")  # a neutral summary, for logs
    assert str(exc).endswith(": Something specific happened.")
    assert exc.code == phrase
    assert exc.args == (exc.message,)


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "VALIDATION_ERROR", ValidationFailed),
        (400, "EMAIL_IMMUTABLE", ValidationFailed),
        (401, "UNAUTHORIZED", AuthError),
        (403, "FORBIDDEN", AuthError),
        (404, "NOT_FOUND", NotFound),
        (409, "DUPLICATE_EMAIL", Conflict),
        (422, "UNPROCESSABLE", ValidationFailed),
        (429, "RATE_LIMITED", RateLimited),
        (500, "INTERNAL_ERROR", ServerError),
        (503, "UNAVAILABLE", ServerError),
    ],
)
def test_shape_b_maps_status_to_class_and_keeps_code(status, code, cls):
    exc = parse_error(response(status, shape_b(code, "Lead says no.")))
    assert type(exc) is cls
    assert (exc.status, exc.code, exc.message) == (status, code, "Lead says no.")


def test_auth_error_forbidden_flag():
    assert parse_error(response(401, shape_a(401, "Unauthorized", "Bad key"))).forbidden is False
    assert parse_error(response(403, shape_a(403, "Forbidden", "Nope"))).forbidden is True


def test_validation_details_list_become_field_errors_in_request_shape():
    body = shape_b(
        "VALIDATION_ERROR",
        "Validation failed",
        details=[
            {"field": "email", "message": "Enter an email address like name@example.com."},
            {"field": "phoneNumber", "message": "Phone may hold digits."},
            {"field": "customFields.plan", "message": "A value is at most 10,000 characters."},
            {"field": "email", "message": "second message for email is ignored"},
            {"nofield": True},
            "not a dict",
        ],
    )
    exc = parse_error(response(400, body, method="POST"))
    assert isinstance(exc, ValidationFailed)
    assert exc.code == "VALIDATION_ERROR"
    assert exc.field_errors == {
        "email": "Enter an email address like name@example.com.",
        "phone": "Phone may hold digits.",
        "customFields.plan": "A value is at most 10,000 characters.",
    }


def test_validation_details_dict_and_top_level_errors():
    exc = parse_error(
        response(422, shape_b("VALIDATION_ERROR", "Bad", details={"city": "Too long"}))
    )
    assert exc.field_errors == {"city": "Too long"}
    exc = parse_error(
        response(400, {"error": "Bad Request", "message": "Bad", "errors": {"tags": ["No commas"]}})
    )
    assert exc.field_errors == {"tags": "No commas"}
    exc = parse_error(
        response(400, {"message": "Bad", "errors": [{"path": "lastName", "msg": "Too long"}]})
    )
    assert exc.field_errors == {"lastName": "Too long"}


def test_email_immutable_keeps_code_and_points_at_email():
    exc = parse_error(response(400, shape_b("EMAIL_IMMUTABLE", "Email cannot be changed.")))
    assert isinstance(exc, ValidationFailed)
    assert exc.code == "EMAIL_IMMUTABLE"
    assert exc.field_errors == {"email": "Email cannot be changed."}


def test_delete_blocked_by_campaigns_keeps_details():
    details = {"campaigns": [{"id": "c1", "name": "Spring"}]}
    exc = parse_error(
        response(400, shape_b("LEADS_IN_ACTIVE_CAMPAIGNS", "In campaigns", details=details))
    )
    assert isinstance(exc, ValidationFailed)
    assert exc.details == details
    assert exc.field_errors == {}


def test_conflict_duplicate_email_with_lead_id():
    body = shape_b("DUPLICATE_EMAIL", "A lead with this email already exists.", leadId="665d")
    exc = parse_error(response(409, body, method="POST"))
    assert isinstance(exc, Conflict)
    assert exc.existing_lead_id == "665d"
    assert exc.field_errors == {"email": "A lead with this email already exists."}


def test_conflict_shape_a_on_create_points_at_email_without_lead_id():
    exc = parse_error(
        response(409, shape_a(409, "Conflict", "Lead exists"), method="POST", path="/v1/leads")
    )
    assert isinstance(exc, Conflict)
    assert exc.existing_lead_id is None
    assert exc.field_errors == {"email": "Lead exists"}


def test_conflict_elsewhere_has_no_email_field_error():
    exc = parse_error(
        response(409, shape_a(409, "Conflict", "Key exists"), method="POST", path="/v1/x")
    )
    assert exc.field_errors == {}


def test_not_found_resource_vs_route_missing():
    lead = parse_error(response(404, shape_b("NOT_FOUND", "Lead not found")))
    assert isinstance(lead, NotFound) and lead.route_missing is False
    assert lead.message == "Lead not found"
    route = parse_error(response(404, shape_a(404, "Not Found", "Route not found")))
    assert isinstance(route, NotFound) and route.route_missing is True
    html = parse_error(response(404, raw=b"<html><body>Cannot GET /v1/leads/x</body></html>"))
    assert isinstance(html, NotFound) and html.route_missing is True
    empty = parse_error(response(404, raw=b""))
    assert isinstance(empty, NotFound) and empty.route_missing is True
    other = parse_error(response(404, {"detail": "Not Found"}))
    assert isinstance(other, NotFound) and other.route_missing is True
    assert "404" in explain(other)


def test_rate_limited_reads_retry_after():
    exc = parse_error(
        response(429, shape_a(429, "Too Many Requests", "Slow down"), headers={"Retry-After": "7"})
    )
    assert isinstance(exc, RateLimited) and exc.retry_after == 7.0
    exc = parse_error(response(429, raw=b"<html>429</html>", headers={"retry-after": "2.5"}))
    assert isinstance(exc, RateLimited) and exc.retry_after == 2.5
    assert parse_error(response(429, raw=b"")).retry_after is None
    exc = parse_error(response(429, {"error": "Too Many Requests"}, headers={"Retry-After": "90"}))
    assert exc.retry_after == 90.0 and exc.message is None
    assert explain(exc) == "SendKit is rate limiting this key (HTTP 429). Try again in 90 seconds."


def test_html_5xx_is_a_bad_response_with_a_clean_excerpt():
    exc = parse_error(response(502, raw=HTML_502.encode()))
    assert isinstance(exc, BadResponse)
    assert exc.status == 502
    assert exc.excerpt == "502 Bad Gateway nginx & friends"
    assert explain(exc) == (
        "The server sent a response that is not SendKit JSON (HTTP 502): "
        "502 Bad Gateway nginx & friends"
    )


@pytest.mark.parametrize("status", [200, 400, 409, 500, 503])
def test_empty_and_truncated_bodies_are_bad_responses(status):
    empty = parse_error(response(status, raw=b""))
    assert isinstance(empty, BadResponse)
    assert empty.excerpt == "(empty body)"
    assert explain(empty).endswith(f"(HTTP {status}): (empty body)")
    truncated = parse_error(response(status, raw=b'{"success": false, "error": {"code": "NO'))
    assert isinstance(truncated, BadResponse)
    assert '{"success": false, "error": {"code": "NO' in explain(truncated)


def test_json_without_envelope_is_a_bad_response():
    assert isinstance(parse_error(response(500, [1, 2, 3])), BadResponse)
    assert isinstance(parse_error(response(400, {"weird": True})), BadResponse)
    assert isinstance(parse_error(response(500, "just a string")), BadResponse)


def test_html_401_and_403_are_still_auth_errors():
    exc = parse_error(response(401, raw=b"<html>401 Authorization Required</html>"))
    assert isinstance(exc, AuthError) and exc.forbidden is False
    assert "API key" in explain(exc)
    exc = parse_error(response(403, raw=b"<html>403</html>"))
    assert isinstance(exc, AuthError) and exc.forbidden is True


def test_defaults_when_the_envelope_has_no_message():
    exc = parse_error(response(500, {"success": False, "error": {"code": "BOOM"}}))
    assert isinstance(exc, ServerError) and "500" in explain(exc)
    exc = parse_error(response(401, {"error": "Unauthorized"}))
    assert isinstance(exc, AuthError) and exc.message is None and explain(exc)
    exc = parse_error(response(418, {"error": {"code": "TEAPOT"}}))
    assert type(exc) is SendKitError and "418" in explain(exc)


def test_success_false_inside_a_2xx_maps_by_code():
    exc = parse_error(response(200, shape_b("NOT_FOUND", "Gone")))
    assert isinstance(exc, NotFound) and exc.route_missing is False and exc.status == 200
    exc = parse_error(response(200, shape_a(403, "Forbidden", "No")))
    assert isinstance(exc, AuthError) and exc.forbidden is True
    exc = parse_error(response(200, shape_b("SOMETHING_ODD", "Odd")))
    assert type(exc) is SendKitError and exc.message == "Odd"


def test_server_messages_are_cleaned_and_bounded():
    body = shape_a(400, "Bad Request", "line one\n\x1b[2Jline two\u202e" + "x" * 1000)
    exc = parse_error(response(400, body))
    assert "\x1b" not in exc.message and "\n" not in exc.message and "\u202e" not in exc.message
    assert len(exc.message) <= 300


def test_excerpt_rules():
    assert excerpt(b"") == "(empty body)"
    assert excerpt(b"   \n ") == "(empty body)"
    assert excerpt(b"<p>a</p>\n\n<p>b</p>") == "a b"
    assert excerpt("x" * 500) == "x" * 199 + "…"
    assert len(excerpt("<b>" + "word " * 200 + "</b>")) <= 200
    assert excerpt(b"ok\x00\x07\x1b[31mred\x7f\xc2\x9b") == "ok[31mred"
    assert excerpt(b"\xff\xfe broken utf8") == "\ufffd\ufffd broken utf8"
    assert excerpt("a < b > c") == "a < b > c"  # not HTML: left alone


@settings(max_examples=200, deadline=None)
@given(status=st.integers(100, 599), raw=st.binary(max_size=300))
def test_parse_error_never_raises_on_arbitrary_bytes(status, raw):
    exc = parse_error(response(status, raw=raw))
    assert isinstance(exc, SendKitError)
    assert str(exc) and explain(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["error", "message", "code", "details", "errors", "field", "leadId"])
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from([200, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
    body=json_values,
)
def test_parse_error_never_raises_on_arbitrary_json(status, body):
    exc = parse_error(response(status, body))
    assert isinstance(exc, SendKitError)
    assert exc.message is None or (isinstance(exc.message, str) and exc.message)
    assert isinstance(explain(exc), str) and explain(exc)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in exc.field_errors.items())


# -- transport failures --------------------------------------------------------------------

TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
REQUEST = httpx.Request("POST", "https://api.sendkit.ai/v1/leads")


@pytest.mark.parametrize(
    ("exc", "create", "cls", "sent", "message"),
    [
        (httpx.ConnectError("refused"), False, TransportError, False, "Could not connect to h."),
        (httpx.ConnectError("refused"), True, TransportError, False, "Could not connect to h."),
        (
            httpx.ConnectTimeout("t"),
            True,
            TransportError,
            False,
            "Could not connect to h within 5 seconds.",
        ),
        (
            httpx.ReadTimeout("t"),
            False,
            TransportError,
            True,
            "h did not answer within 30 seconds.",
        ),
        (
            httpx.ReadTimeout("t"),
            True,
            OutcomeUnknown,
            True,
            OUTCOME_UNKNOWN,  # what a user reads: the request may or may not have been saved
        ),
        (
            httpx.RemoteProtocolError("x"),
            True,
            OutcomeUnknown,
            True,
            OUTCOME_UNKNOWN,  # what a user reads: the request may or may not have been saved
        ),
        (
            httpx.ReadError("reset"),
            False,
            TransportError,
            True,
            "The connection to h was lost before an answer came.",
        ),
    ],
)
def test_error_from_exception(exc, create, cls, sent, message):
    err = error_from_exception(exc, host="h", timeout=TIMEOUT, create=create)
    assert type(err) is cls
    assert err.sent is sent
    assert explain(err) == message
    assert (err.host, err.exception, err.message) == ("h", type(exc).__name__, None)
    assert isinstance(err.failure, Failure)
    assert err.status is None
    assert err.ambiguous is (cls is OutcomeUnknown)


def test_redact_scrubs_every_text_attribute():
    secret = "sk_live_SECRET_0123456789"
    exc = ValidationFailed(
        f"bad key {secret}",
        code=secret,
        field_errors={"email": f"x {secret}"},
        details=[{"k": secret}, (secret,)],
    )
    exc.redact(secret, "sk_l…6789")
    dump = repr((str(exc), repr(exc), exc.args, exc.code, exc.field_errors, exc.details))
    assert secret not in dump
    assert "sk_l…6789" in str(exc)
