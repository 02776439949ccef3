"""Bulk edit, step one: choose the operation for the target leads.

One text box takes what the operation needs (tags, ``key=value``, or a key); the operation is
chosen with up and down (the text box keeps focus) and is "add tags" by default, so
``b``, ``vip``, enter adds the tag ``vip``. Enter answers the ``BulkOp``; escape answers None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from sendkit_tui.domain.bulk_edit import KINDS, BulkOp
from sendkit_tui.domain.tag_changes import TAG_SEPARATORS
from sendkit_tui.ui.keys import focused_caught_up
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput

LABELS = {
    "add_tags": "Add tags",
    "remove_tags": "Remove tags",
    "set_field": "Set custom field (key=value)",
    "delete_field": "Delete custom field (key)",
}
HINTS = {
    "add_tags": "tags to add, comma-separated",
    "remove_tags": "tags to remove, comma-separated",
    "set_field": "key=value",
    "delete_field": "custom field name",
}


def parse_op(kind: str, text: str) -> BulkOp | str:
    """The operation typed, or the problem with it."""
    if kind in ("add_tags", "remove_tags"):
        tags = [t for t in TAG_SEPARATORS.split(text) if t.strip()]
        op = BulkOp.add_tags(tags) if kind == "add_tags" else BulkOp.remove_tags(tags)
    elif kind == "set_field":
        if "=" not in text:
            return "Type the field as key=value."
        key, value = text.split("=", 1)
        op = BulkOp.set_field(key, value.strip())
    else:
        op = BulkOp.delete_field(text)
    return op.problem() or op


class BulkEditDialog(ModalScreen[BulkOp | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", show=False),
        # Priority: they act in the order typed, before an enter typed after them.
        Binding("up", "step(-1)", "Operation above", show=False, priority=True),
        Binding("down", "step(1)", "Operation below", show=False, priority=True),
        Binding("enter", "submit", "Go on", show=False, priority=True),
        Binding("y", "confirm(True)", "Apply", show=False, priority=True),
        Binding("n", "confirm(False)", "Back", show=False, priority=True),
    ]

    def __init__(self, target: str, *, confirm: bool = False) -> None:
        """``confirm``: ask once more, naming ``target`` (all leads matching a filter)."""
        super().__init__(classes="dialog-screen")
        self.target = target  # "3 marked leads" / "all 340 leads matching …"
        self.kind = "add_tags"
        self.confirm = confirm
        self.asking: BulkOp | None = None  # the operation waiting for y / n

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="bulk-edit"):
            yield Static("Bulk edit", classes="dialog-title")
            yield Static(safe(f"Applies to {self.target}."), id="bulk-target")
            with RadioSet(id="bulk-kind"):
                for index, kind in enumerate(KINDS):
                    yield RadioButton(LABELS[kind], value=index == 0)
            yield SafeInput(placeholder=HINTS["add_tags"], id="bulk-text")
            yield Static("", id="bulk-problem", classes="field-error")
            yield Static("", id="bulk-question")
            yield Static(
                "up/down: operation   enter: go on   escape: cancel", classes="dialog-text"
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#bulk-text", Input))

    def action_step(self, delta: int) -> None:
        """Up and down choose the operation while the text box keeps focus."""
        if self.asking is not None:
            return
        index = (KINDS.index(self.kind) + delta) % len(KINDS)
        self.kind = KINDS[index]
        self.query_one("#bulk-text", Input).placeholder = HINTS[self.kind]
        list(self.query(RadioButton))[index].value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.kind = KINDS[event.index]
        self.query_one("#bulk-text", Input).placeholder = HINTS[self.kind]
        self.query_one("#bulk-problem", Static).update("")
        self.set_focus(self.query_one("#bulk-text", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.asking is not None
        return True

    async def action_submit(self) -> None:
        await focused_caught_up(self.app)  # the text typed before enter is in the box
        if self.asking is not None:
            self.dismiss(self.asking)
            return
        answer = parse_op(self.kind, self.query_one("#bulk-text", Input).value)
        if isinstance(answer, str):
            self.query_one("#bulk-problem", Static).update(safe(answer))
            return
        if not self.confirm:
            self.dismiss(answer)
            return
        self.asking = answer
        self.query_one("#bulk-problem", Static).update("")
        question = (
            f"Nothing is marked: {answer.describe()} on {self.target}? y / enter: apply, n: back"
        )
        self.query_one("#bulk-question", Static).update(safe(question))
        self.query_one("#bulk-text", Input).disabled = True

    def action_confirm(self, yes: bool) -> None:
        if yes and self.asking is not None:
            self.dismiss(self.asking)
            return
        self.asking = None
        self.query_one("#bulk-question", Static).update("")
        box = self.query_one("#bulk-text", Input)
        box.disabled = False
        self.set_focus(box)
