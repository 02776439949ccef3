"""The workspace's leads: search, tag filter, and pages loaded as you scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input

from sendkit_tui.safe_text import safe_cell
from sendkit_tui.screens.leads_delete import LeadDeletion, mark_cell
from sendkit_tui.widgets.safe_input import SafeInput
from sendkit_tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from sendkit_tui.api import Lead

PAGE_SIZE = 100
PREFETCH_ROWS = 20  # load the next page when the cursor is this close to the end
SEARCH_DEBOUNCE = 0.3
COLUMNS = (  # widths sum to 104: with cell padding and the scrollbar, 120 columns
    ("", "mark", 1),
    ("Email", "email", 25),
    ("Name", "name", 18),
    ("Company", "company", 16),
    ("Job title", "title", 16),
    ("Tags", "tags", 16),
    ("Created", "created", 10),
)
WIDTH = {key: width for _label, key, width in COLUMNS}


class LeadsTable(DataTable):
    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="leads.open"),
        Binding("space", "screen.toggle_mark", "Mark", id="leads.mark"),
        Binding("d,delete", "screen.delete", "Delete", id="leads.delete"),
    ]


class LeadsScreen(LeadDeletion, Screen):
    BINDINGS = [
        Binding("n", "new_lead", "New lead", id="leads.new"),
        Binding("slash", "focus_search", "Search", id="leads.search"),
        Binding("t", "focus_tags", "Tag filter", id="leads.tags"),
        Binding("r", "refresh", "Refresh", id="leads.refresh"),
        Binding("x", "export", "Export CSV", id="leads.export"),
        Binding("i", "import_csv", "Import CSV", id="leads.import"),
        Binding("escape", "back_to_list", "List", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="leads-screen")
        self.leads: list[Lead] = []
        self.by_id: dict[str, Lead] = {}
        self.total: int | None = None
        self.has_more = False
        self.next_cursor: str | None = None
        self.loading = False
        self.generation = 0
        self._debounce: Timer | None = None
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield SafeInput(placeholder="/ search name, email, company", id="search", compact=True)
            yield SafeInput(placeholder="t tags, comma-separated", id="tag-filter", compact=True)
        table = LeadsTable(id="leads-table", cursor_type="row", zebra_stripes=True)
        for label, key, width in COLUMNS:
            table.add_column(label, width=width, key=key)
        yield table
        yield StatusLine()
        yield Footer()

    @property
    def table(self) -> LeadsTable:
        return self.query_one(LeadsTable)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self.table.focus()
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        if self.app.client is not None:
            self.reload()
        else:
            self.status.say("Connecting…", busy=True)

    def on_connection_changed(self, what: str) -> None:
        if self.is_mounted:
            self.reload()

    # -- loading ---------------------------------------------------------------

    def filters(self) -> dict:
        search = self.query_one("#search", Input).value.strip()
        raw_tags = self.query_one("#tag-filter", Input).value
        tags = [t.strip() for t in raw_tags.split(",") if t.strip()]
        return {"search": search or None, "tags": tags or None}

    def reload(self) -> None:
        self.generation += 1
        self.loading = True
        self.status.say("Loading leads…", busy=True)
        self._load(self.generation, None)

    def load_more(self) -> None:
        if self.has_more and not self.loading:
            self.loading = True
            self.status.say(f"{self._count_text()} · loading more…", busy=True)
            self._load(self.generation, self.next_cursor)

    @work(group="leads-list", exclusive=True, exit_on_error=False)
    async def _load(self, generation: int, cursor: str | None) -> None:
        from sendkit_tui.api import AuthError
        from sendkit_tui.explain import explain

        client = self.app.client
        if client is None:
            return
        try:
            page = await client.list_leads(limit=PAGE_SIZE, cursor=cursor, **self.filters())
        except AuthError as error:
            self.loading = False
            self.status.say(explain(error))
            self.app.handle_auth_error(error)
            return
        except Exception as error:
            self.loading = False
            self.status.say(f"{explain(error)} Press r to try again.")
            return
        if generation != self.generation:
            return  # the filters changed while this page was on its way
        if cursor is None:
            self.leads, self.by_id = [], {}
            self.marked.clear()
            self.table.clear()
        fresh = [lead for lead in page.items if lead.id not in self.by_id]
        self.leads.extend(fresh)
        self.by_id.update((lead.id, lead) for lead in fresh)
        self._add(fresh)
        self.total = page.total
        self.has_more = page.has_more
        self.next_cursor = page.next_cursor
        self.loading = False
        self.status.say(self._count_text())
        if self.has_more and self.table.row_count - self.table.cursor_row <= PREFETCH_ROWS:
            self.load_more()

    def _add(self, leads: list[Lead]) -> None:
        for lead in leads:
            self.table.add_row(*_row(lead, lead.id in self.marked), key=lead.id)

    def _count_text(self) -> str:
        shown = len(self.leads)
        if not shown:
            return "No leads match." if any(self.filters().values()) else "No leads yet: press n."
        total = self.total if self.total is not None else shown
        more = " (scroll for more)" if self.has_more else ""
        marked = f" · {len(self.marked)} marked (d deletes)" if self.marked else ""
        return f"{shown:,} of {total:,} leads{more}{marked}"

    # -- paging triggers -------------------------------------------------------

    @on(DataTable.RowHighlighted, "#leads-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.table.row_count - event.cursor_row <= PREFETCH_ROWS:
            self.load_more()

    def _scrolled(self, scroll_y: float) -> None:
        table = self.table
        if table.max_scroll_y - scroll_y <= PREFETCH_ROWS:
            self.load_more()

    # -- filters ---------------------------------------------------------------

    @on(Input.Changed, "#search, #tag-filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self.reload)

    @on(Input.Submitted, "#search, #tag-filter")
    def _filter_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_tags(self) -> None:
        self.query_one("#tag-filter", Input).focus()

    def action_back_to_list(self) -> None:
        self.table.focus()

    def action_refresh(self) -> None:
        self.reload()

    # -- import / export -------------------------------------------------------

    def action_import_csv(self) -> None:
        from sendkit_tui.screens.import_csv import ImportScreen

        self.app.push_screen(ImportScreen())

    def action_export(self) -> None:
        from datetime import datetime
        from pathlib import Path

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self._export(Path.cwd() / f"sendkit-leads-{stamp}.csv")

    @work(group="export", exclusive=True, exit_on_error=False)
    async def _export(self, path) -> None:
        from sendkit_tui.explain import explain
        from sendkit_tui.export import export_leads

        def progress(done: int, total: int | None) -> None:
            of = f" / {total:,}" if total else ""
            self.status.say(f"Exporting {done:,}{of} leads to {path.name}…", busy=True)

        progress(0, self.total)
        try:
            count = await export_leads(self.app.client, path, progress=progress, **self.filters())
        except Exception as error:
            self.status.say(f"Export stopped: {explain(error)} Nothing was written.")
            return
        self.status.say(f"Exported {count:,} leads to {path}")
        self.notify(f"Exported {count:,} leads to {path}", title="Export", markup=False)

    # -- opening ---------------------------------------------------------------

    def action_new_lead(self) -> None:
        from sendkit_tui.screens.create_lead import CreateLeadScreen

        self.app.push_screen(CreateLeadScreen())

    @on(DataTable.RowSelected, "#leads-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        lead = self.by_id.get(str(event.row_key.value))
        if lead is not None:
            self.open_lead(lead)

    def open_lead(self, lead: Lead) -> None:
        from sendkit_tui.screens.edit_lead import EditLeadScreen

        self.app.push_screen(EditLeadScreen(lead))

    def lead_saved(self, lead: Lead) -> None:
        """A create or edit elsewhere returned ``lead``: show it without a reload."""
        self.app.remember_lead(lead)
        row = _row(lead, lead.id in self.marked)
        if lead.id in self.by_id:
            self.by_id[lead.id] = lead
            self.leads = [lead if x.id == lead.id else x for x in self.leads]
            for (_label, key, _w), cell in zip(COLUMNS, row, strict=True):
                self.table.update_cell(lead.id, key, cell)
            return
        self.leads.insert(0, lead)
        self.by_id[lead.id] = lead
        self.total = (self.total or 0) + 1
        self.table.add_row(*row, key=lead.id)
        self._rebuild()  # newest first: the new row belongs at the top
        self.status.say(self._count_text())

    def _rebuild(self) -> None:
        cursor = self.table.cursor_row
        self.table.clear()
        self._add(self.leads)
        self.table.move_cursor(row=min(cursor, max(0, self.table.row_count - 1)))


def _row(lead: Lead, marked: bool = False) -> tuple:
    name = " ".join(p for p in (lead.first_name, lead.last_name) if p)
    return (
        mark_cell(marked),
        safe_cell(lead.email, WIDTH["email"]),
        safe_cell(name, WIDTH["name"]),
        safe_cell(lead.company_name or "", WIDTH["company"]),
        safe_cell(lead.job_title or "", WIDTH["title"]),
        safe_cell(", ".join(lead.tags or []), WIDTH["tags"]),
        safe_cell((lead.created_at or "")[:10], WIDTH["created"]),
    )
