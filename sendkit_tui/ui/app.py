"""The Textual application: connection, header, login flow, navigation, quit guard.

Screens see it through ``AppContext`` (ui/context.py) and hear app-wide news through
``News`` signals (ui/news.py); see docs/ARCHITECTURE.md, "How screens talk".
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from sendkit_tui.domain.text import sanitize
from sendkit_tui.storage.config import Config, load_config
from sendkit_tui.storage.credentials import Credential, CredentialStore
from sendkit_tui.storage.drafts import DraftStore
from sendkit_tui.ui.commands import AppCommands
from sendkit_tui.ui.context import Connection, HoldsInput
from sendkit_tui.ui.drafts_and_quit import DraftsAndQuit
from sendkit_tui.ui.key_arrival import KeyArrival
from sendkit_tui.ui.login_flow import LoginFlow
from sendkit_tui.ui.news import ConnectionChanged, KeyNeeded, LeadSaved, News
from sendkit_tui.ui.requests import FirstPageShown
from sendkit_tui.ui.spare_form import SpareForm
from sendkit_tui.ui.styles import FormStyles
from sendkit_tui.ui.warm_up import LATEST, settled_start, warm_up

__all__ = ["Connection", "SendKitApp"]

if TYPE_CHECKING:
    from sendkit_tui.api import Lead, SendKitClient
    from sendkit_tui.api.first_page import FirstPage
    from sendkit_tui.storage.views import SavedView
    from sendkit_tui.ui.screens.leads import LeadsScreen


WARM_UP_WAIT = 5.0
"""Seconds ``client_soon`` waits for the warm-up thread's client before making one itself."""


