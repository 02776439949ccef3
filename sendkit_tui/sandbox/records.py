"""Lead rows: the stored column order and the conversions to records and responses."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sendkit_tui.domain.rules import STANDARD_FIELDS
from sendkit_tui.sandbox.wire import iso

STANDARD = STANDARD_FIELDS  # request-shape names, one statement of them in rules.py
COLUMNS = (
    "id",
    "workspaceId",
    *STANDARD,
    "tags",
    "customFields",
    "emailVerified",
    "emailVerificationResult",
    "userId",
    "createdMs",
    "updatedMs",
    "search",
)
SELECT = ", ".join(COLUMNS[:-1])
INSERT = f"INSERT INTO leads ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
LIST_FIELDS = (
    "_id",
    "email",
    "firstName",
    "lastName",
    "companyName",
    "jobTitle",
    "tags",
    "emailVerified",
    "emailVerificationResult",
    "city",
    "state",
    "country",
    "createdAt",
)
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def search_text(record: dict[str, Any]) -> str:
    first, last = record.get("firstName") or "", record.get("lastName") or ""
    parts = (
        record["email"],
        first,
        last,
        f"{first} {last}" if first and last else "",
        record.get("companyName") or "",
        record.get("jobTitle") or "",
    )
    return "\n".join(parts).casefold()


def to_row(
    lead_id: str,
    workspace_id: str,
    user_id: str,
    record: dict[str, Any],
    created: int,
    updated: int | None = None,
) -> tuple[Any, ...]:
    return (
        lead_id,
        workspace_id,
        *(record.get(f) for f in STANDARD),
        _encode(record.get("tags") or []),
        _encode(record.get("customFields") or {}),
        1 if record.get("emailVerified") else 0,
        record.get("emailVerificationResult"),
        user_id,
        created,
        created if updated is None else updated,
        search_text(record),
    )


def tag_rows(workspace_id: str, lead_id: str, tags: Iterable[str]) -> list[tuple[str, str, str]]:
    return [(workspace_id, t, lead_id) for t in dict.fromkeys(t.casefold() for t in tags)]


def record_of(row: Sequence[Any]) -> dict[str, Any]:
    """A stored row → the internal record (request names) plus bookkeeping keys."""
    record = dict(zip(COLUMNS, row, strict=False))
    record["tags"] = json.loads(record["tags"])
    record["customFields"] = json.loads(record["customFields"])
    record["emailVerified"] = bool(record["emailVerified"])
    return record


def lead_of(record: dict[str, Any]) -> dict[str, Any]:
    """The internal record → the full lead in response shape."""
    return {
        "_id": record["id"],
        "email": record["email"],
        "firstName": record["firstName"],
        "lastName": record["lastName"],
        "companyName": record["companyName"],
        "jobTitle": record["jobTitle"],
        "phoneNumber": record["phone"],
        "linkedinUrl": record["linkedinUrl"],
        "city": record["city"],
        "state": record["state"],
        "country": record["country"],
        "tags": record["tags"],
        "customFields": record["customFields"],
        "emailVerified": record["emailVerified"],
        "emailVerificationResult": record["emailVerificationResult"],
        "userId": record["userId"],
        "workspaceId": record["workspaceId"],
        "createdAt": iso(record["createdMs"]),
        "updatedAt": iso(record["updatedMs"]),
    }


def list_item(lead: dict[str, Any]) -> dict[str, Any]:
    return {k: lead[k] for k in LIST_FIELDS}
