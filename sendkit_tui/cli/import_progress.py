"""The import's progress on stderr: one line per chunk when not a TTY, a live bar on a TTY."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

BAR_WIDTH = 20


class ProgressBar:
    """``[#####.....] 12,000/20,000 rows  ETA 4s`` on stderr: ``\\r`` on a TTY, else lines."""

    def __init__(self, stream: TextIO | None = None, clock: Any = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock
        self.started: float | None = None
        self.first_sent = 0
        self.last_width = 0

    def render(self, sent: int, total: int) -> str:
        filled = BAR_WIDTH if total <= 0 else int(BAR_WIDTH * sent / total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        text = f"[{bar}] {sent:,}/{total:,} rows"
        eta = self.eta(sent, total)
        if eta is not None:
            text += f"  ETA {eta}"
        return text

    def eta(self, sent: int, total: int) -> str | None:
        if self.started is None or sent <= self.first_sent or sent >= total:
            return None
        elapsed = self.clock() - self.started
        rate = (sent - self.first_sent) / elapsed if elapsed > 0 else 0
        if rate <= 0:
            return None
        seconds = int((total - sent) / rate + 0.999)
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"

    def __call__(self, sent: int, total: int) -> None:
        if self.started is None:
            self.started = self.clock()
            self.first_sent = sent
        text = self.render(sent, total)
        if self.tty:
            pad = " " * max(0, self.last_width - len(text))
            self.stream.write("\r" + text + pad)
            self.last_width = len(text)
            if sent >= total:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self.last_width:
            self.stream.write("\n")
            self.stream.flush()
            self.last_width = 0
