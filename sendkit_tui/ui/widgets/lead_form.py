"""Every field of a lead, in the order of ``POST /v1/leads``, with inline errors.

Shared by the create and the edit screens, and a view of their ``LeadEdit``: the text
boxes hold what is typed (``sync`` copies it into the model before anything reads it), the
tag editor and the custom-fields grid send the model commands. ``show_model`` draws the
model back, leaving alone the boxes it is told to (fields the user is typing in).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input

from sendkit_tui.domain.clean import CLEANED_FIELDS
from sendkit_tui.domain.completion import FIELDS as SUGGESTED
from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.domain.rules import FIELD_LABELS, STANDARD_FIELDS, check_field
from sendkit_tui.ui.completion import field_suggester
from sendkit_tui.ui.widgets.custom_fields import CustomFieldsGrid
from sendkit_tui.ui.widgets.field import FieldBox
from sendkit_tui.ui.widgets.tag_editor import TagEditor

GROUP_SIZE = 3
"""Fields per group: see ``LeadForm.compose``."""

PLACEHOLDERS = {
    "email": "name@company.com",
    "phone": "+1 555 010 0199",
    "linkedinUrl": "https://www.linkedin.com/in/…",
    "country": "US",
}

KEEP_KEY = "ctrl+l"
"""Keeps the focused phone or LinkedIn URL as typed (the form screen's binding)."""
KEEPABLE = ("phone", "linkedinUrl")


class FieldGroup(Vertical):
    """A few fields in a column: no border and nothing drawn of its own."""

    BLANK = True  # see LeadForm.BLANK


class LeadForm(VerticalScroll):
    """The fields; no buttons and no network: screens decide what a save means."""

    # Drawn as blank lines in its background (it has no border and no content of its own;
    # its scrollbars are widgets apart). Textual redraws whole every widget inside a
    # container that a repaint touches: each key in a field redrew the form, its groups,
    # the tags and the custom fields line by line from their styles.
    BLANK = True

    def __init__(
        self, model: LeadEdit, *, email_read_only: bool = False, id: str | None = "lead-form"
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.email_read_only = email_read_only
        self.can_focus = False
        # Made here and kept, not queried: read several times per key and per save.
        self._boxes = {field: self._new_box(field) for field in STANDARD_FIELDS}
        self.tags = TagEditor(model)
        self.grid = CustomFieldsGrid(model)

    def _new_box(self, field: str) -> FieldBox:
        return FieldBox(
            field,
            FIELD_LABELS[field],
            check=partial(self._check, field),
            describe=partial(self._describe, field) if self._hinted(field) else None,
            placeholder="" if self.email_read_only else PLACEHOLDERS.get(field, ""),
            read_only=self.email_read_only and field == "email",
            value=self.model.text(field),
            suggester=field_suggester(self, field) if field in SUGGESTED else None,
        )

    def compose(self) -> ComposeResult:
        # The fields come in small groups (no style of their own): when one input is
        # repainted, Textual re-renders every widget whose container overlaps it, so
        # with groups a keystroke touches the groups and its own group's fields, not
        # every field of the form.
        for start in range(0, len(STANDARD_FIELDS), GROUP_SIZE):
            with FieldGroup(classes="field-group"):
                for field in STANDARD_FIELDS[start : start + GROUP_SIZE]:
                    yield self._boxes[field]
        yield self.tags
        yield self.grid

    def _hinted(self, field: str) -> bool:
        return field in KEEPABLE or (field == "email" and not self.email_read_only)

    def _sent(self, field: str, text: str) -> str:
        return self.model.cleaned(field, text, country=self.box("country").value).value

    def _check(self, field: str, text: str) -> str | None:
        """The field's rule, applied to what would be sent (a LinkedIn URL without https://
        is fine once cleaned)."""
        return check_field(field, self._sent(field, text) if field in CLEANED_FIELDS else text)

    def _describe(self, field: str, text: str, settled: bool) -> tuple[str, bool]:
        """The hint under a cleaned field: how it will be sent, or why it cannot be cleaned
        (problems only once the user leaves the field, not mid-word)."""
        model = self.model
        if model.is_baseline_text(field, text):
            return "", False  # the stored value, not sent again
        if field in model.keep_typed:
            cleaned = model.cleaned(field, text, country=self.box("country").value, keep=False)
            if cleaned.note and cleaned.ok:
                return f"will be sent as typed · {KEEP_KEY} sends {cleaned.value}", False
            return "", False
        cleaned = model.cleaned(field, text, country=self.box("country").value)
        if not cleaned.ok:
            return (cleaned.note, True) if settled else ("", False)
        if cleaned.note and field in KEEPABLE:
            return f"{cleaned.note} · {KEEP_KEY} keeps it as typed", False
        return cleaned.note, False

    def fill(self, values: dict[str, str]) -> list[str]:
        """Put ``values`` (standard fields) into their boxes as if typed; the labels filled.

        Boxes not named keep what they hold; nothing is saved."""
        filled = []
        for field in STANDARD_FIELDS:
            if field in values and not self.box(field).input.disabled:
                self.box(field).value = values[field]
                self.box(field).refresh_hint()
                filled.append(FIELD_LABELS[field])
        self.sync()
        return filled

    def toggle_keep_typed(self, field: str) -> None:
        """Send the field as typed, or cleaned again; the hint says which."""
        self.model.toggle_keep_typed(field)
        self.box(field).refresh_hint()

    @on(Input.Changed, "#field-country")
    def _country_changed(self) -> None:
        self.box("phone").refresh_hint(settled=False)  # the region that reads the phone

    def box(self, field: str) -> FieldBox:
        return self._boxes[field]

    def use_model(self, model: LeadEdit) -> None:
        """Show another model from now on (the next lead after a create)."""
        self.model = self.tags.model = self.grid.model = model
        if not (model.pending_key or model.pending_value):
            self.grid.close_line()

    def sync(self) -> LeadEdit:
        """Copy what the boxes hold into the model (typed text, pending tag and field)."""
        model = self.model
        for field in STANDARD_FIELDS:
            model.set_field(field, self.box(field).value)
        model.pending_tag = self.tags.pending_text
        model.pending_key, model.pending_value = self.grid.pending
        return model

    def values(self) -> dict[str, object]:
        """The form in request shape (blank fields are None)."""
        return self.sync().values()

    def show_model(
        self, *, keep: Iterable[str] = (), note: str | None = None
    ) -> list[tuple[Input, str]]:
        """Draw the model: every box except those in ``keep``; tags and custom fields.

        Returns the text boxes given a new value, with that value: each posts an
        ``Input.Changed`` that is the model being drawn, not typing."""
        model, kept = self.model, set(keep)
        drawn: list[tuple[Input, str]] = []

        def put(box: Input, text: str) -> None:
            if box.value != text:
                box.value = text
                drawn.append((box, text))

        for field in STANDARD_FIELDS:
            if field not in kept:
                box = self.box(field)
                if box.value != model.text(field):
                    box.value = model.text(field)
                    drawn.append((box.input, box.value))
                box.show_error(None)
                box.refresh_hint(settled=bool(box.value))
        if "_pendingTag" not in kept:
            put(self.tags.input, model.pending_tag)
        self.tags.show_error(None)
        self.tags.refresh_view()
        grid = self.grid
        if "_pendingField" not in kept:
            put(grid.key_input, model.pending_key)
            put(grid.value_input, model.pending_value)
        if note is not None:
            grid.set_note(note)
        grid.show_error(None)
        grid.refresh_view()
        return drawn

    def validate(self) -> list[str]:
        """Check every field and show each message in place; returns the fields in error.

        Text typed in the tag box or the custom-field boxes but not added yet is added
        now (a save should not silently leave it out).
        """
        bad = [field for field in STANDARD_FIELDS if self.box(field).validate()]
        grid = self.grid
        if grid.bulk and not grid.apply_bulk():  # bulk text not applied yet
            bad.append("customFields")
        if grid.editing is not None and not grid.commit():  # a row edit not yet committed
            bad.append("customFields")
        problems = self.sync().commit_pending()
        self.tags.input.value = self.model.pending_tag
        self.grid.key_input.value = self.model.pending_key
        self.grid.value_input.value = self.model.pending_value
        self.tags.refresh_view()
        self.grid.refresh_view()
        if "tags" in problems:
            self.tags.show_error(problems["tags"])
            bad.append("tags")
        if "customFields" in problems:
            self.grid.show_error(problems["customFields"])
            bad.append("customFields")
        return bad

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Server field errors under their fields; returns the messages with no field."""
        leftover: list[str] = []
        for field, message in errors.items():
            root = field.split(".", 1)[0]
            if root in STANDARD_FIELDS:
                self.box(root).show_error(message)
            elif root == "tags":
                self.tags.show_error(message)
            elif root == "customFields":
                self.grid.show_error(message)
            else:
                leftover.append(f"{field}: {message}")
        return leftover

    def focus_field(self, field: str) -> None:
        """Focus a field now (Screen.set_focus): the next key typed goes there."""
        root = field.split(".", 1)[0]
        screen = self.screen
        if root in STANDARD_FIELDS:
            screen.set_focus(self.box(root).input)
        elif root == "tags":
            screen.set_focus(self.tags.input)
        elif root == "customFields":
            self.grid.open_add_line()

    def is_blank(self) -> bool:
        return self.sync().is_blank()
