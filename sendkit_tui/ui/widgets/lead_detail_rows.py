"""The detail pane's rows: a lead (as the server sent it) as ``label  value`` lines.

Works on the wire shape (``firstName``, ``phoneNumber``, ``customFields`` …), so a list row's
item and a full ``GET /v1/leads/{id}`` answer are drawn the same way. What a copy lacks is
drawn as ``missing`` says: still to come (a list item while its full copy is on its way), not
in the list (a server without the single-lead route), or empty (the full copy). Every key
and value is server data: sanitised here for drawing, kept as sent for copying.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from sendkit_tui.domain.text import sanitize

# Wire name -> label, in the order drawn.
FIELDS = (
    ("email", "Email"),
    ("firstName", "First name"),
    ("lastName", "Last name"),
    ("companyName", "Company"),
    ("jobTitle", "Job title"),
    ("phoneNumber", "Phone"),
    ("linkedinUrl", "LinkedIn"),
    ("city", "City"),
    ("state", "State"),
    ("country", "Country"),
    ("tags", "Tags"),
    ("emailVerified", "Verified"),
    ("emailVerificationResult", "Status"),
    ("createdAt", "Created"),
    ("updatedAt", "Updated"),
    ("_id", "ID"),
)
HIDDEN = frozenset({"customFields", "userId", "workspaceId"})  # custom fields have a section
PENDING = "…"  # not in this copy yet: the full lead is on its way
NOT_SENT = "(not in the list)"  # and the server cannot send the full lead
NOT_LOADED = "(not loaded)"  # asking for the full lead failed
EMPTY = "—"
CUSTOM_HEADING = "Custom fields"


class DetailRow(NamedTuple):
    label: str  # sanitised, one line
    text: str  # what is drawn: sanitised, one line
    value: str | None  # what ``y`` copies, as sent; None: nothing to copy (pending or heading)
    heading: bool = False
    muted: bool = False


def value_text(value: Any) -> str:
    """A field's value as text: strings as sent, tags joined, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def detail_rows(data: dict[str, Any], *, missing: str = EMPTY) -> list[DetailRow]:
    """Every field of ``data`` (standard ones first, then unknown ones, then custom fields);
    ``missing`` stands for a field ``data`` does not carry."""
    rows = [_row(label, data, name, missing) for name, label in FIELDS]
    known = {name for name, _label in FIELDS} | HIDDEN
    rows += [_row(str(name), data, name, missing) for name in data if name not in known]
    rows.append(DetailRow(CUSTOM_HEADING, "", None, heading=True))
    custom = data.get("customFields")
    if isinstance(custom, dict) and custom:
        rows += [_row(str(key), custom, key, EMPTY) for key in custom]
    elif "customFields" not in data and missing != EMPTY:
        rows.append(DetailRow("", missing, None, muted=True))
    else:
        rows.append(DetailRow("", "none", None, muted=True))
    return rows


def _row(label: str, data: dict[str, Any], name: str, missing: str) -> DetailRow:
    shown = sanitize(label, single_line=True)
    if name not in data and missing != EMPTY:
        return DetailRow(shown, missing, None, muted=True)
    text = value_text(data.get(name))
    if not text:
        return DetailRow(shown, EMPTY, "", muted=True)
    return DetailRow(shown, sanitize(text, single_line=True), text)
