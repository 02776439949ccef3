"""One edit model per lead form: baseline, what the user typed, tag and custom-field changes, undo.

``LeadEdit(baseline)`` edits a lead whose server copy is ``baseline`` (request shape: the
standard fields, ``tags`` and ``customFields``); ``LeadEdit()`` is a create form, compared with
an empty lead. Widgets are views of it: they call the commands as the user types and show the
reads. The PATCH body, the change markers, the change count, the draft and ``create_body`` all
come from the same state, so they cannot disagree.

- Standard fields hold the raw text typed. A field the user typed into is *touched*; when a
  fresher copy of the lead arrives (``rebase``), untouched fields take its values and touched
  ones keep the user's text. A field whose text is exactly the baseline's keeps the baseline
  value, so a value stored with spaces around it is not sent back trimmed.
- Tags (``TagChanges``) are a set for change detection; custom fields (``FieldChanges``) are rows
  with ``+ ~ -`` markers. Their commands (``EditCommands``) are undoable (``undo``/``redo``);
  setting a standard field is not (its text box has its own editing keys).
- Problems and descriptions returned here are plain text holding user data: show them as data,
  never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sendkit_tui.domain.clean import CLEANED_FIELDS, DEFAULT_REGION, Cleaned, clean_field
from sendkit_tui.domain.edit_commands import EditCommands
from sendkit_tui.domain.field_changes import FieldChanges, as_text
from sendkit_tui.domain.patch import MAP_FIELD, build_patch
from sendkit_tui.domain.rules import STANDARD_FIELDS, check_field
from sendkit_tui.domain.tag_changes import TagChanges


def plural(count: int, word: str) -> str:
    """``"1 change"``, ``"2 changes"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _field_text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _normalised(baseline: Mapping[str, Any]) -> dict[str, Any]:
    """A private copy; custom-field values as the editor's text, tags as a list of text.

    A baseline read back from a draft file may hold anything: tags that are not a list and
    custom fields that are not an object count as none.
    """
    out = dict(baseline)
    tags, fields = out.get("tags"), out.get(MAP_FIELD)
    if tags is not None:
        out["tags"] = [str(tag) for tag in tags] if isinstance(tags, list) else []
    if fields is not None:
        items = fields.items() if isinstance(fields, Mapping) else ()
        out[MAP_FIELD] = {str(k): as_text(v) for k, v in items}
    return out


