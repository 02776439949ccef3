"""The key bar at the bottom of every screen: one widget that draws the screen's keys.

Textual's ``Footer`` builds one widget per key and rebuilds them all whenever the bindings
change, which is every focus move: mounting them after the first frame held up the first
key typed at start-up by 40 to 85 ms, and every form opened with eight more widgets to style.
This bar draws the same keys as one line of text, from ``Screen.active_bindings``, from its
very first frame, and redraws (no mounting) when the bindings change. A click on a key
presses it, as on Textual's footer. Keys that do not fit are left out whole, never cut; the
palette key stays at the right edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

GAP = 0  # columns between two keys (each key has a space either side)


@dataclass(frozen=True)
class Shown:
    """One key drawn in the bar: what it presses, and where (columns, end exclusive)."""

    key: str
    description: str
    enabled: bool
    start: int
    end: int


class KeyBar(Widget, can_focus=False):
    """``^s Save  esc Back  …                 ^p palette`` (styles in app.tcss)."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    ALLOW_SELECT = False

    def __init__(self, *, palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.palette = palette
        self.shown: list[Shown] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def entries(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The keys to show (one per action, in binding order) and the palette key."""
        keys: dict[str, tuple[Binding, bool]] = {}
        palette = None
        app = self.app
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if self.palette and app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = (binding, active.enabled)
            elif binding.show and binding.action not in keys:
                keys[binding.action] = (binding, active.enabled)
        return list(keys.values()), palette

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        keys, palette = self.entries()
        right = self._piece(palette, key_style, text_style) if palette else None
        room = width - (right[0].cell_len + 1 if right else 0)
        line, shown = Text(no_wrap=True, overflow="crop"), list[Shown]()
        for binding, enabled in keys:
            piece, label = self._piece((binding, enabled), key_style, text_style)
            start = line.cell_len + (GAP if shown else 0)
            if start + piece.cell_len > room:
                continue  # left out whole; a shorter key after it may still fit
            if shown:
                line.append(" " * GAP)
            line.append_text(piece)
            shown.append(Shown(binding.key, label, enabled, start, line.cell_len))
        if right is not None and palette is not None:
            piece, label = right
            start = max(line.cell_len + 1, width - piece.cell_len)
            line.append(" " * (start - line.cell_len - 1))
            line.append("│", style=text_style)
            line.append_text(piece)
            shown.append(Shown(palette[0].key, label, palette[1], start, line.cell_len))
        self.shown = shown
        return line

    def _piece(self, entry: tuple[Binding, bool], key_style, text_style) -> tuple[Text, str]:
        binding, enabled = entry
        label = binding.description
        piece = Text.assemble((f" {self.app.get_key_display(binding)} ", key_style))
        if label:
            piece.append(f"{label} ", style=text_style)
        if not enabled:
            piece.stylize("dim")
        return piece, label

    def on_click(self, event: events.Click) -> None:
        for item in self.shown:
            if item.start <= event.x < item.end:
                event.stop()
                if item.enabled:
                    self.app.simulate_key(item.key)
                else:
                    self.app.bell()
                return
