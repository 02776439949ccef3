"""App-wide news, as Textual ``Signal``s: a lead was saved or deleted, the connection changed,
a key is needed.

Screens publish what happened and subscribe to what they show; nobody scans the screen
stack or calls another screen. See docs/ARCHITECTURE.md, "How screens talk".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.signal import Signal

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from sendkit_tui.api import Lead


@dataclass(frozen=True)
class LeadSaved:
    """A create or an edit returned ``lead`` (the server's copy)."""

    lead: Lead
    created: bool


@dataclass(frozen=True)
class LeadsDeleted:
    ids: tuple[str, ...]


@dataclass(frozen=True)
class ConnectionChanged:
    """Another key, workspace or server is in use, or leads changed in bulk (an import):
    whatever shows leads reloads."""

    reason: str


@dataclass(frozen=True)
class KeyNeeded:
    """The server refused the key (or there is none): the login screen opens over
    whatever is open, so nothing typed is lost."""

    reason: str


class News:
    """The app's signals. Owned by the app; subscribe with ``app.news.<signal>.subscribe``."""

    def __init__(self, owner: DOMNode) -> None:
        self.lead_saved: Signal[LeadSaved] = Signal(owner, "lead-saved")
        self.leads_deleted: Signal[LeadsDeleted] = Signal(owner, "leads-deleted")
        self.connection_changed: Signal[ConnectionChanged] = Signal(owner, "connection-changed")
        self.key_needed: Signal[KeyNeeded] = Signal(owner, "key-needed")
