"""A lead's local history (f2 on the edit form), and the review of undoing a save.

Newest first: when (local time), from where, then each field old → new. Every value is
data, shown through ``ui/safe.py``. Fits 80 by 24: the list scrolls inside the box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sendkit_tui.domain.patch import MAP_FIELD
from sendkit_tui.domain.rules import field_label
from sendkit_tui.domain.text import clip
from sendkit_tui.storage.history import Change, HistoryEntry
from sendkit_tui.ui.dialogs.review import ReviewScreen
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sendkit_tui.api import Lead

SOURCES = {"edit": "edit form", "create": "created", "bulk": "bulk change", "undo": "undo"}


def local_time(entry: HistoryEntry) -> str:
    return entry.when().astimezone().strftime("%Y-%m-%d %H:%M:%S")


def shown(value: Any) -> str:
    if value in (None, ""):
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return repr(clip(str(value), 40))


def change_line(change: Change) -> str:
    if change.field == "tags":
        before = {str(t).casefold() for t in change.before or []}
        after = {str(t).casefold() for t in change.after or []}
        added = [f"+{t}" for t in change.after or [] if str(t).casefold() not in before]
        removed = [f"-{t}" for t in change.before or [] if str(t).casefold() not in after]
        return f"Tags: {' '.join([*added, *removed]) or 'order changed'}"
    label = field_label(change.field)
    return f"{label[:1].upper()}{label[1:]}: {shown(change.before)} → {shown(change.after)}"


def _name(change: Change) -> str:
    return change.field.split(".", 1)[1]


def lines_and_labels(entry: HistoryEntry) -> tuple[list[str], list[str]]:
    """Each change as a line (old → new) and a short label; a custom field removed and one
    added with the same value are shown as one rename."""
    changes = entry.changes()
    custom = [c for c in changes if c.field.startswith(f"{MAP_FIELD}.")]
    gone = [c for c in custom if c.after is None and c.before is not None]
    renamed: dict[str, Change] = {}  # new field -> the old one it came from
    for new in (c for c in custom if c.before is None and c.after is not None):
        old = next((g for g in gone if g.before == new.after and g not in renamed.values()), None)
        if old is not None:
            renamed[new.field] = old
    used = {c.field for c in renamed.values()}
    lines: list[str] = []
    labels: list[str] = []
    for change in changes:
        if change.field in used:
            continue
        old = renamed.get(change.field)
        if old is not None:
            lines.append(
                f"Custom field {_name(old)!r} renamed {_name(change)!r} ({shown(change.after)})"
            )
            labels.append(f"custom field {_name(old)!r} renamed {_name(change)!r}")
            continue
        lines.append(change_line(change))
        labels.append(field_label(change.field))
    return lines, labels


def summary(entry: HistoryEntry, limit: int = 60) -> str:
    """The fields an entry changed, in a few words."""
    return clip(", ".join(lines_and_labels(entry)[1]) or "no change", limit)


def entry_heading(entry: HistoryEntry, by_id: dict[str, HistoryEntry]) -> str:
    where = SOURCES.get(entry.source, entry.source)
    undone = by_id.get(entry.undoes or "")
    if undone is not None:
        where = f"undo of the save of {local_time(undone)}"
    return f"{local_time(entry)} · {where}"


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    .history { width: 76; max-height: 22; }
    #history-list { height: auto; max-height: 16; }
    .history-when { height: auto; text-style: bold; }
    .history-changes { height: auto; padding-left: 2; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,f2", "close", "Close", id="history.close", priority=True)]

    def __init__(self, email: str, entries: list[HistoryEntry]) -> None:
        super().__init__(classes="dialog-screen")
        self.email = email
        self.entries = entries

    def compose(self) -> ComposeResult:
        by_id = {e.id: e for e in self.entries}
        with Vertical(classes="dialog history"):
            yield Static(
                safe(f"History of {self.email} (kept on this computer)"), classes="dialog-title"
            )
            with VerticalScroll(id="history-list"):
                if not self.entries:
                    yield Static("No saves of this lead are recorded here yet.")
                for entry in reversed(self.entries):
                    lines = lines_and_labels(entry)[0] or ["(nothing needed to change)"]
                    if entry.masked:
                        lines.append("(text that looks like an API key was not kept)")
                    yield Static(safe(entry_heading(entry, by_id)), classes="history-when")
                    yield Static(safe("\n".join(lines)), classes="history-changes")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)


class UndoReviewScreen(ReviewScreen):
    """The review dialog, headed "Undo the save of <time>: <summary>"."""

    BINDINGS = [
        Binding("ctrl+s", "answer(True)", "Send the undo", priority=True, id="review.save"),
        Binding("escape", "answer(False)", "Cancel", id="review.back"),
    ]

    def __init__(
        self, lead: Lead, patch: dict[str, Any], baseline: dict[str, Any], *, heading: str
    ) -> None:
        super().__init__(lead, patch, baseline)
        self.heading = heading

    def on_mount(self) -> None:
        box = self.query_one(".review")
        box.mount(Static(safe(self.heading), classes="dialog-title", id="undo-heading"), before=0)
