"""Which server, workspace and profile a draft was typed for, and whether that is the one open.

A draft holds values typed *for* one SendKit host and workspace: a create draft sent to
another server makes the lead there, an edit draft PATCHes a lead id that means nothing (or
something else) there. So a draft belongs to the connection it was typed on: same base URL
(compared without case in scheme and host, default port and trailing slash), same workspace
id (both none counts as the same: a workspace key records none) and same profile.

``split_drafts`` sorts drafts into those of the open connection and the foreign ones, each
foreign one with a plain one-line note ("typed for workspace ws_1 on api.sendkit.ai"), so the
UI can offer them only with that note and never send them to the wrong place silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sendkit_tui.domain.text import clip, sanitize
from sendkit_tui.identity import DEMO_PROFILE

if TYPE_CHECKING:
    from sendkit_tui.storage.draft import Draft

_DEFAULT_PORTS = {"http": 80, "https": 443}
EARLIER_DEMO = "typed in an earlier run of the demo, whose sandbox is gone"


@dataclass(frozen=True)
class DraftScope:
    """The connection open now, as drafts are compared with it: base URL, workspace, profile."""

    base_url: str
    workspace_id: str | None
    profile: str


@dataclass
class ForeignDraft:
    draft: Draft
    note: str  # one plain line: where it was typed (show as text, not markup)


@dataclass
class DraftsFor:
    """The drafts of one profile, split by where they were typed (each list newest first)."""

    here: list[Draft] = field(default_factory=list)
    foreign: list[ForeignDraft] = field(default_factory=list)


def server_key(base_url: str | None) -> str | None:
    """``base_url`` in a form that compares equal for the same server; None if not a URL."""
    if not base_url:
        return None
    try:
        parts = urlsplit(base_url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not scheme or not host:
        return None
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        port = None
    shown = f"[{host}]" if ":" in host else host
    netloc = shown if port is None else f"{shown}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def host_label(base_url: str | None) -> str:
    """The host (and port, and path if any) of ``base_url``, for a sentence."""
    key = server_key(base_url)
    if key is None:
        return clip(sanitize(base_url or "an unknown host", single_line=True), 80)
    return key.split("://", 1)[1]


def belongs_to(draft: Draft, here: DraftScope) -> bool:
    """True when ``draft`` was typed on the server, workspace and profile of ``here``."""
    if draft.profile != here.profile:
        return False
    if (draft.workspace_id or None) != (here.workspace_id or None):
        return False
    mine = server_key(draft.base_url)
    return mine is not None and mine == server_key(here.base_url)


def origin_note(draft: Draft, here: DraftScope | None = None) -> str:
    """Where ``draft`` was typed, in one plain line, e.g. "typed for workspace ws_1 on
    api.sendkit.ai"; the profile is named when it is not the one of ``here``."""
    if draft.profile == DEMO_PROFILE and here is not None and here.profile == DEMO_PROFILE:
        return EARLIER_DEMO
    if draft.base_url:
        where = f"on {host_label(draft.base_url)}"
    else:
        where = "on a host this draft does not record (saved by an older version)"
    if draft.workspace_id:
        workspace = clip(sanitize(draft.workspace_id, single_line=True), 40)
        note = f"typed for workspace {workspace} {where}"
    else:
        note = f"typed {where}, with no workspace recorded"
    if here is None or draft.profile != here.profile:
        note += f", profile {clip(sanitize(draft.profile, single_line=True), 40)}"
    return note


def split_drafts(drafts: Iterable[Draft], here: DraftScope) -> DraftsFor:
    """``drafts`` of ``here.profile``, sorted into ``here`` and ``foreign`` (with notes).

    Drafts of other profiles are left out: they are offered when that profile is open.
    """
    result = DraftsFor()
    for draft in drafts:
        if draft.profile != here.profile:
            continue
        if belongs_to(draft, here):
            result.here.append(draft)
        else:
            result.foreign.append(ForeignDraft(draft, origin_note(draft, here)))
    return result
