"""SendKitClient over httpx.MockTransport: routes, headers, bodies, paging, key safety."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
import pytest

from sendkit_tui import __version__
from sendkit_tui.api import (
    DEFAULT_BASE_URL,
    Account,
    BadResponse,
    BulkResult,
    Conflict,
    InsecureBaseURL,
    Lead,
    LeadInput,
    NotFound,
    Page,
    SendKitClient,
    SendKitError,
    ValidationFailed,
    Workspace,
)
from sendkit_tui.domain.wording import explain

KEY = "sk_test_SECRETKEY_0123456789abcdef"
PLATFORM_KEY = "sk_user_SECRETPLATFORM_0123456789abcdef"
LEAD = {"_id": "665d4e5f6a7b8c9d0e1f2a3b", "email": "jane@acme.com", "firstName": "Jane"}


def lead(i: int, email: str | None = None) -> dict:
    return {"_id": f"{i:024x}", "email": email or f"lead{i}@example.com"}


class Server:
    """Records requests; ``reply`` maps a request to (status, json body) or an httpx.Response."""

    def __init__(self, reply: Callable[[httpx.Request], object] | None = None):
        self.reply = reply or (lambda request: (200, {"success": True, "data": LEAD}))
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        out = self.reply(request)
        if isinstance(out, httpx.Response):
            return out
        status, body = out
        return httpx.Response(status, json=body)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> object:
        return json.loads(self.requests[index].content)


async def _no_sleep(delay: float) -> None:
    return None


def client_for(server: Server, key: str = KEY, **kw) -> SendKitClient:
    return SendKitClient(key, transport=httpx.MockTransport(server), sleep=_no_sleep, **kw)


# -- construction ---------------------------------------------------------------------------


def test_defaults():
    client = SendKitClient(KEY)
    assert client.base_url == DEFAULT_BASE_URL == "https://api.sendkit.ai"
    assert client.key_kind == "workspace"
    assert client.workspace_id is None
    assert client.max_retries == 3
    assert client.timeout == httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
    assert SendKitClient(PLATFORM_KEY).key_kind == "platform"


def test_repr_masks_the_key():
    text = repr(SendKitClient(KEY, workspace_id="w1"))
    assert KEY not in text
    assert "sk_t…cdef" in text and "w1" in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.sendkit.ai/", "https://api.sendkit.ai"),
        ("https://api.sendkit.ai///", "https://api.sendkit.ai"),
        ("https://api.sendkit.ai/v1/", "https://api.sendkit.ai"),
        ("https://proxy.example.com/sendkit", "https://proxy.example.com/sendkit"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://127.1.2.3", "http://127.1.2.3"),
        ("http://[::1]:9000", "http://[::1]:9000"),
        ("HTTPS://API.SENDKIT.AI", "https://API.SENDKIT.AI"),
    ],
)
def test_accepted_base_urls(url, expected):
    assert SendKitClient(KEY, base_url=url).base_url == expected


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://api.sendkit.ai", "api.sendkit.ai"),
        ("http://127.evil.example.com", "127.evil.example.com"),
        ("http://10.0.0.5:8080", "10.0.0.5"),
        ("http://localhost.example.com", "localhost.example.com"),
    ],
)
def test_plain_http_is_refused_except_for_loopback(url, host):
    with pytest.raises(InsecureBaseURL) as info:
        SendKitClient(KEY, base_url=url)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == (
        f"Refusing to send the API key over plain http:// to {host}; use https:// "
        "(plain http is allowed only for localhost)."
    )
    assert KEY not in str(info.value)


@pytest.mark.parametrize("url", ["ftp://x.io", "api.sendkit.ai", "", "https://x.io?a=1"])
def test_malformed_base_urls(url):
    with pytest.raises(ValueError):
        SendKitClient(KEY, base_url=url)


@pytest.mark.parametrize("key", ["", "   ", "sk_test_abc\ndef", "sk_test_ünïcode_key", "sk te st"])
def test_unusable_keys_are_refused_without_echoing_them(key):
    with pytest.raises(ValueError) as info:
        SendKitClient(key)
    if key.strip():
        assert key.strip() not in str(info.value)


# -- headers ------------------------------------------------------------------------------


async def test_auth_and_standard_headers():
    server = Server()
    async with client_for(server) as client:
        await client.get_lead("abc")
        await client.create_lead({"email": "jane@acme.com"})
    get, post = server.requests
    for request in (get, post):
        assert request.headers["X-Api-Key"] == KEY
        assert request.headers["Authorization"] == f"Bearer {KEY}"
        assert request.headers["Accept"] == "application/json"
        assert request.headers["User-Agent"] == f"sendkit-tui/{__version__}"
        assert "X-Workspace-Id" not in request.headers
    assert "Content-Type" not in get.headers
    assert post.headers["Content-Type"] == "application/json"


async def test_workspace_key_never_sends_a_workspace_id():
    server = Server()
    client = client_for(server, workspace_id="w1")
    await client.get_lead("abc")
    assert "X-Workspace-Id" not in server.last.headers


async def test_platform_key_sends_workspace_id_only_on_workspace_routes():
    def reply(request):
        if request.url.path == "/v1/account":
            return 200, {"success": True, "data": {"id": "u1", "workspaces": []}}
        if request.url.path == "/v1/workspaces":
            return 200, {"success": True, "data": [{"id": "w1", "name": "One"}]}
        if request.url.path == "/v1/leads" and request.method == "GET":
            return 200, {"success": True, "data": [], "pagination": {"hasMore": False}}
        return 200, {"success": True, "data": LEAD}

    server = Server(reply)
    client = client_for(server, key=PLATFORM_KEY)
    assert client.key_kind == "platform"
    await client.get_account()
    await client.list_workspaces()
    assert all("X-Workspace-Id" not in r.headers for r in server.requests)
    client.workspace_id = " w1 "
    await client.list_leads()
    await client.update_lead("abc", {"city": "Austin"})
    assert [r.headers["X-Workspace-Id"] for r in server.requests[2:]] == ["w1", "w1"]
    await client.get_account()
    assert "X-Workspace-Id" not in server.last.headers


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_leads(),
        lambda c: c.get_lead("x"),
        lambda c: c.create_lead({"email": "a@b.co"}),
        lambda c: c.update_lead("x", {"city": "A"}),
        lambda c: c.delete_leads(["x"]),
        lambda c: c.bulk_create([{"email": "a@b.co"}]),
    ],
)
async def test_platform_key_without_workspace_is_refused_before_sending(call):
    server = Server()
    with pytest.raises(ValueError) as info:
        await call(client_for(server, key=PLATFORM_KEY))
    assert str(info.value) == (
        "Choose a workspace first: platform keys (sk_user_…) need a workspace id."
    )
    assert server.requests == []


# -- leads ------------------------------------------------------------------------------


async def test_create_lead_from_dict_and_model():
    server = Server(lambda r: (201, {"success": True, "data": dict(LEAD, phoneNumber="+1 5")}))
    client = client_for(server)
    created = await client.create_lead(
        {"email": "jane@acme.com", "phone": "+1 5", "lastName": None, "tags": ["vip"]}
    )
    assert isinstance(created, Lead) and created.phone_number == "+1 5"
    assert server.last.method == "POST" and server.last.url.path == "/v1/leads"
    assert server.body() == {"email": "jane@acme.com", "phone": "+1 5", "tags": ["vip"]}
    await client.create_lead(LeadInput(email="b@acme.com", custom_fields={"k": "v"}))
    assert server.body() == {"email": "b@acme.com", "customFields": {"k": "v"}}


@pytest.mark.parametrize(
    "patch",
    [
        {"city": "Austin"},
        {"firstName": None, "tags": []},
        {"customFields": {"plan": None, "new": "x"}},
        {"email": "other@acme.com"},  # sent as given; the server decides (400 EMAIL_IMMUTABLE)
        {"tags": ["a", "B"], "phone": "", "linkedinUrl": None, "zzz": {"nested": [1, None]}},
    ],
)
async def test_update_lead_sends_the_patch_exactly(patch):
    server = Server()
    updated = await client_for(server).update_lead("665d", patch)
    assert isinstance(updated, Lead)
    assert server.last.method == "PATCH"
    assert server.last.url.path == "/v1/leads/665d"
    assert server.body() == patch
    assert list(server.body()) == list(patch)


async def test_update_lead_refuses_an_empty_patch_without_sending():
    server = Server()
    with pytest.raises(ValueError):
        await client_for(server).update_lead("665d", {})
    assert server.requests == []


async def test_lead_ids_cannot_escape_the_route():
    server = Server()
    client = client_for(server)
    await client.get_lead("../account")
    assert server.last.url.raw_path == b"/v1/leads/..%2Faccount"
    with pytest.raises(ValueError):
        await client.get_lead("  ")


async def test_list_leads_query_parameters():
    server = Server(lambda r: (200, {"success": True, "data": [LEAD], "pagination": {}}))
    client = client_for(server)
    page = await client.list_leads()
    assert dict(server.last.url.params) == {"limit": "25"}
    assert isinstance(page, Page) and page.items[0].first_name == "Jane"
    await client.list_leads(
        search="jane", tags=["vip", "new lead"], email_verified=False, limit=100, cursor="abc"
    )
    assert dict(server.last.url.params) == {
        "limit": "100",
        "search": "jane",
        "tags": "vip,new lead",
        "emailVerified": "false",
        "cursor": "abc",
    }
    await client.list_leads(email_verified=True, page=3)
    assert server.last.url.params["emailVerified"] == "true"
    assert server.last.url.params["page"] == "3"


@pytest.mark.parametrize("limit", [0, 101, -5, True])
async def test_list_limit_bounds(limit):
    with pytest.raises(ValueError):
        await client_for(Server()).list_leads(limit=limit)


def cursor_server(total: int, hidden: range | None = None):
    """Newest first; cursor = last _id scanned. Leads in ``hidden`` are scanned but filtered
    out, so pages come back short (or empty) while ``hasMore`` is still true."""
    leads = [lead(i) for i in range(total, 0, -1)]
    ids = [x["_id"] for x in leads]
    hidden_ids = {leads[i]["_id"] for i in (hidden or range(0))}

    def reply(request):
        limit = int(request.url.params["limit"])
        cursor = request.url.params.get("cursor")
        start = 0 if cursor is None else ids.index(cursor) + 1
        scanned = leads[start : start + limit]
        end = start + len(scanned)
        pagination = {
            "limit": limit,
            "total": total - len(hidden_ids),
            "hasMore": end < total,
            "nextCursor": ids[end - 1] if end else None,
        }
        data = [x for x in scanned if x["_id"] not in hidden_ids]
        return 200, {"success": True, "data": data, "pagination": pagination}

    return Server(reply), [x for x in leads if x["_id"] not in hidden_ids]


async def test_iter_leads_follows_the_cursor_over_short_and_empty_pages():
    server, visible = cursor_server(450, hidden=range(150, 300))  # page 2 short, page 3 empty
    pages = [p async for p in client_for(server).iter_pages(limit=100)]
    assert [len(p.items) for p in pages] == [100, 50, 0, 100, 50]
    seen = [x.id async for x in client_for(server).iter_leads(limit=100)]
    assert seen == [x["_id"] for x in visible]
    assert "cursor" not in server.requests[0].url.params


async def test_iter_leads_stops_on_has_more_false_even_with_a_cursor():
    server, _ = cursor_server(10)
    seen = [x async for x in client_for(server).iter_leads(limit=100)]
    assert len(seen) == 10 and len(server.requests) == 1


async def test_iter_leads_understands_the_older_page_form():
    leads = [lead(i) for i in range(1, 8)]

    def reply(request):
        page = int(request.url.params.get("page", "1"))
        chunk = leads[(page - 1) * 3 : page * 3]
        return 200, {
            "success": True,
            "data": chunk,
            "pagination": {"page": page, "limit": 3, "total": 7, "pages": 3},
        }

    server = Server(reply)
    seen = [x.id async for x in client_for(server).iter_leads(limit=3)]
    assert seen == [x["_id"] for x in leads]
    assert [r.url.params.get("page") for r in server.requests] == [None, "2", "3"]


@pytest.mark.parametrize(
    "pagination",
    [
        {"hasMore": True, "nextCursor": "same"},
        {"hasMore": True},
        {"page": 1, "pages": 3},
    ],
)
async def test_iter_leads_refuses_to_loop_forever(pagination):
    server = Server(lambda r: (200, {"success": True, "data": [LEAD], "pagination": pagination}))
    with pytest.raises(BadResponse):
        _ = [x async for x in client_for(server).iter_leads()]
    assert len(server.requests) <= 3


async def test_iter_leads_yields_each_id_once():
    pages = iter(
        [
            ([lead(1), lead(2)], {"hasMore": True, "nextCursor": "c1"}),
            ([lead(2), lead(3)], {"hasMore": False}),
        ]
    )

    def reply(request):
        data, pagination = next(pages)
        return 200, {"success": True, "data": data, "pagination": pagination}

    seen = [x.id async for x in client_for(Server(reply)).iter_leads()]
    assert seen == [lead(1)["_id"], lead(2)["_id"], lead(3)["_id"]]


async def test_find_lead_by_email_matches_exactly_and_case_insensitively():
    rows = [lead(1, "jane.doe@acme.com"), lead(2, "Jane@Acme.com"), lead(3, "xjane@acme.com")]
    server = Server(
        lambda r: (200, {"success": True, "data": rows, "pagination": {"hasMore": False}})
    )
    client = client_for(server)
    found = await client.find_lead_by_email("  JANE@acme.COM ")
    assert found is not None and found.id == lead(2)["_id"]
    assert server.last.url.params["search"] == "JANE@acme.COM"
    assert await client.find_lead_by_email("nobody@acme.com") is None
    assert await client.find_lead_by_email("   ") is None


async def test_find_lead_by_email_reads_at_most_a_few_pages():
    server, _ = cursor_server(1000)
    assert await client_for(server).find_lead_by_email("absent@example.com") is None
    assert len(server.requests) == 3


async def test_bulk_create():
    data = {
        "imported": 2,
        "updated": 0,
        "skipped": 1,
        "failed": 1,
        "importedLeadIds": ["a", "b"],
        "errors": [{"email": "bad", "error": "Invalid email format"}],
    }
    server = Server(lambda r: (200, {"success": True, "data": data}))
    client = client_for(server)
    rows = [{"email": "a@b.co", "plan": "pro"}, {"email": "bad"}]
    result = await client.bulk_create(rows, tag="import")
    assert isinstance(result, BulkResult) and result.imported_lead_ids == ["a", "b"]
    assert server.last.url.path == "/v1/leads/bulk"
    assert server.body() == {
        "leads": rows,
        "skipDuplicates": True,
        "dataCleanup": True,
        "tag": "import",
    }
    await client.bulk_create(rows, skip_duplicates=False, data_cleanup=False)
    assert server.body() == {"leads": rows, "skipDuplicates": False, "dataCleanup": False}


async def test_bulk_create_limits_are_checked_before_sending():
    server = Server()
    client = client_for(server)
    with pytest.raises(ValueError):
        await client.bulk_create([{"email": f"{i}@x.io"} for i in range(5001)])
    with pytest.raises(ValueError):
        await client.bulk_create([])
    assert server.requests == []


async def test_delete_leads():
    server = Server(lambda r: (200, {"success": True, "data": {"deletedCount": 2}}))
    client = client_for(server)
    assert await client.delete_leads(["a", "b"]) == 2
    assert server.last.method == "DELETE" and server.last.url.path == "/v1/leads"
    assert server.last.headers["Content-Type"] == "application/json"
    assert server.body() == {"leadIds": ["a", "b"], "force": False}
    await client.delete_leads(["a"], force=True)
    assert server.body() == {"leadIds": ["a"], "force": True}
    assert await client.delete_leads([]) == 0
    assert len(server.requests) == 2


async def test_account_and_workspaces():
    def reply(request):
        if request.url.path == "/v1/account":
            data = {"id": "u1", "name": "John", "email": "j@x.io", "tier": "starter"}
            data["workspaces"] = [{"workspaceId": "w1", "role": "owner", "joinedAt": "2024"}]
            return 200, {"success": True, "data": data}
        return 200, {"success": True, "data": [{"id": "w1", "name": "One", "memberCount": 3}]}

    client = client_for(Server(reply))
    account = await client.get_account()
    assert isinstance(account, Account) and account.workspaces[0].workspace_id == "w1"
    workspaces = await client.list_workspaces()
    assert isinstance(workspaces[0], Workspace) and workspaces[0].member_count == 3


async def test_errors_come_back_typed():
    def reply(request):
        if request.method == "POST":
            return 409, {
                "success": False,
                "error": {"code": "DUPLICATE_EMAIL", "message": "Exists", "leadId": "665d"},
            }
        if request.method == "PATCH":
            details = [{"field": "phone", "message": "Bad phone"}]
            err = {"code": "VALIDATION_ERROR", "message": "Invalid", "details": details}
            return 400, {"success": False, "error": err}
        return 404, {"error": "Not Found", "message": "Route not found", "code": 404}

    client = client_for(Server(reply))
    with pytest.raises(Conflict) as conflict:
        await client.create_lead({"email": "JANE@acme.com"})
    assert conflict.value.existing_lead_id == "665d"
    assert conflict.value.field_errors == {"email": "Exists"}
    with pytest.raises(ValidationFailed) as invalid:
        await client.update_lead("x", {"phone": "abc"})
    assert invalid.value.field_errors == {"phone": "Bad phone"}
    with pytest.raises(NotFound) as missing:
        await client.get_lead("x")
    assert missing.value.route_missing is True


# -- 2xx bodies that are not what they should be ---------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><body>Welcome to nginx</body></html>",
        b'{"success": true, "data": {"_id": "x", "ema',
        b"[1, 2]",
        b'{"success": true}',
        b'{"success": true, "data": []}',
        b'{"success": true, "data": {"_id": "x"}}',
        b'{"success": true, "data": {"_id": "x", "email": "a@b.co", "tags": "vip"}}',
    ],
)
async def test_2xx_with_a_wrong_body_is_a_bad_response(content):
    server = Server(lambda r: httpx.Response(200, content=content))
    with pytest.raises(BadResponse) as info:
        await client_for(server).get_lead("x")
    assert info.value.status == 200
    assert explain(info.value).startswith(
        "The server sent a response that is not SendKit JSON (HTTP 200): "
    )
    assert len(server.requests) == 1


async def test_2xx_bad_body_on_create_is_ambiguous():
    server = Server(lambda r: httpx.Response(201, content=b"<html>ok</html>"))
    with pytest.raises(BadResponse) as info:
        await client_for(server).create_lead({"email": "a@b.co"})
    assert info.value.ambiguous is True


async def test_2xx_with_success_false_raises_the_matching_error():
    body = {"success": False, "error": {"code": "NOT_FOUND", "message": "Lead not found"}}
    with pytest.raises(NotFound):
        await client_for(Server(lambda r: (200, body))).get_lead("x")


async def test_list_with_bad_pagination_is_a_bad_response():
    body = {"success": True, "data": [LEAD], "pagination": {"hasMore": "yes"}}
    with pytest.raises(BadResponse):
        await client_for(Server(lambda r: (200, body))).list_leads()


async def test_redirects_are_not_followed():
    server = Server(lambda r: httpx.Response(301, headers={"Location": "https://evil.example/"}))
    with pytest.raises(BadResponse) as info:
        await client_for(server).get_lead("x")
    assert "redirect" in explain(info.value) and len(server.requests) == 1


async def test_closing():
    client = client_for(Server())
    async with client:
        assert not client.is_closed
    assert client.is_closed


# -- the key never leaks ---------------------------------------------------------------------

ECHO = f"Invalid key {KEY} (Bearer {KEY})"
LEAK_REPLIES = [
    httpx.Response(401, json={"error": "Unauthorized", "message": ECHO, "code": 401}),
    httpx.Response(403, json={"success": False, "error": {"code": KEY, "message": ECHO}}),
    httpx.Response(400, json={"success": False, "error": {"code": "V", "details": {KEY: ECHO}}}),
    httpx.Response(400, json={"message": "x", "errors": [{"field": "email", "message": ECHO}]}),
    httpx.Response(404, content=f"<html>{ECHO}</html>".encode()),
    httpx.Response(409, json={"success": False, "error": {"message": ECHO, "leadId": KEY}}),
    httpx.Response(422, json={"error": "Unprocessable", "message": ECHO, "details": [ECHO]}),
    httpx.Response(429, json={"error": "Too Many", "message": ECHO}, headers={"Retry-After": "99"}),
    httpx.Response(500, content=ECHO.encode()),
    httpx.Response(502, content=f"<html><h1>{ECHO}</h1></html>".encode()),
    httpx.Response(503, json={"error": "Unavailable", "message": ECHO}),
    httpx.Response(504, content=b""),
    httpx.Response(418, json={"error": ECHO}),
    httpx.Response(200, content=f'{{"success": true, "data": "{KEY}"}}'.encode()),
    httpx.Response(200, content=f'{{"success": false, "error": "{ECHO}"}}'.encode()),
    httpx.Response(200, content=f'{{"success": true, "data": {{"_id": "{KEY}"'.encode()),
    httpx.Response(302, headers={"Location": f"https://evil.example/?k={KEY}"}),
]
LEAK_EXCEPTIONS = [
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.LocalProtocolError,
    httpx.PoolTimeout,
    httpx.DecodingError,
    httpx.ProxyError,
]
CALLS = {
    "get": lambda c: c.get_lead("x"),
    "list": lambda c: c.list_leads(),
    "create": lambda c: c.create_lead({"email": "a@b.co"}),
    "patch": lambda c: c.update_lead("x", {"city": "A"}),
    "delete": lambda c: c.delete_leads(["x"]),
    "bulk": lambda c: c.bulk_create([{"email": "a@b.co"}]),
    "account": lambda c: c.get_account(),
}


def assert_no_key(exc: BaseException, key: str) -> None:
    texts = [str(exc), repr(exc), repr(exc.args)]
    if isinstance(exc, SendKitError):
        texts += [explain(exc), repr(vars(exc))]
    for text in texts:
        assert key not in text, text
    cause = exc.__cause__
    assert cause is None or not isinstance(cause, httpx.HTTPError)
    assert exc.__suppress_context__ or not isinstance(exc.__context__, httpx.HTTPError)


@pytest.mark.parametrize("reply", LEAK_REPLIES, ids=lambda r: str(r.status_code))
@pytest.mark.parametrize("call", list(CALLS))
async def test_the_key_never_appears_in_errors_from_responses(reply, call, caplog):
    caplog.set_level(logging.DEBUG)
    for key in (KEY, PLATFORM_KEY):
        server = Server(lambda r: reply)
        client = client_for(server, key=key, workspace_id="w1")
        body = reply.content.replace(KEY.encode(), key.encode())
        server.reply = lambda r, body=body: httpx.Response(
            reply.status_code, content=body, headers=reply.headers
        )
        with pytest.raises(SendKitError) as info:
            await CALLS[call](client)
        assert_no_key(info.value, key)
    assert all(
        KEY not in r.getMessage() and PLATFORM_KEY not in r.getMessage() for r in caplog.records
    )


@pytest.mark.parametrize("exc", LEAK_EXCEPTIONS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("call", list(CALLS))
async def test_the_key_never_appears_in_errors_from_transport_failures(exc, call, caplog):
    caplog.set_level(logging.DEBUG)

    def reply(request):
        # httpx exceptions carry the request (and so the headers); some messages echo values.
        raise exc(f"boom {request.headers['X-Api-Key']} {request.headers}", request=request)

    with pytest.raises(SendKitError) as info:
        await CALLS[call](client_for(Server(reply)))
    assert_no_key(info.value, KEY)
    assert all(KEY not in r.getMessage() for r in caplog.records)
