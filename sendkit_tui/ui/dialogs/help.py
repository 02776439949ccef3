"""``?`` / ``f1``: the keys of the screen that is open, grouped, and where to remap them.

The screen's own keys come first, then each part of it that has keys of its own (tags,
custom fields, the list), then the keys that work everywhere; Textual's text-editing keys
are folded into one line at the end.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from sendkit_tui.ui.safe import safe, safe_cell

TEXT_EDITING = "Text boxes"
TEXT_EDITING_KEYS = (
    "arrows, home/end, backspace/delete, ctrl+w/ctrl+u/ctrl+k delete a word/all, "
    "ctrl+x/c/v cut, copy, paste"
)


class HelpRow(NamedTuple):
    key: str
    action: str
    binding_id: str
    group: str


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, title: str, rows: list[HelpRow]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(safe(f"Keys: {self.title_text}"), classes="dialog-title")
            table: DataTable[Text] = DataTable(
                id="help-table", cursor_type="row", show_cursor=False
            )
            table.add_column("Key", width=14)
            table.add_column("Action", width=30)
            table.add_column(safe_cell("Binding id (config.toml [keymap])"), width=40)
            group = None
            for row in self.rows:
                if row.group != group:
                    group = row.group
                    table.add_row(Text(group, style="bold"), Text(""), Text(""))
                table.add_row(safe_cell(row.key), safe_cell(row.action), safe_cell(row.binding_id))
            yield table
            yield Static(  # safe(): the brackets are text, not markup
                safe('Remap a key in config.toml, e.g.  [keymap]  leads.new = "ctrl+n"'),
                classes="dialog-text",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def help_group(node: DOMNode, screen: Screen) -> str:
    """The heading a node's keys go under: its ``HELP_GROUP``, else the screen's name."""
    named = getattr(type(node), "HELP_GROUP", None)
    if isinstance(named, str):
        return named
    if node is screen.app:
        return "Everywhere"
    return str(getattr(type(screen), "HELP_GROUP", None) or screen.sub_title or "This screen")


def _ours(node: DOMNode) -> bool:
    return type(node).__module__.startswith("sendkit_tui.") and bool(type(node).BINDINGS)


def _own_bindings(node: DOMNode, keymap: dict[str, str]) -> list[Binding]:
    """The bindings ``node``'s own classes declare (ours, not Textual's), keymap applied."""
    out: list[Binding] = []
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("sendkit_tui.") or "BINDINGS" not in cls.__dict__:
            continue
        for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]):
            if binding.id and binding.id in keymap:
                binding = binding.with_key(keymap[binding.id])
            out.append(binding)
    return out


def help_rows(screen: Screen, keymap: dict[str, str] | None = None) -> list[HelpRow]:
    """Every key ``screen`` offers: its own, its parts', then the app's; editing keys last."""
    app = screen.app
    nodes: list[DOMNode] = [screen, *(w for w in screen.walk_children() if _ours(w)), app]
    keys: dict[tuple[str, str], list[str]] = {}  # (group, action) -> key displays
    about: dict[tuple[str, str], tuple[str, str]] = {}  # -> (description, id)
    for node in nodes:
        group = help_group(node, screen)
        for binding in _own_bindings(node, keymap or {}):
            if not binding.description:
                continue
            slot = (group, binding.action)
            shown = keys.setdefault(slot, [])
            display = app.get_key_display(binding)
            if display not in shown:
                shown.append(display)
            about.setdefault(slot, (binding.description, binding.id or ""))
    rows = [HelpRow(" ".join(shown), *about[slot], slot[0]) for slot, shown in keys.items()]
    rows.append(HelpRow("^p", "Command palette", "", "Everywhere"))
    order = list(dict.fromkeys(row.group for row in rows))
    order.remove("Everywhere")
    order.append("Everywhere")
    rows.sort(key=lambda row: order.index(row.group))  # stable: keeps each group's order
    if any(isinstance(w, Input) for w in screen.walk_children()):
        rows.append(HelpRow("…", TEXT_EDITING_KEYS, "", TEXT_EDITING))
    return rows
