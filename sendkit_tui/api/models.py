"""Pydantic v2 models for SendKit data (docs/ARCHITECTURE.md, "Wire decisions").

Response models keep unknown fields (``extra="allow"``) so nothing the server sends is
lost, and accept both the camelCase wire names and the snake_case attribute names.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .pagination import pagination_fields

# Lead attribute -> request-shape name (the create/PATCH body and the edit screen use these).
REQUEST_NAMES: dict[str, str] = {
    "email": "email",
    "first_name": "firstName",
    "last_name": "lastName",
    "company_name": "companyName",
    "job_title": "jobTitle",
    "phone_number": "phone",
    "linkedin_url": "linkedinUrl",
    "city": "city",
    "state": "state",
    "country": "country",
    "tags": "tags",
    "custom_fields": "customFields",
}


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)


class Lead(_Response):
    """A lead as the server sends it. Only ``_id`` and ``email`` are guaranteed."""

    id: str = Field(alias="_id")
    email: str
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")
    company_name: str | None = Field(default=None, alias="companyName")
    job_title: str | None = Field(default=None, alias="jobTitle")
    phone_number: str | None = Field(default=None, alias="phoneNumber")
    linkedin_url: str | None = Field(default=None, alias="linkedinUrl")
    city: str | None = None
    state: str | None = None
    country: str | None = None
    tags: list[str] | None = None
    custom_fields: dict[str, Any] | None = Field(default=None, alias="customFields")
    email_verified: bool | None = Field(default=None, alias="emailVerified")
    email_verification_result: str | None = Field(default=None, alias="emailVerificationResult")
    user_id: str | None = Field(default=None, alias="userId")
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")

    def known_fields(self) -> set[str]:
        """Request-shape names this copy actually carried (a list row may lack customFields)."""
        return {REQUEST_NAMES[name] for name in self.model_fields_set if name in REQUEST_NAMES}

    def to_request_dict(self) -> dict[str, Any]:
        """This lead in the request shape, restricted to the fields it carried.

        The baseline the edit screen diffs against: ``None`` stays ``None``, tags are a new
        list, custom-field values become text (numbers and booleans as JSON, null as "").
        """
        known = self.model_fields_set
        out: dict[str, Any] = {}
        for name, request_name in REQUEST_NAMES.items():
            if name not in known:
                continue
            value = getattr(self, name)
            if name == "tags" and value is not None:
                value = list(value)
            elif name == "custom_fields" and value is not None:
                value = {str(k): custom_value_text(v) for k, v in value.items()}
            out[request_name] = value
        return out


def custom_value_text(value: Any) -> str:
    """A custom-field value as the text the editor shows."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


class LeadInput(BaseModel):
    """A lead in the request shape of ``POST /v1/leads`` (note ``phone``, not phoneNumber)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    email: str
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")
    company_name: str | None = Field(default=None, alias="companyName")
    job_title: str | None = Field(default=None, alias="jobTitle")
    phone: str | None = None
    linkedin_url: str | None = Field(default=None, alias="linkedinUrl")
    city: str | None = None
    state: str | None = None
    country: str | None = None
    tags: list[str] | None = None
    custom_fields: dict[str, Any] | None = Field(default=None, alias="customFields")

    @classmethod
    def from_request_dict(cls, data: dict[str, Any]) -> LeadInput:
        return cls.model_validate(data)

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


class Workspace(_Response):
    id: str
    name: str | None = None
    owner_id: str | None = Field(default=None, alias="ownerId")
    member_count: int | None = Field(default=None, alias="memberCount")
    usage: dict[str, Any] | None = None
    created_at: str | None = Field(default=None, alias="createdAt")


class Membership(_Response):
    workspace_id: str = Field(alias="workspaceId")
    role: str | None = None
    joined_at: str | None = Field(default=None, alias="joinedAt")


class Account(_Response):
    id: str
    name: str | None = None
    email: str | None = None
    tier: str | None = None
    workspaces: list[Membership] = Field(default_factory=list)


class Page(BaseModel):
    """One page of ``GET /v1/leads``, from either pagination form."""

    items: list[Lead]
    total: int | None = None
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None
    page: int | None = None
    pages: int | None = None

    @classmethod
    def from_parts(cls, items: list[Lead], pagination: dict[str, Any] | None) -> Page:
        """Newer form ``{limit,total,hasMore,nextCursor}`` or older ``{page,limit,total,pages}``.

        Raises ``ValueError`` when the pagination object has the wrong types.
        """
        return cls(items=items, **pagination_fields(pagination))


class BulkResult(_Response):
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    imported_lead_ids: list[str] = Field(default_factory=list, alias="importedLeadIds")
    errors: list[dict[str, Any]] = Field(default_factory=list)
