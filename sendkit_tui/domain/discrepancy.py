"""What a save check finds: one ``Discrepancy`` per field that did not take, by kind,
gathered in a ``Verification`` (``domain.verify`` makes them; ``domain.adapt`` reads them).

Pure: no I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOT_DELETED = "not_deleted"  # a custom field sent for removal is still there, value kept
STORED_EMPTY = "stored_empty"  # a custom field sent for removal is still there, empty
NOT_CHANGED = "not_changed"  # the field still holds the value it had before the save
DROPPED = "dropped"  # a value was sent; the answer has none
LOST = "lost"  # a custom field the save did not touch is gone
TAGS_MERGED = "tags_merged"  # tags came back as old + sent, not as sent
PHONE_NOT_APPLIED = "phone_not_applied"  # the phone did not change
CHANGED_DIFFERENTLY = "changed_differently"  # the answer holds some other value
KINDS = (NOT_DELETED, STORED_EMPTY, NOT_CHANGED, DROPPED, LOST, TAGS_MERGED,
         PHONE_NOT_APPLIED, CHANGED_DIFFERENTLY)  # fmt: skip

CUSTOM = "customFields"
PHONE_KEYS = ("phone", "phoneNumber")


@dataclass(frozen=True)
class Discrepancy:
    """One field whose change did not take.

    ``field`` is a request-shape name, or ``customFields.<key>`` for one custom field.
    ``wanted`` is what the user asked for (``None``: removed or cleared); ``got`` is what
    the answer holds (``None``: missing or empty). ``sent_as`` is how it went on the
    wire when that matters for the next try: the phone key, or ``"null"``/``"empty"`` for
    a custom-field removal.
    """

    field: str
    kind: str
    message: str
    wanted: Any = None
    got: Any = None
    sent_as: str | None = None


@dataclass(frozen=True)
class Verification:
    discrepancies: tuple[Discrepancy, ...] = ()
    unchecked: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Every requested change is visible in the answer."""
        return not self.discrepancies and not self.unchecked

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(d.field for d in self.discrepancies)

    def for_field(self, field: str) -> Discrepancy | None:
        return next((d for d in self.discrepancies if d.field == field), None)

    def summary(self) -> str:
        """One sentence for a status line; ``""`` when complete."""
        parts = []
        if self.discrepancies:
            count = len(self.discrepancies)
            parts.append(f"{count} change{'s' if count != 1 else ''} did not take")
        if self.unchecked:
            count = len(self.unchecked)
            parts.append(f"{count} could not be checked in SendKit's answer")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "." if text else ""
