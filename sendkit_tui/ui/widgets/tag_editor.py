"""Tags as an editable list: type and press enter to add, delete to remove."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from sendkit_tui.domain.rules import check_tag
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput


class TagChips(Widget, can_focus=True):
    HELP_GROUP = "Tags"
    """The current tags as chips; left/right selects one, delete removes it.

    In edit mode, tags the lead did not have are marked ``+`` and tags that
    were removed stay visible, struck through and marked ``-``, until saved;
    delete on a removed tag puts it back.
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Previous tag", show=False),
        Binding("right", "move(1)", "Next tag", show=False),
        Binding("delete,backspace", "remove", "Remove tag", id="tags.remove"),
    ]

    selected: reactive[int] = reactive(0)

    class Removed(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tags: list[str] = []
        self.original: list[str] | None = None

    def set_tags(self, tags: list[str], original: list[str] | None) -> None:
        original = None if original is None else list(original)
        changed = tags != self.tags or original != self.original
        self.tags = list(tags)
        self.original = original
        count = len(self.entries())
        self.can_focus = count > 0
        self.selected = min(self.selected, max(0, count - 1))
        if changed:  # the chips may wrap to more lines: a layout, but only when they change
            self.refresh(layout=True)

    def entries(self) -> list[tuple[str, str]]:
        """``(marker, tag)`` for every chip shown: current tags, then removed ones."""
        if self.original is None:
            return [(" ", tag) for tag in self.tags]
        before = {t.casefold() for t in self.original}
        now = {t.casefold() for t in self.tags}
        shown = [("+" if t.casefold() not in before else " ", t) for t in self.tags]
        shown += [("-", t) for t in self.original if t.casefold() not in now]
        return shown

    def render(self) -> Content:
        entries = self.entries()
        if not entries:
            return Content.styled("no tags", "dim italic")
        parts: list[Content] = []
        for index, (marker, tag) in enumerate(entries):
            label = sanitize(tag, single_line=True).replace(" ", "\u00a0")
            text = f"{marker}{label}" if marker != " " else label
            style = {"+": "bold $success", "-": "strike dim"}.get(marker, "")
            if self.has_focus and index == self.selected:
                style = f"{style} reverse".strip()
            parts.append(Content.styled(f"\u00a0{text}\u00a0", style or "on $boost"))
            parts.append(Content(" "))
        return Content.assemble(*parts)

    def action_move(self, step: int) -> None:
        count = len(self.entries())
        if count:
            self.selected = (self.selected + step) % count

    def action_remove(self) -> None:
        if self.entries():
            self.post_message(self.Removed(self.selected))

    def watch_selected(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class TagEditor(Vertical):
    """Input for a new tag, the chips, and an error line."""

    class Changed(Message):
        def __init__(self, editor: TagEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> TagEditor:
            return self.editor

    def __init__(self, *, id: str | None = "tags") -> None:
        super().__init__(id=id, classes="field-box tag-editor")
        self._tags: list[str] = []
        self._original: list[str] | None = None
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label("Tags", classes="field-label")
            yield SafeInput(
                placeholder="type a tag, enter to add",
                id="tag-input",
                select_on_focus=False,
                compact=True,
            )
        with Horizontal(classes="field-row"):
            yield Label("", classes="field-label")
            yield TagChips(id="tag-chips")
        yield Static("", classes="field-error", markup=False)

    @property
    def tags(self) -> list[str]:
        return list(self._tags)

    @property
    def pending_text(self) -> str:
        """What is typed in the input but not added yet."""
        return self.query_one("#tag-input", Input).value

    def set_tags(self, tags: list[str], *, original: list[str] | None = None) -> None:
        """Show ``tags``; ``original`` (edit mode) marks what changed."""
        self._tags = list(tags)
        self._original = None if original is None else list(original)
        self._refresh_chips()

    def add(self, text: str) -> str | None:
        """Add a tag; returns the reason when it is refused."""
        problem = check_tag(text, self._tags)
        if problem:
            self.show_error(problem)
            return problem
        self._tags.append(text.strip())
        self.show_error(None)
        self._refresh_chips()
        self.post_message(self.Changed(self))
        return None

    def show_error(self, message: str | None) -> None:
        message = message or None
        if message == self._error:
            return  # runs on every key in the tag input: no update, no layout
        self._error = message
        self.query_one(".field-error", Static).update(safe(message or ""))
        self.set_class(message is not None, "-has-error")

    def _refresh_chips(self) -> None:
        self.query_one(TagChips).set_tags(self._tags, self._original)

    @on(Input.Submitted, "#tag-input")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip() and not event.value:
            return
        if self.add(event.value) is None:
            event.input.value = ""

    @on(Input.Changed, "#tag-input")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
        if "," in event.value:
            self.show_error("A tag cannot contain a comma (the tag filter is comma-separated).")
        else:
            self.show_error(None)

    @on(TagChips.Removed)
    def _remove(self, event: TagChips.Removed) -> None:
        chips = self.query_one(TagChips)
        marker, tag = chips.entries()[event.index]
        if marker == "-":
            self._tags.append(tag)  # removed in this edit: put it back
        else:
            self._tags = [t for t in self._tags if t != tag]
        self.show_error(None)
        self._refresh_chips()
        if not chips.can_focus:
            self.query_one("#tag-input", Input).focus()
        self.post_message(self.Changed(self))
