"""Reliability of reading answers: a cap on their size and on the time they take, against the
real sandbox and a tiny local server that trickles or floods; list pages with bad items."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from sendkit_tui.api import OutcomeUnknown, SendKitClient
from sendkit_tui.api.limits import MAX_BODY_BYTES, ResponseTooLarge, ResponseTooSlow
from sendkit_tui.domain.wording import explain
from tests.ui_support import Sleeps, open_app

GUARD = 20.0  # s: a test that would hang without the caps fails after this instead


@dataclass
class Misbehaving:
    """A loopback HTTP server that answers every request with headers, then a body sent
    ``chunk`` bytes at a time every ``every`` seconds, without end, until the client leaves."""

    chunk: bytes
    every: float
    sent: int = 0
    closed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def serve(self) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._run, args=(listener,), daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    def _run(self, listener: socket.socket) -> None:
        with listener:
            listener.settimeout(GUARD)
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
                data = b"%x\r\n%s\r\n" % (len(self.chunk), self.chunk)
                try:
                    while not self.stop.is_set():
                        conn.sendall(data)
                        self.sent += len(self.chunk)
                        if self.every:
                            self.stop.wait(self.every)
                except OSError:
                    pass  # the client closed the connection: what the test waits for
                self.closed.set()


@pytest.fixture
def misbehaving() -> Iterator[list[Misbehaving]]:
    servers: list[Misbehaving] = []
    yield servers
    for server in servers:
        server.stop.set()


def client(url: str, key: str = "sk_" + "5a7e1e57" * 6, **options) -> SendKitClient:
    return SendKitClient(key, base_url=url, sleep=Sleeps(), **options)


async def test_a_trickling_answer_is_stopped_at_the_deadline(misbehaving) -> None:
    server = Misbehaving(chunk=b" ", every=0.05)  # a byte every 50 ms: no read ever times out
    misbehaving.append(server)
    async with client(server.serve(), response_deadline=1.0) as api:
        with pytest.raises(ResponseTooSlow) as caught:
            await asyncio.wait_for(api.list_lead_rows(limit=100), GUARD)
    assert caught.value.sent and caught.value.deadline == 1.0
    port = server_port(api)
    assert explain(caught.value) == (
        f"The answer from 127.0.0.1:{port} was still not complete after 1 second, so the "
        "request was stopped."
    )
    assert server.closed.wait(GUARD)  # the connection was let go, not left open


async def test_a_trickling_create_is_reported_as_maybe_done(misbehaving) -> None:
    server = Misbehaving(chunk=b" ", every=0.05)
    misbehaving.append(server)
    async with client(server.serve(), response_deadline=0.5) as api:
        with pytest.raises(OutcomeUnknown) as caught:
            await asyncio.wait_for(api.create_lead({"email": "a@b.co"}), GUARD)
    assert "may or may not have been saved" in explain(caught.value)


async def test_an_endless_answer_is_cut_at_the_size_cap(misbehaving) -> None:
    server = Misbehaving(chunk=b"x" * 65536, every=0)  # no Content-Length, no end
    misbehaving.append(server)
    async with client(server.serve(), max_body_bytes=1024 * 1024) as api:
        with pytest.raises(ResponseTooLarge) as caught:
            await asyncio.wait_for(api.list_lead_rows(limit=100), GUARD)
    assert explain(caught.value).endswith("is larger than 1 MB, so it was not read.")
    assert server.closed.wait(GUARD)
    assert server.sent < 16 * 1024 * 1024  # it stopped reading (socket buffers aside)


async def test_a_huge_page_from_the_sandbox_is_not_read(sandbox) -> None:
    # The sandbox's JSON fault answers with a body just over the default cap.
    pad = "x" * (MAX_BODY_BYTES + 1)
    sandbox.inject("json", path="/v1/leads", body={"success": True, "data": [], "pad": pad})
    async with client(sandbox.url, sandbox.api_key) as api:
        with pytest.raises(ResponseTooLarge) as caught:
            await asyncio.wait_for(api.list_lead_rows(limit=100), GUARD)
        assert caught.value.limit == MAX_BODY_BYTES == 20 * 1024 * 1024
        assert "is larger than 20 MB, so it was not read" in explain(caught.value)
        page = await api.list_lead_rows(limit=5)  # the next, normal answer reads as usual
    assert len(page.rows) == 5


async def test_a_slow_sandbox_answer_is_stopped_and_explained(sandbox) -> None:
    sandbox.inject("slow", path="/v1/leads", delay=3)
    async with client(sandbox.url, sandbox.api_key, response_deadline=0.5) as api:
        with pytest.raises(ResponseTooSlow):
            await asyncio.wait_for(api.list_lead_rows(limit=100), GUARD)


async def test_the_list_says_why_instead_of_loading_forever(sandbox, tmp_path) -> None:
    sandbox.inject("slow", path="/v1/leads", delay=3)
    options = {"response_deadline": 0.5}
    async with open_app(sandbox, tmp_path, client_options=options) as (app, _pilot):
        line = str(app.screen.status.render())
    assert line == (
        f"The answer from 127.0.0.1:{sandbox.port} was still not complete after 0.5 seconds, "
        "so the request was stopped. Press r to try again."
    )


def server_port(api: SendKitClient) -> int:
    return int(api.base_url.rsplit(":", 1)[1])


# -- item 11: one bad item does not hide the page ----------------------------------------------


def items(*emails: str) -> list[dict]:
    return [{"_id": f"{n:024x}", "email": email} for n, email in enumerate(emails, 1)]


BAD_ITEMS = [{"email": "no-id@acme.io"}, "not an object", {"_id": "0" * 24, "email": None}]


def test_bad_items_are_left_out_and_counted() -> None:
    from sendkit_tui.api.rows import row_page
    from sendkit_tui.domain.lead_pages import LeadPages

    body = {"success": True, "data": [*items("a@x.io", "b@x.io"), *BAD_ITEMS]}
    page = row_page({**body, "pagination": {"total": 9, "hasMore": True, "nextCursor": "c"}})
    assert [row.email for row in page.rows] == ["a@x.io", "b@x.io"] and page.unreadable == 3
    assert page.has_more and page.next_cursor == "c"

    pages = LeadPages()
    pages.add(0, {}, page)
    pages.add(1, {"cursor": "c"}, row_page({"data": [{"_id": "x"}]}))
    assert pages.row_count == 2 and pages.unreadable == 4
    pages.add(1, {"cursor": "c"}, row_page({"data": items("c@x.io")}))  # fetched again, fixed
    assert pages.unreadable == 3
    pages.reset()
    assert pages.unreadable == 0


async def test_the_list_shows_the_good_leads_and_says_how_many_were_not(sandbox, tmp_path):
    good = items("ann@acme.io", "bob@acme.io", "cy@acme.io")
    body = {"success": True, "data": [good[0], *BAD_ITEMS[:2], *good[1:]]}
    sandbox.inject("json", path="/v1/leads", body={**body, "pagination": {"total": 5}})
    async with open_app(sandbox, tmp_path) as (app, _pilot):
        screen = app.screen
        assert [row.email for row in screen.rows] == ["ann@acme.io", "bob@acme.io", "cy@acme.io"]
        assert str(screen.status.render()) == "3 of 5 leads · 2 leads could not be read"


async def test_a_page_of_only_bad_items_says_so(sandbox, tmp_path):
    sandbox.inject("json", path="/v1/leads", body={"success": True, "data": BAD_ITEMS[:1]})
    async with open_app(sandbox, tmp_path) as (app, _pilot):
        assert str(app.screen.status.render()) == "No leads to show · 1 lead could not be read"
