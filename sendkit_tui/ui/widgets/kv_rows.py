"""The custom-fields grid's rows, as plain data (no widgets).

Each row remembers the key it had when the lead was loaded, so the grid can
show what a save will send: ``+`` added, ``~`` changed (value or name), ``-``
deleted, blank unchanged; and ``current()`` gives the dict ``build_patch`` diffs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendkit_tui.domain.rules import check_custom_key, check_custom_value


@dataclass
class KVRow:
    key: str
    value: str
    original_key: str | None = None
    original_value: str | None = None
    deleted: bool = False

    @property
    def marker(self) -> str:
        if self.deleted:
            return "-"
        if self.original_key is None:
            return "+"
        if self.key != self.original_key or self.value != self.original_value:
            return "~"
        return " "


class KVRows:
    """Ordered rows with the grid's rules: keys non-empty, trimmed and unique."""

    def __init__(self, original: dict[str, str] | None = None, *, track: bool = False) -> None:
        self.track = track  # edit mode: deletions are marked, not dropped
        self.rows: list[KVRow] = []
        self.load(original or {}, track=track)

    def load(self, values: dict[str, object], *, track: bool) -> None:
        self.track = track
        self.rows = [
            KVRow(str(k), _text(v), str(k) if track else None, _text(v) if track else None)
            for k, v in values.items()
        ]

    def current(self) -> dict[str, str]:
        return {row.key: row.value for row in self.rows if not row.deleted}

    def original(self) -> dict[str, str]:
        return {
            row.original_key: row.original_value or ""
            for row in self.rows
            if row.original_key is not None
        }

    def live_keys(self, skip: int | None = None) -> list[str]:
        return [r.key for i, r in enumerate(self.rows) if not r.deleted and i != skip]

    def check(self, key: str, value: str, index: int | None = None) -> str | None:
        """Why ``key``/``value`` cannot be stored at row ``index`` (None = new row)."""
        return check_custom_key(key, self.live_keys(skip=index)) or check_custom_value(value)

    def put(self, key: str, value: str, index: int | None = None) -> int:
        """Add a row or update row ``index``; returns the row's index. Call ``check`` first."""
        key = key.strip()
        if index is None:
            for i, row in enumerate(self.rows):
                if row.deleted and row.original_key == key:
                    row.deleted, row.key, row.value = False, key, value  # re-adding a deleted key
                    return i
            self.rows.append(KVRow(key, value))
            return len(self.rows) - 1
        row = self.rows[index]
        row.key, row.value, row.deleted = key, value, False
        return index

    def delete(self, index: int) -> None:
        """Mark an original row deleted (or restore it); drop a row added in this edit."""
        row = self.rows[index]
        if row.original_key is None:
            del self.rows[index]
        elif row.deleted:
            row.deleted = False
        else:
            row.deleted = True
            row.key, row.value = row.original_key, row.original_value or ""

    def revert(self, index: int) -> None:
        """Undo every change to row ``index``."""
        row = self.rows[index]
        if row.original_key is None:
            del self.rows[index]
            return
        taken = self.live_keys(skip=index)
        if row.original_key in taken:
            return  # another row took the old name; keep this one as it is
        row.key, row.value, row.deleted = row.original_key, row.original_value or "", False

    @property
    def dirty(self) -> bool:
        return any(row.marker != " " for row in self.rows)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))
