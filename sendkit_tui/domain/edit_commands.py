"""The undoable commands of a lead form: tags and custom fields.

``EditCommands`` is the part of ``LeadEdit`` that changes tags (``TagChanges``) and custom
fields (``FieldChanges``). Each command records the state from before it in a ``History``
(unless it changed nothing), with a short description of undoing and redoing it, such as
``"restored tag 'vip'"``. Those descriptions and the problems commands return are plain text
holding user data: show them as data, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from sendkit_tui.domain.edit_history import History, Snapshot
from sendkit_tui.domain.field_changes import FieldChanges, Target
from sendkit_tui.domain.tag_changes import TagChanges


def _names(kind: str, items: list[str]) -> str:
    quoted = ", ".join(repr(item) for item in items)
    return f"{kind} {quoted}" if len(items) == 1 else f"{kind}s {quoted}"


class EditCommands:
    """Tag and custom-field commands with undo and redo (the base class of ``LeadEdit``)."""

    def __init__(self, tags: TagChanges, fields: FieldChanges) -> None:
        self._tags = tags
        self._fields = fields
        self._history = History()

    # -- tags ----------------------------------------------------------------------------------

    def tags(self) -> list[str]:
        """The tags to send: baseline order minus removed ones, added ones last."""
        return self._tags.current()

    def tag_entries(self) -> list[tuple[str, str]]:
        """``(marker, tag)`` per chip: removed originals at their places, added tags last."""
        return self._tags.entries()

    def add_tag(self, text: str) -> str | None:
        """Add a tag (or put back a removed one); returns the problem when refused."""
        before = self._snapshot()
        problem = self._tags.add(text)
        shown = self._tags.find(text) or text.strip()
        self._record(before, f"removed tag {shown!r}", f"added tag {shown!r}")
        return problem

    def add_tags_from_text(self, text: str) -> list[tuple[str, str]]:
        """Add each tag in ``"hot, q4; vip"`` (one undo step); ``(piece, problem)`` per refusal."""
        before = self._snapshot()
        had = set(self._tags.current())
        refused = self._tags.add_text(text)
        new = [tag for tag in self._tags.current() if tag not in had]
        self._record(before, f"removed {_names('tag', new)}", f"added {_names('tag', new)}")
        return refused

    def remove_tag(self, tag: str) -> bool:
        """Remove a tag (any case); an added one goes, an original one is shown as removed."""
        before = self._snapshot()
        shown = self._tags.find(tag) or tag
        done = self._tags.remove(tag)
        self._record(before, f"restored tag {shown!r}", f"removed tag {shown!r}")
        return done

    def restore_tag(self, tag: str) -> bool:
        """Put a removed original tag back at its original position."""
        before = self._snapshot()
        shown = self._tags.find(tag) or tag
        done = self._tags.restore(tag)
        self._record(before, f"removed tag {shown!r}", f"restored tag {shown!r}")
        return done

    def toggle_tag(self, index: int) -> bool:
        """The chip at ``index`` of ``tag_entries()``: restore it if removed, else remove it."""
        entries = self._tags.entries()
        if not 0 <= index < len(entries):
            return False
        marker, tag = entries[index]
        return self.restore_tag(tag) if marker == "-" else self.remove_tag(tag)

    def set_tags(self, tags: Iterable[str]) -> None:
        """Make ``tags`` the tag set; order is not kept, so a reorder alone changes nothing."""
        before = self._snapshot()
        self._tags.set_all(tags)
        self._record(before, "put the tags back", "changed the tags")

    # -- custom fields -------------------------------------------------------------------------

    def custom_fields(self) -> dict[str, str]:
        """The custom fields to send, in row order (deleted rows left out)."""
        return self._fields.live()

    def rows(self) -> list[tuple[str, str, str, str | None]]:
        """``(marker, key, value, original_key)`` per custom-field row, for the grid."""
        return self._fields.entries()

    def check_custom(self, key: str, value: str, target: Target | None = None) -> str | None:
        """Why ``key``/``value`` cannot be stored in row ``target`` (None: as a new row)."""
        index = None if target is None else self._fields.find(target)
        return self._fields.check(key, value, index)

    def add_custom(self, key: str, value: str) -> str | None:
        """Add a field (a deleted original of that name comes back); the problem if refused."""
        before = self._snapshot()
        problem = self._fields.add(key, value)
        name = key.strip()
        self._record(before, f"removed field {name!r}", f"added field {name!r}")
        return problem

    def set_custom_value(self, target: Target, value: str) -> str | None:
        """A row's new value (a deleted row comes back with it); the problem if refused."""
        index = self._fields.find(target)
        if index is None:
            return f"There is no field named {target!r}."
        key = self._fields.rows[index].key
        before = self._snapshot()
        problem = self._fields.put(index, key, value)
        self._record(before, f"put back the value of {key!r}", f"changed the value of {key!r}")
        return problem

    def rename_custom(self, old: Target, new: str) -> str | None:
        """Rename in one call: the patch sends the old key as None, the new one with the value."""
        index = self._fields.find(old)
        if index is None:
            return f"There is no field named {old!r}."
        row = self._fields.rows[index]
        name, new_name = row.key, new.strip()
        before = self._snapshot()
        problem = self._fields.put(index, new_name, row.value)
        undo, redo = f"renamed {new_name!r} back to {name!r}", f"renamed {name!r} to {new_name!r}"
        self._record(before, undo, redo)
        return problem

    def edit_custom(self, target: Target, key: str, value: str) -> str | None:
        """New name and value for a row in one undo step (the grid's edit of a row)."""
        index = self._fields.find(target)
        if index is None:
            return f"There is no field named {target!r}."
        name = self._fields.rows[index].key
        before = self._snapshot()
        problem = self._fields.put(index, key, value)
        self._record(before, f"put back field {name!r}", f"changed field {name!r}")
        return problem

    def delete_custom(self, target: Target) -> bool:
        """Mark an original field deleted (``-``); drop a field added in this edit (undoable)."""
        index = self._fields.find(target)
        name = "" if index is None else self._fields.rows[index].key
        before = self._snapshot()
        done = self._fields.delete(target)
        self._record(before, f"restored field {name!r}", f"deleted field {name!r}")
        return done

    def restore_custom(self, target: Target) -> bool:
        """Undo every change to one field, found first by original key (an added one is dropped)."""
        before = self._snapshot()
        done = self._fields.restore(target)
        name = target if isinstance(target, str) else "the field"
        self._record(before, f"put back your change to {name!r}", f"restored field {name!r}")
        return done

    # -- undo ----------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        return self._history.can_redo

    def undo(self) -> str | None:
        """Revert the last tag or custom-field command; what was undone, or None if nothing."""
        return self._go(self._history.undo(self._snapshot()))

    def redo(self) -> str | None:
        """Do again the last command undone; None when there is none."""
        return self._go(self._history.redo(self._snapshot()))

    def _go(self, move: tuple[Snapshot, str] | None) -> str | None:
        if move is None:
            return None
        (self._tags, self._fields), text = move
        return text

    def _snapshot(self) -> Snapshot:
        return self._tags.copy(), self._fields.copy()

    def _record(self, before: Snapshot, undo: str, redo: str) -> None:
        self._history.record(before, (self._tags, self._fields), undo, redo)
