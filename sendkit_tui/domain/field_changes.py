"""A lead's custom fields as rows edited against a baseline, with change markers.

Each row remembers the key and value it had in the baseline (``original_key`` is ``None`` for a
row added in this edit), so the grid can show what a save sends: ``+`` added, ``~`` changed or
renamed, ``-`` deleted, ``' '`` unchanged. Keys are trimmed, non-empty and unique among the rows
not deleted. Original rows stay at their baseline positions; added rows follow.

After every change the rows are put in one canonical form: a key the baseline has is always held
by that key's original row. So re-adding a deleted key brings its row back with the new value,
and renaming ``b`` to ``a`` while ``a`` is deleted gives ``a`` the value and deletes ``b``. In
that form the markers say exactly what ``build_patch`` sends: a ``+`` or ``~`` row's key with
its value, a ``-`` row's key (and a renamed row's old key) as ``None``, nothing for a ``' '`` row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sendkit_tui.domain.rules import MAX_CUSTOM_FIELDS, check_custom_key, check_custom_value

Target = int | str
"""A row by its index in ``entries()`` or by its key (a deleted row by its original key)."""


def as_text(value: Any) -> str:
    """A custom-field value as the editor shows it (numbers and booleans as JSON, null as "")."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class FieldRow:
    key: str
    value: str
    original_key: str | None = None
    original_value: str = ""
    deleted: bool = False
    touched: bool = False  # the user changed this row: a fresher baseline keeps the user's row

    @property
    def marker(self) -> str:
        if self.deleted:
            return "-"
        if self.original_key is None:
            return "+"
        if self.key != self.original_key or self.value != self.original_value:
            return "~"
        return " "


