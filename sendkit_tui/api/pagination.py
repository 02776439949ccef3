"""The list answer's pagination object, in either form the API uses, read without pydantic.

Shared by the light list rows (rows.py) and the pydantic models (models.py).
"""

from __future__ import annotations

from typing import Any


def pagination_fields(pagination: dict[str, Any] | None) -> dict[str, Any]:
    """Newer form ``{limit,total,hasMore,nextCursor}`` or older ``{page,limit,total,pages}``.

    Raises ``ValueError`` when the pagination object has the wrong types.
    """
    p = pagination or {}
    page, pages = _int(p, "page"), _int(p, "pages")
    has_more = p.get("hasMore")
    if has_more is None:
        has_more = page is not None and pages is not None and page < pages
    elif not isinstance(has_more, bool):
        raise ValueError("pagination.hasMore is not a boolean")
    cursor = p.get("nextCursor")
    if cursor is not None and not isinstance(cursor, str | int):
        raise ValueError("pagination.nextCursor is not a string")
    return {
        "total": _int(p, "total"),
        "has_more": has_more,
        "next_cursor": str(cursor) if cursor not in (None, "") else None,
        "limit": _int(p, "limit"),
        "page": page,
        "pages": pages,
    }


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"pagination.{key} is not an integer")
