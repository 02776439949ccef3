"""Lead list pages without pydantic: what the leads list needs to draw and page.

The list is the first thing the app shows, so reading a page must not wait for the pydantic
models to be built (about 70 ms at start-up). A ``LeadRow`` keeps the item exactly as the
server sent it (``raw``) plus the few display fields; ``to_lead()`` builds the full
``Lead`` when a lead is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .pagination import pagination_fields

if TYPE_CHECKING:
    from .models import Lead


@dataclass(slots=True, eq=False)
class LeadRow:
    """One lead of a list page: its id, the columns the list shows, and the item as sent."""

    id: str
    email: str
    name: str
    company: str
    title: str
    tags: str
    created: str
    updated_at: str | None
    raw: dict[str, Any]

    @classmethod
    def from_item(cls, item: Any) -> LeadRow:
        """Raises ``ValueError`` for an item without a usable ``_id`` and ``email``."""
        if not isinstance(item, dict):
            raise ValueError("a lead in 'data' is not a JSON object")
        lead_id, email = _text(item.get("_id")), item.get("email")
        if not lead_id or not isinstance(email, str):
            raise ValueError("a lead in 'data' has no '_id' or 'email'")
        first, last = _text(item.get("firstName")), _text(item.get("lastName"))
        tags = item.get("tags")
        return cls(
            id=lead_id,
            email=email,
            name=" ".join(part for part in (first, last) if part),
            company=_text(item.get("companyName")),
            title=_text(item.get("jobTitle")),
            tags=", ".join(map(_text, tags)) if isinstance(tags, list) else "",
            created=_text(item.get("createdAt"))[:10],
            updated_at=_text(item.get("updatedAt")) or None,
            raw=item,
        )

    @classmethod
    def from_lead(cls, lead: Lead) -> LeadRow:
        """The row for a lead a create or an edit returned."""
        return cls.from_item(lead.model_dump(by_alias=True, exclude_unset=True))

    def to_lead(self) -> Lead:
        """The full model (imports pydantic on first use). Raises ``ValueError`` if invalid."""
        from .models import Lead

        return Lead.model_validate(self.raw)


@dataclass(slots=True)
class RowPage:
    """One page of ``GET /v1/leads`` as rows, from either pagination form."""

    rows: list[LeadRow]
    total: int | None = None
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None
    page: int | None = None
    pages: int | None = None
    unreadable: int = 0  # items of 'data' left out: not an object, or no '_id' or 'email'


def row_page(body: dict[str, Any]) -> RowPage:
    """A ``GET /v1/leads`` success body as rows. Raises ``ValueError`` if the body is
    malformed; an item that is not a lead is left out and counted (``unreadable``), so one
    bad item does not hide the page."""
    items = body.get("data")
    if not isinstance(items, list):
        raise ValueError("'data' is not a JSON array")
    pagination = body.get("pagination")
    if pagination is not None and not isinstance(pagination, dict):
        raise ValueError("'pagination' is not a JSON object")
    rows: list[LeadRow] = []
    for item in items:
        try:
            rows.append(LeadRow.from_item(item))
        except ValueError:
            continue
    unreadable = len(items) - len(rows)
    return RowPage(rows, **pagination_fields(pagination), unreadable=unreadable)


def _text(value: Any) -> str:
    """A display value: strings as they are, numbers as text, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
