"""Bulk edit, one lead at a time: the operation, each lead's minimal PATCH, and its undo.

Pure and free of I/O. ``plan(op, current)`` takes a lead's current ``tags`` and
``customFields`` (request shape) and gives the PATCH body that applies the operation to that
lead, or ``None`` when the lead already looks that way (no request is sent):

- tags are our additions or removals applied to *that lead's* list (compared without regard
  to case, like the edit form), sent as the whole new list;
- a custom field is set or deleted on its own (merge-patch: ``{key: value}`` or
  ``{key: null}``); other fields are never sent.

A ``Change`` records what one lead had before and what was sent. ``undo_patch(change,
current)`` is the inverse, applied with the same rules: when the lead still looks as we left
it, its tags go back exactly (order and spelling); when someone changed it since, only our
additions and removals are reversed on their list (``merge.merge_tags``), and a custom field
someone else has set since is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sendkit_tui.domain.merge import merge_tags
from sendkit_tui.domain.patch import LIST_FIELD, MAP_FIELD
from sendkit_tui.domain.rules import (
    MAX_TAGS,
    check_custom_key,
    check_custom_value,
    check_tag,
    normalize_tags,
)

Kind = Literal["add_tags", "remove_tags", "set_field", "delete_field"]
KINDS: tuple[Kind, ...] = ("add_tags", "remove_tags", "set_field", "delete_field")
_ABSENT = {"absent": True}  # how a custom field the lead did not have is recorded


class PlanRefused(ValueError):
    """This lead cannot take the operation (the reason is a sentence for the user)."""


def _fold(tag: Any) -> str:
    return str(tag).strip().casefold()


@dataclass(frozen=True)
class BulkOp:
    """One operation for every target lead."""

    kind: Kind
    tags: tuple[str, ...] = ()
    key: str = ""
    value: str = ""

    @classmethod
    def add_tags(cls, tags: list[str]) -> BulkOp:
        return cls("add_tags", tuple(normalize_tags(tags)))

    @classmethod
    def remove_tags(cls, tags: list[str]) -> BulkOp:
        return cls("remove_tags", tuple(normalize_tags(tags)))

    @classmethod
    def set_field(cls, key: str, value: str) -> BulkOp:
        return cls("set_field", key=key.strip(), value=value)

    @classmethod
    def delete_field(cls, key: str) -> BulkOp:
        return cls("delete_field", key=key.strip())

    @property
    def field(self) -> str:
        """The lead field this operation reads and writes."""
        return LIST_FIELD if self.kind in ("add_tags", "remove_tags") else MAP_FIELD

    def problem(self) -> str | None:
        """Why this operation cannot be run as given (None: it can)."""
        if self.kind in ("add_tags", "remove_tags"):
            if not self.tags:
                return "Name at least one tag."
            for tag in self.tags:
                problem = check_tag(tag)
                if problem:
                    return problem
            return None
        problem = check_custom_key(self.key)
        if problem is None and self.kind == "set_field":
            problem = check_custom_value(self.value)
        return problem

    def describe(self) -> str:
        names = ", ".join(repr(t) for t in self.tags)
        if self.kind == "add_tags":
            return f"add tag{'s' if len(self.tags) != 1 else ''} {names}"
        if self.kind == "remove_tags":
            return f"remove tag{'s' if len(self.tags) != 1 else ''} {names}"
        if self.kind == "set_field":
            return f"set custom field {self.key!r} to {self.value!r}"
        return f"delete custom field {self.key!r}"

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind, "tags": list(self.tags), "key": self.key, "value": self.value}

    @classmethod
    def from_state(cls, data: Mapping[str, Any]) -> BulkOp:
        kind = data.get("kind")
        if kind not in KINDS:
            raise ValueError(f"unknown bulk operation {kind!r}")
        tags = tuple(str(t) for t in data.get("tags") or [])
        return cls(kind, tags, str(data.get("key") or ""), str(data.get("value") or ""))


def plan(op: BulkOp, current: Mapping[str, Any]) -> dict[str, Any] | None:
    """The minimal PATCH that applies ``op`` to a lead that now looks like ``current``."""
    if op.field == LIST_FIELD:
        tags = [str(t) for t in current.get(LIST_FIELD) or []]
        folds = {_fold(t) for t in op.tags}
        if op.kind == "add_tags":
            have = {_fold(t) for t in tags}
            new = tags + [t for t in op.tags if _fold(t) not in have]
            if len(new) > MAX_TAGS and len(new) > len(tags):
                raise PlanRefused(f"It would have more than {MAX_TAGS} tags.")
        else:
            new = [t for t in tags if _fold(t) not in folds]
        return None if new == tags else {LIST_FIELD: new}
    fields = current.get(MAP_FIELD) or {}
    if op.kind == "set_field":
        if op.key in fields and fields[op.key] == op.value:
            return None
        return {MAP_FIELD: {op.key: op.value}}
    return {MAP_FIELD: {op.key: None}} if op.key in fields else None


def before_of(
    op_field: str, current: Mapping[str, Any], patch: Mapping[str, Any]
) -> dict[str, Any]:
    """What ``patch`` will overwrite in ``current``: kept so it can be undone."""
    if op_field == LIST_FIELD:
        return {LIST_FIELD: [str(t) for t in current.get(LIST_FIELD) or []]}
    fields = current.get(MAP_FIELD) or {}
    return {MAP_FIELD: {k: fields[k] if k in fields else dict(_ABSENT) for k in patch[MAP_FIELD]}}


@dataclass(frozen=True)
class Change:
    """One lead's part of a batch: what it had (``before``) and the PATCH that was sent."""

    lead_id: str
    before: dict[str, Any]
    patch: dict[str, Any] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        return {"id": self.lead_id, "before": self.before, "patch": self.patch}

    @classmethod
    def from_state(cls, data: Mapping[str, Any]) -> Change:
        return cls(str(data["id"]), dict(data["before"]), dict(data.get("patch") or {}))


def undo_patch(change: Change, current: Mapping[str, Any]) -> dict[str, Any] | None:
    """The PATCH that takes back ``change`` from a lead that now looks like ``current``."""
    out: dict[str, Any] = {}
    if LIST_FIELD in change.patch:
        after = [str(t) for t in change.patch[LIST_FIELD] or []]
        before = [str(t) for t in change.before.get(LIST_FIELD) or []]
        now = [str(t) for t in current.get(LIST_FIELD) or []]
        wanted = before if now == after else merge_tags(after, before, now)
        if wanted != now:
            out[LIST_FIELD] = wanted
    if MAP_FIELD in change.patch:
        fields = current.get(MAP_FIELD) or {}
        undo: dict[str, Any] = {}
        for key, sent in (change.patch[MAP_FIELD] or {}).items():
            had = change.before.get(MAP_FIELD, {}).get(key, _ABSENT)
            absent_before = had == _ABSENT
            now_value = fields.get(key, _ABSENT)
            ours = (now_value == _ABSENT) if sent is None else (now_value == sent)
            if not ours:
                continue  # someone changed it since (or our PATCH never landed)
            if absent_before and now_value != _ABSENT:
                undo[key] = None
            elif not absent_before and now_value != had:
                undo[key] = had
        if undo:
            out[MAP_FIELD] = undo
    return out or None
