"""One draft: what a form held, for which lead, server and workspace, and how its save went.

Plain data, written and read by ``DraftStore`` (drafts.py) and sorted by where it was typed
(draft_origin.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4


def now_stamp() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Draft:
    kind: str  # "create" | "edit"
    values: dict[str, Any]  # form values in request shape
    id: str = field(default_factory=lambda: uuid4().hex)
    lead_id: str | None = None  # edit only
    baseline: dict[str, Any] | None = None  # edit only: what the edit started from
    baseline_updated_at: str | None = None
    profile: str = "default"
    workspace_id: str | None = None
    base_url: str | None = None
    outcome: str = "never"  # "never" | "pending" | "unknown" | "failed"
    outcome_detail: str | None = None
    created_at: str = field(default_factory=now_stamp)
    updated_at: str = field(default_factory=now_stamp)

    @property
    def label(self) -> str:
        """A short description for a restore prompt (plain text, not markup)."""
        return self.label_at(datetime.now(UTC))

    def label_at(self, now: datetime) -> str:
        who = _who(self.values) or _who(self.baseline or {})
        age = _age(self.updated_at, now)
        if self.kind == "edit":
            target = who or (f"lead {self.lead_id}" if self.lead_id else "a lead")
            return f"Edit of {target} (typed {age})"
        return f"New lead {who} (typed {age})" if who else f"New lead (typed {age})"

    def is_empty(self) -> bool:
        """Nothing worth restoring: no value typed (for an edit: nothing changed)."""
        if self.kind == "edit" and self.baseline is not None:
            return all(_same(v, self.baseline.get(k)) for k, v in self.values.items())
        return not any(_has_content(v) for v in self.values.values())


def _has_content(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_has_content(k) or _has_content(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_content(v) for v in value)
    return True


def _same(a: Any, b: Any) -> bool:
    """Equal, counting None, "", [] and {} as the same empty value."""
    if not _has_content(a) and not _has_content(b):
        return True
    return bool(a == b)


def _who(values: dict[str, Any]) -> str:
    email = values.get("email")
    if isinstance(email, str) and email.strip():
        return _clip(email.strip())
    names = [values.get("firstName"), values.get("lastName")]
    name = " ".join(n.strip() for n in names if isinstance(n, str) and n.strip())
    return _clip(name)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _age(stamp: str, now: datetime) -> str:
    try:
        then = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return "earlier"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"
