"""POST /v1/leads/bulk: flat rows, clean-up, skip or update duplicates, one transaction."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sendkit_tui.domain.rules import (
    FIELD_LABELS,
    check_tag,
    check_tags,
    normalize_email,
    normalize_tags,
)
from sendkit_tui.sandbox.records import STANDARD, tag_rows, to_row
from sendkit_tui.sandbox.store import Store
from sendkit_tui.sandbox.validate import custom_problems, standard_problem, too_many_custom
from sendkit_tui.sandbox.wire import Invalid, detail

MAX_BULK = 5_000
BODY_KEYS = ("leads", "skipDuplicates", "dataCleanup", "tag")
NAME_FIELDS = ("firstName", "lastName")
_NOT_NAME = re.compile(r"[^\w\s'.-]|[\d_]")
_SPACES = re.compile(r"\s+")


def stringify(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def clean_phone(value: str) -> str:
    text = value.strip()
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    return ("+" if text.startswith("+") else "") + digits


def clean_url(value: str) -> str:
    text = value.strip()
    if text and "://" not in text:
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def clean_name(value: str) -> str:
    return _SPACES.sub(" ", _NOT_NAME.sub("", value)).strip()


def parse_body(body: dict[str, Any]) -> tuple[list[Any], bool, bool, str | None]:
    details = [detail(k, f"Unknown field {k!r}.") for k in body if k not in BODY_KEYS]
    leads = body.get("leads")
    if not isinstance(leads, list):
        details.append(detail("leads", "leads must be a list of lead objects."))
    elif len(leads) > MAX_BULK:
        details.append(detail("leads", f"At most {MAX_BULK:,} leads per request."))
    flags = []
    for name in ("skipDuplicates", "dataCleanup"):
        value = body.get(name, True)
        if not isinstance(value, bool):
            details.append(detail(name, f"{name} must be true or false."))
        flags.append(value is not False)
    tag = body.get("tag")
    if tag is not None:
        problem = "tag must be text." if not isinstance(tag, str) else check_tag(tag)
        if problem:
            details.append(detail("tag", problem))
        tag = tag.strip() if isinstance(tag, str) else None
    if details:
        raise Invalid(details)
    return leads, flags[0], flags[1], tag or None  # type: ignore[return-value]


def parse_row(row: Any, cleanup: bool, tag: str | None) -> dict[str, Any]:
    """One flat row → a record. Raises ValueError with the message for ``errors``."""
    if not isinstance(row, dict):
        raise ValueError("Each lead must be an object.")
    record: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for key, value in row.items():
        if key == "phoneNumber" and "phone" in row:
            continue
        name = "phone" if key == "phoneNumber" else key
        if name in STANDARD:
            if isinstance(value, list | dict):
                raise ValueError(f"{FIELD_LABELS[name]} must be text.")
            if value is not None:
                record[name] = stringify(value)
        elif name == "tags":
            items = value.split(",") if isinstance(value, str) else value
            if items is not None and not (
                isinstance(items, list) and all(isinstance(t, str) for t in items)
            ):
                raise ValueError("Tags must be a list of text.")
            record["tags"] = normalize_tags(items or [])
        elif name == "customFields" and value is not None:
            if not isinstance(value, dict):
                raise ValueError("Custom fields must be an object of text values.")
            custom.update({k: stringify(v) for k, v in value.items() if v is not None})
        elif value is not None:
            custom[key] = stringify(value)
    if not isinstance(record.get("email"), str):
        raise ValueError("Email is required.")
    record["email"] = normalize_email(record["email"])
    if cleanup:
        for name, value in list(record.items()):
            if isinstance(value, str):
                value = value.strip()
                if name == "phone":
                    value = clean_phone(value)
                elif name == "linkedinUrl":
                    value = clean_url(value)
                elif name in NAME_FIELDS:
                    value = clean_name(value)
                record[name] = value or None
    tags = record.get("tags", [])
    if tag:
        tags = normalize_tags([*tags, tag])
    record["tags"] = tags
    record["customFields"] = custom
    for name in STANDARD:
        if (problem := standard_problem(name, record.get(name))) is not None:
            raise ValueError(problem)
    problems = custom_problems(custom, allow_null=False)
    problem = check_tags(tags) or (problems[0]["message"] if problems else None)
    if problem or (problem := too_many_custom(custom)):
        raise ValueError(problem if isinstance(problem, str) else problem["message"])
    return record


def merge(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """Non-empty standard fields overwrite, customFields merge, tags union."""
    merged = dict(existing)
    for name in STANDARD:
        value = incoming.get(name)
        if name != "email" and isinstance(value, str) and value.strip():
            merged[name] = value
    merged["customFields"] = {**existing["customFields"], **incoming["customFields"]}
    merged["tags"] = normalize_tags([*existing["tags"], *incoming["tags"]])
    problem = check_tags(merged["tags"]) or too_many_custom(merged["customFields"])
    if problem:
        raise ValueError(problem if isinstance(problem, str) else problem["message"])
    return merged


def bulk_import(store: Store, workspace_id: str, user_id: str, body: dict[str, Any],
                now_ms: int) -> dict[str, Any]:  # fmt: skip
    leads, skip, cleanup, tag = parse_body(body)
    result: dict[str, Any] = {
        "imported": 0, "updated": 0, "skipped": 0, "failed": 0,
        "importedLeadIds": [], "errors": [],
    }  # fmt: skip
    parsed: list[dict[str, Any]] = []
    for row in leads:
        try:
            parsed.append(parse_row(row, cleanup, tag))
        except ValueError as exc:
            email = row.get("email") if isinstance(row, dict) else None
            email = email if email is None or isinstance(email, str) else stringify(email)
            result["failed"] += 1
            result["errors"].append({"email": email, "error": str(exc)})
    with store.tx() as db:
        existing = store.ids_by_email(workspace_id, [r["email"] for r in parsed])
        fresh: dict[str, dict[str, Any]] = {}  # email → record imported in this batch
        changed: dict[str, dict[str, Any]] = {}  # id → merged record of an existing lead
        for record in parsed:
            email = record["email"]
            if email not in existing and email not in fresh:
                record["id"] = store.ids.next(now_ms)
                fresh[email] = record
                result["imported"] += 1
                result["importedLeadIds"].append(record["id"])
                continue
            if skip:
                result["skipped"] += 1
                continue
            try:
                if email in fresh:
                    fresh[email] = merge(fresh[email], record)
                else:
                    lead_id = existing[email]
                    current = changed.get(lead_id) or store.record(lead_id)
                    assert current is not None
                    changed[lead_id] = merge(current, record)
            except ValueError as exc:
                result["failed"] += 1
                result["errors"].append({"email": email, "error": str(exc)})
                continue
            result["updated"] += 1
        rows, tags = [], []
        for record in fresh.values():
            rows.append(to_row(record["id"], workspace_id, user_id, record, now_ms))
            tags.extend(tag_rows(workspace_id, record["id"], record["tags"]))
        store.insert(db, rows, tags)
        for record in changed.values():
            original = store.record(record["id"])
            if original != record:
                store.replace(db, record, max(now_ms, record["updatedMs"] + 1))
    return result
