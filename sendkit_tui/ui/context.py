"""What screens may use of the app, typed: its state, its services, its navigation.

Screens declare ``app = getters.app(AppContext)`` and so see these attributes with their
types (``client`` may be ``None``; ``require_client()`` may not). ``SendKitApp`` (ui/app.py)
is the one implementation; this module imports no screen, so screens can depend on it
without an import cycle. See docs/ARCHITECTURE.md, "How screens talk".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from textual.app import App

if TYPE_CHECKING:
    from sendkit_tui.api import Lead, LeadRow, SendKitClient
    from sendkit_tui.storage.config import Config
    from sendkit_tui.storage.credentials import Credential, CredentialStore
    from sendkit_tui.storage.drafts import Draft, DraftStore
    from sendkit_tui.ui.news import News


@dataclass
class Connection:
    """Where the app talks to, with which key, in which workspace."""

    base_url: str
    profile: str = "default"
    demo: bool = False
    credential: Credential | None = None
    workspace_id: str | None = None
    workspace_name: str | None = None
    notes: list[str] = field(default_factory=list)


class HoldsInput(Protocol):
    """A screen with a form: the quit guard asks it before the app exits."""

    saving: bool  # a save is on its way (its answer not in yet)

    def has_unsent_input(self) -> bool: ...

    def save_draft(self) -> bool: ...


class NotConnected(Exception):
    """An action needed the API client before there was one (no key yet)."""

    def __init__(self) -> None:
        super().__init__("Not connected to SendKit yet: sign in first.")


class AppContext(App[int]):
    """The app as screens see it."""

    connection: Connection
    config: Config
    credentials: CredentialStore
    drafts: DraftStore
    news: News
    lead_cache: dict[str, Lead]
    """The fullest copy of each lead seen in this run (create/PATCH/GET responses), used by
    the edit screen when the server cannot return a single lead."""
    open_forms: list[HoldsInput]
    """Form screens add themselves while mounted, for the quit guard."""

    @property
    def client(self) -> SendKitClient | None:
        raise NotImplementedError

    async def client_soon(self) -> SendKitClient | None:
        """The client, waited for (not made on the event loop) while start-up makes it."""
        return self.client

    def require_client(self) -> SendKitClient:
        """The client, or ``NotConnected`` (explained like any error) when there is none."""
        client = self.client
        if client is None:
            raise NotConnected()
        return client

    def best_copy(self, lead: Lead) -> Lead:
        """The fullest copy of ``lead`` seen in this run (it may carry custom fields)."""
        cached = self.lead_cache.get(lead.id)
        if cached is not None and len(cached.known_fields()) >= len(lead.known_fields()):
            return cached
        return lead

    def remember_lead(self, lead: Lead) -> None:
        known = self.lead_cache.get(lead.id)
        if known is None or len(lead.known_fields()) >= len(known.known_fields()):
            self.lead_cache[lead.id] = lead

    def request_login(self, reason: str, *, choose_workspace: bool = False) -> None:
        """Open the login screen over whatever is open (nothing underneath is lost)."""
        raise NotImplementedError

    @property
    def last_input(self) -> float:
        """``time.monotonic()`` when the last key or click arrived (``KeyArrival``)."""
        raise NotImplementedError

    def offer_drafts(self, *, asked: bool = False) -> None:
        """Unsent drafts offered back to restore or discard (``asked``: say when none)."""
        raise NotImplementedError

    def handle_auth_error(self, error: Exception) -> None:
        """On 401/403: the login screen opens over whatever is open (through the news)."""
        from sendkit_tui.domain.wording import explain
        from sendkit_tui.ui.news import KeyNeeded

        self.news.key_needed.publish(KeyNeeded(explain(error)))

    # -- navigation ---------------------------------------------------------------
    # Screens open other screens through these, never by importing them. They run inside
    # the dispatch of the key that asked (awaited by the action), so the keys typed after
    # it wait until the new screen has focus instead of reaching the old one.

    async def open_new_lead(
        self, *, draft: Draft | None = None, elsewhere: str | None = None
    ) -> None:
        raise NotImplementedError

    async def open_lead(self, lead: Lead, *, draft: Draft | None = None, replace: bool = False):
        raise NotImplementedError

    def prepare_edit(self, row: LeadRow) -> None:
        """The list's highlight rests on ``row``: the edit form composed ahead may draw its
        lead now, so enter only shows it (a no-op when there is none)."""

    async def open_import(self) -> None:
        raise NotImplementedError
