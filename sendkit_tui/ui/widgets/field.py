"""A labelled one-line input with its own error line underneath."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.safe_input import SafeInput

Check = Callable[[str], "str | None"]
Describe = Callable[[str, bool], "tuple[str, bool]"]
"""``(text, settled) -> (hint, warning)``: settled is False while the user is typing."""


class FieldBox(Vertical):
    """``Label  [ input            ]`` with an error line that appears under it, and a muted
    hint line (how the value will be sent) that an error hides.

    The error is shown when the user leaves the field, and on save; while the
    user types, a shown error is re-checked and cleared once the value is fixed,
    but a new error never pops up mid-word.
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
        suggester: Suggester | None = None,
    ) -> None:
        super().__init__(id=f"box-{field}", classes="field-box")
        self.field = field
        self.label = label
        self._check = check
        self._describe = describe
        self._placeholder = placeholder
        self._read_only = read_only
        self._password = password
        self._suggester = suggester  # completion from the workspace (ui/completion.py)
        self._error: str | None = None
        self._hint = ""

    def compose(self) -> ComposeResult:
        # A grid (label | input, then the error across both): no row container, so a
        # keystroke repaints one widget fewer and the form has one widget less per field.
        yield Label(self.label, classes="field-label")
        yield SafeInput(
            placeholder=self._placeholder,
            id=f"field-{self.field}",
            password=self._password,
            disabled=self._read_only,
            select_on_focus=False,
            compact=True,
            suggester=self._suggester,
        )
        yield Static("", classes="field-error", markup=False)
        yield Static("", classes="field-hint", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

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
        error_line = self.query_one(".field-error", Static)
        error_line.update(safe(message or ""))
        self.set_class(message is not None, "-has-error")

    @property
    def hint(self) -> str:
        return self._hint

    def show_hint(self, message: str, *, warning: bool = False) -> None:
        """A muted line under the field (how the value will be sent); hidden by an error."""
        if (message, warning) == (self._hint, self.has_class("-hint-warning")):
            return
        self._hint = message
        self.query_one(".field-hint", Static).update(safe(message))
        self.set_class(bool(message), "-has-hint")
        self.set_class(warning, "-hint-warning")

    def refresh_hint(self, *, settled: bool = True) -> None:
        if self._describe is not None:
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
        if self._error is not None and self._check is not None:
            message = self._check(event.value)
            if message is None:
                self.show_error(None)