@dataclass
class FieldChanges:
    rows: list[FieldRow] = field(default_factory=list)

    @classmethod
    def of(cls, base: Mapping[str, Any]) -> FieldChanges:
        return cls([FieldRow(k, as_text(v), k, as_text(v)) for k, v in base.items()])

    def copy(self) -> FieldChanges:
        return FieldChanges([replace(row) for row in self.rows])

    # -- reads ---------------------------------------------------------------------------------

    def live(self) -> dict[str, str]:
        """The custom fields to send, in row order."""
        return {row.key: row.value for row in self.rows if not row.deleted}

    def entries(self) -> list[tuple[str, str, str, str | None]]:
        """``(marker, key, value, original_key)`` per row; a deleted row shows its original."""
        return [(row.marker, row.key, row.value, row.original_key) for row in self.rows]

    def live_keys(self, skip: int | None = None) -> list[str]:
        return [r.key for i, r in enumerate(self.rows) if not r.deleted and i != skip]

    def find(self, target: Target) -> int | None:
        """The index of a row: by index, by live key, else by a deleted row's original key."""
        if isinstance(target, int):
            return target if 0 <= target < len(self.rows) else None
        for index, row in enumerate(self.rows):
            if not row.deleted and row.key == target:
                return index
        for index, row in enumerate(self.rows):
            if row.deleted and row.original_key == target:
                return index
        return None

    def check(self, key: str, value: str, index: int | None = None) -> str | None:
        """Why ``key``/``value`` cannot be stored at row ``index`` (None: a new row)."""
        problem = check_custom_key(key, self.live_keys(skip=index)) or check_custom_value(value)
        if problem is None and index is None and len(self.live_keys()) >= MAX_CUSTOM_FIELDS:
            problem = f"At most {MAX_CUSTOM_FIELDS} custom fields."
        return problem

    # -- commands (each returns a problem, or whether anything changed) -------------------------

    def add(self, key: str, value: str) -> str | None:
        problem = self.check(key, value)
        if problem is None:
            self.rows.append(FieldRow(key.strip(), value, touched=True))
            self._canonical()
        return problem

    def put(self, target: Target, key: str, value: str) -> str | None:
        """Give row ``target`` a new key and value; a deleted row comes back with them."""
        index = self.find(target)
        if index is None:
            return f"There is no field named {target!r}."
        problem = self.check(key, value, index)
        if problem is None:
            row = self.rows[index]
            new_key = key.strip()
            if (row.key, row.value, row.deleted) != (new_key, value, False):
                row.key, row.value, row.deleted, row.touched = new_key, value, False, True
                self._canonical()
        return problem

    def delete(self, target: Target) -> bool:
        """Mark an original row deleted (its original key and value shown); drop an added row."""
        index = self.find(target)
        if index is None or self.rows[index].deleted:
            return False
        row = self.rows[index]
        if row.original_key is None:
            del self.rows[index]
        else:  # in canonical form no other row holds the original key: no clash to resolve
            row.key, row.value = row.original_key, row.original_value
            row.deleted = row.touched = True
        return True

    def restore(self, target: Target) -> bool:
        """Undo every change to a row (matched first by original key): back to the baseline.

        A row added in this edit is dropped. False when there was nothing to undo.
        """
        index = None
        if isinstance(target, str):
            index = next((i for i, r in enumerate(self.rows) if r.original_key == target), None)
        if index is None:
            index = self.find(target)
        if index is None:
            return False
        row = self.rows[index]
        if row.original_key is None:
            del self.rows[index]
            return True
        if row.original_key in self.live_keys(skip=index):
            return False  # cannot happen in canonical form; never make two rows share a key
        before = replace(row)
        row.key, row.value, row.deleted, row.touched = (
            row.original_key,
            row.original_value,
            False,
            False,
        )
        return row != before

    def match(self, live: Mapping[str, str], renames: Mapping[str, Any]) -> None:
        """Make the rows hold ``live`` (a draft's fields), starting from untouched baseline rows.

        ``renames`` maps an original key to the key it was renamed to, so a restored draft
        shows ``b (was a)`` rather than a deletion and an addition. Rows that differ from the
        baseline count as touched.
        """
        taken: set[str] = set()
        for row in self.rows:
            original = row.original_key or row.key
            new = renames.get(original)
            if isinstance(new, str) and new in live and new not in taken:
                row.key, row.value = new, live[new]
            elif original in live and original not in taken:
                row.value = live[original]
            else:
                row.deleted = True
            if not row.deleted:
                taken.add(row.key)
            row.touched = row.marker != " "
        for key, value in live.items():
            if key not in taken:
                self.rows.append(FieldRow(key, value, touched=True))
                taken.add(key)
        self._canonical()

    # -- fresher baseline ----------------------------------------------------------------------

    def rebased(self, base: Mapping[str, Any]) -> FieldChanges:
        """The user's rows laid over a fresher baseline.

        Rows the user touched keep the user's key, value or deletion; the others take the new
        values. A touched row whose original key is gone from the new baseline becomes an added
        row (unless it was deleted); keys new in the baseline appear unchanged; added rows stay.
        """
        by_original = {r.original_key: r for r in self.rows if r.original_key is not None}
        rows: list[FieldRow] = []
        for key, raw in base.items():
            value = as_text(raw)
            old = by_original.get(key)
            if old is not None and old.deleted:
                rows.append(FieldRow(key, value, key, value, deleted=True, touched=True))
            elif old is not None and old.touched:
                rows.append(replace(old, original_value=value))
            else:
                rows.append(FieldRow(key, value, key, value))
        for row in self.rows:
            if row.original_key is None:
                rows.append(replace(row))
            elif row.original_key not in base and row.touched and not row.deleted:
                rows.append(FieldRow(row.key, row.value, touched=True))
        fresh = FieldChanges(rows)
        fresh._canonical()
        return fresh

    def _canonical(self) -> None:
        """Make every live key the baseline has be held by that key's original row.

        A row holding original key K that is not K's own row either hands its value to K's
        row when that row is deleted (or also holds K, after a rebase) and is itself deleted
        or dropped, or swaps key and value with K's row when that row was renamed away.
        Each step leaves one row fewer holding a key not its own, so this ends.
        """
        while True:
            originals = {r.original_key: r for r in self.rows if r.original_key is not None}
            for row in self.rows:
                own = originals.get(row.key)
                if row.deleted or own is None or own is row:
                    continue
                if own.deleted or own.key == row.key:
                    own.key, own.value, own.deleted, own.touched = row.key, row.value, False, True
                    if row.original_key is None:
                        self.rows.remove(row)
                    else:
                        row.key, row.value = row.original_key, row.original_value
                        row.deleted = row.touched = True
                else:
                    own.key, own.value, row.key, row.value = row.key, row.value, own.key, own.value
                    own.touched = row.touched = True
                break
            else:
                return
