"""Hold the screen's next frame for a moment while an answer is probably on its way.

Textual draws at most once per 1/60 s, and a frame drawn just after another waits for the
slot after next (up to 33 ms). When ctrl+s both clears the form and sends the lead, the
cleared form would take the first frame and "Saved" the next one. Held for at most ``HOLD``
(less than one frame), both are drawn in one frame when SendKit answers at once, and the
cleared form alone when it does not. Keys are handled as usual meanwhile: only drawing waits.
"""

from __future__ import annotations

from contextlib import ExitStack, suppress
from typing import Any

from textual.timer import Timer

HOLD = 0.012  # seconds: the form stays within one frame of the key


class FrameHold:
    """One hold at a time, ended by ``release()`` or by its timer, whichever comes first.

    The timer is the app's, so a hold ends even if the screen that asked for it is gone."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._held: ExitStack | None = None
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, seconds: float | None = None) -> None:
        """Hold the next frame for ``seconds`` (``HOLD`` by default) or until released."""
        if self._held is not None or not self.app.is_running:
            return
        held = ExitStack()
        held.enter_context(self.app.batch_update())
        self._held = held
        self._timer = self.app.set_timer(
            HOLD if seconds is None else seconds, self.release, name="frame-hold"
        )

    def release(self) -> None:
        held, self._held = self._held, None
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()
        if held is None:
            return
        held.close()
        # What changed while held is waiting for the screen's next idle moment: ask for it
        # (unless the app is closing and has no screen left).
        with suppress(Exception):
            self.app.screen.check_idle()
