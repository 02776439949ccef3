"""explain(): every error the code can raise, worded once.

Each kind of error is made the way the code makes it (``parse_error`` on a response,
``error_from_exception`` on an httpx failure, or the client itself for redirects, wrong
bodies and stuck paging). For each, the sentence a user reads must not say a clause twice
(nor "(HTTP nnn)"), must be one or two sentences, and must never show a key-shaped string,
even when the server echoes one back.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendkit_tui.api import (
    AuthError,
    BadResponse,
    Conflict,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    SendKitClient,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
    parse_error,
)
from sendkit_tui.api.error_mapping import error_from_exception
from sendkit_tui.api.errors import Failure
from sendkit_tui.domain.wording import OUTCOME_UNKNOWN, explain, retryable
from sendkit_tui.identity import KEY_LIKE

KEY = "sk_test_WORDINGKEY_0123456789abcdef"  # fake, shaped like a real key
ECHOED = "sk_live_ECHOEDBYSERVER_9876543210"  # a key-shaped string the server sends back
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
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


def shape_a(status: int, phrase: str, message: str | None = None) -> dict:
    body: dict = {"error": phrase, "code": status}
    if message is not None:
        body["message"] = message
    return body


def shape_b(code: str, message: str | None = None, **extra) -> dict:
    error: dict = {"code": code, **extra}
    if message is not None:
        error["message"] = message
    return {"success": False, "error": error}


DETAILS = [
    {"field": "email", "message": "Enter an email address like name@example.com."},
    {"field": "firstName", "message": "A value is at most 100 characters."},
    {"field": "lastName", "message": "A value is at most 100 characters."},
    {"field": "phoneNumber", "message": "Phone may hold digits, spaces and + - ( )."},
    {"field": "customFields.plan", "message": "A value is at most 10,000 characters."},
]

RESPONSES: dict[str, httpx.Response] = {
    # shape A, every status the API uses, with the server's own words
    **{
        f"A {status}": response(status, shape_a(status, phrase, f"Something about {phrase}."))
        for status, phrase in [
            (400, "Bad Request"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (409, "Conflict"),
            (418, "I'm a teapot"),
            (422, "Unprocessable Entity"),
            (429, "Too Many Requests"),
            (500, "Internal Server Error"),
            (502, "Bad Gateway"),
            (503, "Service Unavailable"),
            (504, "Gateway Timeout"),
        ]
    },
    # shape A whose message only restates the status
    "A 401 restated": response(401, shape_a(401, "Unauthorized", "Unauthorized")),
    "A 404 route missing": response(404, shape_a(404, "Not Found", "Route not found")),
    "A 409 create": response(409, shape_a(409, "Conflict", "Lead exists"), method="POST"),
    "A 429 Retry-After": response(
        429, shape_a(429, "Too Many Requests", "Slow down."), headers={"Retry-After": "7"}
    ),
    "A 500 sandbox": response(
        500,
        shape_a(500, "Internal Server Error", "Simulated 500 Internal Server Error."),
    ),
    # shape B
    "B 400 validation": response(
        400, shape_b("VALIDATION_ERROR", "Validation failed", details=DETAILS)
    ),
    "B 422 validation, no message": response(422, shape_b("VALIDATION_ERROR", details=DETAILS)),
    "B 422 validation, dict": response(
        422, shape_b("VALIDATION_ERROR", "Bad", details={"city": "Too long"})
    ),
    "B 400 email immutable": response(400, shape_b("EMAIL_IMMUTABLE", "Email cannot be changed.")),
    "B 400 campaigns": response(
        400,
        shape_b(
            "LEADS_IN_ACTIVE_CAMPAIGNS",
            "Some leads are in active campaigns.",
            details={"campaigns": [{"id": "c1", "name": "Spring"}]},
        ),
    ),
    "B 401": response(401, shape_b("UNAUTHORIZED", "Invalid API key")),
    "B 403": response(403, shape_b("FORBIDDEN", "This key cannot delete leads.")),
    "B 404 lead": response(404, shape_b("NOT_FOUND", "Lead not found")),
    "B 404 no message": response(404, shape_b("NOT_FOUND")),
    "B 409 duplicate": response(
        409,
        shape_b("DUPLICATE_EMAIL", "A lead with this email already exists.", leadId="665d"),
        method="POST",
    ),
    "B 429": response(429, shape_b("RATE_LIMITED", "Too many requests")),
    "B 500": response(500, shape_b("INTERNAL_ERROR", "Unexpected server error")),
    "B 500 no message": response(500, shape_b("BOOM")),
    "B 503 Retry-After": response(
        503, shape_b("UNAVAILABLE", "Down for maintenance."), headers={"Retry-After": "30"}
    ),
    "B 418 no message": response(418, {"error": {"code": "TEAPOT"}}),
    "B in a 200": response(200, shape_b("NOT_FOUND", "Gone")),
    "B odd code in a 200": response(200, shape_b("SOMETHING_ODD", "Odd")),
    "A 403 in a 200": response(200, shape_a(403, "Forbidden", "No")),
    # no envelope at all
    "429 Retry-After, no body": response(429, raw=b"", headers={"Retry-After": "0.4"}),
    "429 HTML": response(429, raw=b"<html>429</html>", headers={"Retry-After": "2.5"}),
    "429 no Retry-After": response(429, {"error": "Too Many Requests"}),
    "401 HTML": response(401, raw=b"<html><body>401 Authorization Required</body></html>"),
    "403 HTML": response(403, raw=b"<html>403</html>"),
    "404 HTML": response(404, raw=b"<html><body>Cannot GET /v1/leads/x</body></html>"),
    "404 other JSON": response(404, {"detail": "Not Found"}),
    "502 HTML": response(502, raw=HTML_502.encode()),
    "200 HTML": response(200, raw=b"<html><body>Welcome to nginx</body></html>"),
    "500 JSON list": response(500, [1, 2, 3]),
    "400 JSON, no envelope": response(400, {"weird": True}),
    "503 HTML Retry-After": response(503, raw=b"<p>Busy</p>", headers={"Retry-After": "5"}),
    **{f"{status} empty": response(status, raw=b"") for status in (200, 400, 409, 500, 503)},
    **{
        f"{status} truncated": response(status, raw=b'{"success": false, "error": {"code": "NO')
        for status in (200, 400, 500)
    },
}

TRANSPORT_FAILURES = [
    httpx.ConnectError("[Errno 111] Connection refused"),
    httpx.ConnectTimeout("timed out"),
    httpx.PoolTimeout("pool"),
    httpx.UnsupportedProtocol("bad scheme"),
    httpx.ProxyError("proxy"),
    httpx.LocalProtocolError("bad header"),
    httpx.ReadTimeout("timed out"),
    httpx.WriteTimeout("timed out"),
    httpx.WriteError("broken pipe"),
    httpx.ReadError("reset"),
    httpx.RemoteProtocolError("peer closed"),
    httpx.DecodingError("bad gzip"),
]


def _through_the_client(reply: Callable[[httpx.Request], httpx.Response], call) -> SendKitError:
    """The error the real client raises for ``reply`` (no retries, no sleeping)."""

    async def run() -> SendKitError:
        async def no_sleep(_seconds: float) -> None:
            return None

        transport = httpx.MockTransport(reply)
        client = SendKitClient(KEY, transport=transport, max_retries=0, sleep=no_sleep)
        try:
            await call(client)
        except SendKitError as error:
            return error
        finally:
            await client.aclose()
        raise AssertionError("no error raised")

    return asyncio.run(run())


async def _all_pages(client: SendKitClient) -> None:
    async for _page in client.iter_pages():
        pass


def _client_made() -> dict[str, SendKitError]:
    lead = {"_id": "665d4e5f6a7b8c9d0e1f2a3b", "email": "jane@acme.com"}
    return {
        "redirect": _through_the_client(
            lambda r: httpx.Response(302, headers={"Location": "https://elsewhere.example/"}),
            lambda c: c.get_lead("x"),
        ),
        "2xx wrong shape": _through_the_client(
            lambda r: httpx.Response(200, json={"success": True, "data": {"_id": "x"}}),
            lambda c: c.get_lead("x"),
        ),
        "stuck paging": _through_the_client(
            lambda r: httpx.Response(
                200, json={"success": True, "data": [lead], "pagination": {"hasMore": True}}
            ),
            _all_pages,
        ),
        "connect refused via client": _through_the_client(
            lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")),
            lambda c: c.get_lead("x"),
        ),
        "read timeout on create via client": _through_the_client(
            lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")),
            lambda c: c.create_lead({"email": "a@b.co"}),
        ),
    }


def every_error() -> dict[str, BaseException]:
    """Every kind of error, named; each made the way the code makes it."""
    errors: dict[str, BaseException] = {name: parse_error(r) for name, r in RESPONSES.items()}
    for exc in TRANSPORT_FAILURES:
        for create in (False, True):
            name = f"{type(exc).__name__}{' on create' if create else ''}"
            errors[name] = error_from_exception(
                exc, host="api.sendkit.ai", timeout=TIMEOUT, create=create
            )
    errors.update(_client_made())
    errors["TransportError, no facts"] = TransportError()
    errors["OutcomeUnknown, no facts"] = OutcomeUnknown()
    errors["SendKitError, no facts"] = SendKitError()
    errors["insecure base URL"] = InsecureBaseURL("Use https:// for a remote host.")
    errors["not ours"] = KeyError("x")
    return errors


ERRORS = every_error()

# -- the checks, written independently of the module under test --------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_CLAUSE_END = re.compile(r"[.;:!?,…](?:\s+|$)")


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def normalised_clauses(text: str) -> list[str]:
    text = re.sub(r"\(HTTP \d{3}\)", " ", text)
    parts = (" ".join(re.findall(r"[^\W_]+", part.casefold())) for part in _CLAUSE_END.split(text))
    return [part for part in parts if part]


def assert_worded_once(said: str) -> None:
    assert said and "\n" not in said, said
    assert said == said.strip(), said
    clauses = normalised_clauses(said)
    assert len(clauses) == len(set(clauses)), f"a clause is said twice: {said!r}"
    assert len(re.findall(r"HTTP \d{3}", said)) <= 1, said
    assert 1 <= len(sentences(said)) <= 2, said
    assert not KEY_LIKE.search(said), said
    assert len(said) < 400, said


def test_every_kind_is_enumerated():
    kinds = {type(error) for error in ERRORS.values()}
    raised = {
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
        InsecureBaseURL,
    }
    assert raised <= kinds
    assert {e.failure for e in ERRORS.values() if isinstance(e, TransportError)} >= set(Failure)
    assert any(isinstance(e, NotFound) and e.route_missing for e in ERRORS.values())
    assert any(isinstance(e, AuthError) and e.forbidden for e in ERRORS.values())
    assert any(isinstance(e, RateLimited) and e.retry_after for e in ERRORS.values())
    assert any(isinstance(e, RateLimited) and not e.retry_after for e in ERRORS.values())


@pytest.mark.parametrize("name", list(ERRORS))
def test_each_error_is_worded_once(name):
    assert_worded_once(explain(ERRORS[name]))


@pytest.mark.parametrize("name", [n for n, e in ERRORS.items() if isinstance(e, SendKitError)])
def test_str_is_a_short_neutral_summary(name):
    error = ERRORS[name]
    text = str(error)
    assert text and "\n" not in text and len(text) < 500
    assert text != explain(error)  # the facts, not the sentence


# -- the server echoes a key -------------------------------------------------------------

keys = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["sk_", "sk_live_", "sk_test_", "sk_user_"]),
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
        min_size=12,
        max_size=40,
    ),
)


def _echoing(key: str) -> list[httpx.Response]:
    said = f"The key {key} is not valid"
    return [
        response(401, shape_a(401, "Unauthorized", said)),
        response(403, shape_b("FORBIDDEN", said)),
        response(400, shape_b(key, said, details=[{"field": "email", "message": said}])),
        response(422, shape_b("VALIDATION_ERROR", details=[{"field": key, "message": said}])),
        response(404, shape_b("NOT_FOUND", said)),
        response(409, shape_b("DUPLICATE_EMAIL", said, leadId=key), method="POST"),
        response(429, shape_a(429, "Too Many Requests", said)),
        response(500, shape_b("INTERNAL_ERROR", said)),
        response(418, shape_b("TEAPOT", said)),
        response(502, raw=f"<html><body>{said}</body></html>".encode()),
        response(200, raw=f'{{"success": false, "error": "{said}'.encode()),
        response(200, shape_b("SOMETHING", said)),
    ]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(key=keys)
def test_a_key_the_server_echoes_is_never_shown(key):
    assert KEY_LIKE.search(key)
    for reply in _echoing(key):
        said = explain(parse_error(reply))
        assert not KEY_LIKE.search(said), said
        assert key not in said


def test_an_echoed_key_is_shown_masked():
    said = explain(parse_error(response(401, shape_a(401, "Unauthorized", f"Bad key {ECHOED}"))))
    assert said == "SendKit did not accept the API key (HTTP 401): Bad key sk_l…3210."


# -- whatever the server says, the sentence holds ---------------------------------------

server_words = st.text(alphabet="abcdefghij klmnop", min_size=0, max_size=60)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    status=st.sampled_from([200, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503]),
    shape=st.sampled_from(["A", "B"]),
    message=st.none() | server_words,
    code=st.sampled_from(
        ["VALIDATION_ERROR", "NOT_FOUND", "DUPLICATE_EMAIL", "RATE_LIMITED", "UNAUTHORIZED", "X"]
    ),
    fields=st.dictionaries(st.sampled_from(["email", "city", "tags"]), server_words, max_size=3),
    retry_after=st.none() | st.sampled_from(["0", "1", "2.5", "90"]),
)
def test_any_envelope_is_worded_once(status, shape, message, code, fields, retry_after):
    details = [{"field": k, "message": v} for k, v in fields.items()]
    if shape == "A":
        body: dict = shape_a(status, code, message)
        body["errors"] = details
    else:
        body = shape_b(code, message, details=details)
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    assert_worded_once(explain(parse_error(response(status, body, headers=headers))))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(status=st.integers(200, 599), raw=st.binary(max_size=200))
def test_any_body_is_explained_in_at_most_two_sentences_without_a_key(status, raw):
    said = explain(parse_error(response(status, raw=raw)))  # the excerpt is quoted as it came
    assert said and "\n" not in said and not KEY_LIKE.search(said)
    assert re.findall(r"HTTP \d{3}", said) == [f"HTTP {status}"]


# -- what users read, case by case ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("A 401 restated", "SendKit did not accept the API key (HTTP 401)."),
        ("B 401", "SendKit did not accept the API key (HTTP 401): Invalid API key."),
        ("403 HTML", "This API key is not allowed to do that (HTTP 403)."),
        (
            "B 403",
            "This API key is not allowed to do that (HTTP 403): This key cannot delete leads.",
        ),
        ("B 404 lead", "Lead not found."),
        ("B 404 no message", "SendKit could not find that (HTTP 404)."),
        ("A 404 route missing", "This server does not seem to offer that endpoint (HTTP 404)."),
        ("B 409 duplicate", "A lead with this email already exists."),
        ("A 409", "Something about Conflict."),
        ("B 400 email immutable", "Email cannot be changed."),
        (
            "B 400 validation",
            "Validation failed: email: Enter an email address like name@example.com; "
            "firstName, lastName: A value is at most 100 characters; "
            "phone: Phone may hold digits, spaces and + - ( ); and 1 more.",
        ),
        ("B 422 validation, dict", "Bad: city: Too long."),
        ("429 no Retry-After", "SendKit is rate limiting this key (HTTP 429)."),
        (
            "429 Retry-After, no body",
            "SendKit is rate limiting this key (HTTP 429). Try again in 1 second.",
        ),
        ("429 HTML", "SendKit is rate limiting this key (HTTP 429). Try again in 3 seconds."),
        ("B 500", "SendKit had a problem (HTTP 500): Unexpected server error."),
        ("B 500 no message", "SendKit had a problem (HTTP 500)."),
        ("B 418 no message", "SendKit answered with HTTP 418."),
        ("B odd code in a 200", "Odd."),
        (
            "502 HTML",
            "The server sent a response that is not SendKit JSON (HTTP 502): 502 Bad Gateway nginx",
        ),
        (
            "200 empty",
            "The server sent a response that is not SendKit JSON (HTTP 200): (empty body)",
        ),
        ("ConnectError", "Could not connect to api.sendkit.ai."),
        ("ConnectTimeout", "Could not connect to api.sendkit.ai within 5 seconds."),
        ("PoolTimeout", "Too many requests to api.sendkit.ai at once; none could start in time."),
        ("ProxyError", "Could not send the request to api.sendkit.ai."),
        ("ReadTimeout", "api.sendkit.ai did not answer within 30 seconds."),
        ("WriteError", "Sending the request to api.sendkit.ai failed part-way."),
        ("RemoteProtocolError", "The connection to api.sendkit.ai was lost before an answer came."),
        ("ReadTimeout on create", OUTCOME_UNKNOWN),
        (
            "DecodingError",
            "The server sent a response from api.sendkit.ai that could not be decoded.",
        ),
        (
            "redirect",
            "The server answered with a redirect (HTTP 302) to https://elsewhere.example/; "
            "check the base URL.",
        ),
        ("read timeout on create via client", OUTCOME_UNKNOWN),
        ("TransportError, no facts", "Could not reach SendKit."),
        ("SendKitError, no facts", "SendKit reported an error."),
        ("insecure base URL", "Use https:// for a remote host."),
        ("not ours", "Unexpected error: KeyError: 'x'"),
    ],
)
def test_what_users_read(name, said):
    assert explain(ERRORS[name]) == said


@pytest.mark.parametrize(
    "words", ["[/", "[" * 30 + "]" * 30, "漢字 \uff57\uff49\uff44\uff45 🎉", "¿Qué pasó?"]
)
@pytest.mark.parametrize(
    "reply",
    [
        lambda w: response(500, shape_b("INTERNAL_ERROR", w)),
        lambda w: response(401, shape_b("UNAUTHORIZED", w)),
        lambda w: response(404, shape_b("NOT_FOUND", w)),
        lambda w: response(409, shape_b("DUPLICATE_EMAIL", w), method="POST"),
        lambda w: response(400, shape_b("VALIDATION_ERROR", w)),
        lambda w: response(200, shape_b("ODD", w)),
    ],
)
def test_server_words_without_latin_letters_are_shown(words, reply):
    said = explain(parse_error(reply(words)))
    assert words in said
    assert_worded_once(said)


def test_the_old_double_wording_is_gone():
    said = explain(parse_error(response(401, raw=b"")))
    assert said == "SendKit did not accept the API key (HTTP 401)."
    assert said.count("API key") == 1


def test_the_facts_behind_the_words():
    error = ERRORS["429 HTML"]
    assert (error.status, error.retry_after, error.excerpt, error.message) == (
        429,
        2.5,
        "429",
        None,
    )
    error = ERRORS["ReadTimeout on create"]
    assert (error.failure, error.timeout, error.sent, error.ambiguous) == (
        Failure.READ_TIMEOUT,
        30.0,
        True,
        True,
    )
    error = ERRORS["2xx wrong shape"]
    assert isinstance(error, BadResponse) and error.problem and error.excerpt.startswith("{")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("B 401", False),
        ("B 403", False),
        ("B 404 lead", False),
        ("B 409 duplicate", False),
        ("B 400 validation", False),
        ("B odd code in a 200", False),
        ("not ours", False),
        ("B 429", True),
        ("B 500", True),
        ("502 HTML", True),
        ("ConnectError", True),
        ("ReadTimeout", True),
        ("ReadTimeout on create", True),
    ],
)
def test_retryable(name, expected):
    assert retryable(ERRORS[name]) is expected


def test_wording_loads_no_textual():
    code = (
        "import sys, sendkit_tui.domain.wording\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
