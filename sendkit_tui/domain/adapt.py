"""What to send next time: adaptations learnt from saves that did not take.

``suggest_adaptations(verification.discrepancies)`` names, per trait, how the next PATCH
should differ; ``adapt_patch(patch, traits)`` rewrites a minimal patch (``build_patch``)
into the body to send. Traits are plain ``name -> value`` strings, the same ones
``storage.server_traits`` remembers per server::

    phone_key            "phone" | "phoneNumber"            which key PATCH takes
    custom_field_delete  "null" | "empty_string" | "unsupported"
    custom_fields_patch  "merge" | "replace"                 customFields merged or replaced
    tags_patch           "replace" | "merge"

Pure: no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.verify import (
    CUSTOM,
    LOST,
    NOT_DELETED,
    PHONE_NOT_APPLIED,
    STORED_EMPTY,
    TAGS_MERGED,
    Discrepancy,
)

PHONE_KEY = "phone_key"
CUSTOM_FIELD_DELETE = "custom_field_delete"
CUSTOM_FIELDS_PATCH = "custom_fields_patch"
TAGS_PATCH = "tags_patch"
TRAIT_VALUES: dict[str, tuple[str, ...]] = {
    PHONE_KEY: ("phone", "phoneNumber"),
    CUSTOM_FIELD_DELETE: ("null", "empty_string", "unsupported"),
    CUSTOM_FIELDS_PATCH: ("merge", "replace"),
    TAGS_PATCH: ("replace", "merge"),
}
MESSAGES: dict[tuple[str, str], str] = {
    (CUSTOM_FIELD_DELETE, "empty_string"): (
        "This server did not delete a custom field sent as null; "
        "the app will send an empty value to remove one next time."
    ),
    (CUSTOM_FIELD_DELETE, "unsupported"): (
        "This server does not delete custom fields; "
        "the app will say so instead of reporting a field removed."
    ),
    (PHONE_KEY, "phoneNumber"): (
        "This server did not apply the phone sent as 'phone'; "
        "the app will send it as 'phoneNumber'."
    ),
    (PHONE_KEY, "phone"): (
        "This server did not apply the phone sent as 'phoneNumber'; "
        "the app will send it as 'phone'."
    ),
    (TAGS_PATCH, "merge"): (
        "This server adds the tags it is sent to the ones it has and cannot remove a tag "
        "through an edit; the app will say when a tag could not be removed."
    ),
    (CUSTOM_FIELDS_PATCH, "replace"): (
        "This server replaces all custom fields with the ones it is sent; "
        "the app will send every custom field on each edit."
    ),
}


@dataclass(frozen=True)
class Adaptation:
    """A change for the next PATCH: ``trait`` takes ``value``; ``message`` says so plainly."""

    trait: str
    value: str
    message: str


def _adaptation(d: Discrepancy) -> Adaptation | None:
    if d.kind == NOT_DELETED and d.sent_as == "null":
        trait, value = CUSTOM_FIELD_DELETE, "empty_string"
    elif d.kind in (NOT_DELETED, STORED_EMPTY):
        trait, value = CUSTOM_FIELD_DELETE, "unsupported"
    elif d.kind == PHONE_NOT_APPLIED and d.wanted is not None:
        # Only a phone that was set: a failed clear does not show which key works.
        trait, value = PHONE_KEY, "phone" if d.sent_as == "phoneNumber" else "phoneNumber"
    elif d.kind == TAGS_MERGED:
        trait, value = TAGS_PATCH, "merge"
    elif d.kind == LOST:
        trait, value = CUSTOM_FIELDS_PATCH, "replace"
    else:
        return None
    return Adaptation(trait, value, MESSAGES[trait, value])


def suggest_adaptations(discrepancies: Iterable[Discrepancy]) -> list[Adaptation]:
    """What to change in the next PATCH, one per trait, from what did not take.

    For custom-field removal, "unsupported" wins over "empty_string": a field kept
    although it was sent empty (or stored as empty) shows no removal works.
    """
    found: dict[str, Adaptation] = {}
    for d in discrepancies:
        adaptation = _adaptation(d)
        if adaptation is None:
            continue
        if adaptation.trait not in found or adaptation.value == "unsupported":
            found[adaptation.trait] = adaptation
    return list(found.values())


def adapt_patch(
    patch: Mapping[str, Any],
    traits: Mapping[str, str],
    baseline: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body to send for ``patch`` on a server with these ``traits`` (trait -> value).

    ``phone_key: phoneNumber`` renames ``phone``; ``custom_field_delete: empty_string``
    sends ``""`` for removed custom fields; ``custom_fields_patch: replace`` sends every
    custom field (``baseline`` needed) and removes by leaving a key out. Other traits leave
    the body as it is (tags always go as the whole list).
    """
    body = dict(patch)
    if traits.get(PHONE_KEY) == "phoneNumber" and "phone" in body:
        body = {("phoneNumber" if k == "phone" else k): v for k, v in body.items()}
    custom = body.get(CUSTOM)
    if isinstance(custom, Mapping):
        if traits.get(CUSTOM_FIELDS_PATCH) == "replace" and baseline is not None:
            merged = {**(baseline.get(CUSTOM) or {}), **custom}
            body[CUSTOM] = {k: v for k, v in merged.items() if v is not None}
        elif traits.get(CUSTOM_FIELD_DELETE) == "empty_string":
            body[CUSTOM] = {k: ("" if v is None else v) for k, v in custom.items()}
    return body
