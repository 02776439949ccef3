"""What a draft file must hold, checked field by field before a draft is offered back.

A draft file is local state that other programs, editors and older builds can touch, so it is
read like untrusted input: every field of the document must have the type the forms wrote,
or the draft is refused with one short reason (``draft_problem``). The restore path then
never meets ``tags: "abc"`` (which would become the tags a, b and c) or ``customFields:
[1, 2]`` (which would crash the form).

The shapes, as the create and edit forms write them:

- ``values``: the form in request shape. Each standard field (``email``, ``firstName``, …)
  is text or null; ``tags`` a list of texts or null; ``customFields`` an object of text
  values or null; ``_pendingTag`` (text typed but not added as a tag) text or null;
  ``_pendingField`` (a custom field typed but not added) two texts or null; ``_keepTyped``
  (fields the user chose to send as typed, not cleaned) a list of texts or null.
- ``baseline`` (edit drafts): null, or the lead as the edit started, with the same request
  fields (no pending ones).
- ``kind`` create or edit (an edit names its ``lead_id``), ``outcome`` one of the known ones,
  the times and ``profile`` texts, the other optional fields text or null.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendkit_tui.domain.rules import STANDARD_FIELDS

KINDS = ("create", "edit")
OUTCOMES = ("never", "pending", "unknown", "failed")
PENDING_FIELDS = ("_pendingTag", "_pendingField")
REQUIRED_TEXT = ("profile", "outcome", "created_at", "updated_at")
OPTIONAL_TEXT = ("lead_id", "baseline_updated_at", "workspace_id", "base_url", "outcome_detail")


@dataclass(frozen=True)
class SetAside:
    """A draft file that could not be used, and where it went (``None``: it could not be
    moved, so it stays where it was, skipped on every read)."""

    path: Path
    moved_to: Path | None
    reason: str

    @property
    def note(self) -> str:
        """One plain sentence for the user (file names are data: show them as text)."""
        where = f"kept as {self.moved_to}" if self.moved_to else f"left at {self.path}"
        return (
            f"A saved draft could not be read ({self.reason}); it is {where} and will not "
            "be offered again."
        )


def draft_problem(document: dict[str, Any]) -> str | None:
    """None when ``document`` (a draft file's JSON object) is a draft this version can
    restore; otherwise a short reason naming the first field that is wrong."""
    kind = document.get("kind")
    if kind not in KINDS:
        return "'kind' is neither create nor edit"
    for name in REQUIRED_TEXT:
        if name in document and not isinstance(document[name], str):
            return f"'{name}' is {_what(document[name])}, not text"
    for name in OPTIONAL_TEXT:
        if document.get(name) is not None and not isinstance(document[name], str):
            return f"'{name}' is {_what(document[name])}, not text"
    if "outcome" in document and document["outcome"] not in OUTCOMES:
        return "'outcome' is not one this version knows"
    if kind == "edit" and not (document.get("lead_id") or "").strip():
        return "an edit draft does not say which lead it edits"
    problem = _fields_problem("values", document.get("values"), pending=True)
    if problem:
        return problem
    baseline = document.get("baseline")
    if baseline is not None:
        return _fields_problem("baseline", baseline, pending=False)
    return None


def _fields_problem(where: str, fields: Any, *, pending: bool) -> str | None:
    if not isinstance(fields, dict):
        return f"'{where}' is {_what(fields)}, not an object"
    for name, value in fields.items():
        path = f"{where}.{name}"
        if name in STANDARD_FIELDS or (pending and name == "_pendingTag"):
            if value is not None and not isinstance(value, str):
                return f"'{path}' is {_what(value)}, not text"
        elif name == "tags":
            if value is not None and not _texts(value):
                return f"'{path}' is {_what(value)}, not a list of texts"
        elif name == "customFields":
            if value is not None and not _text_map(value):
                return f"'{path}' is {_what(value)}, not an object of texts"
        elif pending and name == "_keepTyped":
            if value is not None and not _texts(value):
                return f"'{path}' is {_what(value)}, not a list of field names"
        elif pending and name == "_pendingField":
            if value is not None and not (_texts(value) and len(value) == 2):
                return f"'{path}' is {_what(value)}, not a name and a value"
        else:
            return f"'{path}' is not a field this version knows"
    return None


def _texts(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _what(value: Any) -> str:
    """The JSON type of ``value``, for a reason ("a list", "a number"); never its content."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
