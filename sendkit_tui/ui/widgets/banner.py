"""A message bar at the top of a form for errors that belong to no field."""

from __future__ import annotations

from textual.widgets import Static

from sendkit_tui.domain.text import sanitize


class Banner(Static):
    """Hidden until ``show``; severity ``error``, ``warning`` or ``info`` sets its colour.

    The message may hold server or exception text, so it is never parsed as markup.
    """

    def __init__(self, *, id: str | None = "banner") -> None:
        super().__init__("", id=id, markup=False)
        self.display = False
        self.message = ""
        self.severity = "info"

    def show(self, message: str, *, severity: str = "error", hint: str = "") -> None:
        self.message = sanitize(message)
        self.severity = severity
        text = self.message if not hint else f"{self.message}\n{hint}"
        self.update(text)
        for name in ("error", "warning", "info"):
            self.set_class(name == severity, f"-{name}")
        self.display = True

    def hide(self) -> None:
        if not self.display and not self.message:
            return  # already hidden: an update here would cost a layout of the screen
        self.message = ""
        self.update("")
        self.display = False
