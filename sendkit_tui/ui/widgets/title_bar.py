"""The top line of every screen: the palette icon, then the title, drawn by one widget.

Textual's ``Header`` is four widgets (the header, icon, title and clock space) and draws its
title through watchers it schedules once mounted: one more frame after the first, and on a
form composed ahead of time (ui/spare_form.py) a watcher that could run after an app shutting
down had already removed the title widget. This bar looks the same (``App.format_title``:
the title, then the screen's or the app's sub-title, dim), reads the titles when it draws,
and redraws when one changes. A click on the icon opens the command palette.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # the icon's cell, as Textual's header: " ⭘" and padding
RIGHT = 10  # blank at the right, where Textual's header keeps room for a clock


class TitleBar(Widget, can_focus=False):
    """``⭘        sendkit-tui — New lead`` (styles in app.tcss)."""

    ALLOW_SELECT = False

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._retitle, init=False)
            self.watch(node, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def title_content(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        middle = max(0, width - ICON_WIDTH - RIGHT)
        title = self.title_content()
        if title.cell_length > middle:
            title = title.truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        icon = f" {ICON}" if self.app.ENABLE_COMMAND_PALETTE else ""
        icon = icon.ljust(ICON_WIDTH)
        return Content.assemble(icon, " " * left, title)

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
