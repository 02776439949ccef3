"""Import a CSV file from the TUI: pick a file, check the mapping, watch it go.

The steps are the same as ``sendkit-tui import``: read (UTF-8 with or without BOM,
``,`` or ``;``), map headers to fields (``bulk/mapping.py``: known layouts, noise columns,
unknown columns become custom fields), preview the first rows with their problems, send in
chunks of at most 5,000 with a progress bar, then a report and a CSV of the rows that failed.
An interrupted import resumes where it stopped when the same file is imported again.

The mapping is changed in ``MappingEditor`` (one row per column, enter opens a picker); every
change redraws the preview at once and recounts the file on a thread. enter in the path box
and ctrl+s are priority bindings that first catch up with the focused box (ui/keys.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from sendkit_tui.bulk import csv_read, failed_rows
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.headers_known import is_own_export
from sendkit_tui.domain import rules
from sendkit_tui.domain.clean import DEFAULT_REGION
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.keys import caught_up
from sendkit_tui.ui.news import ConnectionChanged
from sendkit_tui.ui.safe import safe, safe_cell
from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.mapping_editor import MappingEditor, fill_table
from sendkit_tui.ui.widgets.safe_input import SafeInput
from sendkit_tui.ui.widgets.title_bar import TitleBar

PREVIEW_ROWS = 5
COUNT_AT_ONCE = 500  # rows checked on every mapping change without a thread (a few ms)
SHOWN_APART = ("email", "firstName", "lastName")  # the preview's own columns


class ImportScreen(Screen):
    app = getters.app(AppContext)
    BINDINGS = [
        Binding("enter", "read", "Read file", id="import.read", priority=True, show=False),
        Binding("ctrl+s", "start", "Import", id="import.start", priority=True),
        Binding("escape", "close", "Back", id="import.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="import-screen")
        self.data: csv_read.CsvData | None = None
        self.mapping: dict[int, str] = {}
        self.rows: list[bulk_rows.PreparedRow] = []
        self._rows_for = ""  # the mapping fingerprint ``rows`` were built for
        self._refused = ""  # the mapping (fingerprint) ctrl+s last refused
        self.preview: list[bulk_rows.PreparedRow] = []  # the first rows, as shown
        self.running = False
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="import-box", can_focus=False):
            with Horizontal(classes="field-row"):
                yield Label("CSV file", classes="field-label")
                yield SafeInput(placeholder="path/to/leads.csv, enter to read", id="import-path")
            with Horizontal(classes="field-row"):
                yield Label("Tag all", classes="field-label")
                yield SafeInput(
                    placeholder="optional tag added to every imported lead", id="import-tag"
                )
            yield Static("", id="import-message", markup=False)
            yield MappingEditor()
            yield DataTable(id="import-preview", cursor_type="row", show_cursor=False)
            yield ProgressBar(id="import-progress", show_eta=True)
            yield Static("", id="import-report", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Import CSV"
        self.query_one(ProgressBar).display = False
        self.editor.display = False
        self.query_one("#import-preview").display = False
        self.set_focus(self.query_one("#import-path", Input))

    @property
    def editor(self) -> MappingEditor:
        return self.query_one(MappingEditor)

    def say(self, text: str) -> None:
        self.query_one("#import-message", Static).update(safe(text))

    # -- read and map ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read":
            return self.focused is self.query_one("#import-path", Input)
        return True

    async def action_read(self) -> None:
        """enter in the path box: the file read, its columns in the editor, focus there."""
        box = self.query_one("#import-path", Input)
        await caught_up(box)
        path = Path(box.value.strip()).expanduser()
        try:
            data = csv_read.read_csv(path)
        except csv_read.ImportProblem as problem:
            self.say(str(problem))
            return
        except OSError as error:
            self.say(f"Could not open {path}: {error.strerror or error}")
            return
        self.data = data
        editor = self.editor
        editor.display = True
        self.query_one("#import-preview").display = True
        editor.load(data.headers, data.rows)
        self.mapping = dict(editor.mapping)
        self._prepare()
        self.set_focus(editor.table)

    @on(MappingEditor.Changed)
    def _remapped(self, event: MappingEditor.Changed) -> None:
        self.mapping = dict(event.editor.mapping)
        self._prepare()

    def _build(self, mapping: dict[int, str], rows: list[list[str]]) -> list[Any]:
        data = self.data
        assert data is not None
        part = csv_read.CsvData(
            headers=data.headers,
            rows=rows,
            delimiter=data.delimiter,
            encoding_note=data.encoding_note,
            line_nos=data.line_nos[: len(rows)],
        )
        return bulk_rows.build_rows(
            part,
            mapping,
            clean=not is_own_export(data.headers),
            default_region=self.app.config.default_region or DEFAULT_REGION,
        )

    def _prepare(self) -> None:
        """The preview of the first rows now; a big file counted on a thread (a small one at
        once, so the message above the columns does not change height a moment later)."""
        data = self.data
        assert data is not None
        mapping = dict(self.mapping)
        if len(data.rows) <= COUNT_AT_ONCE:
            rows = self._build(mapping, data.rows)
            self._show_preview(rows[:PREVIEW_ROWS])
            self._counted(mapping, rows)
            return
        self._show_preview(self._build(mapping, data.rows[:PREVIEW_ROWS]))
        self.say(f"{len(data.rows):,} rows ({data.encoding_note}, {data.delimiter!r}-separated).")
        self._count(mapping)

    @work(thread=True, exclusive=True, group="import-count", exit_on_error=False)
    def _count(self, mapping: dict[int, str]) -> None:
        data = self.data
        assert data is not None
        rows = self._build(mapping, data.rows)
        self.app.call_from_thread(self._counted, mapping, rows)

    def _counted(self, mapping: dict[int, str], rows: list[bulk_rows.PreparedRow]) -> None:
        if mapping != self.mapping or self.data is None or self.running:
            return  # the mapping changed since: a newer count is on its way
        self.rows = rows
        self._rows_for = bulk_mapping.mapping_fingerprint(mapping)
        data = self.data
        bad = sum(1 for row in rows if row.errors)
        problem = self.editor.problem()
        if problem:
            refused = self._refused == bulk_mapping.mapping_fingerprint(mapping)
            ready = f"Not started: {problem}" if refused else (
                "ctrl+s waits until the mapping is resolved (see below the columns)."
            )  # fmt: skip
        else:
            ready = f"ctrl+s imports {len(rows) - bad:,} rows."
        self.say(
            f"{len(rows):,} rows ({data.encoding_note}, {data.delimiter!r}-separated); "
            f"{bad:,} with problems will be skipped and written to a failed-rows file. {ready}"
        )

    def _show_preview(self, rows: list[bulk_rows.PreparedRow]) -> None:
        self.preview = rows
        width = max(80, self.app.size.width) - 18  # box padding, scrollbar, cell padding
        email_w, name_w = min(30, width // 4), min(20, width // 6)
        rest = width - 5 - email_w - name_w
        other, problems = rest * 3 // 5, rest - rest * 3 // 5
        preview = self.query_one("#import-preview", DataTable)
        cells = []
        for row in rows:
            name = " ".join(str(row.lead.get(k, "")) for k in ("firstName", "lastName")).strip()
            cells.append([
                safe_cell(row.line_no),
                safe_cell(row.lead.get("email", ""), email_w),
                safe_cell(name, name_w),
                safe_cell(self._others(row.lead), other),
                safe_cell("; ".join(row.errors) or "ok", problems),
            ])  # fmt: skip
        labels = ("Line", "Email", "Name", "Other fields", "Problems")
        widths = (5, email_w, name_w, other, problems)
        fill_table(preview, list(zip(labels, widths, strict=True)), cells)

    def on_resize(self) -> None:
        if self.preview:  # new column widths, if any
            self._show_preview(self.preview)

    @staticmethod
    def _others(lead: dict[str, Any]) -> str:
        parts = []
        standard = [k for k in (*rules.STANDARD_FIELDS, "tags") if k in lead]
        for key in [*standard, *(k for k in lead if k not in standard)]:
            value = lead[key]
            if key in SHOWN_APART:
                continue
            shown = ", ".join(value) if isinstance(value, list) else value
            parts.append(f"{rules.FIELD_LABELS.get(key, key)}: {shown}")
        return " · ".join(parts)

    # -- import ------------------------------------------------------------------

    async def action_start(self) -> None:
        await caught_up(self.focused)
        if self.running or self.data is None:
            return
        editor = self.editor
        self.mapping = dict(editor.mapping)  # its Changed message may still be on its way
        if editor.mode is not None:
            self.say("Finish choosing the column's target first (enter picks, escape cancels).")
            return
        problem = editor.problem()
        if problem is None:
            try:
                bulk_mapping.check_mapping(self.data.headers, self.mapping)
            except csv_read.ImportProblem as error:
                problem = str(error)
        if problem:
            self._refused = bulk_mapping.mapping_fingerprint(self.mapping)
            self.say(f"Not started: {problem}")
            return
        if self._rows_for != bulk_mapping.mapping_fingerprint(self.mapping):
            self.rows = self._build(self.mapping, self.data.rows)
            self._rows_for = bulk_mapping.mapping_fingerprint(self.mapping)
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
