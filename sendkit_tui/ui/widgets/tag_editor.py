"""Tags: type and press enter to add (commas or semicolons separate several), delete on a
chip to remove or restore it.

A view of the form's ``LeadEdit``: the model holds the tags and decides what changed
(a set: a restored tag returns to its place, a reorder is no change); this widget sends
it commands and draws ``tag_entries()``. Enter is handled inside the tag input itself, in
the order typed, so "one⏎two⏎" typed fast makes two tags (see ui/keys.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from sendkit_tui.domain.completion import TAGS
from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.completion import completion_for, field_suggester
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput


class TagInput(SafeInput):
    """The new-tag box: enter adds what is typed, before the next key is handled."""

    PASS_ON: ClassVar[frozenset[str]] = frozenset()  # enter too is handled here, in order

    def __init__(self, on_enter: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_enter = on_enter

    async def action_submit(self) -> None:
        if self.on_enter(self.value):
            self.value = ""


class TagChips(Widget, can_focus=True):
    """The tags as chips; left/right selects one, delete removes or restores it.

    In edit mode, tags the lead did not have are marked ``+`` and removed ones stay
    visible, struck through and marked ``-``, until saved. Always a tab stop (with or
    without tags), so the form's tab order never changes.
    """

    HELP_GROUP = "Tags"
    BINDINGS = [
        Binding("left", "move(-1)", "Previous tag", show=False, priority=True),
        Binding("right", "move(1)", "Next tag", show=False, priority=True),
        Binding(
            "delete,backspace",
            "toggle_chip",
            "Remove / restore tag",
            id="tags.remove",
            priority=True,
        ),
    ]

    selected: reactive[int] = reactive(0)

    class Toggled(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[tuple[str, str]] = []

    def show(self, entries: list[tuple[str, str]]) -> None:
        if entries == self.entries:
            return
        self.entries = list(entries)
        self.selected = min(self.selected, max(0, len(entries) - 1))
        self.refresh(layout=True)  # the chips may wrap to more lines

    def render(self) -> Content:
        if not self.entries:
            return Content.styled("no tags", "dim italic")
        parts: list[Content] = []
        for index, (marker, tag) in enumerate(self.entries):
            label = sanitize(tag, single_line=True).replace(" ", "\u00a0")
            text = f"{marker}{label}" if marker != " " else label
            style = {"+": "bold $success", "-": "strike dim"}.get(marker, "")
            if self.has_focus and index == self.selected:
                style = f"{style} reverse".strip()
            parts.append(Content.styled(f"\u00a0{text}\u00a0", style or "on $boost"))
            parts.append(Content(" "))
        return Content.assemble(*parts)

    def action_move(self, step: int) -> None:
        if self.entries:
            self.selected = (self.selected + step) % len(self.entries)

    def action_toggle_chip(self) -> None:
        if self.entries:
            self.post_message(self.Toggled(self.selected))

    def watch_selected(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class TagEditor(Vertical):
    """Input for new tags, the chips, and an error line."""

    BLANK = True  # nothing drawn of its own (see LeadForm.BLANK)

    class Changed(Message):
        """The tags changed (a command reached the model)."""

        def __init__(self, editor: TagEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> TagEditor:
            return self.editor

    def __init__(self, model: LeadEdit, *, id: str | None = "tags") -> None:
        super().__init__(id=id, classes="field-box tag-editor")
        self.model = model
        self._error: str | None = None
        self._hint = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label("Tags", classes="field-label")
            yield TagInput(
                self.add_text,
                placeholder="type a tag, enter to add (comma or ; for several)",
                id="tag-input",
                select_on_focus=False,
                compact=True,
                suggester=field_suggester(self, TAGS),
            )
        with Horizontal(classes="field-row"):
            yield Label("", classes="field-label")
            yield TagChips(id="tag-chips")
        yield Static("", classes="field-error", markup=False)
        yield Static("", classes="tag-hint", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()

    @property
    def input(self) -> TagInput:
        return self.query_one(TagInput)

    @property
    def pending_text(self) -> str:
        """What is typed in the input but not added yet."""
        return self.input.value

    def add(self, text: str) -> str | None:
        """Add one tag; returns the reason when it is refused."""
        problem = self.model.add_tag(text)
        self.show_error(problem)
        self.refresh_view()
        self.post_message(self.Changed(self))
        return problem

    def add_text(self, text: str) -> bool:
        """Add every tag in ``text``; True when all were taken (the input then clears)."""
        if not text.strip():
            return False
        refused = self.model.add_tags_from_text(text)
        self.show_error(refused[0][1] if refused else None)
        self.refresh_view()
        self.post_message(self.Changed(self))
        if refused:
            self.input.value = ", ".join(piece for piece, _ in refused)
        return not refused

    def show_error(self, message: str | None) -> None:
        message = message or None
        if message == self._error:
            return  # runs on every change: no update, no layout
        self._error = message
        self.query_one(".field-error", Static).update(safe(message or ""))
        self.set_class(message is not None, "-has-error")

    @on(Input.Changed, "#tag-input")
    def _typed(self, event: Input.Changed) -> None:
        """A tag typed in another case or spacing than the workspace's: say so (Textual
        draws a completion only when it is longer than the text; → takes it either way)."""
        known = completion_for(self.app).vocabulary.known_tag(event.value)
        hint = f"in use as {sanitize(known, single_line=True)!r}: → takes that spelling"
        self.show_hint(hint if known and not known.startswith(event.value) else "")

    def show_hint(self, message: str) -> None:
        if message == self._hint:
            return  # runs on every keystroke: no update, no layout
        self._hint = message
        self.query_one(".tag-hint", Static).update(safe(message))
        self.set_class(bool(message), "-has-hint")

    def refresh_view(self) -> None:
        """Draw what the model holds (after a command, an undo or a load)."""
        self.query_one(TagChips).show(self.model.tag_entries())

    def on_tag_chips_toggled(self, event: TagChips.Toggled) -> None:
        event.stop()
        self.model.toggle_tag(event.index)
        self.show_error(None)
        self.refresh_view()
        self.post_message(self.Changed(self))
