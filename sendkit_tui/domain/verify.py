"""Did the save take? What the user asked for, compared field by field with SendKit's answer.

The docs leave open how SendKit reads ``null`` in ``customFields``, which key PATCH takes
for the phone and whether PATCH ``tags`` replace or merge. Rather than trust one reading,
every save is checked::

    result = verify_patch(baseline, patch, answer)      # after PATCH /v1/leads/{id}
    result = verify_create(body, answer)                # after POST /v1/leads
    result.complete        # True only if every change is visible in the answer
    result.discrepancies   # what did not take, one Discrepancy per field
    result.unchecked       # fields the answer did not carry: re-read the lead to check them

All dicts are in the request shape (``phone``, not ``phoneNumber``; see
``Lead.to_request_dict``). ``answer`` holds only the fields the server's answer carried,
unless ``carried`` says otherwise. ``domain.adapt`` turns discrepancies into changes for
the next PATCH (send ``phoneNumber``, send an empty string to delete, ...).

Comparison rules: ``None`` and ``""`` are the same for standard fields; surrounding spaces
do not count; email is compared lowercased; tags are compared as case-insensitive sets (a
server may reorder them); a custom field's presence counts, ``None`` and ``""`` as its
value are the same. Messages are plain text, with any value from the server sanitised.

Pure: no I/O, no Textual.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sendkit_tui.domain.discrepancy import (  # re-exported: the kinds are part of this API
    CHANGED_DIFFERENTLY,
    CUSTOM,
    DROPPED,
    KINDS,
    LOST,
    NOT_CHANGED,
    NOT_DELETED,
    PHONE_KEYS,
    PHONE_NOT_APPLIED,
    STORED_EMPTY,
    TAGS_MERGED,
    Discrepancy,
    Verification,
)
from sendkit_tui.domain.rules import FIELD_LABELS, normalize_email
from sendkit_tui.domain.text import clip, sanitize

__all__ = ["CHANGED_DIFFERENTLY", "CUSTOM", "DROPPED", "KINDS", "LOST", "NOT_CHANGED",
           "NOT_DELETED", "PHONE_KEYS", "PHONE_NOT_APPLIED", "STORED_EMPTY", "TAGS_MERGED",
           "Discrepancy", "Verification", "verify_create", "verify_patch"]  # fmt: skip


# --- verifying -------------------------------------------------------------------------------


def verify_patch(
    baseline: Mapping[str, Any],
    patch: Mapping[str, Any],
    answer: Mapping[str, Any],
    *,
    carried: Collection[str] | None = None,
    wire: Mapping[str, Any] | None = None,
) -> Verification:
    """Compare the lead SendKit answered with ``baseline`` + ``patch`` (what was meant).

    ``patch`` is the minimal diff (``build_patch``); ``wire`` the body actually sent, when
    ``adapt_patch`` changed it. ``carried``: request-shape names the answer carried
    (default: the keys of ``answer``).
    """
    return _verify(baseline, patch, answer, carried, wire if wire is not None else patch, False)


def verify_create(
    body: Mapping[str, Any], answer: Mapping[str, Any], *, carried: Collection[str] | None = None
) -> Verification:
    """Compare the lead SendKit created with the create ``body`` (request shape)."""
    result = _verify({}, body, answer, carried, body, True)
    email = body.get("email")
    if not isinstance(email, str) or not email.strip():
        return result
    shown = answer.get("email")
    if "email" not in _carried(answer, carried):
        return Verification(result.discrepancies, ("email", *result.unchecked))
    if isinstance(shown, str) and normalize_email(shown) == normalize_email(email):
        return result
    message = f"SendKit saved the email as {_quote(shown)}, not as entered."
    found = Discrepancy("email", CHANGED_DIFFERENTLY, message, email, shown)
    return Verification((found, *result.discrepancies), result.unchecked)


def _carried(answer: Mapping[str, Any], carried: Collection[str] | None) -> Collection[str]:
    return set(answer) if carried is None else carried


def _verify(
    baseline: Mapping[str, Any],
    patch: Mapping[str, Any],
    answer: Mapping[str, Any],
    carried: Collection[str] | None,
    wire: Mapping[str, Any],
    create: bool,
) -> Verification:
    known = _carried(answer, carried)
    found: list[Discrepancy] = []
    unchecked: list[str] = []
    for field, wanted in patch.items():
        if field == "email":
            continue
        if field == CUSTOM:
            changes = _custom_changes(baseline.get(CUSTOM) or {}, wanted)
            if CUSTOM not in known:
                unchecked.extend(f"{CUSTOM}.{k}" for k in changes)
                continue
            found.extend(_check_custom(baseline, changes, answer.get(CUSTOM) or {}, wire))
        elif field in known:
            if create and _blank(wanted) is None and field != "tags":
                continue
            problem = _check_field(field, wanted, baseline, answer, wire, create)
            if problem is not None:
                found.append(problem)
        elif not (create and wanted in (None, "", [], {})):
            unchecked.append(field)
    sent_custom = patch.get(CUSTOM)
    if not create and CUSTOM in known and isinstance(sent_custom, Mapping):
        # A server that replaces customFields instead of merging loses the other keys.
        before = baseline.get(CUSTOM) or {}
        found.extend(_check_untouched(before, sent_custom, answer.get(CUSTOM)))
    return Verification(tuple(found), tuple(unchecked))


def _check_field(
    field: str,
    wanted: Any,
    baseline: Mapping[str, Any],
    answer: Mapping[str, Any],
    wire: Mapping[str, Any],
    create: bool,
) -> Discrepancy | None:
    if field == "tags":
        return _check_tags(wanted, baseline.get("tags"), answer.get("tags"), create)
    want, got, before = _blank(wanted), _blank(answer.get(field)), _blank(baseline.get(field))
    if want == got:
        return None
    label = FIELD_LABELS.get(field, field).lower()
    if field == "phone" and (got == before or got is None):
        sent_as = next((k for k in PHONE_KEYS if k in wire), "phone")
        other = "phone" if sent_as == "phoneNumber" else "phoneNumber"
        if create:
            message = "SendKit did not save the phone."
        elif want is None:
            message = f"SendKit kept the phone ({_quote(got)}) although it was cleared."
        else:
            still = f" (still {_quote(got)})" if got is not None else ""
            message = f"SendKit did not change the phone{still}."
        message += f" This server may take the phone as '{other}'."
        return Discrepancy(field, PHONE_NOT_APPLIED, message, wanted, got, sent_as)
    if got == before and not create:
        if want is None:
            message = (
                f"SendKit kept the {label} ({_quote(got)}) although it was cleared. "
                "This server may not clear fields with null."
            )
        else:
            message = f"SendKit still has the old {label} ({_quote(got)}); the change did not take."
        return Discrepancy(field, NOT_CHANGED, message, wanted, got)
    if got is None:
        message = f"SendKit did not keep the {label} you entered; it came back empty."
        return Discrepancy(field, DROPPED, message, wanted, got)
    message = f"SendKit saved the {label} as {_quote(got)}, not as entered."
    return Discrepancy(field, CHANGED_DIFFERENTLY, message, wanted, got)


def _check_tags(wanted: Any, before: Any, got: Any, create: bool) -> Discrepancy | None:
    want_set, before_set = _tag_set(wanted), _tag_set(before)
    got_list = [t for t in got if isinstance(t, str)] if isinstance(got, list) else []
    got_set = _tag_set(got_list)
    if got_set == want_set:
        return None
    if not create and got_set == before_set | want_set:
        kept = [t for t in got_list if t.strip().casefold() not in want_set]
        message = (
            f"SendKit added the tags but kept {_quote_list(kept)}, which were removed. "
            "This server merges tags instead of replacing them."
        )
        return Discrepancy("tags", TAGS_MERGED, message, wanted, got_list)
    if not create and got_set == before_set:
        message = "SendKit still has the old tags; the change did not take."
        return Discrepancy("tags", NOT_CHANGED, message, wanted, got_list)
    if not got_set:
        message = "SendKit did not keep the tags; it has none."
        return Discrepancy("tags", DROPPED, message, wanted, got_list)
    message = f"SendKit has the tags {_quote_list(got_list)} instead of the ones entered."
    return Discrepancy("tags", CHANGED_DIFFERENTLY, message, wanted, got_list)


def _custom_changes(before: Mapping[str, Any], wanted: Any) -> dict[str, Any]:
    """The per-key changes a customFields patch asks for (``None`` object: remove all)."""
    if wanted is None:
        return dict.fromkeys(before)
    return dict(wanted) if isinstance(wanted, Mapping) else {}


def _check_custom(
    baseline: Mapping[str, Any],
    changes: Mapping[str, Any],
    got_map: Any,
    wire: Mapping[str, Any],
) -> list[Discrepancy]:
    got_map = got_map if isinstance(got_map, Mapping) else {}
    before_map = baseline.get(CUSTOM) or {}
    sent = wire.get(CUSTOM)
    wire_map: Mapping[str, Any] = sent if isinstance(sent, Mapping) else {}
    found = []
    for key, wanted in changes.items():
        field, name = f"{CUSTOM}.{key}", _quote(key)
        present, got = key in got_map, _value(got_map.get(key))
        before = _value(before_map[key]) if key in before_map else None
        if wanted is None:
            if not present:
                continue
            sent_as = "empty" if wire_map.get(key) == "" else "null"
            stored = got == "" and before != ""
            why = f"may not delete custom fields {'with null' if sent_as == 'null' else 'at all'}"
            if stored and sent_as == "null":
                why = "stores null as a value instead of deleting the field"
            kept = f"kept {name} as an empty field" if stored else f"kept {name}"
            message = f"SendKit {kept} although it was removed. This server {why}."
            kind = STORED_EMPTY if stored else NOT_DELETED
            found.append(Discrepancy(field, kind, message, None, got, sent_as))
        elif not present:
            message = f"SendKit did not keep {name}; the field is missing from its answer."
            if _value(wanted) == "":
                message += " This server may delete custom fields given an empty value."
            found.append(Discrepancy(field, DROPPED, message, wanted, None))
        elif got == _value(wanted):
            continue
        elif key in before_map and got == before:
            message = f"SendKit still has the old value of {name} ({_quote(got)})."
            found.append(Discrepancy(field, NOT_CHANGED, message, wanted, got))
        else:
            message = f"SendKit saved {name} as {_quote(got)}, not as entered."
            found.append(Discrepancy(field, CHANGED_DIFFERENTLY, message, wanted, got))
    return found


def _check_untouched(before: Mapping[str, Any], touched: Any, got_map: Any) -> list[Discrepancy]:
    got_map = got_map if isinstance(got_map, Mapping) else {}
    found = []
    for key in before:
        if key in touched or key in got_map:
            continue
        message = (
            f"SendKit no longer has {_quote(key)} although it was not changed. "
            "This server may replace custom fields instead of merging them."
        )
        found.append(Discrepancy(f"{CUSTOM}.{key}", LOST, message, _value(before[key]), None))
    return found


# --- helpers ---------------------------------------------------------------------------------


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _value(value: Any) -> str:
    """A custom-field value as text (``None`` -> ``""``, numbers as JSON)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _tag_set(tags: Any) -> frozenset[str]:
    if not isinstance(tags, list | tuple):
        return frozenset()
    return frozenset(t.strip().casefold() for t in tags if isinstance(t, str) and t.strip())


def _quote(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    return "'" + clip(sanitize(value, single_line=True), 40) + "'"


def _quote_list(values: Iterable[Any]) -> str:
    return ", ".join(_quote(v) for v in values) or "none"
