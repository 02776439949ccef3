"""One line above the footer: what the screen is doing now (no animation)."""

from __future__ import annotations

from textual.widgets import Static

from sendkit_tui.safe_text import sanitize


class StatusLine(Static):
    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id, markup=False)
        self._said: tuple[str, bool] = ("", False)

    def say(self, text: str, *, busy: bool = False) -> None:
        line = ("● " if busy else "") + sanitize(text, single_line=True)
        if (line, busy) == self._said:
            return  # no re-render, no restyle: this runs on every keystroke in the edit form
        self._said = (line, busy)
        self.update(line)
        self.set_class(busy, "-busy")
