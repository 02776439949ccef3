"""An Input that draws control and bidi characters as visible symbols."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from sendkit_tui.safe_text import ControlPictures


class SafeInput(Input):
    """``Input`` for any text that may hold pasted or server data (see ``ControlPictures``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlPictures())
        super().__init__(*args, **kwargs)
