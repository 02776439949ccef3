"""The first page asked for during start-up (api/first_page.py), and the app drawing it."""

from __future__ import annotations

import subprocess
import sys

from sendkit_tui.api import SendKitClient
from sendkit_tui.api.first_page import FirstPage
from sendkit_tui.storage.config import Config
from sendkit_tui.storage.credentials import Credential, CredentialStore, KeySource
from sendkit_tui.storage.drafts import Draft, DraftStore
from sendkit_tui.ui.app import Connection, SendKitApp
from sendkit_tui.ui.dialogs.drafts import DraftsScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.conftest import TEST_PLATFORM_KEY
from tests.ui_support import requests_to, settle


async def test_it_reads_the_same_page_as_the_client(sandbox):
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    assert first is not None
    page = await first.page()
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        expected = await client.list_lead_rows(limit=100)
    assert page is not None
    assert [r.id for r in page.rows] == [r.id for r in expected.rows]
    assert (page.total, page.has_more) == (expected.total, expected.has_more)
    (request,) = [r for r in requests_to(sandbox, "GET") if r.query.get("limit") == "100"][:1]
    assert request.headers["user-agent"].startswith("sendkit-tui/")


async def test_anything_but_a_list_page_gives_up_quietly(sandbox):
    for kind in ("html", "empty", "truncated"):
        sandbox.inject(kind)
        assert await FirstPage(sandbox.url, sandbox.api_key).page() is None, kind
    sandbox.inject("status", status=500)
    assert await FirstPage(sandbox.url, sandbox.api_key).page() is None
    assert await FirstPage(sandbox.url, "sk_" + "0" * 48).page() is None  # 401
    assert await FirstPage("http://127.0.0.1:9", sandbox.api_key).page() is None  # refused


def test_it_only_starts_where_the_client_would_send_the_key():
    key = "sk_" + "5a7e1e57" * 6
    assert FirstPage.start("http://example.com", key, None, {}) is None  # plain http
    assert FirstPage.start("ftp://127.0.0.1", key, None, {}) is None
    assert FirstPage.start("http://127.0.0.1:9", "", None, {}) is None  # no key
    assert FirstPage.start("http://127.0.0.1:9", TEST_PLATFORM_KEY, None, {}) is None
    proxied = {"HTTPS_PROXY": "http://proxy.corp:3128"}
    assert FirstPage.start("https://api.sendkit.ai", key, None, proxied) is None
    assert FirstPage.start("http://127.0.0.1:9", key, None, proxied) is not None  # loopback


def make(sandbox, tmp_path, first_page):
    credential = Credential(key=sandbox.api_key, source=KeySource.ENV, profile="test")
    connection = Connection(base_url=sandbox.url, profile="test", credential=credential)
    return SendKitApp(
        connection,
        config=Config(),
        credentials=CredentialStore("test", env={}),
        drafts=DraftStore(tmp_path / "drafts"),
        first_page=first_page,
    )


async def test_the_app_draws_the_prefetched_page_then_makes_its_client(
    sandbox, tmp_path, monkeypatch
):
    rows_when_connected: list[int] = []
    connect = SendKitApp.connect

    def recording_connect(self, *args, **kwargs):
        rows_when_connected.append(self.screen.pages.row_count)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(SendKitApp, "connect", recording_connect)
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    app = make(sandbox, tmp_path, first)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):  # the name is learnt once the client is made
            if app.connection.workspace_name:
                break
            await settle(pilot)
        assert app.connection.workspace_name
        screen = app.screen
        assert isinstance(screen, LeadsScreen) and screen.pages.row_count == 25
        assert rows_when_connected == [25]  # the client was made after the page was in
        lists = [r for r in requests_to(sandbox, "GET") if r.path == "/v1/leads"]
        assert len(lists) == 1  # the prefetch was the only list request
        assert len(requests_to(sandbox, "GET", "/v1/workspaces")) == 1


async def test_drafts_are_offered_at_start_before_the_client_exists(sandbox, tmp_path):
    DraftStore(tmp_path / "drafts").save(
        Draft(kind="create", values={"email": "half@typed.io"}, profile="test")
    )
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    app = make(sandbox, tmp_path, first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # At start, straight over the list: not later, over a form the user is typing in.
        assert [type(s) for s in app.screen_stack] == [LeadsScreen, DraftsScreen]


async def test_a_failed_prefetch_falls_back_to_the_client(sandbox, tmp_path):
    sandbox.inject("status", status=503)
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    assert first is not None and await first.page() is None
    app = make(sandbox, tmp_path, first)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.pages.row_count == 25 and app.client is not None
        assert "25 of 25 leads" in str(screen.status.render())


def test_the_command_line_asks_before_textual_is_imported(sandbox, tmp_path):
    code = (
        "import os, sys\n"
        "from sendkit_tui.cli.entry import make_tui\n"
        "import sendkit_tui.api.first_page as fp\n"
        "seen = []\n"
        "orig = fp.FirstPage.__init__\n"
        "def init(self, *a, **k):\n"
        "    seen.append(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
        "    orig(self, *a, **k)\n"
        "fp.FirstPage.__init__ = init\n"
        "app = make_tui(os.environ['SENDKIT_BASE_URL'], 'test', os.environ)\n"
        "print(seen, app.first_page is not None)\n"
    )
    env = {
        "SENDKIT_API_KEY": sandbox.api_key,
        "SENDKIT_BASE_URL": sandbox.url,
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[False] True"


async def test_an_answered_prefetch_is_in_the_first_frame(sandbox, tmp_path, monkeypatch):
    """The page came before the screen mounted: its rows are laid out and fitted to the
    width at mount, not by a worker some frames later."""
    from sendkit_tui.ui.widgets.lead_list import LeadList

    workers: list[str] = []
    monkeypatch.setattr(LeadsScreen, "_start_from", lambda self, *a: workers.append("start"))
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    assert first is not None and await first.page() is not None  # answered before the app
    drawn: list[str] = []
    render_line = LeadList.render_line

    def recording(self, y):
        strip = render_line(self, y)
        if y == 1 and not drawn:
            drawn.append(strip.text)  # the first row of the first frame
        return strip

    monkeypatch.setattr(LeadList, "render_line", recording)
    app = make(sandbox, tmp_path, first)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert workers == []
        newest = app.screen.pages.row(0)
        assert newest is not None and newest.email in drawn[0]


async def test_a_search_typed_at_once_waits_for_the_start_up_client(sandbox, tmp_path, monkeypatch):
    """The client is made on the warm-up thread; a search typed while it is being made waits
    for it (made on the event loop it would import httpx and the models ahead of the keys)."""
    import threading
    import time

    from tests.typing_support import burst

    made_on: list[str] = []
    new_client = SendKitApp._new_client

    def slow_on_the_thread(self, credential):
        made_on.append(threading.current_thread().name)
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.3)  # a slow start-up: the search comes while the client is made
        return new_client(self, credential)

    monkeypatch.setattr(SendKitApp, "_new_client", slow_on_the_thread)
    first = FirstPage.start(sandbox.url, sandbox.api_key, None, {})
    app = make(sandbox, tmp_path, first)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # the first page shown: the warm-up has started
            if made_on:
                break
            await pilot.pause(0.01)
        burst(app, "slash", "=zz", "enter")  # enter searches now
        for _ in range(50):
            await settle(pilot)
            if app.connection.workspace_name:
                break
        assert made_on == ["warm-up"]
        assert [r for r in requests_to(sandbox, "GET") if r.query.get("search") == "zz"]