class LeadEdit(EditCommands):
    """The state of one create or edit form, free of any widget."""

    def __init__(self, baseline: Mapping[str, Any] | None = None) -> None:
        self._baseline = None if baseline is None else _normalised(baseline)
        base = self._baseline or {}
        self._texts = {name: _field_text(base.get(name)) for name in STANDARD_FIELDS}
        self._touched: set[str] = set()
        super().__init__(
            TagChanges(list(base.get("tags") or [])), FieldChanges.of(base.get(MAP_FIELD) or {})
        )
        self.pending_tag = ""
        """Text typed in the tag input, not added yet (kept in drafts)."""
        self.pending_key = ""
        self.pending_value = ""
        """Custom-field name and value typed, not committed yet (kept in drafts)."""
        self.default_region = DEFAULT_REGION
        """The phone region when the country field names none (the ``default_region`` setting)."""
        self.keep_typed: set[str] = set()
        """Fields sent as typed instead of cleaned (the user asked; kept in drafts)."""

    # -- state ---------------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """True for an edit form (a baseline), False for a create form."""
        return self._baseline is not None

    @property
    def baseline(self) -> dict[str, Any] | None:
        """A copy of the baseline, custom-field values as text (what ``patch`` diffs against)."""
        return None if self._baseline is None else _normalised(self._baseline)

    @property
    def touched(self) -> frozenset[str]:
        return frozenset(self._touched)

    def text(self, name: str) -> str:
        """The raw text of a standard field."""
        return self._texts[name]

    def set_field(self, name: str, text: str) -> None:
        """A standard field's new text; marks it touched when the text changes. Not undoable."""
        if name not in self._texts:
            raise KeyError(name)
        if text != self._texts[name]:
            self._texts[name] = text
            self._touched.add(name)

    # -- reads ---------------------------------------------------------------------------------

    def is_baseline_text(self, name: str, text: str) -> bool:
        """``text`` is the stored value of ``name`` (then it is never cleaned or re-sent)."""
        base = self._baseline
        return base is not None and name in base and text == _field_text(base[name])

    def _value(self, name: str) -> Any:
        text = self._texts[name]
        if not text.strip():
            return None
        if self.is_baseline_text(name, text):
            return (self._baseline or {})[name]
        return self.cleaned(name).value

    def cleaned(
        self, name: str, text: str | None = None, *, country: str | None = None, keep: bool = True
    ) -> Cleaned:
        """What a standard field's text is sent as, with a note for the user: email, phone and
        LinkedIn URL cleaned (``domain/clean.py``) unless kept as typed (``keep=False`` asks
        what cleaning would give anyway). ``text`` and ``country`` default to the model's."""
        text = self._texts[name] if text is None else text
        kept = keep and name in self.keep_typed
        if name not in CLEANED_FIELDS or kept or not text.strip():
            return Cleaned(text.strip())
        country = self._texts["country"] if country is None else country
        return clean_field(name, text, country=country, default_region=self.default_region)

    def toggle_keep_typed(self, name: str) -> bool:
        """Send ``name`` as typed (True) or cleaned again (False)."""
        self.keep_typed ^= {name}
        return name in self.keep_typed

    def values(self) -> dict[str, Any]:
        """The form in request shape; blank fields are None."""
        out: dict[str, Any] = {name: self._value(name) for name in STANDARD_FIELDS}
        out["tags"] = self._tags.current()
        out[MAP_FIELD] = self._fields.live()
        return out

    def patch(self) -> dict[str, Any]:
        """``build_patch(baseline, values)`` without email (a create form: against ``{}``)."""
        values = self.values()
        values.pop("email", None)
        return build_patch(self._baseline or {}, values)

    def change_count(self) -> int:
        """Changes to save, each custom field counted on its own."""
        return sum(len(v) if k == MAP_FIELD else 1 for k, v in self.patch().items())

    def summary(self) -> str:
        """``"No changes"``, ``"1 change"``, ``"3 changes"``."""
        count = self.change_count()
        return plural(count, "change") if count else "No changes"

    def field_marker(self, name: str) -> str:
        """A standard field's marker: ``~`` changed, ``-`` cleared, ``' '`` as in the baseline."""
        patch = self.patch()
        if name not in patch:
            return " "
        return "-" if patch[name] is None else "~"

    def problems(self) -> dict[str, str]:
        """Rule problems of the standard fields a save would send (all of them when creating)."""
        patch = self.patch()
        names = [n for n in STANDARD_FIELDS if not self.editing or n in patch]
        checked = {name: check_field(name, self.cleaned(name).value) for name in names}
        return {name: problem for name, problem in checked.items() if problem}

    def create_body(self) -> dict[str, Any]:
        """The ``POST /v1/leads`` body: only fields with a value, email trimmed."""
        return {k: v for k, v in self.values().items() if v not in (None, "", [], {})}

    def is_blank(self) -> bool:
        """Nothing typed anywhere: no text, no pending text, no tags, no custom fields."""
        texts = [*self._texts.values(), self.pending_tag, self.pending_key, self.pending_value]
        return not any(t.strip() for t in texts) and not self.tags() and not self.custom_fields()

    def commit_pending(self) -> dict[str, str]:
        """Add the pending tag text and custom field (before a save); problems by field."""
        problems: dict[str, str] = {}
        if self.pending_tag.strip():
            refused = self.add_tags_from_text(self.pending_tag)
            self.pending_tag = ", ".join(piece for piece, _ in refused)
            if refused:
                problems["tags"] = refused[0][1]
        if self.pending_key.strip() or self.pending_value.strip():
            problem = self.add_custom(self.pending_key, self.pending_value)
            if problem:
                problems[MAP_FIELD] = problem
            else:
                self.pending_key = self.pending_value = ""
        return problems

    # -- drafts --------------------------------------------------------------------------------

    def to_draft(self) -> dict[str, Any]:
        """Everything typed, for ``Draft.values``: raw texts, tags, fields, pending input."""
        out: dict[str, Any] = dict(self._texts)
        out["tags"] = self._tags.current()
        out[MAP_FIELD] = self._fields.live()
        out["_pendingTag"] = self.pending_tag
        out["_pendingField"] = [self.pending_key, self.pending_value]
        if self.keep_typed:
            out["_keepTyped"] = sorted(self.keep_typed)
        renames = {
            row.original_key: row.key
            for row in self._fields.rows
            if row.original_key is not None and not row.deleted and row.key != row.original_key
        }
        if renames:
            out["_renames"] = renames
        return out

    @classmethod
    def from_draft(
        cls, values: Mapping[str, Any], baseline: Mapping[str, Any] | None = None
    ) -> LeadEdit:
        """The model ``to_draft`` saved (older drafts without ``_renames`` load too).

        Fields and rows that differ from the baseline count as touched; undo starts empty.
        """
        model = cls(baseline)
        for name in STANDARD_FIELDS:
            if name in values:
                model.set_field(name, _field_text(values[name]))
        tags = values.get("tags")
        if isinstance(tags, list):
            model._tags.set_all(str(tag) for tag in tags)
        fields = values.get(MAP_FIELD)
        if isinstance(fields, Mapping):
            live: dict[str, str] = {}
            for key, value in fields.items():
                name = str(key).strip()
                if name and name not in live:
                    live[name] = as_text(value)
            renames = values.get("_renames")
            model._fields.match(live, renames if isinstance(renames, Mapping) else {})
        pending_tag = values.get("_pendingTag")
        model.pending_tag = pending_tag if isinstance(pending_tag, str) else ""
        keep = values.get("_keepTyped")
        if isinstance(keep, list):
            model.keep_typed = {name for name in keep if name in CLEANED_FIELDS}
        pending = values.get("_pendingField")
        if isinstance(pending, list | tuple) and len(pending) == 2:
            model.pending_key, model.pending_value = (
                _field_text(pending[0]),
                _field_text(pending[1]),
            )
        return model

    # -- fresher baselines ---------------------------------------------------------------------

    def replace_custom_fields(self, fields: Mapping[str, str]) -> None:
        """The custom fields become ``fields`` (the grid's bulk edit), as one undo step.

        Laid over the baseline's rows: a key kept keeps its row, a key left out is removed,
        a new key is added (a rename shows as a removal and an addition)."""
        before = self._snapshot()
        fresh = FieldChanges.of((self._baseline or {}).get(MAP_FIELD) or {})
        fresh.match(dict(fields), {})
        self._fields = fresh
        self._record(before, "put back the custom fields", "edited the custom fields in bulk")

    def rebase(self, new_baseline: Mapping[str, Any]) -> None:
        """Lay the user's changes over a fresher copy of the lead.

        Untouched fields take the new values; touched ones keep the user's text. Tag removals
        and additions, and the custom-field rows the user touched, are kept (the undo history
        is rebased too). A field the new copy does not carry at all (a list row has no custom
        fields) keeps its old baseline value. A create form given a baseline becomes an edit form.
        """
        fresh = _normalised({**(self._baseline or {}), **new_baseline})
        for name in STANDARD_FIELDS:
            if name not in self._touched:
                self._texts[name] = _field_text(fresh.get(name))
        tags, fields = list(fresh.get("tags") or []), fresh.get(MAP_FIELD) or {}
        self._tags = self._tags.rebased(tags)
        self._fields = self._fields.rebased(fields)
        self._history.rebase(tags, fields)
        self._baseline = fresh

    def mark_saved(self, new_baseline: Mapping[str, Any]) -> None:
        """After a save: ``rebase`` onto the saved copy, then forget touches and undo history.

        What was typed after the save was sent still differs from the new baseline and stays.
        """
        self.rebase(new_baseline)
        base = self._baseline or {}
        self._touched = {n for n in self._touched if self._texts[n] != _field_text(base.get(n))}
        for row in self._fields.rows:
            row.touched = row.marker != " "
        self._history.clear()
