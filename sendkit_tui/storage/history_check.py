"""A history file checked field by field before any of it is shown or undone.

``history_problem(document, sources)`` names what is wrong (the file is then set aside as
``*.corrupt`` by ``storage/history.py``), or returns None when every entry has the right types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sendkit_tui.domain.patch import LIST_FIELD, MAP_FIELD

SCHEMA = 1
ENTRY_KEYS = ("id", "at", "source", "patch", "before", "after", "undoes", "masked")


def history_problem(document: Any, sources: Iterable[str]) -> str | None:
    if not isinstance(document, dict):
        return "it is not a JSON object"
    if document.get("schema") != SCHEMA:
        return "its 'schema' is not one this version knows"
    raw = document.get("entries")
    if not isinstance(raw, list):
        return "it holds no list of entries"
    allowed = set(sources)
    for number, item in enumerate(raw, start=1):
        if not _entry_ok(item, allowed):
            return f"entry {number} is not a history entry"
    return None


def _entry_ok(item: Any, sources: set[str]) -> bool:
    if not isinstance(item, dict):
        return False
    texts = all(isinstance(item.get(k), str) for k in ("id", "at", "source"))
    maps = all(isinstance(item.get(k), dict) for k in ("patch", "before", "after"))
    if not (texts and maps and item["source"] in sources):
        return False
    undoes = item.get("undoes")
    if not (undoes is None or isinstance(undoes, str)) or not isinstance(item.get("masked"), bool):
        return False
    return all(_lead_shaped(item[part]) for part in ("patch", "before", "after"))


def _lead_shaped(values: dict[str, Any]) -> bool:
    for key, value in values.items():
        if key == MAP_FIELD:
            ok = isinstance(value, dict) and all(
                v is None or isinstance(v, str | int | float | bool) for v in value.values()
            )
        elif key == LIST_FIELD:
            ok = isinstance(value, list) and all(isinstance(t, str) for t in value)
        else:
            ok = value is None or isinstance(value, str | int | float | bool)
        if not ok:
            return False
    return True
