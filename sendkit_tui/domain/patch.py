"""The minimal PATCH body: only what the user changed.

``build_patch(original, edited)`` compares two leads in the request shape
(``email, firstName, …, phone, linkedinUrl, …, tags, customFields``) and returns
the body for ``PATCH /v1/leads/{id}`` under the PATCH rules
(docs/ARCHITECTURE.md, "Wire decisions"):

- a standard field appears only when its value changed; a cleared field is ``None``;
- ``tags`` appears as the whole new list only when the list changed;
- ``customFields`` carries only changed or added keys, and removed keys as ``None``
  (the server deletes a key sent as ``null``, JSON merge-patch style);
- ``email`` never appears (it is immutable);
- identical inputs give ``{}``, which means: send no request at all.

An empty string and ``None`` both mean "no value". A key missing from either
dict counts as "no value" as well, so a field the server never told us about
(e.g. ``phone`` on a list row) is only sent when the user typed something in it.

Pure and free of Textual; ``apply_patch`` states the server's merge rules so
the property tests can check ``apply_patch(original, build_patch(original, edited))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

IMMUTABLE_FIELDS = frozenset({"email"})
LIST_FIELD = "tags"
MAP_FIELD = "customFields"


def _blank(value: Any) -> Any:
    """``""`` and ``None`` are the same thing: no value."""
    return None if value == "" else value


def build_patch(original: Mapping[str, Any], edited: Mapping[str, Any]) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for key in _ordered_keys(original, edited):
        if key in IMMUTABLE_FIELDS:
            continue
        if key == LIST_FIELD:
            before_tags = list(original.get(key) or [])
            after_tags = list(edited.get(key) or [])
            if before_tags != after_tags:
                patch[key] = after_tags
        elif key == MAP_FIELD:
            changes = _map_changes(original.get(key) or {}, edited.get(key) or {})
            if changes:
                patch[key] = changes
        else:
            before, after = _blank(original.get(key)), _blank(edited.get(key))
            if before != after:
                patch[key] = after
    return patch


def _ordered_keys(original: Mapping[str, Any], edited: Mapping[str, Any]) -> list[str]:
    """Keys of both dicts, edited's order first, so bodies read like the form."""
    keys = list(edited)
    keys.extend(k for k in original if k not in edited)
    return keys


def _map_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in after.items():
        if key not in before or before[key] != value:
            changes[key] = value
    for key in before:
        if key not in after:
            changes[key] = None
    return changes


def apply_patch(original: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """The server's merge rules, as the sandbox implements them."""
    result = dict(original)
    for key, value in patch.items():
        if key == MAP_FIELD:
            merged = dict(result.get(MAP_FIELD) or {})
            for field, field_value in (value or {}).items():
                if field_value is None:
                    merged.pop(field, None)
                else:
                    merged[field] = field_value
            result[MAP_FIELD] = merged
        elif key == LIST_FIELD:
            result[key] = list(value or [])
        else:
            result[key] = value
    return result


def describe_patch(
    patch: Mapping[str, Any], baseline: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """One ``(marker, text)`` line per change, for a human summary.

    Markers, as the edit form's grid and chips show them: ``+`` added (a custom field or a
    tag the ``baseline`` did not have), ``~`` changed, ``-`` cleared or removed.
    """
    base = baseline or {}
    base_fields = base.get(MAP_FIELD) or {}
    lines: list[tuple[str, str]] = []
    for key, value in patch.items():
        if key == MAP_FIELD:
            for field, field_value in value.items():
                changed = "+" if baseline is not None and field not in base_fields else "~"
                marker = "-" if field_value is None else changed
                lines.append((marker, f"customFields.{field}"))
        elif key == "tags" and isinstance(value, list) and baseline is not None:
            before = {str(t).casefold() for t in base.get("tags") or []}
            after = {str(t).casefold() for t in value}
            added = [t for t in value if str(t).casefold() not in before]
            removed = [t for t in base.get("tags") or [] if str(t).casefold() not in after]
            lines += [("+", f"tags: {t}") for t in added]
            lines += [("-", f"tags: {t}") for t in removed]
        elif value is None:
            lines.append(("-", key))
        else:
            lines.append(("~", key))
    return lines


def is_applied(current: Mapping[str, Any], patch: Mapping[str, Any]) -> bool:
    """Whether ``current`` (request shape) already holds every value ``patch`` sets.

    Used when a PATCH was sent but its answer was lost: if the server copy shows the
    change, the save happened and must not be reported as someone else's edit.
    """
    for key, value in patch.items():
        if key == MAP_FIELD:
            fields = current.get(MAP_FIELD) or {}
            for field, field_value in (value or {}).items():
                if field_value is None and field in fields:
                    return False
                if field_value is not None and fields.get(field) != field_value:
                    return False
        elif key == LIST_FIELD:
            if list(current.get(key) or []) != list(value or []):
                return False
        elif _blank(current.get(key)) != _blank(value):
            return False
    return True
