"""Bulk edit, step two: the run (progress bar with ETA, escape cancels), then its result.

The result lists each failed lead with its reason; ``r`` retries the failures (the same
batch, so one undo still covers it), ``u`` undoes the batch (a new batch of inverse PATCHes),
enter or escape closes. The screen answers how many leads changed, so the list can reload.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.safe import safe

if TYPE_CHECKING:
    from sendkit_tui.bulk.edit_resume import Journal
    from sendkit_tui.bulk.resume import Target
    from sendkit_tui.domain.bulk_edit import BulkOp


class BulkProgressScreen(ModalScreen[int]):
    BINDINGS = [
        Binding("escape", "cancel_or_close", "Cancel / close", priority=True),
        Binding("enter", "close", "Close", show=False),
        Binding("r", "retry", "Retry failures", show=False),
        Binding("u", "undo", "Undo batch", show=False),
    ]

    def __init__(self, target: Target, path: Path, journal: Journal | None = None, *,
                 op: BulkOp | None = None, filters: dict[str, Any] | None = None,
                 copies: dict[str, Any] | None = None, prefer_fresh: bool = False,
                 undo: bool = False) -> None:  # fmt: skip
        """Run ``journal``'s batch; or, without one, ``op`` on every lead matching
        ``filters``; with ``undo``, take back ``journal``'s batch."""
        super().__init__(classes="dialog-screen")
        self.target = target
        self.path = path
        self.journal: Any = journal
        self.op = op
        self.filters = filters  # choose the leads by these first (nothing was marked)
        self.undo_first = undo
        self.copies = copies or {}
        self.prefer_fresh = prefer_fresh
        self.cancel = asyncio.Event()
        self.running = False
        self.report: Any = None
        self.changed_total = 0

    @property
    def app_context(self) -> AppContext:
        app = self.app
        assert isinstance(app, AppContext)
        return app

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog bulk-progress"):
            yield Static("", id="bulk-title", classes="dialog-title")
            yield ProgressBar(id="bulk-bar", show_eta=True)
            yield Static("", id="bulk-counts")
            with VerticalScroll(id="bulk-failures"):
                yield Static("", id="bulk-failure-list")
            yield Static("", id="bulk-keys", classes="dialog-text")

    def on_mount(self) -> None:
        self.query_one("#bulk-failures").display = False
        if self.undo_first:
            self.start_undo()
        else:
            self._start()

    def _say(self, widget: str, text: str) -> None:
        self.query_one(widget, Static).update(safe(text))

    def _start(self) -> None:
        self.running = True
        self.cancel = asyncio.Event()
        if self.journal is not None:
            what = self.journal.batch.describe()
        else:
            what = self.op.describe() if self.op is not None else "?"
        self._say("#bulk-title", f"Bulk edit: {what}")
        self._say("#bulk-keys", "escape: cancel (leads being saved finish first)")
        self.query_one("#bulk-failures").display = False
        self._run()

    @work(group="bulk-edit", exclusive=True, exit_on_error=False)
    async def _run(self) -> None:
        from sendkit_tui.bulk.edit_resume import Journal, new_batch
        from sendkit_tui.bulk.edit_runner import EditProgress, Pace, collect, run_batch
        from sendkit_tui.domain.wording import explain

        client = self.app_context.require_client()
        bar = self.query_one("#bulk-bar", ProgressBar)
        pace = Pace()
        try:
            if self.filters is not None:
                self._say("#bulk-counts", "Reading the leads that match…")
                ids, self.copies = await collect(client, self.filters, pace)
                fresh = new_batch(self.target, ids, op=self.op, filters=self.filters)
                self.journal = Journal.open_new(self.path, fresh)
                self.filters = None
            bar.update(total=max(1, len(self.journal.batch.pending())), progress=0)

            def progress(step: EditProgress) -> None:
                bar.update(progress=step.done + step.failed)
                self._say(
                    "#bulk-counts",
                    f"{step.done:,} of {step.total:,} done, {step.changed:,} changed, "
                    f"{step.failed:,} failed" + (
                        f", {step.rate_limited:,} rate-limited answers" if step.rate_limited
                        else ""
                    ),
                )  # fmt: skip

            self.report = await run_batch(
                client,
                self.journal,
                copies=self.copies,
                prefer_fresh=self.prefer_fresh,
                progress=progress,
                cancel=self.cancel,
                pace=pace,
            )
        except Exception as error:  # a list read that failed: nothing was changed by it
            self.running = False
            self._say("#bulk-counts", f"{explain(error)} Nothing more was sent.")
            self._say("#bulk-keys", "enter/escape: close")
            return
        self.running = False
        self._show_result()

    def _show_result(self) -> None:
        from sendkit_tui.domain.wording import bulk_edit_summary

        report = self.report
        self.changed_total += report.changed
        failures = report.failures
        line = bulk_edit_summary(report.changed, report.unchanged, len(failures),
                                 report.not_started)  # fmt: skip
        if report.cancelled:
            line = f"Cancelled. {line}"
        if report.stopped_reason:
            line = f"Stopped: {report.stopped_reason} {line}"
        self._say("#bulk-counts", line)
        if failures:
            listing = "\n".join(f"{lead_id}: {why}" for lead_id, why in failures.items())
            self._say("#bulk-failure-list", listing)
        self.query_one("#bulk-failures").display = bool(failures)
        keys = ["enter/escape: close"]
        if failures or report.not_started:
            keys.insert(0, "r: retry the rest")
        if self.journal.batch.changes() and not self.journal.batch.is_undo:
            keys.insert(0, "u: undo this batch")
        self._say("#bulk-keys", "   ".join(keys))

    def action_cancel_or_close(self) -> None:
        if self.running:
            self.cancel.set()
            self._say("#bulk-keys", "Cancelling: waiting for the leads being saved…")
        else:
            self.dismiss(self.changed_total)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.changed_total)

    def action_retry(self) -> None:
        from sendkit_tui.bulk.edit_resume import Journal

        if self.running or self.report is None or not self.journal.batch.pending():
            return
        self.journal = Journal.reopen(self.path, self.journal.batch)
        self._start()

    def action_undo(self) -> None:
        if self.running or self.journal.batch.is_undo or not self.journal.batch.changes():
            return
        self.start_undo()

    def start_undo(self) -> None:
        from sendkit_tui.bulk.edit_resume import Journal, new_batch

        batch = self.journal.batch
        undo = new_batch(self.target, [c.lead_id for c in batch.changes()], undo_of=batch)
        self.journal = Journal.open_new(self.path, undo)
        self.copies, self.prefer_fresh = {}, True
        self._start()
