"""The import's progress on stderr: a live ``rich.progress`` bar on a TTY, plain lines otherwise.

On a terminal: ``Importing leads.csv ━━━━━━━━╺━━━━ 12,000/20,000 rows  6,000 rows/s  0:00:02``,
redrawn by rich (which comes with Textual) between chunks too, so the rate and the time left
stay current. Not on a terminal (a pipe, a log file, CI): one plain line per chunk,
``[############........] 12,000/20,000 rows  6,000 rows/s  ETA 2s``.

The only text from outside our source is the file name; it is sanitised and shown with markup
off, so ``[bold]`` or an escape sequence in a name is printed as text.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from sendkit_tui.domain.text import clip, sanitize

BAR_WIDTH = 20


class ImportProgress:
    """``progress(sent, total)`` for ``run_import``; call ``finish()`` when the run ends."""

    def __init__(
        self,
        name: str = "",
        stream: TextIO | None = None,
        *,
        console: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.label = "Importing " + clip(sanitize(name, single_line=True), 40) if name else "Rows"
        self.clock = clock
        self.tty = console is not None or bool(getattr(self.stream, "isatty", lambda: False)())
        self.console = console
        self.started: float | None = None
        self.first_sent = 0
        self._live: Any = None
        self._task: Any = None

    # -- both modes -----------------------------------------------------------------------

    def __call__(self, sent: int, total: int) -> None:
        if self.started is None:
            self.started = self.clock()
            self.first_sent = sent
        if self.tty:
            self._draw(sent, total)
        else:
            self.stream.write(self.line(sent, total) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def rate(self, sent: int) -> float | None:
        if self.started is None or sent <= self.first_sent:
            return None
        elapsed = self.clock() - self.started
        return (sent - self.first_sent) / elapsed if elapsed > 0 else None

    # -- not a terminal: plain lines --------------------------------------------------------

    def line(self, sent: int, total: int) -> str:
        filled = BAR_WIDTH if total <= 0 else int(BAR_WIDTH * sent / total)
        text = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {sent:,}/{total:,} rows"
        rate = self.rate(sent)
        if rate:
            text += f"  {rate:,.0f} rows/s"
            if sent < total:
                seconds = int((total - sent) / rate + 0.999)
                text += f"  ETA {seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else (
                    f"  ETA {seconds}s"
                )  # fmt: skip
        return text

    # -- a terminal: rich ----------------------------------------------------------------

    def _draw(self, sent: int, total: int) -> None:
        if self._live is None:
            self._live, self._task = self._start(total)
        self._live.update(self._task, completed=sent, total=max(total, 1))

    def _start(self, total: int) -> tuple[Any, Any]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rows(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{int(task.completed):,}/{int(task.total or 0):,} rows")

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s")

        console = self.console or Console(file=self.stream, highlight=False, markup=False)
        live = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            Rows(),
            Rate(),
            TimeRemainingColumn(),
            console=console,
            get_time=self.clock,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        live.start()
        return live, live.add_task(self.label, total=max(total, 1))
