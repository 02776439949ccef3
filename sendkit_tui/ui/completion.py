"""Completion from the workspace: the app's vocabulary, its cache, and the background walk.

The form's boxes offer, as you type, a value the workspace's leads already use (company, job
title, city, state, country, tags, custom-field names, and the values of a field that has few
of them). The vocabulary (``domain/completion.py``) learns from every lead a create or an
edit returns (``news.lead_saved``) and from a walk of the workspace's leads that starts once
the list is shown and start-up has settled (``start``, called from the app's "after the first
page" point). The walk is gentle (one page of 100 every ``PAUSE`` seconds), bounded
(``MAX_PAGES`` per session), incremental (newest first down to the newest lead of the last
walk, then onward from where an unfinished walk stopped), and cancelled on quit or when the
connection changes. The vocabulary is cached per server and workspace
(``storage/completion_cache.py``) and read from there at the first lookup, so completion works
with the server out of reach. No request is ever sent for a keystroke: lookups only read the
vocabulary in memory.

``FieldSuggester`` is the Textual ``Suggester`` the boxes use (the grey completion drawn
after the cursor); ``SafeInput`` accepts it with → or end, in the order typed, by asking the
same lookup synchronously (see ``SafeInput.on_key``).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual.suggester import Suggester

from sendkit_tui.domain.completion import CUSTOM_KEYS, TAGS, Vocabulary
from sendkit_tui.identity import ENV_WORKSPACE_WALK
from sendkit_tui.storage.completion_cache import (
    CachedCompletion,
    CacheScope,
    CompletionCache,
    snapshot,
)

if TYPE_CHECKING:
    from textual.app import App

    from sendkit_tui.api.rows import RowPage
    from sendkit_tui.ui.news import ConnectionChanged, LeadSaved

WALK_AFTER = 2.0  # s after the first page: start-up has settled, the user is typing
PAUSE = 0.3  # s between two pages of the walk
PAGE_SIZE = 100
MAX_PAGES = 50  # per session: at most 5,000 leads
SAVE_EVERY = 10  # pages


class Completion:
    """The vocabulary of the connection open now (loaded from its cache at first use)."""

    def __init__(self, app: App, cache: CompletionCache | None = None) -> None:
        self._app = weakref.ref(app)
        self.cache = cache or CompletionCache()
        self.scope: CacheScope | None = None
        self._scope_of: tuple[str, str | None, str | None] | None = None
        self.cached = CachedCompletion()
        self.walked_pages = 0  # this session, all scopes (tests and the benchmark read it)
        self.walking = False

    # -- the vocabulary of the connection open now --------------------------------------------

    def _wanted(self) -> tuple[str, str | None, str | None] | None:
        connection = getattr(self._app(), "connection", None)
        if connection is None:
            return None
        credential = connection.credential
        key = credential.key if credential is not None else None
        return (connection.base_url, connection.workspace_id, key)

    def current(self) -> CachedCompletion:
        """The cached completion of the open connection (switching scope if it changed;
        read from disk here only if ``preload`` has not done it yet)."""
        wanted = self._wanted()
        if wanted is not None and wanted != self._scope_of:
            self._scope_of = wanted
            self.scope = CacheScope.of(*wanted)
            self.cached = self.cache.load(self.scope)
        return self.cached

    def preload(self) -> None:
        """Read the open connection's cache on a thread (not on the first keystroke)."""
        app, wanted = self._app(), self._wanted()
        if app is None or wanted is None or wanted == self._scope_of:
            return
        scope = CacheScope.of(*wanted)

        async def load() -> None:
            cached = await asyncio.to_thread(self.cache.load, scope)
            if self._scope_of != wanted:  # not read meanwhile by a lookup
                self._scope_of, self.scope, self.cached = wanted, scope, cached

        app.run_worker(load(), group="completion-load", exit_on_error=False)

    @property
    def vocabulary(self) -> Vocabulary:
        return self.current().vocabulary

    def suggest(self, kind: str, typed: str) -> str | None:
        return self.vocabulary.suggest(kind, typed)

    def value_for(self, key: str, typed: str) -> str | None:
        return self.vocabulary.value_for(key, typed)

    def learn(self, lead: dict[str, Any]) -> None:
        self.vocabulary.learn_lead(lead)

    def save_soon(self) -> None:
        """Write the cache on a thread (a snapshot taken now)."""
        app, scope = self._app(), self.scope
        if app is None or scope is None:
            return
        document = snapshot(self.cached)
        app.run_worker(
            lambda: self.cache.write(scope, document),
            thread=True,
            group="completion-save",
            exit_on_error=False,
        )

    # -- news --------------------------------------------------------------------------------

    def _lead_saved(self, news: LeadSaved) -> None:
        self.current()
        self.learn(news.lead.model_dump(by_alias=True, exclude_unset=True))
        self.save_soon()

    def _connection_changed(self, news: ConnectionChanged) -> None:
        self.preload()
        self.walk_soon(0.0)

    # -- the walk ------------------------------------------------------------------------------

    def walk_soon(self, after: float = WALK_AFTER) -> None:
        app = self._app()
        if app is None or os.environ.get(ENV_WORKSPACE_WALK, "1") == "0":
            return
        app.run_worker(
            self._walk(after), group="completion-walk", exclusive=True, exit_on_error=False
        )

    async def _walk(self, after: float) -> None:
        if after > 0:
            await asyncio.sleep(after)
        app = self._app()
        client = getattr(app, "client", None)
        if client is None:
            return
        cached = self.current()
        scope, walk = self.scope, cached.walk
        self.walking = True
        pages = 0
        try:
            # 1. From the newest lead down to the newest lead of the last walk.
            old_top = walk.top
            first_walk = old_top is None and walk.resume is None and not walk.complete
            top: str | None = None
            position: tuple[str | None, int | None] = (None, None)
            while pages < MAX_PAGES:
                result = await _page(client, position)
                pages += 1
                self.walked_pages += 1
                rows = [row.raw for row in result.rows]
                top = max(filter(None, [top, *(_created(r) for r in rows)]), default=None)
                fresh = [r for r in rows if old_top is None or (_created(r) or "~") > old_top]
                cached.vocabulary.learn_leads(fresh)
                position = _next(result)
                if first_walk:
                    walk.top = top
                    walk.resume, walk.resume_page = position
                    walk.complete = position == (None, None)
                if len(fresh) < len(rows) or position == (None, None):
                    walk.top = top or walk.top
                    break
                await self._pause(pages, scope)
            # 2. Onward from where an unfinished walk stopped.
            while pages < MAX_PAGES and not walk.complete:
                if walk.resume is None and walk.resume_page is None:
                    break
                await self._pause(pages, scope)
                result = await _page(client, (walk.resume, walk.resume_page))
                pages += 1
                self.walked_pages += 1
                cached.vocabulary.learn_leads(row.raw for row in result.rows)
                walk.resume, walk.resume_page = _next(result)
                walk.complete = (walk.resume, walk.resume_page) == (None, None)
            walk.walked_at = datetime.now(UTC).isoformat(timespec="seconds")
        except asyncio.CancelledError:
            raise
        except Exception:
            return  # a cache only: the next session walks again; the list reports errors
        finally:
            self.walking = False
            if pages and scope is not None and scope == self.scope:
                self.save_soon()

    async def _pause(self, pages: int, scope: CacheScope | None) -> None:
        if pages % SAVE_EVERY == 0 and scope == self.scope:
            self.save_soon()
        await asyncio.sleep(PAUSE)


