"""Screens that style their widgets once when they open, not twice.

Textual styles every widget as it is mounted, and then, when the pushed screen is resumed,
styles the whole screen again (``ScreenResume.refresh_styles``). On a screen that was just
composed nothing has changed in between, and that second pass was about a fifth of the
time from ``n`` to a usable create form. This mixin turns it off for the first resume
only: later resumes (back from a dialog, after a theme change) refresh as Textual does.
"""

from __future__ import annotations

from textual import events
from textual.message import Message


class StyledOnce:
    """Mixed into a ``Screen`` (before it in the bases)."""

    _styled_at_mount = True

    def post_message(self, message: Message) -> bool:
        if self._styled_at_mount and isinstance(message, events.ScreenResume):
            self._styled_at_mount = False
            message.refresh_styles = False
        return super().post_message(message)  # type: ignore[misc]
