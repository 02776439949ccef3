"""The list's footer at narrow widths: the essential keys stay, the others wait in ``?``.

Mixed into ``LeadsScreen``. Textual's footer shows every binding whose ``show`` is set and
cuts off the rest at the right edge, so at 80 columns Quit fell off. Below ``NARROW``
columns only the bindings in ``ESSENTIAL`` are shown; ``?`` (help, which lists every key
whatever the width) is always shown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import events
from textual.binding import ActiveBinding

NARROW = 140  # below this many columns the full footer is cut off: essential keys only
ESSENTIAL = frozenset({"leads.open", "leads.new", "leads.search", "leads.tags", "app.quit"})
HELP_ID, HELP_KEY = "app.help", "question_mark"


class ListFooter:
    """Needs the screen's ``size`` and ``refresh_bindings`` (it is mixed into a ``Screen``)."""

    size: Any
    refresh_bindings: Any
    _narrow = False

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        narrow = self._narrow
        shown: dict[str, ActiveBinding] = {}
        for key, active in bindings.items():
            binding = active.binding
            if binding.id == HELP_ID and key == HELP_KEY:
                binding = replace(binding, show=True, key_display="?")
            elif narrow and binding.show and binding.id not in ESSENTIAL:
                binding = replace(binding, show=False)
            shown[key] = active._replace(binding=binding)
        return shown

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            self.refresh_bindings()
