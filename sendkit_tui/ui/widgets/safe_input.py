"""An Input that draws control and bidi characters as visible symbols."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from sendkit_tui.ui.safe import ControlPictures


class SafeInput(Input):
    """``Input`` for any text that may hold pasted or server data (see ``ControlPictures``).

    ``Input`` sets its virtual size (text width + cursor) on every keystroke, and the
    base ``virtual_size`` reactive asks for a layout of the whole screen each time it
    changes: in a form with dozens of widgets that full reflow was most of the cost of
    a keystroke. Our inputs have a fixed size (the virtual size only bounds horizontal
    scrolling, which reads the reactive directly), so a repaint is enough. ``Input``
    still requests a layout itself when its own size is ``auto``.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlPictures())
        super().__init__(*args, **kwargs)
