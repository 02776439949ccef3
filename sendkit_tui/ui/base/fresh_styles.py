"""Screens that are not styled again when nothing that styles them has changed.

Textual styles every widget as it is mounted, and then, each time a pushed screen is
resumed, styles the whole screen again (``ScreenResume.refresh_styles``). On a screen that
was just composed (or composed ahead of time, see ui/spare_form.py) nothing has changed in
between, and that pass was about a fifth of the time from ``n`` to a usable create form.

The mixin skips it when the theme and the stylesheet's sources are what they were when the
screen was last left (styled for them). A theme switched, or CSS added (a widget type's default CSS
loads on its first use) while the screen was away, and the resume styles it as Textual does.
Changes that happen while the screen is shown (focus, classes) restyle what they touch, as
always.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message


class StyledOnce:
    """Mixed into a ``Screen`` (before it in the bases)."""

    app: Any
    _styled_as: tuple[object, ...] | None = None

    def _style_inputs(self) -> tuple[object, ...]:
        app = self.app
        return (app.theme, app.ansi_color, len(app.stylesheet.source))

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenSuspend):
            # Leaving: what it is styled for now (widget types mounted since are in).
            self._styled_as = self._style_inputs()
        elif (
            isinstance(message, events.ScreenResume)
            and message.refresh_styles
            # None: the first resume, posted as the screen is pushed; its widgets are
            # styled as they mount, just after.
            and (self._styled_as is None or self._styled_as == self._style_inputs())
        ):
            message.refresh_styles = False
        return super().post_message(message)  # type: ignore[misc]
