"""The list's key bar at any width: the essential keys first, then as many others as fit.

Mixed into ``LeadsScreen``. The key bar (ui/widgets/key_bar.py) draws the keys in the order
of ``active_bindings`` and leaves out, whole, those that do not fit. Here the essential keys
(open, new, search, tag filter, quit, and ``?``, whose help lists every key whatever the
width) come first, so a narrow terminal keeps them and fills what room is left with the
rest (bulk edit, details, delete…) in their usual order.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding

ESSENTIAL = ("leads.open", "leads.new", "leads.search", "leads.tags", "app.quit", "app.help")
HELP_ID, HELP_KEY = "app.help", "question_mark"


class ListFooter:
    """Mixed into a ``Screen``: its ``active_bindings``, essential keys first."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        first: dict[str, ActiveBinding] = {}
        rest: dict[str, ActiveBinding] = {}
        for key, active in bindings.items():
            binding = active.binding
            if binding.id == HELP_ID and key == HELP_KEY:
                binding = replace(binding, show=True, key_display="?")
            shown = active._replace(binding=binding)
            (first if binding.id in ESSENTIAL else rest)[key] = shown
        ordered = sorted(first.items(), key=lambda item: ESSENTIAL.index(item[1].binding.id))
        return {**dict(ordered), **rest}
