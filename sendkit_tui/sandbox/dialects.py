"""Dialects: other plausible readings of the SendKit docs, played by the sandbox on request.

The docs leave open how ``null`` in ``customFields`` behaves, which key PATCH takes for
the phone, whether PATCH ``tags`` replace or merge, 200 vs 201 on create, whether
``Authorization: Bearer`` works and whether ``GET /v1/leads/{id}`` exists. The default
sandbox plays one reading; each dialect below swaps in another, so the client can be
tested against a server that reads the docs differently.

    SandboxServer(dialects=["null-ignored", "tags-merge"])
    sendkit-tui sandbox --dialect null-ignored --dialect tags-merge

Dialects change only what their description says; everything else stays the default.
At most one of the ``null-*``/``empty-deletes`` dialects can be on at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

NULL_IGNORED = "null-ignored"
NULL_STORED = "null-stored"
EMPTY_DELETES = "empty-deletes"
PHONE_NUMBER_ONLY = "phone-number-only"
TAGS_MERGE = "tags-merge"
CREATE_200 = "create-200"
X_API_KEY_ONLY = "x-api-key-only"
DOCS_ONLY = "docs-only"

DIALECTS: dict[str, str] = {
    NULL_IGNORED: "PATCH ignores null in customFields: a key sent as null stays as it was",
    NULL_STORED: "PATCH stores null in customFields as the key's value (the key stays, empty)",
    EMPTY_DELETES: "PATCH deletes a custom field sent as an empty string; null is ignored",
    PHONE_NUMBER_ONLY: "PATCH takes the phone as phoneNumber and silently ignores phone",
    TAGS_MERGE: "PATCH adds the tags sent to the stored ones instead of replacing them",
    CREATE_200: "POST /v1/leads answers 200 instead of 201",
    X_API_KEY_ONLY: "only X-Api-Key authenticates; Authorization: Bearer is ignored",
    DOCS_ONLY: "no GET /v1/leads/{id}; list items carry only the documented fields",
}
NAMES: tuple[str, ...] = tuple(DIALECTS)
NULL_GROUP = frozenset({NULL_IGNORED, NULL_STORED, EMPTY_DELETES})

Patcher = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def parse_dialects(names: Iterable[str] | str | None) -> frozenset[str]:
    """Validated dialect names; ``ValueError`` names the unknown or clashing ones."""
    if names is None:
        return frozenset()
    if isinstance(names, str):
        names = [names]
    chosen = frozenset(str(n).strip().lower() for n in names if str(n).strip())
    unknown = sorted(chosen - set(NAMES))
    if unknown:
        raise ValueError(
            f"Unknown sandbox dialect {', '.join(unknown)}; choose from {', '.join(NAMES)}."
        )
    clash = sorted(chosen & NULL_GROUP)
    if len(clash) > 1:
        raise ValueError(f"Choose one of {', '.join(clash)}: they read null differently.")
    return chosen


def describe(dialects: Iterable[str]) -> list[str]:
    """``"name: what it does"`` per dialect, in the order of ``NAMES``."""
    chosen = set(dialects)
    return [f"{name}: {DIALECTS[name]}" for name in NAMES if name in chosen]


def create_status(dialects: frozenset[str]) -> int:
    return 200 if CREATE_200 in dialects else 201


def bearer_accepted(dialects: frozenset[str]) -> bool:
    return X_API_KEY_ONLY not in dialects


def patch_in_dialect(
    dialects: frozenset[str],
    current: Mapping[str, Any],
    body: Mapping[str, Any],
    apply: Patcher,
) -> dict[str, Any]:
    """The record after a PATCH as the dialects read it; ``apply`` is the default reading.

    The body is rewritten into what the default reading would need to produce the
    dialect's result, then ``apply`` validates and merges it as usual.
    """
    wire = dict(body)
    stored_nulls: list[str] = []
    if PHONE_NUMBER_ONLY in dialects:
        wire.pop("phone", None)
        if "phoneNumber" in wire:
            wire["phone"] = wire.pop("phoneNumber")
    if "customFields" in wire and dialects & NULL_GROUP:
        custom = wire["customFields"]
        if custom is None:
            del wire["customFields"]  # no dialect here reads a null object as "clear all"
        elif isinstance(custom, dict):
            nulls = [k for k, v in custom.items() if v is None]
            custom = {k: v for k, v in custom.items() if v is not None}
            if NULL_STORED in dialects:
                stored_nulls = nulls
            if EMPTY_DELETES in dialects:
                custom = {k: (None if v == "" else v) for k, v in custom.items()}
            wire["customFields"] = custom
    if TAGS_MERGE in dialects and "tags" in wire:
        tags = wire["tags"]
        if tags is None:
            del wire["tags"]
        elif isinstance(tags, list):
            wire["tags"] = [*current.get("tags", []), *tags]
    result = apply(dict(current), wire)
    if stored_nulls:
        result["customFields"] = {**result["customFields"], **dict.fromkeys(stored_nulls)}
    return result
