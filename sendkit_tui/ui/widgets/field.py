"""A labelled one-line input with its own error line underneath."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Static

from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput

Check = Callable[[str], "str | None"]
Describe = Callable[[str, bool], "tuple[str, bool]"]
"""``(text, settled) -> (hint, warning)``: settled is False while the user is typing."""


class FieldBox(Vertical):
    """``Label  [ input            ]`` with one note line under it: the error when there is
    one, else a muted hint (how the value will be sent).

    The error is shown when the user leaves the field, and on save; while the
    user types, a shown error is re-checked and cleared once the value is fixed,
    but a new error never pops up mid-word.

    Two widgets per field, not four: the box draws its label itself (the input sits to
    its right, past a left margin) and the error and the hint share one line. Every
    widget a form has costs time each time the form opens (styles, layout, drawing).
    """

    def __init__(
        self,
        field: str,
        label: str,
        *,
        check: Check | None = None,
        describe: Describe | None = None,
        placeholder: str = "",
        read_only: bool = False,
        password: bool = False,
        value: str = "",
        suggester: Suggester | None = None,
    ) -> None:
        super().__init__(id=f"box-{field}", classes="field-box")
        self.field = field
        self.label = label
        self._check = check
        self._describe = describe
        self._error: str | None = None
        self._error_for: str | None = None  # the value the error was shown for
        self._hint = ""
        self._notice: tuple[str, bool] | None = None
        # Made here and kept, not queried: the form reads its inputs several times per key
        # and per save. ``value`` is the text it opens with (cheaper than setting it once
        # mounted); ``suggester`` completes from the workspace (ui/completion.py).
        self._input = SafeInput(
            value or None,
            placeholder=placeholder,
            id=f"field-{field}",
            password=password,
            disabled=read_only,
            select_on_focus=False,
            compact=True,
            suggester=suggester,
        )
        self._note = Static("", classes="field-note", markup=False)

    def compose(self) -> ComposeResult:
        yield self._input
        yield self._note

    def render(self) -> Content:
        """The label, drawn under the input's left margin (see app.tcss)."""
        return self._label_content

    @cached_property
    def _label_content(self) -> Content:
        return Content(self.label)

    @property
    def input(self) -> Input:
        return self._input

    @property
    def note(self) -> Static:
        """The line under the input: the error if any, else the hint."""
        return self._note

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str | None) -> None:
        self.input.value = text or ""
        self.input.cursor_position = len(self.input.value)

    @property
    def error(self) -> str | None:
        return self._error

    def show_error(self, message: str | None) -> None:
        message = message or None
        if message == self._error:
            return  # already shown (or already clear): no update, no layout
        self._error = message
        self._error_for = self.value  # cleared once the value differs and passes the check
        self.set_class(message is not None, "-has-error")
        self._show_note()

    def _show_note(self) -> None:
        self.note.update(safe(self._error or self._hint))

    @property
    def hint(self) -> str:
        return self._hint

    def show_hint(self, message: str, *, warning: bool = False) -> None:
        """A muted line under the field (how the value will be sent); hidden by an error."""
        if (message, warning) == (self._hint, self.has_class("-hint-warning")):
            return
        self._hint = message
        self.set_class(bool(message), "-has-hint")
        self.set_class(warning, "-hint-warning")
        if self._error is None:
            self._show_note()

    def show_notice(self, message: str, *, warning: bool = False) -> None:
        """A line the screen sets (a duplicate found), shown instead of the hint until it is
        cleared with ``""``; an error still hides it."""
        if message:
            self._notice = (message, warning)
            self.show_hint(message, warning=warning)
        elif self._notice is not None:
            self._notice = None
            self.show_hint("")
            self.refresh_hint(settled=False)

    def refresh_hint(self, *, settled: bool = True) -> None:
        if self._notice is not None:
            self.show_hint(self._notice[0], warning=self._notice[1])
        elif self._describe is not None:
            message, warning = self._describe(self.value, settled)
            self.show_hint(message, warning=warning)

    def validate(self) -> str | None:
        """Check the current value, show the outcome, and return the message."""
        message = self._check(self.value) if self._check else None
        self.show_error(message)
        self.refresh_hint()
        return message

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        event.stop()
        self.validate()

    @on(Input.Changed)
    def _on_change(self, event: Input.Changed) -> None:
        self.refresh_hint(settled=False)
        if event.value == self._error_for:
            return  # the value the error is about (drawn again, as when a lead is put back)
        if self._error is not None and self._check is not None:
            message = self._check(event.value)
            if message is None:
                self.show_error(None)
