"""The leads list's detail pane (``p``): every field of the highlighted lead.

The list's row is drawn at once (what the list item carries); the full lead, with phone,
LinkedIn and custom fields, is asked for with ``GET /v1/leads/{id}`` only once the highlight
has rested for ``REST`` seconds, so running the cursor down the list sends one request, not
one per row passed. Answers are kept in a bounded LRU cache, dropped when the lead is saved
or deleted (``ui/news.py``) and all at once when the connection changes. A failure is said in
the pane, worded by ``domain/wording.explain``; the list's fields stay.

``DetailSplit`` puts the pane beside the list from ``SIDE_BY_SIDE`` columns, below it on
narrower terminals (as lazygit stacks its panels). Keys in the pane (``DetailRows``): up and
down pick a value, ``y``/``c`` copy it, enter opens the lead for editing, escape (the
screen's) or left goes back to the list. Every key and value is server data, drawn as plain
segments and never parsed as markup.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual import events, getters
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widgets import Static

from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.lead_detail_rows import (
    NOT_LOADED,
    NOT_SENT,
    PENDING,
    DetailRow,
    DetailRows,
    detail_rows,
)

if TYPE_CHECKING:
    from textual.timer import Timer

    from sendkit_tui.api import LeadRow
    from sendkit_tui.ui.news import ConnectionChanged, LeadSaved, LeadsDeleted

SIDE_BY_SIDE = 110  # from this many columns the pane sits beside the list, else below it
REST = 0.25  # seconds the highlight must rest on a lead before its full copy is asked for
CACHE_SIZE = 200  # full leads kept


class DetailSplit(Container):
    """The list and the pane: side by side when wide enough, else stacked."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < SIDE_BY_SIDE, "-stacked")


class LeadDetail(Vertical):
    """The pane: a note (errors) over the rows; follows the list's highlighted lead."""

    app = getters.app(AppContext)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Details"
        self.row: LeadRow | None = None
        self.full: dict[str, Any] | None = None  # the full copy drawn, if it is
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.failed: str | None = None  # the lead whose GET failed (no retry until it is left)
        self.fetching: set[str] = set()
        self.no_route = False  # the server has no single-lead route: the list's fields only
        self._note = ""  # the note drawn
        self._epoch = 0  # bumped when cached copies become stale
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-note", markup=False)
        yield DetailRows(self.open_lead, id="detail-rows")

    @property
    def rows(self) -> DetailRows:
        return self.query_one(DetailRows)

    @property
    def note(self) -> str:
        return str(self.query_one("#detail-note", Static).content)

    def on_mount(self) -> None:
        news = self.app.news
        news.lead_saved.subscribe(self, self._saved)
        news.leads_deleted.subscribe(self, self._deleted)
        news.connection_changed.subscribe(self, self._connection_changed)
        self.display = bool(self.app.config.detail_pane)

    # -- what the screen calls -------------------------------------------------------------

    def toggle(self, row: LeadRow | None) -> bool:
        """Show or hide the pane (remembered in config.toml); whether it is now shown."""
        from sendkit_tui.storage.config import save_config

        self.display = not self.display
        self.follow(row if self.display else None)
        self.app.config.detail_pane = bool(self.display)
        if not self.app.connection.demo:
            with suppress(OSError, ValueError):  # a nicety: never interrupt the user over it
                save_config(self.app.config)
        return bool(self.display)

    def follow(self, row: LeadRow | None) -> None:
        """Show ``row`` now; ask for its full copy once the highlight rests on it."""
        if row is None or not self.display:
            self._stop()
            self.row = self.full = None
            self._draw([], "")
            return
        same = self.row is not None and self.row.id == row.id
        self.row = row
        full = self.cache.get(row.id)
        if full is not None:
            self.cache.move_to_end(row.id)
            self._stop()
            self._show_full(full)
            return
        self.full = None
        if same and (self._timer is not None or row.id in self.fetching or self.failed == row.id):
            self._draw(detail_rows(row.raw, missing=self._missing()))  # the note (an error) stays
            return
        self.failed = None
        self._draw(detail_rows(row.raw, missing=self._missing()), "")
        if not self.no_route:
            self._stop()
            self._timer = self.set_timer(REST, self._rested)

    async def open_lead(self) -> None:
        """Enter in the pane: the lead in the edit screen (from the fullest copy at hand)."""
        from sendkit_tui.api.models import Lead
        from sendkit_tui.domain.wording import explain

        if self.row is None:
            return
        try:
            lead = Lead.model_validate(self.full or self.row.raw)
        except ValueError as error:
            self._draw(None, f"This lead cannot be opened: {explain(error)}")
            return
        await self.app.open_lead(lead)

    # -- fetching --------------------------------------------------------------------------

    def _missing(self) -> str:
        if self.no_route:
            return NOT_SENT
        failed = self.row is not None and self.failed == self.row.id
        return NOT_LOADED if failed else PENDING

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _rested(self) -> None:
        self._timer = None
        row = self.row
        if row is None or not self.display or row.id in self.cache or row.id in self.fetching:
            return
        self.fetching.add(row.id)
        self.run_worker(self._fetch(row.id, self._epoch), group="lead-detail", exit_on_error=False)

    async def _fetch(self, lead_id: str, epoch: int) -> None:
        from sendkit_tui.api import AuthError, NotFound
        from sendkit_tui.domain.wording import explain

        try:
            lead = await self.app.require_client().get_lead(lead_id)
        except Exception as error:
            self.fetching.discard(lead_id)
            if isinstance(error, AuthError):
                self.app.handle_auth_error(error)
            if isinstance(error, NotFound) and error.route_missing:
                self.no_route = True
            if self.row is not None and self.row.id == lead_id:
                self.failed = lead_id
                rows = detail_rows(self.row.raw, missing=self._missing())
                self._draw(rows, explain(error))
            return
        self.fetching.discard(lead_id)
        if epoch != self._epoch:  # saved or deleted meanwhile: this copy may be stale
            if self.row is not None and self.row.id == lead_id:
                self.follow(self.row)
            return
        self.app.remember_lead(lead)
        data = lead.model_dump(by_alias=True, exclude_unset=True)
        self.cache[lead_id] = data
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        if self.row is not None and self.row.id == lead_id:
            self._show_full(data)

    def _show_full(self, data: dict[str, Any]) -> None:
        self.full = data
        self._draw(detail_rows(data), "")

    def _draw(self, rows: list[DetailRow] | None, note: str | None = None) -> None:
        if rows is not None:
            self.rows.show(rows)
        if note is not None and note != self._note:
            self._note = note  # a Static update lays out the whole screen: only on a change
            shown = self.query_one("#detail-note", Static)
            shown.update(safe(note))
            shown.display = bool(note)

    # -- news ------------------------------------------------------------------------------

    def _forget(self, ids: tuple[str, ...]) -> None:
        self._epoch += 1
        for lead_id in ids:
            self.cache.pop(lead_id, None)
        if self.row is not None and self.row.id in ids:
            self.full = None

    def _saved(self, news: LeadSaved) -> None:
        self._forget((news.lead.id,))
        # The list's row is replaced too; its Highlighted message brings the new row here.

    def _deleted(self, news: LeadsDeleted) -> None:
        self._forget(news.ids)

    def _connection_changed(self, news: ConnectionChanged) -> None:
        self._epoch += 1
        self.cache.clear()
        self.no_route = False
        self.failed = None