async def _page(client: Any, position: tuple[str | None, int | None]) -> RowPage:
    cursor, page = position
    filters: dict[str, Any] = {"limit": PAGE_SIZE}
    if cursor:
        filters["cursor"] = cursor
    if page is not None:
        filters["page"] = page
    result: RowPage = await client.list_lead_rows(**filters)
    return result


def _next(result: RowPage) -> tuple[str | None, int | None]:
    """Where the next page is: (cursor, None), (None, page number), or (None, None): the end."""
    if not result.has_more and not (
        result.page is not None and result.pages is not None and result.page < result.pages
    ):
        return None, None
    if result.next_cursor:
        return result.next_cursor, None
    if result.page is not None:
        return None, result.page + 1
    return None, None


def _created(lead: dict[str, Any]) -> str | None:
    value = lead.get("createdAt")
    return value if isinstance(value, str) and value else None


_BY_APP: weakref.WeakKeyDictionary[Any, Completion] = weakref.WeakKeyDictionary()


def completion_for(app: App) -> Completion:
    """The app's ``Completion`` (made at first use)."""
    found = _BY_APP.get(app)
    if found is None:
        found = _BY_APP[app] = Completion(app)
    return found


def start(app: Any) -> None:
    """From the app, once the list's first page is shown: learn from saves, walk soon."""
    completion = completion_for(app)
    app.news.lead_saved.subscribe(app, completion._lead_saved)
    app.news.connection_changed.subscribe(app, completion._connection_changed)
    completion.preload()
    completion.walk_soon()


class FieldSuggester(Suggester):
    """Suggests from the app's vocabulary; ``lookup`` is also asked synchronously by the box
    when → or end accepts (so a burst of keys gives what slow typing gives)."""

    def __init__(self, lookup: Callable[[str], str | None]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.lookup = lookup

    async def get_suggestion(self, value: str) -> str | None:
        return self.lookup(value)


def field_suggester(node: Any, kind: str) -> FieldSuggester:
    """A suggester for a standard field, the tags (``TAGS``) or custom-field names
    (``CUSTOM_KEYS``) of the app ``node`` belongs to."""

    def lookup(typed: str) -> str | None:
        return completion_for(node.app).suggest(kind, typed)

    return FieldSuggester(lookup)


def value_suggester(node: Any, key: Callable[[], str]) -> FieldSuggester:
    """A suggester for a custom field's value; ``key()`` is the field name typed now."""

    def lookup(typed: str) -> str | None:
        return completion_for(node.app).value_for(key(), typed)

    return FieldSuggester(lookup)


__all__ = ["CUSTOM_KEYS", "TAGS", "Completion", "FieldSuggester", "completion_for", "start"]
