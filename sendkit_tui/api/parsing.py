"""Small helpers for reading SendKit response bodies: JSON decoding and safe excerpts.

Everything here is pure and never raises on odd input: the body of a response is
untrusted bytes (a proxy's HTML page, an empty body, JSON cut off half-way).
"""

from __future__ import annotations

import html
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
