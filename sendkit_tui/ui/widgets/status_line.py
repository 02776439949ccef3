"""One line above the footer: what the screen is doing now (no animation)."""

from __future__ import annotations

from textual.timer import Timer
from textual.widgets import Static

from sendkit_tui.domain.text import sanitize

BUSY_GRACE = 0.1
"""Seconds before a "busy" line shows: work that finishes sooner never flashes it."""


class StatusLine(Static):
    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id, markup=False)
        self._said: tuple[str, bool] = ("", False)
        self._pending: Timer | None = None

    def say(self, text: str, *, busy: bool = False) -> None:
        self._cancel_pending()
        line = ("● " if busy else "") + sanitize(text, single_line=True)
        if (line, busy) == self._said:
            return  # no re-render, no restyle: this runs on every keystroke in the edit form
        self._said = (line, busy)
        self.update(line, layout=False)  # one line of fixed height: a repaint is enough
        self.set_class(busy, "-busy")

    def say_soon(self, text: str, *, busy: bool = True, delay: float = BUSY_GRACE) -> None:
        """Say ``text`` unless something else is said within ``delay`` seconds.

        For "Saving…": a save that is answered at once goes straight to "Saved" in one
        frame, instead of drawing a busy line that the next frame (at least 1/60 s
        later, Textual's frame rate) replaces.
        """
        self._cancel_pending()
        timer: Timer | None = None

        def due() -> None:
            # A timer that fired just before something else was said has its callback
            # queued already (stop() cannot recall it): only the pending one may speak.
            if self._pending is not timer:
                return
            self._pending = None
            self.say(text, busy=busy)

        timer = self._pending = self.set_timer(delay, due)

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
