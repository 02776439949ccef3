"""``sendkit-tui doctor --write-probe``: learn how this server applies edits.

Creates one throwaway lead (``sendkit-tui-probe-…@example.com``), sends one PATCH per
open question (a custom field sent as null, one sent as an empty string, the phone as
``phone`` and then as ``phoneNumber``, a new tag list) and deletes the lead again, even
when a step fails. What each answer showed becomes a trait in ``storage.server_traits``.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Mapping
from typing import Any

from sendkit_tui.domain.text import one_line as shown

PROBE_TAGS = ["sendkit-tui-probe-a", "sendkit-tui-probe-b"]
NEW_TAG = "sendkit-tui-probe-c"
PHONES = ("+1 555 0100", "+1 555 0101", "+1 555 0102")
NOT_PROBED = (
    "Not probed yet: `sendkit-tui doctor --write-probe` creates one throwaway lead, "
    "edits it and deletes it, to see how edits apply."
)
PROBE_TRAITS = ("create_status", "custom_null", "custom_empty", "custom_fields_patch",
                "phone_key", "tags_patch")  # fmt: skip

FINDINGS: dict[tuple[str, Any], tuple[str, str]] = {
    ("create_status", 201): ("ok", "A create answers HTTP 201."),
    ("create_status", 200): ("info", "A create answers HTTP 200, not 201."),
    ("custom_null", "deletes"): ("ok", "A custom field sent as null is deleted."),
    ("custom_null", "ignored"): ("warn", "A custom field sent as null is ignored: it stays."),
    ("custom_null", "stored"): ("warn", "A custom field sent as null stays, with no value."),
    ("custom_empty", "stored"): ("ok", "A custom field sent as an empty value stays, empty."),
    ("custom_empty", "deletes"): ("warn", "A custom field sent as an empty value is deleted."),
    ("custom_fields_patch", "merge"): ("ok", "Custom fields in an edit merge with the others."),
    ("custom_fields_patch", "replace"): ("warn", "Custom fields in an edit replace all others."),
    ("phone_key", "phone"): ("ok", "Edits take the phone as 'phone'."),
    ("phone_key", "phoneNumber"): ("warn", "Edits take the phone only as 'phoneNumber'."),
    ("phone_key", "none"): ("bad", "Neither 'phone' nor 'phoneNumber' changed the phone."),
    ("tags_patch", "replace"): ("ok", "Tags in an edit replace the old ones."),
    ("tags_patch", "merge"): ("warn", "Tags in an edit are added to the old ones."),
}
PLANS: dict[tuple[str, Any], str] = {
    ("custom_field_delete", "null"): "Remove custom fields by sending null.",
    ("custom_field_delete", "empty_string"): "Remove custom fields by sending an empty value.",
    ("custom_field_delete", "unsupported"): (
        "Say that custom fields cannot be removed on this server, never that they were."
    ),
    ("custom_fields_patch", "replace"): "Send every custom field on each edit.",
    ("phone_key", "phoneNumber"): "Send the phone as 'phoneNumber' in edits.",
    ("phone_key", "none"): "Say that the phone cannot be changed on this server.",
    ("tags_patch", "merge"): "Say when a tag could not be removed (this server merges tags).",
    ("create_status", 200): "Accept 200 as well as 201 from a create.",
}


def delete_trait(custom_null: str | None, custom_empty: str | None) -> str | None:
    if custom_null == "deletes":
        return "null"
    if custom_empty == "deletes":
        return "empty_string"
    if custom_null and custom_empty:
        return "unsupported"
    return None


def plans_for(traits: Mapping[str, Any]) -> list[str]:
    return [text for (name, value), text in PLANS.items() if traits.get(name) == value]


def report_known(known: Any, report: Any) -> None:
    """What an earlier write probe learnt, and what the app does about it."""
    traits = known.known
    probed = {k: v for k, v in traits.items() if k in PROBE_TRAITS}
    when = f" on {known.updated_at[:10]}" if probed and known.updated_at else ""
    report.section(f"Edits (learnt earlier{when})" if probed else "Edits")
    if not probed:
        report.line("info", NOT_PROBED)
    for (name, value), (mark, text) in FINDINGS.items():
        if traits.get(name) == value:
            report.line(mark if mark == "ok" else "info", text)
    for plan in plans_for(traits):
        report.plan(plan)


def _ask_tty() -> Callable[[str], str] | None:
    return input if sys.stdin.isatty() else None


def confirm(http: Any, report: Any, ask: Callable[[str], str] | None) -> bool:
    ask = ask or _ask_tty()
    report.section("Write probe")
    if ask is None:
        report.line("bad", "--write-probe changes data; with no terminal to ask on, add --yes.")
        return False
    question = (
        "  --write-probe creates one lead (sendkit-tui-probe-…@example.com) in this workspace, "
        "edits it and deletes it. Continue? [y/N] "
    )
    if ask(question).strip().lower() in ("y", "yes"):
        return True
    report.line("info", "Not run: nothing was created.")
    return False


def write_probe(http: Any, report: Any) -> None:
    report.section("Edits (write probe: one throwaway lead)")
    email = f"sendkit-tui-probe-{secrets.token_hex(6)}@example.com"
    body = {"email": email, "firstName": "Probe", "lastName": "sendkit-tui doctor",
            "phone": PHONES[0], "tags": list(PROBE_TAGS),
            "customFields": {"probe_null": "1", "probe_empty": "2", "probe_keep": "3"}}  # fmt: skip
    created = http.call("POST", "/v1/leads", json=body)
    lead_id = created.data.get("_id") if isinstance(created.data, dict) else None
    if not created.ok or not isinstance(lead_id, str):
        report.line("bad", f"Could not create the probe lead: {created.problem()}")
        return
    report.learnt["create_status"] = created.status
    report.line("ok", f"Created the probe lead {shown(lead_id, 40)}.")
    try:
        _check_create(body, created.data, report)
        _probe_edits(http, report, lead_id)
    finally:
        deleted = http.call("DELETE", "/v1/leads", json={"leadIds": [lead_id]})
        if deleted.ok and isinstance(deleted.data, dict) and deleted.data.get("deletedCount") == 1:
            report.line("ok", "Deleted the probe lead.")
        else:
            report.line("bad", f"Could not delete the probe lead {shown(lead_id, 40)} ({email}): "
                        f"{deleted.problem()}. Delete it in SendKit.")  # fmt: skip
    learnt = report.learnt
    learnt["custom_field_delete"] = delete_trait(learnt.get("custom_null"),
                                                 learnt.get("custom_empty"))  # fmt: skip
    for plan in plans_for(learnt):
        report.plan(plan)
    report.learnt = {k: v for k, v in learnt.items() if v is not None}


def _shape(data: Any) -> dict[str, Any]:
    """A lead answer in the request shape, restricted to the fields it carried."""
    from sendkit_tui.api.models import Lead

    try:
        return Lead.model_validate(data).to_request_dict()
    except ValueError:
        return {}


def _check_create(body: dict[str, Any], data: Any, report: Any) -> None:
    from sendkit_tui.domain.verify import verify_create

    result = verify_create(body, _shape(data))
    for found in result.discrepancies:
        report.line("warn", f"Create: {found.message}")
    if result.unchecked:
        report.line("info", f"The create answer left out: {', '.join(result.unchecked)}.")


def _probe_edits(http: Any, report: Any, lead_id: str) -> None:
    path = http.lead_path(lead_id)
    can_read = report.learnt.get("single_lead_get") is True

    def edit(patch: dict[str, Any], field: str) -> dict[str, Any] | None:
        answer = http.call("PATCH", path, json=patch)
        if not answer.ok:
            report.line("info", f"PATCH {_keys(patch)}: {answer.problem()}")
            return None
        lead = _shape(answer.data)
        if field not in lead and can_read:
            again = http.call("GET", path)
            lead = _shape(again.data) if again.ok else lead
        return lead if field in lead else None

    learnt = report.learnt
    lead = edit({"customFields": {"probe_null": None}}, "customFields")
    if lead is not None:
        custom = lead["customFields"] or {}
        learnt["custom_null"] = (
            "deletes" if "probe_null" not in custom
            else "stored" if custom["probe_null"] == "" else "ignored"
        )  # fmt: skip
        learnt["custom_fields_patch"] = "merge" if "probe_keep" in custom else "replace"
    lead = edit({"customFields": {"probe_empty": ""}}, "customFields")
    if lead is not None:
        learnt["custom_empty"] = (
            "deletes" if "probe_empty" not in lead["customFields"] else "stored"
        )
    learnt["phone_key"] = "none"
    for key, number in zip(("phone", "phoneNumber"), PHONES[1:], strict=True):
        lead = edit({key: number}, "phone")
        if lead is not None and (lead.get("phone") or "").replace(" ", "") == number.replace(
            " ", ""
        ):
            learnt["phone_key"] = key
            break
    lead = edit({"tags": [NEW_TAG]}, "tags")
    if lead is not None:
        tags = {t.casefold() for t in lead["tags"] or []}
        if tags == {NEW_TAG}:
            learnt["tags_patch"] = "replace"
        elif tags == {*PROBE_TAGS, NEW_TAG}:
            learnt["tags_patch"] = "merge"
        else:
            report.line("warn", "Tags came back neither replaced nor merged.")
    for (name, value), (mark, text) in FINDINGS.items():
        if learnt.get(name) == value:
            report.line(mark, text)


def _keys(patch: dict[str, Any]) -> str:
    if "customFields" in patch:
        return "customFields." + ", ".join(patch["customFields"])
    return ", ".join(patch)
