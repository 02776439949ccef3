"""Import a CSV file from the TUI: pick a file, check the mapping, watch it go.

The steps are the same as ``sendkit-tui import``: read (UTF-8 with or without BOM,
``,`` or ``;``), map headers to fields (unknown columns become custom fields),
preview the first rows with their problems, send in chunks of at most 5,000 with
a progress bar, then a report and a CSV of the rows that failed. An interrupted
import resumes where it stopped when the same file is imported again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static

from sendkit_tui.bulk import csv_read, failed_rows
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.headers_known import is_own_export
from sendkit_tui.domain.clean import DEFAULT_REGION
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.news import ConnectionChanged
from sendkit_tui.ui.safe import safe, safe_cell
from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.safe_input import SafeInput

PREVIEW_ROWS = 5


class ImportScreen(Screen):
    app = getters.app(AppContext)
    BINDINGS = [
        Binding("ctrl+s", "start", "Import", id="import.start"),
        Binding("escape", "close", "Back", id="import.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="import-screen")
        self.data: csv_read.CsvData | None = None
        self.mapping: dict[int, str] = {}
        self.rows: list[bulk_rows.PreparedRow] = []
        self.running = False
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-box"):
            with Horizontal(classes="field-row"):
                yield Label("CSV file", classes="field-label")
                yield SafeInput(placeholder="path/to/leads.csv, enter to read", id="import-path")
            with Horizontal(classes="field-row"):
                yield Label("Change map", classes="field-label")
                yield SafeInput(
                    placeholder="Header=field (e.g. Mobile=phone, Notes=skip)", id="import-map"
                )
            with Horizontal(classes="field-row"):
                yield Label("Tag all", classes="field-label")
                yield SafeInput(
                    placeholder="optional tag added to every imported lead", id="import-tag"
                )
            yield Static("", id="import-message", markup=False)
            yield DataTable(id="import-mapping", cursor_type="row", show_cursor=False)
            yield DataTable(id="import-preview", cursor_type="row", show_cursor=False)
            yield ProgressBar(id="import-progress", show_eta=True)
            yield Static("", id="import-report", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Import CSV"
        self.query_one(ProgressBar).display = False
        self.query_one("#import-path", Input).focus()

    def say(self, text: str) -> None:
        self.query_one("#import-message", Static).update(safe(text))

    # -- read and map ------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    def _read(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        try:
            self.data = csv_read.read_csv(path)
        except csv_read.ImportProblem as problem:
            self.say(str(problem))
            return
        except OSError as error:
            self.say(f"Could not open {path}: {error.strerror or error}")
            return
        self.mapping = bulk_mapping.guess_mapping(self.data.headers)
        self._prepare()
        self.query_one("#import-map", Input).focus()

    @on(Input.Submitted, "#import-map")
    def _remap(self, event: Input.Submitted) -> None:
        if self.data is None or not event.value.strip():
            return
        try:
            self.mapping = bulk_mapping.apply_overrides(
                self.data.headers, dict(self.mapping), [event.value.strip()]
            )
        except csv_read.ImportProblem as problem:
            self.say(str(problem))
            return
        event.input.value = ""
        self._prepare()

    def _prepare(self) -> None:
        data = self.data
        assert data is not None
        self.rows = bulk_rows.build_rows(
            data,
            self.mapping,
            clean=not is_own_export(data.headers),
            default_region=self.app.config.default_region or DEFAULT_REGION,
        )
        bad = sum(1 for row in self.rows if row.errors)
        try:
            bulk_mapping.check_mapping(data.headers, self.mapping)
            ready = f"ctrl+s imports {len(self.rows) - bad:,} rows."
        except csv_read.ImportProblem as problem:
            ready = str(problem)
        self.say(
            f"{len(self.rows):,} rows ({data.encoding_note}, {data.delimiter!r}-separated); "
            f"{bad:,} with problems will be skipped and written to a failed-rows file. {ready}"
        )
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.clear(columns=True)
        mapping.add_columns("Column", "Goes to")
        for index, header in enumerate(data.headers):
            target = bulk_mapping.describe_target(self.mapping.get(index, "skip"))
            mapping.add_row(safe_cell(header, 30), safe_cell(target, 40))
        preview = self.query_one("#import-preview", DataTable)
        preview.clear(columns=True)
        preview.add_columns("Line", "Email", "Name", "Problems")
        for row in self.rows[:PREVIEW_ROWS]:
            name = " ".join(str(row.lead.get(k, "")) for k in ("firstName", "lastName")).strip()
            preview.add_row(
                safe_cell(row.line_no),
                safe_cell(row.lead.get("email", ""), 32),
                safe_cell(name, 24),
                safe_cell("; ".join(row.errors) or "ok", 50),
            )

    # -- import ------------------------------------------------------------------

    def action_start(self) -> None:
        if self.running or self.data is None:
            return
        try:
            bulk_mapping.check_mapping(self.data.headers, self.mapping)
        except csv_read.ImportProblem as problem:
            self.say(str(problem))
            return
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(1, sum(1 for row in self.rows if not row.errors)), progress=0)
        self._run(self.query_one("#import-tag", Input).value.strip() or None)

    @work(group="import", exclusive=True, exit_on_error=False)
    async def _run(self, tag: str | None) -> None:
        from sendkit_tui.bulk.report import ImportAborted
        from sendkit_tui.bulk.resume import Target, state_path_for
        from sendkit_tui.bulk.runner import run_import
        from sendkit_tui.domain.wording import explain

        data = self.data
        assert data is not None
        bar = self.query_one(ProgressBar)

        connection = self.app.connection
        key = connection.credential.key if connection.credential else None
        client = self.app.require_client()
        target = Target.of(client.base_url, client.workspace_id, key)

        def progress(sent: int, total: int) -> None:
            bar.update(total=max(1, total), progress=sent)

        try:
            report = await run_import(
                self.app.require_client(),
                self.rows,
                tag=tag,
                data_cleanup=not is_own_export(data.headers),
                progress=progress,
                state_path=state_path_for(data.sha256, self.mapping, connection.profile, target),
                source_sha256=data.sha256,
                mapping=self.mapping,
                target=target,
            )
        except ImportAborted as aborted:
            self.running = False
            self.say(f"Import stopped: {explain(aborted.error)} Run it again to resume.")
            return
        self.running = False
        self.report = report
        self._show(report)
        self.app.news.connection_changed.publish(ConnectionChanged("imported"))  # list reloads

    def _show(self, report: Any) -> None:
        from sendkit_tui.bulk.report import summary_lines

        lines = summary_lines(report)
        if report.failures:
            out = self._write_failures(report)
            lines.append(f"Failed rows written to {out} (fix them and import that file).")
        self.query_one("#import-report", Static).update(safe("\n".join(lines)))

    def _write_failures(self, report: Any) -> Path:
        data = self.data
        assert data is not None
        cells = {row.line_no: row.cells for row in self.rows}
        items = [(line, cells.get(line, []), reason) for line, reason in report.failures]
        source = Path(self.query_one("#import-path", Input).value.strip()).expanduser()
        out = source.with_suffix(".failed.csv")
        failed_rows.failed_rows_csv(
            out, data.headers, items, delimiter=data.delimiter, bom=data.bom
        )
        return out

    def action_close(self) -> None:
        if self.running:
            self.say("The import is running; it stops safely only between chunks. Wait for it.")
            return
        self.dismiss()
