"""Every field of a lead, in the order of ``POST /v1/leads``, with inline errors.

Shared by the create and the edit screens. Values go in and out in the request
shape (``email, firstName, …, phone, linkedinUrl, …, tags, customFields``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input

from sendkit_tui.domain.rules import FIELD_LABELS, STANDARD_FIELDS, check_field
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


class LeadForm(VerticalScroll):
    """The fields; no buttons and no network: screens decide what a save means."""

    def __init__(self, *, email_read_only: bool = False, id: str | None = "lead-form") -> None:
        super().__init__(id=id)
        self.email_read_only = email_read_only
        self.can_focus = False

    def compose(self) -> ComposeResult:
        # The fields come in small groups (no style of their own): when one input is
        # repainted, Textual re-renders every widget whose container overlaps it, so
        # with groups a keystroke touches the groups and its own group's fields, not
        # every field of the form.
        for start in range(0, len(STANDARD_FIELDS), GROUP_SIZE):
            with Vertical(classes="field-group"):
                for field in STANDARD_FIELDS[start : start + GROUP_SIZE]:
                    yield FieldBox(
                        field,
                        FIELD_LABELS[field],
                        check=partial(check_field, field),
                        placeholder="" if self.email_read_only else PLACEHOLDERS.get(field, ""),
                        read_only=self.email_read_only and field == "email",
                    )
        yield TagEditor()
        yield CustomFieldsGrid()

    def box(self, field: str) -> FieldBox:
        return self.query_one(f"#box-{field}", FieldBox)

    @property
    def tags(self) -> TagEditor:
        return self.query_one(TagEditor)

    @property
    def grid(self) -> CustomFieldsGrid:
        return self.query_one(CustomFieldsGrid)

    def values(self) -> dict[str, Any]:
        """The form in request shape; blank fields are ``None``."""
        out: dict[str, Any] = {}
        for field in STANDARD_FIELDS:
            text = self.box(field).value.strip()
            out[field] = text or None
        out["tags"] = self.tags.tags
        out["customFields"] = self.grid.values()
        return out

    def raw_values(self) -> dict[str, Any]:
        """Everything typed, including text not yet added as a tag or field (for drafts)."""
        out = {field: self.box(field).value for field in STANDARD_FIELDS}
        out["tags"] = self.tags.tags
        out["customFields"] = self.grid.values()
        out["_pendingTag"] = self.tags.pending_text
        out["_pendingField"] = list(self.grid.pending)
        return out

    def load(
        self,
        values: dict[str, Any],
        *,
        baseline: dict[str, Any] | None = None,
        fields_note: str = "",
    ) -> None:
        """Fill the form; ``baseline`` (edit mode) is what changes are marked against."""
        for field in STANDARD_FIELDS:
            box = self.box(field)
            box.value = values.get(field) or ""
            box.show_error(None)
        base_tags = None if baseline is None else list(baseline.get("tags") or [])
        self.tags.set_tags(list(values.get("tags") or []), original=base_tags)
        self.tags.show_error(None)
        grid = self.grid
        if baseline is None:
            grid.load(dict(values.get("customFields") or {}), track=False, note=fields_note)
        else:
            grid.load(dict(baseline.get("customFields") or {}), track=True, note=fields_note)
            current = dict(values.get("customFields") or {})
            original = dict(baseline.get("customFields") or {})
            _replay_custom_fields(grid, original, current)
        pending_tag = values.get("_pendingTag")
        if pending_tag:
            self.query_one("#tag-input", Input).value = pending_tag
        pending_field = values.get("_pendingField")
        if pending_field and any(pending_field):
            grid.key_input.value, grid.value_input.value = pending_field[0], pending_field[1]

    def clear(self) -> None:
        self.load({})
        self.query_one("#tag-input", Input).value = ""
        self.grid.key_input.value = self.grid.value_input.value = ""

    def validate(self) -> list[str]:
        """Check every field and show each message in place; returns the fields in error."""
        bad = [field for field in STANDARD_FIELDS if self.box(field).validate()]
        if self.tags.pending_text.strip():
            if self.tags.add(self.tags.pending_text) is None:
                self.query_one("#tag-input", Input).value = ""
            else:
                bad.append("tags")
        key, value = self.grid.pending
        if (key.strip() or value.strip()) and not self.grid.commit():
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
        root = field.split(".", 1)[0]
        if root in STANDARD_FIELDS:
            self.box(root).input.focus()
        elif root == "tags":
            self.query_one("#tag-input", Input).focus()
        elif root == "customFields":
            self.grid.key_input.focus()

    def is_blank(self) -> bool:
        raw = self.raw_values()
        texts = [raw[f] for f in STANDARD_FIELDS] + [raw["_pendingTag"], *raw["_pendingField"]]
        return not any(t.strip() for t in texts) and not raw["tags"] and not raw["customFields"]


def _replay_custom_fields(
    grid: CustomFieldsGrid, original: dict[str, Any], current: dict[str, Any]
) -> None:
    """Mark the grid so it shows ``current`` as edits of ``original`` (restoring a draft)."""
    model = grid.model
    for index in reversed(range(len(model.rows))):
        row = model.rows[index]
        if row.key not in current:
            model.delete(index)
        elif current[row.key] != row.value:
            model.put(row.key, str(current[row.key]), index)
    for key, value in current.items():
        if key not in original:
            model.put(key, str(value))
    grid.refresh_rows()
