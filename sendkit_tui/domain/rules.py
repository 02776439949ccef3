"""Field rules for leads, shared by the form validation and the sandbox server.

Pure functions only: no Textual, no I/O. Each ``check_*`` returns ``None`` when the
value is acceptable, or a short, user-facing sentence that says what is wrong.
The sandbox answers 400 with the same sentences, so a rule is stated once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# Request-shape field names, in the order the forms show them.
STANDARD_FIELDS: tuple[str, ...] = (
    "email",
    "firstName",
    "lastName",
    "companyName",
    "jobTitle",
    "phone",
    "linkedinUrl",
    "city",
    "state",
    "country",
)
TEXT_FIELDS: tuple[str, ...] = tuple(f for f in STANDARD_FIELDS if f != "email")
REQUEST_FIELDS: tuple[str, ...] = (*STANDARD_FIELDS, "tags", "customFields")

FIELD_LABELS: dict[str, str] = {
    "email": "Email",
    "firstName": "First name",
    "lastName": "Last name",
    "companyName": "Company",
    "jobTitle": "Job title",
    "phone": "Phone",
    "linkedinUrl": "LinkedIn URL",
    "city": "City",
    "state": "State",
    "country": "Country",
    "tags": "Tags",
    "customFields": "Custom fields",
}


def field_label(field: str) -> str:
    """How a changed field is named to the user: ``customFields.plan`` is "custom field
    'plan'", a standard field its label."""
    if field.startswith("customFields."):
        return f"custom field {field.split('.', 1)[1]!r}"
    return FIELD_LABELS.get(field, field)


MAX_EMAIL_LEN = 254
MAX_TEXT_LEN = 1_000
MAX_URL_LEN = 2_000
MAX_PHONE_LEN = 40
MAX_TAG_LEN = 64
MAX_TAGS = 100
MAX_KEY_LEN = 100
MAX_VALUE_LEN = 10_000
MAX_CUSTOM_FIELDS = 200

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()./\-]+((x|ext\.?)\s?[0-9]+)?$", re.IGNORECASE)


def normalize_email(value: str) -> str:
    """Trimmed and lowercased, the way SendKit stores it."""
    return value.strip().lower()


def check_email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return "Email is required."
    if len(text) > MAX_EMAIL_LEN:
        return f"Email is too long (at most {MAX_EMAIL_LEN} characters)."
    if not _EMAIL_RE.match(text):
        return "Enter an email address like name@example.com."
    return None


def check_text(value: str | None, field: str = "") -> str | None:
    """Plain text fields: names, company, job title, city, state, country."""
    if value is not None and len(value) > MAX_TEXT_LEN:
        label = FIELD_LABELS.get(field, "This field")
        return f"{label} is too long (at most {MAX_TEXT_LEN:,} characters)."
    return None


def check_phone(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_PHONE_LEN:
        return f"Phone is too long (at most {MAX_PHONE_LEN} characters)."
    if not _PHONE_RE.match(text) or not any(ch.isdigit() for ch in text):
        return "Phone may hold digits, spaces, + ( ) - . / and an extension like x123."
    return None


def check_url(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_URL_LEN:
        return f"URL is too long (at most {MAX_URL_LEN:,} characters)."
    if any(ch.isspace() for ch in text):
        return "A URL cannot contain spaces."
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        return "Enter a full http:// or https:// URL, like https://www.linkedin.com/in/name."
    return None


def check_field(field: str, value: str | None) -> str | None:
    """The rule for one standard field, by its request-shape name."""
    if field == "email":
        return check_email(value)
    if field == "phone":
        return check_phone(value)
    if field == "linkedinUrl":
        return check_url(value)
    return check_text(value, field)


def normalize_tag(tag: str) -> str:
    return tag.strip()


def check_tag(tag: str, existing: Iterable[str] = ()) -> str | None:
    """A tag about to be added to ``existing``."""
    text = normalize_tag(tag)
    if not text:
        return "A tag cannot be empty."
    if "," in text:
        return "A tag cannot contain a comma (the tag filter is comma-separated)."
    if len(text) > MAX_TAG_LEN:
        return f"A tag is at most {MAX_TAG_LEN} characters."
    if text.casefold() in {t.casefold() for t in existing}:
        return f"The tag {text!r} is already there."
    return None


def check_tags(tags: list[str]) -> str | None:
    """A whole list, as sent: each tag valid, no duplicates, not too many."""
    if len(tags) > MAX_TAGS:
        return f"At most {MAX_TAGS} tags."
    seen: list[str] = []
    for tag in tags:
        problem = check_tag(tag, seen)
        if problem:
            return problem
        seen.append(tag)
    return None


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Trim, drop empties, drop case-insensitive duplicates keeping the first spelling."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        text = normalize_tag(tag)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def check_custom_key(key: str, existing: Iterable[str] = ()) -> str | None:
    """A custom-field key about to be added next to ``existing`` keys."""
    text = key.strip()
    if not text:
        return "A custom field needs a name."
    if len(text) > MAX_KEY_LEN:
        return f"A field name is at most {MAX_KEY_LEN} characters."
    if text in set(existing):
        return f"There is already a field named {text!r}."
    return None


def check_custom_value(value: str) -> str | None:
    if len(value) > MAX_VALUE_LEN:
        return f"A value is at most {MAX_VALUE_LEN:,} characters."
    return None


def check_custom_fields(fields: dict[str, object]) -> str | None:
    """A whole customFields object, as sent by a create (values must be strings)."""
    if len(fields) > MAX_CUSTOM_FIELDS:
        return f"At most {MAX_CUSTOM_FIELDS} custom fields."
    for key, value in fields.items():
        if key != key.strip() or check_custom_key(key):
            return check_custom_key(key) or f"The field name {key!r} has spaces around it."
        if not isinstance(value, str):
            return f"The value of {key!r} must be text."
        problem = check_custom_value(value)
        if problem:
            return problem
    return None


def mask_key(key: str) -> str:
    """First 4 and last 4 characters, the rest hidden; short keys are hidden whole."""
    if len(key) <= 12:
        return "*" * len(key)
    return f"{key[:4]}…{key[-4:]}"


def key_kind(key: str) -> str | None:
    """``"platform"`` for ``sk_user_`` keys, ``"workspace"`` for other ``sk_`` keys."""
    text = key.strip()
    if text.startswith("sk_user_") and len(text) > len("sk_user_"):
        return "platform"
    if text.startswith("sk_") and len(text) > 3:
        return "workspace"
    return None


def check_api_key(key: str) -> str | None:
    text = key.strip()
    if not text:
        return "Paste your SendKit API key."
    if any(ch.isspace() for ch in text):
        return "An API key has no spaces in it."
    if key_kind(text) is None:
        return "SendKit keys start with sk_user_ (platform key) or sk_ (workspace key)."
    if len(text) < 16:
        return "That key looks too short; copy the whole key from SendKit."
    if len(text) > 1_000:
        return "That key is too long to be a SendKit key."
    return None


def check_base_url(url: str) -> str | None:
    """Plain ``http://`` is refused except for loopback hosts: the key would travel in clear."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) URL like https://api.sendkit.ai."
    if parts.scheme == "http":
        host = parts.hostname
        if not is_loopback(host):
            return (
                f"Refusing to send the API key over plain http:// to {host}; use https:// "
                "(plain http is allowed only for localhost)."
            )
    return None


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback IP literal (127.0.0.0/8, ::1); not ``127.evil.example``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
