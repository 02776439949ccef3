"""Undo and redo for a form's tag and custom-field commands.

Each step keeps a copy of the tags and custom fields from before (or after) a command, with a
short description of undoing and of redoing it. The copies are changes relative to a baseline,
so when a fresher baseline arrives every step is laid over it too (``rebase``) and undoing after
a reload still undoes the user's command, not the server's news.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.field_changes import FieldChanges
from sendkit_tui.domain.tag_changes import TagChanges

Snapshot = tuple[TagChanges, FieldChanges]


@dataclass
class Step:
    tags: TagChanges
    fields: FieldChanges
    undo_text: str
    redo_text: str


class History:
    def __init__(self) -> None:
        self._undo: list[Step] = []
        self._redo: list[Step] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def record(self, before: Snapshot, after: Snapshot, undo: str, redo: str) -> None:
        """A command ran: keep ``before`` unless it changed nothing; forget what was undone."""
        if before != after:
            self._undo.append(Step(before[0], before[1], undo, redo))
            self._redo.clear()

    def undo(self, current: Snapshot) -> tuple[Snapshot, str] | None:
        """The state to go back to and the description, or None when there is nothing."""
        return _move(self._undo, self._redo, current, redo=False)

    def redo(self, current: Snapshot) -> tuple[Snapshot, str] | None:
        return _move(self._redo, self._undo, current, redo=True)

    def rebase(self, tags: Iterable[str], fields: Mapping[str, Any]) -> None:
        """Lay every step over a fresher baseline (see ``TagChanges``/``FieldChanges.rebased``)."""
        tag_list = list(tags)
        for step in (*self._undo, *self._redo):
            step.tags, step.fields = step.tags.rebased(tag_list), step.fields.rebased(fields)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()


def _move(
    source: list[Step], target: list[Step], current: Snapshot, *, redo: bool
) -> tuple[Snapshot, str] | None:
    if not source:
        return None
    step = source.pop()
    target.append(Step(current[0], current[1], step.undo_text, step.redo_text))
    return (step.tags, step.fields), step.redo_text if redo else step.undo_text
