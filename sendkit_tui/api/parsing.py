"""Small helpers for reading SendKit response bodies: JSON decoding and safe excerpts.

Everything here is pure and never raises on odd input: the body of a response is
untrusted bytes (a proxy's HTML page, an empty body, JSON cut off half-way).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

EXCERPT_LIMIT = 200
EMPTY_BODY = "(empty body)"

_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_BLOCK = re.compile(r"<(script|style|head)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*(>|$)")
_SPACE = re.compile(r"\s+")
# Bidi embeddings/overrides/isolates: made invisible in an excerpt would mislead.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

_NOT_JSON = object()
_FIELD_ALIASES = {"phoneNumber": "phone", "_id": "id"}


def body_text(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    return raw.decode("utf-8", errors="replace")


def clean_text(text: str) -> str:
    """Control and bidi characters removed, whitespace collapsed, trimmed."""
    text = _SPACE.sub(" ", text)
    kept = [
        ch for ch in text if ch not in _BIDI and unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    ]
    return _SPACE.sub(" ", "".join(kept)).strip()


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def excerpt(raw: bytes | str, limit: int = EXCERPT_LIMIT) -> str:
    """At most ``limit`` characters of a body, HTML tags stripped, safe to show as plain text."""
    text = body_text(raw)
    if text.lstrip().startswith("<"):
        text = _COMMENT.sub(" ", text)
        text = _BLOCK.sub(" ", text)
        text = _TAG.sub(" ", text)
        import html  # only for HTML error pages

        text = html.unescape(text)
    text = clean_text(text)
    return truncate(text, limit) if text else EMPTY_BODY


def load_json(raw: bytes | str) -> Any:
    """The decoded JSON value, or ``NOT_JSON`` when the body is not JSON at all."""
    text = body_text(raw).strip()
    if not text:
        return _NOT_JSON
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def is_json(value: Any) -> bool:
    return value is not _NOT_JSON


def short_message(value: Any, limit: int = 300) -> str | None:
    """A server-provided message as clean, bounded text; ``None`` if it is not usable text."""
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    return truncate(text, limit) if text else None


def existing_lead_id(body: dict[str, Any], obj: dict[str, Any]) -> str | None:
    """The id of the lead a 409 conflicts with, when the body names it."""
    details = obj.get("details")
    for holder in (obj, details if isinstance(details, dict) else {}, body):
        for key in ("leadId", "existingLeadId", "_id"):
            value = holder.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _field_name(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = ".".join(str(part) for part in value if part != "body")
    if not isinstance(value, str) or not value.strip():
        return None
    name = value.strip()
    head, dot, rest = name.partition(".")
    return _FIELD_ALIASES.get(head, head) + dot + rest


def field_errors(body: dict[str, Any], obj: dict[str, Any]) -> dict[str, str]:
    """Request-shape field name -> message, from ``details``/``errors`` (list or dict)."""
    found: dict[str, str] = {}
    for source in (obj.get("details"), obj.get("errors"), body.get("errors"), body.get("details")):
        pairs: list[tuple[Any, Any]] = []
        if isinstance(source, dict):
            pairs = list(source.items())
        elif isinstance(source, list):
            for item in source:
                if isinstance(item, dict):
                    field = item.get("field", item.get("path", item.get("param", item.get("loc"))))
                    text = item.get("message", item.get("msg", item.get("error")))
                    pairs.append((field, text))
        for field, text in pairs:
            if isinstance(text, list) and text and all(isinstance(t, str) for t in text):
                text = "; ".join(text)
            name, message = _field_name(field), short_message(text)
            if name and message and name not in found:
                found[name] = message
    return found
