"""Request validation with the shared rules, reported per request-shape field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.rules import (
    FIELD_LABELS,
    MAX_CUSTOM_FIELDS,
    REQUEST_FIELDS,
    STANDARD_FIELDS,
    TEXT_FIELDS,
    check_custom_fields,
    check_email,
    check_field,
    check_tags,
    normalize_email,
    normalize_tags,
)
from sendkit_tui.sandbox.wire import Invalid, detail

MAX_LIMIT = 100
DEFAULT_LIMIT = 25
_INT_RE = re.compile(r"^[+-]?\d{1,9}$")


def unknown_field(name: str) -> str:
    hint = " Send the phone number as 'phone'." if name == "phoneNumber" else ""
    return f"Unknown field {name!r}.{hint}"


def standard_problem(field: str, value: Any) -> str | None:
    if value is None:
        return check_email(None) if field == "email" else None
    if not isinstance(value, str):
        return f"{FIELD_LABELS[field]} must be text."
    return check_field(field, value)


def tags_value(value: Any) -> tuple[list[str], str | None]:
    """Normalised tags, or a problem. ``None`` means no tags."""
    if value is None:
        return [], None
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return [], "Tags must be a list of text."
    tags = normalize_tags(value)
    return tags, check_tags(tags)


def custom_problems(fields: dict[str, Any], *, allow_null: bool) -> list[dict[str, str]]:
    problems = []
    for key, value in fields.items():
        if value is None and allow_null:
            continue
        problem = check_custom_fields({key: value})
        if problem:
            problems.append(detail(f"customFields.{key}", problem))
    return problems


def too_many_custom(fields: dict[str, Any]) -> dict[str, str] | None:
    if len(fields) > MAX_CUSTOM_FIELDS:
        return detail("customFields", f"At most {MAX_CUSTOM_FIELDS} custom fields.")
    return None


def parse_create(body: dict[str, Any]) -> dict[str, Any]:
    """A create body → a record in request names (email normalised). Raises Invalid."""
    details = [detail(k, unknown_field(k)) for k in body if k not in REQUEST_FIELDS]
    record: dict[str, Any] = {}
    for field in STANDARD_FIELDS:
        value = body.get(field)
        problem = standard_problem(field, value)
        if problem:
            details.append(detail(field, problem))
        record[field] = value
    tags, problem = tags_value(body.get("tags"))
    if problem:
        details.append(detail("tags", problem))
    record["tags"] = tags
    custom = body.get("customFields")
    if custom is None:
        custom = {}
    if not isinstance(custom, dict):
        details.append(detail("customFields", "Custom fields must be an object of text values."))
        custom = {}
    details.extend(custom_problems(custom, allow_null=False))
    if (too_many := too_many_custom(custom)) is not None:
        details.append(too_many)
    record["customFields"] = dict(custom)
    if details:
        raise Invalid(details)
    record["email"] = normalize_email(record["email"])
    return record


class EmailImmutable(Exception):
    pass


def apply_patch(current: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The record after a PATCH (see the PATCH rules in docs/ARCHITECTURE.md). Raises Invalid."""
    if "email" in body:
        raise EmailImmutable
    details = [detail(k, unknown_field(k)) for k in body if k not in REQUEST_FIELDS]
    result = dict(current)
    for field in TEXT_FIELDS:
        if field in body:
            problem = standard_problem(field, body[field])
            if problem:
                details.append(detail(field, problem))
            result[field] = body[field]
    if "tags" in body:
        tags, problem = tags_value(body["tags"])
        if problem:
            details.append(detail("tags", problem))
        result["tags"] = tags
    if "customFields" in body:
        patch = body["customFields"]
        if patch is None:
            result["customFields"] = {}
        elif not isinstance(patch, dict):
            details.append(
                detail("customFields", "Custom fields must be an object of text values.")
            )
        else:
            details.extend(custom_problems(patch, allow_null=True))
            merged = dict(current["customFields"])
            for key, value in patch.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            if (too_many := too_many_custom(merged)) is not None:
                details.append(too_many)
            result["customFields"] = merged
    if details:
        raise Invalid(details)
    return result


@dataclass(frozen=True)
class Filters:
    search: str | None = None  # casefolded
    tags: tuple[str, ...] = ()  # casefolded
    verified: bool | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.search, self.tags, self.verified)


def parse_verified(value: Any, field: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Invalid([detail(field, "emailVerified must be true or false.")])


def parse_tag_filter(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list) and all(isinstance(t, str) for t in value):
        parts = value
    else:
        raise Invalid([detail(field, "tags must be a comma-separated list of tag names.")])
    tags = tuple(dict.fromkeys(p.strip().casefold() for p in parts if p.strip()))
    if len(tags) > MAX_LIMIT:
        raise Invalid([detail(field, f"Filter on at most {MAX_LIMIT} tags.")])
    return tags


def parse_search(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid([detail(field, "search must be text.")])
    return value.strip().casefold() or None


def parse_filters(source: dict[str, Any], prefix: str = "") -> Filters:
    return Filters(
        search=parse_search(source.get("search"), prefix + "search"),
        tags=parse_tag_filter(source.get("tags"), prefix + "tags"),
        verified=parse_verified(source.get("emailVerified"), prefix + "emailVerified"),
    )


@dataclass(frozen=True)
class ListQuery:
    filters: Filters
    limit: int
    cursor: str | None


def parse_list_query(query: dict[str, str]) -> ListQuery:
    limit = DEFAULT_LIMIT
    if "limit" in query:
        text = query["limit"].strip()
        if not _INT_RE.match(text) or not 1 <= int(text) <= MAX_LIMIT:
            raise Invalid([detail("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")])
        limit = int(text)
    cursor = query.get("cursor") or None
    if cursor is not None:
        cursor = cursor.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{24}", cursor):
            raise Invalid([detail("cursor", "cursor must be the _id of a lead (24 hex digits).")])
    return ListQuery(parse_filters(dict(query)), limit, cursor)
