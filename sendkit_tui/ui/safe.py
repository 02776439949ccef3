"""Untrusted text as Textual/Rich renderables that are never parsed as markup.

``Content(...)`` and ``Text(...)`` do not parse markup; the characters that could
drive the terminal are made visible first by ``sendkit_tui.domain.text``.
See docs/ARCHITECTURE.md, "Untrusted text".
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content

from sendkit_tui.domain.text import clip, pictures, sanitize

__all__ = ["ControlPictures", "safe", "safe_cell", "sanitize"]


def safe(value: object, *, single_line: bool = False) -> Content:
    """Textual ``Content`` for labels, statics, banners and options."""
    return Content(sanitize(value, single_line=single_line))


def safe_cell(value: object, limit: int | None = None) -> Text:
    """A Rich ``Text`` for DataTable cells (a ``str`` cell would be parsed as markup)."""
    text = sanitize(value, single_line=True)
    if limit is not None:
        text = clip(text, limit)
    return Text(text, no_wrap=True, overflow="ellipsis")


class ControlPictures(Highlighter):
    """For ``Input(highlighter=...)``: the value stays as typed (nothing the user did not
    change is ever sent), but what is drawn can no longer drive the terminal. One symbol
    per character keeps the cursor where it belongs."""

    def __call__(self, text: str | Text) -> Text:
        plain = text.plain if isinstance(text, Text) else text
        shown = Text(pictures(plain), no_wrap=True, overflow="ignore", end="")
        if isinstance(text, Text):
            shown.style = text.style
        return shown

    def highlight(self, text: Text) -> None:  # required by the ABC; __call__ does the work
        return None
