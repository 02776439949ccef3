"""The input path: every key lands where it was typed, in order.

Textual handles a key in two places. Priority bindings run in the App's own task, and the
App routes no further key until they finish. Every other key is posted to the focused
widget's queue and handled there later, while the App goes on routing the next keys, to
the same widget, because focus has not moved yet.

So a key that moves focus or opens a screen (``n``, ``enter`` on a lead, ``/``, ``tab``,
the grid's ``enter``) is a priority binding: its action first waits until the focused
widget has handled every key typed before it (``caught_up``), then acts, and moves focus
at once (``Screen.set_focus``, not ``Widget.focus``, which defers). Only then does the App
route the next key, which therefore reaches the new field. See docs/ARCHITECTURE.md,
"The input path".
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


async def caught_up(node: DOMNode | None) -> None:
    """Wait until ``node`` has handled every message queued for it before now."""
    if node is None or not node.is_running:
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark() -> None:
        if not done.done():
            done.set_result(None)

    node.call_later(mark)  # queued after the keys already posted to it
    await done


async def focused_caught_up(app: App) -> None:
    """Wait for the focused widget (if any) to handle the keys typed before this one."""
    await caught_up(app.focused)