class SendKitApp(KeyArrival, FormStyles, SpareForm, LoginFlow, DraftsAndQuit, AppCommands):
    CSS_PATH = "app.tcss"
    TITLE = "SendKit"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        # Priority bindings move focus while the App handles the key, before it routes
        # the next one: fast typing after Tab lands in the next field, not the last.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        Binding("f1,question_mark", "help", "Help", show=False, id="app.help"),
    ]

    def __init__(
        self,
        connection: Connection,
        *,
        config: Config | None = None,
        credentials: CredentialStore | None = None,
        drafts: DraftStore | None = None,
        client_options: dict[str, Any] | None = None,
        first_page: FirstPage | None = None,
        view: SavedView | None = None,
    ) -> None:
        super().__init__()
        self.first_page = first_page  # handed to the leads list (see api/first_page.py)
        self.start_view = view  # `--view NAME`: the list opens with these filters
        self.news = News(self)
        self.leads: LeadsScreen | None = None
        self.connection = connection
        self.config = config if config is not None else load_config()
        self.credentials = credentials or CredentialStore(connection.profile)
        self.drafts = drafts or DraftStore()
        self.client_options = dict(client_options or {})
        self._client: SendKitClient | None = None
        # With a prefetched first page the client waits (see client and list_ready).
        self._deferred = connection.credential if first_page is not None else None
        self.lead_cache: dict[str, Lead] = {}
        self.open_forms: list[HoldsInput] = []
        self._login_open = False
        self._drafts_offered = False
        self._list_ready = self._list_shown = False  # see list_ready()
        self._warming: asyncio.Event | None = None  # see client_soon
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        elif self.config.theme:  # a typo must not stop the app: say so, keep the default
            unknown = f'There is no theme "{self.config.theme}"; using the default theme.'
            self.config.warning = " ".join(filter(None, (self.config.warning, unknown)))
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # -- start ---------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The leads list is the app's first and bottom screen (no empty screen beneath)."""
        from sendkit_tui.ui.screens.leads import LeadsScreen

        first_page, self.first_page = self.first_page, None
        # The bottom screen, for the palette.
        self.leads = LeadsScreen(first_page=first_page, view=self.start_view)
        return self.leads

    def on_mount(self) -> None:
        self.news.lead_saved.subscribe(self, self._lead_saved, immediate=True)
        self.news.key_needed.subscribe(self, self._key_needed)
        self.set_timer(LATEST, settled_start)  # if the first page never shows
        self.refresh_header()
        if self.config.warning:
            self.notify(self.config.warning, title="Config", severity="warning", markup=False)
        if self._deferred is not None:  # the list draws the prefetched page; client later
            self._use_workspace(None)
            self._offer_drafts_once()  # now, before the user starts typing into a form
        elif self.connection.credential is not None:
            self.connect(self.connection.credential)
        else:
            self.run_worker(self._find_stored_key(), group="credentials", exit_on_error=False)

    @property
    def client(self) -> SendKitClient | None:
        """The API client. When the list's first page was prefetched, it is made on first use
        or shortly after that page is drawn (``list_ready``), not before the first frame."""
        if self._client is None and self._deferred is not None:
            credential, self._deferred = self._deferred, None
            self.connect(credential, announce=False)
        return self._client

    async def _find_stored_key(self) -> None:
        credential = await self.credentials.resolve()
        if credential is None:
            self.request_login("No SendKit API key is stored for this profile yet.")
        else:
            self.connect(credential)

    def connect(
        self,
        credential: Credential,
        workspace_id: str | None = None,
        *,
        announce: bool = True,
        client: SendKitClient | None = None,
    ) -> None:
        """Use ``credential`` from now on and (``announce``) reload what the screens show.

        ``client``: one already made for it (on a thread, see ``_make_client_soon``)."""
        conn = self.connection
        conn.credential = credential
        self._use_workspace(workspace_id)
        self._deferred = None
        old = self._client
        self._client = client or self._new_client(credential)
        if old is not None:
            self.run_worker(old.aclose(), exit_on_error=False)
        self.refresh_header()
        if self._client.key_kind == "platform" and not conn.workspace_id:
            self.request_login("Choose the workspace to open.", choose_workspace=True)
            return
        if announce:
            self.news.connection_changed.publish(ConnectionChanged("connected"))
        if self._list_shown:
            self._learn_workspace_name_soon()
        self._offer_drafts_once()

    def _new_client(self, credential: Credential) -> SendKitClient:
        """A client for ``credential`` on the current workspace; safe on any thread."""
        from sendkit_tui.api import SendKitClient

        conn = self.connection
        return SendKitClient(
            credential.key,
            base_url=conn.base_url,
            workspace_id=conn.workspace_id,
            **self.client_options,
        )

    def _use_workspace(self, workspace_id: str | None) -> None:
        """The workspace asked for, else the one already set, else the profile's."""
        conn = self.connection
        profile = self.config.profile(conn.profile)
        conn.workspace_id = workspace_id or conn.workspace_id or profile.workspace_id
        if conn.workspace_name is None and conn.workspace_id == profile.workspace_id:
            conn.workspace_name = profile.workspace_name

    def _offer_drafts_once(self) -> None:
        if not self._drafts_offered:
            self._drafts_offered = True
            self.offer_drafts()

    @on(FirstPageShown)
    def list_ready(self) -> None:
        """The leads list has its first page: once that frame is out, make the client (if
        the page was prefetched) and learn the workspace's name for the header, on a thread
        (``ui/warm_up.py``): loading httpx, the models and the forms takes about 300 ms, which
        would hold up that frame and the keys typed after it."""
        if self._list_ready:
            return
        self._list_ready = True
        self.call_after_refresh(self._after_first_page)

    def _after_first_page(self) -> None:
        """Make the deferred client (if any) on a thread, with the modules the next steps
        need (the form screens, httpx, the models): about 300 ms of imports and an SSL
        context that would otherwise run on the event loop, ahead of the keys typed."""
        self._list_shown = True
        credential = self._deferred
        self._warming = asyncio.Event()  # set once the thread's client is in (client_soon)

        def make() -> SendKitClient | None:
            return self._new_client(credential) if credential is not None else None

        def done(client: SendKitClient | None) -> None:
            if self.is_running:  # not once the app has quit (its loop would never run it)
                self.call_from_thread(self._warmed_up, credential, client)

        warm_up(make, done, busy=self.opening_form)

    async def client_soon(self) -> SendKitClient | None:
        """The client. While the warm-up thread makes it, its result is awaited: made here,
        on the event loop, it would import httpx and the models ahead of the keys typed."""
        warming = self._warming
        if self._client is None and self._deferred is not None and warming is not None:
            with suppress(TimeoutError):  # the thread failed: made here after all
                await asyncio.wait_for(warming.wait(), WARM_UP_WAIT)
        return self.client

    def _warmed_up(self, credential: Credential | None, client: SendKitClient | None) -> None:
        if client is None:
            self._learn_workspace_name_soon()
        elif credential is not None and self._deferred is credential:  # not made meanwhile
            self.connect(credential, announce=False, client=client)  # learns the name too
        else:
            self.run_worker(client.aclose(), exit_on_error=False)
        from sendkit_tui.ui import completion  # loaded by the thread (the forms use it)

        completion.start(self)  # cache read, saves learnt, the workspace walked later
        if self._warming is not None:
            self._warming.set()
        settled_start()
        self.spare_soon()

    def _learn_workspace_name_soon(self) -> None:
        if self.client is not None and not self.connection.workspace_name:
            self.run_worker(
                self._learn_workspace_name(), group="workspace", exclusive=True, exit_on_error=False
            )

    async def _learn_workspace_name(self) -> None:
        client = self.client
        if client is None or self.connection.workspace_name:
            return
        try:
            workspaces = await client.list_workspaces()
        except Exception:
            return  # the header keeps "workspace ?"; the list screen reports real errors
        wanted = self.connection.workspace_id
        for workspace in workspaces:
            if wanted is None or workspace.id == wanted:
                self.connection.workspace_name = workspace.name
                break
        self.refresh_header()

    # -- navigation (see AppContext) --------------------------------------------

    async def open_import(self) -> None:
        from sendkit_tui.ui.screens.import_csv import ImportScreen

        await self.push_screen(ImportScreen())

    def _lead_saved(self, news: LeadSaved) -> None:
        self.remember_lead(news.lead)

    def _key_needed(self, news: KeyNeeded) -> None:
        self.request_login(news.reason)

    # -- header --------------------------------------------------------------

    def refresh_header(self) -> None:
        conn = self.connection
        parts = []
        if conn.workspace_name or conn.workspace_id:
            parts.append(conn.workspace_name or f"workspace {conn.workspace_id}")
        elif conn.credential is not None:
            parts.append("workspace ?")
        if conn.credential is not None:
            parts.append(f"key: {conn.credential.source.describe()}")
        else:
            parts.append("not signed in")
        self.sub_title = sanitize(" · ".join(parts), single_line=True)

    # -- toasts ---------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast goes through here: text is data (never markup), controls made visible."""
        super().notify(
            sanitize(message),
            title=sanitize(title, single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_unmount(self) -> None:
        if self._client is not None:  # not self.client: that would make one to close it
            await self._client.aclose()
